#include "credstack/tlog/proof.h"

#include <algorithm>
#include <bit>
#include <string>

namespace credstack::tlog {
namespace {

// One element of a proof: a stored perfect subtree, or the MTH of the
// ragged range [begin, end) at the right edge of the tree, folded from the
// stored subtrees that make it up.
struct ProofItem {
  bool ephemeral = false;
  NodeId node;
  uint64_t begin = 0;
  uint64_t end = 0;
};

// Perfect subtrees covering [begin, end), leftmost first. begin must be a
// multiple of the largest power of two not above end - begin.
void AppendRangeNodes(uint64_t begin, uint64_t end, std::vector<NodeId>& out) {
  uint64_t size = end - begin;
  for (int level = 63; level >= 0; --level) {
    uint64_t bit = uint64_t{1} << level;
    if (size & bit) {
      out.push_back(NodeId{static_cast<uint8_t>(level), begin >> level});
      begin += bit;
    }
  }
}

// The path from the node at `level` that contains leaf `leaf` up to the
// root of D[0:size], bottom up (RFC 9162 §2.1.3.1 PATH generalised to start
// above the leaves, as SUBPROOF in §2.1.4.1 needs).
std::vector<ProofItem> PathItems(uint64_t leaf, uint64_t size, int level) {
  std::vector<ProofItem> items;
  const int inner = std::bit_width(leaf ^ (size - 1));
  for (int l = level; l < 64; ++l) {
    const uint64_t pos = leaf >> l;
    if (l >= inner && pos == 0) break;
    const uint64_t sibling = pos ^ 1;
    if (l < inner) {
      const uint64_t begin = sibling << l;
      if (size - begin >= (uint64_t{1} << l)) {
        items.push_back({.node = NodeId{static_cast<uint8_t>(l), sibling}});
      } else {
        // Only the sibling at level inner - 1 can cross the right edge.
        items.push_back({.ephemeral = true, .begin = begin, .end = size});
      }
    } else if (pos & 1) {
      items.push_back({.node = NodeId{static_cast<uint8_t>(l), sibling}});
    }
  }
  return items;
}

// Reads every stored node the items need in one batch and assembles the
// proof hashes.
Result<std::vector<Hash>> Resolve(const std::vector<ProofItem>& items,
                                  HashReader& reader) {
  std::vector<NodeId> ids;
  for (const ProofItem& item : items) {
    if (item.ephemeral) {
      AppendRangeNodes(item.begin, item.end, ids);
    } else {
      ids.push_back(item.node);
    }
  }
  CREDSTACK_ASSIGN_OR_RETURN(std::vector<Hash> hashes, reader.ReadNodes(ids));
  if (hashes.size() != ids.size()) {
    return InternalError("hash reader returned " +
                         std::to_string(hashes.size()) + " hashes for " +
                         std::to_string(ids.size()) + " nodes");
  }
  std::vector<Hash> proof;
  proof.reserve(items.size());
  size_t next = 0;
  for (const ProofItem& item : items) {
    if (!item.ephemeral) {
      proof.push_back(hashes[next++]);
      continue;
    }
    size_t count = static_cast<size_t>(std::popcount(item.end - item.begin));
    proof.push_back(
        FoldRight(std::span<const Hash>(hashes).subspan(next, count)));
    next += count;
  }
  return proof;
}

Hash ToHash(ByteView b) {
  Hash h;
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

bool Equal(ByteView a, ByteView b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

Status Fail(std::string why) { return UnauthenticatedError(std::move(why)); }

// RFC 9162 §2.1.3.2 steps 2-4; std::nullopt-like failure via Status.
Result<Hash> InclusionRoot(uint64_t index, uint64_t size, const Hash& leaf,
                           std::span<const ByteView> proof) {
  if (index >= size) {
    return InvalidArgumentError("inclusion proof: leaf index " +
                                std::to_string(index) + " >= tree size " +
                                std::to_string(size));
  }
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf;
  for (ByteView pv : proof) {
    if (pv.size() != 32) return Fail("inclusion proof: hash of wrong length");
    if (sn == 0) return Fail("inclusion proof: too many hashes");
    const Hash p = ToHash(pv);
    if ((fn & 1) || fn == sn) {
      r = HashChildren(p, r);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = HashChildren(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Fail("inclusion proof: too few hashes");
  return r;
}

}  // namespace

Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size,
                                         HashReader& reader) {
  if (index >= size) {
    return InvalidArgumentError("inclusion proof: leaf index " +
                                std::to_string(index) + " >= tree size " +
                                std::to_string(size));
  }
  return Resolve(PathItems(index, size, 0), reader);
}

Result<std::vector<Hash>> ConsistencyProof(uint64_t size1, uint64_t size2,
                                           HashReader& reader) {
  if (size1 > size2) {
    return InvalidArgumentError("consistency proof: need size1 <= size2, got " +
                                std::to_string(size1) + " and " +
                                std::to_string(size2));
  }
  if (size1 == size2 || size1 == 0) return std::vector<Hash>();
  // RFC 9162 §2.1.4.1: the old tree's rightmost perfect subtree (omitted
  // when it is the whole old tree), then its path in the new tree.
  const int level = std::countr_zero(size1);
  const uint64_t last = size1 - 1;
  std::vector<ProofItem> items;
  if ((size1 >> level) != 1) {
    items.push_back(
        {.node = NodeId{static_cast<uint8_t>(level), last >> level}});
  }
  std::vector<ProofItem> path = PathItems(last, size2, level);
  items.insert(items.end(), path.begin(), path.end());
  return Resolve(items, reader);
}

Result<Hash> RootAt(uint64_t size, HashReader& reader) {
  if (size == 0) return EmptyRoot();
  std::vector<NodeId> ids = CompactRangeNodes(size);
  CREDSTACK_ASSIGN_OR_RETURN(std::vector<Hash> hashes, reader.ReadNodes(ids));
  if (hashes.size() != ids.size()) {
    return InternalError("hash reader returned the wrong number of hashes");
  }
  return FoldRight(hashes);
}

std::vector<ByteView> HashViews(std::span<const Hash> hashes) {
  std::vector<ByteView> views;
  views.reserve(hashes.size());
  for (const Hash& h : hashes) views.emplace_back(h);
  return views;
}

Status VerifyInclusion(uint64_t index, uint64_t size, ByteView leaf_hash,
                       std::span<const ByteView> proof, ByteView root) {
  if (leaf_hash.size() != 32)
    return Fail("inclusion proof: bad leaf hash length");
  if (root.size() != 32) return Fail("inclusion proof: bad root hash length");
  CREDSTACK_ASSIGN_OR_RETURN(
      Hash r, InclusionRoot(index, size, ToHash(leaf_hash), proof));
  // RFC 9162 §2.1.3.2 step 5.
  if (!Equal(r, root)) return Fail("inclusion proof: root mismatch");
  return OkStatus();
}

Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root) {
  std::vector<ByteView> views = HashViews(proof);
  return VerifyInclusion(index, size, leaf_hash, views, root);
}

Result<Hash> RootFromInclusionProof(uint64_t index, uint64_t size,
                                    const Hash& leaf_hash,
                                    std::span<const Hash> proof) {
  std::vector<ByteView> views = HashViews(proof);
  return InclusionRoot(index, size, leaf_hash, views);
}

Status VerifyConsistency(uint64_t size1, uint64_t size2,
                         std::span<const ByteView> proof, ByteView root1,
                         ByteView root2) {
  if (size2 < size1) {
    return Fail("consistency proof: size2 " + std::to_string(size2) +
                " < size1 " + std::to_string(size1));
  }
  if (size1 == 0) {
    // Every tree extends the empty one, whose root is fixed.
    if (!proof.empty())
      return Fail("consistency proof: size1 is 0, proof not empty");
    if (!Equal(root1, EmptyRoot()))
      return Fail("consistency proof: bad empty-tree root");
    if (size2 == 0 && !Equal(root2, EmptyRoot())) {
      return Fail("consistency proof: bad empty-tree root");
    }
    if (root2.size() != 32)
      return Fail("consistency proof: bad root hash length");
    return OkStatus();
  }
  if (size1 == size2) {
    if (!proof.empty())
      return Fail("consistency proof: sizes equal, proof not empty");
    if (!Equal(root1, root2))
      return Fail("consistency proof: sizes equal, roots differ");
    return OkStatus();
  }
  // RFC 9162 §2.1.4.2 step 1.
  if (proof.empty()) return Fail("consistency proof: empty proof");
  if (root1.size() != 32 || root2.size() != 32) {
    return Fail("consistency proof: bad root hash length");
  }
  for (ByteView p : proof) {
    if (p.size() != 32) return Fail("consistency proof: hash of wrong length");
  }
  // Step 2: a power-of-two old tree is a node of the new tree itself.
  std::vector<ByteView> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(size1)) path.push_back(root1);
  path.insert(path.end(), proof.begin(), proof.end());
  // Steps 3-4.
  uint64_t fn = size1 - 1;
  uint64_t sn = size2 - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  // Steps 5-6.
  Hash fr = ToHash(path[0]);
  Hash sr = fr;
  for (size_t i = 1; i < path.size(); ++i) {
    if (sn == 0) return Fail("consistency proof: too many hashes");
    const Hash c = ToHash(path[i]);
    if ((fn & 1) || fn == sn) {
      fr = HashChildren(c, fr);
      sr = HashChildren(c, sr);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = HashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  // Step 7.
  if (sn != 0) return Fail("consistency proof: too few hashes");
  if (!Equal(fr, root1)) return Fail("consistency proof: old root mismatch");
  if (!Equal(sr, root2)) return Fail("consistency proof: new root mismatch");
  return OkStatus();
}

Status VerifyConsistency(uint64_t size1, uint64_t size2,
                         std::span<const Hash> proof, const Hash& root1,
                         const Hash& root2) {
  std::vector<ByteView> views = HashViews(proof);
  return VerifyConsistency(size1, size2, views, root1, root2);
}

}  // namespace credstack::tlog
