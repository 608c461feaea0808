#include "credstack/pathways/catalog.h"

#include <gtest/gtest.h>

#include "credstack/pathways/testing/fixtures.h"

namespace credstack::pathways {
namespace {

constexpr const char* kCatalog = R"({
  "issuers": [{"id": "did:web:uni.example", "name": "Uni", "trusted": true}],
  "achievements": [
    {"id": "a:intro", "name": "Intro", "issuer": "did:web:uni.example", "hours": 10, "price": 0,
     "alignment": [{"type": ["Alignment"], "targetName": "skill 1", "targetUrl": "s:1",
                    "targetFramework": "ESCO", "targetType": "ext:ESCOSkill"}]},
    {"id": "a:adv", "name": "Advanced", "issuer": {"id": "did:web:mooc.example"}, "hours": 20,
     "price": 99.5, "currency": "EUR", "creditsAvailable": 5, "level": 5,
     "prerequisites": ["a:intro"],
     "alignment": [{"targetCode": "s:4"}, {"targetUrl": "s:1"}]}
  ]})";

TEST(ParseCatalog, ParsesAndIndexes) {
  auto c = ParseCatalog(kCatalog, nullptr);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  ASSERT_EQ(c->achievements().size(), 2u);
  const Achievement& adv = c->achievements()[1];
  EXPECT_EQ(adv.issuer, "did:web:mooc.example");
  EXPECT_EQ(adv.credits, 5);
  EXPECT_EQ(adv.level, 5);
  EXPECT_EQ(adv.currency, "EUR");
  EXPECT_EQ(c->skills().size(), 2u);
  auto s1 = c->FindSkill("s:1");
  ASSERT_TRUE(s1);
  EXPECT_EQ(c->teachers(*s1).size(), 2u);
  EXPECT_EQ(c->prerequisites_of(1).size(), 1u);
  EXPECT_EQ(c->topological_order()[0], 0u);
  ASSERT_EQ(c->issuers().size(), 2u);
  EXPECT_TRUE(c->issuers()[c->issuer_of(0)].trusted);
  EXPECT_FALSE(c->issuers()[c->issuer_of(1)].trusted);
}

TEST(ParseCatalog, ResolvesAgainstFramework) {
  Framework fw = testing::TinyFramework();
  auto c = ParseCatalog(kCatalog, &fw);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->framework_name(), "ESCO test");
  auto bad = ParseCatalog(
      R"({"achievements":[{"id":"x","alignment":[{"targetUrl":"s:99"}]}]})",
      &fw);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(
      bad.error().message(),
      "$.achievements[0].alignment[0]: unknown skill s:99 (not in ESCO test)");
}

TEST(ParseCatalog, ClearErrors) {
  struct Case {
    const char* json;
    const char* message;
  } cases[] = {
      {R"({"achievements":[]})",
       "$.achievements: the catalog has no achievements"},
      {R"({"achievements":[{"id":"a"},{"id":"a"}]})",
       "$.achievements[1].id: duplicate id a (also $.achievements[0])"},
      {R"({"achievements":[{"id":"a","prerequisites":["b"]}]})",
       "$.achievements[0].prerequisites[0]: unknown achievement b"},
      {R"({"achievements":[{"id":"a","hours":-1}]})",
       "$.achievements[0].hours: must be a non-negative number"},
      {R"({"achievements":[{"id":"a","hours":"ten"}]})",
       "$.achievements[0].hours: expected a number, got string"},
      {R"({"achievements":[{"id":"a","alignment":[{"targetName":"x"}]}]})",
       "$.achievements[0].alignment[0]: alignment has neither targetUrl nor "
       "targetCode"},
      {R"({"achievements":[{"name":"a"}]})", "$.achievements[0].id: missing"},
      {R"({"achievements":{}})",
       "$.achievements: expected an array, got object"},
      {R"({"issuers":[{"id":"i"},{"id":"i"}],"achievements":[{"id":"a"}]})",
       "$.issuers[1].id: duplicate issuer i"},
  };
  for (const Case& c : cases) {
    auto r = ParseCatalog(c.json, nullptr);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
    EXPECT_EQ(r.error().message(), c.message);
  }
}

TEST(ParseCatalog, ReportsPrerequisiteCycle) {
  auto r = ParseCatalog(R"({"achievements":[
      {"id":"a","prerequisites":["b"]},
      {"id":"b","prerequisites":["c"]},
      {"id":"c","prerequisites":["a"]},
      {"id":"d"}]})",
                        nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.error().message(),
      "$.achievements[0].prerequisites: cyclic prerequisites: a -> b -> c -> a "
      "(each requires the next)");
  auto self = ParseCatalog(
      R"({"achievements":[{"id":"a","prerequisites":["a"]}]})", nullptr);
  ASSERT_FALSE(self.ok());
  EXPECT_NE(self.error().message().find("a -> a"), std::string::npos);
}

TEST(ParseCatalog, EnforcesLimits) {
  CatalogOptions o;
  o.max_achievements = 1;
  auto r =
      ParseCatalog(R"({"achievements":[{"id":"a"},{"id":"b"}]})", nullptr, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kResourceExhausted);
  o = {};
  o.max_bytes = 10;
  r = ParseCatalog(R"({"achievements":[{"id":"a"}]})", nullptr, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kResourceExhausted);
}

}  // namespace
}  // namespace credstack::pathways
