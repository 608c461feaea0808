#pragma once

// Random status-list index allocation without reuse (Bitstring Status List
// v1.0 §2.1 statusListIndex: "Implementations SHOULD assign indexes
// randomly"; §6.5). The set of allocated indexes is a bitmap the caller
// persists (same MSB-first layout as a status bitstring, one bit per
// index: 16 KB for a 131,072-entry list), so a store can keep it as one
// blob per list and update it in the issuing transaction.

#include <cstdint>
#include <vector>

#include "credstack/base/bytes.h"
#include "credstack/base/rng.h"
#include "credstack/base/status.h"

namespace credstack::status {

class AllocationBitmap {
 public:
  // All `capacity` indexes free. kInvalidArgument for capacity 0,
  // kResourceExhausted above 2^32 indexes.
  static Result<AllocationBitmap> Create(uint64_t capacity);
  // From persisted bytes; bits beyond capacity must be zero (kDataLoss
  // otherwise, or when the size does not match ceil(capacity / 8)).
  static Result<AllocationBitmap> FromBytes(uint64_t capacity, Bytes bytes);

  uint64_t capacity() const { return capacity_; }
  uint64_t allocated() const { return allocated_; }
  uint64_t free_count() const { return capacity_ - allocated_; }
  bool IsAllocated(uint64_t index) const;
  // Marks an index (e.g. one restored from storage). kInvalidArgument out
  // of range, kAlreadyExists if already allocated.
  Status Mark(uint64_t index);
  // The bitmap bytes to persist.
  Bytes ToBytes() const;

 private:
  friend Result<uint64_t> AllocateIndex(AllocationBitmap&, Rng&);
  uint64_t capacity_ = 0;
  uint64_t allocated_ = 0;
  std::vector<uint64_t> words_;  // bit i of index = word i/64, bit 63 - i%64
};

// Picks an index uniformly at random among the free ones, marks it and
// returns it. Expected cost O(1) while at least 1/16 of the list is free,
// O(capacity / 64) beyond. kResourceExhausted when the list is full.
Result<uint64_t> AllocateIndex(AllocationBitmap& bitmap, Rng& rng);

}  // namespace credstack::status
