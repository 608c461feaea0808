#pragma once

// data/demo/achievements.json compiled in (credstack_embed in
// app/CMakeLists.txt). Internal to app/.

#include <cstddef>

#include "credstack/base/embedded_file.h"

namespace credstack::app::internal {

extern const EmbeddedFile kDemoFiles[];
extern const size_t kDemoFilesCount;

}  // namespace credstack::app::internal
