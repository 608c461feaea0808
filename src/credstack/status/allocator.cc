#include "credstack/status/allocator.h"

#include <bit>
#include <string>

namespace credstack::status {
namespace {

constexpr uint64_t kMaxCapacity = uint64_t{1} << 32;

uint64_t Mask(uint64_t index) { return uint64_t{1} << (63 - index % 64); }

}  // namespace

Result<AllocationBitmap> AllocationBitmap::Create(uint64_t capacity) {
  if (capacity == 0)
    return InvalidArgumentError("allocation bitmap: capacity 0");
  if (capacity > kMaxCapacity) {
    return ResourceExhaustedError("allocation bitmap: capacity above 2^32");
  }
  AllocationBitmap b;
  b.capacity_ = capacity;
  b.words_.assign(static_cast<size_t>((capacity + 63) / 64), 0);
  return b;
}

Result<AllocationBitmap> AllocationBitmap::FromBytes(uint64_t capacity,
                                                     Bytes bytes) {
  CREDSTACK_ASSIGN_OR_RETURN(AllocationBitmap b, Create(capacity));
  if (bytes.size() != (capacity + 7) / 8) {
    return DataLossError("allocation bitmap: " + std::to_string(bytes.size()) +
                         " bytes for capacity " + std::to_string(capacity));
  }
  for (size_t i = 0; i < bytes.size(); ++i) {
    b.words_[i / 8] |= uint64_t{bytes[i]} << (56 - 8 * (i % 8));
  }
  // Bits past the capacity must be clear.
  if (capacity % 64 != 0 &&
      (b.words_.back() & (~uint64_t{0} >> (capacity % 64))) != 0) {
    return DataLossError("allocation bitmap: bits set beyond the capacity");
  }
  for (uint64_t w : b.words_)
    b.allocated_ += static_cast<uint64_t>(std::popcount(w));
  return b;
}

bool AllocationBitmap::IsAllocated(uint64_t index) const {
  return index < capacity_ &&
         (words_[static_cast<size_t>(index / 64)] & Mask(index)) != 0;
}

Status AllocationBitmap::Mark(uint64_t index) {
  if (index >= capacity_) {
    return InvalidArgumentError("allocation bitmap: index " +
                                std::to_string(index) + " beyond capacity " +
                                std::to_string(capacity_));
  }
  uint64_t& w = words_[static_cast<size_t>(index / 64)];
  if (w & Mask(index)) {
    return AlreadyExistsError("allocation bitmap: index " +
                              std::to_string(index) + " already allocated");
  }
  w |= Mask(index);
  ++allocated_;
  return OkStatus();
}

Bytes AllocationBitmap::ToBytes() const {
  Bytes out(static_cast<size_t>((capacity_ + 7) / 8));
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<uint8_t>(words_[i / 8] >> (56 - 8 * (i % 8)));
  }
  return out;
}

Result<uint64_t> AllocateIndex(AllocationBitmap& bitmap, Rng& rng) {
  const uint64_t free = bitmap.free_count();
  if (free == 0) {
    return ResourceExhaustedError("status list full: all " +
                                  std::to_string(bitmap.capacity()) +
                                  " indexes allocated");
  }
  // Rejection sampling is exactly uniform over the free indexes; while at
  // least 1/16 is free, 64 tries fail with probability < (15/16)^64 < 2%.
  if (free >= bitmap.capacity() / 16) {
    for (int attempt = 0; attempt < 64; ++attempt) {
      const uint64_t index = rng.Uniform(bitmap.capacity());
      if (!bitmap.IsAllocated(index)) {
        CREDSTACK_RETURN_IF_ERROR(bitmap.Mark(index));
        return index;
      }
    }
  }
  // Otherwise choose the r-th free index, r uniform in [0, free).
  uint64_t r = rng.Uniform(free);
  for (size_t w = 0; w < bitmap.words_.size(); ++w) {
    const uint64_t word_bits =
        std::min<uint64_t>(64, bitmap.capacity() - uint64_t{w} * 64);
    const uint64_t free_here =
        word_bits - static_cast<uint64_t>(std::popcount(bitmap.words_[w]));
    if (r >= free_here) {
      r -= free_here;
      continue;
    }
    for (uint64_t bit = 0; bit < word_bits; ++bit) {
      const uint64_t index = uint64_t{w} * 64 + bit;
      if (bitmap.IsAllocated(index)) continue;
      if (r-- == 0) {
        CREDSTACK_RETURN_IF_ERROR(bitmap.Mark(index));
        return index;
      }
    }
  }
  return InternalError("allocation bitmap: free count out of step");
}

}  // namespace credstack::status
