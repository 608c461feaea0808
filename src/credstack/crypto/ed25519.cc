#include "credstack/crypto/ed25519.h"

#include <sodium.h>

#include <mutex>

#include "credstack/base/status.h"

namespace credstack::crypto {

void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] { CREDSTACK_CHECK_MSG(sodium_init() >= 0, "sodium_init failed"); });
}

Ed25519KeyPair Ed25519KeyPair::FromSeed(const Ed25519Seed& seed) {
  EnsureSodium();
  Ed25519KeyPair kp;
  kp.seed_ = seed;
  crypto_sign_seed_keypair(kp.public_key_.data(), kp.expanded_.data(), seed.data());
  return kp;
}

Ed25519KeyPair Ed25519KeyPair::Generate() {
  EnsureSodium();
  Ed25519Seed seed;
  randombytes_buf(seed.data(), seed.size());
  Ed25519KeyPair kp = FromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return kp;
}

Ed25519KeyPair::Ed25519KeyPair(const Ed25519KeyPair&) = default;
Ed25519KeyPair& Ed25519KeyPair::operator=(const Ed25519KeyPair&) = default;

Ed25519KeyPair::~Ed25519KeyPair() {
  sodium_memzero(seed_.data(), seed_.size());
  sodium_memzero(expanded_.data(), expanded_.size());
}

Ed25519Signature Ed25519KeyPair::Sign(ByteView message) const {
  Ed25519Signature sig;
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), expanded_.data());
  return sig;
}

bool Ed25519Verify(const Ed25519PublicKey& key, ByteView message,
                   const Ed25519Signature& signature) {
  EnsureSodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     key.data()) == 0;
}

void SecureRng::Fill(std::span<uint8_t> out) {
  EnsureSodium();
  randombytes_buf(out.data(), out.size());
}

SecureRng& SecureRng::Instance() {
  static SecureRng rng;
  return rng;
}

void SecureWipe(std::span<uint8_t> data) { sodium_memzero(data.data(), data.size()); }

}  // namespace credstack::crypto
