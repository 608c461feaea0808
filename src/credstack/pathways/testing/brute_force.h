#pragma once

// Reference planner for tests: tries every subset of the non-held items.
// Obviously correct and exponential; only for small problems (<= 20 items).

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/pathways/planner.h"

namespace credstack::pathways::testing {

struct BruteForceResult {
  bool feasible = false;
  double objective = std::numeric_limits<double>::infinity();
  std::vector<uint8_t> taken;
};

inline BruteForceResult BruteForce(const PlanningProblem& p) {
  std::vector<uint32_t> free;
  for (uint32_t i = 0; i < p.items.size(); ++i) {
    if (!p.items[i].held) free.push_back(i);
  }
  CREDSTACK_CHECK(free.size() <= 20);
  BruteForceResult best;
  std::vector<uint8_t> taken(p.items.size(), 0);
  for (uint64_t mask = 0; mask < (uint64_t{1} << free.size()); ++mask) {
    for (size_t k = 0; k < free.size(); ++k) taken[free[k]] = (mask >> k) & 1;
    if (!PrerequisitesClosed(p, taken) || !WithinBudget(p, taken) ||
        !IsSatisfied(p, p.root, taken)) {
      continue;
    }
    double v = ObjectiveValue(p, taken);
    if (!best.feasible || v < best.objective - 1e-9) {
      best.feasible = true;
      best.objective = v;
      best.taken = taken;
    }
  }
  return best;
}

}  // namespace credstack::pathways::testing
