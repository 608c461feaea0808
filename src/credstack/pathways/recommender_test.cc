#include "credstack/pathways/recommender.h"

#include <gtest/gtest.h>

#include <set>

#include "credstack/base/rng.h"
#include "credstack/pathways/testing/fixtures.h"

namespace credstack::pathways {
namespace {

Achievement Ach(std::string id, double hours, std::vector<std::string> skills,
                std::vector<std::string> prereqs = {},
                std::string issuer = "i:a", double price = 0) {
  Achievement a{.id = id,
                .name = id,
                .issuer = std::move(issuer),
                .hours = hours,
                .price = price};
  for (auto& s : skills) a.alignment.push_back({.target_url = s});
  a.prerequisites = std::move(prereqs);
  return a;
}

Catalog MakeCatalog(std::vector<Achievement> a, const Framework* fw = nullptr,
                    std::vector<Issuer> issuers = {}) {
  auto c = Catalog::Build(std::move(a), std::move(issuers), fw);
  CREDSTACK_CHECK_MSG(c.ok(), c.error().ToString());
  return std::move(c).value();
}

std::vector<std::string> Ids(const Plan& p) {
  std::vector<std::string> out;
  for (const PlanStep& s : p.steps) out.push_back(s.achievement_id);
  return out;
}

TEST(Recommend, CoversGapWithPrerequisitesInOrder) {
  Catalog c = MakeCatalog({
      Ach("basics", 5, {"s:1"}),
      Ach("web", 10, {"s:2", "s:3"}, {"basics"}),
      Ach("bootcamp", 40, {"s:1", "s:2", "s:3"}),
      Ach("law", 8, {"s:5"}),
  });
  RecommendRequest req{.target_skills = {"s:1", "s:2", "s:3", "s:5"}};
  auto plan = Recommend(c, nullptr, req);
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ(plan->status, PlanStatus::kOptimal);
  EXPECT_EQ(Ids(*plan), (std::vector<std::string>{"basics", "web", "law"}));
  EXPECT_DOUBLE_EQ(plan->total_hours, 23);
  EXPECT_EQ(plan->steps[0].covers, std::vector<std::string>{"s:1"});
  EXPECT_EQ(plan->steps[0].prerequisite_of, std::vector<std::string>{"web"});
  EXPECT_EQ(plan->steps[1].covers, (std::vector<std::string>{"s:2", "s:3"}));
  EXPECT_DOUBLE_EQ(plan->gap(), 0);

  // Holding s:1 already: "basics" is still needed as a prerequisite of web
  // (5 + 10 < 40), but covers nothing new.
  req.held_skills = {"s:1"};
  plan = Recommend(c, nullptr, req);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(Ids(*plan), (std::vector<std::string>{"basics", "web", "law"}));
  EXPECT_TRUE(plan->steps[0].covers.empty());
  EXPECT_EQ(plan->missing_skills,
            (std::vector<std::string>{"s:2", "s:3", "s:5"}));

  // Holding the prerequisite achievement: it is satisfied and free.
  req.held_skills.clear();
  req.held_achievements = {"basics"};
  plan = Recommend(c, nullptr, req);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(Ids(*plan), (std::vector<std::string>{"web", "law"}));
}

TEST(Recommend, InfeasibleListsExactlyTheUntaughtSkills) {
  Catalog c =
      MakeCatalog({Ach("a", 1, {"s:1"}), Ach("b", 1, {"s:2"}, {}, "i:b")});
  auto plan =
      Recommend(c, nullptr, {.target_skills = {"s:1", "s:9", "s:2", "s:8"}});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->status, PlanStatus::kInfeasible);
  EXPECT_EQ(plan->untaught_skills, (std::vector<std::string>{"s:9", "s:8"}));
  EXPECT_TRUE(plan->steps.empty());
  // Excluding the only issuer teaching s:2 makes it untaught too.
  RecommendRequest req{.target_skills = {"s:1", "s:2"}};
  req.options.excluded_issuers = {"i:b"};
  plan = Recommend(c, nullptr, req);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->untaught_skills, std::vector<std::string>{"s:2"});
}

