#pragma once

// C2SP tlog-tiles (https://c2sp.org/tlog-tiles): tile coordinates, the
// `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]` paths, entry
// bundles, and a HashReader that serves proof nodes from tiles. Byte formats:
// docs/formats/tiles.md.
//
// A tile at level L, index N holds up to 256 consecutive hashes of nodes at
// tree level 8*L: entry i is node (8*L, N*256 + i). Tiles above level 0 hold
// only hashes of *full* tiles below; partial tiles are never hashed upward.

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "credstack/base/bytes.h"
#include "credstack/base/status.h"
#include "credstack/tlog/merkle.h"
#include "credstack/tlog/proof.h"

namespace credstack::tlog {

inline constexpr int kTileHeight = 8;
inline constexpr uint32_t kTileWidth = 256;  // hashes in a full tile
inline constexpr int kMaxTileLevel = 63;     // tlog-tiles: L in 0..63

struct TileId {
  uint8_t level = 0;
  uint64_t index = 0;
  // 1..256; 256 is a full tile, anything less a partial tile.
  uint16_t width = kTileWidth;

  bool partial() const { return width < kTileWidth; }
  friend bool operator==(const TileId&, const TileId&) = default;
};

// The tile at `level`, `index` as it stands in a tree of `tree_size`
// leaves: full, partial, or absent (std::nullopt) when it has no entries.
std::optional<TileId> TileForTreeSize(uint8_t level, uint64_t index,
                                      uint64_t tree_size);

// Every tile (full or partial) a tree of `tree_size` leaves consists of that
// are new or changed relative to a tree of `old_size` leaves, level by level.
// For old_size == 0 that is the whole tree. Requires old_size <= tree_size.
std::vector<TileId> TilesBetween(uint64_t old_size, uint64_t tree_size);

// The partial tiles of a tree (at most one per level), bottom up.
std::vector<TileId> PartialTiles(uint64_t tree_size);

// "tile/<L>/<N>[.p/<W>]", with N as "x001/x234/067" groups.
std::string TilePath(const TileId& id);
// Strict inverse of TilePath: canonical encodings only (no extra leading
// x000 groups, no leading zeros in L or W, W in 1..255 only after ".p/",
// start index within 2^64). kInvalidArgument otherwise.
Result<TileId> ParseTilePath(std::string_view path);

// Entry bundles hold the leaf data of the level-0 tile with the same
// index and width.
std::string EntryBundlePath(uint64_t index, uint16_t width = kTileWidth);
struct EntryBundleId {
  uint64_t index = 0;
  uint16_t width = kTileWidth;
  friend bool operator==(const EntryBundleId&, const EntryBundleId&) = default;
};
Result<EntryBundleId> ParseEntryBundlePath(std::string_view path);

// An entry bundle: each entry as a big-endian uint16 length then its bytes.
// Fails with kInvalidArgument for an entry over 65535 bytes or more than 256
// entries.
Result<Bytes> FormatEntryBundle(std::span<const ByteView> entries);
// Splits a bundle; views point into `bundle`. Fails with kInvalidArgument on
// a truncated entry, kResourceExhausted on more than max_entries entries.
Result<std::vector<ByteView>> ParseEntryBundle(ByteView bundle,
                                               size_t max_entries = kTileWidth);

// Tile bytes (width * 32) <-> hashes. ParseTile fails with kDataLoss when
// the size is not width * 32 (a stored tile may be wider than asked: pass
// the stored width).
Bytes FormatTile(std::span<const Hash> hashes);
Result<std::vector<Hash>> ParseTile(ByteView data, uint16_t width);

// Source of stored tiles (database rows, files, HTTP).
class TileReader {
 public:
  virtual ~TileReader() = default;
  // Returns the bytes of each tile, in order. A reader may return a wider
  // version of a partial tile (tiles only ever grow on the right, so its
  // prefix is the asked-for tile); never a narrower one.
  virtual Result<std::vector<Bytes>> ReadTiles(std::span<const TileId> ids) = 0;
};

// A tile with the hashes of all levels inside it: level 0 is the tile's
// entries, level k holds the nodes 2^k entries wide.
struct ExpandedTile {
  TileId id;
  std::array<std::vector<Hash>, kTileHeight> levels;
};
// Hashes the interior of a tile (at most 255 node hashes).
ExpandedTile ExpandTile(const TileId& id, std::vector<Hash> entries);

// An LRU cache of expanded tiles shared between readers. Thread-safe.
// Tiles are immutable per (level, index, width), so entries never go stale.
class ExpandedTileCache {
 public:
  explicit ExpandedTileCache(size_t capacity_tiles = 1024)
      : capacity_(capacity_tiles) {}
  std::shared_ptr<const ExpandedTile> Get(const TileId& id);
  void Put(std::shared_ptr<const ExpandedTile> tile);

 private:
  struct Key {
    uint8_t level;
    uint64_t index;
    uint16_t width;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<uint64_t>()(k.index * 131 + k.level * 7 + k.width);
    }
  };
  using Lru = std::list<std::shared_ptr<const ExpandedTile>>;
  size_t capacity_;
  std::mutex mu_;
  Lru lru_;  // front is most recent
  std::unordered_map<Key, Lru::iterator, KeyHash> map_;
};

// Serves node hashes from the tiles of a tree of `tree_size` leaves: each
// node is read from the one tile that holds it, so a proof costs one tile
// read per tile level (O(log n / 8)) plus at most 255 hashes per tile to
// expand it. Works for any node that is complete in trees up to tree_size,
// so proofs for earlier tree sizes work too. Not thread-safe itself (the
// cache is).
class TileHashReader final : public HashReader {
 public:
  TileHashReader(TileReader& tiles, uint64_t tree_size,
                 ExpandedTileCache* cache = nullptr)
      : tiles_(tiles), tree_size_(tree_size), cache_(cache) {}

  // kInvalidArgument for a node not complete at tree_size; kDataLoss for a
  // tile of the wrong size; the TileReader's errors otherwise.
  Result<std::vector<Hash>> ReadNodes(std::span<const NodeId> ids) override;

 private:
  TileReader& tiles_;
  uint64_t tree_size_;
  ExpandedTileCache* cache_;
};

}  // namespace credstack::tlog
