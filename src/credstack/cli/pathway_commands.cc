#include "credstack/cli/pathway_commands.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "credstack/cli/api_call.h"
#include "credstack/cli/commands.h"
#include "credstack/cli/exit_code.h"
#include "credstack/json/json.h"
#include "credstack/pathways/breadth.h"
#include "credstack/pathways/catalog.h"
#include "credstack/pathways/framework.h"
#include "credstack/pathways/import.h"
#include "credstack/pathways/json_io.h"
#include "credstack/pathways/pathway.h"
#include "credstack/pathways/recommender.h"

namespace credstack::cli {
namespace {

namespace fs = std::filesystem;
namespace pw = credstack::pathways;

// Issue 6's contract for these commands: 0 ok; 1 infeasible target or
// pathway not satisfied; 2 bad input or usage (unreadable or malformed
// files, unknown ids, limits); 3 internal error.
constexpr int kExitNo = kExitFailed;

int Fail(const Status& s) {
  std::cerr << "credstack: " << s.message() << "\n";
  return s.code() == Code::kInternal ? kExitInternal : kExitUsage;
}
int Fail(const std::string& message) {
  return Fail(InvalidArgumentError(message));
}

#define PW_ASSIGN_OR_FAIL(lhs, rexpr) \
  PW_ASSIGN_OR_FAIL_IMPL_(CREDSTACK_CONCAT_(pw_result_, __LINE__), lhs, rexpr)
#define PW_ASSIGN_OR_FAIL_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                            \
  if (!tmp.ok()) return Fail(tmp.error());       \
  lhs = std::move(tmp).value()

// Opens files of a data set directory for the importers.
class DirectoryFiles final : public pw::FileProvider {
 public:
  explicit DirectoryFiles(fs::path dir) : dir_(std::move(dir)) {}
  Result<std::unique_ptr<pw::ByteSource>> Open(std::string_view name) override {
    auto src = std::make_unique<Source>(dir_ / std::string(name));
    if (!src->in)
      return NotFoundError("cannot open " +
                           (dir_ / std::string(name)).string());
    return std::unique_ptr<pw::ByteSource>(std::move(src));
  }
  bool Has(std::string_view name) override {
    std::error_code ec;
    return fs::is_regular_file(dir_ / std::string(name), ec);
  }

 private:
  struct Source final : pw::ByteSource {
    explicit Source(const fs::path& p) : in(p, std::ios::binary), src(in) {}
    Result<size_t> Read(std::span<char> out) override { return src.Read(out); }
    std::ifstream in;
    pw::IstreamByteSource src;
  };
  fs::path dir_;
};

Result<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) return NotFoundError("cannot read " + path + ": " + ec.message());
  if (size > max_bytes) {
    return ResourceExhaustedError(path + ": larger than " +
                                  std::to_string(max_bytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open " + path);
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  if (static_cast<size_t>(in.gcount()) != size)
    return DataLossError("short read of " + path);
  return data;
}

// "…/esco-v1.1.1" -> "1.1.1": the first run of digits and dots that holds a
// dot, in the directory's name.
std::string VersionFromPath(const fs::path& dir) {
  fs::path norm = fs::absolute(dir).lexically_normal();
  std::string name = norm.filename().string();
  if (name.empty()) name = norm.parent_path().filename().string();
  for (size_t i = 0; i < name.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) continue;
    size_t j = i;
    while (
        j < name.size() &&
        (std::isdigit(static_cast<unsigned char>(name[j])) || name[j] == '.'))
      ++j;
    std::string v = name.substr(i, j - i);
    while (!v.empty() && v.back() == '.') v.pop_back();
    if (v.find('.') != std::string::npos) return v;
    i = j;
  }
  return "";
}

std::string DetectFormat(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir / "skills_en.csv", ec)) return "esco";
  if (fs::exists(dir / "skills.csv", ec)) return "esco-sample";
  if (fs::exists(dir / "Skills.txt", ec)) return "onet";
  return "";
}

Result<pw::Framework> ImportDir(const fs::path& dir, std::string format,
                                pw::ImportOptions options) {
  if (!fs::is_directory(dir))
    return NotFoundError(dir.string() + " is not a directory");
  if (format.empty()) format = DetectFormat(dir);
  if (options.version.empty()) options.version = VersionFromPath(dir);
  DirectoryFiles files(dir);
  if (format == "esco") return pw::ImportEsco(files, options);
  if (format == "esco-sample") return pw::ImportEscoSample(files, options);
  if (format == "onet") return pw::ImportOnet(files, options);
  return InvalidArgumentError("unknown or undetectable framework format in " +
                              dir.string() +
                              " (use --format esco|esco-sample|onet)");
}

