#include "credstack/app/skills_service.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>
#include <utility>

#include "credstack/pathways/json_io.h"
#include "credstack/pathways/pathway.h"

namespace credstack::app {
namespace {

namespace pw = credstack::pathways;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

double Number(const json::Object& o, std::string_view key, bool* bad) {
  const json::Value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return 0;
  if (!v->is_number()) {
    *bad = true;
    return 0;
  }
  double d = v->to_number<double>();
  if (!std::isfinite(d) || d < 0) {
    *bad = true;
    return 0;
  }
  return d;
}

json::Object AlignmentToJson(const pw::Alignment& a) {
  json::Object o{{"type", json::Array{"Alignment"}}};
  auto put = [&](std::string_view k, const std::string& v) {
    if (!v.empty()) o[k] = v;
  };
  put("targetName", a.target_name);
  put("targetUrl", a.target_url);
  put("targetDescription", a.target_description);
  put("targetFramework", a.target_framework);
  put("targetCode", a.target_code);
  put("targetType", a.target_type);
  return o;
}

json::Object AchievementToCatalogJson(const pw::Achievement& a) {
  json::Array alignment, prerequisites;
  for (const pw::Alignment& al : a.alignment)
    alignment.push_back(AlignmentToJson(al));
  for (const std::string& p : a.prerequisites)
    prerequisites.push_back(json::Value(p));
  json::Object o{
      {"id", a.id},           {"name", a.name},
      {"issuer", a.issuer},   {"alignment", std::move(alignment)},
      {"hours", a.hours},     {"price", a.price},
      {"credits", a.credits}, {"prerequisites", std::move(prerequisites)}};
  if (!a.currency.empty()) o["currency"] = a.currency;
  if (a.level) o["level"] = *a.level;
  return o;
}

// "$.achievements[17].x" with 17 >= base -> "$.catalog.achievements[17-base].x"
// (errors in an uploaded catalog merged after the deployment's entries).
std::string RewriteUploadedPath(const std::string& message, size_t base) {
  const std::string key = "$.achievements[";
  size_t p = message.find(key);
  if (p == std::string::npos) return message;
  size_t q = message.find(']', p);
  if (q == std::string::npos) return message;
  size_t index = 0;
  for (size_t i = p + key.size(); i < q; ++i) {
    if (message[i] < '0' || message[i] > '9') return message;
    index = index * 10 + static_cast<size_t>(message[i] - '0');
  }
  if (index < base) return message;
  return message.substr(0, p) + "$.catalog.achievements[" +
         std::to_string(index - base) + message.substr(q);
}

// Drops prerequisite edges that close a cycle (iterative DFS), reporting
// each one.
void BreakCycles(std::vector<pw::Achievement>& achievements,
                 std::vector<std::string>& warnings) {
  std::unordered_map<std::string_view, size_t> index;
  for (size_t i = 0; i < achievements.size(); ++i)
    index.emplace(achievements[i].id, i);
  std::vector<uint8_t> color(achievements.size(), 0);  // 0 new, 1 open, 2 done
  struct Frame {
    size_t node;
    size_t next;
  };
  for (size_t root = 0; root < achievements.size(); ++root) {
    if (color[root] != 0) continue;
    std::vector<Frame> stack{{root, 0}};
    color[root] = 1;
    while (!stack.empty()) {
      Frame& f = stack.back();
      std::vector<std::string>& pre = achievements[f.node].prerequisites;
      if (f.next >= pre.size()) {
        color[f.node] = 2;
        stack.pop_back();
        continue;
      }
      size_t child = index.at(pre[f.next]);
      if (color[child] == 1) {
        warnings.push_back("achievement " + achievements[f.node].id +
                           ": prerequisite " + pre[f.next] +
                           " closes a cycle; ignored");
        pre.erase(pre.begin() + static_cast<std::ptrdiff_t>(f.next));
        continue;
      }
      ++f.next;
      if (color[child] == 0) {
        color[child] = 1;
        stack.push_back({child, 0});
      }
    }
  }
}

}  // namespace

pw::Achievement AchievementFromJson(const json::Object& o,
                                    std::string fallback_id) {
  pw::Achievement a;
  a.id = std::string(json::GetString(o, "id").value_or(fallback_id));
  a.name = std::string(json::GetString(o, "name").value_or(a.id));
  if (const json::Array* al = json::GetArray(o, "alignment")) {
    for (const json::Value& v : *al) {
      const json::Object* x = v.if_object();
      if (x == nullptr) continue;
      auto s = [&](std::string_view k) {
        return std::string(json::GetString(*x, k).value_or(""));
      };
      a.alignment.push_back(
          pw::Alignment{.target_name = s("targetName"),
                        .target_url = s("targetUrl"),
                        .target_description = s("targetDescription"),
                        .target_framework = s("targetFramework"),
                        .target_code = s("targetCode"),
                        .target_type = s("targetType")});
    }
  }
  bool bad = false;
  a.hours = Number(o, "hours", &bad);
  a.price = Number(o, "price", &bad);
  a.credits = o.contains("credits") ? Number(o, "credits", &bad)
                                    : Number(o, "creditsAvailable", &bad);
  a.currency = std::string(json::GetString(o, "currency").value_or(""));
  if (const json::Value* l = o.if_contains("level"); l && l->is_int64())
    a.level = static_cast<int>(l->as_int64());
  if (const json::Array* pre = json::GetArray(o, "prerequisites")) {
    for (const json::Value& v : *pre) {
      if (v.is_string()) a.prerequisites.emplace_back(v.as_string());
    }
  }
  return a;
}

SkillsService::SkillsService(std::shared_ptr<const AppContext> ctx,
                             SkillsServiceOptions options)
    : ctx_(std::move(ctx)), options_(std::move(options)) {}

Result<store::FrameworkImport> SkillsService::ImportFramework(
    std::string_view id, const pw::Framework& framework) {
  Result<store::FrameworkImport> out = InternalError("not run");
  Status s = ctx_->store->Transact([&](store::Tx& tx) -> Status {
    out = tx.skill_frameworks().Import(id, framework, ctx_->clock->Now());
    return out.status();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<store::SkillFramework>> SkillsService::ListFrameworks() {
  Result<std::vector<store::SkillFramework>> out = InternalError("not run");
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) {
    out = tx.skill_frameworks().List();
    return out.status();
  }));
  return out;
}

Result<std::string> SkillsService::ResolveFrameworkId(
    std::string_view requested) {
  CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::SkillFramework> all,
                             ListFrameworks());
  auto has = [&](std::string_view id) {
    return std::any_of(all.begin(), all.end(),
                       [&](const auto& f) { return f.id == id; });
  };
  if (!requested.empty()) {
    if (has(requested)) return std::string(requested);
    return NotFoundError("skills framework \"" + std::string(requested) +
                         "\" has not been imported");
  }
  if (has(options_.default_framework)) return options_.default_framework;
  if (!all.empty()) return all.front().id;
  return NotFoundError(
      "no skills framework has been imported (credstack skills import "
      "--server URL DIR)");
}

