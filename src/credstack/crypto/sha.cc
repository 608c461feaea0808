#include "credstack/crypto/sha.h"

#include <openssl/evp.h>

#include "credstack/base/status.h"

namespace credstack::crypto {
namespace {

// Fetched once: EVP_get_digestbyname-style implicit fetches on every call
// cost more than hashing a small input.
const EVP_MD* Md(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  CREDSTACK_CHECK_MSG(md != nullptr, name);
  return md;
}

const EVP_MD* Sha256Md() {
  static const EVP_MD* md = Md("SHA256");
  return md;
}
const EVP_MD* Sha384Md() {
  static const EVP_MD* md = Md("SHA384");
  return md;
}

struct CtxHolder {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~CtxHolder() { EVP_MD_CTX_free(ctx); }
};

EVP_MD_CTX* ThreadCtx() {
  thread_local CtxHolder holder;
  return holder.ctx;
}

template <size_t N>
std::array<uint8_t, N> Digest(const EVP_MD* md, ByteView data) {
  std::array<uint8_t, N> out;
  EVP_MD_CTX* ctx = ThreadCtx();
  unsigned int len = 0;
  bool ok = EVP_DigestInit_ex2(ctx, md, nullptr) == 1 &&
            EVP_DigestUpdate(ctx, data.data(), data.size()) == 1 &&
            EVP_DigestFinal_ex(ctx, out.data(), &len) == 1 && len == N;
  CREDSTACK_CHECK_MSG(ok, "OpenSSL digest failed");
  return out;
}

}  // namespace

Sha256Digest Sha256(ByteView data) { return Digest<32>(Sha256Md(), data); }
Sha384Digest Sha384(ByteView data) { return Digest<48>(Sha384Md(), data); }

Sha256Hasher::Sha256Hasher() : ctx_(EVP_MD_CTX_new()) {
  CREDSTACK_CHECK(ctx_ != nullptr);
  CREDSTACK_CHECK(EVP_DigestInit_ex2(static_cast<EVP_MD_CTX*>(ctx_), Sha256Md(), nullptr) == 1);
}

Sha256Hasher::~Sha256Hasher() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256Hasher::Update(ByteView data) {
  CREDSTACK_CHECK(EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size()) == 1);
}

Sha256Digest Sha256Hasher::Finish() {
  Sha256Digest out;
  unsigned int len = 0;
  auto* ctx = static_cast<EVP_MD_CTX*>(ctx_);
  CREDSTACK_CHECK(EVP_DigestFinal_ex(ctx, out.data(), &len) == 1 && len == 32);
  CREDSTACK_CHECK(EVP_DigestInit_ex2(ctx, Sha256Md(), nullptr) == 1);
  return out;
}

}  // namespace credstack::crypto
