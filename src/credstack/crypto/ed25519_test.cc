#include "credstack/crypto/ed25519.h"

#include <gtest/gtest.h>

namespace credstack::crypto {
namespace {

TEST(Ed25519, SignVerifyAndTamper) {
  auto kp = Ed25519KeyPair::Generate();
  std::string msg = "credential bytes";
  auto sig = kp.Sign(AsBytes(msg));
  EXPECT_TRUE(Ed25519Verify(kp.public_key(), AsBytes(msg), sig));
  auto bad = sig;
  bad[10] ^= 1;
  EXPECT_FALSE(Ed25519Verify(kp.public_key(), AsBytes(msg), bad));
  EXPECT_FALSE(Ed25519Verify(kp.public_key(), AsBytes("credential bytez"), sig));
  auto other = Ed25519KeyPair::Generate();
  EXPECT_FALSE(Ed25519Verify(other.public_key(), AsBytes(msg), sig));
}

TEST(Ed25519, DeterministicFromSeed) {
  Ed25519Seed seed{};
  seed[0] = 1;
  auto a = Ed25519KeyPair::FromSeed(seed);
  auto b = Ed25519KeyPair::FromSeed(seed);
  EXPECT_EQ(a.public_key(), b.public_key());
  EXPECT_EQ(a.Sign(AsBytes("x")), b.Sign(AsBytes("x")));
}

}  // namespace
}  // namespace credstack::crypto
