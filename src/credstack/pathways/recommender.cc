#include "credstack/pathways/recommender.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace credstack::pathways {
namespace {

using Kind = Requirement::Kind;

// Builds a PlanningProblem over the relevant part of a catalog for one
// request: achievements enter as items when a requirement needs them, with
// their prerequisite closure. Held achievements are items marked held.
class ProblemBuilder {
 public:
  ProblemBuilder(const Catalog& c, const Framework* fw, const PlanOptions& o)
      : c_(c), fw_(fw), o_(o) {}

  Status Init(const std::vector<std::string>& held_achievements,
              const std::vector<std::string>& held_skills) {
    const size_t n = c_.achievements().size();
    held_.assign(n, 0);
    for (const std::string& id : held_achievements) {
      auto a = c_.FindAchievement(id);
      if (!a)
        return InvalidArgumentError("held achievement " + id +
                                    " is not in the catalog");
      held_[*a] = 1;
    }
    if (o_.breadth_bonus != 0 && fw_ == nullptr) {
      return InvalidArgumentError("the breadth bonus needs a skills framework");
    }
    switch (o_.objective) {
      case Objective::kHours:
        wh_ = 1, wp_ = 0;
        break;
      case Objective::kPrice:
        wh_ = 0, wp_ = 1;
        break;
      case Objective::kMix:
        wh_ = o_.hour_value, wp_ = 1;
        break;
    }
    // Issuer filters.
    std::unordered_set<std::string_view> allowed(o_.allowed_issuers.begin(),
                                                 o_.allowed_issuers.end());
    std::unordered_set<std::string_view> excluded(o_.excluded_issuers.begin(),
                                                  o_.excluded_issuers.end());
    std::unordered_set<std::string_view> trusted(o_.trusted_issuers.begin(),
                                                 o_.trusted_issuers.end());
    std::vector<uint8_t> issuer_ok(c_.issuers().size(), 1);
    for (uint32_t i = 0; i < c_.issuers().size(); ++i) {
      const Issuer& is = c_.issuers()[i];
      if (!allowed.empty() && !allowed.count(is.id)) issuer_ok[i] = 0;
      if (excluded.count(is.id)) issuer_ok[i] = 0;
      if (o_.only_trusted && !is.trusted && !trusted.count(is.id))
        issuer_ok[i] = 0;
    }
    available_.assign(n, 0);
    for (uint32_t a : c_.topological_order()) {
      if (held_[a]) {
        available_[a] = 1;
        continue;
      }
      bool ok = issuer_ok[c_.issuer_of(a)];
      for (uint32_t q : c_.prerequisites_of(a)) ok = ok && available_[q];
      available_[a] = ok;
    }
    item_of_.assign(n, kNoIndex);
    p_.skill_count = static_cast<uint32_t>(c_.skills().size());
    skill_held_.assign(p_.skill_count, 0);
    for (uint32_t a = 0; a < n; ++a) {
      if (held_[a])
        for (uint32_t s : c_.skills_of(a)) skill_held_[s] = 1;
    }
    for (const std::string& id : held_skills) skill_held_[Skill(id)] = 1;
    return OkStatus();
  }

  // Problem skill index of a skill id (catalog skills first, then others).
  uint32_t Skill(std::string_view id) {
    if (auto s = c_.FindSkill(id)) return *s;
    auto it = extra_skills_.find(std::string(id));
    if (it != extra_skills_.end()) return it->second;
    uint32_t s = p_.skill_count++;
    skill_held_.push_back(0);
    extra_skills_.emplace(std::string(id), s);
    extra_ids_.push_back(std::string(id));
    return s;
  }
  const std::string& SkillId(uint32_t s) const {
    return s < c_.skills().size() ? c_.skills()[s]
                                  : extra_ids_[s - c_.skills().size()];
  }
  bool SkillHeld(uint32_t s) const { return skill_held_[s]; }
  // True when some available achievement teaches s.
  bool Teachable(uint32_t s) const {
    if (s >= c_.skills().size()) return false;
    for (uint32_t a : c_.teachers(s)) {
      if (available_[a]) return true;
    }
    return false;
  }

