#pragma once

// Access to ../shared/conformance (the official vectors) for tests. When
// the folder is absent, tests call CREDSTACK_REQUIRE_CONFORMANCE() and are
// skipped with a message that says so, loudly.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "credstack/json/json.h"

namespace credstack::testing {

inline std::filesystem::path ConformanceDir() {
  if (const char* env = std::getenv("CREDSTACK_CONFORMANCE_DIR")) return env;
  return CREDSTACK_CONFORMANCE_DIR;
}

inline bool HaveConformance() { return std::filesystem::is_directory(ConformanceDir()); }

inline std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string ReadConformance(const std::string& rel) { return ReadFile(ConformanceDir() / rel); }

inline json::Value ReadConformanceJson(const std::string& rel) {
  auto v = json::Parse(ReadConformance(rel), {.max_size = 64 << 20, .max_depth = 256});
  EXPECT_TRUE(v.ok()) << rel << ": " << v.error().ToString();
  return v.ok() ? *v : json::Value();
}

}  // namespace credstack::testing

#define CREDSTACK_REQUIRE_CONFORMANCE()                                                      \
  do {                                                                                       \
    if (!::credstack::testing::HaveConformance()) {                                          \
      GTEST_SKIP() << "CONFORMANCE DATA ABSENT: " << ::credstack::testing::ConformanceDir() \
                   << " not found; official vectors were NOT run";                           \
    }                                                                                        \
  } while (0)
