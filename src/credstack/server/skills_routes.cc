#include "credstack/server/skills_routes.h"

#include <charconv>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "credstack/app/clr.h"
#include "credstack/pathways/breadth.h"
#include "credstack/pathways/json_io.h"

namespace credstack::server {
namespace {

namespace pw = credstack::pathways;

constexpr size_t kMaxSnapshotBytes = 64u << 20;

std::vector<std::string> JsonTypes() {
  return {"application/json", "application/ld+json"};
}

Response Fail(const Status& s, StatusContext ctx = StatusContext::kValidation) {
  return Response::FromStatus(s, ctx);
}

// ---- small typed readers for request bodies (errors name the JSON path)

Result<std::string> OptString(const json::Object& o, std::string_view key) {
  const json::Value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string()) {
    return InvalidArgumentError("$." + std::string(key) +
                                ": expected a string, got " +
                                std::string(json::TypeName(*v)));
  }
  return std::string(v->as_string());
}

Result<std::vector<std::string>> OptStrings(const json::Object& o,
                                            std::string_view key,
                                            std::string_view path = "$.") {
  std::vector<std::string> out;
  const json::Value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) {
    return InvalidArgumentError(std::string(path) + std::string(key) +
                                ": expected an array of strings");
  }
  if (v->as_array().size() > 10'000) {
    return ResourceExhaustedError(std::string(path) + std::string(key) +
                                  ": more than 10000 entries");
  }
  for (size_t i = 0; i < v->as_array().size(); ++i) {
    const json::Value& e = v->as_array()[i];
    if (!e.is_string()) {
      return InvalidArgumentError(std::string(path) + std::string(key) + "[" +
                                  std::to_string(i) + "]: expected a string");
    }
    out.emplace_back(e.as_string());
  }
  return out;
}

Result<std::optional<double>> OptNumber(const json::Object& o,
                                        std::string_view key,
                                        std::string_view path = "$.") {
  const json::Value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<double>();
  if (!v->is_number() || v->to_number<double>() < 0) {
    return InvalidArgumentError(std::string(path) + std::string(key) +
                                ": expected a non-negative number");
  }
  return std::optional<double>(v->to_number<double>());
}

Result<bool> OptBool(const json::Object& o, std::string_view key,
                     std::string_view path = "$.") {
  const json::Value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return false;
  if (!v->is_bool()) {
    return InvalidArgumentError(std::string(path) + std::string(key) +
                                ": expected true or false");
  }
  return v->as_bool();
}

size_t QueryLimit(const Request& req, size_t def) {
  auto q = req.Query("limit");
  if (!q) return def;
  size_t n = 0;
  auto [p, ec] = std::from_chars(q->data(), q->data() + q->size(), n);
  if (ec != std::errc() || p != q->data() + q->size()) return def;
  return n;
}

json::Object FrameworkJson(const store::SkillFramework& f) {
  return {{"id", f.id},
          {"name", f.name},
          {"version", f.version},
          {"attribution", f.attribution},
          {"format", f.format},
          {"revision", f.revision},
          {"updated", FormatDateTime(f.updated)}};
}

struct FrameworkPick {
  std::string id;
  std::shared_ptr<const pw::Framework> fw;
};

Result<FrameworkPick> PickFramework(app::SkillsService& skills,
                                    const Request& req) {
  FrameworkPick p;
  CREDSTACK_ASSIGN_OR_RETURN(
      p.id, skills.ResolveFrameworkId(req.Query("framework").value_or("")));
  CREDSTACK_ASSIGN_OR_RETURN(p.fw, skills.Framework(p.id));
  return p;
}

json::Object Described(const FrameworkPick& p) {
  return {{"framework", json::Object{{"id", p.id},
                                     {"name", p.fw->info().name},
                                     {"version", p.fw->info().version}}},
          {"source", p.fw->info().attribution}};
}

json::Array TopGroups(const pw::Framework& fw, uint32_t skill) {
  json::Array out;
  for (uint32_t g : fw.GroupsAtLevel(skill, 0)) {
    out.push_back(json::Object{{"id", fw.groups()[g].id},
                               {"label", fw.groups()[g].label}});
  }
  return out;
}

