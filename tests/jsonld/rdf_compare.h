#pragma once

// Test helpers for the JSON-LD toRdf suite: a small N-Quads reader for the
// expected outputs and a dataset isomorphism check (blank node relabeling).
// Test-only; the product's N-Quads code lives in credstack/ld.

#include <string>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/ld/rdf.h"

namespace credstack::ld::testing {

// Parses N-Quads 1.1 text (one statement per line, '#' comments).
Result<Dataset> ParseNQuads(std::string_view text);

// Writes one quad as an N-Quads line (for diagnostics).
std::string ToNQuad(const Quad& q);

// True when a and b are equal up to a bijection between their blank nodes:
// as sets of quads, or, with multiset, also in how often each quad occurs
// (jsonld.js can emit a quad twice, and rdf-canonize then signs both). On
// false, *why says what differed.
bool Isomorphic(const Dataset& a, const Dataset& b, std::string* why,
                bool multiset = false);

}  // namespace credstack::ld::testing
