#pragma once

// A data file compiled into the binary (see credstack_embed() in
// cmake/credstack.cmake): pinned JSON-LD contexts, JSON Schemas, SQL
// migrations, web assets.

#include <string_view>

namespace credstack {

struct EmbeddedFile {
  std::string_view key;   // lookup key, e.g. a context URL or a path
  std::string_view file;  // source file name
  std::string_view body;  // the bytes
};

}  // namespace credstack