// Learner access (docs/skills-api.md, "Access"): the learner's own token,
// or an API key of the organization managing it (issuer role to write).
Result<store::Learner> AuthorizeLearner(const SkillsServices& s,
                                        const Request& req,
                                        std::string_view learner_id,
                                        bool write) {
  std::string_view token = req.Header(kLearnerTokenHeader);
  if (!token.empty()) {
    Result<store::Learner> l = s.learners->CheckToken(learner_id, token);
    if (!l.ok() && l.status().code() == Code::kNotFound) {
      return UnauthenticatedError("invalid learner token");
    }
    return l;
  }
  const Principal* p = req.principal();
  if (p == nullptr) {
    return UnauthenticatedError(
        "send the learner's X-Learner-Token, or an API key of the "
        "organization that manages the learner");
  }
  CREDSTACK_ASSIGN_OR_RETURN(store::Learner l, s.learners->Get(learner_id));
  if (!l.org_id || *l.org_id != p->org_id) {
    return PermissionDeniedError(
        "the learner is managed by another organization");
  }
  if (write && static_cast<int>(p->role) < static_cast<int>(Role::kIssuer)) {
    return PermissionDeniedError("this needs a key with the issuer role");
  }
  return l;
}

Result<app::RecommendInput> ParseRecommendInput(const json::Object& o) {
  app::RecommendInput in;
  CREDSTACK_ASSIGN_OR_RETURN(in.have, OptStrings(o, "have"));
  CREDSTACK_ASSIGN_OR_RETURN(in.have_achievements,
                             OptStrings(o, "haveAchievements"));
  CREDSTACK_ASSIGN_OR_RETURN(in.target, OptString(o, "target"));
  CREDSTACK_ASSIGN_OR_RETURN(in.need, OptStrings(o, "need"));
  CREDSTACK_ASSIGN_OR_RETURN(in.include_optional,
                             OptBool(o, "includeOptional"));
  CREDSTACK_ASSIGN_OR_RETURN(in.framework, OptString(o, "framework"));
  CREDSTACK_ASSIGN_OR_RETURN(std::string objective, OptString(o, "objective"));
  if (!objective.empty()) {
    Result<pw::Objective> obj = pw::ParseObjective(objective);
    if (!obj.ok()) {
      return InvalidArgumentError("$.objective: must be hours, price or mix");
    }
    in.options.objective = *obj;
  }
  pw::PlanOptions& opt = in.options;
  CREDSTACK_ASSIGN_OR_RETURN(auto hour_value, OptNumber(o, "hourValue"));
  if (hour_value) opt.hour_value = *hour_value;
  CREDSTACK_ASSIGN_OR_RETURN(auto breadth, OptNumber(o, "breadthBonus"));
  if (breadth) opt.breadth_bonus = *breadth;
  CREDSTACK_ASSIGN_OR_RETURN(auto pathway_bonus, OptNumber(o, "pathwayBonus"));
  if (pathway_bonus) opt.pathway_bonus = *pathway_bonus;
  CREDSTACK_ASSIGN_OR_RETURN(in.prefer_pathway, OptString(o, "preferPathway"));
  CREDSTACK_ASSIGN_OR_RETURN(opt.greedy, OptBool(o, "greedy"));
  CREDSTACK_ASSIGN_OR_RETURN(auto budget, OptNumber(o, "timeBudgetMs"));
  if (budget) {
    opt.time_budget = std::chrono::milliseconds(static_cast<int64_t>(*budget));
  }
  if (const json::Value* c = o.if_contains("constraints"); c && !c->is_null()) {
    if (!c->is_object()) {
      return InvalidArgumentError("$.constraints: expected an object");
    }
    const json::Object& co = c->as_object();
    constexpr std::string_view kPath = "$.constraints.";
    CREDSTACK_ASSIGN_OR_RETURN(opt.max_hours, OptNumber(co, "maxHours", kPath));
    CREDSTACK_ASSIGN_OR_RETURN(opt.max_price, OptNumber(co, "maxPrice", kPath));
    CREDSTACK_ASSIGN_OR_RETURN(opt.allowed_issuers,
                               OptStrings(co, "allowedIssuers", kPath));
    CREDSTACK_ASSIGN_OR_RETURN(opt.excluded_issuers,
                               OptStrings(co, "excludedIssuers", kPath));
    CREDSTACK_ASSIGN_OR_RETURN(opt.trusted_issuers,
                               OptStrings(co, "trustedIssuers", kPath));
    CREDSTACK_ASSIGN_OR_RETURN(opt.only_trusted,
                               OptBool(co, "onlyTrusted", kPath));
  }
  if (const json::Value* c = o.if_contains("catalog"); c && !c->is_null()) {
    in.catalog = *c;
  }
  return in;
}

