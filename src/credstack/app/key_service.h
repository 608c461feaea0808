#pragma once

// Issuer signing keys (issue 4 §3): Ed25519 keys per organization, private
// halves sealed under the master key (crypto::SecretBoxSeal) and never
// returned by any API. The issuer DID is PublicUrls::IssuerDid(slug)
// (did:web); its keys are `<did>#key-N`. Rotation makes a new key sign new
// credentials while retired keys stay in the DID document, so credentials
// signed earlier keep verifying. An organization may also have a did:key
// issuer (VC-API issuer instances sign with it).

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "credstack/app/secrets.h"
#include "credstack/app/signer_provider.h"
#include "credstack/app/urls.h"
#include "credstack/base/rng.h"
#include "credstack/base/time.h"
#include "credstack/store/store.h"
#include "credstack/vc/data_integrity.h"

namespace credstack::app {

struct KeyServiceOptions {
  std::shared_ptr<store::Store> store;
  PublicUrls urls;
  std::shared_ptr<const MasterKey> master_key;
  const Clock* clock = &SystemClock::Instance();
  Rng* rng = nullptr;  // for key generation; never null
  // How long an unsealed active key is reused before the store is asked
  // again (another node may have rotated; the retired key still verifies).
  std::chrono::milliseconds cache_ttl{30'000};
};

// Public facts about a key (what APIs may show).
struct PublicKeyInfo {
  std::string key_id;
  std::string verification_method;
  std::string public_key_multibase;
  Timestamp created;
  std::optional<Timestamp> retired;
};

// Thread-safe.
class KeyService final : public SignerProvider {
 public:
  explicit KeyService(KeyServiceOptions options);

  // A fresh key `<IssuerDid(org.slug)>#key-<number>`, sealed, for the
  // caller to insert (organization creation inserts key-1 in its own
  // transaction). No side effects.
  store::SigningKey NewSigningKey(const store::Organization& org,
                                  int number) const;

  // Inserts key-1 for a new organization in the caller's transaction.
  Status CreateOrgKey(store::Tx& tx, const store::Organization& org) const;

  // Retires the active key and makes a new one active. Returns the new key.
  // kNotFound for an unknown organization.
  Result<PublicKeyInfo> Rotate(std::string_view org_id, std::string_view actor);

  // Every key of the organization, oldest first.
  Result<std::vector<PublicKeyInfo>> ListKeys(std::string_view org_id) const;

  // SignerProvider: the active key (cached for cache_ttl).
  Result<vc::Signer> ActiveSigner(std::string_view org_id) const override;
  // did:key lists (kDidKeyListPrefix) sign with DidKeySigner.
  Result<vc::Signer> StatusListSigner(
      const store::StatusList& list) const override;

  // Gives the organization a did:key issuer; idempotent (returns the
  // existing DID). kNotFound for an unknown organization.
  Result<std::string> EnableDidKey(std::string_view org_id);
  // The organization's did:key signer; kNotFound when it has none.
  Result<vc::Signer> DidKeySigner(std::string_view org_id) const;

  // Drops cached keys of an organization (after a rotation).
  void Invalidate(std::string_view org_id) const;

  const PublicUrls& urls() const { return options_.urls; }

 private:
  Result<crypto::Ed25519KeyPair> Unseal(ByteView sealed) const;
  Bytes Seal(const crypto::Ed25519KeyPair& key) const;

  struct Cached {
    vc::Signer signer;
    std::chrono::steady_clock::time_point expires;
  };

  KeyServiceOptions options_;
  mutable std::mutex mu_;
  mutable std::map<std::string, Cached, std::less<>> active_;
  mutable std::map<std::string, Cached, std::less<>> did_keys_;
};

PublicKeyInfo ToPublicKeyInfo(const store::SigningKey& key);

}  // namespace credstack::app
