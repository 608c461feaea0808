// The direct JSON-LD to RDF path (internal/direct_to_rdf.h) against the
// spec path (Expand + node map + deserialization, what ToRdf() runs): on
// every document where the direct path answers, both give the same dataset
// up to blank node labels, duplicates included; where the spec path fails,
// the direct path must not answer, and ToRdfDataset() fails with the same
// error. Inputs: hand-written edge cases, the jsonld.js interop documents
// (the public credential fixtures and tricky values), document views, and
// the W3C toRdf suite when ../shared/conformance is present.

#include "credstack/ld/internal/direct_to_rdf.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "credstack/ld/jsonld.h"
#include "credstack/ld/rdfc.h"

namespace credstack::ld {
namespace {

namespace fs = std::filesystem;

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json::Value J(std::string_view text) {
  auto v = json::Parse(text, {.allow_duplicate_keys = true});
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? std::move(*v) : json::Value();
}

// The canonical form with duplicates kept: equal iff the datasets are equal
// as multisets up to blank node labels (given a correct RDFC-1.0).
Result<std::string> Fingerprint(const RdfDataset& d) {
  CREDSTACK_ASSIGN_OR_RETURN(CanonicalResult c, Canonicalize(d, {.keep_duplicates = true}));
  return c.nquads;
}

json::Value Viewed(const json::Value& doc, const DocumentView& view) {
  if (view.skip_members.empty() && !view.context) return doc;
  json::Object copy;
  for (const auto& kv : doc.as_object()) {
    bool skip = std::find(view.skip_members.begin(), view.skip_members.end(), kv.key()) !=
                view.skip_members.end();
    if (!skip && !(view.context && kv.key() == "@context")) copy.emplace(kv.key(), kv.value());
  }
  if (view.context) copy["@context"] = *view.context;
  return copy;
}

struct Comparison {
  bool direct = false;  // the direct path answered
  bool spec_ok = false;
};

// Checks the properties above for one document; returns what happened.
Comparison Compare(const json::Value& doc, const JsonLdOptions& options,
                   const DocumentView& view = {}) {
  Comparison c;
  auto spec = ToRdf(Viewed(doc, view), options);
  RdfDataset direct;
  c.direct = doc.is_object() ? internal::DirectToRdf(doc.as_object(), options, view, direct)
                             : internal::DirectToRdf(doc, options, direct);
  auto fast = ToRdfDataset(doc, options, view);
  c.spec_ok = spec.ok();
  if (!spec.ok()) {
    EXPECT_FALSE(c.direct) << "direct path answered where the spec path fails with "
                           << spec.error().ToString();
    EXPECT_FALSE(fast.ok());
    if (!fast.ok()) {
      EXPECT_EQ(fast.error(), spec.error());
    }
    return c;
  }
  EXPECT_TRUE(fast.ok()) << fast.error().ToString();
  if (!fast.ok()) return c;
  RdfDataset want = RdfDataset::FromDataset(*spec);
  EXPECT_EQ(fast->size(), want.size());
  EXPECT_EQ(fast->CountDuplicates(), want.CountDuplicates());
  auto want_fp = Fingerprint(want);
  auto fast_fp = Fingerprint(*fast);
  EXPECT_EQ(want_fp.ok(), fast_fp.ok());
  if (want_fp.ok() && fast_fp.ok()) {
    EXPECT_EQ(*fast_fp, *want_fp);
  }
  if (c.direct) {
    EXPECT_EQ(direct.size(), want.size());
    auto direct_fp = Fingerprint(direct);
    EXPECT_TRUE(direct_fp.ok() && want_fp.ok() && *direct_fp == *want_fp)
        << "direct path differs from the spec path";
  }
  return c;
}

JsonLdOptions Safe(bool safe = true, bool js_compat = true) {
  JsonLdOptions o;
  o.safe_mode = safe;
  o.jsonld_js_compat = js_compat;
  return o;
}

constexpr char kObContext[] =
    R"(["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"])";

TEST(DirectToRdf, BenchCredentialTakesTheDirectPath) {
  json::Value doc = J(ReadText(fs::path(CREDSTACK_SOURCE_DIR) /
                               "tests/jsonld/testdata/bench-ob3-credential.json"));
  for (bool safe : {true, false}) {
    for (bool compat : {true, false}) {
      Comparison c = Compare(doc, Safe(safe, compat));
      EXPECT_TRUE(c.spec_ok);
      EXPECT_TRUE(c.direct) << "safe " << safe << " compat " << compat;
    }
  }
}

TEST(DirectToRdf, DuplicatesAsJsonldJsKeepsThem) {
  // `true` and {"@value": true, "@type": xsd:boolean} are one literal but
  // two values for jsonld.js: two quads in compat mode, one otherwise.
  json::Value doc = J(std::string(R"({"@context": {"@vocab": "https://example.org/",
      "xsd": "http://www.w3.org/2001/XMLSchema#",
      "d": {"@id": "https://example.org/d", "@type": "xsd:double"}},
    "@id": "https://example.org/s",
    "flag": [true, {"@value": true, "@type": "xsd:boolean"}, true],
    "n": [5, 5.0, {"@value": "5", "@type": "xsd:integer"}],
    "d": ["1.0", "1.00", "1.0"],
    "same": [{"@id": "https://example.org/o"}, {"@id": "https://example.org/o", "p": 1}],
    "twice": {"@id": "https://example.org/s", "@type": "T", "flag": true}})"));
  for (bool compat : {true, false}) {
    Comparison c = Compare(doc, Safe(true, compat));
    EXPECT_TRUE(c.direct);
    auto d = ToRdfDataset(doc, Safe(true, compat));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->CountDuplicates() > 0, compat);
  }
}