RouteSpec Spec(Method method, std::string pattern, Handler handler,
               Policy policy, std::string summary, bool body = false,
               int success = 0) {
  RouteSpec r{.method = method,
              .pattern = std::move(pattern),
              .handler = std::move(handler),
              .policy = policy,
              .summary = std::move(summary),
              .tag = "skills",
              .blocking = true};
  if (body) r.consumes = JsonTypes();
  if (method == Method::kPost) r.success_status = 201;
  if (success != 0) r.success_status = success;
  return r;
}

}  // namespace

Status AddSkillsRoutes(Router& router, SkillsServices s) {
  auto skills = s.skills;
  auto learners = s.learners;
  auto pathways = s.pathways;

  // ---- frameworks, skills, occupations ------------------------------------
  CREDSTACK_RETURN_IF_ERROR(router.Add(Spec(
      Method::kGet, "/api/v1/frameworks",
      [skills](Request&) {
        Result<std::vector<store::SkillFramework>> all =
            skills->ListFrameworks();
        if (!all.ok()) return Fail(all.status());
        json::Array out;
        for (const store::SkillFramework& f : *all)
          out.push_back(FrameworkJson(f));
        return Response::Json(200,
                              json::Object{{"frameworks", std::move(out)}});
      },
      Policy::kPublic, "Skills frameworks imported into this deployment")));

  RouteSpec import = Spec(
      Method::kPost, "/api/v1/frameworks/{framework}",
      [skills](Request& req) {
        // Frameworks are deployment-wide: the operator token only.
        if (req.principal() == nullptr || !req.principal()->org_id.empty()) {
          return Fail(PermissionDeniedError(
              "importing a skills framework needs the operator token"));
        }
        std::string id(req.PathParameter("framework"));
        bool id_ok = !id.empty() && id.size() <= 64;
        for (char c : id) {
          id_ok = id_ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '_');
        }
        if (!id_ok) {
          return Fail(InvalidArgumentError(
              "framework id must be 1-64 characters of [a-z0-9_-]"));
        }
        Result<pw::Framework> fw = pw::FrameworkFromJson(
            req.body(), pw::SnapshotOptions{.max_bytes = kMaxSnapshotBytes});
        if (!fw.ok()) return Fail(fw.status());
        Result<store::FrameworkImport> r = skills->ImportFramework(id, *fw);
        if (!r.ok()) return Fail(r.status());
        const pw::FrameworkDiff& d = r->diff;
        auto counts = [](const std::vector<std::string>& a,
                         const std::vector<std::string>& rm,
                         const std::vector<std::string>& ch) {
          return json::Object{{"added", a.size()},
                              {"removed", rm.size()},
                              {"changed", ch.size()}};
        };
        json::Object out{
            {"framework", FrameworkJson(r->framework)},
            {"created", r->created},
            {"skills", fw->skills().size()},
            {"groups", fw->groups().size()},
            {"occupations", fw->occupations().size()},
            {"relations", fw->relation_count()},
            {"changes",
             json::Object{{"skills", counts(d.added_skills, d.removed_skills,
                                            d.changed_skills)},
                          {"groups", counts(d.added_groups, d.removed_groups,
                                            d.changed_groups)},
                          {"occupations",
                           counts(d.added_occupations, d.removed_occupations,
                                  d.changed_occupations)}}},
            {"source", r->framework.attribution}};
        return Response::Json(r->created ? 201 : 200, out);
      },
      Policy::kAdmin,
      "Import (or update in place) a skills framework from a snapshot "
      "(docs/formats/framework-snapshot.md)",
      true);
  import.upload = true;
  import.max_body = kMaxSnapshotBytes;
  CREDSTACK_RETURN_IF_ERROR(router.Add(std::move(import)));

  CREDSTACK_RETURN_IF_ERROR(router.Add(Spec(
      Method::kGet, "/api/v1/skills",
      [skills](Request& req) {
        Result<FrameworkPick> p = PickFramework(*skills, req);
        if (!p.ok()) return Fail(p.status());
        const pw::Framework& fw = *p->fw;
        Result<std::vector<uint32_t>> hits = skills->SearchSkills(
            fw, req.Query("q").value_or(""), QueryLimit(req, 20));
        if (!hits.ok()) return Fail(hits.status());
        json::Array results;
        for (uint32_t i : *hits) {
          const pw::Skill& sk = fw.skills()[i];
          results.push_back(
              json::Object{{"id", sk.id},
                           {"label", sk.label},
                           {"type", pw::SkillTypeName(sk.type)},
                           {"reuse", pw::ReuseLevelName(sk.reuse)},
                           {"groups", TopGroups(fw, i)}});
        }
        json::Object out = Described(*p);
        out["query"] = req.Query("q").value_or("");
        out["results"] = std::move(results);
        return Response::Json(200, out);
      },
      Policy::kPublic, "Search skills by label, id or code")));

  CREDSTACK_RETURN_IF_ERROR(router.Add(Spec(
      Method::kGet, "/api/v1/skills/{skill}",
      [skills](Request& req) {
        Result<FrameworkPick> p = PickFramework(*skills, req);
        if (!p.ok()) return Fail(p.status());
        const pw::Framework& fw = *p->fw;
        auto i = fw.FindSkill(req.PathParameter("skill"));
        if (!i)
          return Fail(NotFoundError("no such skill in " + fw.info().name));
        const pw::Skill& sk = fw.skills()[*i];
        json::Array broader;
        for (uint32_t g : sk.broader_groups) {
          broader.push_back(json::Object{{"id", fw.groups()[g].id},
                                         {"label", fw.groups()[g].label},
                                         {"code", fw.groups()[g].code}});
        }
        for (uint32_t b : sk.broader_skills) {
          broader.push_back(json::Object{{"id", fw.skills()[b].id},
                                         {"label", fw.skills()[b].label}});
        }
        json::Array taught;
        Status st = skills->context().store->Read([&](store::Tx& tx) -> Status {
          CREDSTACK_ASSIGN_OR_RETURN(
              auto rows,
              tx.skill_frameworks().AchievementsTeaching(sk.id, 100));
          for (const store::AchievementSkill& r : rows) {
            taught.push_back(json::Object{{"achievement", r.achievement_id},
                                          {"version", r.version}});
          }
          return OkStatus();
        });
        if (!st.ok()) return Fail(st);
        json::Object out = Described(*p);
        out["skill"] = json::Object{{"id", sk.id},
                                    {"label", sk.label},
                                    {"description", sk.description},
                                    {"type", pw::SkillTypeName(sk.type)},
                                    {"reuse", pw::ReuseLevelName(sk.reuse)},
                                    {"broader", std::move(broader)},
                                    {"groups", TopGroups(fw, *i)},
                                    {"taughtBy", std::move(taught)}};
        return Response::Json(200, out);
      },
      Policy::kPublic,
      "A skill with its hierarchy and the achievements "
      "teaching it")));

  CREDSTACK_RETURN_IF_ERROR(router.Add(Spec(
      Method::kGet, "/api/v1/occupations",
      [skills](Request& req) {
        Result<FrameworkPick> p = PickFramework(*skills, req);
        if (!p.ok()) return Fail(p.status());
        const pw::Framework& fw = *p->fw;
        Result<std::vector<uint32_t>> hits = skills->SearchOccupations(
            fw, req.Query("q").value_or(""), QueryLimit(req, 20));
        if (!hits.ok()) return Fail(hits.status());
        json::Array results;
        for (uint32_t i : *hits) {
          const pw::Occupation& o = fw.occupations()[i];
          size_t essential = 0;
          for (const pw::OccupationSkill& r : o.skills)
            essential += r.relation == pw::RelationType::kEssential;
          results.push_back(
              json::Object{{"id", o.id},
                           {"label", o.label},
                           {"code", o.code},
                           {"essentialSkills", essential},
                           {"optionalSkills", o.skills.size() - essential}});
        }
        json::Object out = Described(*p);
        out["query"] = req.Query("q").value_or("");
        out["results"] = std::move(results);
        return Response::Json(200, out);
      },
      Policy::kPublic, "Search occupations by label, id or code")));

  CREDSTACK_RETURN_IF_ERROR(router.Add(Spec(
      Method::kGet, "/api/v1/occupations/{occupation}",
      [skills](Request& req) {
        Result<FrameworkPick> p = PickFramework(*skills, req);
        if (!p.ok()) return Fail(p.status());
        const pw::Framework& fw = *p->fw;
        auto i = fw.FindOccupationByAnyName(req.PathParameter("occupation"));
        if (!i) {
          return Fail(NotFoundError("no such occupation in " + fw.info().name));
        }
        const pw::Occupation& o = fw.occupations()[*i];
        json::Array skills_json;
        for (const pw::OccupationSkill& r : o.skills) {
          json::Object e{{"id", fw.skills()[r.skill].id},
                         {"label", fw.skills()[r.skill].label},
                         {"relation", pw::RelationTypeName(r.relation)}};
          if (r.importance) e["importance"] = *r.importance;
          if (r.level) e["level"] = *r.level;
          skills_json.push_back(std::move(e));
        }
        json::Object out = Described(*p);
        out["occupation"] = json::Object{{"id", o.id},
                                         {"label", o.label},
                                         {"code", o.code},
                                         {"iscoGroup", o.isco_group},
                                         {"description", o.description},
                                         {"skills", std::move(skills_json)}};
        return Response::Json(200, out);
      },
      Policy::kPublic, "An occupation with the skills it requires")));

  // ---- recommendations ------------------------------------------------------
  CREDSTACK_RETURN_IF_ERROR(router.Add(Spec(
      Method::kPost, "/api/v1/recommendations",
      [s](Request& req) {
        Result<json::Value> body = ParseJsonBody(req);
        if (!body.ok()) return Fail(body.status(), StatusContext::kRequestBody);
        if (!body->is_object()) {
          return Fail(InvalidArgumentError("$: expected a JSON object"));
        }
        const json::Object& o = body->as_object();
        Result<app::RecommendInput> in = ParseRecommendInput(o);
        if (!in.ok()) return Fail(in.status());
        Result<std::string> learner_id = OptString(o, "learner");
        if (!learner_id.ok()) return Fail(learner_id.status());
        json::Object learner_json;
        if (!learner_id->empty()) {
          Result<store::Learner> l =
              AuthorizeLearner(s, req, *learner_id, /*write=*/false);
          if (!l.ok()) return Fail(l.status());
          Result<app::SkillProfile> profile =
              s.learners->Profile(l->id, in->framework);
          if (!profile.ok()) return Fail(profile.status());
          size_t skills_added = 0;
          for (const app::ProfileSkill& sk : profile->skills) {
            if (!sk.in_framework && profile->framework) continue;
            in->have.push_back(sk.id);
            ++skills_added;
          }
          for (const std::string& a : profile->achievements)
            in->have_achievements.push_back(a);
          learner_json = {
              {"id", l->id},
              {"verifiedSkills", skills_added},
              {"verifiedAchievements", profile->achievements.size()}};
        }
        Result<json::Value> plan = s.skills->Recommend(*in);
        if (!plan.ok()) return Fail(plan.status());
        if (!learner_json.empty()) plan->as_object()["learner"] = learner_json;
        return Response::Json(200, *plan);
      },
      Policy::kPublic,
      "Cheapest set of achievements closing a skills gap (plan JSON)", true,
      200)));

  // ---- learners -------------------------------------------------------------
  CREDSTACK_RETURN_IF_ERROR(router.Add(Spec(
      Method::kPost, "/api/v1/learners",
      [s](Request& req) {
        // The operator token belongs to no organization.
        if (req.principal()->org_id.empty()) {
          return Fail(PermissionDeniedError(
              "learners are created with an organization's API key"));
        }
        Result<json::Value> body = ParseJsonBody(req);
        if (!body.ok()) return Fail(body.status(), StatusContext::kRequestBody);
        if (!body->is_object()) {
          return Fail(InvalidArgumentError("$: expected a JSON object"));
        }
        const json::Object& o = body->as_object();
        app::NewLearner in;
        Result<std::string> did = OptString(o, "did");
        if (!did.ok()) return Fail(did.status());
        if (!did->empty()) in.did = *did;
        Result<std::vector<std::string>> emails = OptStrings(o, "emails");
        if (!emails.ok()) return Fail(emails.status());
        in.emails = std::move(*emails);
        Result<std::string> name = OptString(o, "name");
        if (!name.ok()) return Fail(name.status());
        in.display_name = *name;
        Result<app::CreatedLearner> c =
            s.learners->Create(req.principal()->org_id, in);
        if (!c.ok()) return Fail(c.status());
        json::Array emails_json;
        for (const std::string& e : c->learner.emails)
          emails_json.push_back(json::Value(e));
        json::Object out{{"id", c->learner.id},
                         {"org", *c->learner.org_id},
                         {"emails", std::move(emails_json)},
                         {"name", c->learner.display_name},
                         {"token", c->token},
                         {"linkedCredentials", c->linked}};
        if (c->learner.did) out["did"] = *c->learner.did;
        return Response::Json(201, out).AddHeader(
            "Location", "/api/v1/learners/" + c->learner.id);
      },
      Policy::kIssuer,
      "Create a learner managed by the key's organization; returns its "
      "access token once",
      true)));

  CREDSTACK_RETURN_IF_ERROR(router.Add(Spec(
      Method::kGet, "/api/v1/learners/{learner}",
      [s](Request& req) {
        Result<store::Learner> l =
            AuthorizeLearner(s, req, req.PathParameter("learner"), false);
        if (!l.ok()) return Fail(l.status());
        json::Array emails;
        for (const std::string& e : l->emails) emails.push_back(json::Value(e));
        json::Object out{{"id", l->id},
                         {"emails", std::move(emails)},
                         {"name", l->display_name},
                         {"created", FormatDateTime(l->created)}};
        if (l->did) out["did"] = *l->did;
        if (l->org_id) out["org"] = *l->org_id;
        return Response::Json(200, out);
      },
      Policy::kPublic, "A learner")));

  RouteSpec upload = Spec(
      Method::kPost, "/api/v1/learners/{learner}/credentials",
      [s](Request& req) {
        Result<store::Learner> l =
            AuthorizeLearner(s, req, req.PathParameter("learner"), true);
        if (!l.ok()) return Fail(l.status());
        Result<app::UploadResult> up = s.learners->Upload(l->id, req.body());
        if (!up.ok()) return Fail(up.status());
        json::Array awards;
        if (up->report.verified && !up->stored.achievement_id.empty()) {
          std::vector<std::string> changed = {up->stored.achievement_id};
          Result<std::vector<app::AwardOutcome>> a =
              s.pathways->Evaluate(l->id, changed);
          if (!a.ok()) return Fail(a.status());
          for (const app::AwardOutcome& o : *a) {
            awards.push_back(json::Object{{"pathway", o.pathway_id},
                                          {"credential", o.award.credential_id},
                                          {"created", o.created}});
          }
        }
        json::Object out{
            {"credential", up->stored.credential_key},
            {"source", store::LearnerCredentialSourceName(up->stored.source)},
            {"created", up->created},
            {"verified", up->report.verified},
            {"report", up->report.ToJson()},
            {"awards", std::move(awards)}};
        return Response::Json(up->created ? 201 : 200, out);
      },
      Policy::kPublic,
      "Upload a credential (any issuer) whose subject is the learner", true);
  CREDSTACK_RETURN_IF_ERROR(router.Add(std::move(upload)));

  CREDSTACK_RETURN_IF_ERROR(router.Add(Spec(
      Method::kGet, "/api/v1/learners/{learner}/skills",
      [s](Request& req) {
        Result<store::Learner> l =
            AuthorizeLearner(s, req, req.PathParameter("learner"), false);
        if (!l.ok()) return Fail(l.status());
        Result<app::SkillProfile> p =
            s.learners->Profile(l->id, req.Query("framework").value_or(""));
        if (!p.ok()) return Fail(p.status());
        return Response::Json(200, app::SkillProfileToJson(*p));
      },
      Policy::kPublic,
      "The learner's verified skills, each with source credential, issuer "
      "and date")));

  CREDSTACK_RETURN_IF_ERROR(router.Add(Spec(
      Method::kGet, "/api/v1/learners/{learner}/breadth",
      [s](Request& req) {
        Result<store::Learner> l =
            AuthorizeLearner(s, req, req.PathParameter("learner"), false);
        if (!l.ok()) return Fail(l.status());
        Result<app::SkillProfile> p =
            s.learners->Profile(l->id, req.Query("framework").value_or(""));
        if (!p.ok()) return Fail(p.status());
        if (!p->framework) {
          return Fail(FailedPreconditionError(
              "breadth needs a skills framework (none has been imported)"));
        }
        int level = 1;
        if (auto q = req.Query("level")) {
          if (q->size() != 1 || (*q)[0] < '0' || (*q)[0] > '9') {
            return Fail(InvalidArgumentError("level: expected a digit 0-9"));
          }
          level = (*q)[0] - '0';
        }
        std::vector<std::string> ids;
        for (const app::ProfileSkill& sk : p->skills) {
          if (sk.in_framework) ids.push_back(sk.id);
        }
        json::Value out =
            pw::BreadthToJson(pw::ComputeBreadth(*p->framework, ids, level));
        out.as_object()["learner"] = l->id;
        out.as_object()["source"] = p->framework->info().attribution;
        return Response::Json(200, out);
      },
      Policy::kPublic,
      "Coverage of the learner's skills across skill groups")));

  CREDSTACK_RETURN_IF_ERROR(router.Add(Spec(
      Method::kGet, "/api/v1/learners/{learner}/pathways/{pathway}",
      [s](Request& req) {
        Result<store::Learner> l =
            AuthorizeLearner(s, req, req.PathParameter("learner"), false);
        if (!l.ok()) return Fail(l.status());
        pw::PlanOptions options;
        options.greedy = req.Query("greedy").value_or("") == "true";
        Result<app::PathwayProgressView> v =
            s.pathways->Progress(l->id, req.PathParameter("pathway"), options);
        if (!v.ok()) return Fail(v.status());
        return Response::Json(200, app::ProgressViewToJson(*v, l->id));
      },
      Policy::kPublic,
      "Progress on a pathway: satisfied and missing parts, cheapest way to "
      "finish, award")));

  CREDSTACK_RETURN_IF_ERROR(router.Add(Spec(
      Method::kPost, "/api/v1/learners/{learner}/evaluate",
      [s](Request& req) {
        // Evaluating may award (issue) stacked credentials: a write.
        Result<store::Learner> l =
            AuthorizeLearner(s, req, req.PathParameter("learner"), true);
        if (!l.ok()) return Fail(l.status());
        Result<std::vector<app::AwardOutcome>> a =
            s.pathways->Evaluate(l->id, {});
        if (!a.ok()) return Fail(a.status());
        json::Array awards;
        for (const app::AwardOutcome& o : *a) {
          awards.push_back(json::Object{{"pathway", o.pathway_id},
                                        {"credential", o.award.credential_id},
                                        {"created", o.created}});
        }
        return Response::Json(200, json::Object{{"awards", std::move(awards)}});
      },
      Policy::kPublic,
      "Evaluate every pathway for the learner and award satisfied ones", false,
      200)));

  RouteSpec clr = Spec(
      Method::kGet, "/api/v1/learners/{learner}/clr",
      [s](Request& req) {
        Result<store::Learner> l =
            AuthorizeLearner(s, req, req.PathParameter("learner"), false);
        if (!l.ok()) return Fail(l.status());
        Result<app::SkillProfile> p = s.learners->Profile(l->id);
        if (!p.ok()) return Fail(p.status());
        app::ClrInput in{.learner = *l, .profile = &*p};
        const app::AppContext& ctx = s.skills->context();
        Status st = ctx.store->Read([&](store::Tx& tx) -> Status {
          CREDSTACK_ASSIGN_OR_RETURN(auto awards,
                                     tx.pathways().ListAwards(l->id));
          for (const store::PathwayAward& a : awards) {
            CREDSTACK_ASSIGN_OR_RETURN(store::PathwayRecord r,
                                       tx.pathways().Get(a.pathway_id));
            in.awarded.push_back(std::move(r));
          }
          return OkStatus();
        });
        if (!st.ok()) return Fail(st);
        Result<json::Value> out = app::ExportClr(ctx, in);
        if (!out.ok()) return Fail(out.status());
        return Response::Json(200, *out, "application/ld+json");
      },
      Policy::kPublic,
      "The learner's verified credentials as a signed CLR 2.0 "
      "ClrCredential");
  clr.produces = {"application/ld+json"};
  CREDSTACK_RETURN_IF_ERROR(router.Add(std::move(clr)));

  // ---- pathways -------------------------------------------------------------
  CREDSTACK_RETURN_IF_ERROR(router.Add(Spec(
      Method::kPost, "/api/v1/orgs/{org}/pathways",
      [pathways](Request& req) {
        Result<json::Value> body = ParseJsonBody(req);
        if (!body.ok()) return Fail(body.status(), StatusContext::kRequestBody);
        Result<store::PathwayRecord> r =
            pathways->Create(req.PathParameter("org"), *body);
        if (!r.ok()) return Fail(r.status());
        return Response::Json(201, app::PathwayRecordToJson(*r));
      },
      Policy::kIssuer,
      "Define a stackable pathway (docs/formats/pathway.md) awarding one of "
      "the organization's achievements",
      true)));

  CREDSTACK_RETURN_IF_ERROR(router.Add(Spec(
      Method::kGet, "/api/v1/orgs/{org}/pathways",
      [pathways](Request& req) {
        Result<std::vector<store::PathwayRecord>> r = pathways->List(
            req.PathParameter("org"), req.Query("after").value_or(""),
            static_cast<int64_t>(QueryLimit(req, 100)));
        if (!r.ok()) return Fail(r.status());
        json::Array out;
        for (const store::PathwayRecord& p : *r)
          out.push_back(app::PathwayRecordToJson(p));
        return Response::Json(200, json::Object{{"pathways", std::move(out)}});
      },
      Policy::kViewer, "The organization's pathways")));

  RouteSpec planning_put = Spec(
      Method::kPut, "/api/v1/orgs/{org}/achievements/{id}/planning",
      [skills](Request& req) {
        Result<json::Value> body = ParseJsonBody(req);
        if (!body.ok()) return Fail(body.status(), StatusContext::kRequestBody);
        Result<store::AchievementPlanning> p = skills->SetPlanning(
            req.PathParameter("org"), req.PathParameter("id"), *body);
        if (!p.ok()) return Fail(p.status());
        return Response::Json(200, app::PlanningToJson(*p));
      },
      Policy::kIssuer,
      "Set an achievement's planning attributes (hours, price, currency, "
      "credits, level, prerequisites)",
      true, 200);
  CREDSTACK_RETURN_IF_ERROR(router.Add(std::move(planning_put)));
  CREDSTACK_RETURN_IF_ERROR(router.Add(Spec(
      Method::kGet, "/api/v1/orgs/{org}/achievements/{id}/planning",
      [skills](Request& req) {
        Result<store::AchievementPlanning> p = skills->GetPlanning(
            req.PathParameter("org"), req.PathParameter("id"));
        if (!p.ok()) return Fail(p.status());
        return Response::Json(200, app::PlanningToJson(*p));
      },
      Policy::kViewer, "An achievement's planning attributes")));

  return router.Add(Spec(
      Method::kGet, "/api/v1/pathways/{pathway}",
      [pathways](Request& req) {
        Result<store::PathwayRecord> r =
            pathways->Get(req.PathParameter("pathway"));
        if (!r.ok()) return Fail(r.status());
        return Response::Json(200, app::PathwayRecordToJson(*r));
      },
      Policy::kPublic, "A pathway definition"));
}