  uint32_t Node(Requirement r) {
    p_.nodes.push_back(std::move(r));
    return static_cast<uint32_t>(p_.nodes.size() - 1);
  }
  uint32_t SkillNode(uint32_t s) {
    if (s < c_.skills().size() && !skill_held_[s]) {
      for (uint32_t a : c_.teachers(s)) AddItem(a);
    }
    return Node({.kind = Kind::kSkill, .ref = s});
  }
  uint32_t ItemNode(uint32_t a) {
    uint32_t i = AddItem(a);
    if (i == kNoIndex) return Node({.kind = Kind::kFalse});
    return Node({.kind = Kind::kItem, .ref = i});
  }
  uint32_t SumNode(const std::vector<uint32_t>& achievements, bool credits,
                   double threshold) {
    Requirement r{.kind = Kind::kSumAtLeast, .threshold = threshold};
    for (uint32_t a : achievements) {
      const Achievement& ach = c_.achievements()[a];
      double w = credits ? ach.credits : ach.hours;
      if (w <= 0) continue;
      uint32_t i = AddItem(a);
      if (i == kNoIndex) continue;
      r.pool.push_back(i);
      r.weights.push_back(w);
    }
    return Node(std::move(r));
  }

  // Compiles a pathway's rule tree; returns its root node.
  uint32_t Compile(const Pathway& pw) {
    std::vector<uint32_t> node_of(pw.rules.size(), 0);
    for (size_t i = pw.rules.size(); i-- > 0;) {
      const PathwayRule& r = pw.rules[i];
      switch (r.kind) {
        case PathwayRule::Kind::kAchievement: {
          auto a = c_.FindAchievement(r.achievement);
          node_of[i] = a ? ItemNode(*a) : Node({.kind = Kind::kFalse});
          break;
        }
        case PathwayRule::Kind::kAllOf:
        case PathwayRule::Kind::kNOf: {
          Requirement q;
          q.kind = r.kind == PathwayRule::Kind::kAllOf ? Kind::kAllOf
                                                       : Kind::kAtLeast;
          q.count = r.n;
          for (uint32_t ch : r.children) q.children.push_back(node_of[ch]);
          node_of[i] = Node(std::move(q));
          break;
        }
        case PathwayRule::Kind::kCreditsAtLeast:
        case PathwayRule::Kind::kHoursAtLeast: {
          std::vector<uint32_t> pool;
          if (r.from_any) {
            for (uint32_t a = 0; a < c_.achievements().size(); ++a)
              pool.push_back(a);
          } else {
            for (const std::string& id : r.from) {
              if (auto a = c_.FindAchievement(id)) pool.push_back(*a);
            }
          }
          node_of[i] = SumNode(
              pool, r.kind == PathwayRule::Kind::kCreditsAtLeast, r.threshold);
          break;
        }
        case PathwayRule::Kind::kSkills: {
          Requirement q{.kind = Kind::kAllOf};
          for (const std::string& s : r.skills) {
            uint32_t si = Skill(s);
            needed_.insert(si);
            q.children.push_back(SkillNode(si));
          }
          node_of[i] = Node(std::move(q));
          break;
        }
      }
    }
    return node_of[0];
  }

  void MarkNeeded(uint32_t s) { needed_.insert(s); }

  PlanningProblem& Finish(uint32_t root, std::optional<uint32_t> bonus_root,
                          double bonus) {
    p_.root = root;
    p_.bonus_root = bonus_root;
    p_.bonus = bonus;
    p_.skill_held = skill_held_;
    p_.max_hours = o_.max_hours;
    p_.max_price = o_.max_price;
    if (o_.breadth_bonus != 0 && fw_ != nullptr) {
      p_.group_bonus = o_.breadth_bonus;
      p_.group_count = static_cast<uint32_t>(fw_->groups().size());
      p_.group_held.assign(p_.group_count, 0);
      for (uint32_t s = 0; s < skill_held_.size(); ++s) {
        if (skill_held_[s])
          for (uint32_t g : Groups(s)) p_.group_held[g] = 1;
      }
      for (uint32_t i = 0; i < p_.items.size(); ++i) {
        std::vector<uint32_t>& gs = p_.items[i].groups;
        for (uint32_t s : p_.items[i].skills) {
          for (uint32_t g : Groups(s)) gs.push_back(g);
        }
        std::sort(gs.begin(), gs.end());
        gs.erase(std::unique(gs.begin(), gs.end()), gs.end());
      }
    } else {
      p_.group_held.clear();
    }
    return p_;
  }

