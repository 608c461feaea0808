#include "credstack/server/negotiation.h"

#include <gtest/gtest.h>

namespace credstack::server {
namespace {

constexpr std::string_view kOffers[] = {"application/ld+json",
                                        "application/json", "text/html"};

std::optional<size_t> Pick(std::string_view accept) {
  return NegotiateMediaType(accept, kOffers);
}

TEST(NegotiateMediaType, AbsentHeaderTakesFirstOffer) {
  EXPECT_EQ(Pick(""), 0u);
  EXPECT_EQ(Pick("   "), 0u);
}

TEST(NegotiateMediaType, ExactTypes) {
  EXPECT_EQ(Pick("application/json"), 1u);
  EXPECT_EQ(Pick("text/html"), 2u);
  EXPECT_EQ(Pick("APPLICATION/LD+JSON"), 0u);
}

TEST(NegotiateMediaType, BrowserAcceptPrefersHtml) {
  EXPECT_EQ(Pick("text/html,application/xhtml+xml,application/xml;q=0.9,"
                 "image/avif,image/webp,*/*;q=0.8"),
            2u);
}

TEST(NegotiateMediaType, QValuesDecide) {
  EXPECT_EQ(Pick("application/ld+json;q=0.5, application/json"), 1u);
  EXPECT_EQ(Pick("text/html;q=0.1, application/*;q=0.2"), 0u);
  EXPECT_EQ(Pick("*/*;q=0.1, text/html;q=0.3"), 2u);
}

TEST(NegotiateMediaType, MostSpecificRangeWins) {
  // text/html excluded explicitly although */* allows everything.
  EXPECT_EQ(Pick("text/html;q=0, */*"), 0u);
  EXPECT_EQ(Pick("application/*;q=0, text/*"), 2u);
}

TEST(NegotiateMediaType, NothingAcceptable) {
  EXPECT_FALSE(Pick("image/png").has_value());
  EXPECT_FALSE(Pick("*/*;q=0").has_value());
}

TEST(NegotiateMediaType, MalformedRangesAreSkipped) {
  EXPECT_EQ(Pick("garbage, text/html;q=2, application/json"), 1u);
  EXPECT_EQ(Pick("*/json, text/html"), 2u);
  EXPECT_EQ(Pick(",,, ;; , text/html"), 2u);
  EXPECT_EQ(Pick("text/html;q=0.1234, application/json;q=0.5"), 1u);
}

TEST(NegotiateMediaType, BoundedWork) {
  std::string many;
  for (int i = 0; i < 10000; ++i) many += "image/png;q=0.5,";
  many += "text/html";
  // Only the first 64 ranges are read; the late text/html is ignored.
  EXPECT_FALSE(Pick(many).has_value());
}

TEST(MediaTypeOf, StripsParametersAndLowercases) {
  char buf[64];
  EXPECT_EQ(MediaTypeOf("Application/JSON; charset=utf-8", buf),
            "application/json");
  EXPECT_EQ(MediaTypeOf("", buf), "");
  EXPECT_EQ(MediaTypeOf(" text/csv ", buf), "text/csv");
}

}  // namespace
}  // namespace credstack::server
