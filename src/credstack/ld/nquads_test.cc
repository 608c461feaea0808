#include "credstack/ld/nquads.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "credstack/ld/testing/random_dataset.h"

namespace credstack::ld {
namespace {

std::string Line(const Quad& q) {
  std::string s;
  AppendNQuad(q, s);
  return s;
}

Quad Q(Term s, Term o, Term g = Term::DefaultGraph()) {
  return {std::move(s), Term::Iri("http://ex/p"), std::move(o), std::move(g)};
}

TEST(SerializeNQuads, LiteralEchars) {
  EXPECT_EQ(Line(Q(Term::Iri("http://ex/s"), Term::Literal("\b\t\n\f\r\"\\"))),
            "<http://ex/s> <http://ex/p> \"\\b\\t\\n\\f\\r\\\"\\\\\" .\n");
}

TEST(SerializeNQuads, OtherControlCharactersAsUppercaseUchar) {
  std::string lex("\x00\x01\x0b\x0e\x1f\x7f", 6);
  EXPECT_EQ(Line(Q(Term::Iri("http://ex/s"), Term::Literal(lex))),
            "<http://ex/s> <http://ex/p> "
            "\"\\u0000\\u0001\\u000B\\u000E\\u001F\\u007F\" .\n");
}

TEST(SerializeNQuads, NonAsciiAndApostropheStayRaw) {
  std::string lex =
      "' \xc2\x80 \xe2\x88\x9e \xef\xbf\xbf \xf0\x9f\x8c\x83";  // U+0080 ∞
                                                                // U+FFFF 🌃
  EXPECT_EQ(Line(Q(Term::Iri("http://ex/s"), Term::Literal(lex))),
            "<http://ex/s> <http://ex/p> \"" + lex + "\" .\n");
}

TEST(SerializeNQuads, DatatypesAndLanguage) {
  EXPECT_EQ(Line(Q(Term::Blank("b0"), Term::Literal("x", kXsdString))),
            "_:b0 <http://ex/p> \"x\" .\n");
  EXPECT_EQ(
      Line(Q(Term::Blank("b0"), Term::Literal("x", kRdfLangString, "en-GB"))),
      "_:b0 <http://ex/p> \"x\"@en-GB .\n");
  EXPECT_EQ(Line(Q(Term::Blank("b0"),
                   Term::Literal("2.5E0",
                                 "http://www.w3.org/2001/XMLSchema#double"))),
            "_:b0 <http://ex/p> "
            "\"2.5E0\"^^<http://www.w3.org/2001/XMLSchema#double> .\n");
}

TEST(SerializeNQuads, GraphsAndIriEscapes) {
  EXPECT_EQ(Line(Q(Term::Iri("http://ex/a b"), Term::Iri("urn:x:<>\"{}|^`\\"),
                   Term::Iri("http://ex/g"))),
            "<http://ex/a\\u0020b> <http://ex/p> "
            "<urn:x:\\u003C\\u003E\\u0022\\u007B\\u007D"
            "\\u007C\\u005E\\u0060\\u005C> <http://ex/g> .\n");
  EXPECT_EQ(Line(Q(Term::Blank("s"), Term::Blank("o"), Term::Blank("g"))),
            "_:s <http://ex/p> _:o _:g .\n");
}

// The escaping scans 16 bytes at a time; check every length and position
// against a byte-at-a-time statement of the rules.
TEST(SerializeNQuads, EscapingMatchesByteRulesAtEveryPosition) {
  auto literal_rule = [](std::string_view s) {
    std::string out;
    for (char c : s) {
      auto u = static_cast<unsigned char>(c);
      switch (c) {
        case '\b':
          out += "\\b";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\r':
          out += "\\r";
          break;
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        default: {
          if (u < 0x20 || u == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04X", u);
            out += buf;
          } else {
            out += c;
          }
        }
      }
    }
    return out;
  };
  auto iri_rule = [](std::string_view s) {
    std::string out;
    for (char c : s) {
      auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 ||
          std::string_view("<>\"{}|^`\\").find(c) != std::string_view::npos) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04X", u);
        out += buf;
      } else {
        out += c;
      }
    }
    return out;
  };
  std::mt19937 rng(9);
  for (int len = 0; len < 70; ++len) {
    for (int trial = 0; trial < 40; ++trial) {
      std::string s;
      for (int i = 0; i < len; ++i) {
        // Mostly plain text, sometimes any byte (escaping works on bytes).
        s += rng() % 6 ? static_cast<char>('a' + rng() % 26)
                       : static_cast<char>(rng() % 256);
      }
      std::string lit, iri;
      AppendEscapedLiteral(s, lit);
      AppendEscapedIri(s, iri);
      ASSERT_EQ(lit, literal_rule(s));
      ASSERT_EQ(iri, iri_rule(s));
    }
  }
}

