#pragma once

// SHA-2 through OpenSSL 3 (uses the CPU's SHA extensions where present).
// Thread-safe: each thread reuses its own digest context.

#include <array>
#include <cstdint>
#include <string_view>

#include "credstack/base/bytes.h"

namespace credstack::crypto {

using Sha256Digest = std::array<uint8_t, 32>;
using Sha384Digest = std::array<uint8_t, 48>;

Sha256Digest Sha256(ByteView data);
inline Sha256Digest Sha256(std::string_view s) { return Sha256(AsBytes(s)); }
Sha384Digest Sha384(ByteView data);
inline Sha384Digest Sha384(std::string_view s) { return Sha384(AsBytes(s)); }

// Incremental SHA-256 for data that arrives in pieces (Merkle nodes,
// prefix bytes).
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(ByteView data);
  void Update(std::string_view s) { Update(AsBytes(s)); }
  // Returns the digest and resets the hasher for reuse.
  Sha256Digest Finish();

 private:
  void* ctx_;  // EVP_MD_CTX, kept opaque so OpenSSL stays inside crypto/.
};

}  // namespace credstack::crypto
