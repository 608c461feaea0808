#include "tests/jsonld/rdf_compare.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

namespace credstack::ld::testing {
namespace {

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  void Space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  bool AtEnd() {
    Space();
    return i_ >= s_.size() || s_[i_] == '#';
  }
  char Peek() { return i_ < s_.size() ? s_[i_] : '\0'; }
  Result<std::string> Escaped(char close) {
    std::string out;
    ++i_;
    while (i_ < s_.size() && s_[i_] != close) {
      char c = s_[i_++];
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (i_ >= s_.size()) break;
      char e = s_[i_++];
      switch (e) {
        case 't':
          out.push_back('\t');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case '"':
          out.push_back('"');
          break;
        case '\'':
          out.push_back('\'');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case 'u':
        case 'U': {
          size_t n = e == 'u' ? 4 : 8;
          if (i_ + n > s_.size())
            return InvalidArgumentError("short \\u escape");
          uint32_t cp = std::stoul(std::string(s_.substr(i_, n)), nullptr, 16);
          i_ += n;
          AppendUtf8(cp, out);
          break;
        }
        default:
          return InvalidArgumentError("bad escape");
      }
    }
    if (i_ >= s_.size()) return InvalidArgumentError("unterminated token");
    ++i_;
    return out;
  }
  Result<Term> ReadTerm() {
    Space();
    char c = Peek();
    if (c == '<') {
      CREDSTACK_ASSIGN_OR_RETURN(std::string iri, Escaped('>'));
      return Term::Iri(std::move(iri));
    }
    if (c == '_') {
      i_ += 2;
      size_t start = i_;
      while (i_ < s_.size() && s_[i_] != ' ' && s_[i_] != '\t') ++i_;
      return Term::Blank(std::string(s_.substr(start, i_ - start)));
    }
    if (c == '"') {
      CREDSTACK_ASSIGN_OR_RETURN(std::string lex, Escaped('"'));
      if (Peek() == '@') {
        size_t start = ++i_;
        while (i_ < s_.size() && s_[i_] != ' ' && s_[i_] != '\t') ++i_;
        return Term::Literal(std::move(lex), kRdfLangString,
                             std::string(s_.substr(start, i_ - start)));
      }
      if (Peek() == '^') {
        i_ += 2;
        CREDSTACK_ASSIGN_OR_RETURN(std::string dt, Escaped('>'));
        return Term::Literal(std::move(lex), std::move(dt));
      }
      return Term::Literal(std::move(lex));
    }
    return InvalidArgumentError("unexpected character in N-Quads");
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

std::string TermString(const Term& t,
                       const std::map<std::string, std::string>* relabel) {
  switch (t.kind) {
    case TermKind::kIri:
      return "<" + t.value + ">";
    case TermKind::kBlankNode:
      if (relabel) {
        auto it = relabel->find(t.value);
        if (it != relabel->end()) return "_:" + it->second;
      }
      return "_:" + t.value;
    case TermKind::kLiteral: {
      std::string s = "\"" + t.value + "\"";
      if (!t.language.empty()) {
        std::string lang = t.language;
        std::transform(lang.begin(), lang.end(), lang.begin(), ::tolower);
        return s + "@" + lang;
      }
      return s + "^^<" + t.datatype + ">";
    }
    case TermKind::kDefaultGraph:
      return "";
  }
  return "";
}

std::string QuadString(const Quad& q,
                       const std::map<std::string, std::string>* relabel) {
  return TermString(q.subject, relabel) + " " +
         TermString(q.predicate, relabel) + " " +
         TermString(q.object, relabel) + " " + TermString(q.graph, relabel);
}

std::multiset<std::string> QuadSet(
    const Dataset& d, const std::map<std::string, std::string>* relabel) {
  std::multiset<std::string> out;
  for (const Quad& q : d) out.insert(QuadString(q, relabel));
  return out;
}

std::vector<std::string> BlankNodes(const Dataset& d) {
  std::set<std::string> out;
  for (const Quad& q : d) {
    for (const Term* t : {&q.subject, &q.predicate, &q.object, &q.graph}) {
      if (t->kind == TermKind::kBlankNode) out.insert(t->value);
    }
  }
  return {out.begin(), out.end()};
}

// Colour refinement: a blank node's colour summarises its neighbourhood.
std::map<std::string, size_t> Colours(const Dataset& d,
                                      const std::vector<std::string>& nodes) {
  std::map<std::string, size_t> colour;
  for (const auto& n : nodes) colour[n] = 0;
  std::hash<std::string> h;
  for (int round = 0; round < 4; ++round) {
    std::map<std::string, std::vector<std::string>> sig;
    for (const Quad& q : d) {
      const Term* terms[4] = {&q.subject, &q.predicate, &q.object, &q.graph};
      for (int pos = 0; pos < 4; ++pos) {
        if (terms[pos]->kind != TermKind::kBlankNode) continue;
        std::string s = std::to_string(pos);
        for (int o = 0; o < 4; ++o) {
          const Term* t = terms[o];
          s += "|";
          if (t->kind == TermKind::kBlankNode) {
            s += o == pos ? "self" : "b" + std::to_string(colour[t->value]);
          } else {
            s += TermString(*t, nullptr);
          }
        }
        sig[terms[pos]->value].push_back(s);
      }
    }
    std::map<std::string, size_t> next;
    for (const auto& n : nodes) {
      auto& v = sig[n];
      std::sort(v.begin(), v.end());
      std::string all = std::to_string(colour[n]);
      for (const auto& s : v) all += "#" + s;
      next[n] = h(all);
    }
    colour = std::move(next);
  }
  return colour;
}

}  // namespace

Result<Dataset> ParseNQuads(std::string_view text) {
  Dataset out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    Reader r(line);
    if (r.AtEnd()) continue;
    Quad q;
    CREDSTACK_ASSIGN_OR_RETURN(q.subject, r.ReadTerm());
    CREDSTACK_ASSIGN_OR_RETURN(q.predicate, r.ReadTerm());
    CREDSTACK_ASSIGN_OR_RETURN(q.object, r.ReadTerm());
    r.Space();
    if (r.Peek() != '.') {
      CREDSTACK_ASSIGN_OR_RETURN(q.graph, r.ReadTerm());
      r.Space();
    }
    if (r.Peek() != '.')
      return InvalidArgumentError("missing '.' in N-Quads line");
    out.push_back(std::move(q));
  }
  return out;
}

std::string ToNQuad(const Quad& q) { return QuadString(q, nullptr) + "."; }

namespace {

Dataset Unique(const Dataset& d) {
  Dataset out;
  std::set<std::string> seen;
  for (const Quad& q : d) {
    if (seen.insert(QuadString(q, nullptr)).second) out.push_back(q);
  }
  return out;
}

bool IsomorphicImpl(const Dataset& a, const Dataset& b, std::string* why);

}  // namespace

bool Isomorphic(const Dataset& a, const Dataset& b, std::string* why,
                bool multiset) {
  if (multiset) return IsomorphicImpl(a, b, why);
  return IsomorphicImpl(Unique(a), Unique(b), why);
}

namespace {

bool IsomorphicImpl(const Dataset& a, const Dataset& b, std::string* why) {
  std::multiset<std::string> sa = QuadSet(a, nullptr), sb = QuadSet(b, nullptr);
  auto describe = [&](const std::multiset<std::string>& got,
                      const std::multiset<std::string>& want) {
    std::string s = "got " + std::to_string(got.size()) + " quads, want " +
                    std::to_string(want.size()) + ";";
    int n = 0;
    for (const auto& q : got) {
      if (!want.count(q) && n++ < 4) s += "\n    unexpected: " + q;
    }
    n = 0;
    for (const auto& q : want) {
      if (!got.count(q) && n++ < 4) s += "\n    missing:    " + q;
    }
    return s;
  };
  std::vector<std::string> na = BlankNodes(a), nb = BlankNodes(b);
  if (sa.size() != sb.size() || na.size() != nb.size()) {
    *why = describe(sa, sb);
    return false;
  }
  if (na.empty()) {
    if (sa == sb) return true;
    *why = describe(sa, sb);
    return false;
  }
  auto ca = Colours(a, na), cb = Colours(b, nb);
  std::map<size_t, std::vector<std::string>> by_colour;
  for (const auto& n : nb) by_colour[cb[n]].push_back(n);
  // Order a's nodes so that the most constrained come first.
  std::sort(na.begin(), na.end(),
            [&](const std::string& x, const std::string& y) {
              return by_colour[ca[x]].size() < by_colour[ca[y]].size();
            });
  std::map<std::string, std::string> mapping;
  std::set<std::string> used;
  int budget = 100000;
  std::function<bool(size_t)> search = [&](size_t i) -> bool {
    if (--budget < 0) return false;
    if (i == na.size()) return QuadSet(a, &mapping) == sb;
    for (const auto& cand : by_colour[ca[na[i]]]) {
      if (used.count(cand)) continue;
      mapping[na[i]] = cand;
      used.insert(cand);
      if (search(i + 1)) return true;
      used.erase(cand);
      mapping.erase(na[i]);
    }
    return false;
  };
  if (search(0)) return true;
  *why = "not isomorphic: " + describe(sa, sb);
  return false;
}

}  // namespace

}  // namespace credstack::ld::testing