Result<std::shared_ptr<const pw::Framework>> SkillsService::Framework(
    std::string_view id) {
  store::SkillFramework record;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(record, tx.skill_frameworks().Get(id));
    return OkStatus();
  }));
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = frameworks_.find(id);
    if (it != frameworks_.end() && it->second.revision == record.revision) {
      return it->second.framework;
    }
  }
  // Loaded outside the lock; two threads may both load, the last one wins.
  std::shared_ptr<const pw::Framework> fw;
  int64_t revision = 0;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(store::SkillFramework r,
                               tx.skill_frameworks().Get(id));
    revision = r.revision;
    CREDSTACK_ASSIGN_OR_RETURN(pw::Framework loaded,
                               tx.skill_frameworks().Load(id));
    fw = std::make_shared<const pw::Framework>(std::move(loaded));
    return OkStatus();
  }));
  std::lock_guard<std::mutex> lock(mu_);
  frameworks_[std::string(id)] = CachedFramework{revision, fw};
  return fw;
}

namespace {

// Rank of a label against a lower-case query: 0 exact, 1 prefix, 2 word
// prefix, 3 substring, -1 no match.
int Rank(std::string_view label_lower, std::string_view q) {
  if (label_lower == q) return 0;
  size_t p = label_lower.find(q);
  if (p == std::string_view::npos) return -1;
  if (p == 0) return 1;
  if (label_lower[p - 1] == ' ') return 2;
  return 3;
}

template <typename T, typename IdCode>
std::vector<uint32_t> Search(std::span<const T> items, std::string_view q_in,
                             size_t limit, IdCode id_code) {
  std::string q = Lower(q_in);
  struct Hit {
    int rank;
    size_t len;
    uint32_t index;
  };
  std::vector<Hit> hits;
  for (uint32_t i = 0; i < items.size(); ++i) {
    const T& item = items[i];
    if (id_code(item, q_in)) {
      hits.push_back({-1, 0, i});
      continue;
    }
    if (q.empty()) {
      hits.push_back({4, item.label.size(), i});
      continue;
    }
    int r = Rank(Lower(item.label), q);
    if (r >= 0) hits.push_back({r, item.label.size(), i});
  }
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return std::tie(a.rank, a.len, a.index) < std::tie(b.rank, b.len, b.index);
  });
  std::vector<uint32_t> out;
  for (size_t i = 0; i < hits.size() && i < limit; ++i)
    out.push_back(hits[i].index);
  return out;
}

}  // namespace

