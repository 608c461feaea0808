#include "credstack/pathways/framework.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <set>
#include <tuple>

namespace credstack::pathways {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

template <typename T>
void SortUnique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

std::optional<uint32_t> Lookup(
    const std::unordered_map<std::string_view, uint32_t>& index,
    std::string_view id) {
  auto it = index.find(id);
  if (it == index.end()) return std::nullopt;
  return it->second;
}

}  // namespace

std::string_view SkillTypeName(SkillType t) {
  switch (t) {
    case SkillType::kSkillCompetence:
      return "skill/competence";
    case SkillType::kKnowledge:
      return "knowledge";
    case SkillType::kAbility:
      return "ability";
    case SkillType::kUnspecified:
      break;
  }
  return "";
}

SkillType ParseSkillType(std::string_view s) {
  if (s == "skill/competence" || s == "skill")
    return SkillType::kSkillCompetence;
  if (s == "knowledge") return SkillType::kKnowledge;
  if (s == "ability") return SkillType::kAbility;
  return SkillType::kUnspecified;
}

std::string_view ReuseLevelName(ReuseLevel r) {
  switch (r) {
    case ReuseLevel::kTransversal:
      return "transversal";
    case ReuseLevel::kCrossSector:
      return "cross-sector";
    case ReuseLevel::kSectorSpecific:
      return "sector-specific";
    case ReuseLevel::kOccupationSpecific:
      return "occupation-specific";
    case ReuseLevel::kUnspecified:
      break;
  }
  return "";
}

ReuseLevel ParseReuseLevel(std::string_view s) {
  if (s == "transversal") return ReuseLevel::kTransversal;
  if (s == "cross-sector") return ReuseLevel::kCrossSector;
  if (s == "sector-specific") return ReuseLevel::kSectorSpecific;
  if (s == "occupation-specific") return ReuseLevel::kOccupationSpecific;
  return ReuseLevel::kUnspecified;
}

std::string_view RelationTypeName(RelationType r) {
  return r == RelationType::kEssential ? "essential" : "optional";
}

std::optional<uint32_t> Framework::FindSkill(std::string_view id) const {
  return Lookup(skill_index_, id);
}
std::optional<uint32_t> Framework::FindGroup(std::string_view id) const {
  return Lookup(group_index_, id);
}
std::optional<uint32_t> Framework::FindOccupation(std::string_view id) const {
  return Lookup(occupation_index_, id);
}

std::optional<uint32_t> Framework::FindSkillByIdOrLabel(
    std::string_view s) const {
  if (auto i = FindSkill(s)) return i;
  for (uint32_t i = 0; i < skills_.size(); ++i) {
    if (EqualsIgnoreCase(skills_[i].label, s)) return i;
  }
  return std::nullopt;
}

std::optional<uint32_t> Framework::FindOccupationByAnyName(
    std::string_view s) const {
  if (auto i = FindOccupation(s)) return i;
  for (uint32_t i = 0; i < occupations_.size(); ++i) {
    if (!occupations_[i].code.empty() && occupations_[i].code == s) return i;
  }
  for (uint32_t i = 0; i < occupations_.size(); ++i) {
    if (EqualsIgnoreCase(occupations_[i].label, s)) return i;
  }
  return std::nullopt;
}

std::vector<uint32_t> Framework::GroupsAtLevel(uint32_t skill,
                                               int level) const {
  std::vector<uint32_t> out;
  std::vector<uint32_t> skill_stack{skill};
  std::vector<bool> seen_skill(skills_.size(), false);
  std::vector<uint32_t> group_stack;
  seen_skill[skill] = true;
  while (!skill_stack.empty()) {
    uint32_t s = skill_stack.back();
    skill_stack.pop_back();
    for (uint32_t b : skills_[s].broader_skills) {
      if (!seen_skill[b]) {
        seen_skill[b] = true;
        skill_stack.push_back(b);
      }
    }
    for (uint32_t g : skills_[s].broader_groups) group_stack.push_back(g);
  }
  std::set<uint32_t> seen_group;
  while (!group_stack.empty()) {
    uint32_t g = group_stack.back();
    group_stack.pop_back();
    if (!seen_group.insert(g).second) continue;
    if (groups_[g].level == level) {
      out.push_back(g);
    } else if (groups_[g].level > level) {
      for (uint32_t b : groups_[g].broader) group_stack.push_back(b);
    }
  }
  SortUnique(out);
  return out;
}

size_t Framework::relation_count() const {
  size_t n = 0;
  for (const Occupation& o : occupations_) n += o.skills.size();
  return n;
}

