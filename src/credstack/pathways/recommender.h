#pragma once

// The learning-path recommender: from what a learner holds to a target
// (an occupation's essential skills, or an explicit skill set), the set of
// catalog achievements that covers every missing skill at minimum cost,
// closed under prerequisites and in a valid order. Also the cheapest way to
// finish a stackable pathway. Both build a PlanningProblem (planner.h) over
// only the relevant achievements (those teaching a needed skill or named by
// the pathway, plus their prerequisite closure) and solve it exactly with
// CBC under a time budget, or greedily.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/pathways/catalog.h"
#include "credstack/pathways/framework.h"
#include "credstack/pathways/pathway.h"
#include "credstack/pathways/planner.h"

namespace credstack::pathways {

enum class Objective { kHours, kPrice, kMix };
Result<Objective> ParseObjective(std::string_view s);  // "hours" "price" "mix"

struct PlanOptions {
  Objective objective = Objective::kHours;
  // For kMix: cost = price + hours * hour_value (price units per hour).
  double hour_value = 20;
  // Breadth bonus (objective units) per top-level skill group the plan
  // adds to the learner's profile; needs a framework. 0 disables.
  double breadth_bonus = 0;
  int breadth_level = 1;
  std::optional<double> max_hours;
  std::optional<double> max_price;
  std::vector<std::string> allowed_issuers;  // empty = any
  std::vector<std::string> excluded_issuers;
  bool only_trusted = false;  // catalog flags + trusted_issuers
  std::vector<std::string> trusted_issuers;
  // Prefer plans that also finish this pathway: `pathway_bonus` objective
  // units off when the plan (with what is held) satisfies it.
  const Pathway* prefer_pathway = nullptr;
  double pathway_bonus = 0;
  bool greedy = false;
  std::chrono::milliseconds time_budget{2000};
};

struct RecommendRequest {
  std::vector<std::string> held_skills;        // skill ids
  std::vector<std::string> held_achievements;  // catalog ids
  std::vector<std::string> target_skills;      // skills the target needs
  PlanOptions options;
};

struct PlanStep {
  std::string achievement_id;
  std::string name;
  std::string issuer;
  double hours = 0;
  double price = 0;
  double credits = 0;
  // Needed skills this step covers first (empty for a step taken only as a
  // prerequisite of a later one).
  std::vector<std::string> covers;
  // Later steps that need this one as a prerequisite.
  std::vector<std::string> prerequisite_of;
};

struct Plan {
  PlanStatus status = PlanStatus::kNoPlan;
  std::vector<PlanStep> steps;  // in a valid order
  double total_hours = 0;
  double total_price = 0;
  double total_credits = 0;
  double objective = 0;
  // Proven lower bound on the optimal objective (exact planner); equal to
  // objective when optimal.
  std::optional<double> lower_bound;
  std::vector<std::string> target_skills;   // as requested (deduplicated)
  std::vector<std::string> missing_skills;  // target skills not yet held
  // Infeasible: missing skills that no (allowed) catalog achievement teaches.
  std::vector<std::string> untaught_skills;
  std::string detail;
  // Absolute gap objective - lower_bound (0 when optimal).
  double gap() const { return lower_bound ? objective - *lower_bound : 0; }
};

// Plans the cheapest way from held skills/achievements to the target skills.
// Errors: kInvalidArgument for unknown held achievements, empty target, or
// options that need a framework without one. An unreachable target is not
// an error: the plan says kInfeasible and lists the untaught skills.
Result<Plan> Recommend(const Catalog& catalog, const Framework* framework,
                       const RecommendRequest& request);

// The essential (and optionally optional) skill ids of an occupation, given
// by id, code or preferred label. kNotFound when there is no such occupation.
Result<std::vector<std::string>> OccupationSkills(
    const Framework& framework, std::string_view occupation,
    bool include_optional = false);

// The cheapest way to finish a pathway from the achievements held: steps
// that satisfy every missing part (n-of and credits/hours-at-least handled
// exactly in the integer program). Status kInfeasible when the catalog (with
// the filters) cannot complete it.
Result<Plan> FinishPathway(const Pathway& pathway, const Catalog& catalog,
                           const Framework* framework,
                           const std::vector<std::string>& held_achievements,
                           const PlanOptions& options);

}  // namespace credstack::pathways
