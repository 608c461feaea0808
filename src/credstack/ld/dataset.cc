#include "credstack/ld/dataset.h"

#include <charconv>
#include "credstack/base/hash.h"
#include "credstack/ld/nquads.h"

namespace credstack::ld {
namespace {

size_t HashText(std::string_view s) { return FastHash(s); }

// Reverses nquads.cc's escaping (ECHAR and \u00XX only).
void Unescape(std::string_view s, std::string& out) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char e = s[++i];
    switch (e) {
      case 'b': out += '\b'; break;
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'f': out += '\f'; break;
      case 'r': out += '\r'; break;
      case 'u': {
        unsigned v = 0;
        std::from_chars(s.data() + i + 1, s.data() + i + 5, v, 16);
        out += static_cast<char>(v);
        i += 4;
        break;
      }
      default: out += e;  // \" and \\ .
    }
  }
}

}  // namespace

RdfDataset::RdfDataset() {
  terms_.push_back(TermRecord{});  // kDefaultGraph
  table_.assign(256, 0);
}

void RdfDataset::Clear() {
  arena_.clear();
  terms_.resize(1);
  std::fill(table_.begin(), table_.end(), 0);
  quads_.clear();
  blank_count_ = 0;
}

void RdfDataset::Grow() {
  std::vector<uint32_t> table(table_.size() * 2, 0);
  const size_t mask = table.size() - 1;
  for (uint32_t slot : table_) {
    if (slot == 0) continue;
    size_t i = HashText(text(slot - 1)) & mask;
    while (table[i] != 0) i = (i + 1) & mask;
    table[i] = slot;
  }
  table_.swap(table);
}

size_t RdfDataset::TextHash(std::string_view text) { return HashText(text); }

RdfDataset::TermId RdfDataset::IriText(std::string_view text, size_t hash) {
  // Probe first: a known IRI costs no copy.
  const size_t mask = table_.size() - 1;
  for (size_t i = hash & mask; table_[i] != 0; i = (i + 1) & mask) {
    if (this->text(table_[i] - 1) == text) return table_[i] - 1;
  }
  size_t start = arena_.size();
  arena_ += text;
  return InternHashed(start, hash, TermKind::kIri, false);
}

RdfDataset::TermId RdfDataset::Intern(size_t start, TermKind kind, bool escaped) {
  return InternHashed(start, HashText(std::string_view(arena_).substr(start)), kind, escaped);
}

RdfDataset::TermId RdfDataset::InternHashed(size_t start, size_t hash, TermKind kind,
                                            bool escaped) {
  std::string_view s = std::string_view(arena_).substr(start);
  const size_t mask = table_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    uint32_t slot = table_[i];
    if (slot == 0) {
      TermId id = static_cast<TermId>(terms_.size());
      TermRecord r;
      r.offset = static_cast<uint32_t>(start);
      r.length = static_cast<uint32_t>(s.size());
      r.kind = kind;
      r.escaped = escaped;
      if (kind == TermKind::kBlankNode) r.blank = blank_count_++;
      terms_.push_back(r);
      table_[i] = id + 1;
      if (terms_.size() * 2 > table_.size()) Grow();
      return id;
    }
    if (text(slot - 1) == s) {
      arena_.resize(start);
      return slot - 1;
    }
  }
}

RdfDataset::TermId RdfDataset::Iri(std::string_view iri) {
  size_t start = arena_.size();
  arena_ += '<';
  AppendEscapedIri(iri, arena_);
  arena_ += '>';
  return Intern(start, TermKind::kIri, arena_.size() - start != iri.size() + 2);
}

RdfDataset::TermId RdfDataset::Literal(std::string_view lexical, std::string_view datatype,
                                       std::string_view language) {
  size_t start = arena_.size();
  arena_ += '"';
  AppendEscapedLiteral(lexical, arena_);
  arena_ += '"';
  bool escaped = arena_.size() - start != lexical.size() + 2;
  if (!language.empty()) {
    arena_ += '@';
    arena_ += language;
  } else if (!datatype.empty() && datatype != kXsdString) {
    arena_ += "^^<";
    size_t before = arena_.size();
    AppendEscapedIri(datatype, arena_);
    escaped |= arena_.size() - before != datatype.size();
    arena_ += '>';
  }
  return Intern(start, TermKind::kLiteral, escaped);
}

