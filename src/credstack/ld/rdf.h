#pragma once

// RDF 1.1 datasets as JSON-LD deserialization produces them and RDFC-1.0
// consumes them (RDF 1.1 Concepts §3; N-Quads §2).

#include <string>
#include <vector>

namespace credstack::ld {

inline constexpr char kXsdString[] = "http://www.w3.org/2001/XMLSchema#string";
inline constexpr char kRdfLangString[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

enum class TermKind : uint8_t {
  kIri,
  kBlankNode,     // value holds the label without "_:"
  kLiteral,
  kDefaultGraph,  // only in Quad::graph
};

struct Term {
  TermKind kind = TermKind::kDefaultGraph;
  std::string value;
  // Literals only: datatype IRI (xsd:string when plain; rdf:langString when
  // language is set) and BCP47 language tag.
  std::string datatype;
  std::string language;

  static Term Iri(std::string iri) { return {TermKind::kIri, std::move(iri), {}, {}}; }
  static Term Blank(std::string label) { return {TermKind::kBlankNode, std::move(label), {}, {}}; }
  static Term Literal(std::string lexical, std::string datatype = kXsdString,
                      std::string language = {}) {
    return {TermKind::kLiteral, std::move(lexical), std::move(datatype), std::move(language)};
  }
  static Term DefaultGraph() { return {}; }

  friend bool operator==(const Term&, const Term&) = default;
};

struct Quad {
  Term subject;
  Term predicate;
  Term object;
  Term graph;  // kDefaultGraph for the default graph

  friend bool operator==(const Quad&, const Quad&) = default;
};

// A dataset as a list of quads; duplicates are removed by whoever builds it
// (RDF datasets are sets).
using Dataset = std::vector<Quad>;

}  // namespace credstack::ld
