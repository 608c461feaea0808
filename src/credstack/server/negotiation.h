#pragma once

// Proactive content negotiation (RFC 9110 §12.5.1, Accept with q-values).

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>

namespace credstack::server {

// Picks the offer (a "type/subtype" media type, lowercase) the client
// prefers. Each offer gets the q-value of the most specific matching range
// (type/subtype over type/* over */*); the highest q wins, ties go to the
// earlier offer. Returns nullopt when nothing is acceptable (answer 406).
// An absent or empty Accept header accepts the first offer. At most 64
// ranges are read; malformed ranges are skipped.
std::optional<size_t> NegotiateMediaType(
    std::string_view accept, std::span<const std::string_view> offers);

inline std::optional<size_t> NegotiateMediaType(
    std::string_view accept, std::initializer_list<std::string_view> offers) {
  return NegotiateMediaType(
      accept, std::span<const std::string_view>(offers.begin(), offers.size()));
}

// The media type of a Content-Type value, lowercased, without parameters
// ("application/json; charset=utf-8" → "application/json"). Writes into
// `buf` (at most buf.size() bytes are used) and returns a view of it.
std::string_view MediaTypeOf(std::string_view content_type,
                             std::span<char> buf);

}  // namespace credstack::server
