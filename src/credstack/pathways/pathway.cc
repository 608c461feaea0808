#include "credstack/pathways/pathway.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

#include "credstack/json/json.h"

namespace credstack::pathways {
namespace {

using Kind = PathwayRule::Kind;

Status TypeError(std::string_view path, std::string_view want,
                 const json::Value& v) {
  return InvalidArgumentError(std::string(path) + ": expected " +
                              std::string(want) + ", got " +
                              std::string(json::TypeName(v)));
}

Result<std::vector<std::string>> StringList(const json::Object& o,
                                            std::string_view key,
                                            const json::Path& p, size_t max) {
  auto it = o.find(key);
  std::string path = p.Key(key).str();
  if (it == o.end()) return InvalidArgumentError(path + ": missing");
  if (!it->value().is_array()) return TypeError(path, "an array", it->value());
  const json::Array& a = it->value().as_array();
  if (a.empty()) return InvalidArgumentError(path + ": must not be empty");
  if (a.size() > max)
    return ResourceExhaustedError(path + ": too many entries");
  std::vector<std::string> out;
  std::set<std::string_view> seen;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string() || a[i].as_string().empty()) {
      return InvalidArgumentError(p.Key(key).Index(i).str() +
                                  ": expected a non-empty string");
    }
    if (!seen.insert(std::string_view(a[i].as_string())).second) {
      return InvalidArgumentError(p.Key(key).Index(i).str() +
                                  ": duplicate entry " +
                                  std::string(a[i].as_string()));
    }
    out.emplace_back(a[i].as_string());
  }
  return out;
}

Result<std::string> OptString(const json::Object& o, std::string_view key,
                              const json::Path& p) {
  auto it = o.find(key);
  if (it == o.end()) return std::string();
  if (!it->value().is_string())
    return TypeError(p.Key(key).str(), "a string", it->value());
  return std::string(it->value().as_string());
}

Result<double> PositiveNumber(const json::Object& o, std::string_view key,
                              const json::Path& p) {
  auto it = o.find(key);
  std::string path = p.Key(key).str();
  if (it == o.end()) return InvalidArgumentError(path + ": missing");
  const json::Value& v = it->value();
  double d = 0;
  if (v.is_int64()) {
    d = static_cast<double>(v.as_int64());
  } else if (v.is_uint64()) {
    d = static_cast<double>(v.as_uint64());
  } else if (v.is_double()) {
    d = v.as_double();
  } else {
    return TypeError(path, "a number", v);
  }
  if (!std::isfinite(d) || d <= 0)
    return InvalidArgumentError(path + ": must be positive");
  return d;
}

}  // namespace

std::string_view PathwayRuleKindName(Kind k) {
  switch (k) {
    case Kind::kAchievement:
      return "achievement";
    case Kind::kAllOf:
      return "allOf";
    case Kind::kNOf:
      return "nOf";
    case Kind::kCreditsAtLeast:
      return "creditsAtLeast";
    case Kind::kHoursAtLeast:
      return "hoursAtLeast";
    case Kind::kSkills:
      return "skills";
  }
  return "";
}

