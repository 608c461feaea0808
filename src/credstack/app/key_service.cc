#include "credstack/app/key_service.h"

#include <utility>

#include "credstack/base/uuid.h"
#include "credstack/crypto/multikey.h"
#include "credstack/crypto/secretbox.h"

namespace credstack::app {
namespace {

crypto::Ed25519KeyPair GenerateKey(Rng& rng) {
  crypto::Ed25519Seed seed;
  rng.Fill(seed);
  crypto::Ed25519KeyPair key = crypto::Ed25519KeyPair::FromSeed(seed);
  crypto::SecureWipe(seed);
  return key;
}

}  // namespace

PublicKeyInfo ToPublicKeyInfo(const store::SigningKey& key) {
  return PublicKeyInfo{.key_id = key.key_id,
                       .verification_method = key.verification_method,
                       .public_key_multibase = key.public_key_multibase,
                       .created = key.created,
                       .retired = key.retired_at};
}

KeyService::KeyService(KeyServiceOptions options)
    : options_(std::move(options)) {
  CREDSTACK_CHECK(options_.store != nullptr);
  CREDSTACK_CHECK(options_.master_key != nullptr);
  CREDSTACK_CHECK(options_.rng != nullptr);
}

Bytes KeyService::Seal(const crypto::Ed25519KeyPair& key) const {
  return crypto::SecretBoxSeal(options_.master_key->key(), key.seed());
}

Result<crypto::Ed25519KeyPair> KeyService::Unseal(ByteView sealed) const {
  Result<Bytes> seed =
      crypto::SecretBoxOpen(options_.master_key->key(), sealed);
  if (!seed.has_value()) {
    return DataLossError(
        "an issuer key does not open with the configured master key (was the "
        "master key changed?)");
  }
  if (seed->size() != 32)
    return DataLossError("sealed issuer key is malformed");
  crypto::Ed25519Seed s;
  std::copy(seed->begin(), seed->end(), s.begin());
  crypto::SecureWipe(*seed);
  crypto::Ed25519KeyPair key = crypto::Ed25519KeyPair::FromSeed(s);
  crypto::SecureWipe(s);
  return key;
}

store::SigningKey KeyService::NewSigningKey(const store::Organization& org,
                                            int number) const {
  crypto::Ed25519KeyPair key = GenerateKey(*options_.rng);
  return store::SigningKey{
      .key_id = NewUuidV4(*options_.rng),
      .org_id = org.id,
      .verification_method =
          options_.urls.IssuerDid(org.slug) + "#key-" + std::to_string(number),
      .public_key_multibase =
          crypto::EncodeEd25519PublicMultikey(key.public_key()),
      .encrypted_private_key = Seal(key),
      .created = options_.clock->Now()};
}

Status KeyService::CreateOrgKey(store::Tx& tx,
                                const store::Organization& org) const {
  return tx.signing_keys().Insert(NewSigningKey(org, 1));
}

Result<PublicKeyInfo> KeyService::Rotate(std::string_view org_id,
                                         std::string_view actor) {
  Result<PublicKeyInfo> out = InternalError("unset");
  // Two concurrent rotations may pick the same number; the UNIQUE
  // verification method makes one fail, and it tries again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    Status s = options_.store->Transact([&](store::Tx& tx) -> Status {
      CREDSTACK_ASSIGN_OR_RETURN(store::Organization org,
                                 tx.organizations().Get(org_id));
      CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::SigningKey> keys,
                                 tx.signing_keys().ListByOrg(org_id));
      store::SigningKey key =
          NewSigningKey(org, static_cast<int>(keys.size()) + 1);
      CREDSTACK_ASSIGN_OR_RETURN(std::string retired,
                                 tx.signing_keys().Rotate(key));
      json::Object details;
      details["new_key"] = key.verification_method;
      details["retired_key_id"] = retired;
      CREDSTACK_RETURN_IF_ERROR(
          tx.audit()
              .Append(
                  store::AuditEvent{.org_id = std::string(org_id),
                                    .actor = std::string(actor),
                                    .action = "key.rotate",
                                    .target = key.key_id,
                                    .details_json = json::Serialize(details),
                                    .created = key.created})
              .status());
      out = ToPublicKeyInfo(key);
      return OkStatus();
    });
    if (s.code() == Code::kAlreadyExists) continue;
    if (!s.ok()) return s;
    Invalidate(org_id);
    return out;
  }
  return UnavailableError("key rotation kept conflicting; try again");
}

