#include "credstack/pathways/planner.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>

#include "credstack/base/status.h"

namespace credstack::pathways {
namespace {

constexpr double kEps = 1e-9;
using Kind = Requirement::Kind;

// Nodes reachable from the roots, children before parents. Empty when the
// node graph has a cycle.
std::vector<uint32_t> PostOrder(const PlanningProblem& p, bool* cyclic) {
  std::vector<uint8_t> state(p.nodes.size(), 0);
  std::vector<uint32_t> order;
  *cyclic = false;
  std::vector<uint32_t> roots{p.root};
  if (p.bonus_root) roots.push_back(*p.bonus_root);
  for (uint32_t r : roots) {
    if (state[r]) continue;
    std::vector<std::pair<uint32_t, size_t>> stack{{r, 0}};
    state[r] = 1;
    while (!stack.empty()) {
      auto [n, next] = stack.back();
      if (next < p.nodes[n].children.size()) {
        ++stack.back().second;
        uint32_t c = p.nodes[n].children[next];
        if (state[c] == 1) {
          *cyclic = true;
          return {};
        }
        if (state[c] == 0) {
          state[c] = 1;
          stack.push_back({c, 0});
        }
      } else {
        state[n] = 2;
        order.push_back(n);
        stack.pop_back();
      }
    }
  }
  return order;
}

std::vector<uint8_t> Covered(const PlanningProblem& p,
                             const std::vector<uint8_t>& taken) {
  std::vector<uint8_t> covered = p.skill_held;
  covered.resize(p.skill_count, 0);
  for (uint32_t i = 0; i < p.items.size(); ++i) {
    if (p.items[i].held || taken[i]) {
      for (uint32_t s : p.items[i].skills) covered[s] = 1;
    }
  }
  return covered;
}

bool Taken(const PlanningProblem& p, const std::vector<uint8_t>& taken,
           uint32_t i) {
  return p.items[i].held || taken[i];
}

// How far a node is from being satisfied: 0 when it is; +inf when it cannot
// be. Guides the greedy planner.
class DeficitEvaluator {
 public:
  explicit DeficitEvaluator(const PlanningProblem& p) : p_(p) {
    bool cyclic = false;
    order_ = PostOrder(p, &cyclic);
    value_.assign(p.nodes.size(), 0);
  }
  double Root(const std::vector<uint8_t>& taken,
              const std::vector<uint32_t>& cover_count) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    for (uint32_t n : order_) {
      const Requirement& r = p_.nodes[n];
      double v = 0;
      switch (r.kind) {
        case Kind::kTrue:
          break;
        case Kind::kFalse:
          v = kInf;
          break;
        case Kind::kItem:
          v = Taken(p_, taken, r.ref) ? 0 : 1;
          break;
        case Kind::kSkill:
          v = cover_count[r.ref] > 0 ? 0 : 1;
          break;
        case Kind::kAllOf:
          for (uint32_t c : r.children) v += value_[c];
          break;
        case Kind::kAtLeast: {
          scratch_.clear();
          uint32_t sat = 0;
          for (uint32_t c : r.children) {
            if (value_[c] <= kEps) {
              ++sat;
            } else {
              scratch_.push_back(value_[c]);
            }
          }
          if (sat >= r.count) break;
          size_t need = r.count - sat;
          if (need > scratch_.size()) {
            v = kInf;
            break;
          }
          std::partial_sort(scratch_.begin(), scratch_.begin() + need,
                            scratch_.end());
          for (size_t k = 0; k < need; ++k) v += scratch_[k];
          break;
        }
        case Kind::kSumAtLeast: {
          double sum = 0;
          for (size_t k = 0; k < r.pool.size(); ++k) {
            if (Taken(p_, taken, r.pool[k])) sum += r.weights[k];
          }
          if (sum + kEps < r.threshold) v = (r.threshold - sum) / r.threshold;
          break;
        }
      }
      value_[n] = v;
    }
    return value_[p_.root];
  }