Result<std::vector<uint32_t>> SkillsService::SearchSkills(
    const pw::Framework& fw, std::string_view q, size_t limit) const {
  limit = std::clamp<size_t>(limit, 1, options_.max_search_results);
  return Search<pw::Skill>(
      fw.skills(), q, limit,
      [](const pw::Skill& s, std::string_view raw) { return s.id == raw; });
}

Result<std::vector<uint32_t>> SkillsService::SearchOccupations(
    const pw::Framework& fw, std::string_view q, size_t limit) const {
  limit = std::clamp<size_t>(limit, 1, options_.max_search_results);
  return Search<pw::Occupation>(
      fw.occupations(), q, limit,
      [](const pw::Occupation& o, std::string_view raw) {
        return o.id == raw || (!o.code.empty() && o.code == raw);
      });
}

Result<std::shared_ptr<const DeploymentCatalog>> SkillsService::Catalog(
    std::string_view framework) {
  std::string fid;
  std::shared_ptr<const pw::Framework> fw;
  Result<std::string> resolved = ResolveFrameworkId(framework);
  if (resolved.ok()) {
    fid = *resolved;
    CREDSTACK_ASSIGN_OR_RETURN(fw, Framework(fid));
  } else if (!framework.empty() ||
             resolved.status().code() != Code::kNotFound) {
    return resolved.status();
  }
  int64_t versions = 0;
  int64_t revision = 0;
  std::string planning_revision;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(versions,
                               tx.skill_frameworks().AchievementVersionCount());
    CREDSTACK_ASSIGN_OR_RETURN(planning_revision,
                               tx.skill_frameworks().PlanningRevision());
    if (!fid.empty()) {
      CREDSTACK_ASSIGN_OR_RETURN(store::SkillFramework r,
                                 tx.skill_frameworks().Get(fid));
      revision = r.revision;
    }
    return OkStatus();
  }));
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = catalogs_.find(fid);
    if (it != catalogs_.end() && it->second->achievement_versions == versions &&
        it->second->framework_revision == revision &&
        it->second->planning_revision == planning_revision &&
        it->second->framework == fw) {
      return it->second;
    }
  }
  auto view = std::make_shared<DeploymentCatalog>();
  view->framework = fw;
  view->framework_id = fid;
  view->framework_revision = revision;
  std::vector<pw::Achievement> achievements;
  std::vector<pw::Issuer> issuers;
  std::vector<store::AchievementSkill> index_rows;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(view->achievement_versions,
                               tx.skill_frameworks().AchievementVersionCount());
    CREDSTACK_ASSIGN_OR_RETURN(view->planning_revision,
                               tx.skill_frameworks().PlanningRevision());
    std::map<std::string, store::AchievementPlanning, std::less<>> planning;
    {
      CREDSTACK_ASSIGN_OR_RETURN(auto rows,
                                 tx.skill_frameworks().ListPlanning());
      for (store::AchievementPlanning& p : rows) {
        std::string key = p.achievement_id;
        planning.emplace(std::move(key), std::move(p));
      }
    }
    std::string after_org;
    while (true) {
      CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::Organization> orgs,
                                 tx.organizations().List(after_org, 1000));
      if (orgs.empty()) break;
      after_org = orgs.back().id;
      for (const store::Organization& org : orgs) {
        const std::string did = ctx_->urls.IssuerDid(org.slug);
        std::string org_name = org.slug;
        if (auto profile = json::Parse(org.profile_json);
            profile.ok() && profile->is_object()) {
          org_name = std::string(
              json::GetString(profile->as_object(), "name").value_or(org.slug));
        }
        issuers.push_back(
            pw::Issuer{.id = did, .name = org_name, .trusted = true});
        std::string after_ach;
        while (true) {
          CREDSTACK_ASSIGN_OR_RETURN(
              std::vector<store::AchievementVersion> page,
              tx.achievements().ListLatest(org.id, after_ach, 1000));
          if (page.empty()) break;
          after_ach = page.back().achievement_id;
          for (const store::AchievementVersion& v : page) {
            auto parsed = json::Parse(v.achievement_json);
            if (!parsed.ok() || !parsed->is_object()) {
              view->warnings.push_back("achievement " + v.achievement_id +
                                       ": not a JSON object; skipped");
              continue;
            }
            pw::Achievement a =
                AchievementFromJson(parsed->as_object(), v.achievement_id);
            a.issuer = did;
            if (auto pl = planning.find(v.achievement_id);
                pl != planning.end()) {
              a.hours = pl->second.hours;
              a.price = pl->second.price;
              a.currency = pl->second.currency;
              if (pl->second.credits) a.credits = *pl->second.credits;
              if (pl->second.level)
                a.level = static_cast<int>(*pl->second.level);
              a.prerequisites = pl->second.prerequisites;
            }
            for (const pw::Alignment& al : a.alignment) {
              Result<std::string> skill = pw::ResolveAlignment(al, fw.get());
              if (!skill.ok()) continue;
              index_rows.push_back({.achievement_id = v.achievement_id,
                                    .version = v.version,
                                    .skill_id = *skill,
                                    .target_name = al.target_name});
            }
            view->refs[a.id] = {org.id, v.achievement_id, v.version};
            achievements.push_back(std::move(a));
          }
        }
      }
    }
    return OkStatus();
  }));
  // Repairs: duplicate ids, alignments outside the framework, unknown or
  // cyclic prerequisites.
  {
    std::set<std::string, std::less<>> seen;
    std::vector<pw::Achievement> kept;
    for (pw::Achievement& a : achievements) {
      if (!seen.insert(a.id).second) {
        view->warnings.push_back("achievement " + a.id +
                                 ": duplicate id; later copy skipped");
        continue;
      }
      std::vector<pw::Alignment> aligned;
      for (pw::Alignment& al : a.alignment) {
        Result<std::string> skill = pw::ResolveAlignment(al, fw.get());
        if (skill.ok()) {
          aligned.push_back(std::move(al));
        } else {
          view->warnings.push_back("achievement " + a.id + ": " +
                                   skill.status().message() + "; ignored");
        }
      }
      a.alignment = std::move(aligned);
      kept.push_back(std::move(a));
    }
    achievements = std::move(kept);
    for (pw::Achievement& a : achievements) {
      std::vector<std::string> pre;
      for (std::string& p : a.prerequisites) {
        if (seen.count(p) && p != a.id) {
          pre.push_back(std::move(p));
        } else {
          view->warnings.push_back("achievement " + a.id +
                                   ": unknown prerequisite " + p + "; ignored");
        }
      }
      a.prerequisites = std::move(pre);
    }
    BreakCycles(achievements, view->warnings);
  }
  for (const pw::Achievement& a : achievements)
    view->achievements_json.push_back(AchievementToCatalogJson(a));
  for (const pw::Issuer& i : issuers) {
    view->issuers_json.push_back(
        json::Object{{"id", i.id}, {"name", i.name}, {"trusted", i.trusted}});
  }
  if (!achievements.empty()) {
    Result<pw::Catalog> built =
        pw::Catalog::Build(std::move(achievements), std::move(issuers),
                           fw.get(), options_.catalog);
    if (!built.ok()) return built.status().WithPrefix("deployment catalog");
    view->catalog.emplace(std::move(built).value());
  }
  if (!index_rows.empty()) {
    // The alignment index; idempotent, so racing nodes are harmless.
    CREDSTACK_RETURN_IF_ERROR(ctx_->store->Transact([&](store::Tx& tx) {
      return tx.skill_frameworks().IndexAchievement(index_rows);
    }));
  }
  std::shared_ptr<const DeploymentCatalog> out = std::move(view);
  std::lock_guard<std::mutex> lock(mu_);
  catalogs_[fid] = out;
  return out;
}

