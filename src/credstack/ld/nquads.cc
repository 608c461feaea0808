#include "credstack/ld/nquads.h"

#include <array>
#include <charconv>
#include <cstring>
#include <functional>
#include <unordered_set>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "credstack/base/utf8.h"

namespace credstack::ld {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

void AppendU00(unsigned char c, std::string& out) {
  const char esc[6] = {
      '\\', 'u', '0', '0', kHexUpper[c >> 4], kHexUpper[c & 15]};
  out.append(esc, 6);
}

// RDFC-1.0 Appendix A: which bytes of a literal need an escape, and which.
// 0: none; 1: \u00XX; otherwise the ECHAR letter.
constexpr std::array<char, 256> MakeLiteralEscapes() {
  std::array<char, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 1;
  t[0x7f] = 1;
  t['\b'] = 'b';
  t['\t'] = 't';
  t['\n'] = 'n';
  t['\f'] = 'f';
  t['\r'] = 'r';
  t['"'] = '"';
  t['\\'] = '\\';
  return t;
}
constexpr std::array<char, 256> kLiteralEscapes = MakeLiteralEscapes();

// IRIREF (N-Quads §5) excludes U+0000-U+0020 and <>"{}|^`\ .
constexpr std::array<bool, 256> MakeIriEscapes() {
  std::array<bool, 256> t{};
  for (int c = 0; c <= 0x20; ++c) t[c] = true;
  for (char c : std::string_view("<>\"{}|^`\\"))
    t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kIriEscapes = MakeIriEscapes();

}  // namespace

namespace {

// First byte of s[from..] that needs an escape, or s.size(). SSE2 checks 16
// bytes per step: credential text rarely needs escapes, so the common case
// is one scan and one append.
#if defined(__SSE2__)
// Bit i set when byte i of v needs an escape.
template <bool kIri>
inline int EscapeMask(__m128i v) {
  auto is = [v](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
  // Unsigned c <= limit  <=>  min(c, limit) == c.
  const __m128i limit = _mm_set1_epi8(kIri ? 0x20 : 0x1f);
  __m128i m = _mm_cmpeq_epi8(_mm_min_epu8(v, limit), v);
  m = _mm_or_si128(m, _mm_or_si128(is('"'), is('\\')));
  if constexpr (kIri) {
    // '<' 3C and '>' 3E; '\\' 5C and '^' 5E: equal after OR 2.
    __m128i v2 = _mm_or_si128(v, _mm_set1_epi8(2));
    m = _mm_or_si128(m, _mm_cmpeq_epi8(v2, _mm_set1_epi8(0x3e)));
    m = _mm_or_si128(m, _mm_cmpeq_epi8(v2, _mm_set1_epi8(0x5e)));
    // '`' 60; '{' '|' '}' 7B-7D.
    m = _mm_or_si128(m, is('`'));
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8(0x7b));
    m = _mm_or_si128(m, _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(2)), d));
  } else {
    m = _mm_or_si128(m, is('\x7f'));
  }
  return _mm_movemask_epi8(m);
}
#endif

// First byte of s[from..] that needs an escape, or s.size(). SSE2 checks 16
// bytes per step, the last (partial) block through an overlapping load:
// credential text rarely needs escapes, so the common case is one scan and
// one append.
template <bool kIri>
size_t FindEscape(std::string_view s, size_t from) {
  const char* p = s.data();
  size_t n = s.size(), i = from;
#if defined(__SSE2__)
  if (n - i >= 16) {
    for (; i + 16 <= n; i += 16) {
      int mask = EscapeMask<kIri>(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
      if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
    }
    if (i == n) return n;
    size_t base = n - 16;  // bytes before i were checked already
    int mask = EscapeMask<kIri>(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + base)));
    mask &= ~((1 << (i - base)) - 1);
    return mask != 0 ? base + static_cast<size_t>(__builtin_ctz(mask)) : n;
  }
#endif
  for (; i < n; ++i) {
    auto c = static_cast<unsigned char>(p[i]);
    if (kIri ? kIriEscapes[c] : kLiteralEscapes[c] != 0) return i;
  }
  return n;
}

}  // namespace

void AppendEscapedLiteral(std::string_view s, std::string& out) {
  size_t run = 0;
  for (size_t i = FindEscape<false>(s, 0); i < s.size();
       i = FindEscape<false>(s, run)) {
    out.append(s.data() + run, i - run);
    run = i + 1;
    char e = kLiteralEscapes[static_cast<unsigned char>(s[i])];
    if (e == 1) {
      AppendU00(static_cast<unsigned char>(s[i]), out);
    } else {
      const char esc[2] = {'\\', e};
      out.append(esc, 2);
    }
  }
  out.append(s.data() + run, s.size() - run);
}

