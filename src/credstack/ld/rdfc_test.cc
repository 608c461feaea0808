#include "credstack/ld/rdfc.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "credstack/base/utf8.h"
#include "credstack/ld/internal/rdfc_internal.h"
#include "credstack/ld/nquads.h"
#include "credstack/ld/testing/random_dataset.h"
#include "credstack/ld/testing/rdfc_reference.h"

namespace credstack::ld {
namespace {

Dataset Parse(std::string_view text) {
  auto d = ParseNQuads(text);
  CREDSTACK_CHECK_MSG(d.ok(), d.error().ToString());
  return *d;
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Canon(const Dataset& d, CanonicalizeOptions o = {}) {
  auto r = Canonicalize(d, o);
  CREDSTACK_CHECK_MSG(r.ok(), r.error().ToString());
  return r->nquads;
}

TEST(CompareStrings, MatchesCodePointAndUtf16Orders) {
  const char* pieces[] = {"a",
                          "b",
                          "\xc3\xa9",
                          "\xe2\x88\x9e",
                          "\xee\x80\x80",
                          "\xef\xbc\x81",
                          "\xef\xbf\xbd",
                          "\xf0\x90\x80\x80",
                          "\xf0\x9f\x98\x80",
                          "\xf4\x8f\xbf\xbf"};
  std::mt19937 rng(1);
  for (int i = 0; i < 20000; ++i) {
    std::string a, b;
    int common = static_cast<int>(rng() % 3);
    for (int k = 0; k < common; ++k) a += pieces[rng() % 10];
    b = a;
    for (int k = 0; k < static_cast<int>(rng() % 3); ++k)
      a += pieces[rng() % 10];
    for (int k = 0; k < static_cast<int>(rng() % 3); ++k)
      b += pieces[rng() % 10];
    auto sign = [](int v) { return (v > 0) - (v < 0); };
    EXPECT_EQ(sign(internal::CompareStrings(a, b, QuadOrder::kUtf16)),
              sign(CompareUtf16(a, b)));
    EXPECT_EQ(sign(internal::CompareStrings(a, b, QuadOrder::kCodePoint)),
              sign(a.compare(b)));
  }
}

// RDFC-1.0 §4.4.2 example 2 ("unique hashes") and its serialization, §5
// example 8.
TEST(Canonicalize, SpecUniqueHashesExample) {
  Dataset d = Parse(
      "<http://example.com/#p> <http://example.com/#q> _:e0 .\n"
      "<http://example.com/#p> <http://example.com/#r> _:e1 .\n"
      "_:e0 <http://example.com/#s> <http://example.com/#u> .\n"
      "_:e1 <http://example.com/#t> <http://example.com/#u> .\n");
  auto r = Canonicalize(d);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->nquads,
            "<http://example.com/#p> <http://example.com/#q> _:c14n0 .\n"
            "<http://example.com/#p> <http://example.com/#r> _:c14n1 .\n"
            "_:c14n0 <http://example.com/#s> <http://example.com/#u> .\n"
            "_:c14n1 <http://example.com/#t> <http://example.com/#u> .\n");
  ASSERT_EQ(r->issued.size(), 2u);
  EXPECT_EQ(r->issued[0].input, "e0");
  EXPECT_EQ(r->issued[0].canonical, "c14n0");
  EXPECT_EQ(r->issued[1].input, "e1");
  EXPECT_EQ(r->issued[1].canonical, "c14n1");
}

TEST(Canonicalize, EmptyAndGroundDatasets) {
  auto empty = Canonicalize(Dataset{});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->nquads, "");
  EXPECT_TRUE(empty->issued.empty());
  EXPECT_EQ(Canon(Parse("<x:b> <x:p> \"2\" .\n<x:a> <x:p> \"1\" .\n")),
            "<x:a> <x:p> \"1\" .\n<x:b> <x:p> \"2\" .\n");
}

TEST(Canonicalize, IgnoresDuplicateQuads) {
  Dataset d = Parse("_:a <x:p> _:b .\n_:b <x:p> \"v\" .\n");
  Dataset dup = d;
  dup.push_back(d[0]);
  dup.push_back(d[1]);
  auto r = Canonicalize(dup);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->nquads, Canon(d));
  EXPECT_EQ(r->issued.size(), 2u);
}

TEST(Canonicalize, RejectsTermsInWrongPositions) {
  Quad q{Term::Literal("s"), Term::Iri("x:p"), Term::Iri("x:o"),
         Term::DefaultGraph()};
  auto r = Canonicalize({q});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  q = {Term::Iri("x:s"), Term::Blank("p"), Term::Iri("x:o"),
       Term::DefaultGraph()};
  EXPECT_EQ(Canonicalize({q}).error().code(), Code::kInvalidArgument);
  q = {Term::Iri("x:s"), Term::Iri("x:p"), Term::Iri("x:o"),
       Term::Literal("g")};
  EXPECT_EQ(Canonicalize({q}).error().code(), Code::kInvalidArgument);
}

