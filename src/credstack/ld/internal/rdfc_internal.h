#pragma once

// Internals of rdfc.cc shared with its tests only.

#include <string_view>

#include "credstack/ld/rdfc.h"

namespace credstack::ld::internal {

// Compares two valid UTF-8 strings by code point (= byte) order or by UTF-16
// code unit order (what JavaScript's sort uses), returning <0, 0 or >0.
// Both run at memcmp speed up to the first differing byte.
int CompareStrings(std::string_view a, std::string_view b, QuadOrder order);

}  // namespace credstack::ld::internal
