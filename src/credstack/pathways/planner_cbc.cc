// The exact planner: the planning problem as a 0-1 integer program, solved
// by COIN-OR CBC (branch and cut over CLP's simplex). The only file that
// includes CBC. Model (see planner.h):
//   minimize   sum_i c_i x_i - g * sum_k z_k - b * y_bonus
//   subject to x_q - x_i >= 0                 for each prerequisite q of i
//              forced requirements as covering rows,
//              indicator rows  (expression) - y >= 0  for nested ones,
//              z_k <= sum of x over items covering group k,
//              sum hours_i x_i <= H,  sum price_i x_i <= P.

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "CbcModel.hpp"
#include "CoinPackedMatrix.hpp"
#include "CoinPackedVector.hpp"
#include "OsiClpSolverInterface.hpp"
#include "credstack/pathways/planner.h"

namespace credstack::pathways::internal {
namespace {

using Kind = Requirement::Kind;
constexpr double kEps = 1e-9;

// A node's indicator: a column, or a constant 0/1.
struct Expr {
  int col = -1;
  bool value = false;  // when col < 0
  static Expr Const(bool v) { return Expr{-1, v}; }
  static Expr Col(int c) { return Expr{c, false}; }
  bool is_const() const { return col < 0; }
};

class ModelBuilder {
 public:
  explicit ModelBuilder(const PlanningProblem& p) : p_(p) {
    teachers_.resize(p.skill_count);
    for (uint32_t i = 0; i < p.items.size(); ++i) {
      for (uint32_t s : p.items[i].skills) teachers_[s].push_back(i);
    }
    item_col_.assign(p.items.size(), -1);
    for (uint32_t i = 0; i < p.items.size(); ++i) {
      if (!p.items[i].held) item_col_[i] = AddCol(p.items[i].cost, true);
    }
    node_expr_.resize(p.nodes.size());
    node_done_.assign(p.nodes.size(), 0);
  }

  void Build() {
    // Precedence.
    for (uint32_t i = 0; i < p_.items.size(); ++i) {
      if (p_.items[i].held) continue;
      for (uint32_t q : p_.items[i].prerequisites) {
        if (p_.items[q].held) continue;
        AddRow({{item_col_[q], 1.0}, {item_col_[i], -1.0}}, 0, kInf);
      }
    }
    Force(p_.root);
    if (p_.bonus_root && p_.bonus != 0) {
      Expr e = Indicator(*p_.bonus_root);
      if (e.is_const()) {
        if (e.value) offset_ -= p_.bonus;
      } else {
        obj_[e.col] -= p_.bonus;
      }
    }
    if (p_.group_bonus != 0) {
      std::vector<uint8_t> seen = p_.group_held;
      for (const PlanItem& it : p_.items) {
        if (it.held)
          for (uint32_t g : it.groups) seen[g] = 1;
      }
      std::vector<std::vector<uint32_t>> coverers(p_.group_count);
      for (uint32_t i = 0; i < p_.items.size(); ++i) {
        if (!p_.items[i].held)
          for (uint32_t g : p_.items[i].groups) coverers[g].push_back(i);
      }
      group_col_.assign(p_.group_count, -1);
      for (uint32_t g = 0; g < p_.group_count; ++g) {
        if (seen[g] || coverers[g].empty()) continue;
        int z = AddCol(-p_.group_bonus, false);
        group_col_[g] = z;
        std::vector<std::pair<int, double>> row{{z, -1.0}};
        for (uint32_t i : coverers[g]) row.push_back({item_col_[i], 1.0});
        AddRow(std::move(row), 0, kInf);
      }
    }
    if (p_.max_hours) BudgetRow(&PlanItem::hours, *p_.max_hours);
    if (p_.max_price) BudgetRow(&PlanItem::price, *p_.max_price);
  }

  // Column values of a plan, for CBC's warm start.
  std::vector<double> ValuesFor(const std::vector<uint8_t>& taken) const {
    std::vector<double> v(obj_.size(), 0);
    for (uint32_t i = 0; i < p_.items.size(); ++i) {
      if (item_col_[i] >= 0) v[item_col_[i]] = taken[i] ? 1 : 0;
    }
    std::vector<uint8_t> sat = EvaluateAll(p_, taken);
    for (auto [col, node] : node_cols_) v[col] = sat[node] ? 1 : 0;
    if (!group_col_.empty()) {
      for (uint32_t i = 0; i < p_.items.size(); ++i) {
        if (!taken[i] || p_.items[i].held) continue;
        for (uint32_t g : p_.items[i].groups) {
          if (group_col_[g] >= 0) v[group_col_[g]] = 1;
        }
      }
    }
    return v;
  }

