#pragma once

// The uncompressed status bitstring of W3C Bitstring Status List v1.0
// (https://www.w3.org/TR/vc-bitstring-status-list/): `entries` values of
// `status_size` bits each. Bit order (§2.2 encodedList, §7.1): index 0 is
// the most significant (left-most) bit of byte 0; entry i occupies bits
// [i * status_size, (i + 1) * status_size), its most significant bit first.
// Format: docs/formats/status-list.md.

#include <cstdint>

#include "credstack/base/bytes.h"
#include "credstack/base/status.h"

namespace credstack::status {

// §3.2 Validate Algorithm step 2: minimumNumberOfEntries.
inline constexpr uint64_t kMinimumEntries = 131'072;
// statusSize values above this are refused (a status value is a uint64).
inline constexpr unsigned kMaxStatusSize = 16;
// Largest bitstring we create or accept, in bytes (see DecodeOptions).
inline constexpr size_t kDefaultMaxBitstringBytes = 16 * 1024 * 1024;

class Bitstring {
 public:
  // A zeroed bitstring of entries * status_size bits (bytes rounded up).
  // kInvalidArgument for status_size outside 1..kMaxStatusSize or fewer
  // than kMinimumEntries entries (131,072 bits = 16 KB at statusSize 1),
  // kResourceExhausted beyond max_bytes.
  static Result<Bitstring> Create(uint64_t entries = kMinimumEntries,
                                  unsigned status_size = 1,
                                  size_t max_bytes = kDefaultMaxBitstringBytes);
  // Wraps decoded bytes; entries = bits / status_size (a trailing partial
  // entry is ignored).
  static Result<Bitstring> FromBytes(Bytes bytes, unsigned status_size = 1);

  uint64_t entries() const { return entries_; }
  unsigned status_size() const { return status_size_; }
  uint64_t bit_length() const { return uint64_t{bytes_.size()} * 8; }
  const Bytes& bytes() const { return bytes_; }

  // The status value of entry `index`. kInvalidArgument if out of range.
  Result<uint64_t> Get(uint64_t index) const { return Read(bytes_, status_size_, index); }
  // The same, on bytes this class does not own (no copy of the list).
  static Result<uint64_t> Read(ByteView bytes, unsigned status_size, uint64_t index);
  // kInvalidArgument if index is out of range or value needs more than
  // status_size bits.
  Status Set(uint64_t index, uint64_t value);

 private:
  Bitstring(Bytes bytes, unsigned status_size);
  Bytes bytes_;
  unsigned status_size_ = 1;
  uint64_t entries_ = 0;
};

}  // namespace credstack::status