json::Value PlanningToJson(const store::AchievementPlanning& p) {
  json::Array pre;
  for (const std::string& x : p.prerequisites) pre.push_back(json::Value(x));
  json::Object o{{"achievement", p.achievement_id},
                 {"hours", p.hours},
                 {"price", p.price},
                 {"prerequisites", std::move(pre)},
                 {"updated", FormatDateTime(p.updated)}};
  if (!p.currency.empty()) o["currency"] = p.currency;
  if (p.credits) o["credits"] = *p.credits;
  if (p.level) o["level"] = *p.level;
  return o;
}

Result<store::AchievementPlanning> SkillsService::GetPlanning(
    std::string_view org_id, std::string_view achievement_id) {
  Result<store::AchievementPlanning> out = InternalError("not run");
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(
        tx.achievements().GetLatest(org_id, achievement_id).status());
    out = tx.skill_frameworks().GetPlanning(achievement_id);
    return out.status();
  }));
  return out;
}

Result<store::AchievementPlanning> SkillsService::SetPlanning(
    std::string_view org_id, std::string_view achievement_ref,
    const json::Value& body) {
  if (!body.is_object()) {
    return InvalidArgumentError("$: planning attributes must be an object");
  }
  const json::Object& in = body.as_object();
  store::AchievementPlanning p;
  for (const auto& member : in) {
    std::string_view k = member.key();
    if (k != "hours" && k != "price" && k != "currency" && k != "credits" &&
        k != "level" && k != "prerequisites") {
      return InvalidArgumentError(
          "$." + std::string(k) +
          ": unknown member (hours, price, currency, credits, level, "
          "prerequisites)");
    }
  }
  auto number = [&](std::string_view k) -> Result<std::optional<double>> {
    const json::Value* v = in.if_contains(k);
    if (v == nullptr || v->is_null()) return std::optional<double>();
    if (!v->is_number() || !std::isfinite(v->to_number<double>()) ||
        v->to_number<double>() < 0) {
      return InvalidArgumentError("$." + std::string(k) +
                                  ": must be a non-negative number");
    }
    return std::optional<double>(v->to_number<double>());
  };
  CREDSTACK_ASSIGN_OR_RETURN(auto hours, number("hours"));
  CREDSTACK_ASSIGN_OR_RETURN(auto price, number("price"));
  CREDSTACK_ASSIGN_OR_RETURN(p.credits, number("credits"));
  p.hours = hours.value_or(0);
  p.price = price.value_or(0);
  if (const json::Value* c = in.if_contains("currency"); c && !c->is_null()) {
    if (!c->is_string())
      return InvalidArgumentError("$.currency: must be a string");
    p.currency = std::string(c->as_string());
  }
  if (const json::Value* l = in.if_contains("level"); l && !l->is_null()) {
    if (!l->is_int64())
      return InvalidArgumentError("$.level: must be an integer");
    p.level = l->as_int64();
  }
  if (const json::Value* pre = in.if_contains("prerequisites");
      pre && !pre->is_null()) {
    if (!pre->is_array()) {
      return InvalidArgumentError("$.prerequisites: must be an array of ids");
    }
    if (pre->as_array().size() > options_.catalog.max_prerequisites) {
      return ResourceExhaustedError("$.prerequisites: too many entries");
    }
    for (size_t i = 0; i < pre->as_array().size(); ++i) {
      const json::Value& e = pre->as_array()[i];
      if (!e.is_string()) {
        return InvalidArgumentError("$.prerequisites[" + std::to_string(i) +
                                    "]: must be a string");
      }
      p.prerequisites.emplace_back(e.as_string());
    }
  }
  CREDSTACK_ASSIGN_OR_RETURN(std::shared_ptr<const DeploymentCatalog> view,
                             Catalog(""));
  // Resolve the achievement (store id, or Achievement.id within the org).
  std::string store_id(achievement_ref);
  std::string ob_id;
  for (const auto& [id, ref] : view->refs) {
    if (ref.org_id != org_id) continue;
    if (id == achievement_ref || ref.achievement_id == achievement_ref) {
      store_id = ref.achievement_id;
      ob_id = id;
    }
  }
  store::AchievementVersion latest;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(latest,
                               tx.achievements().GetLatest(org_id, store_id));
    return OkStatus();
  }));
  if (ob_id.empty()) ob_id = store_id;
  p.achievement_id = store_id;
  // The catalog entry as it would be, checked with the others.
  json::Object entry{{"id", ob_id},
                     {"name", ob_id},
                     {"issuer", "self"},
                     {"hours", p.hours},
                     {"price", p.price}};
  json::Array pre;
  for (const std::string& x : p.prerequisites) pre.push_back(json::Value(x));
  entry["prerequisites"] = std::move(pre);
  if (p.credits) entry["credits"] = *p.credits;
  Status valid = ValidateAchievementPlanning(*view, entry);
  if (!valid.ok()) return valid;
  p.updated = ctx_->clock->Now();
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Transact(
      [&](store::Tx& tx) { return tx.skill_frameworks().PutPlanning(p); }));
  return p;
}

