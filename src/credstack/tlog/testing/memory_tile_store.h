#pragma once

// An in-memory tile store for tests and benchmarks: keeps the latest
// version of every tile and serves it through the TileReader interface.

#include <cstdint>
#include <map>
#include <span>
#include <utility>
#include <vector>

#include "credstack/tlog/integrator.h"
#include "credstack/tlog/tiles.h"

namespace credstack::tlog::testing {

class MemoryTileStore final : public TileReader {
 public:
  // Stores (or widens) tiles, e.g. IntegrateResult::tiles.
  void Write(std::span<const Tile> tiles);
  // Returns the stored version of each tile; kNotFound if absent or
  // narrower than asked.
  Result<std::vector<Bytes>> ReadTiles(std::span<const TileId> ids) override;

  size_t tile_count() const { return tiles_.size(); }
  uint64_t reads() const { return reads_; }
  // Test hook: replaces the stored hash at (level, index, position).
  void Corrupt(uint8_t level, uint64_t index, size_t position);

 private:
  std::map<std::pair<uint8_t, uint64_t>, Bytes> tiles_;
  uint64_t reads_ = 0;
};

}  // namespace credstack::tlog::testing
