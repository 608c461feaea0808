#include "credstack/pathways/catalog.h"

#include <algorithm>
#include <cmath>

#include "credstack/json/json.h"

namespace credstack::pathways {
namespace {

std::string AchievementPath(size_t i) {
  return json::Path().Key("achievements").Index(i).str();
}

template <typename T>
void SortUnique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

std::optional<uint32_t> Lookup(
    const std::unordered_map<std::string_view, uint32_t>& m,
    std::string_view k) {
  auto it = m.find(k);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

}  // namespace

Result<std::string> ResolveAlignment(const Alignment& a,
                                     const Framework* framework) {
  if (a.target_url.empty() && a.target_code.empty()) {
    return InvalidArgumentError(
        "alignment has neither targetUrl nor targetCode");
  }
  if (framework == nullptr) {
    return a.target_url.empty() ? a.target_code : a.target_url;
  }
  for (const std::string* key : {&a.target_url, &a.target_code}) {
    if (key->empty()) continue;
    if (auto s = framework->FindSkill(*key)) {
      return framework->skills()[*s].id;
    }
  }
  return InvalidArgumentError(
      "unknown skill " + (a.target_url.empty() ? a.target_code : a.target_url) +
      " (not in " + framework->info().name + " " + framework->info().version +
      ")");
}

std::optional<uint32_t> Catalog::FindAchievement(std::string_view id) const {
  return Lookup(achievement_index_, id);
}
std::optional<uint32_t> Catalog::FindSkill(std::string_view id) const {
  return Lookup(skill_index_, id);
}
std::optional<uint32_t> Catalog::FindIssuer(std::string_view id) const {
  return Lookup(issuer_index_, id);
}

Result<Catalog> Catalog::Build(std::vector<Achievement> achievements,
                               std::vector<Issuer> issuers,
                               const Framework* framework,
                               const CatalogOptions& options) {
  if (achievements.empty()) {
    return InvalidArgumentError(
        "$.achievements: the catalog has no achievements");
  }
  if (achievements.size() > options.max_achievements) {
    return ResourceExhaustedError("$.achievements: more than " +
                                  std::to_string(options.max_achievements) +
                                  " achievements");
  }
  Catalog c;
  c.achievements_ = std::move(achievements);
  c.issuers_ = std::move(issuers);
  if (framework) {
    c.framework_name_ =
        framework->info().name + " " + framework->info().version;
  }
  const size_t n = c.achievements_.size();
  // Ids.
  c.achievement_index_.reserve(n * 2);
  for (uint32_t i = 0; i < n; ++i) {
    const Achievement& a = c.achievements_[i];
    if (a.id.empty())
      return InvalidArgumentError(AchievementPath(i) + ".id: empty id");
    auto [it, inserted] = c.achievement_index_.emplace(a.id, i);
    if (!inserted) {
      return InvalidArgumentError(AchievementPath(i) + ".id: duplicate id " +
                                  a.id + " (also " +
                                  AchievementPath(it->second) + ")");
    }
    for (auto [name, v] : {std::pair<const char*, double>{"hours", a.hours},
                           {"price", a.price},
                           {"credits", a.credits}}) {
      if (!std::isfinite(v) || v < 0) {
        return InvalidArgumentError(AchievementPath(i) + "." + name +
                                    ": must be a non-negative number");
      }
    }
    if (a.alignment.size() > options.max_alignments) {
      return ResourceExhaustedError(AchievementPath(i) +
                                    ".alignment: too many alignments");
    }
    if (a.prerequisites.size() > options.max_prerequisites) {
      return ResourceExhaustedError(AchievementPath(i) +
                                    ".prerequisites: too many");
    }
  }
  // Issuers: declared ones first, then those only named by achievements.
  for (uint32_t i = 0; i < c.issuers_.size(); ++i) {
    if (c.issuers_[i].id.empty()) {
      return InvalidArgumentError(json::Path().Key("issuers").Index(i).str() +
                                  ".id: empty id");
    }
  }
  {
    std::unordered_map<std::string, uint32_t> seen;
    for (uint32_t i = 0; i < c.issuers_.size(); ++i) {
      if (!seen.emplace(c.issuers_[i].id, i).second) {
        return InvalidArgumentError(json::Path().Key("issuers").Index(i).str() +
                                    ".id: duplicate issuer " +
                                    c.issuers_[i].id);
      }
    }
    c.issuer_of_.resize(n);
    for (uint32_t i = 0; i < n; ++i) {
      const std::string& id = c.achievements_[i].issuer;
      auto [it, inserted] =
          seen.emplace(id, static_cast<uint32_t>(c.issuers_.size()));
      if (inserted)
        c.issuers_.push_back(Issuer{.id = id, .name = id, .trusted = false});
      c.issuer_of_[i] = it->second;
    }
  }
  // Skills.
  std::unordered_map<std::string, uint32_t> skill_ids;
  c.skills_of_.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    const Achievement& a = c.achievements_[i];
    for (size_t k = 0; k < a.alignment.size(); ++k) {
      auto id = ResolveAlignment(a.alignment[k], framework);
      if (!id.ok()) {
        return InvalidArgumentError(AchievementPath(i) + ".alignment[" +
                                    std::to_string(k) +
                                    "]: " + id.error().message());
      }
      auto [it, inserted] = skill_ids.emplace(
          std::move(*id), static_cast<uint32_t>(c.skill_ids_.size()));
      if (inserted) c.skill_ids_.push_back(it->first);
      c.skills_of_[i].push_back(it->second);
    }
    SortUnique(c.skills_of_[i]);
  }
  c.teachers_.resize(c.skill_ids_.size());
  for (uint32_t i = 0; i < n; ++i) {
    for (uint32_t s : c.skills_of_[i]) c.teachers_[s].push_back(i);
  }
  // Prerequisites.
  c.prereqs_of_.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    const Achievement& a = c.achievements_[i];
    for (size_t k = 0; k < a.prerequisites.size(); ++k) {
      auto p = c.FindAchievement(a.prerequisites[k]);
      if (!p) {
        return InvalidArgumentError(
            AchievementPath(i) + ".prerequisites[" + std::to_string(k) +
            "]: unknown achievement " + a.prerequisites[k]);
      }
      c.prereqs_of_[i].push_back(*p);
    }
    SortUnique(c.prereqs_of_[i]);
  }
  // Topological order by depth-first search; a back edge is a cycle.
  {
    std::vector<uint8_t> state(n, 0);  // 0 new, 1 on stack, 2 done
    c.topo_.reserve(n);
    for (uint32_t root = 0; root < n; ++root) {
      if (state[root]) continue;
      std::vector<std::pair<uint32_t, size_t>> stack{{root, 0}};
      state[root] = 1;
      while (!stack.empty()) {
        auto [a, next] = stack.back();
        if (next < c.prereqs_of_[a].size()) {
          ++stack.back().second;
          uint32_t p = c.prereqs_of_[a][next];
          if (state[p] == 1) {
            std::string cycle = c.achievements_[p].id;
            auto it = std::find_if(stack.begin(), stack.end(),
                                   [&](const auto& e) { return e.first == p; });
            for (++it; it != stack.end(); ++it) {
              cycle += " -> " + c.achievements_[it->first].id;
            }
            cycle += " -> " + c.achievements_[p].id;
            return InvalidArgumentError(
                AchievementPath(p) + ".prerequisites: cyclic prerequisites: " +
                cycle + " (each requires the next)");
          }
          if (state[p] == 0) {
            state[p] = 1;
            stack.push_back({p, 0});
          }
        } else {
          state[a] = 2;
          c.topo_.push_back(a);
          stack.pop_back();
        }
      }
    }
  }
  // Indexes over the final vectors.
  for (uint32_t s = 0; s < c.skill_ids_.size(); ++s)
    c.skill_index_.emplace(c.skill_ids_[s], s);
  c.achievement_index_.clear();
  for (uint32_t i = 0; i < n; ++i)
    c.achievement_index_.emplace(c.achievements_[i].id, i);
  for (uint32_t i = 0; i < c.issuers_.size(); ++i)
    c.issuer_index_.emplace(c.issuers_[i].id, i);
  return c;
}

