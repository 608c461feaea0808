#pragma once

// RFC 9162 §2.1 Merkle Tree hashing (SHA-256) and the compact range: the
// right edge of a tree, enough to append leaves and compute the root
// without the rest of the tree. Formats: docs/formats/tiles.md.

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "credstack/base/bytes.h"
#include "credstack/base/status.h"

namespace credstack::tlog {

using Hash = std::array<uint8_t, 32>;

// RFC 9162 §2.1.1: MTH({d0}) = SHA-256(0x00 || d0).
Hash HashLeaf(ByteView leaf_data);
// RFC 9162 §2.1.1: SHA-256(0x01 || left || right).
Hash HashChildren(const Hash& left, const Hash& right);
// MTH({}) = SHA-256("").
Hash EmptyRoot();

// A node of the tree that roots a perfect subtree: it covers the leaves
// [index << level, (index + 1) << level). Level 0 nodes are leaf hashes.
struct NodeId {
  uint8_t level = 0;
  uint64_t index = 0;

  uint64_t begin() const { return index << level; }
  uint64_t end() const { return (index + 1) << level; }
  friend bool operator==(const NodeId&, const NodeId&) = default;
};

// The nodes whose hashes make up the compact range [0, size): one perfect
// subtree per set bit of size, largest (leftmost) first.
std::vector<NodeId> CompactRangeNodes(uint64_t size);

// The right edge of a tree of `size` leaves. Appending a leaf hash costs one
// hash per completed subtree (amortised one per leaf); the root costs
// popcount(size) - 1 hashes. Not thread-safe.
class CompactRange {
 public:
  // The empty tree.
  CompactRange() = default;

  // Rebuilds from a size and the hashes of CompactRangeNodes(size), in that
  // order. Fails with kInvalidArgument if the count does not match.
  static Result<CompactRange> Create(uint64_t size, std::vector<Hash> hashes);

  // Called for every node completed by an append (including the leaf
  // itself at level 0), bottom up.
  using NodeVisitor = std::function<void(const NodeId&, const Hash&)>;

  // Appends one leaf hash. Fails with kResourceExhausted at 2^64 - 1 leaves.
  Status Append(const Hash& leaf_hash, const NodeVisitor& visitor = nullptr);

  uint64_t size() const { return size_; }
  // Hashes of CompactRangeNodes(size()), leftmost first.
  const std::vector<Hash>& hashes() const { return hashes_; }

  // RFC 9162 §2.1.1 MTH of the whole range; EmptyRoot() when empty.
  Hash Root() const;

 private:
  uint64_t size_ = 0;
  std::vector<Hash> hashes_;
};

// MTH of consecutive perfect-subtree hashes given leftmost first (such as a
// compact range): folds from the right. Requires a non-empty span.
Hash FoldRight(std::span<const Hash> hashes);

}  // namespace credstack::tlog
