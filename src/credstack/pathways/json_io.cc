#include "credstack/pathways/json_io.h"

#include <cmath>

namespace credstack::pathways {
namespace {

json::Array Strings(const std::vector<std::string>& v) {
  json::Array a;
  for (const std::string& s : v) a.emplace_back(s);
  return a;
}

json::Array Indices(const std::vector<uint32_t>& v) {
  json::Array a;
  for (uint32_t i : v) a.emplace_back(i);
  return a;
}

Status Bad(const json::Path& p, std::string_view what) {
  return InvalidArgumentError(p.str() + ": " + std::string(what));
}

Result<std::string> Str(const json::Object& o, std::string_view key,
                        const json::Path& p) {
  auto it = o.find(key);
  if (it == o.end()) return std::string();
  if (!it->value().is_string()) return Bad(p.Key(key), "expected a string");
  return std::string(it->value().as_string());
}

Result<std::vector<uint32_t>> IndexList(const json::Object& o,
                                        std::string_view key,
                                        const json::Path& p, size_t bound) {
  std::vector<uint32_t> out;
  auto it = o.find(key);
  if (it == o.end()) return out;
  if (!it->value().is_array()) return Bad(p.Key(key), "expected an array");
  const json::Array& a = it->value().as_array();
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_int64() || a[i].as_int64() < 0 ||
        static_cast<uint64_t>(a[i].as_int64()) >= bound) {
      return Bad(p.Key(key).Index(i), "expected an index in range");
    }
    out.push_back(static_cast<uint32_t>(a[i].as_int64()));
  }
  return out;
}

const json::Array* Array(const json::Object& o, std::string_view key) {
  return json::GetArray(o, key);
}

}  // namespace

json::Value FrameworkToJson(const Framework& fw) {
  json::Object root;
  root["format"] = "credstack-framework-snapshot";
  root["formatVersion"] = 1;
  const FrameworkInfo& info = fw.info();
  root["framework"] = json::Object{{"name", info.name},
                                   {"version", info.version},
                                   {"attribution", info.attribution},
                                   {"source", info.format}};
  json::Array groups;
  for (const SkillGroup& g : fw.groups()) {
    json::Object o{{"id", g.id}, {"label", g.label}};
    if (!g.code.empty()) o["code"] = g.code;
    if (!g.description.empty()) o["description"] = g.description;
    if (!g.broader.empty()) o["broader"] = Indices(g.broader);
    groups.emplace_back(std::move(o));
  }
  root["groups"] = std::move(groups);
  json::Array skills;
  for (const Skill& s : fw.skills()) {
    json::Object o{{"id", s.id}, {"label", s.label}};
    if (s.type != SkillType::kUnspecified) o["type"] = SkillTypeName(s.type);
    if (s.reuse != ReuseLevel::kUnspecified)
      o["reuse"] = ReuseLevelName(s.reuse);
    if (!s.description.empty()) o["description"] = s.description;
    if (!s.broader_groups.empty()) o["groups"] = Indices(s.broader_groups);
    if (!s.broader_skills.empty())
      o["broaderSkills"] = Indices(s.broader_skills);
    skills.emplace_back(std::move(o));
  }
  root["skills"] = std::move(skills);
  json::Array occupations;
  for (const Occupation& oc : fw.occupations()) {
    json::Object o{{"id", oc.id}, {"label", oc.label}};
    if (!oc.code.empty()) o["code"] = oc.code;
    if (!oc.isco_group.empty()) o["iscoGroup"] = oc.isco_group;
    if (!oc.description.empty()) o["description"] = oc.description;
    json::Array essential, optional, ratings;
    for (const OccupationSkill& r : oc.skills) {
      (r.relation == RelationType::kEssential ? essential : optional)
          .emplace_back(r.skill);
      if (r.importance || r.level) {
        ratings.emplace_back(json::Array{
            r.skill,
            r.importance ? json::Value(*r.importance) : json::Value(nullptr),
            r.level ? json::Value(*r.level) : json::Value(nullptr)});
      }
    }
    o["essential"] = std::move(essential);
    if (!optional.empty()) o["optional"] = std::move(optional);
    if (!ratings.empty()) o["ratings"] = std::move(ratings);
    occupations.emplace_back(std::move(o));
  }
  root["occupations"] = std::move(occupations);
  return root;
}

