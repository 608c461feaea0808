#include "credstack/ld/jsonld.h"

#include <gtest/gtest.h>

namespace credstack::ld {
namespace {

json::Value J(std::string_view text) {
  auto v = json::Parse(text);
  EXPECT_TRUE(v.ok()) << v.error().ToString();
  return v.value_or(json::Value());
}

TEST(CanonicalDouble, MatchesJsonldJs) {
  EXPECT_EQ(CanonicalDouble(2.5), "2.5E0");
  EXPECT_EQ(CanonicalDouble(1.5e-7), "1.5E-7");
  EXPECT_EQ(CanonicalDouble(1e21), "1.0E21");
  EXPECT_EQ(CanonicalDouble(0.0), "0.0E0");
  EXPECT_EQ(CanonicalDouble(-2.5), "-2.5E0");
  EXPECT_EQ(CanonicalDouble(0.1 + 0.2), "3.0E-1");
  EXPECT_EQ(CanonicalDouble(123.456), "1.23456E2");
}

TEST(Expand, Basic) {
  auto out = Expand(J(R"({"@context": {"name": "http://schema.org/name"}, "name": "x"})"));
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(json::Serialize(*out), R"([{"http://schema.org/name":[{"@value":"x"}]}])");
}

}  // namespace
}  // namespace credstack::ld
