#include "credstack/json/schema.h"

#include <gtest/gtest.h>

namespace credstack::json {
namespace {

std::shared_ptr<const Schema> Make(std::string_view text) {
  auto v = Parse(text);
  EXPECT_TRUE(v.ok());
  auto s = Schema::Compile(*v);
  EXPECT_TRUE(s.ok()) << s.error().ToString();
  return *s;
}

TEST(Schema, RequiredTypesAndPaths) {
  auto s = Make(R"({
    "type": "object", "required": ["name", "tags"],
    "properties": {
      "name": {"type": "string"},
      "tags": {"type": "array", "minItems": 1, "items": {"type": "string"}},
      "when": {"type": "string", "format": "date-time"},
      "kind": {"$ref": "#/$defs/Kind"}
    },
    "additionalProperties": false,
    "$defs": {"Kind": {"enum": ["a", "b"]}}
  })");
  EXPECT_TRUE(s->Validate(*Parse(R"({"name":"x","tags":["t"]})")).empty());
  auto errs = s->Validate(*Parse(R"({"tags":[1],"when":"yesterday","kind":"c","extra":1})"));
  ASSERT_EQ(errs.size(), 5u);
  EXPECT_EQ(errs[0].path, "$.name");
  EXPECT_EQ(errs[1].path, "$.tags[0]");
}

TEST(Schema, SingleValueStandsForArray) {
  auto s = Make(R"({"type":"array","contains":{"enum":["Achievement"]},"items":{"type":"string"}})");
  EXPECT_TRUE(s->Validate(Value("Achievement")).empty());
  EXPECT_FALSE(s->Validate(Value("Other")).empty());
  EXPECT_FALSE(s->Validate(*Parse("[1]")).empty());
}

TEST(Schema, OneOfAndTuples) {
  auto s = Make(R"({"type":"array","items":[{"const":"v2"}],"additionalItems":{"type":"string"},
                   "minItems":1})");
  EXPECT_TRUE(s->Validate(*Parse(R"(["v2","x"])")).empty());
  EXPECT_FALSE(s->Validate(*Parse(R"(["v1"])")).empty());
  EXPECT_FALSE(s->Validate(*Parse(R"(["v2",3])")).empty());
  auto one = Make(R"({"oneOf":[{"type":"string"},{"type":"object","required":["id"]}]})");
  EXPECT_TRUE(one->Validate(Value("x")).empty());
  EXPECT_TRUE(one->Validate(*Parse(R"({"id":"x"})")).empty());
  EXPECT_FALSE(one->Validate(*Parse("{}")).empty());
}

TEST(Schema, RejectsUnsupportedKeywords) {
  auto v = Parse(R"({"patternProperties":{}})");
  EXPECT_EQ(Schema::Compile(*v).error().code(), Code::kUnimplemented);
}

}  // namespace
}  // namespace credstack::json

namespace credstack::json {
namespace {

TEST(Schema, ExtensibleEnumerationMissesAreValueOnly) {
  auto s = Schema::Compile(*Parse(R"({"type":"object","properties":{
    "kind":{"oneOf":[{"type":"string","enum":["a","b"]},{"type":"string","pattern":"^ext:"}]},
    "type":{"type":"string","enum":["T"]}}})"));
  ASSERT_TRUE(s.ok());
  auto errs = (*s)->Validate(*Parse(R"({"kind":"c","type":"U"})"));
  ASSERT_EQ(errs.size(), 2u);
  EXPECT_TRUE(errs[0].value_only);   // kind: extensible vocabulary
  EXPECT_FALSE(errs[1].value_only);  // type: closed
  EXPECT_FALSE((*s)->Validate(*Parse(R"({"kind":3})"))[0].value_only);
  EXPECT_TRUE((*s)->Validate(*Parse(R"({"kind":"ext:x"})")).empty());
}

}  // namespace
}  // namespace credstack::json
