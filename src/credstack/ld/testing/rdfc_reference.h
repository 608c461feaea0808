#pragma once

// A slow, literal transcription of RDFC-1.0 (REC 2024-05-21 §4.4-§4.8) for
// tests only: strings everywhere, quads re-serialized whenever the spec
// says so, std::next_permutation, no pruning. Compared against the fast
// Canonicalize() on random datasets. Returns std::nullopt when more than
// `max_calls` Hash N-Degree Quads calls would be needed.

#include <optional>
#include <string>

#include "credstack/ld/rdf.h"
#include "credstack/ld/rdfc.h"

namespace credstack::ld::testing {

std::optional<std::string> ReferenceCanonicalize(const Dataset& dataset,
                                                 HashAlgorithm hash,
                                                 QuadOrder order,
                                                 int max_calls = 2'000);

}  // namespace credstack::ld::testing