TEST(Canonicalize, Sha384DiffersFromSha256OnlyInLabelsChosen) {
  // Hash choice changes which node gets which label, not the dataset.
  Dataset d =
      Parse("_:a <x:p> \"1\" .\n_:b <x:p> \"2\" .\n_:c <x:p> \"3\" .\n");
  auto r256 = Canonicalize(d);
  auto r384 = Canonicalize(d, {.hash = HashAlgorithm::kSha384});
  ASSERT_TRUE(r256.ok() && r384.ok());
  EXPECT_EQ(r256->nquads.size(), r384->nquads.size());
  std::set<std::string> m256, m384;
  for (const auto& i : r256->issued) m256.insert(i.input + "=" + i.canonical);
  for (const auto& i : r384->issued) m384.insert(i.input + "=" + i.canonical);
  EXPECT_NE(m256,
            m384);  // checked: the two hashes order these nodes differently
}

// The two orders differ when U+1F600 (UTF-16 D83D DE00) meets U+FF01.
TEST(Canonicalize, QuadOrderDiffersOnlyForAstralVersusHighBmp) {
  Dataset d = Parse(
      "<x:s> <x:p> \"\xf0\x9f\x98\x80\" .\n"
      "<x:s> <x:p> \"\xef\xbc\x81\" .\n");
  auto cp = Canonicalize(d, {.order = QuadOrder::kCodePoint});
  auto u16 = Canonicalize(d, {.order = QuadOrder::kUtf16});
  ASSERT_TRUE(cp.ok() && u16.ok());
  EXPECT_TRUE(cp->orders_may_differ);
  EXPECT_EQ(
      cp->nquads,
      "<x:s> <x:p> \"\xef\xbc\x81\" .\n<x:s> <x:p> \"\xf0\x9f\x98\x80\" .\n");
  EXPECT_EQ(
      u16->nquads,
      "<x:s> <x:p> \"\xf0\x9f\x98\x80\" .\n<x:s> <x:p> \"\xef\xbc\x81\" .\n");

  Dataset same = Parse(
      "<x:s> <x:p> \"\xf0\x9f\x98\x80\" .\n<x:s> <x:p> \"\xe2\x88\x9e\" .\n");
  auto a = Canonicalize(same, {.order = QuadOrder::kCodePoint});
  auto b = Canonicalize(same, {.order = QuadOrder::kUtf16});
  EXPECT_FALSE(a->orders_may_differ);
  EXPECT_EQ(a->nquads, b->nquads);
}

// The order also applies to the sort in Hash First Degree Quads (§4.6.3
// step 4): here it decides which blank node becomes c14n0.
TEST(Canonicalize, QuadOrderAppliesToFirstDegreeHashes) {
  Dataset d = Parse(
      "_:x <x:p> \"\xf0\x9f\x98\x80\" .\n_:x <x:p> \"\xef\xbc\x81\" .\n"
      "_:y <x:q> \"\xf0\x9f\x98\x80\" .\n_:y <x:q> \"\xef\xbc\x81\" .\n");
  for (QuadOrder order : {QuadOrder::kCodePoint, QuadOrder::kUtf16}) {
    auto r = Canonicalize(d, {.order = order});
    ASSERT_TRUE(r.ok());
    auto ref = testing::ReferenceCanonicalize(d, HashAlgorithm::kSha256, order);
    ASSERT_TRUE(ref.has_value());
    EXPECT_EQ(r->nquads, *ref);
  }
  EXPECT_NE(Canon(d, {.order = QuadOrder::kCodePoint}),
            Canon(d, {.order = QuadOrder::kUtf16}));
}

TEST(CanonicalizeProperty, MatchesReferenceImplementation) {
  std::mt19937 rng(42);
  int compared = 0;
  for (int i = 0; i < 600; ++i) {
    Dataset d = testing::RandomDataset(rng, 1 + static_cast<int>(rng() % 7),
                                       1 + rng() % 14);
    HashAlgorithm hash =
        i % 4 == 3 ? HashAlgorithm::kSha384 : HashAlgorithm::kSha256;
    QuadOrder order = i % 2 ? QuadOrder::kUtf16 : QuadOrder::kCodePoint;
    auto ref = testing::ReferenceCanonicalize(d, hash, order);
    if (!ref) continue;  // too much N-degree work for the naive version
    auto r = Canonicalize(d, {.hash = hash, .order = order});
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    ASSERT_EQ(r->nquads, *ref) << SerializeNQuads(d);
    ++compared;
  }
  EXPECT_GT(compared, 500);
}