void AppendEscapedIri(std::string_view s, std::string& out) {
  size_t run = 0;
  for (size_t i = FindEscape<true>(s, 0); i < s.size();
       i = FindEscape<true>(s, run)) {
    out.append(s.data() + run, i - run);
    run = i + 1;
    AppendU00(static_cast<unsigned char>(s[i]), out);
  }
  out.append(s.data() + run, s.size() - run);
}

namespace {

// Appends open + text + close, escaping text with kIri's rules. Without
// escapes (the common case) this is one resize and three stores.
template <bool kIri>
void AppendDelimited(char open, std::string_view text, char close,
                     std::string& out) {
  if (FindEscape<kIri>(text, 0) == text.size()) {
    size_t old = out.size();
    out.resize(old + text.size() + 2);
    char* w = out.data() + old;
    w[0] = open;
    std::memcpy(w + 1, text.data(), text.size());
    w[text.size() + 1] = close;
    return;
  }
  out += open;
  if constexpr (kIri) {
    AppendEscapedIri(text, out);
  } else {
    AppendEscapedLiteral(text, out);
  }
  out += close;
}

}  // namespace

void AppendNQuadsTerm(const Term& term, std::string& out) {
  switch (term.kind) {
    case TermKind::kIri:
      AppendDelimited<true>('<', term.value, '>', out);
      break;
    case TermKind::kBlankNode:
      out += "_:";
      out += term.value;
      break;
    case TermKind::kLiteral:
      AppendDelimited<false>('"', term.value, '"', out);
      if (!term.language.empty()) {
        out += '@';
        out += term.language;
      } else if (!term.datatype.empty() && term.datatype != kXsdString) {
        out += "^^";
        AppendDelimited<true>('<', term.datatype, '>', out);
      }
      break;
    case TermKind::kDefaultGraph:
      break;
  }
}

void AppendNQuad(const Quad& quad, std::string& out) {
  AppendNQuadsTerm(quad.subject, out);
  out += ' ';
  AppendNQuadsTerm(quad.predicate, out);
  out += ' ';
  AppendNQuadsTerm(quad.object, out);
  if (quad.graph.kind != TermKind::kDefaultGraph) {
    out += ' ';
    AppendNQuadsTerm(quad.graph, out);
  }
  out += " .\n";
}

std::string SerializeNQuads(const Dataset& dataset) {
  std::string out;
  out.reserve(dataset.size() * 128);
  for (const Quad& q : dataset) AppendNQuad(q, out);
  return out;
}

// ---------------------------------------------------------------------------
// Parser (RDF 1.1 N-Quads §5 grammar).