 private:
  const PlanningProblem& p_;
  std::vector<uint32_t> order_;
  std::vector<double> value_;
  std::vector<double> scratch_;
};

// Drops taken items that are not needed, most expensive first, keeping the
// root satisfied, prerequisites closed and the objective no worse.
void DropRedundant(const PlanningProblem& p, std::vector<uint8_t>& taken) {
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < p.items.size(); ++i) {
    if (taken[i] && !p.items[i].held) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return p.items[a].cost > p.items[b].cost;
  });
  double best = ObjectiveValue(p, taken);
  for (uint32_t i : order) {
    taken[i] = 0;
    double v = ObjectiveValue(p, taken);
    if (v <= best + kEps && IsSatisfied(p, p.root, taken) &&
        PrerequisitesClosed(p, taken)) {
      best = v;
    } else {
      taken[i] = 1;
    }
  }
}

}  // namespace

std::string_view PlanStatusName(PlanStatus s) {
  switch (s) {
    case PlanStatus::kOptimal:
      return "optimal";
    case PlanStatus::kFeasible:
      return "feasible";
    case PlanStatus::kGreedy:
      return "greedy";
    case PlanStatus::kInfeasible:
      return "infeasible";
    case PlanStatus::kNoPlan:
      return "no_plan";
  }
  return "no_plan";
}

std::string ValidateProblem(const PlanningProblem& p) {
  const size_t ni = p.items.size(), nn = p.nodes.size();
  if (p.skill_held.size() != p.skill_count) return "skill_held size";
  if (p.group_held.size() != p.group_count) return "group_held size";
  if (p.root >= nn) return "root out of range";
  if (p.bonus_root && *p.bonus_root >= nn) return "bonus_root out of range";
  for (const PlanItem& it : p.items) {
    if (!(it.cost >= 0) || !(it.hours >= 0) || !(it.price >= 0))
      return "negative cost";
    for (uint32_t q : it.prerequisites)
      if (q >= ni) return "prerequisite out of range";
    for (uint32_t s : it.skills)
      if (s >= p.skill_count) return "skill out of range";
    for (uint32_t g : it.groups)
      if (g >= p.group_count) return "group out of range";
  }
  for (const Requirement& r : p.nodes) {
    for (uint32_t c : r.children)
      if (c >= nn) return "child out of range";
    if (r.kind == Kind::kItem && r.ref >= ni) return "item ref out of range";
    if (r.kind == Kind::kSkill && r.ref >= p.skill_count)
      return "skill ref out of range";
    if (r.kind == Kind::kSumAtLeast) {
      if (r.pool.size() != r.weights.size()) return "weights size";
      for (uint32_t q : r.pool)
        if (q >= ni) return "pool item out of range";
      for (double w : r.weights)
        if (!(w >= 0)) return "negative weight";
      if (!(r.threshold > 0)) return "threshold must be positive";
    }
  }
  bool cyclic = false;
  PostOrder(p, &cyclic);
  if (cyclic) return "requirement graph has a cycle";
  // Prerequisite cycles.
  std::vector<uint8_t> state(ni, 0);
  for (uint32_t r = 0; r < ni; ++r) {
    if (state[r]) continue;
    std::vector<std::pair<uint32_t, size_t>> stack{{r, 0}};
    state[r] = 1;
    while (!stack.empty()) {
      auto [i, next] = stack.back();
      if (next < p.items[i].prerequisites.size()) {
        ++stack.back().second;
        uint32_t q = p.items[i].prerequisites[next];
        if (state[q] == 1) return "prerequisite cycle";
        if (state[q] == 0) {
          state[q] = 1;
          stack.push_back({q, 0});
        }
      } else {
        state[i] = 2;
        stack.pop_back();
      }
    }
  }
  return "";
}

std::vector<uint8_t> EvaluateAll(const PlanningProblem& p,
                                 const std::vector<uint8_t>& taken) {
  std::vector<uint8_t> covered = Covered(p, taken);
  std::vector<uint8_t> sat(p.nodes.size(), 0);
  bool cyclic = false;
  for (uint32_t n : PostOrder(p, &cyclic)) {
    const Requirement& r = p.nodes[n];
    bool v = false;
    switch (r.kind) {
      case Kind::kTrue:
        v = true;
        break;
      case Kind::kFalse:
        break;
      case Kind::kItem:
        v = Taken(p, taken, r.ref);
        break;
      case Kind::kSkill:
        v = covered[r.ref];
        break;
      case Kind::kAllOf:
        v = std::all_of(r.children.begin(), r.children.end(),
                        [&](uint32_t c) { return sat[c]; });
        break;
      case Kind::kAtLeast: {
        uint32_t k = 0;
        for (uint32_t c : r.children) k += sat[c];
        v = k >= r.count;
        break;
      }
      case Kind::kSumAtLeast: {
        double sum = 0;
        for (size_t k = 0; k < r.pool.size(); ++k) {
          if (Taken(p, taken, r.pool[k])) sum += r.weights[k];
        }
        v = sum + kEps >= r.threshold;
        break;
      }
    }
    sat[n] = v;
  }
  return sat;
}

