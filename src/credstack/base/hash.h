#pragma once

// A fast, unseeded 64-bit hash of a byte string for in-memory hash tables
// on hot paths (JSON-LD term lookup, RDF term interning): eight bytes per
// multiply instead of std::hash's byte-oriented mixing. Not for anything
// an attacker's collisions could hurt beyond what the callers' size limits
// already bound, and never for anything persisted.

#include <cstdint>
#include <cstring>
#include <string_view>

namespace credstack {

inline uint64_t FastHash(std::string_view s) {
  constexpr uint64_t kMul1 = 0xbf58476d1ce4e5b9ull;
  constexpr uint64_t kMul2 = 0x94d049bb133111ebull;
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * kMul2);
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * kMul1;
    h ^= h >> 31;
  }
  if (n > 0) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * kMul1;
  }
  h = (h ^ (h >> 29)) * kMul2;
  return h ^ (h >> 32);
}

}  // namespace credstack
