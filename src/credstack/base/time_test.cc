#include "credstack/base/time.h"

#include <gtest/gtest.h>

namespace credstack {
namespace {

TEST(ParseDateTime, AcceptsRfc3339Forms) {
  EXPECT_EQ(ParseDateTime("1970-01-01T00:00:00Z")->unix_micros, 0);
  EXPECT_EQ(ParseDateTime("2023-01-01T00:00:00Z")->unix_seconds(), 1672531200);
  EXPECT_EQ(ParseDateTime("2023-01-01T01:00:00+01:00")->unix_seconds(), 1672531200);
  EXPECT_EQ(ParseDateTime("2022-12-31T23:00:00-01:00")->unix_seconds(), 1672531200);
  EXPECT_EQ(ParseDateTime("2023-01-01T00:00:00.5Z")->unix_micros, 1672531200500000);
  EXPECT_EQ(ParseDateTime("2023-01-01T00:00:00.123456789Z")->unix_micros,
            1672531200123456);
  EXPECT_EQ(ParseDateTime("1969-12-31T23:59:59Z")->unix_seconds(), -1);
}

TEST(ParseDateTime, RejectsMalformed) {
  for (const char* bad : {"", "2023-01-01", "2023-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
                          "2023-01-01T25:00:00Z", "2023-01-01T00:00:00", "2023-01-01T00:00:00.Z",
                          "2023-01-01T00:00:00Zjunk", "2023-01-01 00:00:00Z"}) {
    EXPECT_FALSE(ParseDateTime(bad).ok()) << bad;
  }
  EXPECT_TRUE(ParseDateTime("2024-02-29T00:00:00Z").ok());
  EXPECT_TRUE(ParseDateTime("2023-01-01T00:00:00", {.require_offset = false}).ok());
}

TEST(FormatDateTime, RoundTrips) {
  for (const char* s : {"2023-01-01T00:00:00Z", "1999-12-31T23:59:59.25Z", "2099-06-15T12:30:00Z",
                        "1960-03-01T00:00:00Z", "0001-01-01T00:00:00Z",
                        "9999-12-31T23:59:59.999999Z", "2024-02-29T00:00:00.000001Z",
                        "2024-02-29T00:00:00.1Z", "2000-01-01T09:05:07.00305Z"}) {
    EXPECT_EQ(FormatDateTime(*ParseDateTime(s)), s);
  }
  // Every instant from year 1 to 9999 comes back from its text.
  uint64_t x = 88172645463325252ull;
  const int64_t lo = ParseDateTime("0001-01-01T00:00:00Z")->unix_micros;
  const int64_t hi = ParseDateTime("9999-12-31T23:59:59.999999Z")->unix_micros;
  for (int i = 0; i < 20000; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    Timestamp t{lo + static_cast<int64_t>(x % static_cast<uint64_t>(hi - lo))};
    if (i % 2) t.unix_micros -= t.unix_micros % 1'000'000;  // whole seconds too
    std::string text = FormatDateTime(t);
    ASSERT_EQ(text.size() >= 20 && text.back() == 'Z', true) << text;
    auto back = ParseDateTime(text);
    ASSERT_TRUE(back.ok()) << text;
    ASSERT_EQ(back->unix_micros, t.unix_micros) << text;
  }
}

}  // namespace
}  // namespace credstack