bool IsSatisfied(const PlanningProblem& p, uint32_t node,
                 const std::vector<uint8_t>& taken) {
  return EvaluateAll(p, taken)[node];
}

bool PrerequisitesClosed(const PlanningProblem& p,
                         const std::vector<uint8_t>& taken) {
  for (uint32_t i = 0; i < p.items.size(); ++i) {
    if (!taken[i] || p.items[i].held) continue;
    for (uint32_t q : p.items[i].prerequisites) {
      if (!Taken(p, taken, q)) return false;
    }
  }
  return true;
}

bool WithinBudget(const PlanningProblem& p, const std::vector<uint8_t>& taken) {
  double hours = 0, price = 0;
  for (uint32_t i = 0; i < p.items.size(); ++i) {
    if (taken[i] && !p.items[i].held) {
      hours += p.items[i].hours;
      price += p.items[i].price;
    }
  }
  return (!p.max_hours || hours <= *p.max_hours + kEps) &&
         (!p.max_price || price <= *p.max_price + kEps);
}

double ObjectiveValue(const PlanningProblem& p,
                      const std::vector<uint8_t>& taken) {
  double v = 0;
  std::vector<uint8_t> group_seen = p.group_held;
  for (const PlanItem& it : p.items) {
    if (it.held)
      for (uint32_t g : it.groups) group_seen[g] = 1;
  }
  for (uint32_t i = 0; i < p.items.size(); ++i) {
    if (!taken[i] || p.items[i].held) continue;
    v += p.items[i].cost;
    for (uint32_t g : p.items[i].groups) {
      if (!group_seen[g]) {
        group_seen[g] = 1;
        v -= p.group_bonus;
      }
    }
  }
  if (p.bonus_root && p.bonus != 0 && IsSatisfied(p, *p.bonus_root, taken))
    v -= p.bonus;
  return v;
}

std::vector<uint32_t> OrderPlan(const PlanningProblem& p,
                                const std::vector<uint8_t>& taken) {
  const size_t n = p.items.size();
  std::vector<uint32_t> indegree(n, 0);
  std::vector<std::vector<uint32_t>> dependants(n);
  for (uint32_t i = 0; i < n; ++i) {
    if (!taken[i] || p.items[i].held) continue;
    for (uint32_t q : p.items[i].prerequisites) {
      if (taken[q] && !p.items[q].held) {
        ++indegree[i];
        dependants[q].push_back(i);
      }
    }
  }
  std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<>> ready;
  for (uint32_t i = 0; i < n; ++i) {
    if (taken[i] && !p.items[i].held && indegree[i] == 0) ready.push(i);
  }
  std::vector<uint32_t> out;
  while (!ready.empty()) {
    uint32_t i = ready.top();
    ready.pop();
    out.push_back(i);
    for (uint32_t d : dependants[i]) {
      if (--indegree[d] == 0) ready.push(d);
    }
  }
  return out;
}

