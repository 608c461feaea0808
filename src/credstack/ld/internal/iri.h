#pragma once

// IRI and keyword helpers shared by context processing, expansion and
// deserialization to RDF. Internal to the ld module.

#include <string>
#include <string_view>

namespace credstack::ld::internal {

// JSON-LD 1.1 §1.4.2 keywords (json-ld11 §1.7), e.g. "@id", "@context".
bool IsKeyword(std::string_view s);

// Has the form of a keyword: "@" followed by one or more ALPHA
// (JSON-LD 1.1 API §4.2.2 step 5, ABNF "@"1*ALPHA).
bool HasKeywordForm(std::string_view s);

// An absolute IRI in the weak sense jsonld.js uses: a scheme
// ([A-Za-z][A-Za-z0-9+.-]*) followed by ':' and no whitespace. Blank node
// identifiers ("_:x") also pass.
bool IsAbsoluteIri(std::string_view s);

// True for "_:..." blank node identifiers.
inline bool IsBlankNodeId(std::string_view s) {
  return s.size() >= 2 && s[0] == '_' && s[1] == ':';
}

// "Well-formed" IRI for deserialization to RDF (JSON-LD 1.1 API §8.1.2
// step 1.1): an absolute IRI (RFC 3987 form) whose characters are all
// allowed in an N-Quads IRIREF (no space, <>"{}|^`\ or controls).
bool IsWellFormedIri(std::string_view s);

// BCP47 well-formedness as jsonld.js checks it:
// ^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$
bool IsWellFormedLanguage(std::string_view s);

// Resolves reference against base per RFC 3986 §5.2 (basic algorithm only:
// no normalization), as JSON-LD 1.1 API §5.2.2 step 8 requires. base must
// be absolute; when it is empty the reference is returned unchanged.
std::string ResolveIri(std::string_view base, std::string_view reference);

// ASCII lower-casing (language tags).
std::string AsciiLower(std::string_view s);

}  // namespace credstack::ld::internal
