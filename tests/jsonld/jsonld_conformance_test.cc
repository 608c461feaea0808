// W3C JSON-LD 1.1 API test suite (expand and toRdf manifests) run against
// credstack::ld. Prints passed/failed/skipped per manifest and fails when
// the pass rate drops below the recorded threshold. Set
// CREDSTACK_JSONLD_VERBOSE=1 to print every failing or skipped test with its
// reason (docs/conformance.md lists them).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "credstack/ld/jsonld.h"
#include "tests/jsonld/rdf_compare.h"

namespace credstack::ld {
namespace {

namespace fs = std::filesystem;

constexpr char kBaseIri[] = "https://w3c.github.io/json-ld-api/tests/";

// Pass-rate floors (percent of the tests that were run, i.e. not skipped),
// set at what the implementation achieves so that regressions fail.
constexpr double kExpandThreshold = 100.0;
constexpr double kToRdfThreshold = 100.0;

fs::path SuiteDir() {
  return fs::path(CREDSTACK_CONFORMANCE_DIR) / "jsonld" / "tests";
}

std::optional<std::string> ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Serves https://w3c.github.io/json-ld-api/tests/X from the local copy.
class SuiteLoader final : public DocumentLoader {
 public:
  Result<RemoteDocument> Load(std::string_view url) const override {
    if (!url.starts_with(kBaseIri))
      return NotFoundError("not a test-suite URL: " + std::string(url));
    auto text =
        ReadFile(SuiteDir() / std::string(url.substr(sizeof(kBaseIri) - 1)));
    if (!text)
      return NotFoundError("no such test-suite file: " + std::string(url));
    CREDSTACK_ASSIGN_OR_RETURN(json::Value doc, json::Parse(*text));
    return RemoteDocument{std::string(url),
                          std::make_shared<const json::Value>(std::move(doc))};
  }
};

struct Outcome {
  enum Kind { kPass, kFail, kSkip } kind;
  std::string reason;
};

struct Counts {
  int passed = 0, failed = 0, skipped = 0;
  std::vector<std::pair<std::string, std::string>> failures, skips;
};

// JSON-LD graph equality for expansion results: arrays are unordered except
// @list values; numbers compare by value; language tags ignore case (the
// processor lower-cases them, JSON-LD 1.1 §4.1.2 step 5.9.3 allows it).
bool SameJsonLd(const json::Value& a, const json::Value& b, bool ordered,
                std::string_view key);

bool SameArray(const json::Array& a, const json::Array& b, bool ordered) {
  if (a.size() != b.size()) return false;
  if (ordered) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!SameJsonLd(a[i], b[i], false, {})) return false;
    }
    return true;
  }
  std::vector<bool> used(b.size(), false);
  for (const json::Value& x : a) {
    bool found = false;
    for (size_t j = 0; j < b.size() && !found; ++j) {
      if (!used[j] && SameJsonLd(x, b[j], false, {})) used[j] = found = true;
    }
    if (!found) return false;
  }
  return true;
}

bool SameJsonLd(const json::Value& a, const json::Value& b, bool ordered,
                std::string_view key) {
  if (a.is_number() && b.is_number())
    return a.to_number<double>() == b.to_number<double>();
  if (key == "@language" && a.is_string() && b.is_string()) {
    std::string x(a.get_string()), y(b.get_string());
    std::transform(x.begin(), x.end(), x.begin(), ::tolower);
    std::transform(y.begin(), y.end(), y.begin(), ::tolower);
    return x == y;
  }
  if (a.kind() != b.kind() && !(a.is_number() && b.is_number())) return false;
  if (a.is_array()) return SameArray(a.as_array(), b.as_array(), ordered);
  if (a.is_object()) {
    const json::Object& oa = a.as_object();
    const json::Object& ob = b.as_object();
    if (oa.size() != ob.size()) return false;
    const bool is_json_literal = oa.contains("@type") &&
                                 oa.at("@type").is_string() &&
                                 oa.at("@type").get_string() == "@json";
    for (const auto& kv : oa) {
      const json::Value* other = ob.if_contains(kv.key());
      if (!other) return false;
      if (is_json_literal && kv.key() == "@value") {
        if (kv.value() != *other) return false;
        continue;
      }
      if (!SameJsonLd(kv.value(), *other, kv.key() == "@list", kv.key()))
        return false;
    }
    return true;
  }
  return a == b;
}

