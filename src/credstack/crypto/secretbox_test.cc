#include "credstack/crypto/secretbox.h"

#include <gtest/gtest.h>

namespace credstack::crypto {
namespace {

TEST(SecretBox, SealsOpensAndDetectsTampering) {
  SecretBoxKey key{};
  key.fill(7);
  Bytes box = SecretBoxSeal(key, AsBytes("issuer secret"));
  EXPECT_EQ(box.size(), 24u + 16u + 13u);
  EXPECT_EQ(AsChars(*SecretBoxOpen(key, box)), "issuer secret");
  EXPECT_NE(SecretBoxSeal(key, AsBytes("issuer secret")), box);  // fresh nonce
  Bytes bad = box;
  bad.back() ^= 1;
  EXPECT_EQ(SecretBoxOpen(key, bad).error().code(), Code::kDataLoss);
  SecretBoxKey other{};
  EXPECT_FALSE(SecretBoxOpen(other, box).ok());
  EXPECT_FALSE(SecretBoxOpen(key, Bytes(10)).ok());
}

}  // namespace
}  // namespace credstack::crypto
