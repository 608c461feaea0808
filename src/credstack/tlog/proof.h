#pragma once

// RFC 9162 §2.1.3 inclusion proofs and §2.1.4 consistency proofs:
// generation from a source of stored node hashes, and verification.
//
// Generation asks the HashReader only for the O(log n) perfect-subtree
// nodes a proof needs, in one batch; the one "ephemeral" node that covers
// the ragged right edge of the tree is folded from its own O(log n) stored
// nodes. A TileHashReader (tiles.h) serves the nodes from C2SP tiles.

#include <cstdint>
#include <span>
#include <vector>

#include "credstack/base/bytes.h"
#include "credstack/base/status.h"
#include "credstack/tlog/merkle.h"

namespace credstack::tlog {

// Source of stored node hashes, e.g. tiles in a database or files.
class HashReader {
 public:
  virtual ~HashReader() = default;
  // Returns the hash of every node in ids, in the same order. Each id is a
  // perfect subtree of the tree the reader serves. Errors: kNotFound when
  // a node is not stored, kDataLoss when stored data is malformed, or the
  // storage error.
  virtual Result<std::vector<Hash>> ReadNodes(std::span<const NodeId> ids) = 0;
};

// RFC 9162 §2.1.3.1 PATH(index, D[0:size]): the audit path of leaf `index`,
// leaf sibling first. Fails with kInvalidArgument if index >= size.
Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size,
                                         HashReader& reader);

// RFC 9162 §2.1.4.1 PROOF(size1, D[0:size2]). Fails with kInvalidArgument
// unless size1 <= size2. size1 == size2 and size1 == 0 (every tree extends
// the empty tree) give an empty proof.
Result<std::vector<Hash>> ConsistencyProof(uint64_t size1, uint64_t size2,
                                           HashReader& reader);

// MTH(D[0:size]) from stored nodes (popcount(size) reads): lets a log
// answer for any earlier tree size.
Result<Hash> RootAt(uint64_t size, HashReader& reader);

// RFC 9162 §2.1.3.2. Hashes arrive as bytes from the wire; any hash of the
// wrong length fails the proof. Returns OK or kUnauthenticated (with the
// reason) when the proof does not verify, kInvalidArgument for
// impossible parameters (index >= size).
Status VerifyInclusion(uint64_t index, uint64_t size, ByteView leaf_hash,
                       std::span<const ByteView> proof, ByteView root);
Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root);

// The root implied by an inclusion proof (RFC 9162 §2.1.3.2 steps 1-4).
Result<Hash> RootFromInclusionProof(uint64_t index, uint64_t size,
                                    const Hash& leaf_hash,
                                    std::span<const Hash> proof);

// RFC 9162 §2.1.4.2, which is defined for 0 < size1 < size2. Edge cases
// (as transparency-dev/merkle): size1 == size2 needs an empty proof and
// equal roots; size1 == 0 needs an empty proof and root1 == EmptyRoot()
// (every tree extends the empty tree), and root2 must then be a 32-byte
// hash (EmptyRoot() too if size2 == 0). Returns OK or kUnauthenticated
// with the reason.
Status VerifyConsistency(uint64_t size1, uint64_t size2,
                         std::span<const ByteView> proof, ByteView root1,
                         ByteView root2);
Status VerifyConsistency(uint64_t size1, uint64_t size2,
                         std::span<const Hash> proof, const Hash& root1,
                         const Hash& root2);

// Views for passing typed hashes to the byte-level verifiers.
std::vector<ByteView> HashViews(std::span<const Hash> hashes);

}  // namespace credstack::tlog