Framework::Builder::Builder(FrameworkInfo info) { fw_.info_ = std::move(info); }

uint32_t Framework::Builder::AddSkill(Skill skill) {
  CREDSTACK_CHECK(!indexed_);
  fw_.skills_.push_back(std::move(skill));
  return static_cast<uint32_t>(fw_.skills_.size() - 1);
}
uint32_t Framework::Builder::AddGroup(SkillGroup group) {
  CREDSTACK_CHECK(!indexed_);
  fw_.groups_.push_back(std::move(group));
  return static_cast<uint32_t>(fw_.groups_.size() - 1);
}
uint32_t Framework::Builder::AddOccupation(Occupation occupation) {
  CREDSTACK_CHECK(!indexed_);
  fw_.occupations_.push_back(std::move(occupation));
  return static_cast<uint32_t>(fw_.occupations_.size() - 1);
}

Status Framework::Builder::IndexConcepts() {
  indexed_ = true;
  auto build = [](auto& items, auto& index, std::string_view kind) -> Status {
    index.clear();
    index.reserve(items.size() * 2);
    for (uint32_t i = 0; i < items.size(); ++i) {
      if (items[i].id.empty()) {
        return InvalidArgumentError(std::string(kind) + " with an empty id");
      }
      if (!index.emplace(std::string_view(items[i].id), i).second) {
        return InvalidArgumentError("duplicate " + std::string(kind) + " id " +
                                    items[i].id);
      }
    }
    return OkStatus();
  };
  CREDSTACK_RETURN_IF_ERROR(build(fw_.skills_, fw_.skill_index_, "skill"));
  CREDSTACK_RETURN_IF_ERROR(
      build(fw_.groups_, fw_.group_index_, "skill group"));
  return build(fw_.occupations_, fw_.occupation_index_, "occupation");
}

Result<Framework> Framework::Builder::Finish() && {
  if (!indexed_) CREDSTACK_RETURN_IF_ERROR(IndexConcepts());
  for (Skill& s : fw_.skills_) {
    SortUnique(s.broader_groups);
    SortUnique(s.broader_skills);
  }
  for (Occupation& o : fw_.occupations_) {
    std::sort(o.skills.begin(), o.skills.end(),
              [](const OccupationSkill& a, const OccupationSkill& b) {
                return a.skill < b.skill;
              });
    // A skill listed twice keeps its first (strongest) relation.
    o.skills.erase(
        std::unique(o.skills.begin(), o.skills.end(),
                    [](const OccupationSkill& a, const OccupationSkill& b) {
                      return a.skill == b.skill;
                    }),
        o.skills.end());
  }
  // Group levels: breadth-first from the roots; a group reachable along
  // several paths takes its shortest distance.
  const size_t n = fw_.groups_.size();
  std::vector<std::vector<uint32_t>> children(n);
  for (uint32_t g = 0; g < n; ++g) {
    SortUnique(fw_.groups_[g].broader);
    for (uint32_t b : fw_.groups_[g].broader) children[b].push_back(g);
  }
  std::vector<int> level(n, -1);
  std::deque<uint32_t> queue;
  for (uint32_t g = 0; g < n; ++g) {
    if (fw_.groups_[g].broader.empty()) {
      level[g] = 0;
      queue.push_back(g);
    }
  }
  while (!queue.empty()) {
    uint32_t g = queue.front();
    queue.pop_front();
    for (uint32_t c : children[g]) {
      if (level[c] < 0) {
        level[c] = level[g] + 1;
        queue.push_back(c);
      }
    }
  }
  fw_.max_group_level_ = 0;
  for (uint32_t g = 0; g < n; ++g) {
    if (level[g] < 0) {
      return InvalidArgumentError("skill group hierarchy has a cycle through " +
                                  fw_.groups_[g].id);
    }
    fw_.groups_[g].level = level[g];
    fw_.max_group_level_ = std::max(fw_.max_group_level_, level[g]);
  }
  // Broader skills must not form a cycle either (GroupsAtLevel tolerates it,
  // but a hierarchy with one is malformed).
  {
    std::vector<uint8_t> state(fw_.skills_.size(), 0);  // 0 new 1 open 2 done
    for (uint32_t root = 0; root < fw_.skills_.size(); ++root) {
      if (state[root] != 0) continue;
      std::vector<std::pair<uint32_t, size_t>> stack{{root, 0}};
      state[root] = 1;
      while (!stack.empty()) {
        auto& [s, next] = stack.back();
        const auto& up = fw_.skills_[s].broader_skills;
        if (next < up.size()) {
          uint32_t b = up[next++];
          if (state[b] == 1) {
            return InvalidArgumentError("skill hierarchy has a cycle through " +
                                        fw_.skills_[b].id);
          }
          if (state[b] == 0) {
            state[b] = 1;
            stack.push_back({b, 0});
          }
        } else {
          state[s] = 2;
          stack.pop_back();
        }
      }
    }
  }
  return std::move(fw_);
}

