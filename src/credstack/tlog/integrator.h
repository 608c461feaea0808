#pragma once

// Integrates sequenced leaf hashes into the tree: keeps the compact range
// and the partial tile of every level, and for each batch yields the new
// root and every tile (full or partial) that the batch created or grew.
// What the log's integrator loop needs: load the partial tiles once, then
// Append() batch after batch and persist the returned tiles with the
// checkpoint. Formats: docs/formats/tiles.md.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/tlog/merkle.h"
#include "credstack/tlog/tiles.h"

namespace credstack::tlog {

struct Tile {
  TileId id;
  std::vector<Hash> hashes;  // id.width of them
};

struct IntegrateResult {
  uint64_t old_size = 0;
  uint64_t new_size = 0;
  Hash root{};
  // Tiles created or grown by the batch, bottom level first, left to right:
  // exactly TilesBetween(old_size, new_size).
  std::vector<Tile> tiles;
};

class TileIntegrator {
 public:
  // An empty tree.
  TileIntegrator() = default;

  // Resumes at tree_size from its partial tiles (PartialTiles(tree_size),
  // read from storage). Fails with kInvalidArgument if the set does not
  // match, kDataLoss if a tile has the wrong number of hashes.
  static Result<TileIntegrator> Resume(uint64_t tree_size,
                                       std::vector<Tile> partial_tiles);
  // Same, reading the partial tiles through `reader` (one batch).
  static Result<TileIntegrator> Resume(uint64_t tree_size, TileReader& reader);

  // Appends a batch of leaf hashes (RFC 9162 §2.1.1 leaf hashes, i.e.
  // HashLeaf(entry)). Costs about one SHA-256 per leaf plus the root.
  // Fails with kResourceExhausted if the tree would exceed 2^64 - 1 leaves.
  Result<IntegrateResult> Append(std::span<const Hash> leaf_hashes);

  uint64_t size() const { return range_.size(); }
  Hash Root() const { return range_.Root(); }
  const CompactRange& range() const { return range_; }

 private:
  CompactRange range_;
  // partial_[L]: the entries of the rightmost, not yet full tile at level L.
  std::array<std::vector<Hash>, 8> partial_;
};

}  // namespace credstack::tlog
