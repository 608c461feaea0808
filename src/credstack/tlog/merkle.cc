#include "credstack/tlog/merkle.h"

#include <bit>
#include <string_view>

#include "credstack/crypto/sha.h"

namespace credstack::tlog {

Hash HashLeaf(ByteView leaf_data) {
  thread_local crypto::Sha256Hasher hasher;
  const uint8_t prefix = 0x00;
  hasher.Update(ByteView(&prefix, 1));
  hasher.Update(leaf_data);
  return hasher.Finish();
}

Hash HashChildren(const Hash& left, const Hash& right) {
  // One contiguous buffer: a single Update is measurably cheaper than three.
  std::array<uint8_t, 65> buf;
  buf[0] = 0x01;
  std::copy(left.begin(), left.end(), buf.begin() + 1);
  std::copy(right.begin(), right.end(), buf.begin() + 33);
  return crypto::Sha256(ByteView(buf));
}

Hash EmptyRoot() { return crypto::Sha256(std::string_view()); }

std::vector<NodeId> CompactRangeNodes(uint64_t size) {
  std::vector<NodeId> nodes;
  nodes.reserve(static_cast<size_t>(std::popcount(size)));
  uint64_t begin = 0;
  for (int level = 63; level >= 0; --level) {
    uint64_t bit = uint64_t{1} << level;
    if (size & bit) {
      nodes.push_back(NodeId{static_cast<uint8_t>(level), begin >> level});
      begin += bit;
    }
  }
  return nodes;
}

Result<CompactRange> CompactRange::Create(uint64_t size,
                                          std::vector<Hash> hashes) {
  if (hashes.size() != static_cast<size_t>(std::popcount(size))) {
    return InvalidArgumentError(
        "compact range: size " + std::to_string(size) + " needs " +
        std::to_string(std::popcount(size)) + " hashes, got " +
        std::to_string(hashes.size()));
  }
  CompactRange range;
  range.size_ = size;
  range.hashes_ = std::move(hashes);
  return range;
}

Status CompactRange::Append(const Hash& leaf_hash, const NodeVisitor& visitor) {
  if (size_ == UINT64_MAX) {
    return ResourceExhaustedError("compact range: tree is full");
  }
  Hash h = leaf_hash;
  uint64_t index = size_;
  uint8_t level = 0;
  if (visitor) visitor(NodeId{0, index}, h);
  // Each trailing one bit of size_ is a left sibling waiting for this
  // subtree: merge until the bit pattern has no more carries.
  for (uint64_t s = size_; s & 1; s >>= 1) {
    h = HashChildren(hashes_.back(), h);
    hashes_.pop_back();
    ++level;
    index >>= 1;
    if (visitor) visitor(NodeId{level, index}, h);
  }
  hashes_.push_back(h);
  ++size_;
  return OkStatus();
}

Hash FoldRight(std::span<const Hash> hashes) {
  CREDSTACK_CHECK(!hashes.empty());
  Hash h = hashes.back();
  for (size_t i = hashes.size() - 1; i-- > 0;) h = HashChildren(hashes[i], h);
  return h;
}

Hash CompactRange::Root() const {
  if (hashes_.empty()) return EmptyRoot();
  return FoldRight(hashes_);
}

}  // namespace credstack::tlog
