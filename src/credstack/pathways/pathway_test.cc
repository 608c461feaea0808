#include "credstack/pathways/pathway.h"

#include <gtest/gtest.h>

#include "credstack/base/rng.h"
#include "credstack/pathways/breadth.h"
#include "credstack/pathways/recommender.h"
#include "credstack/pathways/testing/fixtures.h"

namespace credstack::pathways {
namespace {

constexpr const char* kPathway = R"({
  "id": "urn:pw:data", "name": "Data Analyst", "owner": "did:web:partnership.example",
  "achievement": "urn:stack:data-analyst",
  "rule": {"type": "allOf", "rules": [
    {"type": "achievement", "id": "intro"},
    {"type": "nOf", "n": 2, "name": "two electives", "rules": [
      {"type": "achievement", "id": "sql"},
      {"type": "achievement", "id": "python"},
      {"type": "achievement", "id": "viz"}]},
    {"type": "creditsAtLeast", "credits": 10, "from": ["sql", "python", "viz", "capstone"]},
    {"type": "skills", "skills": ["s:1", "s:4"]}
  ]}})";

Catalog DataCatalog() {
  auto a = [](std::string id, double hours, double credits,
              std::vector<std::string> skills,
              std::vector<std::string> pre = {}) {
    Achievement x{.id = id,
                  .name = id,
                  .issuer = "i",
                  .hours = hours,
                  .credits = credits};
    for (auto& s : skills) x.alignment.push_back({.target_url = s});
    x.prerequisites = std::move(pre);
    return x;
  };
  auto c = Catalog::Build(
      {a("intro", 5, 1, {"s:1"}), a("sql", 10, 4, {"s:4"}, {"intro"}),
       a("python", 20, 5, {"s:4", "s:2"}), a("viz", 8, 3, {"s:3"}),
       a("capstone", 30, 6, {}, {"sql"})},
      {}, nullptr);
  CREDSTACK_CHECK(c.ok());
  return std::move(c).value();
}

TEST(ParsePathway, ParsesRuleTree) {
  auto pw = ParsePathway(kPathway);
  ASSERT_TRUE(pw.ok()) << pw.error().ToString();
  EXPECT_EQ(pw->owner, "did:web:partnership.example");
  ASSERT_EQ(pw->rules.size(), 8u);
  EXPECT_EQ(pw->rules[0].kind, PathwayRule::Kind::kAllOf);
  ASSERT_EQ(pw->rules[0].children.size(), 4u);
  const PathwayRule& nof = pw->rules[pw->rules[0].children[1]];
  EXPECT_EQ(nof.kind, PathwayRule::Kind::kNOf);
  EXPECT_EQ(nof.n, 2u);
  EXPECT_EQ(nof.name, "two electives");
  EXPECT_EQ(nof.path, "$.rule.rules[1]");
  for (size_t i = 0; i < pw->rules.size(); ++i) {
    for (uint32_t c : pw->rules[i].children) EXPECT_GT(c, i);
  }
  EXPECT_TRUE(ValidatePathway(*pw, DataCatalog()).ok());
}

TEST(ParsePathway, ErrorsNameTheJsonPath) {
  struct Case {
    const char* json;
    const char* message;
  } cases[] = {
      {R"({"id":"p","rule":{"type":"allOf","rules":[{"type":"achievement","id":"a"},{"type":"oneOf"}]}})",
       "$.rule.rules[1].type: unknown rule type \"oneOf\" (achievement, allOf, "
       "nOf, creditsAtLeast, "
       "hoursAtLeast, skills)"},
      {R"({"id":"p","rule":{"type":"nOf","n":3,"rules":[{"type":"achievement","id":"a"}]}})",
       "$.rule.n: must be between 1 and the number of rules (1)"},
      {R"({"id":"p","rule":{"type":"creditsAtLeast","credits":0}})",
       "$.rule.credits: must be positive"},
      {R"({"id":"p","rule":{"type":"skills","skills":[]}})",
       "$.rule.skills: must not be empty"},
      {R"({"id":"p","rule":{"type":"allOf","rules":[{"type":"achievement"}]}})",
       "$.rule.rules[0].id: missing or not a non-empty string"},
      {R"({"id":"p","rule":{"type":"hoursAtLeast","hours":5,"from":["a","a"]}})",
       "$.rule.from[1]: duplicate entry a"},
      {R"({"rule":{"type":"achievement","id":"a"}})",
       "$.id: missing or not a non-empty string"},
      {R"({"id":"p"})", "$.rule: missing"},
  };
  for (const Case& c : cases) {
    auto r = ParsePathway(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().message(), c.message);
  }
  auto pw =
      ParsePathway(R"({"id":"p","rule":{"type":"achievement","id":"nope"}})");
  ASSERT_TRUE(pw.ok());
  Status s = ValidatePathway(*pw, DataCatalog());
  EXPECT_EQ(s.message(), "$.rule.id: achievement nope is not in the catalog");
}