namespace {

// Offset of the first byte that is not part of well-formed UTF-8.
size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i + 1;
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      j = i + (c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2);
      if (j > s.size() || !IsValidUtf8(s.substr(i, j - i))) return i;
    }
    i = j;
  }
  return s.size();
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// PN_CHARS_BASE / PN_CHARS_U / PN_CHARS of N-Quads §5 for a code point.
bool IsPnCharsBase(uint32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) ||
         (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
         (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) ||
         (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) ||
         (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
         (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}
bool IsPnCharsU(uint32_t c) { return IsPnCharsBase(c) || c == '_' || c == ':'; }
bool IsPnChars(uint32_t c) {
  return IsPnCharsU(c) || c == '-' || (c >= '0' && c <= '9') || c == 0xB7 ||
         (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

struct QuadHash {
  size_t operator()(const Quad& q) const {
    std::hash<std::string_view> h;
    size_t v = 0;
    for (const Term* t : {&q.subject, &q.predicate, &q.object, &q.graph}) {
      v = v * 1000003 ^ h(t->value) ^ (static_cast<size_t>(t->kind) << 7);
      if (t->kind == TermKind::kLiteral)
        v = v * 31 ^ h(t->datatype) ^ h(t->language);
    }
    return v;
  }
};

class LineParser {
 public:
  LineParser(std::string_view line, size_t line_no)
      : s_(line), line_no_(line_no) {}

  // Parses one line; sets *has_quad when it held a statement.
  Status Parse(Quad& quad, bool& has_quad) {
    has_quad = false;
    SkipWs();
    if (AtEnd() || Peek() == '#') return OkStatus();
    if (Peek() == '<') {
      CREDSTACK_RETURN_IF_ERROR(ParseIri(quad.subject));
    } else if (Peek() == '_') {
      CREDSTACK_RETURN_IF_ERROR(ParseBlank(quad.subject));
    } else {
      return Error("expected subject (IRI or blank node)");
    }
    SkipWs();
    if (AtEnd() || Peek() != '<') return Error("expected predicate IRI");
    CREDSTACK_RETURN_IF_ERROR(ParseIri(quad.predicate));
    SkipWs();
    if (AtEnd()) return Error("expected object");
    if (Peek() == '<') {
      CREDSTACK_RETURN_IF_ERROR(ParseIri(quad.object));
    } else if (Peek() == '_') {
      CREDSTACK_RETURN_IF_ERROR(ParseBlank(quad.object));
    } else if (Peek() == '"') {
      CREDSTACK_RETURN_IF_ERROR(ParseLiteral(quad.object));
    } else {
      return Error("expected object (IRI, blank node or literal)");
    }
    SkipWs();
    quad.graph = Term::DefaultGraph();
    if (!AtEnd() && Peek() == '<') {
      CREDSTACK_RETURN_IF_ERROR(ParseIri(quad.graph));
    } else if (!AtEnd() && Peek() == '_') {
      CREDSTACK_RETURN_IF_ERROR(ParseBlank(quad.graph));
    }
    SkipWs();
    if (AtEnd() || Peek() != '.') return Error("expected '.'");
    ++i_;
    SkipWs();
    if (!AtEnd() && Peek() != '#') return Error("unexpected text after '.'");
    has_quad = true;
    return OkStatus();
  }

 private:
  bool AtEnd() const { return i_ >= s_.size(); }
  char Peek() const { return s_[i_]; }
  void SkipWs() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t')) ++i_;
  }
  Status Error(std::string_view what) const { return ErrorAt(i_, what); }
  Status ErrorAt(size_t pos, std::string_view what) const {
    return InvalidArgumentError("N-Quads line " + std::to_string(line_no_) +
                                " column " + std::to_string(pos + 1) + ": " +
                                std::string(what));
  }

  // UCHAR after the backslash at i_: \uXXXX or \UXXXXXXXX.
  Status ParseUchar(std::string& out) {
    size_t start = i_;
    size_t n = s_[i_ + 1] == 'u' ? 4 : 8;
    if (i_ + 2 + n > s_.size()) return ErrorAt(start, "truncated \\u escape");
    uint32_t cp = 0;
    for (size_t k = 0; k < n; ++k) {
      char c = s_[i_ + 2 + k];
      if (!IsHex(c)) return ErrorAt(start, "bad hex digit in \\u escape");
      cp = cp * 16 +
           static_cast<uint32_t>(IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return ErrorAt(start, "\\u escape is not a Unicode scalar value");
    }
    AppendUtf8(cp, out);
    i_ += 2 + n;
    return OkStatus();
  }

  Status ParseIri(Term& term) {
    size_t start = i_;
    ++i_;  // '<'
    std::string iri;
    for (;;) {
      if (AtEnd()) return ErrorAt(start, "unterminated IRI");
      char c = Peek();
      if (c == '>') break;
      if (c == '\\') {
        if (i_ + 1 < s_.size() && (s_[i_ + 1] == 'u' || s_[i_ + 1] == 'U')) {
          CREDSTACK_RETURN_IF_ERROR(ParseUchar(iri));
          continue;
        }
        return Error("only \\u and \\U escapes are allowed in an IRI");
      }
      if (kIriEscapes[static_cast<unsigned char>(c)])
        return Error("character not allowed in IRI");
      iri += c;
      ++i_;
    }
    ++i_;  // '>'
    // Absolute IRI: scheme ":" (RFC 3987 §2.2, scheme = ALPHA *( ALPHA /
    // DIGIT / "+" / "-" / "." )).
    size_t k = 0;
    if (iri.empty() || !IsAlpha(iri[0]))
      return ErrorAt(start, "IRI is not absolute");
    while (k < iri.size() &&
           (IsAlpha(iri[k]) || IsDigit(iri[k]) || iri[k] == '+' ||
            iri[k] == '-' || iri[k] == '.')) {
      ++k;
    }
    if (k == iri.size() || iri[k] != ':')
      return ErrorAt(start, "IRI is not absolute");
    term = Term::Iri(std::move(iri));
    return OkStatus();
  }

  Status ParseBlank(Term& term) {
    size_t start = i_;
    if (i_ + 1 >= s_.size() || s_[i_ + 1] != ':') return Error("expected '_:'");
    i_ += 2;
    size_t label_start = i_;
    size_t last_non_dot = i_;  // end of the label without trailing dots
    bool first = true;
    while (!AtEnd()) {
      size_t next = i_;
      uint32_t cp = NextCodePoint(s_, next);
      bool ok = first ? (IsPnCharsU(cp) || (cp >= '0' && cp <= '9'))
                      : (IsPnChars(cp) || cp == '.');
      if (!ok) break;
      first = false;
      i_ = next;
      if (cp != '.') last_non_dot = i_;
    }
    if (first) return ErrorAt(start, "empty blank node label");
    i_ = last_non_dot;  // BLANK_NODE_LABEL cannot end in '.'
    term = Term::Blank(std::string(s_.substr(label_start, i_ - label_start)));
    return OkStatus();
  }

  Status ParseLiteral(Term& term) {
    size_t start = i_;
    ++i_;  // '"'
    std::string lexical;
    for (;;) {
      if (AtEnd()) return ErrorAt(start, "unterminated literal");
      char c = Peek();
      if (c == '"') break;
      if (c == '\\') {
        if (i_ + 1 >= s_.size()) return ErrorAt(start, "unterminated literal");
        char e = s_[i_ + 1];
        if (e == 'u' || e == 'U') {
          CREDSTACK_RETURN_IF_ERROR(ParseUchar(lexical));
          continue;
        }
        char v;
        switch (e) {
          case 't':
            v = '\t';
            break;
          case 'b':
            v = '\b';
            break;
          case 'n':
            v = '\n';
            break;
          case 'r':
            v = '\r';
            break;
          case 'f':
            v = '\f';
            break;
          case '"':
            v = '"';
            break;
          case '\'':
            v = '\'';
            break;
          case '\\':
            v = '\\';
            break;
          default:
            return Error("unknown escape in literal");
        }
        lexical += v;
        i_ += 2;
        continue;
      }
      lexical += c;
      ++i_;
    }
    ++i_;  // '"'
    if (!AtEnd() && Peek() == '@') {
      size_t tag_start = ++i_;
      while (!AtEnd() && IsAlpha(Peek())) ++i_;
      if (i_ == tag_start) return Error("empty language tag");
      while (!AtEnd() && Peek() == '-') {
        size_t sub = ++i_;
        while (!AtEnd() && (IsAlpha(Peek()) || IsDigit(Peek()))) ++i_;
        if (i_ == sub) return Error("empty language subtag");
      }
      term = Term::Literal(std::move(lexical), kRdfLangString,
                           std::string(s_.substr(tag_start, i_ - tag_start)));
      return OkStatus();
    }
    if (i_ + 1 < s_.size() && Peek() == '^' && s_[i_ + 1] == '^') {
      i_ += 2;
      if (AtEnd() || Peek() != '<')
        return Error("expected datatype IRI after '^^'");
      Term dt;
      CREDSTACK_RETURN_IF_ERROR(ParseIri(dt));
      if (dt.value == kRdfLangString) {
        return Error("rdf:langString literal without a language tag");
      }
      term = Term::Literal(std::move(lexical), std::move(dt.value));
      return OkStatus();
    }
    term = Term::Literal(std::move(lexical));
    return OkStatus();
  }

  std::string_view s_;
  size_t line_no_;
  size_t i_ = 0;
};

}  // namespace

Result<Dataset> ParseNQuads(std::string_view text, const NQuadsLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return ResourceExhaustedError(
        "N-Quads: document of " + std::to_string(text.size()) +
        " bytes exceeds the limit of " + std::to_string(limits.max_bytes));
  }
  Dataset dataset;
  std::unordered_set<Quad, QuadHash> seen;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    ++line_no;
    std::string_view line = text.substr(pos, end - pos);
    // EOL ::= [#xD#xA]+ ; count CRLF as one line end for line numbers.
    pos = end;
    if (pos < text.size() && text[pos] == '\r') ++pos;
    if (pos < text.size() && text[pos] == '\n') ++pos;
    if (line.size() > limits.max_line_length) {
      return ResourceExhaustedError("N-Quads line " + std::to_string(line_no) +
                                    ": " + std::to_string(line.size()) +
                                    " bytes exceeds the line length limit of " +
                                    std::to_string(limits.max_line_length));
    }
    size_t bad = FirstInvalidUtf8(line);
    if (bad != line.size()) {
      return InvalidArgumentError("N-Quads line " + std::to_string(line_no) +
                                  " column " + std::to_string(bad + 1) +
                                  ": invalid UTF-8");
    }
    Quad quad;
    bool has_quad = false;
    CREDSTACK_RETURN_IF_ERROR(LineParser(line, line_no).Parse(quad, has_quad));
    if (!has_quad || seen.contains(quad)) continue;
    if (dataset.size() >= limits.max_quads) {
      return ResourceExhaustedError(
          "N-Quads: more than " + std::to_string(limits.max_quads) + " quads");
    }
    seen.insert(quad);
    dataset.push_back(std::move(quad));
  }
  return dataset;
}

}  // namespace credstack::ld
