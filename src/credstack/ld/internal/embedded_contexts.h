#pragma once

// The context documents compiled into the binary (generated table).

#include <cstddef>
#include <string_view>

namespace credstack::ld::internal {

struct EmbeddedContext {
  std::string_view url;
  std::string_view file;  // path under data/contexts/
  std::string_view body;  // the JSON text
};

extern const EmbeddedContext kEmbeddedContexts[];
extern const size_t kEmbeddedContextCount;

}  // namespace credstack::ld::internal
