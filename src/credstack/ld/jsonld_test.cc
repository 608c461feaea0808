#include "credstack/ld/jsonld.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "credstack/ld/internal/iri.h"
#include "credstack/ld/internal/to_rdf.h"

namespace credstack::ld {
namespace {

constexpr char kXsdDouble[] = "http://www.w3.org/2001/XMLSchema#double";
constexpr char kXsdInteger[] = "http://www.w3.org/2001/XMLSchema#integer";

json::Value J(std::string_view text) {
  auto v = json::Parse(text);
  EXPECT_TRUE(v.ok()) << v.error().ToString();
  return v.value_or(json::Value());
}

// The object of the only quad whose predicate is `predicate`.
std::optional<Term> ObjectOf(const Dataset& d, std::string_view predicate) {
  std::optional<Term> found;
  for (const Quad& q : d) {
    if (q.predicate.value == predicate) {
      EXPECT_FALSE(found) << "two quads with predicate " << predicate;
      found = q.object;
    }
  }
  return found;
}

Term ScoreLiteral(std::string_view number, bool js_compat = true) {
  JsonLdOptions options;
  options.jsonld_js_compat = js_compat;
  auto d =
      ToRdf(J(std::string(R"({"@context": {"s": "https://ex.org/s"}, "s": )") +
              std::string(number) + "}"),
            options);
  EXPECT_TRUE(d.ok()) << d.error().ToString();
  if (!d.ok()) return {};
  auto t = ObjectOf(*d, "https://ex.org/s");
  EXPECT_TRUE(t.has_value());
  return t.value_or(Term());
}

TEST(CanonicalDouble, MatchesJsonldJs) {
  EXPECT_EQ(CanonicalDouble(2.5), "2.5E0");
  EXPECT_EQ(CanonicalDouble(1.5e-7), "1.5E-7");
  EXPECT_EQ(CanonicalDouble(1e21), "1.0E21");
  EXPECT_EQ(CanonicalDouble(0.0), "0.0E0");
  EXPECT_EQ(CanonicalDouble(-0.0), "0.0E0");
  EXPECT_EQ(CanonicalDouble(-2.5), "-2.5E0");
  EXPECT_EQ(CanonicalDouble(0.1 + 0.2), "3.0E-1");  // 16 significant digits
  EXPECT_EQ(CanonicalDouble(123.456), "1.23456E2");
  EXPECT_EQ(CanonicalDouble(333333333.33333331), "3.333333333333333E8");
  EXPECT_EQ(CanonicalDouble(1.7976931348623157e308), "1.797693134862316E308");
}

TEST(ToRdfNumbers, CanonicalForms) {
  Term t = ScoreLiteral("2.5");
  EXPECT_EQ(t.value, "2.5E0");
  EXPECT_EQ(t.datatype, kXsdDouble);
  EXPECT_EQ(ScoreLiteral("1.5e-7").value, "1.5E-7");
  t = ScoreLiteral("1e21");
  EXPECT_EQ(t.value, "1.0E21");
  EXPECT_EQ(t.datatype, kXsdDouble);
  t = ScoreLiteral("1e20");
  EXPECT_EQ(t.value, "100000000000000000000");
  EXPECT_EQ(t.datatype, kXsdInteger);
  t = ScoreLiteral("5.0");
  EXPECT_EQ(t.value, "5");
  EXPECT_EQ(t.datatype, kXsdInteger);
  EXPECT_EQ(ScoreLiteral("-7").value, "-7");
}

TEST(ToRdfNumbers, JsonldJsQuirksOnlyInCompatMode) {
  // jsonld.js decides "double" by String(v) containing '.', so 1e-7 (which
  // ECMAScript prints as "1e-7") becomes the integer 0.
  Term t = ScoreLiteral("1e-7");
  EXPECT_EQ(t.value, "0");
  EXPECT_EQ(t.datatype, kXsdInteger);
  EXPECT_EQ(ScoreLiteral("-1e-7").value, "-0");
  // Integers beyond 2^53 are the doubles JavaScript reads them as.
  EXPECT_EQ(ScoreLiteral("12345678901234567890").value, "12345678901234567168");
  // The letter of §8.2.2 step 10 otherwise.
  t = ScoreLiteral("1e-7", /*js_compat=*/false);
  EXPECT_EQ(t.value, "1.0E-7");
  EXPECT_EQ(t.datatype, kXsdDouble);
  EXPECT_EQ(ScoreLiteral("9007199254740993", false).value, "9007199254740993");
}

TEST(ToRdfNumbers, XsdDoubleTypedStringIsReparsedLikeJsonldJs) {
  auto d = ToRdf(J(R"({"@context": {"d": {"@id": "https://ex.org/d",
      "@type": "http://www.w3.org/2001/XMLSchema#double"}}, "d": "1.50"})"));
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_EQ(ObjectOf(*d, "https://ex.org/d")->value, "1.5E0");
  EXPECT_EQ(internal::JsParseFloat("  12e3xyz"), 12000);
  EXPECT_TRUE(std::isnan(internal::JsParseFloat("abc")));
  EXPECT_EQ(CanonicalDouble(internal::JsParseFloat("Infinity")), "Infinity");
}

TEST(ToRdf, JsonLiteralIsCanonicalJson) {
  auto d = ToRdf(
      J(R"({"@context": {"j": {"@id": "https://ex.org/j", "@type": "@json"}},
      "j": {"z": [1.0, 2.50, "\u00e9"], "a": null}})"));
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  auto t = ObjectOf(*d, "https://ex.org/j");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->value, R"({"a":null,"z":[1,2.5,"é"]})");
  EXPECT_EQ(t->datatype, "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON");
}

