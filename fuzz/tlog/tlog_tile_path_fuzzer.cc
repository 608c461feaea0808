// Tile paths, entry-bundle paths and entry bundles: whatever parses must
// format back to the same bytes (the parsers accept canonical forms only).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "credstack/tlog/tiles.h"

using namespace credstack;
using namespace credstack::tlog;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (Result<TileId> id = ParseTilePath(text); id.ok()) {
    CREDSTACK_CHECK(TilePath(*id) == text);
    CREDSTACK_CHECK(id->width >= 1 && id->width <= kTileWidth &&
                    id->level <= kMaxTileLevel);
  }
  if (Result<EntryBundleId> id = ParseEntryBundlePath(text); id.ok()) {
    CREDSTACK_CHECK(EntryBundlePath(id->index, id->width) == text);
  }
  if (Result<std::vector<ByteView>> entries =
          ParseEntryBundle(ByteView(data, size));
      entries.ok()) {
    Result<Bytes> again = FormatEntryBundle(*entries);
    CREDSTACK_CHECK(again.ok());
    CREDSTACK_CHECK(*again == Bytes(data, data + size));
  }
  return 0;
}