  static constexpr double kInf = std::numeric_limits<double>::infinity();
  const PlanningProblem& p_;
  std::vector<std::vector<uint32_t>> teachers_;
  std::vector<int> item_col_, group_col_;
  std::vector<Expr> node_expr_;
  std::vector<uint8_t> node_done_;
  std::vector<std::pair<int, uint32_t>> node_cols_;
  std::vector<double> obj_, lb_, ub_;
  std::vector<uint8_t> integer_;
  std::vector<std::vector<std::pair<int, double>>> rows_;
  std::vector<double> row_lb_, row_ub_;
  double offset_ = 0;
  bool infeasible_ = false;

 private:
  int AddCol(double cost, bool integer) {
    obj_.push_back(cost);
    lb_.push_back(0);
    ub_.push_back(1);
    integer_.push_back(integer);
    return static_cast<int>(obj_.size() - 1);
  }
  void AddRow(std::vector<std::pair<int, double>> row, double lo, double hi) {
    rows_.push_back(std::move(row));
    row_lb_.push_back(lo);
    row_ub_.push_back(hi);
  }
  void BudgetRow(double PlanItem::*field, double limit) {
    std::vector<std::pair<int, double>> row;
    for (uint32_t i = 0; i < p_.items.size(); ++i) {
      double w = p_.items[i].*field;
      if (item_col_[i] >= 0 && w != 0) row.push_back({item_col_[i], w});
    }
    if (!row.empty()) AddRow(std::move(row), -kInf, limit);
  }

  // Teachers of skill s not held, or nullopt when s is already covered.
  std::optional<std::vector<int>> SkillCols(uint32_t s) const {
    if (p_.skill_held[s]) return std::nullopt;
    std::vector<int> cols;
    for (uint32_t i : teachers_[s]) {
      if (p_.items[i].held) return std::nullopt;
      cols.push_back(item_col_[i]);
    }
    return cols;
  }

  double HeldWeight(const Requirement& r,
                    std::vector<std::pair<int, double>>* free) const {
    double held = 0;
    for (size_t k = 0; k < r.pool.size(); ++k) {
      uint32_t i = r.pool[k];
      if (p_.items[i].held) {
        held += r.weights[k];
      } else if (r.weights[k] != 0) {
        free->push_back({item_col_[i], r.weights[k]});
      }
    }
    return held;
  }

  // Constraints that make node n true.
  void Force(uint32_t n) {
    const Requirement& r = p_.nodes[n];
    switch (r.kind) {
      case Kind::kTrue:
        return;
      case Kind::kFalse:
        infeasible_ = true;
        return;
      case Kind::kItem:
        if (!p_.items[r.ref].held) lb_[item_col_[r.ref]] = 1;
        return;
      case Kind::kSkill: {
        auto cols = SkillCols(r.ref);
        if (!cols) return;
        if (cols->empty()) {
          infeasible_ = true;
          return;
        }
        std::vector<std::pair<int, double>> row;
        for (int c : *cols) row.push_back({c, 1.0});
        AddRow(std::move(row), 1, kInf);
        return;
      }
      case Kind::kAllOf:
        for (uint32_t c : r.children) Force(c);
        return;
      case Kind::kAtLeast: {
        int64_t need = r.count;
        std::vector<std::pair<int, double>> row;
        for (uint32_t c : r.children) {
          Expr e = Indicator(c);
          if (e.is_const()) {
            need -= e.value;
          } else {
            row.push_back({e.col, 1.0});
          }
        }
        if (need <= 0) return;
        if (static_cast<int64_t>(row.size()) < need) {
          infeasible_ = true;
          return;
        }
        AddRow(std::move(row), static_cast<double>(need), kInf);
        return;
      }
      case Kind::kSumAtLeast: {
        std::vector<std::pair<int, double>> row;
        double rest = r.threshold - HeldWeight(r, &row);
        if (rest <= kEps) return;
        double avail = 0;
        for (auto& [c, w] : row) avail += w;
        if (avail + kEps < rest) {
          infeasible_ = true;
          return;
        }
        AddRow(std::move(row), rest, kInf);
        return;
      }
    }
  }

