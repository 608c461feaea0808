#pragma once

// A skills framework held in memory: skills, skill groups (the hierarchy
// above skills), occupations with the skills they require, and where the
// data came from. Imported from ESCO or O*NET (esco_import.h,
// onet_import.h) or a JSON snapshot (framework_json.h).
//
// Every concept has a stable string id (the ESCO concept URI, the O*NET
// element id or O*NET-SOC code). Relations between concepts are stored as
// indices into the vectors below, so the strings are held once ("interned").
// Ids, not indices, are what the store persists and what DiffFrameworks()
// compares, so a newer release can be applied in place.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "credstack/base/status.h"

namespace credstack::pathways {

inline constexpr uint32_t kNoIndex = UINT32_MAX;

enum class SkillType : uint8_t {
  kUnspecified,
  kSkillCompetence,  // ESCO "skill/competence", O*NET Skills.txt
  kKnowledge,        // ESCO "knowledge", O*NET Knowledge.txt
  kAbility,          // O*NET Abilities.txt
};
// "skill/competence", "knowledge", "ability" or "".
std::string_view SkillTypeName(SkillType t);
SkillType ParseSkillType(std::string_view s);

// ESCO's reuse level: how widely a skill applies.
enum class ReuseLevel : uint8_t {
  kUnspecified,
  kTransversal,
  kCrossSector,
  kSectorSpecific,
  kOccupationSpecific,
};
std::string_view ReuseLevelName(ReuseLevel r);
ReuseLevel ParseReuseLevel(std::string_view s);

enum class RelationType : uint8_t { kEssential, kOptional };
std::string_view RelationTypeName(RelationType r);

struct SkillGroup {
  std::string id;
  std::string label;
  std::string code;  // e.g. "S1.2" (ESCO hierarchy code), may be empty
  std::string description;
  std::vector<uint32_t> broader;  // parent groups (indices into groups())
  int level = 0;                  // 0 for top-level groups; set by Finish()
};

struct Skill {
  std::string id;
  std::string label;
  std::string description;
  SkillType type = SkillType::kUnspecified;
  ReuseLevel reuse = ReuseLevel::kUnspecified;
  std::vector<uint32_t> broader_groups;  // indices into groups()
  std::vector<uint32_t> broader_skills;  // indices into skills()
};

struct OccupationSkill {
  uint32_t skill = kNoIndex;
  RelationType relation = RelationType::kEssential;
  // O*NET importance (IM, 1-5) and level (LV, 0-7) when the source has them.
  std::optional<float> importance;
  std::optional<float> level;
};

struct Occupation {
  std::string id;
  std::string label;
  std::string code;        // ESCO code (e.g. "2654.1.7") or O*NET-SOC code
  std::string isco_group;  // ISCO-08 unit group (ESCO only)
  std::string description;
  std::vector<OccupationSkill> skills;
};

struct FrameworkInfo {
  std::string name;         // "ESCO", "O*NET"
  std::string version;      // "1.1.1"
  std::string attribution;  // shown wherever the data is displayed
  std::string format;       // "esco", "esco-sample", "onet", "snapshot"
};

// Dangling references and similar oddities found in otherwise valid source
// data (the official ESCO v1.1.1 files have a few). They are skipped and
// counted; Import fails instead when ImportOptions::strict is set.
struct ImportWarnings {
  uint64_t count = 0;
  std::vector<std::string> examples;  // the first few, "file:line: what"
  void Add(std::string what, size_t keep = 10) {
    ++count;
    if (examples.size() < keep) examples.push_back(std::move(what));
  }
};

// Immutable once built. Move-only: the id indexes point into the owned
// vectors. Thread-safe for concurrent reads.
class Framework {
 public:
  Framework() = default;
  Framework(Framework&&) = default;
  Framework& operator=(Framework&&) = default;
  Framework(const Framework&) = delete;
  Framework& operator=(const Framework&) = delete;

