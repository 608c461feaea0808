#pragma once

// The context documents compiled into the binary (generated table; keys are
// the context URLs).

#include <cstddef>

#include "credstack/base/embedded_file.h"

namespace credstack::ld::internal {

extern const EmbeddedFile kEmbeddedContexts[];
extern const size_t kEmbeddedContextsCount;

}  // namespace credstack::ld::internal