namespace {

Status TypeError(const json::Path& p, std::string_view want,
                 const json::Value& v) {
  return InvalidArgumentError(p.str() + ": expected " + std::string(want) +
                              ", got " + std::string(json::TypeName(v)));
}

Result<std::string> GetStr(const json::Object& o, std::string_view key,
                           const json::Path& p, bool required) {
  auto it = o.find(key);
  if (it == o.end()) {
    if (required) return InvalidArgumentError(p.Key(key).str() + ": missing");
    return std::string();
  }
  if (!it->value().is_string())
    return TypeError(p.Key(key), "a string", it->value());
  return std::string(it->value().as_string());
}

Result<double> GetNumber(const json::Object& o, std::string_view key,
                         const json::Path& p, double fallback) {
  auto it = o.find(key);
  if (it == o.end()) return fallback;
  const json::Value& v = it->value();
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  if (v.is_double()) return v.as_double();
  return TypeError(p.Key(key), "a number", v);
}

Result<Alignment> ParseAlignment(const json::Value& v, const json::Path& p) {
  if (!v.is_object()) return TypeError(p, "an object", v);
  const json::Object& o = v.as_object();
  Alignment a;
  CREDSTACK_ASSIGN_OR_RETURN(a.target_name, GetStr(o, "targetName", p, false));
  CREDSTACK_ASSIGN_OR_RETURN(a.target_url, GetStr(o, "targetUrl", p, false));
  CREDSTACK_ASSIGN_OR_RETURN(a.target_description,
                             GetStr(o, "targetDescription", p, false));
  CREDSTACK_ASSIGN_OR_RETURN(a.target_framework,
                             GetStr(o, "targetFramework", p, false));
  CREDSTACK_ASSIGN_OR_RETURN(a.target_code, GetStr(o, "targetCode", p, false));
  CREDSTACK_ASSIGN_OR_RETURN(a.target_type, GetStr(o, "targetType", p, false));
  return a;
}

// "issuer" (or OB 3.0's "creator") is an id string or a Profile object.
Result<std::string> ParseIssuerRef(const json::Object& o, const json::Path& p) {
  for (std::string_view key : {"issuer", "creator"}) {
    auto it = o.find(key);
    if (it == o.end()) continue;
    if (it->value().is_string()) return std::string(it->value().as_string());
    if (it->value().is_object()) {
      return GetStr(it->value().as_object(), "id", p.Key(key), true);
    }
    return TypeError(p.Key(key), "a string or an object", it->value());
  }
  return std::string();
}

Result<Achievement> ParseAchievement(const json::Value& v, const json::Path& p,
                                     const CatalogOptions& options) {
  if (!v.is_object()) return TypeError(p, "an object", v);
  const json::Object& o = v.as_object();
  Achievement a;
  CREDSTACK_ASSIGN_OR_RETURN(a.id, GetStr(o, "id", p, true));
  CREDSTACK_ASSIGN_OR_RETURN(a.name, GetStr(o, "name", p, false));
  if (a.name.empty()) a.name = a.id;
  CREDSTACK_ASSIGN_OR_RETURN(a.issuer, ParseIssuerRef(o, p));
  CREDSTACK_ASSIGN_OR_RETURN(a.hours, GetNumber(o, "hours", p, 0));
  CREDSTACK_ASSIGN_OR_RETURN(a.price, GetNumber(o, "price", p, 0));
  CREDSTACK_ASSIGN_OR_RETURN(a.currency, GetStr(o, "currency", p, false));
  CREDSTACK_ASSIGN_OR_RETURN(double credits_available,
                             GetNumber(o, "creditsAvailable", p, 0));
  CREDSTACK_ASSIGN_OR_RETURN(a.credits,
                             GetNumber(o, "credits", p, credits_available));
  if (auto it = o.find("level"); it != o.end()) {
    if (!it->value().is_int64())
      return TypeError(p.Key("level"), "an integer", it->value());
    a.level = static_cast<int>(
        std::clamp<int64_t>(it->value().as_int64(), -1000, 1000));
  }
  if (auto it = o.find("alignment"); it != o.end()) {
    if (!it->value().is_array())
      return TypeError(p.Key("alignment"), "an array", it->value());
    const json::Array& arr = it->value().as_array();
    if (arr.size() > options.max_alignments) {
      return ResourceExhaustedError(p.Key("alignment").str() +
                                    ": too many alignments");
    }
    for (size_t k = 0; k < arr.size(); ++k) {
      CREDSTACK_ASSIGN_OR_RETURN(
          Alignment al, ParseAlignment(arr[k], p.Key("alignment").Index(k)));
      a.alignment.push_back(std::move(al));
    }
  }
  if (auto it = o.find("prerequisites"); it != o.end()) {
    if (!it->value().is_array())
      return TypeError(p.Key("prerequisites"), "an array", it->value());
    const json::Array& arr = it->value().as_array();
    if (arr.size() > options.max_prerequisites) {
      return ResourceExhaustedError(p.Key("prerequisites").str() +
                                    ": too many prerequisites");
    }
    for (size_t k = 0; k < arr.size(); ++k) {
      if (!arr[k].is_string())
        return TypeError(p.Key("prerequisites").Index(k), "a string", arr[k]);
      a.prerequisites.emplace_back(arr[k].as_string());
    }
  }
  return a;
}

}  // namespace