TEST(Recommend, IssuerTrustAndAllowLists) {
  Catalog c =
      MakeCatalog({Ach("cheap", 1, {"s:1"}, {}, "i:unknown"),
                   Ach("trusted", 5, {"s:1"}, {}, "i:uni")},
                  nullptr, {{.id = "i:uni", .name = "Uni", .trusted = true}});
  RecommendRequest req{.target_skills = {"s:1"}};
  EXPECT_EQ(Ids(*Recommend(c, nullptr, req)),
            std::vector<std::string>{"cheap"});
  req.options.only_trusted = true;
  EXPECT_EQ(Ids(*Recommend(c, nullptr, req)),
            std::vector<std::string>{"trusted"});
  req.options.trusted_issuers = {"i:unknown"};
  EXPECT_EQ(Ids(*Recommend(c, nullptr, req)),
            std::vector<std::string>{"cheap"});
  req.options = {};
  req.options.allowed_issuers = {"i:uni"};
  EXPECT_EQ(Ids(*Recommend(c, nullptr, req)),
            std::vector<std::string>{"trusted"});
  // An excluded prerequisite makes its dependants unavailable.
  Catalog d = MakeCatalog(
      {Ach("pre", 1, {}, {}, "i:x"), Ach("main", 1, {"s:1"}, {"pre"}, "i:y")});
  req.options = {};
  req.options.excluded_issuers = {"i:x"};
  auto plan = Recommend(d, nullptr, req);
  EXPECT_EQ(plan->status, PlanStatus::kInfeasible);
}

TEST(Recommend, ObjectiveAndBudget) {
  Catalog c = MakeCatalog({Ach("fast", 2, {"s:1"}, {}, "i", 500),
                           Ach("cheap", 30, {"s:1"}, {}, "i", 10)});
  RecommendRequest req{.target_skills = {"s:1"}};
  EXPECT_EQ(Ids(*Recommend(c, nullptr, req)), std::vector<std::string>{"fast"});
  req.options.objective = Objective::kPrice;
  EXPECT_EQ(Ids(*Recommend(c, nullptr, req)),
            std::vector<std::string>{"cheap"});
  req.options.objective = Objective::kMix;  // 2*20+500 = 540 vs 30*20+10 = 610
  EXPECT_EQ(Ids(*Recommend(c, nullptr, req)), std::vector<std::string>{"fast"});
  req.options.hour_value = 5;  // 510 vs 160
  EXPECT_EQ(Ids(*Recommend(c, nullptr, req)),
            std::vector<std::string>{"cheap"});
  req.options = {.max_hours = 1.5};
  auto plan = Recommend(c, nullptr, req);
  EXPECT_EQ(plan->status, PlanStatus::kInfeasible);
  EXPECT_TRUE(plan->untaught_skills.empty());
  req.options.greedy = true;
  plan = Recommend(c, nullptr, req);
  EXPECT_EQ(plan->status, PlanStatus::kNoPlan);
  req.options = {.greedy = true};
  plan = Recommend(c, nullptr, req);
  EXPECT_EQ(plan->status, PlanStatus::kGreedy);
  EXPECT_FALSE(plan->lower_bound.has_value());
}

