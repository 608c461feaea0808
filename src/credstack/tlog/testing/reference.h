#pragma once

// A slow, obviously correct transcription of RFC 9162 §2.1 (MTH, PATH,
// PROOF/SUBPROOF) over a full list of leaf hashes, for comparing against
// the real implementation in tests. Recursion depth is log2(n).

#include <cstdint>
#include <span>
#include <vector>

#include "credstack/tlog/merkle.h"

namespace credstack::tlog::testing {

// RFC 9162 §2.1.1 MTH(D[n]) where the leaves are already hashed.
Hash ReferenceRoot(std::span<const Hash> leaf_hashes);

// RFC 9162 §2.1.3.1 PATH(m, D[n]).
std::vector<Hash> ReferencePath(uint64_t m, std::span<const Hash> leaf_hashes);

// RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true), 0 < m <= n.
std::vector<Hash> ReferenceProof(uint64_t m, std::span<const Hash> leaf_hashes);

}  // namespace credstack::tlog::testing
