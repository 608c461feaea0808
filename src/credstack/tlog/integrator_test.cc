#include "credstack/tlog/integrator.h"

#include <gtest/gtest.h>

#include "credstack/base/rng.h"
#include "credstack/tlog/testing/memory_tile_store.h"
#include "credstack/tlog/testing/reference.h"

namespace credstack::tlog {
namespace {

using testing::MemoryTileStore;
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

std::vector<TileId> Ids(const std::vector<Tile>& tiles) {
  std::vector<TileId> ids;
  for (const Tile& t : tiles) ids.push_back(t.id);
  return ids;
}

TEST(TileIntegrator, BatchesYieldRootsAndChangedTiles) {
  std::vector<Hash> leaves = LeafHashes(70'000);
  TileIntegrator integrator;
  DeterministicRng rng(2);
  size_t done = 0;
  while (done < leaves.size()) {
    const size_t batch =
        std::min<size_t>(leaves.size() - done, 1 + rng.Uniform(3000));
    Result<IntegrateResult> r =
        integrator.Append(std::span(leaves).subspan(done, batch));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->old_size, done);
    done += batch;
    EXPECT_EQ(r->new_size, done);
    EXPECT_EQ(Ids(r->tiles), TilesBetween(r->old_size, r->new_size));
    for (const Tile& t : r->tiles) ASSERT_EQ(t.hashes.size(), t.id.width);
    if (rng.Uniform(8) == 0) {
      EXPECT_EQ(r->root, ReferenceRoot(std::span(leaves).first(done)));
    }
  }
  EXPECT_EQ(integrator.Root(), ReferenceRoot(leaves));
}

TEST(TileIntegrator, TileEntriesAreSubtreeHashes) {
  std::vector<Hash> leaves = LeafHashes(65'536 + 300);
  TileIntegrator integrator;
  Result<IntegrateResult> r = integrator.Append(leaves);
  ASSERT_TRUE(r.ok());
  for (const Tile& t : r->tiles) {
    const uint64_t span = uint64_t{1} << (8 * t.id.level);
    for (size_t i = 0; i < t.hashes.size(); i += 37) {
      const uint64_t begin = (t.id.index * 256 + i) * span;
      ASSERT_EQ(t.hashes[i],
                ReferenceRoot(std::span(leaves).subspan(begin, span)))
          << TilePath(t.id) << " entry " << i;
    }
  }
}

TEST(TileIntegrator, ResumesFromStoredPartialTiles) {
  std::vector<Hash> leaves = LeafHashes(20'000, 3);
  for (uint64_t cut : {0u, 1u, 255u, 256u, 257u, 65'535u % 20'000u, 12'345u}) {
    MemoryTileStore store;
    TileIntegrator first;
    Result<IntegrateResult> a = first.Append(std::span(leaves).first(cut));
    ASSERT_TRUE(a.ok());
    store.Write(a->tiles);
    Result<TileIntegrator> resumed = TileIntegrator::Resume(cut, store);
    ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
    EXPECT_EQ(resumed->Root(), first.Root());
    Result<IntegrateResult> b = resumed->Append(std::span(leaves).subspan(cut));
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b->root, ReferenceRoot(leaves)) << "cut at " << cut;
    EXPECT_EQ(Ids(b->tiles), TilesBetween(cut, leaves.size()));
  }
}

TEST(TileIntegrator, ResumeChecksItsInput) {
  std::vector<Hash> leaves = LeafHashes(300);
  TileIntegrator t;
  Result<IntegrateResult> r = t.Append(leaves);
  ASSERT_TRUE(r.ok());
  std::vector<Tile> partial;
  for (const Tile& tile : r->tiles) {
    if (tile.id.partial()) partial.push_back(tile);
  }
  ASSERT_EQ(partial.size(), 2u);
  EXPECT_TRUE(TileIntegrator::Resume(300, partial).ok());
  EXPECT_EQ(TileIntegrator::Resume(301, partial).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(TileIntegrator::Resume(300, {partial[0]}).status().code(),
            Code::kInvalidArgument);
  std::vector<Tile> short_tile = partial;
  short_tile[0].hashes.pop_back();
  EXPECT_EQ(TileIntegrator::Resume(300, short_tile).status().code(),
            Code::kDataLoss);
  MemoryTileStore empty;
  EXPECT_EQ(TileIntegrator::Resume(300, empty).status().code(),
            Code::kNotFound);
  EXPECT_TRUE(TileIntegrator::Resume(0, empty).ok());
}

}  // namespace
}  // namespace credstack::tlog
