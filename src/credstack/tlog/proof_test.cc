#include "credstack/tlog/proof.h"

#include <gtest/gtest.h>

#include "credstack/base/rng.h"
#include "credstack/tlog/integrator.h"
#include "credstack/tlog/testing/memory_tile_store.h"
#include "credstack/tlog/testing/reference.h"

namespace credstack::tlog {
namespace {

using testing::MemoryTileStore;
using testing::ReferencePath;
using testing::ReferenceProof;
using testing::ReferenceRoot;

std::vector<Hash> LeafHashes(size_t n, uint64_t seed = 1) {
  DeterministicRng rng(seed);
  std::vector<Hash> out(n);
  for (auto& h : out) {
    uint8_t data[8];
    rng.Fill(data);
    h = HashLeaf(ByteView(data));
  }
  return out;
}

// Serves every node straight from the leaves with the reference MTH.
class ReferenceHashReader final : public HashReader {
 public:
  explicit ReferenceHashReader(std::span<const Hash> leaves)
      : leaves_(leaves) {}
  Result<std::vector<Hash>> ReadNodes(std::span<const NodeId> ids) override {
    std::vector<Hash> out;
    for (const NodeId& id : ids) {
      if (id.end() > leaves_.size())
        return NotFoundError("node beyond the tree");
      out.push_back(
          ReferenceRoot(leaves_.subspan(id.begin(), id.end() - id.begin())));
    }
    return out;
  }