TEST(Expand, LanguageMapsAreLowerCasedAndNoneDropsTheTag) {
  auto out = Expand(J(R"({"@context": {"label": {"@id": "https://ex.org/label",
      "@container": "@language"}}, "label": {"EN-GB": "Colour", "@none": "x", "fr": [null, "Couleur"]}})"));
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  const json::Array& values =
      out->as_array()[0].as_object().at("https://ex.org/label").as_array();
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(json::Serialize(values[0]),
            R"({"@value":"Colour","@language":"en-gb"})");
  EXPECT_EQ(json::Serialize(values[1]), R"({"@value":"x"})");
  EXPECT_EQ(json::Serialize(values[2]),
            R"({"@value":"Couleur","@language":"fr"})");
}

TEST(Expand, ProtectedTermCannotBeRedefined) {
  auto out = Expand(J(R"({"@context": [
      {"@protected": true, "name": "https://ex.org/name"},
      {"name": "https://evil.example/name"}], "name": "x"})"));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(JsonLdErrorCode(out.error()), "protected term redefinition");
  EXPECT_NE(out.error().message().find("\"name\""), std::string::npos);
  // The same definition again is allowed (JSON-LD 1.1 §4.2.2 step 27.1).
  EXPECT_TRUE(Expand(J(R"({"@context": [
      {"@protected": true, "name": "https://ex.org/name"},
      {"name": "https://ex.org/name"}], "name": "x"})"))
                  .ok());
  // And so is nullifying it from a property-scoped context.
  EXPECT_EQ(JsonLdErrorCode(Expand(J(R"({"@context": [
      {"@protected": true, "name": "https://ex.org/name"}, null]})"))
                                .error()),
            "invalid context nullification");
}

TEST(Expand, TypeScopedContextsDoNotPropagate) {
  // "label" means a different IRI inside a Thing, but not in nodes nested
  // below it (type-scoped contexts have @propagate false).
  auto out = Expand(J(R"({"@context": {"@vocab": "https://ex.org/",
      "Thing": {"@context": {"label": "https://thing.example/label"}}},
      "@type": "Thing", "label": "outer", "child": {"label": "inner"}})"));
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  const json::Object& node = out->as_array()[0].as_object();
  EXPECT_TRUE(node.contains("https://thing.example/label"));
  const json::Object& child =
      node.at("https://ex.org/child").as_array()[0].as_object();
  EXPECT_TRUE(child.contains("https://ex.org/label"));
  EXPECT_FALSE(child.contains("https://thing.example/label"));
}

TEST(Expand, PropertyScopedContextsPropagate) {
  auto out = Expand(J(R"({"@context": {"@vocab": "https://ex.org/",
      "wrap": {"@context": {"label": "https://scoped.example/label"}}},
      "wrap": {"inner": {"label": "deep"}}})"));
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  std::string text = json::Serialize(*out);
  EXPECT_NE(text.find("https://scoped.example/label"), std::string::npos)
      << text;
}

TEST(SafeMode, RelativeTypeWithVocabIsFine) {
  // With @vocab a bare type becomes an absolute IRI, so safe mode accepts it.
  JsonLdOptions safe;
  safe.safe_mode = true;
  auto ok =
      ToRdf(J(R"({"@context": {"@vocab": "https://ex.org/"}, "@type": "Badge",
      "name": "x"})"),
            safe);
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->size(), 2u);
}

