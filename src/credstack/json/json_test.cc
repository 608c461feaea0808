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

TEST(Parse, DecimalsAreCorrectlyRounded) {
  // Boost.JSON 1.81's own conversion is one ulp off here.
  EXPECT_EQ(Parse("333333333.33333329")->get_double(), 333333333.33333329);
  EXPECT_EQ(Parse("[0.1]")->as_array()[0].get_double(), 0.1);
  EXPECT_EQ(Parse("1.5e-7")->get_double(), 1.5e-7);
  EXPECT_FALSE(Parse("1e400").ok());
}

TEST(Parse, ArenaValuesEqualOrdinaryOnes) {
  const char* text = R"({"a":[1,2.5,"x",{"b":null}],"c":"\u00e9","d":true})";
  auto arena = Parse(text, {.arena = true});
  auto plain = Parse(text);
  ASSERT_TRUE(arena.ok());
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*arena, *plain);
  EXPECT_NE(arena->storage().get(), plain->storage().get());
  Value copy = arena->as_object().at("a");  // outlives the parse
  arena = Value();
  EXPECT_EQ(Serialize(copy), R"([1,2.5,"x",{"b":null}])");
  // Limits and errors are the same.
  EXPECT_FALSE(Parse(R"({"a":1,"a":2})", {.arena = true}).ok());
  EXPECT_FALSE(Parse("[1,", {.arena = true}).ok());
}

}  // namespace
}  // namespace credstack::json
