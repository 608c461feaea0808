#pragma once

// Demo data compiled into the binary (generated table; key "esco-demo":
// data/demo/esco-demo.json, a curated ESCO v1.1.1 subset).

#include <cstddef>

#include "credstack/base/embedded_file.h"

namespace credstack::app::internal {

extern const EmbeddedFile kEmbeddedDemo[];
extern const size_t kEmbeddedDemoCount;

}  // namespace credstack::app::internal