Outcome RunTest(const json::Object& test, bool to_rdf, bool js_compat,
                const std::shared_ptr<ContextCache>& cache,
                const std::shared_ptr<const DocumentLoader>& loader) {
  const json::Array& types = test.at("@type").as_array();
  auto has_type = [&](std::string_view t) {
    return std::any_of(types.begin(), types.end(), [&](const json::Value& v) {
      return v.is_string() && v.get_string() == t;
    });
  };
  const json::Object* option = json::GetObject(test, "option");
  JsonLdOptions options;
  options.loader = loader;
  options.cache = cache;
  std::string input(*json::GetString(test, "input"));
  options.base = kBaseIri + input;
  if (option) {
    if (auto v = json::GetString(*option, "specVersion");
        v && *v == "json-ld-1.0") {
      return {Outcome::kSkip, "json-ld-1.0 only"};
    }
    if (auto v = json::GetString(*option, "processingMode");
        v && *v == "json-ld-1.0") {
      options.processing_mode_1_0 = true;
    }
    if (auto v = json::GetString(*option, "base"))
      options.base = std::string(*v);
    if (auto v = json::GetString(*option, "expandContext")) {
      auto text = ReadFile(SuiteDir() / std::string(*v));
      if (!text) return {Outcome::kFail, "cannot read expandContext"};
      auto ctx = json::Parse(*text);
      if (!ctx.ok()) return {Outcome::kFail, "bad expandContext"};
      options.expand_context =
          std::make_shared<const json::Value>(std::move(*ctx));
    }
    if (auto v = json::GetString(*option, "rdfDirection")) {
      options.rdf_direction = *v == "i18n-datatype"
                                  ? RdfDirection::kI18nDatatype
                                  : RdfDirection::kCompoundLiteral;
    }
    if (const json::Value* g = option->if_contains("produceGeneralizedRdf");
        g && g->is_bool()) {
      options.produce_generalized_rdf = g->get_bool();
    }
  }
  options.jsonld_js_compat = js_compat;

  auto text = ReadFile(SuiteDir() / input);
  if (!text) return {Outcome::kFail, "cannot read input"};
  auto doc = json::Parse(*text, {.allow_duplicate_keys = true});
  if (!doc.ok())
    return {Outcome::kFail, "input does not parse: " + doc.error().message()};

  Status status;
  std::optional<json::Value> expanded;
  std::optional<Dataset> dataset;
  if (to_rdf) {
    auto r = ToRdf(*doc, options);
    if (r.ok()) dataset = std::move(*r);
    status = r.error();
  } else {
    auto r = Expand(*doc, options);
    if (r.ok()) expanded = std::move(*r);
    status = r.error();
  }

  if (has_type("jld:NegativeEvaluationTest")) {
    std::string want(*json::GetString(test, "expectErrorCode"));
    if (status.ok())
      return {Outcome::kFail, "expected error \"" + want + "\", got success"};
    if (JsonLdErrorCode(status) != want) {
      return {Outcome::kFail,
              "expected \"" + want + "\", got " + status.ToString()};
    }
    return {Outcome::kPass, {}};
  }
  if (!status.ok())
    return {Outcome::kFail, "unexpected error: " + status.ToString()};
  if (has_type("jld:PositiveSyntaxTest")) return {Outcome::kPass, {}};

  auto expect_text =
      ReadFile(SuiteDir() / std::string(*json::GetString(test, "expect")));
  if (!expect_text) return {Outcome::kFail, "cannot read expected output"};
  if (to_rdf) {
    auto want = testing::ParseNQuads(*expect_text);
    if (!want.ok())
      return {Outcome::kFail, "expected N-Quads: " + want.error().message()};
    std::string diff;
    if (!testing::Isomorphic(*dataset, *want, &diff)) {
      if (std::getenv("CREDSTACK_JSONLD_VERBOSE")) {
        for (const Quad& q : *dataset)
          diff += "\n    produced: " + testing::ToNQuad(q);
      }
      return {Outcome::kFail, diff};
    }
    return {Outcome::kPass, {}};
  }
  auto want = json::Parse(*expect_text, {.allow_duplicate_keys = true});
  if (!want.ok()) return {Outcome::kFail, "expected output does not parse"};
  if (!SameJsonLd(*expanded, *want, false, {})) {
    return {Outcome::kFail, "got " + json::Serialize(*expanded).substr(0, 600)};
  }
  return {Outcome::kPass, {}};
}

