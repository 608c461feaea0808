// W3C RDFC-1.0 test suite (w3c/rdf-canon tests/manifest.jsonld, 86 entries)
// run against ld::Canonicalize. Prints the counts; fails on any failure.
//
//   cd build && ./tests/rdfc/rdfc_conformance_test

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "credstack/json/json.h"
#include "credstack/ld/nquads.h"
#include "credstack/ld/rdfc.h"
#include "tests/testing/conformance.h"

namespace credstack::ld {
namespace {

using credstack::testing::ReadFile;

const std::filesystem::path kSuiteDir =
    credstack::testing::ConformanceDir() / "rdf-canon" / "tests";

struct Counts {
  int total = 0, passed = 0;
};

// Runs one manifest entry; returns an empty string on success, else why not.
std::string RunEntry(const json::Object& entry,
                     std::map<std::string, Counts>& by_type) {
  std::string type(entry.at("type").as_string());
  std::string action(entry.at("action").as_string());
  CanonicalizeOptions options;
  if (auto alg = json::GetString(entry, "hashAlgorithm")) {
    if (*alg == "SHA384") {
      options.hash = HashAlgorithm::kSha384;
    } else if (*alg != "SHA256") {
      return "unknown hashAlgorithm " + std::string(*alg);
    }
  }
  Result<Dataset> input = ParseNQuads(ReadFile(kSuiteDir / action));
  if (!input.ok()) return "input does not parse: " + input.error().ToString();

  Result<CanonicalResult> result = Canonicalize(*input, options);
  if (type == "rdfc:RDFC10NegativeEvalTest") {
    if (result.ok()) return "expected an error, got a result";
    if (result.error().code() != Code::kResourceExhausted) {
      return "expected resource_exhausted, got " + result.error().ToString();
    }
    return "";
  }
  if (!result.ok()) return "error: " + result.error().ToString();
  std::string expected_path(entry.at("result").as_string());
  std::string expected = ReadFile(kSuiteDir / expected_path);

  // Every positive entry is also run with UTF-16 order; the suite has no
  // text where the two orders differ, so the output must be identical.
  CanonicalizeOptions utf16 = options;
  utf16.order = QuadOrder::kUtf16;
  Result<CanonicalResult> result16 = Canonicalize(*input, utf16);
  if (!result16.ok() || result16->nquads != result->nquads) {
    return "UTF-16 order gave a different result";
  }

  if (type == "rdfc:RDFC10EvalTest") {
    if (result->nquads != expected) {
      return "canonical N-Quads differ:\n--- expected\n" + expected +
             "--- got\n" + result->nquads;
    }
    return "";
  }
  if (type == "rdfc:RDFC10MapTest") {
    Result<json::Value> map = json::Parse(expected);
    if (!map.ok() || !map->is_object()) return "bad expected map file";
    std::map<std::string, std::string> want, got;
    for (const auto& kv : map->as_object()) {
      want[std::string(kv.key())] = std::string(kv.value().as_string());
    }
    for (const IssuedIdentifier& id : result->issued)
      got[id.input] = id.canonical;
    if (want != got) {
      std::string msg = "issued identifiers map differs; got:";
      for (const auto& [k, v] : got) msg += " " + k + "=" + v;
      return msg;
    }
    return "";
  }
  by_type[type].total--;  // not counted
  return "unknown test type " + type;
}

TEST(RdfcConformance, W3cSuite) {
  if (!std::filesystem::exists(kSuiteDir / "manifest.jsonld")) {
    GTEST_SKIP()
        << "conformance data not found at " << kSuiteDir
        << " (../shared/conformance/rdf-canon); skipping the RDFC-1.0 suite";
  }
  Result<json::Value> manifest =
      json::Parse(ReadFile(kSuiteDir / "manifest.jsonld"));
  ASSERT_TRUE(manifest.ok()) << manifest.error().ToString();
  const json::Array* entries = json::GetArray(manifest->as_object(), "entries");
  ASSERT_NE(entries, nullptr);

  std::map<std::string, Counts> by_type;
  Counts all, sha384;
  for (const json::Value& v : *entries) {
    const json::Object& entry = v.as_object();
    std::string id(entry.at("id").as_string());
    std::string type(entry.at("type").as_string());
    bool is384 =
        json::GetString(entry, "hashAlgorithm").value_or("") == "SHA384";
    std::string why = RunEntry(entry, by_type);
    bool ok = why.empty();
    ++by_type[type].total;
    ++all.total;
    if (is384) ++sha384.total;
    if (ok) {
      ++by_type[type].passed;
      ++all.passed;
      if (is384) ++sha384.passed;
    } else {
      ADD_FAILURE() << id << " (" << type << "): " << why;
    }
  }
  std::printf("RDFC-1.0 conformance (w3c/rdf-canon): %d/%d passed\n",
              all.passed, all.total);
  for (const auto& [type, c] : by_type) {
    std::printf("  %-32s %d/%d\n", type.c_str(), c.passed, c.total);
  }
  std::printf("  %-32s %d/%d\n", "(entries using SHA-384)", sha384.passed,
              sha384.total);
  EXPECT_EQ(all.total, 86) << "the manifest should list 86 entries";
  EXPECT_EQ(all.passed, all.total);
}

}  // namespace
}  // namespace credstack::ld