  Plan ToPlan(const PlanSolution& sol) const {
    Plan plan;
    plan.status = sol.status;
    plan.detail = sol.detail;
    if (sol.status != PlanStatus::kOptimal &&
        sol.status != PlanStatus::kFeasible &&
        sol.status != PlanStatus::kGreedy) {
      return plan;
    }
    plan.objective = sol.objective;
    if (sol.status != PlanStatus::kGreedy) plan.lower_bound = sol.lower_bound;
    std::vector<uint8_t> covered = skill_held_;
    std::unordered_map<uint32_t, size_t> step_of;
    for (uint32_t item : sol.taken) {
      const uint32_t a = achievement_of_[item];
      const Achievement& ach = c_.achievements()[a];
      PlanStep step{.achievement_id = ach.id,
                    .name = ach.name,
                    .issuer = ach.issuer,
                    .hours = ach.hours,
                    .price = ach.price,
                    .credits = ach.credits};
      for (uint32_t s : c_.skills_of(a)) {
        if (needed_.count(s) && !covered[s])
          step.covers.push_back(c_.skills()[s]);
        covered[s] = 1;
      }
      for (uint32_t q : p_.items[item].prerequisites) {
        auto it = step_of.find(q);
        if (it != step_of.end())
          plan.steps[it->second].prerequisite_of.push_back(ach.id);
      }
      step_of[item] = plan.steps.size();
      plan.total_hours += ach.hours;
      plan.total_price += ach.price;
      plan.total_credits += ach.credits;
      plan.steps.push_back(std::move(step));
    }
    return plan;
  }

 private:
  uint32_t AddItem(uint32_t a) {
    if (item_of_[a] != kNoIndex) return item_of_[a];
    if (!available_[a]) return kNoIndex;
    // Iterative closure over prerequisites; each item is created after its
    // prerequisites so their indices are known.
    std::vector<std::pair<uint32_t, size_t>> stack{{a, 0}};
    while (!stack.empty()) {
      auto [x, next] = stack.back();
      auto pre = c_.prerequisites_of(x);
      if (!held_[x] && next < pre.size()) {
        ++stack.back().second;
        uint32_t q = pre[next];
        if (item_of_[q] == kNoIndex && !held_[q]) stack.push_back({q, 0});
        continue;
      }
      stack.pop_back();
      if (item_of_[x] != kNoIndex) continue;
      const Achievement& ach = c_.achievements()[x];
      PlanItem it;
      it.held = held_[x];
      it.hours = ach.hours;
      it.price = ach.price;
      it.cost =
          wh_ * ach.hours + wp_ * ach.price + 1e-6 * (ach.hours + ach.price);
      if (!it.held) {
        for (uint32_t q : pre) {
          if (!held_[q]) it.prerequisites.push_back(item_of_[q]);
        }
      }
      auto skills = c_.skills_of(x);
      it.skills.assign(skills.begin(), skills.end());
      item_of_[x] = static_cast<uint32_t>(p_.items.size());
      achievement_of_.push_back(x);
      p_.items.push_back(std::move(it));
    }
    return item_of_[a];
  }

  std::vector<uint32_t> Groups(uint32_t s) {
    auto it = groups_cache_.find(s);
    if (it != groups_cache_.end()) return it->second;
    std::vector<uint32_t> gs;
    if (auto fs = fw_->FindSkill(SkillId(s)))
      gs = fw_->GroupsAtLevel(*fs, o_.breadth_level);
    groups_cache_.emplace(s, gs);
    return gs;
  }

  const Catalog& c_;
  const Framework* fw_;
  const PlanOptions& o_;
  double wh_ = 1, wp_ = 0;
  std::vector<uint8_t> held_, available_, skill_held_;
  std::vector<uint32_t> item_of_, achievement_of_;
  std::unordered_map<std::string, uint32_t> extra_skills_;
  std::vector<std::string> extra_ids_;
  std::unordered_set<uint32_t> needed_;
  std::unordered_map<uint32_t, std::vector<uint32_t>> groups_cache_;
  PlanningProblem p_;
};

PlanSolution Solve(const PlanningProblem& p, const PlanOptions& o) {
  if (o.greedy) return SolveGreedy(p);
  return SolveExact(p, {.time_budget = o.time_budget});
}

}  // namespace