TEST(DirectToRdf, ContextsScopesAndValueObjects) {
  const char* docs[] = {
      // Type-scoped (non-propagated) and property-scoped contexts.
      R"({"@context": {"@vocab": "https://v.example/", "T": {"@id": "https://t.example/T",
          "@context": {"inner": "https://t.example/inner"}},
          "p": {"@id": "https://p.example/p", "@context": {"q": {"@id": "https://p.example/q", "@type": "@id"}}}},
        "@type": "T", "inner": {"inner": "not T's", "x": 1}, "p": {"q": "https://o.example/1", "r": "s"}})",
      // Language and datatype mappings, value objects, @vocab terms.
      R"({"@context": {"@vocab": "https://v.example/", "@language": "EN-us",
          "date": {"@id": "https://v.example/date", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"},
          "plain": {"@id": "https://v.example/plain", "@language": null}},
        "name": "hello", "plain": "x", "date": "2024-01-01T00:00:00Z",
        "v": [{"@value": "bonjour", "@language": "FR"}, {"@value": 2.5}, {"@value": 1e21}, 1e-7, -0.0, 0]})",
      // Blank node identifiers, nested nodes, node merging.
      R"({"@context": {"@vocab": "https://v.example/", "knows": {"@type": "@id"}},
        "@id": "_:a", "knows": ["_:b", "_:a"], "friend": {"@id": "_:b", "name": "B"},
        "other": {"@id": "_:b", "name": "B", "age": 3}})",
      // A top-level array.
      R"([{"@context": {"@vocab": "https://v.example/"}, "@id": "https://s.example/1", "a": 1},
          {"@context": {"@vocab": "https://w.example/"}, "@id": "https://s.example/1", "a": 1}])",
      // Constructs left to the spec path.
      R"({"@context": {"@vocab": "https://v.example/", "l": {"@container": "@list"}}, "l": [1, 2]})",
      R"({"@context": {"@vocab": "https://v.example/"}, "@graph": [{"a": 1}]})",
      R"({"@context": {"@vocab": "https://v.example/", "m": {"@container": "@language"}}, "m": {"en": "x"}})",
      R"({"@context": {"@vocab": "https://v.example/"}, "@reverse": {"a": {"@id": "https://x.example/"}}})",
      R"({"@context": {"@vocab": "https://v.example/"}, "a": {"@value": "x", "@direction": "ltr"}})",
      R"({"@context": {"@vocab": "https://v.example/"}, "a": {"@value": {"x": 1}, "@type": "@json"}})",
      // Errors and safe-mode events.
      R"({"@context": {"@vocab": "https://v.example/"}, "@id": "relative", "a": 1})",
      R"({"@context": {"x": "https://x.example/"}, "undefined": 1, "x": 2})",
      R"({"@context": {"@vocab": "https://v.example/"}, "@type": "rel ative", "a": 1})",
      R"({"@context": {"@vocab": "https://v.example/"}, "a": {"@value": "x", "@language": "not a tag"}})",
      R"({"@context": {"@vocab": "https://v.example/"}, "a": {"@value": null}})",
      R"({"@context": {"@vocab": "https://v.example/"}, "@id": "https://s.example/"})",
      R"({"@context": {"@vocab": "https://v.example/"}, "a": [[1]]})",
      R"({"@context": "https://unknown.example/context.jsonld", "a": 1})",
      R"({"@context": {"@vocab": "https://v.example/"}, "a": {"@value": 1, "@type": "_:b"}})",
      R"({"@context": {"@vocab": "https://v.example/", "i": "@id"}, "i": "https://s.example/", "@id": "https://s.example/"})",
  };
  int direct = 0;
  for (const char* text : docs) {
    SCOPED_TRACE(text);
    json::Value doc = J(text);
    for (bool safe : {true, false}) {
      for (bool compat : {true, false}) direct += Compare(doc, Safe(safe, compat)).direct;
    }
  }
  EXPECT_GE(direct, 4 * 4);
}