namespace {

std::vector<std::string_view> Ids(const Framework& fw,
                                  const std::vector<uint32_t>& idx,
                                  bool groups) {
  std::vector<std::string_view> out;
  for (uint32_t i : idx) {
    out.push_back(groups ? std::string_view(fw.groups()[i].id)
                         : std::string_view(fw.skills()[i].id));
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool SameSkill(const Framework& a, const Skill& x, const Framework& b,
               const Skill& y) {
  return x.label == y.label && x.description == y.description &&
         x.type == y.type && x.reuse == y.reuse &&
         Ids(a, x.broader_groups, true) == Ids(b, y.broader_groups, true) &&
         Ids(a, x.broader_skills, false) == Ids(b, y.broader_skills, false);
}

bool SameGroup(const Framework& a, const SkillGroup& x, const Framework& b,
               const SkillGroup& y) {
  return x.label == y.label && x.description == y.description &&
         x.code == y.code && Ids(a, x.broader, true) == Ids(b, y.broader, true);
}

bool SameOccupation(const Framework& a, const Occupation& x, const Framework& b,
                    const Occupation& y) {
  if (x.label != y.label || x.description != y.description ||
      x.code != y.code || x.isco_group != y.isco_group ||
      x.skills.size() != y.skills.size()) {
    return false;
  }
  using Rel = std::tuple<std::string_view, RelationType, std::optional<float>,
                         std::optional<float>>;
  auto rels = [](const Framework& fw, const Occupation& o) {
    std::vector<Rel> r;
    for (const OccupationSkill& s : o.skills) {
      r.emplace_back(fw.skills()[s.skill].id, s.relation, s.importance,
                     s.level);
    }
    std::sort(r.begin(), r.end());
    return r;
  };
  return rels(a, x) == rels(b, y);
}

template <typename T, typename Find, typename Same>
void DiffKind(std::span<const T> before, std::span<const T> after,
              Find find_in_before, Find find_in_after, Same same,
              std::vector<std::string>& added,
              std::vector<std::string>& removed,
              std::vector<std::string>& changed) {
  for (const T& x : before) {
    if (!find_in_after(x.id)) removed.push_back(x.id);
  }
  for (const T& y : after) {
    auto i = find_in_before(y.id);
    if (!i) {
      added.push_back(y.id);
    } else if (!same(before[*i], y)) {
      changed.push_back(y.id);
    }
  }
}

}  // namespace

bool FrameworkDiff::empty() const {
  return added_skills.empty() && removed_skills.empty() &&
         changed_skills.empty() && added_groups.empty() &&
         removed_groups.empty() && changed_groups.empty() &&
         added_occupations.empty() && removed_occupations.empty() &&
         changed_occupations.empty();
}

FrameworkDiff DiffFrameworks(const Framework& before, const Framework& after) {
  FrameworkDiff d;
  using Find = std::function<std::optional<uint32_t>(std::string_view)>;
  DiffKind<Skill, Find>(
      before.skills(), after.skills(),
      [&](std::string_view id) { return before.FindSkill(id); },
      [&](std::string_view id) { return after.FindSkill(id); },
      [&](const Skill& x, const Skill& y) {
        return SameSkill(before, x, after, y);
      },
      d.added_skills, d.removed_skills, d.changed_skills);
  DiffKind<SkillGroup, Find>(
      before.groups(), after.groups(),
      [&](std::string_view id) { return before.FindGroup(id); },
      [&](std::string_view id) { return after.FindGroup(id); },
      [&](const SkillGroup& x, const SkillGroup& y) {
        return SameGroup(before, x, after, y);
      },
      d.added_groups, d.removed_groups, d.changed_groups);
  DiffKind<Occupation, Find>(
      before.occupations(), after.occupations(),
      [&](std::string_view id) { return before.FindOccupation(id); },
      [&](std::string_view id) { return after.FindOccupation(id); },
      [&](const Occupation& x, const Occupation& y) {
        return SameOccupation(before, x, after, y);
      },
      d.added_occupations, d.removed_occupations, d.changed_occupations);
  return d;
}

}  // namespace credstack::pathways
