#pragma once

// Stackable pathways: a rule tree over achievements, possibly from several
// issuers, whose satisfaction earns a stacked credential. JSON format in
// docs/formats/pathway.md. Evaluation works on the set of achievements a
// learner holds (verified credentials; the caller decides which count).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/pathways/catalog.h"

namespace credstack::pathways {

struct PathwayRule {
  enum class Kind : uint8_t {
    kAchievement,     // the achievement `achievement` is held
    kAllOf,           // every child rule
    kNOf,             // at least `n` child rules
    kCreditsAtLeast,  // held achievements from `from` sum to >= threshold
                      // credits
    kHoursAtLeast,    // ... hours
    kSkills,          // every skill in `skills` is taught by a held achievement
  };
  Kind kind = Kind::kAllOf;
  std::string name;         // optional label for display
  std::string path;         // JSON path of the rule, e.g. "$.rule.rules[1]"
  std::string achievement;  // kAchievement
  std::vector<uint32_t> children;  // indices into Pathway::rules (kAllOf, kNOf)
  uint32_t n = 0;                  // kNOf
  double threshold = 0;            // kCreditsAtLeast, kHoursAtLeast
  // kCreditsAtLeast/kHoursAtLeast: achievements that count; empty with
  // from_any = every catalog achievement.
  std::vector<std::string> from;
  bool from_any = false;
  std::vector<std::string> skills;  // kSkills
};
std::string_view PathwayRuleKindName(PathwayRule::Kind k);

struct Pathway {
  std::string id;
  std::string name;
  std::string owner;        // issuer of the stacked credential (DID or URL)
  std::string achievement;  // id of the stacked achievement awarded
  std::vector<PathwayRule>
      rules;  // rules[0] is the root; children follow parents
};

struct PathwayOptions {
  size_t max_bytes = 1 << 20;
  size_t max_rules = 10'000;
  size_t max_depth = 32;
  size_t max_list = 10'000;  // achievements in a "from" list, skills in a rule
};

// Parses and structurally validates a pathway definition. Errors
// (kInvalidArgument) name the JSON path: unknown rule type, n larger than
// the number of rules, non-positive threshold, empty lists, missing fields.
// kResourceExhausted when a PathwayOptions limit is hit.
Result<Pathway> ParsePathway(std::string_view json,
                             const PathwayOptions& options = {});

// Checks the pathway against a catalog: every named achievement exists;
// with a framework behind the catalog, every skill is a framework skill.
// Errors name the JSON path.
Status ValidatePathway(const Pathway& pathway, const Catalog& catalog,
                       const Framework* framework = nullptr);

struct RuleProgress {
  bool satisfied = false;
  // What the rule counts and needs: achievements held, child rules
  // satisfied, credits/hours summed, skills covered.
  double have = 0;
  double need = 0;
  std::vector<std::string> missing;  // achievements/skills still missing
  std::vector<std::string> counted;  // held achievements that count here
};

struct PathwayProgress {
  bool satisfied = false;
  std::vector<RuleProgress> rules;  // parallel to Pathway::rules
};

// Evaluates the pathway against the achievements a learner holds. A catalog
// is needed for credit, hour and skill rules (kFailedPrecondition without
// one). Unknown held ids are ignored.
Result<PathwayProgress> EvaluatePathway(const Pathway& pathway,
                                        std::span<const std::string> held,
                                        const Catalog* catalog);

}  // namespace credstack::pathways