TEST(ParsePathway, DepthAndSizeLimits) {
  std::string deep = R"({"id":"p","rule":)";
  for (int i = 0; i < 40; ++i) deep += R"({"type":"allOf","rules":[)";
  deep += R"({"type":"achievement","id":"a"})";
  for (int i = 0; i < 40; ++i) deep += "]}";
  deep += "}";
  auto r = ParsePathway(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kResourceExhausted);
  PathwayOptions o;
  o.max_rules = 3;
  r = ParsePathway(kPathway, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kResourceExhausted);
}

TEST(EvaluatePathway, ReportsSatisfiedAndMissingParts) {
  auto pw = ParsePathway(kPathway);
  Catalog c = DataCatalog();
  std::vector<std::string> held = {"intro", "sql"};
  auto p = EvaluatePathway(*pw, held, &c);
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->satisfied);
  const auto& kids = pw->rules[0].children;
  EXPECT_TRUE(p->rules[kids[0]].satisfied);
  EXPECT_FALSE(p->rules[kids[1]].satisfied);
  EXPECT_EQ(p->rules[kids[1]].have, 1);
  EXPECT_EQ(p->rules[kids[1]].need, 2);
  EXPECT_FALSE(p->rules[kids[2]].satisfied);
  EXPECT_EQ(p->rules[kids[2]].have, 4);
  EXPECT_EQ(p->rules[kids[2]].counted, std::vector<std::string>{"sql"});
  EXPECT_TRUE(p->rules[kids[3]].satisfied);

  held = {"intro", "sql", "python", "viz"};
  p = EvaluatePathway(*pw, held, &c);
  EXPECT_TRUE(p->satisfied);
  EXPECT_EQ(EvaluatePathway(*pw, held, nullptr).error().code(),
            Code::kFailedPrecondition);

  // Cheapest way to finish from {intro, sql} (4 credits): the n-of needs
  // python (20h, 5cr) or viz (8h, 3cr); credits need >= 10. Options:
  // viz + capstone = 38h (13cr), python + viz = 28h (12cr), python alone
  // gives 9cr. Optimum: python + viz, 28h.
  PlanOptions o;
  auto plan = FinishPathway(*pw, c, nullptr, {"intro", "sql"}, o);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->status, PlanStatus::kOptimal);
  EXPECT_DOUBLE_EQ(plan->total_hours, 28);
  o.greedy = true;
  plan = FinishPathway(*pw, c, nullptr, {"intro", "sql"}, o);
  EXPECT_EQ(plan->status, PlanStatus::kGreedy);
}