TEST(SerializeNQuads, KeepsDatasetOrder) {
  Dataset d = {Q(Term::Iri("http://ex/z"), Term::Literal("1")),
               Q(Term::Iri("http://ex/a"), Term::Literal("2"))};
  EXPECT_EQ(SerializeNQuads(d),
            "<http://ex/z> <http://ex/p> \"1\" .\n<http://ex/a> <http://ex/p> "
            "\"2\" .\n");
}

TEST(ParseNQuads, AllTermKinds) {
  auto d = ParseNQuads(
      "# comment\n"
      "<http://ex/s> <http://ex/p> \"v\"@en-us <http://ex/g> . # trailing\n"
      "\r\n"
      "_:a.b <http://ex/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> "
      "_:g .\r\n"
      "\t_:x<http://ex/p>_:y.\n"
      "<http://ex/s> <http://ex/p> "
      "\"plain\"^^<http://www.w3.org/2001/XMLSchema#string> .");
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  ASSERT_EQ(d->size(), 4u);
  EXPECT_EQ((*d)[0].object, Term::Literal("v", kRdfLangString, "en-us"));
  EXPECT_EQ((*d)[0].graph, Term::Iri("http://ex/g"));
  EXPECT_EQ((*d)[1].subject, Term::Blank("a.b"));
  EXPECT_EQ((*d)[1].graph, Term::Blank("g"));
  EXPECT_EQ((*d)[2].subject, Term::Blank("x"));
  EXPECT_EQ((*d)[2].object, Term::Blank("y"));
  EXPECT_EQ((*d)[2].graph, Term::DefaultGraph());
  EXPECT_EQ((*d)[3].object, Term::Literal("plain"));
}

TEST(ParseNQuads, Escapes) {
  auto d = ParseNQuads(
      "<urn:x:\\u00E9\\U0001F303> <http://ex/p> "
      "\"\\t\\b\\n\\r\\f\\\"\\'\\\\\\u0041\\U0001F303\" .\n");
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_EQ((*d)[0].subject.value, "urn:x:\xc3\xa9\xf0\x9f\x8c\x83");
  EXPECT_EQ((*d)[0].object.value, "\t\b\n\r\f\"'\\A\xf0\x9f\x8c\x83");
}

TEST(ParseNQuads, DropsDuplicates) {
  auto d = ParseNQuads(
      "_:a <http://ex/p> _:b .\n_:a <http://ex/p> _:b .\n_:a <http://ex/p> _:c "
      ".\n");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->size(), 2u);
}

struct BadCase {
  const char* text;
  const char* message;  // expected substring
};