TEST(SafeMode, RefusesWhatWouldBeDropped) {
  JsonLdOptions safe;
  safe.safe_mode = true;
  struct Case {
    const char* doc;
    const char* event;
  } cases[] = {
      {R"({"@context": {"a": "https://ex.org/a"}, "a": 1, "undefined": 2})",
       "invalid property"},
      {R"({"@context": {"a": "https://ex.org/a"}, "@type": "Relative", "a": 1})",
       "relative @type reference"},
      {R"({"@context": {"a": "https://ex.org/a"}, "@id": "relative", "a": 1})",
       "relative @id reference"},
      {R"({"@context": {"a": "https://ex.org/a"}, "a": {"@value": "x", "@language": "no tag"}})",
       "invalid @language value"},
      {R"({"@context": {"a": "https://ex.org/a"}, "a": {"@value": "x", "@direction": "rtl"}})",
       "rdfDirection not set"},
      {R"({"@context": {"@foo": "https://ex.org/a"}, "b": 1})",
       "reserved term"},
      {R"([{"@context": {"a": "https://ex.org/a"}, "@id": "https://ex.org/x"}])",
       "object with only @id"},
  };
  for (const Case& c : cases) {
    auto r = ToRdf(J(c.doc), safe);
    ASSERT_FALSE(r.ok()) << c.doc;
    EXPECT_EQ(JsonLdErrorCode(r.error()), "safe mode violation")
        << r.error().ToString();
    EXPECT_NE(r.error().message().find(c.event), std::string::npos)
        << r.error().ToString();
    // Without safe mode the same documents are quietly reduced.
    EXPECT_TRUE(ToRdf(J(c.doc)).ok()) << c.doc;
  }
}

TEST(SafeMode, NamesTheOffendingTerm) {
  JsonLdOptions safe;
  safe.safe_mode = true;
  auto r = Expand(
      J(R"({"@context": {"a": "https://ex.org/a"}, "a": 1, "mystery": 2})"),
      safe);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("\"mystery\""), std::string::npos)
      << r.error().message();
}

TEST(Contexts, UnknownRemoteContextIsNotFound) {
  auto r =
      Expand(J(R"({"@context": "https://example.com/not-pinned", "a": 1})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kNotFound);
  EXPECT_EQ(JsonLdErrorCode(r.error()), "loading remote context failed");
}

TEST(Contexts, CacheReusesProcessedContexts) {
  auto store = std::make_shared<ContextStore>();
  ASSERT_TRUE(
      store
          ->Add("https://ex.org/ctx", R"({"@context": {"@protected": true,
                        "n": "https://ex.org/n", "T": {"@id": "https://ex.org/T",
                        "@context": {"m": "https://ex.org/m"}}}})")
          .ok());
  JsonLdOptions options;
  options.loader = std::make_shared<ContextStoreLoader>(store);
  options.cache = std::make_shared<ContextCache>();
  json::Value doc =
      J(R"({"@context": "https://ex.org/ctx", "@type": "T", "n": 1, "m": 2})");
  auto first = ToRdf(doc, options);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(first->size(), 3u);
  size_t entries = options.cache->size();
  EXPECT_GE(entries, 2u);  // the document context and the type-scoped one
  auto second = ToRdf(doc, options);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(options.cache->size(), entries);
  // A cache bound to one loader does not serve another.
  JsonLdOptions other;
  other.loader = ContextStoreLoader::Bundled();
  other.cache = options.cache;
  EXPECT_FALSE(ToRdf(doc, other).ok());
}

TEST(Contexts, SharedCacheIsThreadSafe) {
  // Several threads share the process-wide cache, each starting cold on
  // its own contexts and warm on the bundled ones.
  json::Value doc = J(R"({"@context": ["https://www.w3.org/ns/credentials/v2",
      {"score": "https://ex.org/score"}], "type": "VerifiableCredential",
      "credentialSubject": {"id": "did:example:1", "score": 2.5}})");
  JsonLdOptions safe;
  safe.safe_mode = true;
  auto want = ToRdf(doc, safe);
  ASSERT_TRUE(want.ok()) << want.error().ToString();
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        json::Value mine = doc;
        mine.as_object()["@context"]
            .as_array()[1]
            .as_object()["extra" + std::to_string(t)] = "https://ex.org/extra";
        auto got = ToRdf(mine, safe);
        if (!got.ok() || *got != *want) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(Limits, ExhaustionIsResourceExhausted) {
  JsonLdOptions options;
  options.limits.max_quads = 3;
  auto r = ToRdf(
      J(R"({"@context": {"@vocab": "https://ex.org/"}, "a": [1, 2, 3, 4, 5]})"),
      options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kResourceExhausted);

  options = {};
  options.limits.max_expanded_values = 10;
  r = ToRdf(J(R"({"@context": {"@vocab": "https://ex.org/"},
      "a": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]})"),
            options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kResourceExhausted);

  options = {};
  options.limits.max_string_size = 8;
  r = ToRdf(
      J(R"({"@context": {"@vocab": "https://ex.org/"}, "a": "a long string value"})"),
      options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kResourceExhausted);

  options = {};
  options.limits.max_depth = 4;
  auto e = Expand(J(R"({"@context": {"@vocab": "https://ex.org/"},
      "a": {"a": {"a": {"a": {"a": {"a": 1}}}}}})"),
                  options);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code(), Code::kResourceExhausted);

  options = {};
  options.limits.max_contexts_processed = 3;
  e = Expand(
      J(R"([{"@context": {"a": "https://ex.org/1"}}, {"@context": {"a": "https://ex.org/2"}},
      {"@context": {"a": "https://ex.org/3"}}, {"@context": {"a": "https://ex.org/4"}}])"),
      options);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code(), Code::kResourceExhausted);
}