TEST(CanonicalizeProperty, ShuffledRelabelledAndFixedPoint) {
  std::mt19937 rng(3);
  for (int i = 0; i < 400; ++i) {
    Dataset d = testing::RandomDataset(rng, 1 + static_cast<int>(rng() % 9),
                                       1 + rng() % 25);
    QuadOrder order = i % 2 ? QuadOrder::kUtf16 : QuadOrder::kCodePoint;
    auto r = Canonicalize(d, {.order = order});
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    auto variant =
        Canonicalize(testing::ShuffleAndRelabel(d, rng), {.order = order});
    ASSERT_TRUE(variant.ok());
    EXPECT_EQ(variant->nquads, r->nquads) << SerializeNQuads(d);
    // Canonical output is a fixed point.
    auto again = Canonicalize(Parse(r->nquads), {.order = order});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->nquads, r->nquads);
    // The issued map covers every blank node once, c14n0..c14nN-1 in order.
    std::set<std::string> labels;
    for (const Quad& q : d) {
      for (const Term* t : {&q.subject, &q.object, &q.graph}) {
        if (t->kind == TermKind::kBlankNode) labels.insert(t->value);
      }
    }
    ASSERT_EQ(r->issued.size(), labels.size());
    for (size_t k = 0; k < r->issued.size(); ++k) {
      EXPECT_EQ(r->issued[k].canonical, "c14n" + std::to_string(k));
      EXPECT_EQ(labels.count(r->issued[k].input), 1u);
    }
  }
}

TEST(CanonicalizeProperty, SuiteInputsShuffledAndRelabelled) {
  std::filesystem::path dir = std::filesystem::path(CREDSTACK_CONFORMANCE_DIR) /
                              "rdf-canon" / "tests" / "rdfc10";
  if (!std::filesystem::exists(dir))
    GTEST_SKIP() << "conformance data not found at " << dir;
  std::mt19937 rng(5);
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (name.size() < 6 || name.substr(name.size() - 6) != "-in.nq") continue;
    Dataset d = Parse(ReadFile(e.path()));
    auto r = Canonicalize(d);
    if (!r.ok()) {
      EXPECT_EQ(name, "test074-in.nq");  // the poison dataset
      continue;
    }
    for (int k = 0; k < 3; ++k) {
      auto v = Canonicalize(testing::ShuffleAndRelabel(d, rng));
      ASSERT_TRUE(v.ok()) << name;
      EXPECT_EQ(v->nquads, r->nquads) << name;
    }
    ++files;
  }
  EXPECT_GT(files, 60);
}

// Two identical stars: each centre has nine interchangeable leaves, so Hash
// N-Degree Quads explores 9! permutations per centre.
Dataset TwoStars() {
  std::string text;
  for (const char* c : {"c1", "c2"}) {
    for (int i = 0; i < 9; ++i) {
      text += std::string("_:") + c + " <x:p> _:" + c + "l" +
              std::to_string(i) + " .\n";
    }
  }
  return Parse(text);
}

TEST(CanonicalizeLimits, PoisonCliqueFailsWithClearMessage) {
  std::filesystem::path f = std::filesystem::path(CREDSTACK_CONFORMANCE_DIR) /
                            "rdf-canon" / "tests" / "rdfc10" / "test074-in.nq";
  if (!std::filesystem::exists(f))
    GTEST_SKIP() << "conformance data not found at " << f;
  auto r = Canonicalize(Parse(ReadFile(f)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kResourceExhausted);
  EXPECT_NE(
      r.error().message().find(
          "RDFC-1.0: too many Hash N-Degree Quads calls (poison dataset?)"),
      std::string::npos)
      << r.error().message();
}

TEST(CanonicalizeLimits, EachBudgetIsEnforced) {
  Dataset stars = TwoStars();
  auto calls = Canonicalize(stars, {.max_ndegree_calls = 50});
  ASSERT_FALSE(calls.ok());
  EXPECT_EQ(calls.error().code(), Code::kResourceExhausted);
  EXPECT_NE(calls.error().message().find("calls"), std::string::npos);

  auto perms = Canonicalize(stars, {.max_permutations = 3});
  ASSERT_FALSE(perms.ok());
  EXPECT_NE(perms.error().message().find("permutations"), std::string::npos);

  auto quads = Canonicalize(stars, {.max_quads = 17});
  ASSERT_FALSE(quads.ok());
  EXPECT_EQ(quads.error().code(), Code::kResourceExhausted);
  auto nodes = Canonicalize(stars, {.max_blank_nodes = 19});
  ASSERT_FALSE(nodes.ok());
  EXPECT_EQ(nodes.error().code(), Code::kResourceExhausted);

  // A chain of identical links recurses once per link.
  std::string chain;
  for (int i = 0; i < 40; ++i) {
    chain += "_:n" + std::to_string(i) + " <x:next> _:n" +
             std::to_string(i + 1) + " .\n";
  }
  Dataset links = Parse(chain);
  auto deep = Canonicalize(links, {.max_ndegree_depth = 5});
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.error().message().find("deeper"), std::string::npos);
  EXPECT_TRUE(Canonicalize(links).ok());
}