TEST(ParseNQuads, ErrorsNameLineAndColumn) {
  const BadCase cases[] = {
      {"<http://ex/s> <http://ex/p> <rel> .",
       "line 1 column 29: IRI is not absolute"},
      {"\n<http://ex/s> <http://ex/p> \"x\\q\" .",
       "line 2 column 31: unknown escape"},
      {"<http://ex/s> <http://ex/p> \"x .", "column 29: unterminated literal"},
      {"<http://ex/s> <http://ex/p> \"x\"", "column 32: expected '.'"},
      {"<http://ex/s> <http://ex/p> \"x\" . <x:y>",
       "column 35: unexpected text after '.'"},
      {"<http://ex/s> <http://ex/p> \"\\uD800\" .",
       "not a Unicode scalar value"},
      {"<http://ex/s> <http://ex/p> \"\\U00110000\" .",
       "not a Unicode scalar value"},
      {"<http://ex/s> <http://ex/p> \"\xc3\x28\" .",
       "column 30: invalid UTF-8"},
      {"\"lit\" <http://ex/p> <x:o> .", "column 1: expected subject"},
      {"<x:s> _:p <x:o> .", "column 7: expected predicate IRI"},
      {"<x:s> <x:p> <x:o> \"g\" .", "expected '.'"},
      {"<x:s> <x:p> "
       "\"x\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .",
       "rdf:langString"},
      {"<x:s> <x:p> \"x\"@ .", "empty language tag"},
      {"<x:s> <x:p> \"x\"@en- .", "empty language subtag"},
      {"<x:s> <x:p> _: .", "empty blank node label"},
      {"<x:s> <x:p> _:-a .", "empty blank node label"},
      {"<x:s x> <x:p> <x:o> .", "character not allowed in IRI"},
      {"<x:s\\n> <x:p> <x:o> .", "only \\u and \\U escapes"},
      {"<x:s> <x:p> <x:o", "unterminated IRI"},
      {"<x:s> <x:p> \"\\u00G0\" .", "bad hex digit"},
      {"<x:s> <x:p> \"\\u00", "truncated"},
  };
  for (const BadCase& c : cases) {
    auto d = ParseNQuads(c.text);
    ASSERT_FALSE(d.ok()) << c.text;
    EXPECT_EQ(d.error().code(), Code::kInvalidArgument) << c.text;
    EXPECT_NE(d.error().message().find(c.message), std::string::npos)
        << c.text << " -> " << d.error().message();
  }
}

TEST(ParseNQuads, Limits) {
  std::string doc =
      "<x:s> <x:p> \"1\" .\n<x:s> <x:p> \"2\" .\n<x:s> <x:p> \"3\" .\n";
  auto too_big = ParseNQuads(doc, {.max_bytes = 10});
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().code(), Code::kResourceExhausted);
  auto too_long = ParseNQuads(doc, {.max_line_length = 10});
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code(), Code::kResourceExhausted);
  EXPECT_NE(too_long.error().message().find("line 1"), std::string::npos);
  auto too_many = ParseNQuads(doc, {.max_quads = 2});
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code(), Code::kResourceExhausted);
  EXPECT_TRUE(ParseNQuads(doc, {.max_quads = 3}).ok());
}

TEST(NQuadsProperty, RandomDatasetsRoundTrip) {
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    Dataset d = testing::RandomDataset(rng, static_cast<int>(rng() % 6),
                                       1 + rng() % 20);
    std::string text = SerializeNQuads(d);
    auto parsed = ParseNQuads(text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().ToString() << "\n" << text;
    EXPECT_EQ(*parsed, d) << text;
    EXPECT_EQ(SerializeNQuads(*parsed), text);
  }
}

TEST(NQuadsProperty, SuiteInputsRoundTrip) {
  std::filesystem::path dir = std::filesystem::path(CREDSTACK_CONFORMANCE_DIR) /
                              "rdf-canon" / "tests" / "rdfc10";
  if (!std::filesystem::exists(dir))
    GTEST_SKIP() << "conformance data not found at " << dir;
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".nq") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto d = ParseNQuads(ss.str());
    ASSERT_TRUE(d.ok()) << e.path() << ": " << d.error().ToString();
    auto again = ParseNQuads(SerializeNQuads(*d));
    ASSERT_TRUE(again.ok()) << e.path();
    EXPECT_EQ(*again, *d) << e.path();
    ++files;
  }
  EXPECT_GT(files, 100);
}

}  // namespace
}  // namespace credstack::ld
