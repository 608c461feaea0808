#pragma once

// A compact RDF dataset (RDF 1.1 Concepts §4): every term is stored once,
// as its canonical N-Quads text (nquads.h) in one arena, and a quad is four
// 32-bit term ids. This is what the fast JSON-LD to RDF path
// (ToRdfDataset in jsonld.h) produces and what RDFC-1.0 (rdfc.h) consumes:
// a credential's ~80 quads cost a few kilobytes of arena and no per-quad
// allocation, and equal terms (hence equal quads) compare as integers.
//
// Blank nodes are small integers (0, 1, ... in creation order). Their
// labels only matter for the Dataset view and for RDFC-1.0's tie-breaking
// by label; NewBlank() nodes are labelled "b<index>".
//
// The quads form a list: duplicates are kept as added (Canonicalize()
// removes them unless asked to keep them, as rdf-canonize does).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/ld/rdf.h"

namespace credstack::ld {

class RdfDataset {
 public:
  using TermId = uint32_t;
  // The default graph (only valid as a quad's graph).
  static constexpr TermId kDefaultGraph = 0;

  struct Quad {
    TermId subject, predicate, object, graph;
    friend bool operator==(const Quad&, const Quad&) = default;
  };

  RdfDataset();

  // Interned terms: the same term always gets the same id.
  TermId Iri(std::string_view iri);
  TermId Literal(std::string_view lexical, std::string_view datatype = kXsdString,
                 std::string_view language = {});
  // An IRI given as its N-Quads text "<iri>" (an IRI that needs no
  // escaping) and TextHash(text): no escaping, no rehashing.
  TermId IriText(std::string_view text, size_t hash);
  // The hash the intern table uses for a term's text.
  static size_t TextHash(std::string_view text);
  // A blank node by label (without "_:").
  TermId Blank(std::string_view label);
  // A fresh blank node, labelled "b<blank index>" (do not mix with Blank()
  // labels of that form).
  TermId NewBlank();

  void Add(TermId subject, TermId predicate, TermId object, TermId graph = kDefaultGraph) {
    quads_.push_back(Quad{subject, predicate, object, graph});
  }
  void Reserve(size_t quads) { quads_.reserve(quads); }
  const std::vector<Quad>& quads() const { return quads_; }
  size_t size() const { return quads_.size(); }
  bool empty() const { return quads_.empty(); }
  void Clear();
  // Bytes held, used or not (Clear() keeps them for reuse).
  size_t capacity_bytes() const {
    return arena_.capacity() + terms_.capacity() * sizeof(TermRecord) +
           table_.capacity() * sizeof(uint32_t) + quads_.capacity() * sizeof(Quad);
  }

  TermKind kind(TermId t) const { return terms_[t].kind; }
  // Canonical N-Quads text: "<iri>", "\"lexical\"[@lang|^^<dt>]", "_:label";
  // empty for the default graph.
  std::string_view text(TermId t) const {
    return std::string_view(arena_).substr(terms_[t].offset, terms_[t].length);
  }
  // IRIs: the IRI itself (unescaped), in `scratch` when it needed escaping.
  std::string_view IriValue(TermId t, std::string& scratch) const;
  size_t term_count() const { return terms_.size(); }
  // The texts of all terms, back to back (for scans over every term).
  std::string_view all_text() const { return arena_; }
  uint32_t blank_count() const { return blank_count_; }
  // Index of a blank node term among the blank nodes (0-based).
  uint32_t blank_index(TermId t) const { return terms_[t].blank; }
  // Number of quads equal to an earlier quad of the list.
  size_t CountDuplicates() const;

  // The simple-types view (rdf.h), in quad order, and back.
  Term ToTerm(TermId t) const;
  Dataset ToDataset() const;
  static RdfDataset FromDataset(const Dataset& dataset);

 private:
  struct TermRecord {
    uint32_t offset = 0, length = 0;
    TermKind kind = TermKind::kDefaultGraph;
    bool escaped = false;  // IRI/literal text has escapes
    uint32_t blank = UINT32_MAX;
  };
  // Interns the text appended to arena_ from `start` on: returns the
  // existing id (and drops the text) or a new term.
  TermId Intern(size_t start, TermKind kind, bool escaped);
  TermId InternHashed(size_t start, size_t hash, TermKind kind, bool escaped);
  void Grow();

  std::string arena_;
  std::vector<TermRecord> terms_;
  std::vector<uint32_t> table_;  // open addressing: term id + 1, 0 = empty
  std::vector<Quad> quads_;
  uint32_t blank_count_ = 0;
};

}  // namespace credstack::ld
