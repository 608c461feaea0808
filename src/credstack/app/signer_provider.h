#pragma once

// Where use cases get an organization's signing key. Implemented by the
// key service (private keys sealed at rest under the master key); status
// lists, pathway awards and CLR exports sign through it too.

#include <string_view>

#include "credstack/base/status.h"
#include "credstack/vc/data_integrity.h"

namespace credstack::app {

class SignerProvider {
 public:
  virtual ~SignerProvider() = default;
  // The organization's active key as a Signer whose controller is the
  // organization's issuer DID. kNotFound for an unknown organization or one
  // without an active key. Thread-safe.
  virtual Result<vc::Signer> ActiveSigner(std::string_view org_id) const = 0;
};

}  // namespace credstack::app
