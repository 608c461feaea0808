#include "credstack/base/utf8.h"

#include <gtest/gtest.h>

namespace credstack {
namespace {

TEST(IsValidUtf8, AcceptsAndRejects) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("\xe4\xb8\xad\xf0\x9f\x98\x80"));  // 中😀
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));                     // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));                 // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));             // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe4\xb8"));                     // truncated
}

TEST(CompareUtf16, DiffersFromCodePointOrderOnlyForAstralVsPrivateUse) {
  std::string astral = "\xf0\x9f\x98\x80";  // U+1F600 -> D83D DE00
  std::string fullwidth = "\xef\xbc\xa1";   // U+FF21
  EXPECT_LT(CompareUtf16(astral, fullwidth), 0);   // D83D < FF21
  EXPECT_GT(astral.compare(fullwidth), 0);         // code point order
  EXPECT_LT(CompareUtf16("a", "b"), 0);
  EXPECT_EQ(CompareUtf16("abc", "abc"), 0);
  EXPECT_LT(CompareUtf16("ab", "abc"), 0);
  std::string s1 = "\xf0\x9f\x98\x80", s2 = "\xf0\x9f\x98\x81";
  EXPECT_LT(CompareUtf16(s1, s2), 0);
}

TEST(AppendUtf8, EncodesAllLengths) {
  std::string out;
  for (uint32_t cp : {0x41u, 0xe9u, 0x4e2du, 0x1f600u}) AppendUtf8(cp, out);
  EXPECT_EQ(out, "A\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80");
  size_t i = 0;
  EXPECT_EQ(NextCodePoint(out, i), 0x41u);
  EXPECT_EQ(NextCodePoint(out, i), 0xe9u);
  EXPECT_EQ(NextCodePoint(out, i), 0x4e2du);
  EXPECT_EQ(NextCodePoint(out, i), 0x1f600u);
  EXPECT_EQ(i, out.size());
}

}  // namespace
}  // namespace credstack
