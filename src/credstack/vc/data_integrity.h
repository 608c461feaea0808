#pragma once

// Adding and verifying DataIntegrityProofs (VC Data Integrity 1.0 §4.2 Add
// Proof, §4.3 Verify Proof) with Ed25519 and the cryptosuites of
// cryptosuite.h.

#include <optional>
#include <string>
#include <vector>

#include "credstack/base/time.h"
#include "credstack/crypto/ed25519.h"
#include "credstack/vc/cryptosuite.h"
#include "credstack/vc/verification_method.h"

namespace credstack::vc {

// The suite new proofs use unless told otherwise.
std::string_view DefaultCryptosuite();

struct Signer {
  crypto::Ed25519KeyPair key;
  std::string verification_method;  // absolute URL, e.g. did:key:z6Mk…#z6Mk…
  std::string controller;           // the DID that controls the key (the issuer)

  // A did:key signer: controller did:key:z6Mk…, method …#z6Mk….
  static Signer ForDidKey(const crypto::Ed25519KeyPair& key);
};

struct ProofOptions {
  std::string cryptosuite;  // empty: DefaultCryptosuite()
  std::string proof_purpose = "assertionMethod";
  std::optional<Timestamp> created;
  std::optional<Timestamp> expires;
  std::optional<std::string> challenge;
  std::optional<std::string> domain;
  std::optional<std::string> id;
  std::optional<std::string> previous_proof;
};

// Returns a copy of document with a new proof. An existing proof becomes a
// proof set (array). Errors: kInvalidArgument (unknown suite, document not
// acceptable to the suite, e.g. JSON-LD safe mode), kResourceExhausted.
Result<json::Object> AddProof(const json::Object& document, const Signer& signer,
                              const ProofOptions& options, const SuiteOptions& suite_options);

struct ProofVerifyOptions {
  std::string expected_purpose = "assertionMethod";
  std::optional<std::string> challenge;  // required to match when set
  std::optional<std::string> domain;     // required to match when set
  const DocumentResolver* resolver = nullptr;
  Timestamp now;
  SuiteOptions suite;
};

struct ProofCheck {
  bool verified = false;
  bool known_type = true;  // false: not a proof type/suite credstack checks
  std::string cryptosuite;
  std::string detail;  // failure reason, or the matching variant
  std::optional<ResolvedKey> key;
};

// Verifies every proof of document (object or array under "proof").
// Returns one entry per proof; empty when there is no proof.
std::vector<ProofCheck> VerifyProofs(const json::Object& document,
                                     const ProofVerifyOptions& options);

}  // namespace credstack::vc
