#pragma once

// What every use case needs, assembled once by `credstack serve` (or a
// test): the store, the public URL layout, the signing keys, time and
// randomness, and the cryptosuite options. Areas (issuance, status and
// log, skills) build their services from it and install their routes.

#include <memory>

#include "credstack/app/signer_provider.h"
#include "credstack/app/urls.h"
#include "credstack/base/rng.h"
#include "credstack/base/time.h"
#include "credstack/store/store.h"
#include "credstack/vc/cryptosuite.h"

namespace credstack::app {

class OwnDocumentResolver;

struct AppContext {
  std::shared_ptr<store::Store> store;
  PublicUrls urls;
  // Set by the key service; null until an issuer key service exists.
  std::shared_ptr<const SignerProvider> signers;
  // Documents this deployment publishes (our did:web DIDs; areas add
  // sources such as status lists). Set by the issuer installer; the
  // verification service resolves through it first.
  std::shared_ptr<OwnDocumentResolver> documents;
  const Clock* clock = &SystemClock::Instance();
  Rng* rng = nullptr;  // crypto::SecureRng in production
  vc::SuiteOptions suite;
};

}  // namespace credstack::app