Counts RunManifest(const std::string& name, bool to_rdf, bool js_compat) {
  Counts counts;
  auto text = ReadFile(SuiteDir() / name);
  auto manifest = json::Parse(text.value_or(""));
  EXPECT_TRUE(manifest.ok()) << name;
  if (!manifest.ok()) return counts;
  auto loader = std::make_shared<SuiteLoader>();
  auto cache = std::make_shared<ContextCache>();
  for (const json::Value& t : manifest->as_object().at("sequence").as_array()) {
    const json::Object& test = t.as_object();
    std::string id(*json::GetString(test, "@id"));
    Outcome o = RunTest(test, to_rdf, js_compat, cache, loader);
    switch (o.kind) {
      case Outcome::kPass:
        ++counts.passed;
        break;
      case Outcome::kFail:
        ++counts.failed;
        counts.failures.emplace_back(id, o.reason);
        break;
      case Outcome::kSkip:
        ++counts.skipped;
        counts.skips.emplace_back(id, o.reason);
        break;
    }
  }
  return counts;
}

void Report(const std::string& manifest, const Counts& c, double threshold) {
  const int run = c.passed + c.failed;
  const double rate = run ? 100.0 * c.passed / run : 0;
  std::printf(
      "JSON-LD %s: %d passed, %d failed, %d skipped (%.1f%% of %d run)\n",
      manifest.c_str(), c.passed, c.failed, c.skipped, rate, run);
  const char* verbose = std::getenv("CREDSTACK_JSONLD_VERBOSE");
  for (const auto& [id, reason] : c.failures) {
    if (verbose) std::printf("  FAIL %s: %s\n", id.c_str(), reason.c_str());
  }
  for (const auto& [id, reason] : c.skips) {
    if (verbose) std::printf("  SKIP %s: %s\n", id.c_str(), reason.c_str());
  }
  std::fflush(stdout);
  EXPECT_GE(rate, threshold)
      << manifest << " pass rate fell below the recorded threshold";
}

bool SuitePresent() {
  return fs::exists(SuiteDir() / "expand-manifest.jsonld");
}

TEST(JsonLdConformance, Expand) {
  if (!SuitePresent())
    GTEST_SKIP() << "W3C JSON-LD suite not found under " << SuiteDir();
  Report("expand-manifest.jsonld",
         RunManifest("expand-manifest.jsonld", false, false), kExpandThreshold);
}

TEST(JsonLdConformance, ToRdf) {
  if (!SuitePresent())
    GTEST_SKIP() << "W3C JSON-LD suite not found under " << SuiteDir();
  Report("toRdf-manifest.jsonld",
         RunManifest("toRdf-manifest.jsonld", true, false), kToRdfThreshold);
}

// The default (jsonld.js-compatible) number handling must not cost any test
// either: the suite's numbers are all forms on which the two agree.
TEST(JsonLdConformance, ToRdfJsonldJsCompat) {
  if (!SuitePresent())
    GTEST_SKIP() << "W3C JSON-LD suite not found under " << SuiteDir();
  Report("toRdf-manifest.jsonld (jsonld_js_compat)",
         RunManifest("toRdf-manifest.jsonld", true, true), kToRdfThreshold);
}

}  // namespace
}  // namespace credstack::ld
