#include "credstack/tlog/tiles.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace credstack::tlog {
namespace {

// x >> s that is defined (0) for s >= 64.
uint64_t Shr(uint64_t x, int s) { return s >= 64 ? 0 : x >> s; }

// Number of level-(8*level) nodes complete in a tree of tree_size leaves.
uint64_t EntriesAtLevel(uint8_t level, uint64_t tree_size) {
  return Shr(tree_size, kTileHeight * level);
}

// Largest tile index whose start index, index * 256^(level+1), fits in 64
// bits (tlog-tiles: tree sizes are uint64).
uint64_t MaxTileIndex(int level) {
  return Shr(UINT64_MAX, kTileHeight * (level + 1));
}

Status PathError(std::string_view path, std::string_view why) {
  return InvalidArgumentError("tile path \"" + std::string(path.substr(0, 80)) +
                              "\": " + std::string(why));
}

// Parses an unsigned decimal without leading zeros ("0" itself allowed).
bool ParseDecimal(std::string_view s, uint64_t max, uint64_t& out) {
  if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) return false;
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v > max) return false;
  out = v;
  return true;
}

bool IsThreeDigits(std::string_view s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) {
           return c >= '0' && c <= '9';
         });
}

std::string FormatIndex(uint64_t n) {
  std::vector<unsigned> groups;
  do {
    groups.push_back(static_cast<unsigned>(n % 1000));
    n /= 1000;
  } while (n > 0);
  std::string out;
  for (size_t i = groups.size(); i-- > 0;) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%s%03u", i > 0 ? "x" : "", groups[i]);
    out += buf;
    if (i > 0) out += '/';
  }
  return out;
}

struct IndexAndWidth {
  uint64_t index = 0;
  uint16_t width = kTileWidth;
};

// Parses "<N>[.p/<W>]" where N is "x001/x234/067"-style.
Result<IndexAndWidth> ParseIndexAndWidth(std::string_view full,
                                         std::string_view s,
                                         uint64_t max_index) {
  IndexAndWidth out;
  uint64_t n = 0;
  bool first = true;
  for (;;) {
    if (!s.empty() && s[0] == 'x') {
      // An inner group "xDDD/".
      if (s.size() < 5 || !IsThreeDigits(s.substr(1, 3)) || s[4] != '/') {
        return PathError(full, "bad index group");
      }
      unsigned g = static_cast<unsigned>((s[1] - '0') * 100 +
                                         (s[2] - '0') * 10 + (s[3] - '0'));
      if (first && g == 0)
        return PathError(full, "index has a leading x000 group");
      if (n > (UINT64_MAX - g) / 1000)
        return PathError(full, "index overflows");
      n = n * 1000 + g;
      s.remove_prefix(5);
      first = false;
      continue;
    }
    if (s.size() < 3 || !IsThreeDigits(s.substr(0, 3))) {
      return PathError(full, "bad final index group");
    }
    unsigned g = static_cast<unsigned>((s[0] - '0') * 100 + (s[1] - '0') * 10 +
                                       (s[2] - '0'));
    if (n > (UINT64_MAX - g) / 1000) return PathError(full, "index overflows");
    n = n * 1000 + g;
    s.remove_prefix(3);
    break;
  }
  if (n > max_index) return PathError(full, "start index beyond 2^64");
  out.index = n;
  if (s.empty()) return out;
  if (s.substr(0, 3) != ".p/") return PathError(full, "trailing characters");
  s.remove_prefix(3);
  uint64_t w = 0;
  if (!ParseDecimal(s, kTileWidth - 1, w) || w == 0) {
    return PathError(full, "partial width must be 1..255");
  }
  out.width = static_cast<uint16_t>(w);
  return out;
}

}  // namespace

std::optional<TileId> TileForTreeSize(uint8_t level, uint64_t index,
                                      uint64_t tree_size) {
  if (level > kMaxTileLevel) return std::nullopt;
  const uint64_t entries = EntriesAtLevel(level, tree_size);
  const uint64_t full_tiles = entries / kTileWidth;
  if (index < full_tiles) return TileId{level, index, kTileWidth};
  if (index == full_tiles && entries % kTileWidth != 0) {
    return TileId{level, index, static_cast<uint16_t>(entries % kTileWidth)};
  }
  return std::nullopt;
}

std::vector<TileId> TilesBetween(uint64_t old_size, uint64_t tree_size) {
  CREDSTACK_CHECK(old_size <= tree_size);
  std::vector<TileId> tiles;
  for (uint8_t level = 0; level * kTileHeight < 64; ++level) {
    const uint64_t old_entries = EntriesAtLevel(level, old_size);
    const uint64_t new_entries = EntriesAtLevel(level, tree_size);
    if (new_entries == old_entries) break;
    for (uint64_t i = old_entries / kTileWidth;
         i <= (new_entries - 1) / kTileWidth; ++i) {
      tiles.push_back(*TileForTreeSize(level, i, tree_size));
    }
  }
  return tiles;
}

