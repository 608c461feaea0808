#include "credstack/vc/key_file.h"

#include "credstack/crypto/multikey.h"

namespace credstack::vc {

std::string SerializeKeyFile(const crypto::Ed25519KeyPair& key) {
  json::Object o;
  o["type"] = "Multikey";
  o["id"] = crypto::DidKeyVerificationMethodFor(key.public_key());
  o["controller"] = crypto::DidKeyFor(key.public_key());
  o["publicKeyMultibase"] = crypto::EncodeEd25519PublicMultikey(key.public_key());
  o["secretKeyMultibase"] = crypto::EncodeEd25519SecretMultikey(key.seed());
  return json::Serialize(o) + "\n";
}

Result<Signer> ParseKeyFile(std::string_view text) {
  auto doc = json::Parse(text, {.max_size = 64 * 1024});
  if (!doc.ok()) return doc.error().WithPrefix("key file");
  const json::Object* o = doc->if_object();
  if (!o) return InvalidArgumentError("key file: must be a JSON object");
  auto secret = json::GetString(*o, "secretKeyMultibase");
  if (!secret) secret = json::GetString(*o, "privateKeyMultibase");
  if (!secret) return InvalidArgumentError("key file: missing secretKeyMultibase");
  auto seed = crypto::DecodeEd25519SecretMultikey(*secret);
  if (!seed.ok()) return seed.error().WithPrefix("key file");
  auto key = crypto::Ed25519KeyPair::FromSeed(*seed);
  crypto::SecureWipe(*seed);
  if (auto pub = json::GetString(*o, "publicKeyMultibase")) {
    auto decoded = crypto::DecodeEd25519PublicMultikey(*pub);
    if (!decoded.ok() || *decoded != key.public_key()) {
      return InvalidArgumentError("key file: publicKeyMultibase does not match the secret key");
    }
  }
  Signer signer = Signer::ForDidKey(key);
  auto id = json::GetString(*o, "id");
  auto controller = json::GetString(*o, "controller");
  if (id && controller && id->rfind("did:key:", 0) != 0) {
    signer.verification_method = std::string(*id);
    signer.controller = std::string(*controller);
  }
  return signer;
}

}  // namespace credstack::vc