// A framework from a data set directory or a JSON snapshot file.
Result<pw::Framework> LoadFramework(const std::string& path) {
  if (fs::is_directory(path)) return ImportDir(path, "", {});
  CREDSTACK_ASSIGN_OR_RETURN(std::string text, ReadFile(path, 512u << 20));
  return pw::FrameworkFromJson(text);
}

std::string Num(double v, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string Thousands(size_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3)
    s.insert(static_cast<size_t>(i), ",");
  return s;
}

std::string SkillName(const pw::Framework* fw, const std::string& id) {
  if (fw) {
    if (auto s = fw->FindSkill(id))
      return fw->skills()[*s].label + " <" + id + ">";
  }
  return id;
}

void PrintSource(const pw::Framework* fw) {
  if (fw) {
    std::cout << "Skills data: " << fw->info().name << " " << fw->info().version
              << " (source: " << fw->info().attribution << ")\n";
  }
}

void PrintPlan(const pw::Plan& plan, const pw::Framework* fw,
               const std::string& title) {
  std::cout << title << "\n";
  PrintSource(fw);
  if (!plan.target_skills.empty()) {
    std::cout << "Target: " << plan.target_skills.size() << " skill(s), "
              << plan.missing_skills.size() << " missing\n";
  }
  if (plan.status == pw::PlanStatus::kInfeasible) {
    std::cout << "Status: infeasible";
    if (!plan.detail.empty()) std::cout << " (" << plan.detail << ")";
    std::cout << "\n";
    if (!plan.untaught_skills.empty()) {
      std::cout << "No achievement in the catalog teaches:\n";
      for (const std::string& s : plan.untaught_skills)
        std::cout << "  - " << SkillName(fw, s) << "\n";
    }
    return;
  }
  if (plan.status == pw::PlanStatus::kNoPlan) {
    std::cout << "Status: no plan found (" << plan.detail << ")\n";
    return;
  }
  std::cout << "\n";
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const pw::PlanStep& s = plan.steps[i];
    std::cout << " " << i + 1 << ". " << s.name << " [" << s.achievement_id
              << "]";
    if (!s.issuer.empty()) std::cout << " by " << s.issuer;
    std::cout << "\n    " << Num(s.hours) << " h, price " << Num(s.price, 2)
              << ", " << Num(s.credits) << " credits\n";
    if (!s.covers.empty()) {
      std::cout << "    covers:";
      for (size_t k = 0; k < s.covers.size(); ++k) {
        std::cout << (k ? ";" : "") << " " << SkillName(fw, s.covers[k]);
      }
      std::cout << "\n";
    }
    if (!s.prerequisite_of.empty()) {
      std::cout << "    prerequisite of:";
      for (const std::string& d : s.prerequisite_of) std::cout << " " << d;
      std::cout << "\n";
    }
  }
  if (plan.steps.empty()) std::cout << " (nothing to take)\n";
  std::cout << "\nTotal: " << plan.steps.size() << " achievement(s), "
            << Num(plan.total_hours) << " h, price " << Num(plan.total_price, 2)
            << ", " << Num(plan.total_credits) << " credits; objective "
            << Num(plan.objective, 2) << "\n";
  switch (plan.status) {
    case pw::PlanStatus::kOptimal:
      std::cout << "Status: optimal (proven by the MILP solver)\n";
      break;
    case pw::PlanStatus::kFeasible:
      std::cout << "Status: gap - the time budget ended; this plan is at most "
                << Num(plan.gap(), 2) << " above the optimum (lower bound "
                << Num(*plan.lower_bound, 2) << ")\n";
      break;
    case pw::PlanStatus::kGreedy:
      std::cout << "Status: greedy (fast heuristic, not proven optimal)\n";
      break;
    default:
      break;
  }
}

void PrintJson(const json::Value& v) {
  std::cout << json::Serialize(v) << "\n";
}

// ---- talking to a server (--server URL) -------------------------------------

// Human rendering of the plan JSON a server answers (pathways::PlanToJson).
void PrintPlanJson(const json::Object& p, const std::string& title) {
  std::cout << title << "\n";
  if (auto src = json::GetString(p, "source"))
    std::cout << "Skills data source: " << *src << "\n";
  std::string status(json::GetString(p, "status").value_or(""));
  if (const json::Array* steps = json::GetArray(p, "steps")) {
    int i = 0;
    for (const json::Value& v : *steps) {
      const json::Object& s = v.as_object();
      std::cout << " " << ++i << ". "
                << json::GetString(s, "name").value_or("") << " ["
                << json::GetString(s, "achievement").value_or("") << "]";
      if (auto issuer = json::GetString(s, "issuer")) std::cout << " by " << *issuer;
      std::cout << "\n";
      if (const json::Array* covers = json::GetArray(s, "covers")) {
        std::cout << "    covers:";
        for (const json::Value& c : *covers) {
          const json::Object& co = c.as_object();
          std::cout << " " << json::GetString(co, "label").value_or(
                                  json::GetString(co, "id").value_or(""));
          std::cout << ";";
        }
        std::cout << "\n";
      }
    }
  }
  if (const json::Array* untaught = json::GetArray(p, "untaughtSkills");
      untaught && !untaught->empty()) {
    std::cout << "No achievement in the catalog teaches:\n";
    for (const json::Value& u : *untaught)
      std::cout << "  - " << json::Serialize(u) << "\n";
  }
  if (const json::Object* totals = json::GetObject(p, "totals")) {
    std::cout << "Total: " << json::Serialize(json::Value(*totals)) << "\n";
  }
  std::cout << "Status: " << status << "\n";
}