PlanSolution SolveGreedy(const PlanningProblem& p) {
  std::string invalid = ValidateProblem(p);
  CREDSTACK_CHECK_MSG(invalid.empty(), invalid);
  const size_t n = p.items.size();
  std::vector<uint8_t> taken(n, 0);
  for (uint32_t i = 0; i < n; ++i) taken[i] = p.items[i].held;
  std::vector<uint32_t> cover(p.skill_count, 0);
  for (uint32_t s = 0; s < p.skill_count; ++s)
    cover[s] = p.skill_held[s] ? 1 : 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (taken[i])
      for (uint32_t s : p.items[i].skills) ++cover[s];
  }
  auto apply = [&](const std::vector<uint32_t>& items, int delta) {
    for (uint32_t i : items) {
      taken[i] = delta > 0;
      for (uint32_t s : p.items[i].skills) cover[s] += delta;
    }
  };
  DeficitEvaluator eval(p);
  std::vector<uint32_t> closure, stack;
  std::vector<uint32_t> best_closure;
  std::vector<uint32_t> mark(n, 0);
  uint32_t stamp = 0;
  PlanSolution sol;
  for (;;) {
    double d0 = eval.Root(taken, cover);
    if (d0 <= kEps) break;
    double best_ratio = std::numeric_limits<double>::infinity();
    bool found = false;
    for (uint32_t i = 0; i < n; ++i) {
      if (taken[i]) continue;
      // i with its missing prerequisites.
      ++stamp;
      closure.clear();
      stack.assign(1, i);
      mark[i] = stamp;
      double cost = 0;
      while (!stack.empty()) {
        uint32_t j = stack.back();
        stack.pop_back();
        closure.push_back(j);
        cost += p.items[j].cost;
        for (uint32_t q : p.items[j].prerequisites) {
          if (!taken[q] && mark[q] != stamp) {
            mark[q] = stamp;
            stack.push_back(q);
          }
        }
      }
      apply(closure, +1);
      double d1 = eval.Root(taken, cover);
      apply(closure, -1);
      double gain = d0 - d1;
      if (!(gain > kEps)) continue;
      double ratio = cost / gain;
      if (!found || ratio < best_ratio - kEps) {
        found = true;
        best_ratio = ratio;
        best_closure = closure;
      }
    }
    if (!found) {
      sol.status = PlanStatus::kNoPlan;
      sol.detail =
          "the greedy planner found no achievement that brings the goal closer";
      return sol;
    }
    apply(best_closure, +1);
  }
  DropRedundant(p, taken);
  if (!WithinBudget(p, taken)) {
    sol.status = PlanStatus::kNoPlan;
    sol.detail =
        "the greedy plan exceeds the budget (max hours or price); try the "
        "exact planner";
    return sol;
  }
  sol.status = PlanStatus::kGreedy;
  sol.taken = OrderPlan(p, taken);
  sol.objective = ObjectiveValue(p, taken);
  sol.lower_bound = -std::numeric_limits<double>::infinity();
  return sol;
}

namespace internal {
// Defined in planner_cbc.cc.
PlanSolution SolveWithCbc(const PlanningProblem& p, const SolveOptions& options,
                          const PlanSolution* warm);
}  // namespace internal

PlanSolution SolveExact(const PlanningProblem& p, const SolveOptions& options) {
  std::string invalid = ValidateProblem(p);
  CREDSTACK_CHECK_MSG(invalid.empty(), invalid);
  PlanSolution greedy;
  bool have_warm = false;
  if (options.warm_start) {
    greedy = SolveGreedy(p);
    have_warm = greedy.status == PlanStatus::kGreedy;
  }
  PlanSolution sol =
      internal::SolveWithCbc(p, options, have_warm ? &greedy : nullptr);
  if (sol.status == PlanStatus::kOptimal ||
      sol.status == PlanStatus::kFeasible) {
    std::vector<uint8_t> taken(p.items.size(), 0);
    for (uint32_t i : sol.taken) taken[i] = 1;
    DropRedundant(p, taken);
    CREDSTACK_CHECK(IsSatisfied(p, p.root, taken) &&
                    PrerequisitesClosed(p, taken) && WithinBudget(p, taken));
    sol.taken = OrderPlan(p, taken);
    const double reported = sol.objective;
    sol.objective = ObjectiveValue(p, taken);
    if (sol.status == PlanStatus::kOptimal && sol.objective > reported + 1e-6) {
      // Never claim optimality for a plan whose own value disagrees with
      // the solver's proof.
      sol.status = PlanStatus::kFeasible;
      sol.detail = "solver result inconsistent; reported as feasible";
    }
    if (sol.status == PlanStatus::kOptimal) sol.lower_bound = sol.objective;
    sol.lower_bound = std::min(sol.lower_bound, sol.objective);
  }
  return sol;
}

}  // namespace credstack::pathways
