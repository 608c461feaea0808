#pragma once

// Authenticated symmetric encryption for secrets at rest (issuer private
// keys): libsodium crypto_secretbox (XSalsa20-Poly1305) with a random
// nonce stored in front of the ciphertext.

#include <array>
#include <cstdint>

#include "credstack/base/bytes.h"
#include "credstack/base/status.h"

namespace credstack::crypto {

using SecretBoxKey = std::array<uint8_t, 32>;

// nonce (24 bytes) || ciphertext with tag (16 + plaintext bytes).
Bytes SecretBoxSeal(const SecretBoxKey& key, ByteView plaintext);

// kDataLoss when the box was altered or the key is wrong.
Result<Bytes> SecretBoxOpen(const SecretBoxKey& key, ByteView box);

}  // namespace credstack::crypto
