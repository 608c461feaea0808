#pragma once

// encodedList (Bitstring Status List v1.0 §2.2, §3.3, §3.4): the bitstring
// GZIP-compressed (RFC 1952), then multibase base64url without padding
// ('u' prefix). Decoding is bounded so a "zip bomb" cannot exhaust memory.
// The only code in credstack that uses zlib. Format:
// docs/formats/status-list.md.

#include <cstddef>
#include <string>
#include <string_view>

#include "credstack/base/bytes.h"
#include "credstack/base/status.h"
#include "credstack/status/bitstring.h"

namespace credstack::status {

struct DecodeOptions {
  // Largest accepted encodedList string (16 MiB of zeros gzip to ~16 KB;
  // a list of random bits does not compress at all).
  size_t max_encoded_size = 24 * 1024 * 1024;
  // Largest decompressed bitstring; more is refused with kResourceExhausted
  // as soon as inflation passes it.
  size_t max_decompressed_size = kDefaultMaxBitstringBytes;
};

// §3.3 step 3: GZIP (deterministic: no name, mtime 0, run-length deflate)
// then 'u' + base64url. Fails only if zlib fails (kInternal).
Result<std::string> EncodeList(ByteView bitstring);
inline Result<std::string> EncodeList(const Bitstring& b) {
  return EncodeList(b.bytes());
}

// §3.4: multibase-decode (only 'u', base64url without padding) then gunzip
// exactly one GZIP member with nothing after it. kInvalidArgument for a bad
// prefix, base64url, or GZIP data (including CRC/length mismatch),
// kResourceExhausted past the limits.
Result<Bytes> DecodeList(std::string_view encoded_list,
                         const DecodeOptions& options = {});

}  // namespace credstack::status
