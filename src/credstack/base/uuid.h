#pragma once

#include <string>

#include "credstack/base/rng.h"

namespace credstack {

// A random (version 4, RFC 9562 §5.4) UUID in lowercase 8-4-4-4-12 form.
std::string NewUuidV4(Rng& rng);

// True for a lowercase or uppercase 8-4-4-4-12 hex UUID string.
bool IsUuid(std::string_view s);

}  // namespace credstack
