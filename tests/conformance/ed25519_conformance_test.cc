// RFC 8032 §7.1 test vectors.
#include <gtest/gtest.h>

#include "credstack/crypto/ed25519.h"
#include "tests/testing/conformance.h"

namespace credstack {
namespace {

TEST(Ed25519Conformance, Rfc8032Vectors) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  json::Value doc = testing::ReadConformanceJson("ed25519/rfc8032-ed25519.json");
  int passed = 0, total = 0;
  for (const auto& v : doc.at("vectors").as_array()) {
    ++total;
    auto seed_bytes = *HexDecode(v.at("secret_key_seed_hex").as_string());
    auto msg = *HexDecode(v.at("message_hex").as_string());
    crypto::Ed25519Seed seed;
    std::copy(seed_bytes.begin(), seed_bytes.end(), seed.begin());
    auto kp = crypto::Ed25519KeyPair::FromSeed(seed);
    EXPECT_EQ(HexEncode(kp.public_key()), v.at("public_key_hex").as_string());
    auto sig = kp.Sign(msg);
    EXPECT_EQ(HexEncode(sig), v.at("signature_hex").as_string());
    bool ok = crypto::Ed25519Verify(kp.public_key(), msg, sig);
    auto flipped = sig;
    flipped[0] ^= 1;
    bool rejects_sig = !crypto::Ed25519Verify(kp.public_key(), msg, flipped);
    Bytes msg2 = msg;
    if (msg2.empty()) msg2.push_back(0); else msg2[0] ^= 1;
    bool rejects_msg = !crypto::Ed25519Verify(kp.public_key(), msg2, sig);
    EXPECT_TRUE(ok && rejects_sig && rejects_msg) << v.at("name");
    passed += HexEncode(sig) == v.at("signature_hex").as_string() && ok && rejects_sig && rejects_msg;
  }
  std::printf("RFC 8032 vectors: %d/%d passed\n", passed, total);
  EXPECT_EQ(total, 5);
  EXPECT_EQ(passed, total);
}

}  // namespace
}  // namespace credstack
