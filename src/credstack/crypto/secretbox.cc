#include "credstack/crypto/secretbox.h"

#include <sodium.h>

#include "credstack/crypto/ed25519.h"

namespace credstack::crypto {

Bytes SecretBoxSeal(const SecretBoxKey& key, ByteView plaintext) {
  EnsureSodium();
  Bytes out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
  randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES, plaintext.data(), plaintext.size(),
                        out.data(), key.data());
  return out;
}

Result<Bytes> SecretBoxOpen(const SecretBoxKey& key, ByteView box) {
  EnsureSodium();
  if (box.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return DataLossError("sealed secret is truncated");
  }
  Bytes out(box.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES);
  if (crypto_secretbox_open_easy(out.data(), box.data() + crypto_secretbox_NONCEBYTES,
                                 box.size() - crypto_secretbox_NONCEBYTES, box.data(),
                                 key.data()) != 0) {
    return DataLossError("sealed secret does not open: wrong master key or altered data");
  }
  return out;
}

}  // namespace credstack::crypto