Result<Framework> FrameworkFromJson(std::string_view text,
                                    const SnapshotOptions& options) {
  json::ParseOptions po;
  po.max_size = options.max_bytes;
  po.max_depth = 8;
  CREDSTACK_ASSIGN_OR_RETURN(json::Value doc, json::Parse(text, po));
  json::Path root;
  if (!doc.is_object()) return Bad(root, "expected an object");
  const json::Object& o = doc.as_object();
  if (json::GetString(o, "format") !=
      std::optional<std::string_view>("credstack-framework-snapshot")) {
    return Bad(root.Key("format"), "not a credstack framework snapshot");
  }
  const json::Object* info = json::GetObject(o, "framework");
  if (!info) return Bad(root.Key("framework"), "missing");
  FrameworkInfo fi;
  json::Path ip = root.Key("framework");
  CREDSTACK_ASSIGN_OR_RETURN(fi.name, Str(*info, "name", ip));
  CREDSTACK_ASSIGN_OR_RETURN(fi.version, Str(*info, "version", ip));
  CREDSTACK_ASSIGN_OR_RETURN(fi.attribution, Str(*info, "attribution", ip));
  // The format the data was originally imported from.
  CREDSTACK_ASSIGN_OR_RETURN(fi.format, Str(*info, "source", ip));
  const json::Array* groups = Array(o, "groups");
  const json::Array* skills = Array(o, "skills");
  const json::Array* occupations = Array(o, "occupations");
  if (!groups || !skills || !occupations)
    return Bad(root, "groups, skills and occupations arrays are required");
  Framework::Builder b(std::move(fi));
  const size_t ng = groups->size(), ns = skills->size();
  for (size_t i = 0; i < ng; ++i) {
    json::Path p = root.Key("groups").Index(i);
    if (!(*groups)[i].is_object()) return Bad(p, "expected an object");
    const json::Object& g = (*groups)[i].as_object();
    SkillGroup sg;
    CREDSTACK_ASSIGN_OR_RETURN(sg.id, Str(g, "id", p));
    CREDSTACK_ASSIGN_OR_RETURN(sg.label, Str(g, "label", p));
    CREDSTACK_ASSIGN_OR_RETURN(sg.code, Str(g, "code", p));
    CREDSTACK_ASSIGN_OR_RETURN(sg.description, Str(g, "description", p));
    CREDSTACK_ASSIGN_OR_RETURN(sg.broader, IndexList(g, "broader", p, ng));
    b.AddGroup(std::move(sg));
  }
  for (size_t i = 0; i < ns; ++i) {
    json::Path p = root.Key("skills").Index(i);
    if (!(*skills)[i].is_object()) return Bad(p, "expected an object");
    const json::Object& s = (*skills)[i].as_object();
    Skill sk;
    CREDSTACK_ASSIGN_OR_RETURN(sk.id, Str(s, "id", p));
    CREDSTACK_ASSIGN_OR_RETURN(sk.label, Str(s, "label", p));
    CREDSTACK_ASSIGN_OR_RETURN(sk.description, Str(s, "description", p));
    CREDSTACK_ASSIGN_OR_RETURN(std::string type, Str(s, "type", p));
    CREDSTACK_ASSIGN_OR_RETURN(std::string reuse, Str(s, "reuse", p));
    sk.type = ParseSkillType(type);
    sk.reuse = ParseReuseLevel(reuse);
    CREDSTACK_ASSIGN_OR_RETURN(sk.broader_groups,
                               IndexList(s, "groups", p, ng));
    CREDSTACK_ASSIGN_OR_RETURN(sk.broader_skills,
                               IndexList(s, "broaderSkills", p, ns));
    b.AddSkill(std::move(sk));
  }
  for (size_t i = 0; i < occupations->size(); ++i) {
    json::Path p = root.Key("occupations").Index(i);
    if (!(*occupations)[i].is_object()) return Bad(p, "expected an object");
    const json::Object& oc = (*occupations)[i].as_object();
    Occupation occ;
    CREDSTACK_ASSIGN_OR_RETURN(occ.id, Str(oc, "id", p));
    CREDSTACK_ASSIGN_OR_RETURN(occ.label, Str(oc, "label", p));
    CREDSTACK_ASSIGN_OR_RETURN(occ.code, Str(oc, "code", p));
    CREDSTACK_ASSIGN_OR_RETURN(occ.isco_group, Str(oc, "iscoGroup", p));
    CREDSTACK_ASSIGN_OR_RETURN(occ.description, Str(oc, "description", p));
    CREDSTACK_ASSIGN_OR_RETURN(auto essential,
                               IndexList(oc, "essential", p, ns));
    CREDSTACK_ASSIGN_OR_RETURN(auto optional, IndexList(oc, "optional", p, ns));
    for (uint32_t s : essential)
      occ.skills.push_back({.skill = s, .relation = RelationType::kEssential});
    for (uint32_t s : optional)
      occ.skills.push_back({.skill = s, .relation = RelationType::kOptional});
    if (const json::Array* ratings = Array(oc, "ratings")) {
      for (size_t k = 0; k < ratings->size(); ++k) {
        json::Path rp = p.Key("ratings").Index(k);
        const json::Value& r = (*ratings)[k];
        if (!r.is_array() || r.as_array().size() != 3 ||
            !r.as_array()[0].is_int64()) {
          return Bad(rp, "expected [skill index, importance, level]");
        }
        int64_t s = r.as_array()[0].as_int64();
        for (OccupationSkill& os : occ.skills) {
          if (static_cast<int64_t>(os.skill) != s) continue;
          auto num = [](const json::Value& v) -> std::optional<float> {
            if (v.is_double()) return static_cast<float>(v.as_double());
            if (v.is_int64()) return static_cast<float>(v.as_int64());
            return std::nullopt;
          };
          os.importance = num(r.as_array()[1]);
          os.level = num(r.as_array()[2]);
        }
      }
    }
    b.AddOccupation(std::move(occ));
  }
  return std::move(b).Finish();
}

