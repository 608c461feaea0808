#pragma once

// RDF Dataset Canonicalization, RDFC-1.0 (W3C Recommendation 2024-05-21,
// https://www.w3.org/TR/rdf-canon/), with SHA-256 (default) or SHA-384.
//
// Canonicalize() labels every blank node of a dataset deterministically
// (c14n0, c14n1, ...) and returns the serialized canonical form (§5): the
// canonical N-Quads lines (nquads.h) sorted and concatenated, plus the
// issued identifiers map (§4.4.3 step 6).
//
// Sorting: RDFC-1.0 sorts by Unicode code point (= UTF-8 byte order). The
// reference JavaScript implementation rdf-canonize 5.0.0, which most of the
// Verifiable Credentials ecosystem signs with, sorts with JavaScript string
// comparison, i.e. by UTF-16 code units. The two orders differ only when a
// code point above U+FFFF meets one in U+E000-U+FFFF at the first
// difference of two strings. QuadOrder::kUtf16 reproduces rdf-canonize
// byte for byte: it applies UTF-16 order to the two sorts whose inputs can
// hold arbitrary text (the N-Quads of Hash First Degree Quads, §4.6.3 step
// 4, and the final N-Quads, §5) and to the blank node identifiers the
// permutations of Hash N-Degree Quads start from; every other sort is over
// hexadecimal hashes or ASCII paths, where both orders agree.
//
// Thread-safe: no shared state; each call allocates its own scratch.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/ld/dataset.h"
#include "credstack/ld/rdf.h"

namespace credstack::ld {

enum class HashAlgorithm { kSha256, kSha384 };
enum class QuadOrder { kCodePoint, kUtf16 };

struct CanonicalizeOptions {
  HashAlgorithm hash = HashAlgorithm::kSha256;
  QuadOrder order = QuadOrder::kCodePoint;
  // Bounds Hash N-Degree Quads work (RDFC-1.0 §4.4.3 and §7.1); a crafted
  // "poison" dataset can otherwise make canonicalization take exponential
  // time. Calls count every (recursive) Hash N-Degree Quads invocation.
  int max_ndegree_calls = 10'000;
  // Total permutations examined by Hash N-Degree Quads step 5.4 (each
  // costs well under a microsecond; the default fails within ~0.2 s even
  // when the calls budget is never reached).
  int64_t max_permutations = 250'000;
  // Deepest Hash N-Degree Quads recursion (bounds stack use).
  int max_ndegree_depth = 1'000;
  // Input size bounds.
  size_t max_quads = 100'000;
  size_t max_blank_nodes = 100'000;
  // When >= 0, also enforce the limit of rdf-canonize 5.0.0's
  // `maxWorkFactor`: at most (number of blank nodes with a shared first
  // degree hash) ^ js_max_work_factor Hash N-Degree Quads calls. Issuers can
  // set 1 (rdf-canonize's default) so that what they sign also
  // canonicalizes in the reference verifier. -1 (default) disables it.
  int js_max_work_factor = -1;
  // RDFC-1.0 §4.4 takes an RDF dataset, a set: duplicate quads are
  // dropped first (the default). rdf-canonize 5.0.0 takes a list and keeps
  // them (in the first degree hashes, the N-degree hashes and the output),
  // and jsonld.js's toRDF emits duplicates when two JSON-LD values denote
  // one literal (e.g. `true` and {"@value": true, "@type": xsd:boolean}), so
  // documents signed by the JavaScript stack can need keep_duplicates.
  bool keep_duplicates = false;
};

struct IssuedIdentifier {
  std::string input;      // the blank node label in the input dataset
  std::string canonical;  // "c14n<N>"
};

struct CanonicalResult {
  // The serialized canonical form: canonical N-Quads lines, each ending in
  // "\n", sorted (QuadOrder); without duplicates unless keep_duplicates.
  std::string nquads;
  // The issued identifiers map in issuance order, so issued[i].canonical is
  // "c14n<i>".
  std::vector<IssuedIdentifier> issued;
  // True when the input holds both a code point above U+FFFF and one in
  // U+E000-U+FFFF, the only case where kCodePoint and kUtf16 can give
  // different results. When false, a second run with the other order is
  // pointless.
  bool orders_may_differ = false;
  // Input quads equal to an earlier input quad (dropped unless
  // keep_duplicates). When 0, keep_duplicates gives the same result.
  size_t duplicate_quads = 0;
};

// Canonicalizes `dataset` (a set unless options.keep_duplicates: duplicate
// quads are ignored). Blank nodes are identified by Term::value; the input is
// not modified. The Dataset overload converts to an RdfDataset first.
//
// Errors: kInvalidArgument when a term is in a position RDF forbids (e.g. a
// literal subject); kResourceExhausted when a limit of `options` is hit,
// with "RDFC-1.0: too many Hash N-Degree Quads calls (poison dataset?)" or
// a similar message naming the limit.
Result<CanonicalResult> Canonicalize(const RdfDataset& dataset,
                                     const CanonicalizeOptions& options = {});
Result<CanonicalResult> Canonicalize(const Dataset& dataset,
                                     const CanonicalizeOptions& options = {});

}  // namespace credstack::ld