Result<Pathway> ParsePathway(std::string_view text,
                             const PathwayOptions& options) {
  json::ParseOptions po;
  po.max_size = options.max_bytes;
  po.max_depth = 2 * options.max_depth + 8;
  CREDSTACK_ASSIGN_OR_RETURN(json::Value doc, json::Parse(text, po));
  json::Path root;
  if (!doc.is_object()) return TypeError("$", "an object", doc);
  const json::Object& o = doc.as_object();
  Pathway pw;
  auto id = json::GetString(o, "id");
  if (!id || id->empty())
    return InvalidArgumentError("$.id: missing or not a non-empty string");
  pw.id = *id;
  CREDSTACK_ASSIGN_OR_RETURN(pw.name, OptString(o, "name", root));
  CREDSTACK_ASSIGN_OR_RETURN(pw.owner, OptString(o, "owner", root));
  CREDSTACK_ASSIGN_OR_RETURN(pw.achievement, OptString(o, "achievement", root));
  auto rule_it = o.find("rule");
  if (rule_it == o.end()) return InvalidArgumentError("$.rule: missing");

  // Explicit stack: (JSON value, its path, parent rule index, depth).
  struct Pending {
    const json::Value* v;
    json::Path path;
    uint32_t parent;
    size_t depth;
  };
  std::vector<Pending> stack{
      {&rule_it->value(), root.Key("rule"), UINT32_MAX, 0}};
  while (!stack.empty()) {
    Pending cur = std::move(stack.back());
    stack.pop_back();
    const std::string path = cur.path.str();
    if (cur.depth >= options.max_depth)
      return ResourceExhaustedError(path + ": rules nested too deeply");
    if (pw.rules.size() >= options.max_rules)
      return ResourceExhaustedError(path + ": too many rules");
    if (!cur.v->is_object()) return TypeError(path, "an object", *cur.v);
    const json::Object& r = cur.v->as_object();
    auto type = json::GetString(r, "type");
    if (!type)
      return InvalidArgumentError(path + ".type: missing or not a string");
    PathwayRule rule;
    rule.path = path;
    CREDSTACK_ASSIGN_OR_RETURN(rule.name, OptString(r, "name", cur.path));
    const uint32_t index = static_cast<uint32_t>(pw.rules.size());
    std::vector<Pending> kids;
    if (*type == "achievement") {
      rule.kind = Kind::kAchievement;
      auto a = json::GetString(r, "id");
      if (!a || a->empty())
        return InvalidArgumentError(path +
                                    ".id: missing or not a non-empty string");
      rule.achievement = *a;
    } else if (*type == "allOf" || *type == "nOf") {
      rule.kind = *type == "allOf" ? Kind::kAllOf : Kind::kNOf;
      auto it = r.find("rules");
      if (it == r.end()) return InvalidArgumentError(path + ".rules: missing");
      if (!it->value().is_array())
        return TypeError(path + ".rules", "an array", it->value());
      const json::Array& arr = it->value().as_array();
      if (arr.empty())
        return InvalidArgumentError(path + ".rules: must not be empty");
      if (arr.size() > options.max_list)
        return ResourceExhaustedError(path + ".rules: too many rules");
      if (rule.kind == Kind::kNOf) {
        auto n = r.find("n");
        if (n == r.end() || !n->value().is_int64()) {
          return InvalidArgumentError(path + ".n: missing or not an integer");
        }
        int64_t nv = n->value().as_int64();
        if (nv < 1 || nv > static_cast<int64_t>(arr.size())) {
          return InvalidArgumentError(
              path + ".n: must be between 1 and the number of rules (" +
              std::to_string(arr.size()) + ")");
        }
        rule.n = static_cast<uint32_t>(nv);
      }
      for (size_t i = arr.size(); i-- > 0;) {
        kids.push_back(
            {&arr[i], cur.path.Key("rules").Index(i), index, cur.depth + 1});
      }
    } else if (*type == "creditsAtLeast" || *type == "hoursAtLeast") {
      bool credits = *type == "creditsAtLeast";
      rule.kind = credits ? Kind::kCreditsAtLeast : Kind::kHoursAtLeast;
      CREDSTACK_ASSIGN_OR_RETURN(
          rule.threshold,
          PositiveNumber(r, credits ? "credits" : "hours", cur.path));
      if (r.find("from") == r.end()) {
        rule.from_any = true;
      } else {
        CREDSTACK_ASSIGN_OR_RETURN(
            rule.from, StringList(r, "from", cur.path, options.max_list));
      }
    } else if (*type == "skills") {
      rule.kind = Kind::kSkills;
      CREDSTACK_ASSIGN_OR_RETURN(
          rule.skills, StringList(r, "skills", cur.path, options.max_list));
    } else {
      return InvalidArgumentError(
          path + ".type: unknown rule type \"" + std::string(*type) +
          "\" (achievement, allOf, nOf, creditsAtLeast, hoursAtLeast, skills)");
    }
    pw.rules.push_back(std::move(rule));
    if (cur.parent != UINT32_MAX)
      pw.rules[cur.parent].children.push_back(index);
    for (Pending& k : kids) stack.push_back(std::move(k));
  }
  return pw;
}