Result<Catalog> ParseCatalog(std::string_view text, const Framework* framework,
                             const CatalogOptions& options) {
  json::ParseOptions po;
  po.max_size = options.max_bytes;
  po.max_depth = 16;
  CREDSTACK_ASSIGN_OR_RETURN(json::Value doc, json::Parse(text, po));
  json::Path root;
  if (!doc.is_object()) return TypeError(root, "an object", doc);
  const json::Object& o = doc.as_object();
  std::vector<Issuer> issuers;
  if (auto it = o.find("issuers"); it != o.end()) {
    if (!it->value().is_array())
      return TypeError(root.Key("issuers"), "an array", it->value());
    const json::Array& arr = it->value().as_array();
    for (size_t i = 0; i < arr.size(); ++i) {
      json::Path p = root.Key("issuers").Index(i);
      if (!arr[i].is_object()) return TypeError(p, "an object", arr[i]);
      const json::Object& io = arr[i].as_object();
      Issuer is;
      CREDSTACK_ASSIGN_OR_RETURN(is.id, GetStr(io, "id", p, true));
      CREDSTACK_ASSIGN_OR_RETURN(is.name, GetStr(io, "name", p, false));
      if (auto t = io.find("trusted"); t != io.end()) {
        if (!t->value().is_bool())
          return TypeError(p.Key("trusted"), "a boolean", t->value());
        is.trusted = t->value().as_bool();
      }
      issuers.push_back(std::move(is));
    }
  }
  auto it = o.find("achievements");
  if (it == o.end()) return InvalidArgumentError("$.achievements: missing");
  if (!it->value().is_array())
    return TypeError(root.Key("achievements"), "an array", it->value());
  const json::Array& arr = it->value().as_array();
  if (arr.size() > options.max_achievements) {
    return ResourceExhaustedError("$.achievements: more than " +
                                  std::to_string(options.max_achievements) +
                                  " achievements");
  }
  std::vector<Achievement> achievements;
  achievements.reserve(arr.size());
  for (size_t i = 0; i < arr.size(); ++i) {
    CREDSTACK_ASSIGN_OR_RETURN(
        Achievement a,
        ParseAchievement(arr[i], root.Key("achievements").Index(i), options));
    achievements.push_back(std::move(a));
  }
  return Catalog::Build(std::move(achievements), std::move(issuers), framework,
                        options);
}

}  // namespace credstack::pathways
