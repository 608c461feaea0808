#include "credstack/status/bitstring.h"

#include <gtest/gtest.h>

namespace credstack::status {
namespace {

TEST(Bitstring, DefaultIs16KiBOfZeros) {
  Result<Bitstring> b = Bitstring::Create();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->bytes().size(), 16384u);
  EXPECT_EQ(b->entries(), 131072u);
  EXPECT_EQ(*b->Get(131071), 0u);
}

TEST(Bitstring, IndexZeroIsTheMostSignificantBitOfByteZero) {
  Bitstring b = *Bitstring::Create();
  ASSERT_TRUE(b.Set(0, 1).ok());
  EXPECT_EQ(b.bytes()[0], 0x80);
  ASSERT_TRUE(b.Set(23, 1).ok());
  EXPECT_EQ(b.bytes()[2], 0x01);
  ASSERT_TRUE(b.Set(131071, 1).ok());
  EXPECT_EQ(b.bytes()[16383], 0x01);
  EXPECT_EQ(*b.Get(23), 1u);
  EXPECT_EQ(*b.Get(22), 0u);
  ASSERT_TRUE(b.Set(23, 0).ok());
  EXPECT_EQ(b.bytes()[2], 0x00);
}

TEST(Bitstring, MultiBitEntriesMostSignificantBitFirst) {
  Bitstring b = *Bitstring::Create(kMinimumEntries, 2);
  EXPECT_EQ(b.bytes().size(), 32768u);
  ASSERT_TRUE(b.Set(0, 2).ok());  // bits 0,1 = 1,0
  EXPECT_EQ(b.bytes()[0], 0x80);
  ASSERT_TRUE(b.Set(3, 3).ok());  // bits 6,7
  EXPECT_EQ(b.bytes()[0], 0x83);
  EXPECT_EQ(*b.Get(0), 2u);
  EXPECT_EQ(*b.Get(3), 3u);
  EXPECT_EQ(*b.Get(1), 0u);
  EXPECT_EQ(b.Set(1, 4).code(), Code::kInvalidArgument);

  Bitstring wide = *Bitstring::Create(kMinimumEntries, 3);
  ASSERT_TRUE(wide.Set(1, 5).ok());  // bits 3..5 = 1,0,1
  EXPECT_EQ(wide.bytes()[0], 0x14);
  EXPECT_EQ(*wide.Get(1), 5u);
}

TEST(Bitstring, RejectsBadParameters) {
  EXPECT_EQ(Bitstring::Create(kMinimumEntries - 1).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(Bitstring::Create(kMinimumEntries, 0).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(
      Bitstring::Create(kMinimumEntries, kMaxStatusSize + 1).status().code(),
      Code::kInvalidArgument);
  EXPECT_EQ(Bitstring::Create(uint64_t{1} << 40).status().code(),
            Code::kResourceExhausted);
  Bitstring b = *Bitstring::Create();
  EXPECT_EQ(b.Get(131072).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(b.Set(131072, 1).code(), Code::kInvalidArgument);
}

TEST(Bitstring, FromBytesCountsWholeEntries) {
  Result<Bitstring> b = Bitstring::FromBytes(Bytes(3, 0xFF), 5);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->entries(), 4u);  // 24 bits / 5
  EXPECT_EQ(*b->Get(3), 31u);
  EXPECT_FALSE(b->Get(4).ok());
}

}  // namespace
}  // namespace credstack::status