TEST(DirectToRdf, DocumentViews) {
  json::Value doc = J(std::string(R"({"@context": )") + kObContext + R"(,
    "id": "urn:uuid:1", "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "did:key:z6Mk", "type": "Profile", "name": "I"}, "validFrom": "2024-01-01T00:00:00Z",
    "credentialSubject": {"type": "AchievementSubject", "achievement": {"id": "https://a.example/1",
      "type": "Achievement", "name": "A", "criteria": {"narrative": "n"}}},
    "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
      "created": "2024-01-01T00:00:00Z", "verificationMethod": "did:key:z6Mk#z6Mk",
      "proofPurpose": "assertionMethod", "proofValue": "zabc"}})");
  const std::string_view skip_proof[] = {"proof"};
  Comparison c = Compare(doc, Safe(), {.skip_members = skip_proof});
  EXPECT_TRUE(c.direct);
  // The proof configuration: the proof without proofValue, with the
  // document's @context.
  const std::string_view skip_value[] = {"proofValue", "@context"};
  const json::Value& proof = doc.as_object().at("proof");
  c = Compare(proof, Safe(), {.skip_members = skip_value, .context = &doc.as_object().at("@context")});
  EXPECT_TRUE(c.direct);
  // Without a view, "proof" is a @graph container: the spec path.
  EXPECT_FALSE(Compare(doc, Safe()).direct);
}

TEST(DirectToRdf, JsonldJsInteropDocuments) {
  std::istringstream in(ReadText(fs::path(CREDSTACK_SOURCE_DIR) /
                                 "tests/jsonld/testdata/interop-inputs.jsonl"));
  std::string line;
  int docs = 0, direct = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json::Value entry = J(line);
    const json::Value& doc = entry.as_object().at("doc");
    SCOPED_TRACE(json::Serialize(entry.as_object().at("id")));
    // Signed credentials as a verifier sees them: without the proof (a
    // @graph container, which only the spec path handles).
    const std::string_view skip_proof[] = {"proof"};
    const bool signed_doc = doc.is_object() && doc.as_object().contains("proof");
    for (bool safe : {true, false}) {
      for (bool compat : {true, false}) {
        Compare(doc, Safe(safe, compat));
        if (signed_doc) {
          direct += Compare(doc, Safe(safe, compat), {.skip_members = skip_proof}).direct;
        }
      }
    }
    ++docs;
  }
  EXPECT_GE(docs, 100);
  EXPECT_GE(direct, 4 * 55);  // the credentials take the direct path
}