TEST(Recommend, OccupationTargetAndBreadthBonus) {
  Framework fw = testing::TinyFramework();
  auto skills = OccupationSkills(fw, "Developer");
  ASSERT_TRUE(skills.ok());
  EXPECT_EQ(*skills, (std::vector<std::string>{"s:1", "s:4", "s:5"}));
  EXPECT_EQ(OccupationSkills(fw, "2512.1", true)->size(), 4u);
  EXPECT_EQ(OccupationSkills(fw, "pilot").error().code(), Code::kNotFound);

  // Two ways to learn s:4: a deep one (ICT only) and a slightly dearer broad
  // one that also touches law (a new level-1 group).
  Catalog c = MakeCatalog(
      {Ach("ict", 10, {"s:4"}), Ach("broad", 11, {"s:4", "s:6"})}, &fw);
  RecommendRequest req{.held_skills = {"s:1", "s:5"}, .target_skills = *skills};
  EXPECT_EQ(Ids(*Recommend(c, &fw, req)), std::vector<std::string>{"ict"});
  // s:6 is in g:K1, which s:5 already covers: no bonus, still "ict".
  req.options.breadth_bonus = 5;
  EXPECT_EQ(Ids(*Recommend(c, &fw, req)), std::vector<std::string>{"ict"});
  req.held_skills = {"s:1"};
  req.target_skills = {"s:4"};
  auto plan = Recommend(c, &fw, req);
  EXPECT_EQ(Ids(*plan), std::vector<std::string>{"broad"});
  EXPECT_NEAR(plan->objective, 11 + 11e-6 - 5 * 2, 1e-9);  // g:S2 and g:K1 new
  req.options.breadth_bonus = 0.5;
  EXPECT_EQ(Ids(*Recommend(c, &fw, req)), std::vector<std::string>{"ict"});
  EXPECT_FALSE(Recommend(c, nullptr, req).ok());  // bonus needs a framework
}

