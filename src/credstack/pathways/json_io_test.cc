#include "credstack/pathways/json_io.h"

#include <gtest/gtest.h>

#include "credstack/pathways/import.h"
#include "credstack/pathways/testing/dir_file_provider.h"
#include "credstack/pathways/testing/fixtures.h"

namespace credstack::pathways {
namespace {

TEST(FrameworkSnapshot, RoundTripsWithoutDifferences) {
  Framework fw = testing::TinyFramework();
  std::string text = json::Serialize(FrameworkToJson(fw));
  auto back = FrameworkFromJson(text);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_TRUE(DiffFrameworks(fw, *back).empty());
  EXPECT_EQ(back->info().attribution, "ESCO, European Commission");
  EXPECT_EQ(json::Serialize(FrameworkToJson(*back)), text);
}

TEST(FrameworkSnapshot, RoundTripsOnetRatings) {
  testing::DirFileProvider files(std::string(CREDSTACK_SOURCE_DIR) +
                                 "/tests/testdata/onet");
  auto fw = ImportOnet(files, {.version = "28.0"});
  ASSERT_TRUE(fw.ok());
  auto back = FrameworkFromJson(json::Serialize(FrameworkToJson(*fw)));
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_TRUE(DiffFrameworks(*fw, *back).empty());
}

TEST(FrameworkSnapshot, RejectsBadIndices) {
  auto r = FrameworkFromJson(
      R"({"format":"credstack-framework-snapshot","framework":{"name":"x"},"groups":[],)"
      R"("skills":[{"id":"s","groups":[3]}],"occupations":[]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "$.skills[0].groups[0]: expected an index in range");
  EXPECT_FALSE(FrameworkFromJson(R"({"format":"other"})").ok());
}

TEST(PlanToJson, CarriesLabelsAndSource) {
  Framework fw = testing::TinyFramework();
  Plan p;
  p.status = PlanStatus::kOptimal;
  p.steps.push_back(
      {.achievement_id = "a", .name = "A", .hours = 3, .covers = {"s:1"}});
  p.total_hours = 3;
  p.objective = 3;
  p.lower_bound = 3;
  json::Value v = PlanToJson(p, &fw);
  EXPECT_EQ(v.at("status").as_string(), "optimal");
  EXPECT_EQ(v.at("source").as_string(), "ESCO, European Commission");
  EXPECT_EQ(v.at("steps").at(0).at("covers").at(0).at("label").as_string(),
            "skill 1");
  EXPECT_EQ(v.at("gap").as_double(), 0);
}

}  // namespace
}  // namespace credstack::pathways