TEST(CanonicalizeLimits, JsWorkFactor) {
  // Two identical pairs: four nodes share first degree hashes; each
  // top-level Hash N-Degree Quads call recurses once.
  Dataset d = Parse("_:a <x:p> _:b .\n_:c <x:p> _:d .\n");
  EXPECT_TRUE(Canonicalize(d, {.js_max_work_factor = 1}).ok());
  auto zero = Canonicalize(d, {.js_max_work_factor = 0});
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().code(), Code::kResourceExhausted);
  // A 4-cycle of identical nodes needs more calls than nodes.
  Dataset ring = Parse(
      "_:a <x:p> _:b .\n_:b <x:p> _:c .\n_:c <x:p> _:d .\n_:d <x:p> _:a .\n");
  EXPECT_FALSE(Canonicalize(ring, {.js_max_work_factor = 1}).ok());
  EXPECT_TRUE(Canonicalize(ring, {.js_max_work_factor = 2}).ok());
  EXPECT_TRUE(Canonicalize(ring).ok());
}

// rdf-canonize 5.0.0 with its default maxWorkFactor 1 refuses exactly these
// suite inputs (measured by running it over tests/rdfc10/*-in.nq);
// js_max_work_factor = 1 must refuse the same ones.
TEST(CanonicalizeLimits, JsWorkFactorOneMatchesRdfCanonizeOnSuite) {
  std::filesystem::path dir = std::filesystem::path(CREDSTACK_CONFORMANCE_DIR) /
                              "rdf-canon" / "tests" / "rdfc10";
  if (!std::filesystem::exists(dir)) {
    GTEST_SKIP() << "conformance data not found at " << dir;
  }
  const std::set<std::string> refused_by_js = {
      "test021", "test022", "test023", "test024", "test025", "test026", "test027",
      "test028", "test029", "test044", "test045", "test046", "test064", "test065",
      "test066", "test067", "test068", "test069", "test074"};
  std::set<std::string> refused;
  int inputs = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (!name.ends_with("-in.nq")) continue;
    ++inputs;
    auto r = Canonicalize(Parse(ReadFile(e.path())), {.js_max_work_factor = 1});
    if (!r.ok()) {
      EXPECT_EQ(r.error().code(), Code::kResourceExhausted);
      refused.insert(name.substr(0, 7));
    }
  }
  EXPECT_EQ(inputs, 65);
  EXPECT_EQ(refused, refused_by_js);
}

// Datasets jsonld 9.0.0 produced from the public interop fixtures, with the
// canonical form rdf-canonize 5.0.0 gave
// (scripts/gen-rdfc-interop-vectors.mjs).
TEST(Canonicalize, ReproducesRdfCanonizeWithUtf16Order) {
  std::filesystem::path dir = std::filesystem::path(CREDSTACK_SOURCE_DIR) /
                              "testdata" / "rdfc" / "rdf-canonize";
  int vectors = 0, differing = 0;
  std::mt19937 rng(11);
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (name.size() < 6 || name.substr(name.size() - 6) != ".in.nq") continue;
    std::string id = name.substr(0, name.size() - 6);
    std::string expected = ReadFile(dir / (id + ".rdf-canonize.nq"));
    Dataset d = Parse(ReadFile(e.path()));
    auto u16 = Canonicalize(testing::ShuffleAndRelabel(d, rng),
                            {.order = QuadOrder::kUtf16});
    ASSERT_TRUE(u16.ok()) << id;
    EXPECT_EQ(u16->nquads, expected) << id;
    auto cp = Canonicalize(d);
    ASSERT_TRUE(cp.ok()) << id;
    if (cp->nquads != expected) {
      EXPECT_TRUE(cp->orders_may_differ) << id;
      ++differing;
    }
    ++vectors;
  }
  EXPECT_GE(vectors, 10);
  EXPECT_EQ(differing, 2)
      << "only the [edge] fixtures valid-0014 and valid-0017 sort differently";
}

}  // namespace
}  // namespace credstack::ld
