#pragma once

// The planning core, in index space: which items (achievements) to take so
// that a requirement tree is satisfied at minimum cost, with every taken
// item's prerequisites taken too (or already held). The recommender and
// pathway completion both reduce to this problem (recommender.h builds it
// from a catalog).
//
// Exact: a 0-1 integer program solved by COIN-OR CBC (docs/decisions in
// recommender.h): x_i per item; precedence x_p >= x_i; a requirement forced
// true becomes a covering row (skill: sum of its teachers' x >= 1; n-of:
// sum of child indicators >= n; sum-at-least: sum w_i x_i >= X); a
// requirement used as a child gets a binary indicator y bounded above by
// what satisfies it. Greedy: weighted set-cover style, repeatedly taking the
// item (with its missing prerequisites) that removes the most unmet
// requirement per unit cost, then dropping redundant items.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace credstack::pathways {

struct PlanItem {
  double cost = 0;    // objective weight when taken
  double hours = 0;   // for max_hours
  double price = 0;   // for max_price
  bool held = false;  // already held: counts as taken, costs nothing
  std::vector<uint32_t> prerequisites;  // item indices
  std::vector<uint32_t> skills;         // skill indices it teaches
  std::vector<uint32_t> groups;         // skill groups (breadth bonus)
};

struct Requirement {
  enum class Kind : uint8_t {
    kAllOf,       // every child
    kAtLeast,     // at least `count` children
    kSumAtLeast,  // sum of weights of taken pool items >= threshold
    kItem,        // item `ref` taken (or held)
    kSkill,       // skill `ref` held or taught by a taken item
    kTrue,
    kFalse,  // e.g. an achievement the filters exclude
  };
  Kind kind = Kind::kTrue;
  std::vector<uint32_t> children;  // node indices (kAllOf, kAtLeast)
  uint32_t count = 0;              // kAtLeast
  uint32_t ref = 0;                // kItem, kSkill
  std::vector<uint32_t> pool;      // kSumAtLeast: item indices
  std::vector<double> weights;     // kSumAtLeast: parallel to pool
  double threshold = 0;            // kSumAtLeast
};

struct PlanningProblem {
  std::vector<PlanItem> items;
  uint32_t skill_count = 0;
  std::vector<uint8_t> skill_held;  // per skill; held from another source
  std::vector<Requirement> nodes;   // a tree (or DAG) of requirements
  uint32_t root = 0;                // must be satisfied
  // A soft goal worth `bonus` objective units when satisfied (e.g. finishing
  // a preferred pathway).
  std::optional<uint32_t> bonus_root;
  double bonus = 0;
  // Breadth: `group_bonus` objective units per skill group covered by the
  // plan that the learner did not cover yet.
  uint32_t group_count = 0;
  std::vector<uint8_t> group_held;
  double group_bonus = 0;
  std::optional<double> max_hours;
  std::optional<double> max_price;
};

enum class PlanStatus {
  kOptimal,     // proven optimal by the exact solver
  kFeasible,    // exact solver's time budget ended: best found + proven gap
  kGreedy,      // heuristic plan, optimality unknown
  kInfeasible,  // proven: no plan satisfies the requirements
  kNoPlan,      // none found (time budget, or greedy got stuck)
};
std::string_view PlanStatusName(PlanStatus s);

struct PlanSolution {
  PlanStatus status = PlanStatus::kNoPlan;
  std::vector<uint32_t> taken;  // not-held items, prerequisites first
  double objective = 0;
  // Proven lower bound on the optimum (exact only; == objective when
  // optimal, -infinity when unknown).
  double lower_bound = 0;
  std::string detail;
};

struct SolveOptions {
  // Wall-clock budget for the exact solver.
  std::chrono::milliseconds time_budget{2000};
  // Seed CBC with the greedy plan (an upper bound).
  bool warm_start = true;
};

// Validates index ranges and structure (a kInvalidArgument-style message,
// empty when fine). Both solvers CHECK-fail on an invalid problem.
std::string ValidateProblem(const PlanningProblem& p);

PlanSolution SolveGreedy(const PlanningProblem& p);
PlanSolution SolveExact(const PlanningProblem& p,
                        const SolveOptions& options = {});

// Evaluation helpers shared by the solvers, pathway progress and tests.
// `taken` has one flag per item; held items count as taken whatever it says.
bool IsSatisfied(const PlanningProblem& p, uint32_t node,
                 const std::vector<uint8_t>& taken);
// Per node: satisfied or not.
std::vector<uint8_t> EvaluateAll(const PlanningProblem& p,
                                 const std::vector<uint8_t>& taken);
// Every taken, not-held item has its prerequisites taken or held.
bool PrerequisitesClosed(const PlanningProblem& p,
                         const std::vector<uint8_t>& taken);
bool WithinBudget(const PlanningProblem& p, const std::vector<uint8_t>& taken);
// Sum of costs of taken (not held) items minus the bonuses earned.
double ObjectiveValue(const PlanningProblem& p,
                      const std::vector<uint8_t>& taken);
// The taken, not-held items ordered so prerequisites come first (ties by
// index).
std::vector<uint32_t> OrderPlan(const PlanningProblem& p,
                                const std::vector<uint8_t>& taken);

}  // namespace credstack::pathways
