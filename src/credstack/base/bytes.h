#pragma once

// Byte strings and the text encodings credentials use: hex, base64 (RFC 4648
// §4), base64url without padding (§5), base58btc (Bitcoin alphabet),
// multibase prefixes and unsigned-varint multicodec headers.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/base/status.h"

namespace credstack {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view AsChars(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// Lowercase hex.
std::string HexEncode(ByteView data);
// Accepts upper and lower case; fails on odd length or a non-hex digit.
Result<Bytes> HexDecode(std::string_view hex);

// RFC 4648 §4 with '=' padding.
std::string Base64Encode(ByteView data);
// Strict: requires canonical padding, rejects whitespace and stray bits.
Result<Bytes> Base64Decode(std::string_view text);

// RFC 4648 §5 without padding.
std::string Base64UrlEncode(ByteView data);
// Strict: no padding, no whitespace, no stray bits.
Result<Bytes> Base64UrlDecode(std::string_view text);

std::string Base58BtcEncode(ByteView data);
// Fails on a character outside the Bitcoin alphabet. Input is bounded by
// max_len characters (the quadratic algorithm stays cheap).
Result<Bytes> Base58BtcDecode(std::string_view text, size_t max_len = 4096);

// Multibase (draft-multiformats-multibase): 'z' base58btc, 'u' base64url.
enum class Multibase { kBase58Btc, kBase64Url };
std::string MultibaseEncode(Multibase base, ByteView data);
Result<Bytes> MultibaseDecode(std::string_view text);

// Multicodec header: the code as an unsigned varint, then the payload.
Bytes MulticodecWrap(uint64_t code, ByteView payload);
struct Multicodec {
  uint64_t code = 0;
  Bytes payload;
};
Result<Multicodec> MulticodecUnwrap(ByteView data);

// Constant-time equality for secrets and MACs.
bool ConstantTimeEquals(ByteView a, ByteView b);

}  // namespace credstack