Status ValidatePathway(const Pathway& pw, const Catalog& catalog,
                       const Framework* framework) {
  for (const PathwayRule& r : pw.rules) {
    if (r.kind == Kind::kAchievement &&
        !catalog.FindAchievement(r.achievement)) {
      return InvalidArgumentError(r.path + ".id: achievement " + r.achievement +
                                  " is not in the catalog");
    }
    for (size_t i = 0; i < r.from.size(); ++i) {
      if (!catalog.FindAchievement(r.from[i])) {
        return InvalidArgumentError(r.path + ".from[" + std::to_string(i) +
                                    "]: achievement " + r.from[i] +
                                    " is not in the catalog");
      }
    }
    if (framework) {
      for (size_t i = 0; i < r.skills.size(); ++i) {
        if (!framework->FindSkill(r.skills[i])) {
          return InvalidArgumentError(
              r.path + ".skills[" + std::to_string(i) + "]: unknown skill " +
              r.skills[i] + " (not in " + framework->info().name + ")");
        }
      }
    }
  }
  return OkStatus();
}

Result<PathwayProgress> EvaluatePathway(const Pathway& pw,
                                        std::span<const std::string> held,
                                        const Catalog* catalog) {
  std::unordered_set<std::string_view> held_set(held.begin(), held.end());
  std::unordered_set<std::string_view> held_skills;
  if (catalog) {
    for (const std::string& h : held) {
      if (auto a = catalog->FindAchievement(h)) {
        for (uint32_t s : catalog->skills_of(*a))
          held_skills.insert(catalog->skills()[s]);
      }
    }
  }
  PathwayProgress out;
  out.rules.resize(pw.rules.size());
  // Children have larger indices than their parents.
  for (size_t i = pw.rules.size(); i-- > 0;) {
    const PathwayRule& r = pw.rules[i];
    RuleProgress& p = out.rules[i];
    switch (r.kind) {
      case Kind::kAchievement:
        p.need = 1;
        if (held_set.count(r.achievement)) {
          p.have = 1;
          p.counted.push_back(r.achievement);
        } else {
          p.missing.push_back(r.achievement);
        }
        p.satisfied = p.have >= 1;
        break;
      case Kind::kAllOf:
      case Kind::kNOf:
        p.need = r.kind == Kind::kAllOf ? static_cast<double>(r.children.size())
                                        : r.n;
        for (uint32_t c : r.children) p.have += out.rules[c].satisfied;
        p.satisfied = p.have >= p.need;
        break;
      case Kind::kCreditsAtLeast:
      case Kind::kHoursAtLeast: {
        if (!catalog) {
          return FailedPreconditionError(
              r.path + ": a catalog is needed to count " +
              (r.kind == Kind::kCreditsAtLeast ? "credits" : "hours"));
        }
        p.need = r.threshold;
        auto count = [&](uint32_t a) {
          const Achievement& ach = catalog->achievements()[a];
          if (!held_set.count(ach.id)) return;
          p.have += r.kind == Kind::kCreditsAtLeast ? ach.credits : ach.hours;
          p.counted.push_back(ach.id);
        };
        if (r.from_any) {
          for (uint32_t a = 0; a < catalog->achievements().size(); ++a)
            count(a);
        } else {
          for (const std::string& id : r.from) {
            if (auto a = catalog->FindAchievement(id)) count(*a);
          }
        }
        p.satisfied = p.have + 1e-9 >= p.need;
        break;
      }
      case Kind::kSkills:
        if (!catalog) {
          return FailedPreconditionError(
              r.path +
              ": a catalog is needed to know which skills achievements teach");
        }
        p.need = static_cast<double>(r.skills.size());
        for (const std::string& s : r.skills) {
          if (held_skills.count(s)) {
            p.have += 1;
          } else {
            p.missing.push_back(s);
          }
        }
        p.satisfied = p.missing.empty();
        break;
    }
  }
  out.satisfied = !out.rules.empty() && out.rules[0].satisfied;
  return out;
}

}  // namespace credstack::pathways
