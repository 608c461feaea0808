#pragma once

// Multikey encodings of Ed25519 keys (W3C Controlled Identifiers §2.2.2,
// Data Integrity EdDSA §2.1.1) and the did:key method (W3C CCG did:key
// v0.7), resolved offline: the DID itself carries the key.

#include <string>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/crypto/ed25519.h"

namespace credstack::crypto {

inline constexpr uint64_t kMulticodecEd25519Pub = 0xed;
inline constexpr uint64_t kMulticodecEd25519Priv = 0x1300;

// "z6Mk…": multibase base58btc of multicodec 0xed01 || key.
std::string EncodeEd25519PublicMultikey(const Ed25519PublicKey& key);
Result<Ed25519PublicKey> DecodeEd25519PublicMultikey(std::string_view text);

// "z3u2…": multibase base58btc of multicodec 0x8026 || seed. Decoding also
// accepts the 64-byte seed || public key form some tools write.
std::string EncodeEd25519SecretMultikey(const Ed25519Seed& seed);
Result<Ed25519Seed> DecodeEd25519SecretMultikey(std::string_view text);

// "did:key:z6Mk…".
std::string DidKeyFor(const Ed25519PublicKey& key);
// "did:key:z6Mk…#z6Mk…", the verification method did:key documents list.
std::string DidKeyVerificationMethodFor(const Ed25519PublicKey& key);

struct VerificationMethod {
  std::string id;          // absolute DID URL with fragment
  std::string controller;  // the DID
  Ed25519PublicKey public_key{};
};

// Resolves "did:key:z6Mk…" or "did:key:z6Mk…#z6Mk…" without any I/O.
// Errors: kInvalidArgument for malformed identifiers or a fragment that is
// not the key itself; kUnimplemented for key types other than Ed25519.
Result<VerificationMethod> ResolveDidKey(std::string_view did_url);

}  // namespace credstack::crypto
