#include "credstack/pathways/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "credstack/base/rng.h"

namespace credstack::pathways {
namespace {

// Hands out at most `step` bytes per read, to exercise chunk boundaries.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::string_view data, size_t step)
      : data_(data), step_(step) {}
  Result<size_t> Read(std::span<char> out) override {
    size_t n = std::min({out.size(), data_.size(), step_});
    std::copy_n(data_.data(), n, out.data());
    data_.remove_prefix(n);
    return n;
  }

 private:
  std::string_view data_;
  size_t step_;
};

using Rows = std::vector<std::vector<std::string>>;

Result<Rows> ParseAll(std::string_view text, CsvOptions opts = {},
                      size_t step = SIZE_MAX) {
  TrickleSource src(text, step);
  CsvReader r(src, "t.csv", opts);
  Rows rows;
  for (;;) {
    CREDSTACK_ASSIGN_OR_RETURN(bool more, r.Next());
    if (!more) break;
    rows.emplace_back();
    for (size_t i = 0; i < r.size(); ++i) rows.back().emplace_back(r.field(i));
  }
  return rows;
}

TEST(CsvReader, ReadsPlainRecords) {
  auto rows = ParseAll("a,b,c\n1,2,3\n");
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  EXPECT_EQ(*rows, (Rows{{"a", "b", "c"}, {"1", "2", "3"}}));
}

TEST(CsvReader, QuotedFieldsHoldCommasQuotesAndNewlines) {
  auto rows =
      ParseAll("x,\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\"\r\n\"\",z\r\n");
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  EXPECT_EQ(*rows,
            (Rows{{"x", "a,b", "say \"hi\"", "line1\nline2"}, {"", "z"}}));
}

TEST(CsvReader, HandlesCrlfBomAndMissingFinalNewline) {
  for (size_t step : {1, 2, 3, 7, 1000}) {
    auto rows = ParseAll("\xEF\xBB\xBFh1,h2\r\nv1,v2", {}, step);
    ASSERT_TRUE(rows.ok()) << rows.error().ToString();
    EXPECT_EQ(*rows, (Rows{{"h1", "h2"}, {"v1", "v2"}})) << step;
  }
}

TEST(CsvReader, EmptyFieldsAndEmptyLines) {
  auto rows = ParseAll("a,,\n\n,b\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{"a", "", ""}, {"", "b"}}));
  CsvOptions keep;
  keep.skip_empty_lines = false;
  rows = ParseAll("a\n\nb\n", keep);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{"a"}, {""}, {"b"}}));
  rows = ParseAll("");
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
}

TEST(CsvReader, ErrorsNameFileLineAndColumn) {
  auto r = ParseAll("a,b\nc,\"open\nstill open");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.error().message(), "t.csv:2:3: unterminated quoted field");

  r = ParseAll("a,b\nc,d\"e\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "t.csv:2:4: quote inside an unquoted field");

  r = ParseAll("\"a\"x,b\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("t.csv:1:4: expected a separator"),
            std::string::npos)
      << r.error().message();

  r = ParseAll("a\rb\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "t.csv:1:3: carriage return not followed by line feed");

  r = ParseAll("ok,\xC0\xAF\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "t.csv:1:4: invalid UTF-8");
}

TEST(CsvReader, FieldErrorPointsAtField) {
  StringByteSource src("h1,h2\nfoo,\"b\nar\",baz\nx,y\n");
  CsvReader r(src, "f.csv");
  ASSERT_TRUE(*r.Next());
  ASSERT_TRUE(*r.Next());
  EXPECT_EQ(r.FieldError(2, "bad").message(), "f.csv:3:5: bad");
  EXPECT_EQ(r.RecordError("bad").message(), "f.csv:2:1: bad");
  ASSERT_TRUE(*r.Next());
  EXPECT_EQ(r.position(1).line, 4u);
  EXPECT_EQ(r.record_number(), 3u);
}

TEST(CsvReader, EnforcesLimits) {
  CsvOptions o;
  o.max_field_bytes = 4;
  auto r = ParseAll("abcd,e\nabcde\n", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kResourceExhausted);
  EXPECT_NE(r.error().message().find("t.csv:2:1"), std::string::npos);

  o = {};
  o.max_fields = 3;
  r = ParseAll("a,b,c\na,b,c,d\n", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kResourceExhausted);

  o = {};
  o.max_record_bytes = 10;
  std::string big = "\"" + std::string(100000, 'x');  // never terminated
  r = ParseAll(big, o, 64);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kResourceExhausted);

  o = {};
  o.max_records = 2;
  r = ParseAll("a\nb\nc\n", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kResourceExhausted);
}

TEST(CsvReader, TabSeparatedWithoutQuoting) {
  CsvOptions o;
  o.separator = '\t';
  o.quote = '\0';
  auto rows = ParseAll("a\t\"b\"\tc,d\n", o);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{"a", "\"b\"", "c,d"}}));
}

// Random records survive quoting and parsing, whatever the chunking.
TEST(CsvReader, RoundTripsRandomRecords) {
  DeterministicRng rng(42);
  const std::string alphabet = "ab,\"\n\r x\xC3\xA9";
  for (int iter = 0; iter < 500; ++iter) {
    Rows rows(1 + rng.Uniform(5));
    size_t width = 1 + rng.Uniform(4);
    std::string text;
    bool crlf = rng.Uniform(2);
    for (auto& row : rows) {
      for (size_t c = 0; c < width; ++c) {
        std::string f;
        size_t len = rng.Uniform(6);
        for (size_t k = 0; k < len; ++k) {
          size_t pick = rng.Uniform(alphabet.size() - 1);
          if (alphabet[pick] == '\xC3') {
            f += "\xC3\xA9";
          } else {
            f += alphabet[pick];
          }
        }
        row.push_back(f);
        if (c) text += ',';
        bool needs = f.find_first_of(",\"\r\n") != std::string::npos ||
                     (width == 1 && f.empty());
        if (needs || rng.Uniform(3) == 0) {
          text += '"';
          for (char ch : f) {
            if (ch == '"') text += '"';
            text += ch;
          }
          text += '"';
        } else {
          text += f;
        }
      }
      text += crlf ? "\r\n" : "\n";
    }
    auto parsed = ParseAll(text, {}, 1 + rng.Uniform(8));
    ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
    EXPECT_EQ(*parsed, rows) << text;
  }
}

}  // namespace
}  // namespace credstack::pathways