  // An expression that can be 1 only when node n is satisfied.
  Expr Indicator(uint32_t n) {
    if (node_done_[n]) return node_expr_[n];
    Expr e = MakeIndicator(n);
    node_done_[n] = 1;
    node_expr_[n] = e;
    return e;
  }

  int NewIndicator(uint32_t n) {
    int y = AddCol(0, true);
    node_cols_.push_back({y, n});
    return y;
  }

  Expr MakeIndicator(uint32_t n) {
    const Requirement& r = p_.nodes[n];
    switch (r.kind) {
      case Kind::kTrue:
        return Expr::Const(true);
      case Kind::kFalse:
        return Expr::Const(false);
      case Kind::kItem:
        return p_.items[r.ref].held ? Expr::Const(true)
                                    : Expr::Col(item_col_[r.ref]);
      case Kind::kSkill: {
        auto cols = SkillCols(r.ref);
        if (!cols) return Expr::Const(true);
        if (cols->empty()) return Expr::Const(false);
        if (cols->size() == 1) return Expr::Col((*cols)[0]);
        int y = NewIndicator(n);
        std::vector<std::pair<int, double>> row{{y, -1.0}};
        for (int c : *cols) row.push_back({c, 1.0});
        AddRow(std::move(row), 0, kInf);
        return Expr::Col(y);
      }
      case Kind::kAllOf: {
        std::vector<int> cols;
        for (uint32_t c : r.children) {
          Expr e = Indicator(c);
          if (e.is_const()) {
            if (!e.value) return Expr::Const(false);
          } else {
            cols.push_back(e.col);
          }
        }
        std::sort(cols.begin(), cols.end());
        cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
        if (cols.empty()) return Expr::Const(true);
        if (cols.size() == 1) return Expr::Col(cols[0]);
        int y = NewIndicator(n);
        for (int c : cols) AddRow({{c, 1.0}, {y, -1.0}}, 0, kInf);
        return Expr::Col(y);
      }
      case Kind::kAtLeast: {
        int64_t need = r.count;
        std::vector<std::pair<int, double>> row;
        for (uint32_t c : r.children) {
          Expr e = Indicator(c);
          if (e.is_const()) {
            need -= e.value;
          } else {
            row.push_back({e.col, 1.0});
          }
        }
        if (need <= 0) return Expr::Const(true);
        if (static_cast<int64_t>(row.size()) < need) return Expr::Const(false);
        int y = NewIndicator(n);
        row.push_back({y, -static_cast<double>(need)});
        AddRow(std::move(row), 0, kInf);
        return Expr::Col(y);
      }
      case Kind::kSumAtLeast: {
        std::vector<std::pair<int, double>> row;
        double rest = r.threshold - HeldWeight(r, &row);
        if (rest <= kEps) return Expr::Const(true);
        double avail = 0;
        for (auto& [c, w] : row) avail += w;
        if (avail + kEps < rest) return Expr::Const(false);
        int y = NewIndicator(n);
        row.push_back({y, -rest});
        AddRow(std::move(row), 0, kInf);
        return Expr::Col(y);
      }
    }
    return Expr::Const(false);
  }
};

// Merges duplicate columns in a row (an item listed twice in a pool).
CoinPackedVector RowVector(const std::vector<std::pair<int, double>>& row) {
  std::unordered_map<int, double> merged;
  std::vector<int> order;
  for (auto [c, v] : row) {
    auto [it, inserted] = merged.emplace(c, 0.0);
    if (inserted) order.push_back(c);
    it->second += v;
  }
  CoinPackedVector vec;
  for (int c : order) vec.insert(c, merged[c]);
  return vec;
}

}  // namespace

PlanSolution SolveWithCbc(const PlanningProblem& p, const SolveOptions& options,
                          const PlanSolution* warm) {
  ModelBuilder m(p);
  m.Build();
  PlanSolution sol;
  if (m.infeasible_) {
    sol.status = PlanStatus::kInfeasible;
    sol.detail =
        "no combination of the available achievements satisfies the goal";
    return sol;
  }
  const int ncols = static_cast<int>(m.obj_.size());
  if (m.rows_.empty()) {
    // Independent columns (CBC mishandles a model without rows): each takes
    // the bound its objective coefficient prefers.
    sol.status = PlanStatus::kOptimal;
    sol.objective = m.offset_;
    for (uint32_t i = 0; i < p.items.size(); ++i) {
      int c = m.item_col_[i];
      if (c < 0) continue;
      if (m.lb_[c] > 0.5 || m.obj_[c] < 0) {
        sol.taken.push_back(i);
        sol.objective += m.obj_[c];
      }
    }
    for (int c = 0; c < ncols; ++c) {
      if (m.obj_[c] < 0 && std::find(m.item_col_.begin(), m.item_col_.end(),
                                     c) == m.item_col_.end()) {
        sol.objective += m.obj_[c];  // an unconstrained indicator or group
      }
    }
    sol.lower_bound = sol.objective;
    return sol;
  }
  CoinPackedMatrix matrix(false, 0, 0);
  matrix.setDimensions(0, ncols);
  for (const auto& row : m.rows_) matrix.appendRow(RowVector(row));
  OsiClpSolverInterface solver;
  solver.messageHandler()->setLogLevel(0);
  solver.setHintParam(OsiDoReducePrint, true, OsiHintTry);
  solver.loadProblem(matrix, m.lb_.data(), m.ub_.data(), m.obj_.data(),
                     m.row_lb_.data(), m.row_ub_.data());
  for (int c = 0; c < ncols; ++c) {
    if (m.integer_[c]) solver.setInteger(c);
  }
  CbcModel model(solver);
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  model.solver()->messageHandler()->setLogLevel(0);
  model.setNumberThreads(0);
  model.setUseElapsedTime(true);
  model.setMaximumSeconds(
      std::max(0.001, options.time_budget.count() / 1000.0));
  model.initialSolve();
  if (model.isProvenInfeasible() ||
      model.isInitialSolveProvenPrimalInfeasible()) {
    sol.status = PlanStatus::kInfeasible;
    sol.detail = "no plan satisfies the goal within the constraints";
    return sol;
  }
  // The greedy plan bounds the search as a cutoff. (Passing it as the
  // incumbent through setBestSolution() is not reliable in CBC 2.10: when
  // the root LP is integral and better, bestSolution() kept the incumbent
  // while getObjValue() reported the better value.)
  double cutoff = 0;
  if (warm) {
    cutoff = warm->objective - m.offset_;
    model.setCutoff(cutoff + 1e-7 * std::max(1.0, std::fabs(cutoff)));
  }
  model.branchAndBound();
  const double* best = model.bestSolution();
  const double bound = model.getBestPossibleObjValue() + m.offset_;
  if (best == nullptr && warm) {
    // Nothing better than the greedy plan: either proven (it is optimal) or
    // the time budget ended first (it stands, with CBC's bound).
    sol.taken = warm->taken;
    sol.objective = warm->objective;
    if (model.isProvenInfeasible() || model.isProvenOptimal()) {
      sol.status = PlanStatus::kOptimal;
      sol.lower_bound = sol.objective;
    } else {
      sol.status = PlanStatus::kFeasible;
      sol.lower_bound = std::min(bound, sol.objective);
      sol.detail =
          "the time budget ended; the plan is within the reported gap of "
          "optimal";
    }
    return sol;
  }
  if (best == nullptr) {
    if (model.isProvenInfeasible()) {
      sol.status = PlanStatus::kInfeasible;
      sol.detail = "no plan satisfies the goal within the constraints";
    } else {
      sol.status = PlanStatus::kNoPlan;
      sol.detail = "the time budget ended before a plan was found";
    }
    return sol;
  }
  for (uint32_t i = 0; i < p.items.size(); ++i) {
    if (m.item_col_[i] >= 0 && best[m.item_col_[i]] > 0.5)
      sol.taken.push_back(i);
  }
  sol.objective = model.getObjValue() + m.offset_;
  if (model.isProvenOptimal()) {
    sol.status = PlanStatus::kOptimal;
    sol.lower_bound = sol.objective;
  } else {
    sol.status = PlanStatus::kFeasible;
    sol.lower_bound = bound;
    sol.detail =
        "the time budget ended; the plan is within the reported gap of optimal";
  }
  return sol;
}

}  // namespace credstack::pathways::internal