Result<std::vector<PublicKeyInfo>> KeyService::ListKeys(
    std::string_view org_id) const {
  std::vector<PublicKeyInfo> out;
  CREDSTACK_RETURN_IF_ERROR(options_.store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.organizations().Get(org_id).status());
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::SigningKey> keys,
                               tx.signing_keys().ListByOrg(org_id));
    for (const store::SigningKey& k : keys) out.push_back(ToPublicKeyInfo(k));
    return OkStatus();
  }));
  return out;
}

Result<vc::Signer> KeyService::ActiveSigner(std::string_view org_id) const {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = active_.find(org_id);
    if (it != active_.end() && it->second.expires > now) {
      return it->second.signer;
    }
  }
  store::SigningKey key;
  std::string did;
  CREDSTACK_RETURN_IF_ERROR(options_.store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(store::Organization org,
                               tx.organizations().Get(org_id));
    did = options_.urls.IssuerDid(org.slug);
    CREDSTACK_ASSIGN_OR_RETURN(key, tx.signing_keys().GetActive(org_id));
    return OkStatus();
  }));
  CREDSTACK_ASSIGN_OR_RETURN(crypto::Ed25519KeyPair pair,
                             Unseal(key.encrypted_private_key));
  if (crypto::EncodeEd25519PublicMultikey(pair.public_key()) !=
      key.public_key_multibase) {
    return DataLossError("issuer key " + key.verification_method +
                         " does not match its public key");
  }
  vc::Signer signer{.key = pair,
                    .verification_method = key.verification_method,
                    .controller = did};
  std::lock_guard<std::mutex> lock(mu_);
  if (active_.size() > 10'000) active_.clear();
  active_.insert_or_assign(std::string(org_id),
                           Cached{signer, now + options_.cache_ttl});
  return signer;
}

Result<vc::Signer> KeyService::StatusListSigner(
    const store::StatusList& list) const {
  if (list.id.rfind(kDidKeyListPrefix, 0) == 0) return DidKeySigner(list.org_id);
  return ActiveSigner(list.org_id);
}

Result<std::string> KeyService::EnableDidKey(std::string_view org_id) {
  crypto::Ed25519KeyPair pair = GenerateKey(*options_.rng);
  store::OrgDidKey key{
      .org_id = std::string(org_id),
      .did = crypto::DidKeyFor(pair.public_key()),
      .public_key_multibase =
          crypto::EncodeEd25519PublicMultikey(pair.public_key()),
      .encrypted_private_key = Seal(pair),
      .created = options_.clock->Now()};
  std::string did;
  CREDSTACK_RETURN_IF_ERROR(
      options_.store->Transact([&](store::Tx& tx) -> Status {
        CREDSTACK_RETURN_IF_ERROR(tx.organizations().Get(org_id).status());
        Result<store::OrgDidKey> existing = tx.issuer().GetDidKey(org_id);
        if (existing.has_value()) {
          did = existing->did;
          return OkStatus();
        }
        if (existing.error().code() != Code::kNotFound) return existing.error();
        CREDSTACK_RETURN_IF_ERROR(tx.issuer().InsertDidKey(key));
        did = key.did;
        return tx.audit()
            .Append(store::AuditEvent{.org_id = std::string(org_id),
                                      .actor = "",
                                      .action = "key.did_key",
                                      .target = key.did,
                                      .details_json = "{}",
                                      .created = key.created})
            .status();
      }));
  return did;
}

Result<vc::Signer> KeyService::DidKeySigner(std::string_view org_id) const {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = did_keys_.find(org_id);
    if (it != did_keys_.end() && it->second.expires > now) {
      return it->second.signer;
    }
  }
  store::OrgDidKey key;
  CREDSTACK_RETURN_IF_ERROR(options_.store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(key, tx.issuer().GetDidKey(org_id));
    return OkStatus();
  }));
  CREDSTACK_ASSIGN_OR_RETURN(crypto::Ed25519KeyPair pair,
                             Unseal(key.encrypted_private_key));
  if (crypto::DidKeyFor(pair.public_key()) != key.did) {
    return DataLossError("did:key issuer does not match its private key");
  }
  vc::Signer signer = vc::Signer::ForDidKey(pair);
  std::lock_guard<std::mutex> lock(mu_);
  if (did_keys_.size() > 10'000) did_keys_.clear();
  did_keys_.insert_or_assign(std::string(org_id),
                             Cached{signer, now + options_.cache_ttl});
  return signer;
}

void KeyService::Invalidate(std::string_view org_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = active_.find(org_id); it != active_.end()) active_.erase(it);
  if (auto it = did_keys_.find(org_id); it != did_keys_.end()) {
    did_keys_.erase(it);
  }
}

}  // namespace credstack::app
