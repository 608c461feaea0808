// RFC 8785 test data (cyberphone/json-canonicalization testdata).
#include <gtest/gtest.h>

#include <cstring>

#include "credstack/json/jcs.h"
#include "tests/testing/conformance.h"

namespace credstack {
namespace {

using testing::ReadConformance;

TEST(JcsConformance, CanonicalizesEveryInputByteForByte) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  int passed = 0;
  for (const char* name : {"arrays", "french", "structures", "unicode", "values", "weird"}) {
    std::string in = ReadConformance(std::string("jcs/testdata/input/") + name + ".json");
    std::string want = ReadConformance(std::string("jcs/testdata/output/") + name + ".json");
    auto v = json::Parse(in);
    ASSERT_TRUE(v.ok()) << name << ": " << v.error().ToString();
    auto got = json::Canonicalize(*v);
    ASSERT_TRUE(got.ok()) << name;
    EXPECT_EQ(*got, want) << name;
    passed += *got == want;
  }
  std::printf("RFC 8785 canonicalization vectors: %d/6 passed\n", passed);
  EXPECT_EQ(passed, 6);
}

double FromIeeeHex(std::string_view hex) {
  uint64_t bits = std::stoull(std::string(hex), nullptr, 16);
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

TEST(JcsConformance, Es6NumberSerialization10k) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  std::string text = ReadConformance("jcs/numbers/es6testfile10k.txt");
  size_t lines = 0, passed = 0, pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line(text.data() + pos, (nl == std::string::npos ? text.size() : nl) - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    if (line.empty()) continue;
    size_t comma = line.find(',');
    ASSERT_NE(comma, std::string_view::npos);
    std::string got;
    json::AppendEcmaNumber(FromIeeeHex(line.substr(0, comma)), got);
    ++lines;
    if (got == line.substr(comma + 1)) {
      ++passed;
    } else if (lines - passed < 5) {
      ADD_FAILURE() << line << " -> " << got;
    }
  }
  std::printf("ES6 number lines: %zu/%zu passed\n", passed, lines);
  EXPECT_EQ(lines, 10000u);
  EXPECT_EQ(passed, lines);
}

TEST(JcsConformance, Rfc8785AppendixB) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  json::Value cases = testing::ReadConformanceJson("jcs/numbers/rfc8785-appendix-b.json");
  ASSERT_TRUE(cases.is_array());
  size_t n = 0;
  for (const auto& c : cases.as_array()) {
    double d = FromIeeeHex(c.at("ieee754").as_string());
    const auto& want = c.at("json");
    if (want.is_null()) {
      EXPECT_FALSE(json::Canonicalize(json::Value(d)).ok()) << c.at("ieee754");
    } else {
      EXPECT_EQ(*json::Canonicalize(json::Value(d)), want.as_string()) << c.at("ieee754");
    }
    ++n;
  }
  EXPECT_EQ(n, 26u);
}

}  // namespace
}  // namespace credstack
