#include "credstack/status/allocator.h"

#include <gtest/gtest.h>

#include <set>

namespace credstack::status {
namespace {

TEST(AllocateIndex, CoversEveryIndexExactlyOnce) {
  // Small capacity so the test runs through the sparse (rejection) and the
  // dense (select) phases to the end.
  AllocationBitmap bitmap = *AllocationBitmap::Create(1000);
  DeterministicRng rng(1);
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    Result<uint64_t> index = AllocateIndex(bitmap, rng);
    ASSERT_TRUE(index.ok());
    ASSERT_LT(*index, 1000u);
    ASSERT_TRUE(seen.insert(*index).second) << "reused " << *index;
  }
  EXPECT_EQ(bitmap.free_count(), 0u);
  EXPECT_EQ(AllocateIndex(bitmap, rng).status().code(),
            Code::kResourceExhausted);
}

TEST(AllocateIndex, NeverReusesAtFullSize) {
  AllocationBitmap bitmap = *AllocationBitmap::Create(131'072);
  DeterministicRng rng(2);
  std::vector<bool> seen(131'072);
  for (int i = 0; i < 131'072; ++i) {
    Result<uint64_t> index = AllocateIndex(bitmap, rng);
    ASSERT_TRUE(index.ok());
    ASSERT_FALSE(seen[*index]);
    seen[*index] = true;
  }
  EXPECT_EQ(AllocateIndex(bitmap, rng).status().code(),
            Code::kResourceExhausted);
}

TEST(AllocateIndex, IsRandomNotSequential) {
  AllocationBitmap bitmap = *AllocationBitmap::Create(131'072);
  DeterministicRng rng(3);
  std::vector<uint64_t> first;
  for (int i = 0; i < 100; ++i) first.push_back(*AllocateIndex(bitmap, rng));
  // Sequential allocation would give 0..99; random picks are spread out.
  uint64_t below_1000 = 0;
  for (uint64_t i : first) below_1000 += i < 1000;
  EXPECT_LT(below_1000, 10u);
}

TEST(AllocateIndex, RoughlyUniformOverFreeIndexes) {
  // Allocate the first half by hand; the remaining picks must spread
  // evenly over the free half only (dense phase included).
  DeterministicRng rng(4);
  std::vector<int> counts(64);
  for (int trial = 0; trial < 3000; ++trial) {
    AllocationBitmap bitmap = *AllocationBitmap::Create(64);
    for (uint64_t i = 0; i < 60; ++i) ASSERT_TRUE(bitmap.Mark(i).ok());
    ++counts[*AllocateIndex(bitmap, rng)];
  }
  for (int i = 0; i < 60; ++i) EXPECT_EQ(counts[i], 0);
  for (int i = 60; i < 64; ++i) {
    EXPECT_GT(counts[i], 600) << i;  // expected 750 each
    EXPECT_LT(counts[i], 900) << i;
  }
}

TEST(AllocationBitmap, PersistsAndRestores) {
  AllocationBitmap bitmap = *AllocationBitmap::Create(131'072);
  DeterministicRng rng(5);
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(AllocateIndex(bitmap, rng).ok());
  const Bytes bytes = bitmap.ToBytes();
  EXPECT_EQ(bytes.size(), 16384u);
  Result<AllocationBitmap> restored =
      AllocationBitmap::FromBytes(131'072, bytes);
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(restored->allocated(), 500u);
  for (uint64_t i = 0; i < 131'072; ++i) {
    ASSERT_EQ(restored->IsAllocated(i), bitmap.IsAllocated(i));
  }
  EXPECT_EQ(restored->Mark(0).code(),
            bitmap.IsAllocated(0) ? Code::kAlreadyExists : Code::kOk);
}

TEST(AllocationBitmap, ChecksInput) {
  EXPECT_EQ(AllocationBitmap::Create(0).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(AllocationBitmap::Create((uint64_t{1} << 32) + 1).status().code(),
            Code::kResourceExhausted);
  EXPECT_EQ(AllocationBitmap::FromBytes(16, Bytes(3)).status().code(),
            Code::kDataLoss);
  // Capacity 12: the last 4 bits of byte 1 must be clear.
  EXPECT_TRUE(AllocationBitmap::FromBytes(12, Bytes{0xFF, 0xF0}).ok());
  EXPECT_EQ(AllocationBitmap::FromBytes(12, Bytes{0xFF, 0xF1}).status().code(),
            Code::kDataLoss);
  AllocationBitmap b = *AllocationBitmap::Create(10);
  EXPECT_EQ(b.Mark(10).code(), Code::kInvalidArgument);
  ASSERT_TRUE(b.Mark(9).ok());
  EXPECT_EQ(b.Mark(9).code(), Code::kAlreadyExists);
  EXPECT_EQ(b.ToBytes(), (Bytes{0x00, 0x40}));
}

}  // namespace
}  // namespace credstack::status
