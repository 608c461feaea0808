#pragma once

// Where use cases get an organization's signing key. Implemented by the
// key service (private keys sealed at rest under the master key); status
// lists, pathway awards and CLR exports sign through it too.

#include <string_view>

#include "credstack/base/status.h"
#include "credstack/store/types.h"
#include "credstack/vc/data_integrity.h"

namespace credstack::app {

class SignerProvider {
 public:
  virtual ~SignerProvider() = default;
  // The organization's active key as a Signer whose controller is the
  // organization's issuer DID. kNotFound for an unknown organization or one
  // without an active key. Thread-safe.
  virtual Result<vc::Signer> ActiveSigner(std::string_view org_id) const = 0;

  // The key that signs a status list credential: the same issuer as the
  // credentials whose entries it holds (Bitstring Status List v1.0 §3.2
  // checks that they match). Lists whose id starts with kDidKeyListPrefix
  // belong to the organization's did:key issuer (VC-API credentials);
  // all others to its did:web issuer. Thread-safe.
  virtual Result<vc::Signer> StatusListSigner(
      const store::StatusList& list) const {
    return ActiveSigner(list.org_id);
  }
};

// Status lists of an organization's did:key issuer have ids with this prefix.
inline constexpr std::string_view kDidKeyListPrefix = "didkey-";

}  // namespace credstack::app
