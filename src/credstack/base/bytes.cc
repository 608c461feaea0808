#include "credstack/base/bytes.h"

#include <array>

namespace credstack {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kB64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kB64Url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kB58[] =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

using DecodeTable = std::array<int8_t, 256>;

constexpr DecodeTable MakeTable(const char* alphabet, int n) {
  DecodeTable t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < n; ++i) t[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  return t;
}
constexpr DecodeTable kB64Table = MakeTable(kB64, 64);
constexpr DecodeTable kB64UrlTable = MakeTable(kB64Url, 64);
constexpr DecodeTable kB58Table = MakeTable(kB58, 58);

std::string Base64EncodeWith(ByteView data, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  size_t rest = data.size() - i;
  if (rest == 1) {
    uint32_t v = data[i] << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (pad) out += "==";
  } else if (rest == 2) {
    uint32_t v = (data[i] << 16) | (data[i + 1] << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    if (pad) out += '=';
  }
  return out;
}

Result<Bytes> Base64DecodeWith(std::string_view text, const DecodeTable& table,
                               bool padded, const char* what) {
  if (padded) {
    if (text.size() % 4 != 0) {
      return InvalidArgumentError(std::string(what) + ": length is not a multiple of 4");
    }
    size_t pad = 0;
    while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
    text.remove_suffix(pad);
  }
  if (text.size() % 4 == 1) {
    return InvalidArgumentError(std::string(what) + ": truncated input");
  }
  Bytes out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = table[static_cast<uint8_t>(c)];
    if (v < 0) return InvalidArgumentError(std::string(what) + ": invalid character");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>((acc >> bits) & 0xff));
    }
  }
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
    return InvalidArgumentError(std::string(what) + ": non-zero trailing bits");
  }
  return out;
}

}  // namespace

std::string HexEncode(ByteView data) {
  std::string out;
  out.resize(data.size() * 2);
  for (size_t i = 0; i < data.size(); ++i) {
    out[2 * i] = kHexDigits[data[i] >> 4];
    out[2 * i + 1] = kHexDigits[data[i] & 15];
  }
  return out;
}

Result<Bytes> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return InvalidArgumentError("hex: odd length");
  Bytes out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = HexValue(hex[2 * i]);
    int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return InvalidArgumentError("hex: invalid digit");
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string Base64Encode(ByteView data) { return Base64EncodeWith(data, kB64, true); }
Result<Bytes> Base64Decode(std::string_view text) {
  return Base64DecodeWith(text, kB64Table, true, "base64");
}
std::string Base64UrlEncode(ByteView data) { return Base64EncodeWith(data, kB64Url, false); }
Result<Bytes> Base64UrlDecode(std::string_view text) {
  return Base64DecodeWith(text, kB64UrlTable, false, "base64url");
}

// Base58 (draft-msporny-base58): a big-number base conversion. Limbs of
// 58^5 (encode) or 2^32 (decode) absorb several input symbols per pass, so
// a 64-byte signature takes ~20 passes over ~20 limbs instead of 64 x 88
// single-digit steps.
constexpr uint64_t kB58Pow5 = 656'356'768;  // 58^5 < 2^30

std::string Base58BtcEncode(ByteView data) {
  size_t zeros = 0;
  while (zeros < data.size() && data[zeros] == 0) ++zeros;
  std::vector<uint32_t> limbs;  // base 58^5, least significant first
  limbs.reserve((data.size() - zeros) * 138 / 500 + 2);
  for (size_t i = zeros; i < data.size();) {
    uint64_t carry = 0;
    uint64_t mul = 1;
    for (size_t k = 0; k < 3 && i < data.size(); ++k, ++i) {
      carry = (carry << 8) | data[i];
      mul <<= 8;
    }
    for (uint32_t& l : limbs) {  // l * 2^24 + carry < 2^55
      uint64_t v = l * mul + carry;
      l = static_cast<uint32_t>(v % kB58Pow5);
      carry = v / kB58Pow5;
    }
    for (; carry != 0; carry /= kB58Pow5) {
      limbs.push_back(static_cast<uint32_t>(carry % kB58Pow5));
    }
  }
  std::string out(zeros, '1');
  out.reserve(zeros + limbs.size() * 5);
  for (size_t i = limbs.size(); i-- > 0;) {
    char digits[5];
    uint32_t l = limbs[i];
    for (int d = 4; d >= 0; --d, l /= 58) digits[d] = kB58[l % 58];
    int first = 0;  // the most significant limb has no leading '1's
    if (i + 1 == limbs.size()) {
      while (first < 4 && digits[first] == kB58[0]) ++first;
    }
    out.append(digits + first, digits + 5);
  }
  return out;
}

