#include "credstack/tlog/testing/memory_tile_store.h"

namespace credstack::tlog::testing {

void MemoryTileStore::Write(std::span<const Tile> tiles) {
  for (const Tile& t : tiles) {
    Bytes& slot = tiles_[{t.id.level, t.id.index}];
    Bytes data = FormatTile(t.hashes);
    if (data.size() >= slot.size()) slot = std::move(data);
  }
}

Result<std::vector<Bytes>> MemoryTileStore::ReadTiles(
    std::span<const TileId> ids) {
  std::vector<Bytes> out;
  out.reserve(ids.size());
  for (const TileId& id : ids) {
    ++reads_;
    auto it = tiles_.find({id.level, id.index});
    if (it == tiles_.end() || it->second.size() < size_t{id.width} * 32) {
      return NotFoundError("tile " + TilePath(id) + " not stored");
    }
    out.push_back(it->second);
  }
  return out;
}

void MemoryTileStore::Corrupt(uint8_t level, uint64_t index, size_t position) {
  Bytes& t = tiles_.at({level, index});
  t.at(position * 32) ^= 0x01;
}

}  // namespace credstack::tlog::testing