Status ValidateAchievementPlanning(const DeploymentCatalog& catalog,
                                   const json::Object& achievement) {
  json::Array achievements = catalog.achievements_json;
  const std::string id(json::GetString(achievement, "id").value_or(""));
  // A new version replaces the achievement's current entry.
  achievements.erase(std::remove_if(achievements.begin(), achievements.end(),
                                    [&](const json::Value& v) {
                                      auto other =
                                          json::GetString(v.as_object(), "id");
                                      return other && *other == id;
                                    }),
                     achievements.end());
  json::Object entry = achievement;
  if (!entry.contains("issuer") && !entry.contains("creator"))
    entry["issuer"] = "unknown";
  achievements.push_back(std::move(entry));
  const size_t self = achievements.size() - 1;
  json::Object doc{{"issuers", catalog.issuers_json},
                   {"achievements", std::move(achievements)}};
  Result<pw::Catalog> parsed = pw::ParseCatalog(
      json::Serialize(doc), catalog.framework.get(), pw::CatalogOptions{});
  if (parsed.ok()) return OkStatus();
  // Report the path relative to the achievement itself.
  std::string message = parsed.status().message();
  const std::string mine = "$.achievements[" + std::to_string(self) + "]";
  if (size_t p = message.find(mine); p != std::string::npos) {
    message.replace(p, mine.size(), "$");
  }
  return InvalidArgumentError(message);
}