  const FrameworkInfo& info() const { return info_; }
  std::span<const Skill> skills() const { return skills_; }
  std::span<const SkillGroup> groups() const { return groups_; }
  std::span<const Occupation> occupations() const { return occupations_; }
  const ImportWarnings& warnings() const { return warnings_; }

  std::optional<uint32_t> FindSkill(std::string_view id) const;
  std::optional<uint32_t> FindGroup(std::string_view id) const;
  std::optional<uint32_t> FindOccupation(std::string_view id) const;
  // Looks a skill up by id, else by preferred label (ASCII case-insensitive;
  // the first match in id order).
  std::optional<uint32_t> FindSkillByIdOrLabel(std::string_view s) const;
  // Looks an occupation up by id, code, or preferred label.
  std::optional<uint32_t> FindOccupationByAnyName(std::string_view s) const;

  // The groups at hierarchy level `level` above a skill (through broader
  // skills and broader groups), sorted and unique. Level 0 is the top.
  std::vector<uint32_t> GroupsAtLevel(uint32_t skill, int level) const;
  int max_group_level() const { return max_group_level_; }

  size_t relation_count() const;

  class Builder;

 private:
  FrameworkInfo info_;
  std::vector<Skill> skills_;
  std::vector<SkillGroup> groups_;
  std::vector<Occupation> occupations_;
  ImportWarnings warnings_;
  int max_group_level_ = 0;
  // Keys view into the id strings above; rebuilt by Builder::Finish.
  std::unordered_map<std::string_view, uint32_t> skill_index_;
  std::unordered_map<std::string_view, uint32_t> group_index_;
  std::unordered_map<std::string_view, uint32_t> occupation_index_;
};

// Builds a Framework. Importers add every concept first (AddSkill ...),
// call IndexConcepts(), then resolve relations by id, then Finish().
class Framework::Builder {
 public:
  explicit Builder(FrameworkInfo info);

  // Add concepts; ids must be unique within their kind (kInvalidArgument
  // otherwise, reported by IndexConcepts()).
  uint32_t AddSkill(Skill skill);
  uint32_t AddGroup(SkillGroup group);
  uint32_t AddOccupation(Occupation occupation);
  Skill& skill(uint32_t i) { return fw_.skills_[i]; }
  SkillGroup& group(uint32_t i) { return fw_.groups_[i]; }
  Occupation& occupation(uint32_t i) { return fw_.occupations_[i]; }
  size_t skill_count() const { return fw_.skills_.size(); }
  size_t group_count() const { return fw_.groups_.size(); }
  size_t occupation_count() const { return fw_.occupations_.size(); }
  ImportWarnings& warnings() { return fw_.warnings_; }

  // Builds the id indexes; fails on a duplicate id. After this no concept
  // may be added.
  Status IndexConcepts();
  std::optional<uint32_t> FindSkill(std::string_view id) const {
    return fw_.FindSkill(id);
  }
  std::optional<uint32_t> FindGroup(std::string_view id) const {
    return fw_.FindGroup(id);
  }
  std::optional<uint32_t> FindOccupation(std::string_view id) const {
    return fw_.FindOccupation(id);
  }

  // Sorts and deduplicates relations, computes group levels (breadth-first
  // from the groups without a broader group), and rejects cycles in the
  // group hierarchy (kInvalidArgument).
  Result<Framework> Finish() &&;

 private:
  Framework fw_;
  bool indexed_ = false;
};

// Differences between two versions of a framework, by stable id. A store
// applies it in place: insert added, delete removed, update changed.
struct FrameworkDiff {
  std::vector<std::string> added_skills, removed_skills, changed_skills;
  std::vector<std::string> added_groups, removed_groups, changed_groups;
  std::vector<std::string> added_occupations, removed_occupations,
      changed_occupations;  // changed includes changed skill relations
  bool empty() const;
};
FrameworkDiff DiffFrameworks(const Framework& before, const Framework& after);

}  // namespace credstack::pathways