RdfDataset::TermId RdfDataset::Blank(std::string_view label) {
  size_t start = arena_.size();
  arena_ += "_:";
  arena_ += label;
  return Intern(start, TermKind::kBlankNode, false);
}

RdfDataset::TermId RdfDataset::NewBlank() {
  TermRecord r;
  r.offset = static_cast<uint32_t>(arena_.size());
  arena_ += "_:b";
  char buf[16];
  auto end = std::to_chars(buf, buf + sizeof buf, blank_count_).ptr;
  arena_.append(buf, end);
  r.length = static_cast<uint32_t>(arena_.size() - r.offset);
  r.kind = TermKind::kBlankNode;
  r.blank = blank_count_++;
  terms_.push_back(r);
  return static_cast<TermId>(terms_.size() - 1);
}

std::string_view RdfDataset::IriValue(TermId t, std::string& scratch) const {
  std::string_view s = text(t);
  s = s.substr(1, s.size() - 2);
  if (!terms_[t].escaped) return s;
  scratch.clear();
  Unescape(s, scratch);
  return scratch;
}

size_t RdfDataset::CountDuplicates() const {
  if (quads_.size() < 2) return 0;
  size_t cap = 16;
  while (cap < quads_.size() * 2) cap *= 2;
  std::vector<uint32_t> table(cap, 0);
  size_t dups = 0;
  for (uint32_t q = 0; q < quads_.size(); ++q) {
    const Quad& x = quads_[q];
    uint64_t h = (uint64_t{x.subject} * 0x9E3779B97F4A7C15ull) ^ (uint64_t{x.predicate} << 21) ^
                 (uint64_t{x.object} * 0xC2B2AE3D27D4EB4Full) ^ (uint64_t{x.graph} << 43);
    h ^= h >> 29;
    for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
      if (table[i] == 0) {
        table[i] = q + 1;
        break;
      }
      if (quads_[table[i] - 1] == x) {
        ++dups;
        break;
      }
    }
  }
  return dups;
}

Term RdfDataset::ToTerm(TermId t) const {
  std::string_view s = text(t);
  switch (kind(t)) {
    case TermKind::kDefaultGraph:
      return Term::DefaultGraph();
    case TermKind::kBlankNode:
      return Term::Blank(std::string(s.substr(2)));
    case TermKind::kIri: {
      std::string scratch;
      return Term::Iri(std::string(IriValue(t, scratch)));
    }
    case TermKind::kLiteral: {
      size_t close = s.rfind('"');
      std::string lexical;
      Unescape(s.substr(1, close - 1), lexical);
      std::string_view rest = s.substr(close + 1);
      if (!rest.empty() && rest[0] == '@') {
        return Term::Literal(std::move(lexical), kRdfLangString, std::string(rest.substr(1)));
      }
      if (rest.starts_with("^^<")) {
        std::string datatype;
        Unescape(rest.substr(3, rest.size() - 4), datatype);
        return Term::Literal(std::move(lexical), std::move(datatype));
      }
      return Term::Literal(std::move(lexical));
    }
  }
  return Term::DefaultGraph();
}

Dataset RdfDataset::ToDataset() const {
  Dataset out;
  out.reserve(quads_.size());
  for (const Quad& q : quads_) {
    out.push_back(ld::Quad{ToTerm(q.subject), ToTerm(q.predicate), ToTerm(q.object), ToTerm(q.graph)});
  }
  return out;
}

RdfDataset RdfDataset::FromDataset(const Dataset& dataset) {
  RdfDataset out;
  out.Reserve(dataset.size());
  auto term = [&out](const Term& t) -> TermId {
    switch (t.kind) {
      case TermKind::kDefaultGraph:
        return kDefaultGraph;
      case TermKind::kBlankNode:
        return out.Blank(t.value);
      case TermKind::kIri:
        return out.Iri(t.value);
      case TermKind::kLiteral:
        // A language tag makes the literal rdf:langString whatever the
        // datatype field says (as AppendNQuadsTerm writes it).
        return out.Literal(t.value, t.datatype, t.language);
    }
    return kDefaultGraph;
  };
  for (const ld::Quad& q : dataset) {
    TermId s = term(q.subject), p = term(q.predicate), o = term(q.object), g = term(q.graph);
    out.Add(s, p, o, g);
  }
  return out;
}

}  // namespace credstack::ld
