#pragma once

// JSON Schemas compiled into the binary (generated table; keys are the
// schema names: achievementcredential, endorsementcredential, profile).

#include <cstddef>

#include "credstack/base/embedded_file.h"

namespace credstack::vc::internal {

extern const EmbeddedFile kEmbeddedSchemas[];
extern const size_t kEmbeddedSchemasCount;

}  // namespace credstack::vc::internal