json::Value PlanToJson(const Plan& plan, const Framework* fw) {
  auto skill = [&](const std::string& id) {
    json::Object o{{"id", id}};
    if (fw) {
      if (auto s = fw->FindSkill(id)) o["label"] = fw->skills()[*s].label;
    }
    return o;
  };
  auto skills = [&](const std::vector<std::string>& ids) {
    json::Array a;
    for (const std::string& id : ids) a.emplace_back(skill(id));
    return a;
  };
  json::Object o;
  o["status"] = PlanStatusName(plan.status);
  json::Array steps;
  for (const PlanStep& s : plan.steps) {
    steps.emplace_back(
        json::Object{{"achievement", s.achievement_id},
                     {"name", s.name},
                     {"issuer", s.issuer},
                     {"hours", s.hours},
                     {"price", s.price},
                     {"credits", s.credits},
                     {"covers", skills(s.covers)},
                     {"prerequisiteOf", Strings(s.prerequisite_of)}});
  }
  o["steps"] = std::move(steps);
  o["totals"] = json::Object{{"hours", plan.total_hours},
                             {"price", plan.total_price},
                             {"credits", plan.total_credits},
                             {"achievements", plan.steps.size()}};
  o["objective"] = plan.objective;
  if (plan.lower_bound && std::isfinite(*plan.lower_bound)) {
    o["lowerBound"] = *plan.lower_bound;
    o["gap"] = plan.gap();
  }
  o["targetSkills"] = skills(plan.target_skills);
  o["missingSkills"] = skills(plan.missing_skills);
  o["untaughtSkills"] = skills(plan.untaught_skills);
  if (!plan.detail.empty()) o["detail"] = plan.detail;
  if (fw) o["source"] = fw->info().attribution;
  return o;
}

json::Value ProgressToJson(const Pathway& pw, const PathwayProgress& progress) {
  json::Object o{{"pathway", pw.id}, {"satisfied", progress.satisfied}};
  if (!pw.name.empty()) o["name"] = pw.name;
  json::Array rules;
  for (size_t i = 0; i < pw.rules.size() && i < progress.rules.size(); ++i) {
    const PathwayRule& r = pw.rules[i];
    const RuleProgress& p = progress.rules[i];
    json::Object ro{{"path", r.path},
                    {"type", PathwayRuleKindName(r.kind)},
                    {"satisfied", p.satisfied},
                    {"have", p.have},
                    {"need", p.need},
                    {"missing", Strings(p.missing)},
                    {"counted", Strings(p.counted)}};
    if (!r.name.empty()) ro["name"] = r.name;
    rules.emplace_back(std::move(ro));
  }
  o["rules"] = std::move(rules);
  return o;
}

json::Value BreadthToJson(const BreadthReport& r) {
  json::Array groups;
  for (const GroupShare& g : r.groups) {
    groups.emplace_back(json::Object{{"id", g.group_id},
                                     {"label", g.label},
                                     {"code", g.code},
                                     {"skills", g.skills},
                                     {"share", g.share}});
  }
  return json::Object{{"level", r.level},
                      {"skills", r.skills_total},
                      {"unmapped", r.skills_unmapped},
                      {"groupsCovered", r.groups_covered},
                      {"groupsTotal", r.groups_total},
                      {"evenness", r.evenness},
                      {"dominantShare", r.dominant_share},
                      {"groups", std::move(groups)}};
}

}  // namespace credstack::pathways