 private:
  std::span<const Hash> leaves_;
};

struct TiledTree {
  std::vector<Hash> leaves;
  MemoryTileStore store;
};

std::unique_ptr<TiledTree> BuildTiledTree(size_t n, uint64_t seed = 1) {
  auto tree = std::make_unique<TiledTree>();
  tree->leaves = LeafHashes(n, seed);
  TileIntegrator integrator;
  // Several batches, so partial tiles are rewritten as they grow.
  for (size_t done = 0; done < n;) {
    size_t batch = std::min<size_t>(n - done, 1 + done % 977);
    Result<IntegrateResult> r =
        integrator.Append(std::span(tree->leaves).subspan(done, batch));
    CREDSTACK_CHECK(r.ok());
    tree->store.Write(r->tiles);
    done += batch;
  }
  return tree;
}

TEST(InclusionProof, MatchesReferenceForAllSmallTrees) {
  std::vector<Hash> leaves = LeafHashes(70);
  ReferenceHashReader reader(leaves);
  for (uint64_t size = 1; size <= leaves.size(); ++size) {
    std::span<const Hash> tree = std::span(leaves).first(size);
    const Hash root = ReferenceRoot(tree);
    for (uint64_t i = 0; i < size; ++i) {
      Result<std::vector<Hash>> proof = InclusionProof(i, size, reader);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      ASSERT_EQ(*proof, ReferencePath(i, tree)) << i << " in " << size;
      ASSERT_TRUE(VerifyInclusion(i, size, leaves[i], *proof, root).ok());
    }
  }
}

TEST(ConsistencyProof, MatchesReferenceForAllSmallTrees) {
  std::vector<Hash> leaves = LeafHashes(70);
  ReferenceHashReader reader(leaves);
  for (uint64_t size2 = 1; size2 <= leaves.size(); ++size2) {
    std::span<const Hash> tree = std::span(leaves).first(size2);
    const Hash root2 = ReferenceRoot(tree);
    for (uint64_t size1 = 1; size1 <= size2; ++size1) {
      Result<std::vector<Hash>> proof = ConsistencyProof(size1, size2, reader);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      ASSERT_EQ(*proof, ReferenceProof(size1, tree))
          << size1 << " -> " << size2;
      const Hash root1 = ReferenceRoot(std::span(leaves).first(size1));
      ASSERT_TRUE(VerifyConsistency(size1, size2, *proof, root1, root2).ok())
          << size1 << " -> " << size2;
    }
  }
}

TEST(Proofs, FromTilesMatchReferenceOnRandomLargeTrees) {
  // 70,000 leaves: full and partial tiles on levels 0, 1 and 2.
  auto tree = BuildTiledTree(70'000);
  TileHashReader reader(tree->store, tree->leaves.size());
  DeterministicRng rng(99);
  for (int round = 0; round < 12; ++round) {
    const uint64_t size2 = 1 + rng.Uniform(tree->leaves.size());
    const uint64_t size1 = 1 + rng.Uniform(size2);
    const uint64_t index = rng.Uniform(size2);
    std::span<const Hash> t = std::span(tree->leaves).first(size2);
    Result<std::vector<Hash>> incl = InclusionProof(index, size2, reader);
    ASSERT_TRUE(incl.ok()) << incl.status().ToString();
    EXPECT_EQ(*incl, ReferencePath(index, t)) << index << " in " << size2;
    Result<std::vector<Hash>> cons = ConsistencyProof(size1, size2, reader);
    ASSERT_TRUE(cons.ok()) << cons.status().ToString();
    EXPECT_EQ(*cons, ReferenceProof(size1, t)) << size1 << " -> " << size2;
    Result<Hash> root = RootAt(size2, reader);
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(*root, ReferenceRoot(t));
  }
}

TEST(Proofs, TileReadsAreLogarithmic) {
  auto tree = BuildTiledTree(70'000);
  TileHashReader reader(tree->store, tree->leaves.size());
  const uint64_t before = tree->store.reads();
  ASSERT_TRUE(InclusionProof(12'345, 70'000, reader).ok());
  // At most one tile per tile level (0, 1, 2) for the path plus one per
  // level for the ragged right edge, in a single batch.
  EXPECT_LE(tree->store.reads() - before, 6u);
  const uint64_t mid = tree->store.reads();
  ASSERT_TRUE(ConsistencyProof(33'333, 70'000, reader).ok());
  EXPECT_LE(tree->store.reads() - mid, 6u);  // old and new path share tiles
}

TEST(Proofs, CacheAvoidsRereadingTiles) {
  auto tree = BuildTiledTree(5'000);
  ExpandedTileCache cache(64);
  TileHashReader reader(tree->store, tree->leaves.size(), &cache);
  ASSERT_TRUE(InclusionProof(100, 5'000, reader).ok());
  const uint64_t after_first = tree->store.reads();
  ASSERT_TRUE(InclusionProof(101, 5'000, reader).ok());
  EXPECT_EQ(tree->store.reads(), after_first);
}

TEST(Proofs, RejectImpossibleParameters) {
  std::vector<Hash> leaves = LeafHashes(4);
  ReferenceHashReader reader(leaves);
  EXPECT_EQ(InclusionProof(4, 4, reader).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(InclusionProof(0, 0, reader).status().code(),
            Code::kInvalidArgument);
  Result<std::vector<Hash>> from_empty = ConsistencyProof(0, 4, reader);
  ASSERT_TRUE(from_empty.ok());
  EXPECT_TRUE(from_empty->empty());
  EXPECT_TRUE(
      VerifyConsistency(0, 4, *from_empty, EmptyRoot(), ReferenceRoot(leaves))
          .ok());
  EXPECT_FALSE(
      VerifyConsistency(0, 4, *from_empty, leaves[0], ReferenceRoot(leaves))
          .ok());
  EXPECT_EQ(ConsistencyProof(5, 4, reader).status().code(),
            Code::kInvalidArgument);
  Result<std::vector<Hash>> same = ConsistencyProof(4, 4, reader);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->empty());
}

TEST(Proofs, TileReaderRefusesNodesBeyondItsTree) {
  auto tree = BuildTiledTree(300);
  TileHashReader reader(tree->store, 300);
  NodeId beyond{8, 1};  // leaves [256, 512) are not all there
  EXPECT_EQ(reader.ReadNodes(std::span(&beyond, 1)).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(InclusionProof(0, 301, reader).status().code(),
            Code::kInvalidArgument);
  MemoryTileStore empty;
  TileHashReader missing(empty, 300);
  EXPECT_EQ(InclusionProof(0, 300, missing).status().code(), Code::kNotFound);
}

TEST(Proofs, CorruptedTileBreaksTheProof) {
  auto tree = BuildTiledTree(1'000);
  const Hash root = ReferenceRoot(tree->leaves);
  tree->store.Corrupt(0, 1, 7);  // leaf 263
  TileHashReader reader(tree->store, 1'000);
  // Leaf 262's sibling is the corrupted leaf 263.
  Result<std::vector<Hash>> proof = InclusionProof(262, 1'000, reader);
  ASSERT_TRUE(proof.ok());
  EXPECT_EQ(VerifyInclusion(262, 1'000, tree->leaves[262], *proof, root).code(),
            Code::kUnauthenticated);
}

TEST(VerifyInclusion, MutatedProofNeverVerifies) {
  std::vector<Hash> leaves = LeafHashes(1'000, 5);
  ReferenceHashReader reader(leaves);
  const Hash root = ReferenceRoot(leaves);
  DeterministicRng rng(3);
  for (int round = 0; round < 40; ++round) {
    const uint64_t index = rng.Uniform(leaves.size());
    Result<std::vector<Hash>> proof =
        InclusionProof(index, leaves.size(), reader);
    ASSERT_TRUE(proof.ok());
    ASSERT_TRUE(
        VerifyInclusion(index, leaves.size(), leaves[index], *proof, root)
            .ok());
    std::vector<Hash> bad = *proof;
    bad[rng.Uniform(bad.size())][rng.Uniform(32)] ^=
        static_cast<uint8_t>(1 + rng.Uniform(255));
    EXPECT_FALSE(
        VerifyInclusion(index, leaves.size(), leaves[index], bad, root).ok());
    EXPECT_FALSE(
        VerifyInclusion(index ^ 1, leaves.size(), leaves[index], *proof, root)
            .ok());
    std::vector<Hash> shorter(proof->begin(), proof->end() - 1);
    EXPECT_FALSE(
        VerifyInclusion(index, leaves.size(), leaves[index], shorter, root)
            .ok());
    std::vector<Hash> longer = *proof;
    longer.push_back(root);
    EXPECT_FALSE(
        VerifyInclusion(index, leaves.size(), leaves[index], longer, root)
            .ok());
  }
}

TEST(VerifyConsistency, MutatedProofNeverVerifies) {
  std::vector<Hash> leaves = LeafHashes(1'000, 6);
  ReferenceHashReader reader(leaves);
  DeterministicRng rng(4);
  for (int round = 0; round < 40; ++round) {
    const uint64_t size2 = 2 + rng.Uniform(leaves.size() - 1);
    const uint64_t size1 = 1 + rng.Uniform(size2 - 1);
    const Hash root1 = ReferenceRoot(std::span(leaves).first(size1));
    const Hash root2 = ReferenceRoot(std::span(leaves).first(size2));
    Result<std::vector<Hash>> proof = ConsistencyProof(size1, size2, reader);
    ASSERT_TRUE(proof.ok());
    ASSERT_TRUE(VerifyConsistency(size1, size2, *proof, root1, root2).ok());
    std::vector<Hash> bad = *proof;
    bad[rng.Uniform(bad.size())][rng.Uniform(32)] ^= 0x80;
    EXPECT_FALSE(VerifyConsistency(size1, size2, bad, root1, root2).ok());
    EXPECT_FALSE(VerifyConsistency(size1, size2, *proof, root2, root1).ok());
    EXPECT_FALSE(
        VerifyConsistency(size1 + 1, size2, *proof, root1, root2).ok());
  }
}

TEST(RootFromInclusionProof, ReturnsTheImpliedRoot) {
  std::vector<Hash> leaves = LeafHashes(13);
  ReferenceHashReader reader(leaves);
  Result<std::vector<Hash>> proof = InclusionProof(5, 13, reader);
  ASSERT_TRUE(proof.ok());
  Result<Hash> root = RootFromInclusionProof(5, 13, leaves[5], *proof);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root, ReferenceRoot(leaves));
}

}  // namespace
}  // namespace credstack::tlog