Result<Bytes> Base58BtcDecode(std::string_view text, size_t max_len) {
  if (text.size() > max_len) return ResourceExhaustedError("base58btc: input too long");
  size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == '1') ++zeros;
  std::vector<uint32_t> limbs;  // base 2^32, least significant first
  limbs.reserve((text.size() - zeros) * 733 / 4000 + 2);
  for (size_t i = zeros; i < text.size();) {
    uint64_t carry = 0;
    uint64_t mul = 1;
    for (size_t k = 0; k < 5 && i < text.size(); ++k, ++i) {
      int v = kB58Table[static_cast<uint8_t>(text[i])];
      if (v < 0) return InvalidArgumentError("base58btc: invalid character");
      carry = carry * 58 + static_cast<uint64_t>(v);
      mul *= 58;
    }
    for (uint32_t& l : limbs) {  // l * 58^5 + carry < 2^63
      uint64_t v = l * mul + carry;
      l = static_cast<uint32_t>(v);
      carry = v >> 32;
    }
    for (; carry != 0; carry >>= 32) limbs.push_back(static_cast<uint32_t>(carry));
  }
  Bytes out(zeros, 0);
  out.reserve(zeros + limbs.size() * 4);
  for (size_t i = limbs.size(); i-- > 0;) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      uint8_t byte = static_cast<uint8_t>(limbs[i] >> shift);
      // The most significant limb has no leading zero bytes.
      if (i + 1 == limbs.size() && out.size() == zeros && byte == 0) continue;
      out.push_back(byte);
    }
  }
  return out;
}

std::string MultibaseEncode(Multibase base, ByteView data) {
  // Built by append: GCC 12 warns (-Wrestrict, a false positive) on
  // "z" + std::string.
  std::string out(1, base == Multibase::kBase58Btc ? 'z' : 'u');
  out += base == Multibase::kBase58Btc ? Base58BtcEncode(data) : Base64UrlEncode(data);
  return out;
}

Result<Bytes> MultibaseDecode(std::string_view text) {
  if (text.empty()) return InvalidArgumentError("multibase: empty value");
  switch (text[0]) {
    case 'z': return Base58BtcDecode(text.substr(1));
    case 'u': return Base64UrlDecode(text.substr(1));
    default:
      return InvalidArgumentError(std::string("multibase: unsupported prefix '") +
                                  text[0] + "' (expected 'z' or 'u')");
  }
}

Bytes MulticodecWrap(uint64_t code, ByteView payload) {
  Bytes out;
  do {
    uint8_t b = code & 0x7f;
    code >>= 7;
    if (code != 0) b |= 0x80;
    out.push_back(b);
  } while (code != 0);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Result<Multicodec> MulticodecUnwrap(ByteView data) {
  uint64_t code = 0;
  size_t i = 0;
  for (int shift = 0;; shift += 7) {
    if (i >= data.size() || shift > 56) {
      return InvalidArgumentError("multicodec: truncated varint");
    }
    uint8_t b = data[i++];
    code |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      if (b == 0 && shift > 0) return InvalidArgumentError("multicodec: non-minimal varint");
      break;
    }
  }
  return Multicodec{code, Bytes(data.begin() + static_cast<std::ptrdiff_t>(i), data.end())};
}

bool ConstantTimeEquals(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  uint8_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= a[i] ^ b[i];
  return diff == 0;
}

}  // namespace credstack
