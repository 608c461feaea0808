#include "credstack/json/jcs.h"

#include <gtest/gtest.h>

#include <limits>

namespace credstack::json {
namespace {

std::string Num(double d) {
  std::string s;
  AppendEcmaNumber(d, s);
  return s;
}

TEST(AppendEcmaNumber, FollowsEcmaScriptRules) {
  EXPECT_EQ(Num(0.0), "0");
  EXPECT_EQ(Num(-0.0), "0");
  EXPECT_EQ(Num(1), "1");
  EXPECT_EQ(Num(-1.5), "-1.5");
  EXPECT_EQ(Num(1e21), "1e+21");
  EXPECT_EQ(Num(1e20), "100000000000000000000");
  EXPECT_EQ(Num(1e-6), "0.000001");
  EXPECT_EQ(Num(1e-7), "1e-7");
  EXPECT_EQ(Num(1.5e-7), "1.5e-7");
  EXPECT_EQ(Num(123.456), "123.456");
  EXPECT_EQ(Num(5e-324), "5e-324");
  EXPECT_EQ(Num(1.7976931348623157e308), "1.7976931348623157e+308");
}

TEST(Canonicalize, SortsAndEscapes) {
  auto v = Parse(R"({"b":"\u0001\n\"","a":[1.0, 1e2, true, null],"\u00e9":{}})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*Canonicalize(*v), "{\"a\":[1,100,true,null],\"b\":\"\\u0001\\n\\\"\",\"\xc3\xa9\":{}}");
}

TEST(Canonicalize, LargeIntegersAreDoubles) {
  Value v = int64_t{9007199254740993};
  EXPECT_EQ(*Canonicalize(v), "9007199254740992");
}

TEST(Canonicalize, RejectsNonFinite) {
  Value v = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(Canonicalize(v).ok());
}

}  // namespace
}  // namespace credstack::json