std::vector<TileId> PartialTiles(uint64_t tree_size) {
  std::vector<TileId> tiles;
  for (uint8_t level = 0; level * kTileHeight < 64; ++level) {
    const uint64_t entries = EntriesAtLevel(level, tree_size);
    if (entries == 0) break;
    if (entries % kTileWidth != 0) {
      tiles.push_back(TileId{level, entries / kTileWidth,
                             static_cast<uint16_t>(entries % kTileWidth)});
    }
  }
  return tiles;
}

std::string TilePath(const TileId& id) {
  std::string path =
      "tile/" + std::to_string(id.level) + "/" + FormatIndex(id.index);
  if (id.partial()) path += ".p/" + std::to_string(id.width);
  return path;
}

Result<TileId> ParseTilePath(std::string_view path) {
  std::string_view s = path;
  if (s.substr(0, 5) != "tile/")
    return PathError(path, "must start with tile/");
  s.remove_prefix(5);
  size_t slash = s.find('/');
  if (slash == std::string_view::npos) return PathError(path, "missing index");
  uint64_t level = 0;
  if (!ParseDecimal(s.substr(0, slash), kMaxTileLevel, level)) {
    return PathError(path, "level must be 0..63 without leading zeros");
  }
  s.remove_prefix(slash + 1);
  CREDSTACK_ASSIGN_OR_RETURN(
      IndexAndWidth iw,
      ParseIndexAndWidth(path, s, MaxTileIndex(static_cast<int>(level))));
  return TileId{static_cast<uint8_t>(level), iw.index, iw.width};
}

std::string EntryBundlePath(uint64_t index, uint16_t width) {
  std::string path = "tile/entries/" + FormatIndex(index);
  if (width < kTileWidth) path += ".p/" + std::to_string(width);
  return path;
}

Result<EntryBundleId> ParseEntryBundlePath(std::string_view path) {
  std::string_view s = path;
  if (s.substr(0, 13) != "tile/entries/") {
    return PathError(path, "must start with tile/entries/");
  }
  s.remove_prefix(13);
  CREDSTACK_ASSIGN_OR_RETURN(IndexAndWidth iw,
                             ParseIndexAndWidth(path, s, MaxTileIndex(0)));
  return EntryBundleId{iw.index, iw.width};
}

