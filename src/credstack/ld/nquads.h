#pragma once

// RDF 1.1 N-Quads (W3C REC 2014-02-25) in the canonical form of RDFC-1.0
// (REC 2024-05-21) Appendix A, and a strict parser.
//
// Serialization rules (docs/formats/nquads.md):
//   - one quad per line: `S P O[ G] .\n`, single spaces, LF only;
//   - IRIs between <>; the code points U+0000-U+0020 and <>"{}|^`\ (which
//     IRIREF cannot hold raw) as \u00XX with uppercase hex, all else raw;
//   - literals: ECHAR for \b \t \n \f \r \" \\, \u00XX (uppercase hex) for
//     the other code points U+0000-U+001F and U+007F, all else raw (the
//     escaping of the reference rdf-canonize 5.0.0);
//   - xsd:string literals carry no datatype; language-tagged literals carry
//     only @lang;
//   - blank nodes as `_:label` with the label as stored.

#include <cstddef>
#include <string>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/ld/rdf.h"

namespace credstack::ld {

// Appends one term in canonical N-Quads form (an IRI, `_:label` or a
// literal). A kDefaultGraph term appends nothing.
void AppendNQuadsTerm(const Term& term, std::string& out);

// Appends `lexical` escaped for STRING_LITERAL_QUOTE (without the quotes).
void AppendEscapedLiteral(std::string_view lexical, std::string& out);

// Appends `iri` escaped for IRIREF (without the angle brackets).
void AppendEscapedIri(std::string_view iri, std::string& out);

// Appends one canonical N-Quads line, including the final "\n".
void AppendNQuad(const Quad& quad, std::string& out);

// The lines of `dataset` in its order (not sorted; RDFC-1.0 output comes
// from Canonicalize() in rdfc.h).
std::string SerializeNQuads(const Dataset& dataset);

struct NQuadsLimits {
  // Largest accepted document.
  size_t max_bytes = 16 * 1024 * 1024;
  // Longest accepted line (data: IRIs of embedded images can be long).
  size_t max_line_length = 1024 * 1024;
  // Most quads (after removing duplicates).
  size_t max_quads = 100'000;
};

// Parses an RDF 1.1 N-Quads document strictly: well-formed UTF-8, the
// grammar of N-Quads §5 (comments, blank lines, CR/LF/CRLF line ends, ECHAR
// and UCHAR escapes), absolute IRIs, no surrogate or out-of-range UCHAR.
// Blank node labels are kept (without "_:"). Duplicate quads are dropped, so
// the result is a set in document order of first occurrence.
//
// Errors: kInvalidArgument "N-Quads line L column C: ..." (column in
// bytes, 1-based); kResourceExhausted when a limit is exceeded.
Result<Dataset> ParseNQuads(std::string_view text,
                            const NQuadsLimits& limits = {});

}  // namespace credstack::ld
