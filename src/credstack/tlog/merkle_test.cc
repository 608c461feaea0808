#include "credstack/tlog/merkle.h"

#include <gtest/gtest.h>

#include "credstack/base/bytes.h"
#include "credstack/base/rng.h"
#include "credstack/tlog/testing/reference.h"

namespace credstack::tlog {
namespace {

std::vector<Hash> LeafHashes(size_t n, uint64_t seed = 1) {
  DeterministicRng rng(seed);
  std::vector<Hash> out(n);
  for (auto& h : out) {
    uint8_t data[16];
    rng.Fill(data);
    h = HashLeaf(ByteView(data));
  }
  return out;
}

TEST(MerkleHash, EmptyTreeIsSha256OfNothing) {
  EXPECT_EQ(HexEncode(EmptyRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(MerkleHash, LeafAndNodePrefixes) {
  // RFC 6962 test tree, leaf 0 is the empty string.
  EXPECT_EQ(HexEncode(HashLeaf({})),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  Hash a = HashLeaf({});
  Hash b = HashLeaf(AsBytes(std::string_view("\x00", 1)));
  EXPECT_EQ(HexEncode(HashChildren(a, b)),
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
  EXPECT_NE(HashChildren(a, b), HashChildren(b, a));
}

TEST(CompactRangeNodes, OnePerSetBit) {
  EXPECT_TRUE(CompactRangeNodes(0).empty());
  std::vector<NodeId> six = CompactRangeNodes(6);
  ASSERT_EQ(six.size(), 2u);
  EXPECT_EQ(six[0], (NodeId{2, 0}));
  EXPECT_EQ(six[1], (NodeId{1, 2}));
  std::vector<NodeId> max = CompactRangeNodes(UINT64_MAX);
  EXPECT_EQ(max.size(), 64u);
  EXPECT_EQ(max.back(), (NodeId{0, UINT64_MAX - 1}));
}

TEST(CompactRange, RootMatchesReferenceForEverySizeUpTo300) {
  std::vector<Hash> leaves = LeafHashes(300);
  CompactRange range;
  EXPECT_EQ(range.Root(), EmptyRoot());
  for (size_t n = 1; n <= leaves.size(); ++n) {
    ASSERT_TRUE(range.Append(leaves[n - 1]).ok());
    ASSERT_EQ(range.Root(), testing::ReferenceRoot(std::span(leaves).first(n)))
        << "size " << n;
    ASSERT_EQ(range.hashes().size(), CompactRangeNodes(n).size());
  }
}

TEST(CompactRange, VisitorSeesEveryCompletedNodeOnce) {
  std::vector<Hash> leaves = LeafHashes(37);
  CompactRange range;
  std::vector<NodeId> seen;
  for (const Hash& h : leaves) {
    ASSERT_TRUE(
        range
            .Append(h,
                    [&](const NodeId& id, const Hash& hash) {
                      seen.push_back(id);
                      // Every reported hash is the MTH of the node's leaves.
                      EXPECT_EQ(
                          hash,
                          testing::ReferenceRoot(std::span(leaves).subspan(
                              id.begin(), id.end() - id.begin())));
                    })
            .ok());
  }
  // A tree of n leaves has n leaves plus one node per completed merge.
  size_t expected = 0;
  for (int level = 0; level < 6; ++level) expected += 37 >> level;
  EXPECT_EQ(seen.size(), expected);
}

TEST(CompactRange, CreateChecksHashCount) {
  std::vector<Hash> leaves = LeafHashes(11);
  CompactRange full;
  for (const Hash& h : leaves) ASSERT_TRUE(full.Append(h).ok());
  Result<CompactRange> copy = CompactRange::Create(11, full.hashes());
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->Root(), full.Root());
  EXPECT_EQ(CompactRange::Create(11, {}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(CompactRange::Create(12, full.hashes()).status().code(),
            Code::kInvalidArgument);
}

TEST(CompactRange, ResumedRangeKeepsAppending) {
  std::vector<Hash> leaves = LeafHashes(100, 7);
  CompactRange first;
  for (size_t i = 0; i < 45; ++i) ASSERT_TRUE(first.Append(leaves[i]).ok());
  Result<CompactRange> resumed = CompactRange::Create(45, first.hashes());
  ASSERT_TRUE(resumed.ok());
  for (size_t i = 45; i < 100; ++i)
    ASSERT_TRUE(resumed->Append(leaves[i]).ok());
  EXPECT_EQ(resumed->Root(), testing::ReferenceRoot(leaves));
}

}  // namespace
}  // namespace credstack::tlog
