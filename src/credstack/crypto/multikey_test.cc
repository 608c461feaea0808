#include "credstack/crypto/multikey.h"

#include <gtest/gtest.h>

namespace credstack::crypto {
namespace {

// The key pair of the W3C vc-di-eddsa test vectors (TestVectors/keyPair.json).
constexpr char kPub[] = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
constexpr char kSecret[] = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";

TEST(Multikey, SpecKeyPairRoundTrips) {
  auto seed = DecodeEd25519SecretMultikey(kSecret);
  ASSERT_TRUE(seed.ok()) << seed.error().ToString();
  auto kp = Ed25519KeyPair::FromSeed(*seed);
  EXPECT_EQ(EncodeEd25519PublicMultikey(kp.public_key()), kPub);
  EXPECT_EQ(EncodeEd25519SecretMultikey(*seed), kSecret);
  auto pub = DecodeEd25519PublicMultikey(kPub);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(*pub, kp.public_key());
}

TEST(Multikey, RejectsWrongCodecAndLength) {
  EXPECT_FALSE(DecodeEd25519PublicMultikey(kSecret).ok());
  EXPECT_FALSE(DecodeEd25519PublicMultikey("z6Mk").ok());
  EXPECT_FALSE(DecodeEd25519PublicMultikey("").ok());
  EXPECT_FALSE(DecodeEd25519PublicMultikey("u7QE").ok());
  EXPECT_FALSE(DecodeEd25519SecretMultikey(kPub).ok());
}

TEST(DidKey, ResolvesOffline) {
  auto vm = ResolveDidKey(std::string("did:key:") + kPub + "#" + kPub);
  ASSERT_TRUE(vm.ok()) << vm.error().ToString();
  EXPECT_EQ(vm->controller, std::string("did:key:") + kPub);
  EXPECT_EQ(vm->id, std::string("did:key:") + kPub + "#" + kPub);
  EXPECT_EQ(EncodeEd25519PublicMultikey(vm->public_key), kPub);
  EXPECT_TRUE(ResolveDidKey(std::string("did:key:") + kPub).ok());
}

TEST(DidKey, RejectsMismatchedFragmentAndOtherMethods) {
  EXPECT_FALSE(ResolveDidKey(std::string("did:key:") + kPub + "#other").ok());
  EXPECT_FALSE(ResolveDidKey("did:web:example.com").ok());
  EXPECT_FALSE(ResolveDidKey("did:key:").ok());
  // A P-256 did:key (multicodec 0x1200) is reported as unsupported.
  auto p256 = ResolveDidKey("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169");
  ASSERT_FALSE(p256.ok());
  EXPECT_EQ(p256.error().code(), Code::kUnimplemented);
}

}  // namespace
}  // namespace credstack::crypto