TEST(Recommend, ErrorsOnBadInput) {
  Catalog c = MakeCatalog({Ach("a", 1, {"s:1"})});
  EXPECT_EQ(Recommend(c, nullptr, {}).error().code(), Code::kInvalidArgument);
  auto r = Recommend(c, nullptr,
                     {.held_achievements = {"zzz"}, .target_skills = {"s:1"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "held achievement zzz is not in the catalog");
}

// ---- Property tests against a catalog-level brute force -------------------

struct Instance {
  std::vector<Achievement> achievements;
  std::vector<std::string> held_achievements, held_skills, target;
};

Instance RandomInstance(Rng& rng) {
  Instance in;
  size_t n = 1 + rng.Uniform(12), k = 1 + rng.Uniform(10);
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::string> skills, pre;
    size_t m = rng.Uniform(4);
    for (size_t j = 0; j < m; ++j)
      skills.push_back("s:" + std::to_string(rng.Uniform(k)));
    std::sort(skills.begin(), skills.end());
    skills.erase(std::unique(skills.begin(), skills.end()), skills.end());
    if (i > 0) {
      size_t np = rng.Uniform(3);
      for (size_t j = 0; j < np; ++j)
        pre.push_back("a" + std::to_string(rng.Uniform(i)));
    }
    in.achievements.push_back(Ach("a" + std::to_string(i),
                                  static_cast<double>(1 + rng.Uniform(30)),
                                  skills, pre));
    if (rng.Uniform(10) == 0)
      in.held_achievements.push_back("a" + std::to_string(i));
  }
  for (size_t s = 0; s < k; ++s) {
    uint64_t r = rng.Uniform(10);
    if (r < 6) in.target.push_back("s:" + std::to_string(s));
    if (r == 9) in.held_skills.push_back("s:" + std::to_string(s));
  }
  if (in.target.empty()) in.target.push_back("s:0");
  return in;
}

// Minimum hours over every closed subset covering the gap; -1 if none.
double BruteForceHours(const Instance& in, const Catalog& c) {
  std::set<std::string> held(in.held_achievements.begin(),
                             in.held_achievements.end());
  std::set<std::string> have(in.held_skills.begin(), in.held_skills.end());
  for (const Achievement& a : in.achievements) {
    if (held.count(a.id))
      for (auto& al : a.alignment) have.insert(al.target_url);
  }
  const size_t n = in.achievements.size();
  double best = -1;
  for (uint32_t mask = 0; mask < (1u << n); ++mask) {
    bool ok = true;
    double hours = 0;
    std::set<std::string> cov = have;
    for (uint32_t i = 0; i < n && ok; ++i) {
      if (!(mask >> i & 1)) continue;
      const Achievement& a = in.achievements[i];
      if (held.count(a.id)) {
        ok = false;  // held ones are never re-taken
        break;
      }
      hours += a.hours;
      for (auto& al : a.alignment) cov.insert(al.target_url);
      for (uint32_t q : c.prerequisites_of(i)) {
        if (!(mask >> q & 1) && !held.count(in.achievements[q].id)) ok = false;
      }
    }
    for (const std::string& s : in.target) ok = ok && cov.count(s);
    if (ok && (best < 0 || hours < best)) best = hours;
  }
  return best;
}

void CheckRecommendPlan(const Instance& in, const Catalog& c, const Plan& p) {
  std::set<std::string> done(in.held_achievements.begin(),
                             in.held_achievements.end());
  std::set<std::string> covered;
  for (const PlanStep& s : p.steps) {
    uint32_t a = *c.FindAchievement(s.achievement_id);
    for (uint32_t q : c.prerequisites_of(a)) {
      EXPECT_TRUE(done.count(c.achievements()[q].id))
          << "prerequisite not before " << s.achievement_id;
    }
    done.insert(s.achievement_id);
    for (const std::string& sk : s.covers)
      EXPECT_TRUE(covered.insert(sk).second);
  }
  std::set<std::string> missing(p.missing_skills.begin(),
                                p.missing_skills.end());
  EXPECT_EQ(covered, missing);
}

TEST(RecommendProperty, ExactEqualsBruteForceAndGreedyIsNeverOptimal) {
  DeterministicRng rng(4242);
  int feasible = 0, infeasible = 0;
  for (int iter = 0; iter < 2000; ++iter) {
    Instance in = RandomInstance(rng);
    Catalog c = MakeCatalog(in.achievements);
    RecommendRequest req{.held_skills = in.held_skills,
                         .held_achievements = in.held_achievements,
                         .target_skills = in.target};
    req.options.time_budget = std::chrono::seconds(20);
    auto exact = Recommend(c, nullptr, req);
    req.options.greedy = true;
    auto greedy = Recommend(c, nullptr, req);
    ASSERT_TRUE(exact.ok() && greedy.ok());
    EXPECT_NE(greedy->status, PlanStatus::kOptimal);
    double best = BruteForceHours(in, c);
    if (best >= 0) {
      ++feasible;
      ASSERT_EQ(exact->status, PlanStatus::kOptimal) << iter;
      EXPECT_DOUBLE_EQ(exact->total_hours, best) << iter;
      CheckRecommendPlan(in, c, *exact);
      ASSERT_EQ(greedy->status, PlanStatus::kGreedy);
      EXPECT_GE(greedy->total_hours, best);
      CheckRecommendPlan(in, c, *greedy);
    } else {
      ++infeasible;
      EXPECT_EQ(exact->status, PlanStatus::kInfeasible) << iter;
      EXPECT_EQ(greedy->status, PlanStatus::kInfeasible) << iter;
      // Exactly the target skills (not held) that no achievement teaches.
      std::set<std::string> expect;
      std::set<std::string> have(in.held_skills.begin(), in.held_skills.end());
      for (const Achievement& a : in.achievements) {
        if (std::count(in.held_achievements.begin(), in.held_achievements.end(),
                       a.id)) {
          for (auto& al : a.alignment) have.insert(al.target_url);
        }
      }
      for (const std::string& s : in.target) {
        if (!have.count(s) && !c.FindSkill(s)) expect.insert(s);
      }
      EXPECT_EQ(std::set<std::string>(exact->untaught_skills.begin(),
                                      exact->untaught_skills.end()),
                expect);
    }
  }
  EXPECT_GT(feasible, 300);
  EXPECT_GT(infeasible, 300);
}

}  // namespace
}  // namespace credstack::pathways
