#pragma once

// UTF-8 helpers shared by the JSON, JSON-LD and N-Quads code.

#include <cstdint>
#include <string>
#include <string_view>

namespace credstack {

// True when s is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Appends the UTF-8 encoding of code point cp (caller guarantees validity).
void AppendUtf8(uint32_t cp, std::string& out);

// Decodes the code point starting at s[i] (s must be valid UTF-8) and
// advances i past it.
uint32_t NextCodePoint(std::string_view s, size_t& i);

// Compares two valid UTF-8 strings by UTF-16 code units (the order
// ECMAScript's sort and RFC 8785 use), returning <0, 0 or >0.
int CompareUtf16(std::string_view a, std::string_view b);

}  // namespace credstack