bool PlanOk(const json::Object& p) {
  auto s = json::GetString(p, "status");
  return s && (*s == "optimal" || *s == "feasible" || *s == "greedy");
}

// ---- skills import ---------------------------------------------------------

struct ImportArgs {
  std::string format;
  std::string dir;
  std::string out;
  std::string version;
  bool strict = false;
  bool no_descriptions = false;
  std::string server;
  std::string framework_id;
  std::string token;
};

int RunImport(const ImportArgs& a) {
  pw::ImportOptions o{.version = a.version,
                      .strict = a.strict,
                      .keep_descriptions = !a.no_descriptions};
  auto start = std::chrono::steady_clock::now();
  PW_ASSIGN_OR_FAIL(pw::Framework fw, ImportDir(a.dir, a.format, o));
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  const pw::FrameworkInfo& info = fw.info();
  std::cout << "Imported " << info.name
            << (info.version.empty() ? "" : " " + info.version) << " ("
            << info.format << ") from " << a.dir << " in " << Num(seconds, 3)
            << " s\n"
            << "  skills:          " << Thousands(fw.skills().size()) << "\n"
            << "  skill groups:    " << Thousands(fw.groups().size()) << " ("
            << fw.max_group_level() + 1 << " levels)\n"
            << "  occupations:     " << Thousands(fw.occupations().size())
            << "\n"
            << "  skill relations: " << Thousands(fw.relation_count()) << "\n"
            << "Source: " << info.attribution << "\n";
  if (fw.warnings().count) {
    std::cout << "Skipped " << fw.warnings().count
              << " reference(s) to undefined concepts, e.g.:\n";
    for (size_t i = 0; i < fw.warnings().examples.size() && i < 3; ++i) {
      std::cout << "  " << fw.warnings().examples[i] << "\n";
    }
  }
  if (!a.server.empty()) {
    std::string id = a.framework_id;
    if (id.empty()) {
      for (char c : info.name) {
        if (std::isalnum(static_cast<unsigned char>(c)))
          id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    std::string token = FlagOrEnv(a.token, "CREDSTACK_OPERATOR_TOKEN");
    server::ApiRequest req{.method = "POST",
                           .path = "/api/v1/frameworks/" + PercentEncode(id),
                           .body = json::Serialize(pw::FrameworkToJson(fw))};
    if (!token.empty()) req.headers.push_back({"Authorization", "Bearer " + token});
    auto start_upload = std::chrono::steady_clock::now();
    PW_ASSIGN_OR_FAIL(json::Value r, CallJson(a.server, req));
    double up = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                              start_upload)
                    .count();
    const json::Object& o = r.as_object();
    const json::Object* f = json::GetObject(o, "framework");
    std::cout << "Stored in " << a.server << " as framework \"" << id
              << "\" (revision "
              << (f ? json::Serialize(f->at("revision")) : "?") << ", "
              << (o.at("created").as_bool() ? "new" : "updated in place")
              << ") in " << Num(up, 3) << " s\n";
    if (const json::Object* ch = json::GetObject(o, "changes"))
      std::cout << "  changes: " << json::Serialize(json::Value(*ch)) << "\n";
  }
  if (!a.out.empty()) {
    std::string text = json::Serialize(pw::FrameworkToJson(fw));
    std::ofstream out(a.out, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return Fail(DataLossError("cannot write " + a.out));
    std::cout << "Wrote snapshot " << a.out << " (" << Thousands(text.size())
              << " bytes)\n";
  } else if (a.server.empty()) {
    std::cout << "(validated only: use --server URL to store it in a "
                 "credstack server, --out FILE.json for a snapshot)\n";
  }
  return kExitOk;
}

// ---- skills breadth --------------------------------------------------------

struct BreadthArgs {
  std::string framework;
  std::vector<std::string> have;
  int level = 1;
  bool json = false;
};

int RunBreadth(const BreadthArgs& a) {
  PW_ASSIGN_OR_FAIL(pw::Framework fw, LoadFramework(a.framework));
  pw::BreadthReport r = pw::ComputeBreadth(fw, a.have, a.level);
  if (a.json) {
    json::Value v = pw::BreadthToJson(r);
    v.as_object()["source"] = fw.info().attribution;
    PrintJson(v);
    return kExitOk;
  }
  PrintSource(&fw);
  std::cout << "Breadth at hierarchy level " << r.level << ": "
            << r.groups_covered << " of " << r.groups_total
            << " groups covered by " << r.skills_total - r.skills_unmapped
            << " skill(s)";
  if (r.skills_unmapped)
    std::cout << " (" << r.skills_unmapped << " not in the framework)";
  std::cout << "\nEvenness " << Num(r.evenness, 2)
            << " (1 = evenly spread), largest group "
            << Num(100 * r.dominant_share, 0) << "%\n";
  for (const pw::GroupShare& g : r.groups) {
    std::cout << "  " << Num(100 * g.share, 0) << "%  " << g.label
              << (g.code.empty() ? "" : " (" + g.code + ")") << "\n";
  }
  return kExitOk;
}

// ---- path recommend --------------------------------------------------------

struct RecommendArgs {
  std::string catalog;
  std::vector<std::string> have;
  std::vector<std::string> have_achievements;
  std::string learner;
  std::string target;
  std::vector<std::string> need;
  bool include_optional = false;
  std::string framework;
  std::string objective = "hours";
  double hour_value = 20;
  double max_hours = -1;
  double max_price = -1;
  std::vector<std::string> allow, exclude, trust;
  bool trusted_only = false;
  double breadth_bonus = 0;
  std::string prefer_pathway;
  double pathway_bonus = 0;
  bool greedy = false;
  int time_budget_ms = 2000;
  bool json = false;
  std::string server;
  std::string learner_token;
  std::string api_key;
};

// path recommend --server URL: the server plans over its catalog (plus
// --catalog, uploaded) and, with --learner, the learner's verified skills.
int RunRecommendRemote(const RecommendArgs& a) {
  if (a.target.empty() == a.need.empty())
    return Fail("give exactly one of --target OCCUPATION or --need SKILL,...");
  json::Object body;
  auto strings = [](const std::vector<std::string>& v) {
    json::Array out;
    for (const std::string& s : v) out.push_back(json::Value(s));
    return out;
  };
  if (!a.learner.empty()) body["learner"] = a.learner;
  if (!a.have.empty()) body["have"] = strings(a.have);
  if (!a.have_achievements.empty())
    body["haveAchievements"] = strings(a.have_achievements);
  if (!a.target.empty()) body["target"] = a.target;
  if (!a.need.empty()) body["need"] = strings(a.need);
  if (a.include_optional) body["includeOptional"] = true;
  body["objective"] = a.objective;
  body["hourValue"] = a.hour_value;
  json::Object constraints;
  if (a.max_hours >= 0) constraints["maxHours"] = a.max_hours;
  if (a.max_price >= 0) constraints["maxPrice"] = a.max_price;
  if (!a.allow.empty()) constraints["allowedIssuers"] = strings(a.allow);
  if (!a.exclude.empty()) constraints["excludedIssuers"] = strings(a.exclude);
  if (!a.trust.empty()) constraints["trustedIssuers"] = strings(a.trust);
  if (a.trusted_only) constraints["onlyTrusted"] = true;
  if (!constraints.empty()) body["constraints"] = std::move(constraints);
  if (a.breadth_bonus > 0) body["breadthBonus"] = a.breadth_bonus;
  if (!a.prefer_pathway.empty()) {
    body["preferPathway"] = a.prefer_pathway;
    body["pathwayBonus"] = a.pathway_bonus;
  }
  if (a.greedy) body["greedy"] = true;
  body["timeBudgetMs"] = a.time_budget_ms;
  if (!a.catalog.empty()) {
    PW_ASSIGN_OR_FAIL(std::string text, ReadFile(a.catalog, 256u << 20));
    PW_ASSIGN_OR_FAIL(json::Value catalog,
                      json::Parse(text, json::ParseOptions{.max_size = 256u << 20}));
    body["catalog"] = std::move(catalog);
  }
  server::ApiRequest req{.method = "POST",
                         .path = "/api/v1/recommendations",
                         .body = json::Serialize(body)};
  std::string token = FlagOrEnv(a.learner_token, "CREDSTACK_LEARNER_TOKEN");
  std::string key = FlagOrEnv(a.api_key, "CREDSTACK_API_KEY");
  if (!token.empty()) req.headers.push_back({"X-Learner-Token", token});
  if (!key.empty()) req.headers.push_back({"Authorization", "Bearer " + key});
  PW_ASSIGN_OR_FAIL(json::Value plan, CallJson(a.server, req));
  if (a.json) {
    PrintJson(plan);
  } else {
    std::string title = a.learner.empty()
                            ? std::string("Learning path")
                            : "Learning path for learner " + a.learner;
    PrintPlanJson(plan.as_object(), title);
  }
  return PlanOk(plan.as_object()) ? kExitOk : kExitNo;
}

int RunRecommend(const RecommendArgs& a) {
  if (!a.server.empty()) return RunRecommendRemote(a);
  if (!a.learner.empty()) {
    return Fail(InvalidArgumentError(
        "--learner needs --server URL (the learner's verified skills live in "
        "the server); offline, pass the skills with --have"));
  }
  if (a.catalog.empty()) return Fail("--catalog is required without --server");
  if (a.target.empty() == a.need.empty())
    return Fail("give exactly one of --target OCCUPATION or --need SKILL,...");
  std::optional<pw::Framework> fw;
  if (!a.framework.empty()) {
    PW_ASSIGN_OR_FAIL(fw, LoadFramework(a.framework));
  }
  if (!a.target.empty() && !fw)
    return Fail("--target needs --framework (the occupations come from it)");
  const pw::Framework* fwp = fw ? &*fw : nullptr;
  PW_ASSIGN_OR_FAIL(std::string text, ReadFile(a.catalog, 256u << 20));
  auto parsed = pw::ParseCatalog(text, fwp);
  if (!parsed.ok()) return Fail(parsed.error().WithPrefix(a.catalog));
  const pw::Catalog& catalog = *parsed;
  pw::RecommendRequest req;
  std::string title;
  // Skills by id, or by preferred label when a framework is given.
  auto resolve = [&](const std::vector<std::string>& in,
                     std::vector<std::string>& out) -> Status {
    for (const std::string& s : in) {
      if (!fwp) {
        out.push_back(s);
        continue;
      }
      auto i = fwp->FindSkillByIdOrLabel(s);
      if (!i)
        return InvalidArgumentError("unknown skill " + s + " (not in " +
                                    fwp->info().name + ")");
      out.push_back(fwp->skills()[*i].id);
    }
    return OkStatus();
  };
  if (Status s = resolve(a.have, req.held_skills); !s.ok()) return Fail(s);
  req.held_achievements = a.have_achievements;
  if (!a.target.empty()) {
    PW_ASSIGN_OR_FAIL(req.target_skills,
                      pw::OccupationSkills(*fwp, a.target, a.include_optional));
    const pw::Occupation& occ =
        fwp->occupations()[*fwp->FindOccupationByAnyName(a.target)];
    title = "Learning path to \"" + occ.label + "\" (" + occ.id + ")";
  } else {
    if (Status s = resolve(a.need, req.target_skills); !s.ok()) return Fail(s);
    title = "Learning path to " + std::to_string(req.target_skills.size()) +
            " skill(s)";
  }
  pw::PlanOptions& o = req.options;
  PW_ASSIGN_OR_FAIL(o.objective, pw::ParseObjective(a.objective));
  o.hour_value = a.hour_value;
  if (a.max_hours >= 0) o.max_hours = a.max_hours;
  if (a.max_price >= 0) o.max_price = a.max_price;
  o.allowed_issuers = a.allow;
  o.excluded_issuers = a.exclude;
  o.trusted_issuers = a.trust;
  o.only_trusted = a.trusted_only;
  o.breadth_bonus = a.breadth_bonus;
  o.greedy = a.greedy;
  o.time_budget = std::chrono::milliseconds(a.time_budget_ms);
  std::optional<pw::Pathway> prefer;
  if (!a.prefer_pathway.empty()) {
    PW_ASSIGN_OR_FAIL(std::string pathway_text,
                      ReadFile(a.prefer_pathway, 1 << 20));
    PW_ASSIGN_OR_FAIL(prefer, pw::ParsePathway(pathway_text));
    Status s = pw::ValidatePathway(*prefer, catalog, fwp);
    if (!s.ok()) return Fail(s.WithPrefix(a.prefer_pathway));
    o.prefer_pathway = &*prefer;
    o.pathway_bonus = a.pathway_bonus;
  }
  PW_ASSIGN_OR_FAIL(pw::Plan plan, pw::Recommend(catalog, fwp, req));
  if (a.json) {
    PrintJson(pw::PlanToJson(plan, fwp));
  } else {
    PrintPlan(plan, fwp, title);
  }
  bool ok = plan.status == pw::PlanStatus::kOptimal ||
            plan.status == pw::PlanStatus::kFeasible ||
            plan.status == pw::PlanStatus::kGreedy;
  return ok ? kExitOk : kExitNo;
}

// ---- pathway progress ------------------------------------------------------

struct ProgressArgs {
  std::string pathway;
  std::string server;
  std::string learner;
  std::string learner_token;
  std::string api_key;
  std::vector<std::string> have;
  std::string catalog;
  std::string framework;
  bool json = false;
  bool greedy = false;
  int time_budget_ms = 2000;
};

// pathway progress --server URL --learner ID --pathway ID
int RunProgressRemote(const ProgressArgs& a) {
  if (a.learner.empty()) return Fail("--server needs --learner ID");
  server::ApiRequest req{.method = "GET",
                         .path = "/api/v1/learners/" + PercentEncode(a.learner) +
                                 "/pathways/" + PercentEncode(a.pathway) +
                                 (a.greedy ? "?greedy=true" : "")};
  std::string token = FlagOrEnv(a.learner_token, "CREDSTACK_LEARNER_TOKEN");
  std::string key = FlagOrEnv(a.api_key, "CREDSTACK_API_KEY");
  if (!token.empty()) req.headers.push_back({"X-Learner-Token", token});
  if (!key.empty()) req.headers.push_back({"Authorization", "Bearer " + key});
  PW_ASSIGN_OR_FAIL(json::Value v, CallJson(a.server, req));
  const json::Object& o = v.as_object();
  bool satisfied = o.at("satisfied").as_bool();
  if (a.json) {
    PrintJson(v);
    return satisfied ? kExitOk : kExitNo;
  }
  std::cout << "Pathway " << a.pathway << " for learner " << a.learner << ": "
            << (satisfied ? "SATISFIED" : "not satisfied yet") << "\n";
  if (const json::Array* rules = json::GetArray(o, "rules")) {
    for (const json::Value& r : *rules) {
      const json::Object& ro = r.as_object();
      std::string path(json::GetString(ro, "path").value_or("$"));
      size_t depth = static_cast<size_t>(std::count(path.begin(), path.end(), '['));
      std::cout << std::string(2 + 2 * depth, ' ')
                << (ro.at("satisfied").as_bool() ? "[x] " : "[ ] ")
                << json::GetString(ro, "type").value_or("");
      if (auto n = json::GetString(ro, "name")) std::cout << " \"" << *n << "\"";
      if (const json::Array* m = json::GetArray(ro, "missing"); m && !m->empty() &&
                                                               !ro.at("satisfied").as_bool()) {
        std::cout << " missing:";
        for (const json::Value& x : *m) std::cout << " " << json::Serialize(x);
      }
      std::cout << "\n";
    }
  }
  if (const json::Object* award = json::GetObject(o, "award")) {
    std::cout << "Awarded: " << json::GetString(*award, "credential").value_or("")
              << " (" << json::GetString(*award, "awarded").value_or("") << ")\n";
  }
  if (const json::Object* finish = json::GetObject(o, "finish")) {
    std::cout << "\n";
    PrintPlanJson(*finish, "Cheapest way to finish:");
  }
  return satisfied ? kExitOk : kExitNo;
}

int RunProgress(const ProgressArgs& a) {
  if (!a.server.empty()) return RunProgressRemote(a);
  if (a.have.empty() && a.learner.empty())
    return Fail("give --have ACHIEVEMENT,... (or --server URL --learner ID)");
  if (!a.learner.empty()) return Fail("--learner needs --server URL");
  PW_ASSIGN_OR_FAIL(std::string pathway_text, ReadFile(a.pathway, 1 << 20));
  auto parsed = pw::ParsePathway(pathway_text);
  if (!parsed.ok()) return Fail(parsed.error().WithPrefix(a.pathway));
  const pw::Pathway& pathway = *parsed;
  std::optional<pw::Framework> fw;
  if (!a.framework.empty()) {
    PW_ASSIGN_OR_FAIL(fw, LoadFramework(a.framework));
  }
  const pw::Framework* fwp = fw ? &*fw : nullptr;
  std::optional<pw::Catalog> catalog;
  if (!a.catalog.empty()) {
    PW_ASSIGN_OR_FAIL(std::string catalog_text,
                      ReadFile(a.catalog, 256u << 20));
    auto c = pw::ParseCatalog(catalog_text, fwp);
    if (!c.ok()) return Fail(c.error().WithPrefix(a.catalog));
    catalog.emplace(std::move(c).value());
    Status s = pw::ValidatePathway(pathway, *catalog, fwp);
    if (!s.ok()) return Fail(s.WithPrefix(a.pathway));
  }
  std::vector<std::string> held = a.have;
  if (catalog) {
    for (const std::string& h : held) {
      if (!catalog->FindAchievement(h))
        return Fail("held achievement " + h + " is not in the catalog");
    }
  }
  PW_ASSIGN_OR_FAIL(
      pw::PathwayProgress progress,
      pw::EvaluatePathway(pathway, held, catalog ? &*catalog : nullptr));
  std::optional<pw::Plan> plan;
  if (catalog && !progress.satisfied) {
    pw::PlanOptions o{
        .greedy = a.greedy,
        .time_budget = std::chrono::milliseconds(a.time_budget_ms)};
    PW_ASSIGN_OR_FAIL(plan, pw::FinishPathway(pathway, *catalog, fwp, held, o));
  }
  if (a.json) {
    json::Value v = pw::ProgressToJson(pathway, progress);
    if (plan) v.as_object()["finish"] = pw::PlanToJson(*plan, fwp);
    PrintJson(v);
  } else {
    std::cout << "Pathway "
              << (pathway.name.empty() ? pathway.id
                                       : pathway.name + " (" + pathway.id + ")")
              << ": "
              << (progress.satisfied ? "SATISFIED" : "not satisfied yet")
              << "\n";
    for (size_t i = 0; i < pathway.rules.size(); ++i) {
      const pw::PathwayRule& r = pathway.rules[i];
      const pw::RuleProgress& p = progress.rules[i];
      size_t depth =
          static_cast<size_t>(std::count(r.path.begin(), r.path.end(), '['));
      std::cout << std::string(2 + 2 * depth, ' ')
                << (p.satisfied ? "[x] " : "[ ] ")
                << pw::PathwayRuleKindName(r.kind);
      if (!r.name.empty()) std::cout << " \"" << r.name << "\"";
      if (r.kind == pw::PathwayRule::Kind::kAchievement)
        std::cout << " " << r.achievement;
      std::cout << "  (" << Num(p.have, 0) << "/" << Num(p.need, 0) << ")";
      if (!p.satisfied && !p.missing.empty()) {
        std::cout << " missing:";
        for (const std::string& m : p.missing) std::cout << " " << m;
      }
      std::cout << "\n";
    }
    if (plan) {
      std::cout << "\n";
      PrintPlan(*plan, fwp, "Cheapest way to finish:");
    } else if (!progress.satisfied) {
      std::cout << "(give --catalog to plan the cheapest way to finish)\n";
    }
  }
  return progress.satisfied ? kExitOk : kExitNo;
}

}  // namespace

void AddPathwayCommands(CLI::App& app) {
  // Options live as long as the app; commands run from callbacks.
  auto* skills =
      app.add_subcommand("skills", "Skills frameworks (ESCO, O*NET)");
  skills->require_subcommand(1);
  {
    auto args = std::make_shared<ImportArgs>();
    auto* cmd = skills->add_subcommand(
        "import", "Import and validate a skills framework");
    cmd->add_option("--format", args->format,
                    "esco, esco-sample or onet (detected when omitted)")
        ->check(CLI::IsMember({"esco", "esco-sample", "onet"}));
    cmd->add_option("dir", args->dir, "Directory with the data set's files")
        ->required();
    cmd->add_option("--out", args->out,
                    "Write a compact JSON snapshot to FILE");
    cmd->add_option("--version", args->version,
                    "Data set version (default: from the directory name)");
    cmd->add_flag("--strict", args->strict,
                  "Fail on references to undefined concepts");
    cmd->add_flag("--no-descriptions", args->no_descriptions,
                  "Drop descriptions (smaller snapshot)");
    cmd->add_option("--server", args->server,
                    "Store it in this credstack server (e.g. "
                    "http://127.0.0.1:8080); re-import updates in place");
    cmd->add_option("--framework-id", args->framework_id,
                    "Id in the server (default: the framework's name, e.g. "
                    "esco)");
    cmd->add_option("--token", args->token,
                    "Operator token for --server "
                    "[CREDSTACK_OPERATOR_TOKEN]");
    cmd->callback([args] { ExitCode() = RunImport(*args); });
  }
  {
    auto args = std::make_shared<BreadthArgs>();
    auto* cmd = skills->add_subcommand(
        "breadth", "Spread of a set of skills over skill groups");
    cmd->add_option("--framework", args->framework,
                    "Data set directory or JSON snapshot")
        ->required();
    cmd->add_option("--have", args->have,
                    "Skills held (ids or labels), comma-separated")
        ->delimiter(',')
        ->required();
    cmd->add_option("--level", args->level, "Hierarchy level (0 = top)")
        ->capture_default_str();
    cmd->add_flag("--json", args->json, "JSON output");
    cmd->callback([args] { ExitCode() = RunBreadth(*args); });
  }
  auto* path = app.add_subcommand("path", "Learning paths");
  path->require_subcommand(1);
  {
    auto args = std::make_shared<RecommendArgs>();
    auto* cmd = path->add_subcommand(
        "recommend", "Cheapest set of achievements that closes a skills gap");
    cmd->add_option("--catalog", args->catalog,
                    "Catalog JSON (docs/formats/catalog.md); with --server, "
                    "planned together with the server's achievements");
    cmd->add_option("--server", args->server,
                    "Ask this credstack server (its catalog and learners)");
    cmd->add_option("--learner-token", args->learner_token,
                    "The learner's access token [CREDSTACK_LEARNER_TOKEN]");
    cmd->add_option("--api-key", args->api_key,
                    "An API key of the learner's organization "
                    "[CREDSTACK_API_KEY]");
    auto* have =
        cmd->add_option("--have", args->have, "Skills held, comma-separated")
            ->delimiter(',');
    auto* learner = cmd->add_option(
        "--learner", args->learner,
        "Learner id: plan from its verified skills (needs --server)");
    have->excludes(learner);
    cmd->add_option("--have-achievements", args->have_achievements,
                    "Achievements held (catalog ids)")
        ->delimiter(',');
    auto* target = cmd->add_option("--target", args->target,
                                   "Occupation: id, code or label");
    auto* need =
        cmd->add_option("--need", args->need, "Skills needed, comma-separated")
            ->delimiter(',');
    target->excludes(need);
    cmd->add_flag("--include-optional", args->include_optional,
                  "Target the occupation's optional skills too");
    cmd->add_option("--framework", args->framework,
                    "Data set directory or JSON snapshot");
    cmd->add_option("--objective", args->objective, "hours, price or mix")
        ->check(CLI::IsMember({"hours", "price", "mix"}))
        ->capture_default_str();
    cmd->add_option("--hour-value", args->hour_value,
                    "Mix: price units per hour")
        ->capture_default_str();
    cmd->add_option("--max-hours", args->max_hours, "Budget of hours");
    cmd->add_option("--max-price", args->max_price, "Budget of price");
    cmd->add_option("--allow-issuer", args->allow, "Only these issuers")
        ->delimiter(',');
    cmd->add_option("--exclude-issuer", args->exclude, "Never these issuers")
        ->delimiter(',');
    cmd->add_option("--trust", args->trust,
                    "Issuers to trust besides the catalog's flags")
        ->delimiter(',');
    cmd->add_flag("--trusted-only", args->trusted_only, "Only trusted issuers");
    cmd->add_option("--breadth-bonus", args->breadth_bonus,
                    "Bonus per new top-level skill group");
    cmd->add_option("--prefer-pathway", args->prefer_pathway,
                    "Pathway JSON to prefer finishing");
    cmd->add_option("--pathway-bonus", args->pathway_bonus,
                    "Bonus when the plan finishes that pathway");
    cmd->add_flag("--greedy", args->greedy,
                  "Fast greedy plan instead of the exact optimum");
    cmd->add_option("--time-budget", args->time_budget_ms,
                    "Exact solver budget in ms")
        ->capture_default_str();
    cmd->add_flag("--json", args->json, "JSON output");
    cmd->callback([args] { ExitCode() = RunRecommend(*args); });
  }
  auto* pathway = app.add_subcommand("pathway", "Stackable pathways");
  pathway->require_subcommand(1);
  {
    auto args = std::make_shared<ProgressArgs>();
    auto* cmd = pathway->add_subcommand("progress",
                                        "Progress of a learner on a pathway");
    cmd->add_option("--pathway", args->pathway,
                    "Pathway JSON (docs/formats/pathway.md), or with --server "
                    "the pathway id")
        ->required();
    cmd->add_option("--have", args->have, "Achievements held, comma-separated")
        ->delimiter(',');
    cmd->add_option("--server", args->server,
                    "Ask this credstack server (the learner's verified "
                    "credentials)");
    cmd->add_option("--learner", args->learner, "Learner id (with --server)");
    cmd->add_option("--learner-token", args->learner_token,
                    "The learner's access token [CREDSTACK_LEARNER_TOKEN]");
    cmd->add_option("--api-key", args->api_key,
                    "An API key of the learner's organization "
                    "[CREDSTACK_API_KEY]");
    cmd->add_option("--catalog", args->catalog,
                    "Catalog JSON (credits, hours, skills; plans the rest)");
    cmd->add_option("--framework", args->framework,
                    "Data set directory or JSON snapshot");
    cmd->add_flag("--greedy", args->greedy, "Greedy plan for the rest");
    cmd->add_option("--time-budget", args->time_budget_ms,
                    "Exact solver budget in ms")
        ->capture_default_str();
    cmd->add_flag("--json", args->json, "JSON output");
    cmd->callback([args] { ExitCode() = RunProgress(*args); });
  }
}

}  // namespace credstack::cli