app::AwardIssuer IssueAwardsWith(
    std::shared_ptr<app::IssuanceService> issuance) {
  return [issuance](const app::AwardRequest& r) -> Result<store::Credential> {
    app::IssueRequest req{.org_id = r.org_id,
                          .achievement_id = r.achievement_id,
                          .recipient = r.recipient,
                          .evidence = r.evidence,
                          .idempotency_key = r.idempotency_key};
    CREDSTACK_ASSIGN_OR_RETURN(app::IssuedCredential issued,
                               issuance->Issue(req));
    return std::move(issued.record);
  };
}

void ListenForIssuedCredentials(app::IssuanceService& issuance,
                                std::shared_ptr<app::PathwayService> pathways) {
  // Weak: the pathway service issues its awards through `issuance`, which
  // would otherwise own it back (a cycle); the routes keep it alive.
  issuance.AddIssuedListener(
      [weak = std::weak_ptr<app::PathwayService>(pathways)](
          std::span<const app::IssuedEvent> issued) -> Status {
        std::shared_ptr<app::PathwayService> p = weak.lock();
        if (p == nullptr) return OkStatus();
        return p->OnCredentialsIssued(issued).WithPrefix(
            "linking issued credentials to learners");
      });
}

Result<SkillsServices> InstallSkills(
    std::shared_ptr<app::AppContext> ctx,
    std::shared_ptr<app::IssuerServices> issuer,
    std::shared_ptr<const app::VerificationService> verifier, Router& router) {
  SkillsServices s;
  s.skills = std::make_shared<app::SkillsService>(ctx);
  s.learners =
      std::make_shared<app::LearnerService>(ctx, s.skills, std::move(verifier));
  s.pathways = std::make_shared<app::PathwayService>(
      ctx, s.skills, s.learners,
      issuer ? IssueAwardsWith(issuer->issuance) : app::AwardIssuer());
  CREDSTACK_RETURN_IF_ERROR(AddSkillsRoutes(router, s));
  if (issuer) ListenForIssuedCredentials(*issuer->issuance, s.pathways);
  return s;
}

}  // namespace credstack::server