Result<json::Value> SkillsService::Recommend(const RecommendInput& in) {
  if (in.target.empty() == in.need.empty()) {
    return InvalidArgumentError(
        "give exactly one of target (an occupation) or need (skills)");
  }
  CREDSTACK_ASSIGN_OR_RETURN(std::shared_ptr<const DeploymentCatalog> view,
                             Catalog(in.framework));
  const pw::Framework* fw = view->framework.get();
  if (!in.target.empty() && fw == nullptr) {
    return InvalidArgumentError(
        "target needs a skills framework (none has been imported)");
  }
  std::optional<pw::Catalog> merged;
  const pw::Catalog* catalog = view->catalog ? &*view->catalog : nullptr;
  size_t uploaded = 0;
  if (in.catalog) {
    const json::Object* up = in.catalog->if_object();
    if (up == nullptr) {
      return InvalidArgumentError("$.catalog: expected an object, got " +
                                  std::string(json::TypeName(*in.catalog)));
    }
    json::Array achievements = view->achievements_json;
    json::Array issuers = view->issuers_json;
    const size_t base = achievements.size();
    if (const json::Value* a = up->if_contains("achievements")) {
      if (!a->is_array()) {
        return InvalidArgumentError(
            "$.catalog.achievements: expected an array");
      }
      uploaded = a->as_array().size();
      for (const json::Value& v : a->as_array()) achievements.push_back(v);
    }
    if (const json::Value* is = up->if_contains("issuers")) {
      if (!is->is_array()) {
        return InvalidArgumentError("$.catalog.issuers: expected an array");
      }
      for (const json::Value& v : is->as_array()) issuers.push_back(v);
    }
    json::Object doc{{"issuers", std::move(issuers)},
                     {"achievements", std::move(achievements)}};
    Result<pw::Catalog> parsed =
        pw::ParseCatalog(json::Serialize(doc), fw, options_.catalog);
    if (!parsed.ok()) {
      std::string message =
          RewriteUploadedPath(parsed.status().message(), base);
      if (message.rfind("$.achievements:", 0) == 0)
        message = "$.catalog" + message.substr(1);
      return Status(parsed.status().code(), message);
    }
    merged.emplace(std::move(parsed).value());
    catalog = &*merged;
  }
  if (catalog == nullptr) {
    return InvalidArgumentError(
        "$.achievements: the catalog has no achievements (this deployment "
        "has none with planning attributes, and no catalog was uploaded)");
  }
  pw::RecommendRequest req;
  req.options = in.options;
  req.options.prefer_pathway = nullptr;
  if (req.options.time_budget > options_.max_time_budget)
    req.options.time_budget = options_.max_time_budget;
  auto resolve = [&](const std::vector<std::string>& src,
                     std::vector<std::string>& out,
                     std::string_view field) -> Status {
    for (size_t i = 0; i < src.size(); ++i) {
      if (fw == nullptr) {
        out.push_back(src[i]);
        continue;
      }
      auto s = fw->FindSkillByIdOrLabel(src[i]);
      if (!s) {
        return InvalidArgumentError("$." + std::string(field) + "[" +
                                    std::to_string(i) + "]: unknown skill " +
                                    src[i] + " (not in " + fw->info().name +
                                    " " + fw->info().version + ")");
      }
      out.push_back(fw->skills()[*s].id);
    }
    return OkStatus();
  };
  CREDSTACK_RETURN_IF_ERROR(resolve(in.have, req.held_skills, "have"));
  json::Array ignored;
  for (const std::string& a : in.have_achievements) {
    if (catalog->FindAchievement(a)) {
      req.held_achievements.push_back(a);
    } else {
      ignored.push_back(json::Value(a));
    }
  }
  json::Object target;
  if (!in.target.empty()) {
    auto occ = fw->FindOccupationByAnyName(in.target);
    if (!occ) {
      return InvalidArgumentError("$.target: unknown occupation " + in.target +
                                  " (not in " + fw->info().name + " " +
                                  fw->info().version + ")");
    }
    CREDSTACK_ASSIGN_OR_RETURN(
        req.target_skills, pw::OccupationSkills(*fw, fw->occupations()[*occ].id,
                                                in.include_optional));
    const pw::Occupation& o = fw->occupations()[*occ];
    target = {{"occupation", o.id}, {"label", o.label}, {"code", o.code}};
  } else {
    CREDSTACK_RETURN_IF_ERROR(resolve(in.need, req.target_skills, "need"));
    target = {{"skills", req.target_skills.size()}};
  }
  std::optional<pw::Pathway> prefer;
  if (!in.prefer_pathway.empty()) {
    std::string definition;
    CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
      CREDSTACK_ASSIGN_OR_RETURN(store::PathwayRecord p,
                                 tx.pathways().Get(in.prefer_pathway));
      definition = std::move(p.definition_json);
      return OkStatus();
    }));
    CREDSTACK_ASSIGN_OR_RETURN(prefer, pw::ParsePathway(definition));
    CREDSTACK_RETURN_IF_ERROR(
        pw::ValidatePathway(*prefer, *catalog, fw)
            .WithPrefix("preferPathway " + in.prefer_pathway));
    req.options.prefer_pathway = &*prefer;
  }
  CREDSTACK_ASSIGN_OR_RETURN(pw::Plan plan, pw::Recommend(*catalog, fw, req));
  json::Value out = pw::PlanToJson(plan, fw);
  json::Object& o = out.as_object();
  o["target"] = std::move(target);
  if (fw != nullptr) {
    o["framework"] = json::Object{{"id", view->framework_id},
                                  {"name", fw->info().name},
                                  {"version", fw->info().version}};
    o["source"] = fw->info().attribution;
  }
  o["catalog"] = json::Object{{"achievements", catalog->achievements().size()},
                              {"uploaded", uploaded},
                              {"warnings", view->warnings.size()}};
  if (!ignored.empty()) o["ignoredAchievements"] = std::move(ignored);
  return out;
}

}  // namespace credstack::app