Result<Bytes> FormatEntryBundle(std::span<const ByteView> entries) {
  if (entries.size() > kTileWidth) {
    return InvalidArgumentError("entry bundle: more than 256 entries");
  }
  Bytes out;
  for (ByteView e : entries) {
    if (e.size() > 0xFFFF) {
      return InvalidArgumentError("entry bundle: entry over 65535 bytes");
    }
    out.push_back(static_cast<uint8_t>(e.size() >> 8));
    out.push_back(static_cast<uint8_t>(e.size() & 0xFF));
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

Result<std::vector<ByteView>> ParseEntryBundle(ByteView bundle,
                                               size_t max_entries) {
  std::vector<ByteView> entries;
  size_t pos = 0;
  while (pos < bundle.size()) {
    if (entries.size() == max_entries) {
      return ResourceExhaustedError("entry bundle: more than " +
                                    std::to_string(max_entries) + " entries");
    }
    if (bundle.size() - pos < 2) {
      return InvalidArgumentError("entry bundle: truncated length prefix");
    }
    size_t len = (size_t{bundle[pos]} << 8) | bundle[pos + 1];
    pos += 2;
    if (bundle.size() - pos < len) {
      return InvalidArgumentError("entry bundle: truncated entry");
    }
    entries.push_back(bundle.subspan(pos, len));
    pos += len;
  }
  return entries;
}

Bytes FormatTile(std::span<const Hash> hashes) {
  Bytes out;
  out.reserve(hashes.size() * 32);
  for (const Hash& h : hashes) out.insert(out.end(), h.begin(), h.end());
  return out;
}

Result<std::vector<Hash>> ParseTile(ByteView data, uint16_t width) {
  if (width == 0 || width > kTileWidth || data.size() != size_t{width} * 32) {
    return DataLossError("tile: " + std::to_string(data.size()) +
                         " bytes for width " + std::to_string(width));
  }
  std::vector<Hash> hashes(width);
  for (size_t i = 0; i < width; ++i) {
    std::copy_n(data.begin() + static_cast<ptrdiff_t>(i * 32), 32,
                hashes[i].begin());
  }
  return hashes;
}

ExpandedTile ExpandTile(const TileId& id, std::vector<Hash> entries) {
  ExpandedTile tile;
  tile.id = id;
  tile.levels[0] = std::move(entries);
  for (int k = 1; k < kTileHeight; ++k) {
    const std::vector<Hash>& below = tile.levels[k - 1];
    std::vector<Hash>& level = tile.levels[k];
    level.reserve(below.size() / 2);
    for (size_t i = 0; i + 1 < below.size(); i += 2) {
      level.push_back(HashChildren(below[i], below[i + 1]));
    }
  }
  return tile;
}

std::shared_ptr<const ExpandedTile> ExpandedTileCache::Get(const TileId& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = map_.find(Key{id.level, id.index, id.width});
  if (it == map_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return *it->second;
}

void ExpandedTileCache::Put(std::shared_ptr<const ExpandedTile> tile) {
  if (capacity_ == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  Key key{tile->id.level, tile->id.index, tile->id.width};
  if (map_.count(key)) return;
  lru_.push_front(std::move(tile));
  map_[key] = lru_.begin();
  while (lru_.size() > capacity_) {
    const TileId& old = lru_.back()->id;
    map_.erase(Key{old.level, old.index, old.width});
    lru_.pop_back();
  }
}

Result<std::vector<Hash>> TileHashReader::ReadNodes(
    std::span<const NodeId> ids) {
  struct Where {
    size_t tile;  // index into `tiles`
    int sublevel;
    uint64_t pos;
  };
  std::vector<TileId> tile_ids;
  std::vector<Where> where;
  where.reserve(ids.size());
  for (const NodeId& id : ids) {
    if (id.level >= 64 || Shr(tree_size_, id.level) <= id.index) {
      return InvalidArgumentError(
          "tile reader: node (" + std::to_string(id.level) + ", " +
          std::to_string(id.index) + ") is not complete at tree size " +
          std::to_string(tree_size_));
    }
    const uint8_t tile_level = static_cast<uint8_t>(id.level / kTileHeight);
    const int sublevel = id.level % kTileHeight;
    const int per_tile_shift =
        kTileHeight - sublevel;  // nodes per tile: 2^this
    const uint64_t tile_index = id.index >> per_tile_shift;
    const uint64_t pos = id.index & ((uint64_t{1} << per_tile_shift) - 1);
    std::optional<TileId> tile =
        TileForTreeSize(tile_level, tile_index, tree_size_);
    CREDSTACK_CHECK(
        tile.has_value());  // the node is complete, so its tile exists
    size_t t = 0;
    while (t < tile_ids.size() && !(tile_ids[t] == *tile)) ++t;
    if (t == tile_ids.size()) tile_ids.push_back(*tile);
    where.push_back(Where{t, sublevel, pos});
  }

  std::vector<std::shared_ptr<const ExpandedTile>> expanded(tile_ids.size());
  std::vector<TileId> missing;
  std::vector<size_t> missing_slot;
  for (size_t t = 0; t < tile_ids.size(); ++t) {
    if (cache_ != nullptr) expanded[t] = cache_->Get(tile_ids[t]);
    if (expanded[t] == nullptr) {
      missing.push_back(tile_ids[t]);
      missing_slot.push_back(t);
    }
  }
  if (!missing.empty()) {
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<Bytes> data,
                               tiles_.ReadTiles(missing));
    if (data.size() != missing.size()) {
      return InternalError("tile reader returned the wrong number of tiles");
    }
    for (size_t m = 0; m < missing.size(); ++m) {
      const size_t want = size_t{missing[m].width} * 32;
      const Bytes& d = data[m];
      if (d.size() < want || d.size() % 32 != 0 || d.size() > kTileWidth * 32) {
        return DataLossError("tile " + TilePath(missing[m]) +
                             ": stored tile has " + std::to_string(d.size()) +
                             " bytes");
      }
      CREDSTACK_ASSIGN_OR_RETURN(
          std::vector<Hash> entries,
          ParseTile(ByteView(d).first(want), missing[m].width));
      auto tile = std::make_shared<const ExpandedTile>(
          ExpandTile(missing[m], std::move(entries)));
      if (cache_ != nullptr) cache_->Put(tile);
      expanded[missing_slot[m]] = std::move(tile);
    }
  }

  std::vector<Hash> out;
  out.reserve(ids.size());
  for (const Where& w : where) {
    const std::vector<Hash>& level = expanded[w.tile]->levels[w.sublevel];
    CREDSTACK_CHECK(w.pos < level.size());
    out.push_back(level[w.pos]);
  }
  return out;
}

}  // namespace credstack::tlog