// The W3C toRdf suite, with the conformance runner's options.
class SuiteLoader final : public DocumentLoader {
 public:
  explicit SuiteLoader(fs::path dir) : dir_(std::move(dir)) {}
  Result<RemoteDocument> Load(std::string_view url) const override {
    constexpr std::string_view kBase = "https://w3c.github.io/json-ld-api/tests/";
    if (!url.starts_with(kBase)) return NotFoundError("not a suite URL");
    fs::path p = dir_ / std::string(url.substr(kBase.size()));
    if (!fs::exists(p)) return NotFoundError("no such suite file");
    CREDSTACK_ASSIGN_OR_RETURN(json::Value doc, json::Parse(ReadText(p)));
    return RemoteDocument{std::string(url), std::make_shared<const json::Value>(std::move(doc))};
  }

 private:
  fs::path dir_;
};

TEST(DirectToRdf, W3cToRdfSuite) {
  fs::path dir = fs::path(CREDSTACK_CONFORMANCE_DIR) / "jsonld" / "tests";
  if (!fs::exists(dir / "toRdf-manifest.jsonld")) {
    GTEST_SKIP() << "W3C JSON-LD suite not found under " << dir << " (conformance data absent)";
  }
  json::Value manifest = J(ReadText(dir / "toRdf-manifest.jsonld"));
  auto loader = std::make_shared<SuiteLoader>(dir);
  auto cache = std::make_shared<ContextCache>();
  int tests = 0, direct = 0;
  for (const json::Value& t : manifest.as_object().at("sequence").as_array()) {
    const json::Object& test = t.as_object();
    const json::Object* option = json::GetObject(test, "option");
    if (option && json::GetString(*option, "specVersion") == "json-ld-1.0") continue;
    std::string input(*json::GetString(test, "input"));
    auto doc = json::Parse(ReadText(dir / input), {.allow_duplicate_keys = true});
    if (!doc.ok()) continue;
    SCOPED_TRACE(input);
    for (bool safe : {false, true}) {
      for (bool compat : {false, true}) {
        JsonLdOptions o = Safe(safe, compat);
        o.loader = loader;
        o.cache = cache;
        o.base = "https://w3c.github.io/json-ld-api/tests/" + input;
        if (option) {
          if (json::GetString(*option, "processingMode") == "json-ld-1.0") o.processing_mode_1_0 = true;
          if (auto b = json::GetString(*option, "base")) o.base = std::string(*b);
          if (auto e = json::GetString(*option, "expandContext")) {
            auto ctx = json::Parse(ReadText(dir / std::string(*e)));
            if (ctx.ok()) o.expand_context = std::make_shared<const json::Value>(std::move(*ctx));
          }
          if (auto r = json::GetString(*option, "rdfDirection")) {
            o.rdf_direction = *r == "i18n-datatype" ? RdfDirection::kI18nDatatype
                                                    : RdfDirection::kCompoundLiteral;
          }
          if (const json::Value* g = option->if_contains("produceGeneralizedRdf");
              g && g->is_bool()) {
            o.produce_generalized_rdf = g->get_bool();
          }
        }
        direct += Compare(*doc, o).direct;
      }
    }
    ++tests;
  }
  std::printf("direct path answered %d of %d toRdf runs (4 per test)\n", direct, 4 * tests);
  EXPECT_GE(tests, 400);
  EXPECT_GE(direct, 100);
}

}  // namespace
}  // namespace credstack::ld