TEST(Limits, RemoteContextNestingIsBounded) {
  auto store = std::make_shared<ContextStore>();
  for (int i = 0; i < 6; ++i) {
    std::string next = "https://ex.org/c" + std::to_string(i + 1);
    ASSERT_TRUE(store
                    ->Add("https://ex.org/c" + std::to_string(i),
                          R"({"@context": [")" + next + R"(", {"t)" +
                              std::to_string(i) + R"(": "https://ex.org/t"}]})")
                    .ok());
  }
  ASSERT_TRUE(store->Add("https://ex.org/c6", R"({"@context": {}})").ok());
  JsonLdOptions options;
  options.loader = std::make_shared<ContextStoreLoader>(store);
  EXPECT_TRUE(Expand(J(R"({"@context": "https://ex.org/c0"})"), options).ok());
  options.limits.max_remote_context_depth = 3;
  auto r = Expand(J(R"({"@context": "https://ex.org/c0"})"), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kResourceExhausted);
}

TEST(Limits, LongTermDependencyChainsAreBounded) {
  // "t0": "t1:x", "t1": "t2:x", ... would recurse once per term.
  std::string ctx = R"({"t20000": "https://ex.org/")";
  for (int i = 0; i < 20000; ++i) {
    ctx += ", \"t" + std::to_string(i) + "\": \"t" + std::to_string(i + 1) +
           ":x\"";
  }
  ctx += "}";
  auto doc = json::Parse(R"({"@context": )" + ctx + R"(, "t0": 1})");
  ASSERT_TRUE(doc.ok());
  auto r = ToRdf(*doc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kResourceExhausted);
}

TEST(Iri, ResolvesPerRfc3986) {
  using internal::ResolveIri;
  const std::string base = "http://a/b/c/d;p?q";
  EXPECT_EQ(ResolveIri(base, "g"), "http://a/b/c/g");
  EXPECT_EQ(ResolveIri(base, "../g"), "http://a/b/g");
  EXPECT_EQ(ResolveIri(base, "../../../g"), "http://a/g");
  EXPECT_EQ(ResolveIri(base, "?y"), "http://a/b/c/d;p?y");
  EXPECT_EQ(ResolveIri(base, "#s"), "http://a/b/c/d;p?q#s");
  EXPECT_EQ(ResolveIri(base, "//g"), "http://g");
  EXPECT_EQ(ResolveIri(base, "./g/."), "http://a/b/c/g/");
  EXPECT_FALSE(internal::IsWellFormedIri("http://ex.org/a b"));
  EXPECT_FALSE(internal::IsWellFormedIri("relative"));
  EXPECT_TRUE(internal::IsWellFormedIri("urn:uuid:1234"));
}

TEST(Expand, IsDeterministic) {
  json::Value doc =
      J(R"({"@context": {"@vocab": "https://ex.org/"}, "@id": "_:x",
      "b": [{"@id": "_:y", "c": 1}, {"@list": [1, 2]}], "a": {"@value": "v", "@language": "EN"}})");
  auto one = ToRdf(doc);
  auto two = ToRdf(doc);
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_EQ(*one, *two);
}

}  // namespace
}  // namespace credstack::ld
