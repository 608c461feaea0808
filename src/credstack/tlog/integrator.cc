#include "credstack/tlog/integrator.h"

#include <string>

namespace credstack::tlog {

Result<TileIntegrator> TileIntegrator::Resume(uint64_t tree_size,
                                              std::vector<Tile> partial_tiles) {
  const std::vector<TileId> want = PartialTiles(tree_size);
  if (partial_tiles.size() != want.size()) {
    return InvalidArgumentError(
        "integrator: tree size " + std::to_string(tree_size) + " has " +
        std::to_string(want.size()) + " partial tiles, got " +
        std::to_string(partial_tiles.size()));
  }
  TileIntegrator integrator;
  // The compact range of the tree is the compact range of each partial
  // tile's entries, top level first: bit b of tree_size lives in the
  // partial tile at level b / 8.
  std::vector<Hash> edge;
  for (size_t i = partial_tiles.size(); i-- > 0;) {
    Tile& tile = partial_tiles[i];
    if (!(tile.id == want[i])) {
      return InvalidArgumentError("integrator: expected partial tile " +
                                  TilePath(want[i]) + ", got " +
                                  TilePath(tile.id));
    }
    if (tile.hashes.size() != tile.id.width) {
      return DataLossError("integrator: tile " + TilePath(tile.id) + " has " +
                           std::to_string(tile.hashes.size()) + " hashes");
    }
    CompactRange local;
    for (const Hash& h : tile.hashes)
      CREDSTACK_RETURN_IF_ERROR(local.Append(h));
    edge.insert(edge.end(), local.hashes().begin(), local.hashes().end());
    integrator.partial_[tile.id.level] = std::move(tile.hashes);
  }
  CREDSTACK_ASSIGN_OR_RETURN(integrator.range_,
                             CompactRange::Create(tree_size, std::move(edge)));
  return integrator;
}

Result<TileIntegrator> TileIntegrator::Resume(uint64_t tree_size,
                                              TileReader& reader) {
  const std::vector<TileId> ids = PartialTiles(tree_size);
  std::vector<Tile> tiles;
  if (!ids.empty()) {
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<Bytes> data, reader.ReadTiles(ids));
    if (data.size() != ids.size()) {
      return InternalError("tile reader returned the wrong number of tiles");
    }
    for (size_t i = 0; i < ids.size(); ++i) {
      const size_t want = size_t{ids[i].width} * 32;
      if (data[i].size() < want) {
        return DataLossError("integrator: tile " + TilePath(ids[i]) +
                             " too short");
      }
      CREDSTACK_ASSIGN_OR_RETURN(
          std::vector<Hash> hashes,
          ParseTile(ByteView(data[i]).first(want), ids[i].width));
      tiles.push_back(Tile{ids[i], std::move(hashes)});
    }
  }
  return Resume(tree_size, std::move(tiles));
}

Result<IntegrateResult> TileIntegrator::Append(
    std::span<const Hash> leaf_hashes) {
  IntegrateResult result;
  result.old_size = range_.size();
  if (UINT64_MAX - range_.size() < leaf_hashes.size()) {
    return ResourceExhaustedError(
        "integrator: tree would exceed 2^64 - 1 leaves");
  }
  std::array<bool, 8> dirty{};
  // Full tiles completed by this batch, in completion order per level.
  std::array<std::vector<Tile>, 8> completed;
  // Entries of level-L tiles are the nodes at tree level 8L; a node lands in
  // its tile the moment the compact range completes it.
  auto visit = [&](const NodeId& node, const Hash& hash) {
    if (node.level % kTileHeight != 0) return;
    const int level = node.level / kTileHeight;
    std::vector<Hash>& entries = partial_[static_cast<size_t>(level)];
    entries.push_back(hash);
    dirty[static_cast<size_t>(level)] = true;
    if (entries.size() == kTileWidth) {
      completed[static_cast<size_t>(level)].push_back(
          Tile{TileId{static_cast<uint8_t>(level), node.index / kTileWidth,
                      kTileWidth},
               std::move(entries)});
      entries.clear();
    }
  };
  for (const Hash& leaf : leaf_hashes) {
    CREDSTACK_RETURN_IF_ERROR(range_.Append(leaf, visit));
  }
  result.new_size = range_.size();
  result.root = range_.Root();
  for (size_t level = 0; level < 8; ++level) {
    for (Tile& t : completed[level]) result.tiles.push_back(std::move(t));
    if (dirty[level] && !partial_[level].empty()) {
      const uint64_t entries = result.new_size >> (kTileHeight * level);
      result.tiles.push_back(
          Tile{TileId{static_cast<uint8_t>(level), entries / kTileWidth,
                      static_cast<uint16_t>(partial_[level].size())},
               partial_[level]});
    }
  }
  return result;
}

}  // namespace credstack::tlog