Result<Objective> ParseObjective(std::string_view s) {
  if (s == "hours") return Objective::kHours;
  if (s == "price") return Objective::kPrice;
  if (s == "mix") return Objective::kMix;
  return InvalidArgumentError("objective must be hours, price or mix, not \"" +
                              std::string(s) + "\"");
}

Result<std::vector<std::string>> OccupationSkills(const Framework& fw,
                                                  std::string_view occupation,
                                                  bool include_optional) {
  auto o = fw.FindOccupationByAnyName(occupation);
  if (!o)
    return NotFoundError("no occupation " + std::string(occupation) + " in " +
                         fw.info().name);
  std::vector<std::string> out;
  for (const OccupationSkill& s : fw.occupations()[*o].skills) {
    if (s.relation == RelationType::kEssential || include_optional) {
      out.push_back(fw.skills()[s.skill].id);
    }
  }
  return out;
}

Result<Plan> Recommend(const Catalog& catalog, const Framework* framework,
                       const RecommendRequest& req) {
  if (req.target_skills.empty())
    return InvalidArgumentError("the target has no skills");
  ProblemBuilder b(catalog, framework, req.options);
  CREDSTACK_RETURN_IF_ERROR(b.Init(req.held_achievements, req.held_skills));
  Plan plan;
  std::vector<uint32_t> missing;
  std::unordered_set<uint32_t> seen;
  for (const std::string& id : req.target_skills) {
    uint32_t s = b.Skill(id);
    if (!seen.insert(s).second) continue;
    plan.target_skills.push_back(id);
    if (!b.SkillHeld(s)) missing.push_back(s);
  }
  for (uint32_t s : missing) {
    plan.missing_skills.push_back(b.SkillId(s));
    if (!b.Teachable(s)) plan.untaught_skills.push_back(b.SkillId(s));
  }
  if (!plan.untaught_skills.empty()) {
    plan.status = PlanStatus::kInfeasible;
    plan.detail = std::to_string(plan.untaught_skills.size()) +
                  " needed skill(s) are taught by no available achievement in "
                  "the catalog";
    return plan;
  }
  Requirement all{.kind = Requirement::Kind::kAllOf};
  for (uint32_t s : missing) {
    b.MarkNeeded(s);
    all.children.push_back(b.SkillNode(s));
  }
  uint32_t root = b.Node(std::move(all));
  std::optional<uint32_t> bonus_root;
  if (req.options.prefer_pathway && req.options.pathway_bonus != 0) {
    bonus_root = b.Compile(*req.options.prefer_pathway);
  }
  const PlanningProblem& p =
      b.Finish(root, bonus_root, req.options.pathway_bonus);
  Plan solved = b.ToPlan(Solve(p, req.options));
  solved.target_skills = std::move(plan.target_skills);
  solved.missing_skills = std::move(plan.missing_skills);
  if (missing.empty() && solved.detail.empty())
    solved.detail = "every target skill is already held";
  return solved;
}

Result<Plan> FinishPathway(const Pathway& pathway, const Catalog& catalog,
                           const Framework* framework,
                           const std::vector<std::string>& held_achievements,
                           const PlanOptions& options) {
  if (pathway.rules.empty())
    return InvalidArgumentError("the pathway has no rules");
  ProblemBuilder b(catalog, framework, options);
  CREDSTACK_RETURN_IF_ERROR(b.Init(held_achievements, {}));
  uint32_t root = b.Compile(pathway);
  const PlanningProblem& p = b.Finish(root, std::nullopt, 0);
  Plan plan = b.ToPlan(Solve(p, options));
  for (const PathwayRule& r : pathway.rules) {
    for (const std::string& s : r.skills) {
      uint32_t si = b.Skill(s);
      if (b.SkillHeld(si)) continue;
      if (std::find(plan.missing_skills.begin(), plan.missing_skills.end(),
                    s) == plan.missing_skills.end()) {
        plan.missing_skills.push_back(s);
        if (!b.Teachable(si)) plan.untaught_skills.push_back(s);
      }
    }
  }
  return plan;
}

}  // namespace credstack::pathways
