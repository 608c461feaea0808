#include "credstack/json/json.h"

#include <gtest/gtest.h>

namespace credstack::json {
namespace {

TEST(Parse, AcceptsValidDocument) {
  auto v = Parse(R"({"a":[1,2.5,"x",true,null],"b":{"c":-3}})");
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(v->at("b").at("c").as_int64(), -3);
}

TEST(Parse, ReportsSyntaxErrorPosition) {
  auto v = Parse("{\n  \"a\": 1,\n  \"b\": }");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code(), Code::kInvalidArgument);
  EXPECT_NE(v.error().message().find("line 3"), std::string::npos) << v.error().message();
}

TEST(Parse, RejectsTrailingData) {
  EXPECT_FALSE(Parse("{} {}").ok());
  EXPECT_FALSE(Parse("").ok());
  EXPECT_FALSE(Parse("[1,]").ok());
  EXPECT_FALSE(Parse("// c\n{}").ok());
  EXPECT_FALSE(Parse("{'a':1}").ok());
}

TEST(Parse, RejectsInvalidUtf8) {
  auto v = Parse("\"\xc0\xaf\"");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code(), Code::kInvalidArgument);
}

TEST(Parse, EnforcesDepthAndSize) {
  std::string deep(100, '[');
  deep += std::string(100, ']');
  auto v = Parse(deep);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code(), Code::kResourceExhausted);
  auto big = Parse(std::string(100, ' ') + "1", {.max_size = 50});
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code(), Code::kResourceExhausted);
  EXPECT_TRUE(Parse(deep, {.max_depth = 200}).ok());
}

TEST(Parse, RejectsDuplicateKeysNamingPath) {
  auto v = Parse(R"({"a":{"b":1,"c":{"x":1,"x":2}}})");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message().find("$.a.c"), std::string::npos) << v.error().message();
  EXPECT_FALSE(Parse(R"([{"k":1},{"k":1,"k":1}])").ok());
  EXPECT_TRUE(Parse(R"({"x":1,"x":2})", {.allow_duplicate_keys = true}).ok());
  EXPECT_TRUE(Parse(R"([{"k":1},{"k":1}])").ok());
}

TEST(Path, FormatsKeysAndIndexes) {
  EXPECT_EQ(Path().Key("a").Index(2).Key("@id").str(), "$.a[2].@id");
  EXPECT_EQ(Path().Key("with space").str(), "$[\"with space\"]");
}

}  // namespace
}  // namespace credstack::json

namespace credstack::json {
namespace {

TEST(Parse, DoublesAreCorrectlyRounded) {
  // Boost.JSON 1.81's own conversion yields 333333333.33333325 here.
  auto v = Parse("[333333333.33333329, 1E30, 0.1, 5e-324]");
  ASSERT_TRUE(v.ok());
  const Array& a = v->as_array();
  EXPECT_EQ(a[0].as_double(), 333333333.33333331);
  EXPECT_EQ(a[1].as_double(), 1e30);
  EXPECT_EQ(a[2].as_double(), 0.1);
  EXPECT_EQ(a[3].as_double(), 5e-324);
}

}  // namespace
}  // namespace credstack::json
