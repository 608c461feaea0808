#include "credstack/status/bitstring.h"

#include <string>

namespace credstack::status {

Bitstring::Bitstring(Bytes bytes, unsigned status_size)
    : bytes_(std::move(bytes)),
      status_size_(status_size),
      entries_(uint64_t{bytes_.size()} * 8 / status_size) {}

Result<Bitstring> Bitstring::Create(uint64_t entries, unsigned status_size,
                                    size_t max_bytes) {
  if (status_size == 0 || status_size > kMaxStatusSize) {
    return InvalidArgumentError("bitstring: statusSize must be 1.." +
                                std::to_string(kMaxStatusSize));
  }
  // §2.2 encodedList: the uncompressed bitstring MUST be at least 16KB, and
  // §3.2 step 9 wants at least minimumNumberOfEntries entries.
  if (entries < kMinimumEntries) {
    return InvalidArgumentError("bitstring: at least " +
                                std::to_string(kMinimumEntries) +
                                " entries are required for herd privacy");
  }
  if (entries > (uint64_t{max_bytes} * 8) / status_size) {
    return ResourceExhaustedError("bitstring: more than " +
                                  std::to_string(max_bytes) + " bytes");
  }
  const uint64_t bits = entries * status_size;
  Bitstring b(Bytes(static_cast<size_t>((bits + 7) / 8), 0), status_size);
  b.entries_ = entries;
  return b;
}

Result<Bitstring> Bitstring::FromBytes(Bytes bytes, unsigned status_size) {
  if (status_size == 0 || status_size > kMaxStatusSize) {
    return InvalidArgumentError("bitstring: statusSize must be 1.." +
                                std::to_string(kMaxStatusSize));
  }
  return Bitstring(std::move(bytes), status_size);
}

Result<uint64_t> Bitstring::Read(ByteView bytes, unsigned status_size, uint64_t index) {
  if (status_size == 0 || status_size > kMaxStatusSize) {
    return InvalidArgumentError("bitstring: statusSize must be 1.." +
                                std::to_string(kMaxStatusSize));
  }
  const uint64_t entries = uint64_t{bytes.size()} * 8 / status_size;
  if (index >= entries) {
    return InvalidArgumentError("bitstring: index " + std::to_string(index) +
                                " beyond " + std::to_string(entries) +
                                " entries");
  }
  uint64_t value = 0;
  const uint64_t first = index * status_size;
  for (unsigned j = 0; j < status_size; ++j) {
    const uint64_t p = first + j;
    const unsigned bit =
        (bytes[static_cast<size_t>(p / 8)] >> (7 - p % 8)) & 1;
    value = (value << 1) | bit;
  }
  return value;
}

Status Bitstring::Set(uint64_t index, uint64_t value) {
  if (index >= entries_) {
    return InvalidArgumentError("bitstring: index " + std::to_string(index) +
                                " beyond " + std::to_string(entries_) +
                                " entries");
  }
  if (value >> status_size_ != 0) {
    return InvalidArgumentError("bitstring: value " + std::to_string(value) +
                                " needs more than " +
                                std::to_string(status_size_) + " bits");
  }
  const uint64_t first = index * status_size_;
  for (unsigned j = 0; j < status_size_; ++j) {
    const uint64_t p = first + j;
    const uint8_t mask = static_cast<uint8_t>(0x80u >> (p % 8));
    const bool on = (value >> (status_size_ - 1 - j)) & 1;
    uint8_t& byte = bytes_[static_cast<size_t>(p / 8)];
    byte = static_cast<uint8_t>(on ? (byte | mask) : (byte & ~mask));
  }
  return OkStatus();
}

}  // namespace credstack::status
