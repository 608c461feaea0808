#pragma once

// Ed25519 (RFC 8032 §5.1, pure Ed25519) through libsodium.

#include <array>
#include <cstdint>

#include "credstack/base/bytes.h"
#include "credstack/base/rng.h"

namespace credstack::crypto {

using Ed25519PublicKey = std::array<uint8_t, 32>;
using Ed25519Seed = std::array<uint8_t, 32>;
using Ed25519Signature = std::array<uint8_t, 64>;

// A signing key. Holds the secret in memory that is wiped on destruction.
class Ed25519KeyPair {
 public:
  // Derives the key pair from a 32-byte RFC 8032 secret key (seed).
  static Ed25519KeyPair FromSeed(const Ed25519Seed& seed);
  // A fresh key from the operating system's CSPRNG.
  static Ed25519KeyPair Generate();

  Ed25519KeyPair(const Ed25519KeyPair&);
  Ed25519KeyPair& operator=(const Ed25519KeyPair&);
  ~Ed25519KeyPair();

  const Ed25519PublicKey& public_key() const { return public_key_; }
  const Ed25519Seed& seed() const { return seed_; }
  Ed25519Signature Sign(ByteView message) const;

 private:
  Ed25519KeyPair() = default;
  Ed25519Seed seed_{};
  Ed25519PublicKey public_key_{};
  std::array<uint8_t, 64> expanded_{};  // libsodium's seed || public key form
};

// True when signature is a valid, canonical signature of message by key.
// libsodium also rejects small-order public keys and non-canonical S.
bool Ed25519Verify(const Ed25519PublicKey& key, ByteView message,
                   const Ed25519Signature& signature);

// Initializes libsodium once; safe to call from any thread, any number of
// times. Aborts if the library cannot initialize.
void EnsureSodium();

// A cryptographically secure Rng (libsodium randombytes). Thread-safe.
class SecureRng final : public Rng {
 public:
  void Fill(std::span<uint8_t> out) override;
  static SecureRng& Instance();
};

// Wipes memory that held a secret (sodium_memzero).
void SecureWipe(std::span<uint8_t> data);

}  // namespace credstack::crypto
