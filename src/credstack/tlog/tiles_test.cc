#include "credstack/tlog/tiles.h"

#include <gtest/gtest.h>

#include "credstack/base/rng.h"

namespace credstack::tlog {
namespace {

TEST(TilePath, SpecExamples) {
  EXPECT_EQ(TilePath({0, 1234067, 256}), "tile/0/x001/x234/067");
  EXPECT_EQ(TilePath({0, 1234067, 8}), "tile/0/x001/x234/067.p/8");
  EXPECT_EQ(TilePath({3, 0, 256}), "tile/3/000");
  EXPECT_EQ(TilePath({1, 1000, 17}), "tile/1/x001/000.p/17");
  EXPECT_EQ(EntryBundlePath(1234067), "tile/entries/x001/x234/067");
  EXPECT_EQ(EntryBundlePath(5, 255), "tile/entries/005.p/255");
}

TEST(ParseTilePath, RoundTripsRandomTiles) {
  DeterministicRng rng(11);
  for (int i = 0; i < 2000; ++i) {
    TileId id;
    id.level = static_cast<uint8_t>(rng.Uniform(8));
    const int shift = 8 * (id.level + 1);
    const uint64_t max = shift >= 64 ? 0 : UINT64_MAX >> shift;
    id.index = max == 0 ? 0 : rng.NextU64() % (max + 1) >> rng.Uniform(57);
    id.width = static_cast<uint16_t>(1 + rng.Uniform(256));
    const std::string path = TilePath(id);
    Result<TileId> parsed = ParseTilePath(path);
    ASSERT_TRUE(parsed.ok()) << path << ": " << parsed.status().ToString();
    EXPECT_EQ(*parsed, id) << path;
  }
}

TEST(ParseTilePath, AcceptsTheLargestIndexes) {
  // (2^64 - 1) >> 8 = 72057594037927935.
  Result<TileId> max = ParseTilePath("tile/0/x072/x057/x594/x037/x927/935");
  ASSERT_TRUE(max.ok()) << max.status().ToString();
  EXPECT_EQ(max->index, UINT64_MAX >> 8);
  EXPECT_FALSE(ParseTilePath("tile/0/x072/x057/x594/x037/x927/936").ok());
  EXPECT_TRUE(ParseTilePath("tile/7/000.p/255").ok());
  EXPECT_FALSE(ParseTilePath("tile/7/001").ok());
  EXPECT_TRUE(ParseTilePath("tile/63/000").ok());
}

TEST(ParseTilePath, RejectsNonCanonicalPaths) {
  for (const char* bad : {"",
                          "tile/",
                          "tile/0",
                          "tile/0/",
                          "/tile/0/000",
                          "tiles/0/000",
                          "tile/00/000",
                          "tile/01/000",
                          "tile/64/000",
                          "tile/-1/000",
                          "tile/a/000",
                          "tile/0/1",
                          "tile/0/01",
                          "tile/0/0001",
                          "tile/0/x000/001",
                          "tile/0/x001",
                          "tile/0/x001/",
                          "tile/0/X001/000",
                          "tile/0/x01/000",
                          "tile/0/001/",
                          "tile/0/001.p",
                          "tile/0/001.p/",
                          "tile/0/001.p/0",
                          "tile/0/001.p/256",
                          "tile/0/001.p/08",
                          "tile/0/001.p/8/",
                          "tile/0/001.q/8",
                          "tile/0/001 ",
                          "tile/0/+01",
                          "tile/0/x001/x002/x003/x004/x005/x006/x007/008",
                          "tile/entries/000",
                          "tile/0/000.p/1.p/1"}) {
    EXPECT_FALSE(ParseTilePath(bad).ok()) << "accepted \"" << bad << "\"";
  }
}

TEST(ParseEntryBundlePath, ParsesAndRejects) {
  Result<EntryBundleId> id =
      ParseEntryBundlePath("tile/entries/x001/x234/067.p/8");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->index, 1234067u);
  EXPECT_EQ(id->width, 8);
  EXPECT_FALSE(ParseEntryBundlePath("tile/0/000").ok());
  EXPECT_FALSE(ParseEntryBundlePath("tile/entries/x000/000").ok());
  EXPECT_FALSE(ParseEntryBundlePath("tile/entries/000.p/256").ok());
}

TEST(TilesBetween, SpecExampleOf70000Leaves) {
  // tlog-tiles: 273 full level-0 tiles, a partial one of width 112, one full
  // level-1 tile, a partial one of width 17 and a level-2 tile of width 1.
  std::vector<TileId> tiles = TilesBetween(0, 70'000);
  size_t full0 = 0, full1 = 0;
  std::vector<TileId> partial;
  for (const TileId& t : tiles) {
    if (t.partial()) {
      partial.push_back(t);
    } else if (t.level == 0) {
      ++full0;
    } else if (t.level == 1) {
      ++full1;
    }
  }
  EXPECT_EQ(full0, 273u);
  EXPECT_EQ(full1, 1u);
  ASSERT_EQ(partial.size(), 3u);
  EXPECT_EQ(partial[0], (TileId{0, 273, 112}));
  EXPECT_EQ(partial[1], (TileId{1, 1, 17}));
  EXPECT_EQ(partial[2], (TileId{2, 0, 1}));
  EXPECT_EQ(PartialTiles(70'000), partial);
}

TEST(TilesBetween, SizeOf256) {
  std::vector<TileId> tiles = TilesBetween(0, 256);
  ASSERT_EQ(tiles.size(), 2u);
  EXPECT_EQ(tiles[0], (TileId{0, 0, 256}));
  EXPECT_EQ(tiles[1], (TileId{1, 0, 1}));
}

TEST(TilesBetween, OnlyChangedTiles) {
  EXPECT_TRUE(TilesBetween(10, 10).empty());
  std::vector<TileId> tiles = TilesBetween(250, 260);
  ASSERT_EQ(tiles.size(), 3u);
  EXPECT_EQ(tiles[0], (TileId{0, 0, 256}));
  EXPECT_EQ(tiles[1], (TileId{0, 1, 4}));
  EXPECT_EQ(tiles[2], (TileId{1, 0, 1}));
}

TEST(TileForTreeSize, FullPartialAbsent) {
  EXPECT_EQ(TileForTreeSize(0, 0, 300), (TileId{0, 0, 256}));
  EXPECT_EQ(TileForTreeSize(0, 1, 300), (TileId{0, 1, 44}));
  EXPECT_EQ(TileForTreeSize(0, 2, 300), std::nullopt);
  EXPECT_EQ(TileForTreeSize(1, 0, 300), (TileId{1, 0, 1}));
  EXPECT_EQ(TileForTreeSize(1, 0, 255), std::nullopt);
  EXPECT_EQ(TileForTreeSize(9, 0, UINT64_MAX), std::nullopt);
}

TEST(EntryBundle, RoundTrip) {
  std::vector<std::string> entries = {"", "a", std::string(300, 'x'),
                                      std::string(65535, 'y')};
  std::vector<ByteView> views;
  for (const auto& e : entries) views.push_back(AsBytes(e));
  Result<Bytes> bundle = FormatEntryBundle(views);
  ASSERT_TRUE(bundle.ok());
  EXPECT_EQ((*bundle)[0], 0);
  EXPECT_EQ((*bundle)[1], 0);
  EXPECT_EQ((*bundle)[2], 0);
  EXPECT_EQ((*bundle)[3], 1);
  Result<std::vector<ByteView>> parsed = ParseEntryBundle(*bundle);
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), entries.size());
  for (size_t i = 0; i < entries.size(); ++i)
    EXPECT_EQ(AsChars((*parsed)[i]), entries[i]);
}

TEST(EntryBundle, RejectsBadInput) {
  std::string big(65536, 'z');
  std::vector<ByteView> one = {AsBytes(big)};
  EXPECT_EQ(FormatEntryBundle(one).status().code(), Code::kInvalidArgument);
  std::vector<ByteView> many(257, ByteView());
  EXPECT_EQ(FormatEntryBundle(many).status().code(), Code::kInvalidArgument);
  const Bytes truncated = {0x00, 0x05, 'a', 'b'};
  EXPECT_EQ(ParseEntryBundle(truncated).status().code(),
            Code::kInvalidArgument);
  const Bytes half_prefix = {0x00, 0x01, 'a', 0x00};
  EXPECT_EQ(ParseEntryBundle(half_prefix).status().code(),
            Code::kInvalidArgument);
  Bytes too_many(2 * 257, 0);  // 257 empty entries
  EXPECT_EQ(ParseEntryBundle(too_many).status().code(),
            Code::kResourceExhausted);
  EXPECT_TRUE(ParseEntryBundle(ByteView()).ok());
}

TEST(ParseTile, ChecksSize) {
  Bytes data(64, 1);
  EXPECT_TRUE(ParseTile(data, 2).ok());
  EXPECT_EQ(ParseTile(data, 3).status().code(), Code::kDataLoss);
  EXPECT_EQ(ParseTile(data, 0).status().code(), Code::kDataLoss);
}

TEST(ExpandTile, InteriorLevels) {
  std::vector<Hash> entries(6);
  for (size_t i = 0; i < entries.size(); ++i)
    entries[i][0] = static_cast<uint8_t>(i);
  ExpandedTile t = ExpandTile({0, 0, 6}, entries);
  EXPECT_EQ(t.levels[1].size(), 3u);
  EXPECT_EQ(t.levels[2].size(), 1u);
  EXPECT_EQ(t.levels[3].size(), 0u);
  EXPECT_EQ(t.levels[2][0], HashChildren(HashChildren(entries[0], entries[1]),
                                         HashChildren(entries[2], entries[3])));
}

}  // namespace
}  // namespace credstack::tlog