// Random pathways over random catalogs: FinishPathway's exact plan equals
// the cheapest subset found by brute force with EvaluatePathway as judge.
TEST(FinishPathwayProperty, MatchesBruteForce) {
  DeterministicRng rng(99);
  int feasible = 0, infeasible = 0;
  for (int iter = 0; iter < 600; ++iter) {
    size_t n = 2 + rng.Uniform(8);
    std::vector<Achievement> achs;
    for (size_t i = 0; i < n; ++i) {
      Achievement a{.id = "a" + std::to_string(i),
                    .issuer = "i",
                    .hours = static_cast<double>(1 + rng.Uniform(20)),
                    .credits = static_cast<double>(rng.Uniform(5))};
      a.name = a.id;
      if (rng.Uniform(2))
        a.alignment.push_back(
            {.target_url = "s:" + std::to_string(rng.Uniform(5))});
      if (i > 0 && rng.Uniform(3) == 0)
        a.prerequisites.push_back("a" + std::to_string(rng.Uniform(i)));
      achs.push_back(std::move(a));
    }
    Catalog c = std::move(Catalog::Build(achs, {}, nullptr)).value();
    // Random rule tree, pre-order so children follow parents.
    Pathway pw{.id = "p"};
    std::vector<std::pair<uint32_t, int>> todo;  // (parent, depth)
    auto add = [&](int depth) -> uint32_t {
      PathwayRule r;
      uint64_t k = depth >= 2 ? 2 + rng.Uniform(3) : rng.Uniform(5);
      auto any_ach = [&] { return "a" + std::to_string(rng.Uniform(n)); };
      if (k <= 1) {
        r.kind = k == 0 ? PathwayRule::Kind::kAllOf : PathwayRule::Kind::kNOf;
      } else if (k == 2) {
        r.kind = PathwayRule::Kind::kAchievement;
        r.achievement = any_ach();
      } else if (k == 3) {
        r.kind = rng.Uniform(2) ? PathwayRule::Kind::kCreditsAtLeast
                                : PathwayRule::Kind::kHoursAtLeast;
        r.threshold = static_cast<double>(1 + rng.Uniform(25));
        r.from_any = rng.Uniform(2);
        if (!r.from_any) {
          for (size_t i = 0; i < n; ++i) {
            if (rng.Uniform(2)) r.from.push_back("a" + std::to_string(i));
          }
          if (r.from.empty()) r.from.push_back(any_ach());
        }
      } else {
        r.kind = PathwayRule::Kind::kSkills;
        r.skills = {"s:" + std::to_string(rng.Uniform(5))};
        if (rng.Uniform(2))
          r.skills.push_back("s:" + std::to_string(rng.Uniform(5)));
        std::sort(r.skills.begin(), r.skills.end());
        r.skills.erase(std::unique(r.skills.begin(), r.skills.end()),
                       r.skills.end());
      }
      pw.rules.push_back(std::move(r));
      return static_cast<uint32_t>(pw.rules.size() - 1);
    };
    std::vector<std::pair<uint32_t, int>> stack{{add(0), 0}};
    while (!stack.empty()) {
      auto [i, depth] = stack.back();
      stack.pop_back();
      if (pw.rules[i].kind != PathwayRule::Kind::kAllOf &&
          pw.rules[i].kind != PathwayRule::Kind::kNOf)
        continue;
      size_t kids = 1 + rng.Uniform(3);
      for (size_t j = 0; j < kids; ++j) {
        uint32_t child = add(depth + 1);
        pw.rules[i].children.push_back(child);
        stack.push_back({child, depth + 1});
      }
      if (pw.rules[i].kind == PathwayRule::Kind::kNOf) {
        pw.rules[i].n = static_cast<uint32_t>(1 + rng.Uniform(kids));
      }
    }
    std::vector<std::string> held;
    for (size_t i = 0; i < n; ++i) {
      if (rng.Uniform(6) == 0) held.push_back("a" + std::to_string(i));
    }
    // Brute force.
    double best = -1;
    for (uint32_t mask = 0; mask < (1u << n); ++mask) {
      std::vector<std::string> have = held;
      double hours = 0;
      bool ok = true;
      for (uint32_t i = 0; i < n && ok; ++i) {
        if (!(mask >> i & 1)) continue;
        if (std::count(held.begin(), held.end(), achs[i].id)) ok = false;
        hours += achs[i].hours;
        have.push_back(achs[i].id);
        for (uint32_t q : c.prerequisites_of(i)) {
          if (!(mask >> q & 1) &&
              !std::count(held.begin(), held.end(), achs[q].id))
            ok = false;
        }
      }
      if (!ok) continue;
      auto prog = EvaluatePathway(pw, have, &c);
      ASSERT_TRUE(prog.ok());
      if (prog->satisfied && (best < 0 || hours < best)) best = hours;
    }
    auto plan = FinishPathway(pw, c, nullptr, held,
                              {.time_budget = std::chrono::seconds(20)});
    ASSERT_TRUE(plan.ok()) << plan.error().ToString();
    if (best >= 0) {
      ++feasible;
      ASSERT_EQ(plan->status, PlanStatus::kOptimal)
          << iter << " " << plan->detail;
      EXPECT_DOUBLE_EQ(plan->total_hours, best) << iter;
      std::vector<std::string> have = held;
      for (const PlanStep& s : plan->steps) have.push_back(s.achievement_id);
      EXPECT_TRUE(EvaluatePathway(pw, have, &c)->satisfied) << iter;
    } else {
      ++infeasible;
      EXPECT_EQ(plan->status, PlanStatus::kInfeasible) << iter;
    }
  }
  EXPECT_GT(feasible, 200);
  EXPECT_GT(infeasible, 20);
}

TEST(ComputeBreadth, SharesAndEvenness) {
  Framework fw = testing::TinyFramework();
  std::vector<std::string> deep = {"s:1", "s:2", "s:3"};
  BreadthReport d = ComputeBreadth(fw, deep);
  EXPECT_EQ(d.groups_total, 3u);
  EXPECT_EQ(d.groups_covered, 1u);
  EXPECT_DOUBLE_EQ(d.dominant_share, 1.0);
  EXPECT_DOUBLE_EQ(d.evenness, 0.0);
  std::vector<std::string> broad = {"s:1", "s:4", "s:5", "nope"};
  BreadthReport b = ComputeBreadth(fw, broad);
  EXPECT_EQ(b.skills_unmapped, 1u);
  EXPECT_EQ(b.groups_covered, 3u);
  EXPECT_NEAR(b.evenness, 1.0, 1e-12);
  BreadthReport top = ComputeBreadth(fw, broad, 0);
  EXPECT_EQ(top.groups_total, 2u);
  ASSERT_EQ(top.groups.size(), 2u);
  EXPECT_EQ(top.groups[0].group_id, "g:S");
  EXPECT_DOUBLE_EQ(top.groups[0].skills, 2);
}

}  // namespace
}  // namespace credstack::pathways
