#pragma once

// Retrieving a verification method (W3C Controlled Identifiers 1.0 §3.3
// "Retrieve Verification Method"): did:key offline; did:web and https
// controller documents through the DocumentResolver.

#include <string>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/crypto/ed25519.h"
#include "credstack/vc/resolver.h"

namespace credstack::vc {

struct ResolvedKey {
  std::string id;          // absolute verification method URL
  std::string controller;  // who controls it (a DID or URL)
  crypto::Ed25519PublicKey public_key{};
  // Verification relationships the controller document lists it under.
  bool assertion_method = false;
  bool authentication = false;
};

// Errors name the problem: kInvalidArgument (not a URL, malformed key),
// kUnimplemented (unsupported DID method or key type), resolver errors
// (kNotFound, kUnavailable, ...) for documents that cannot be had.
// resolver may be null (then only did:key resolves).
Result<ResolvedKey> ResolveVerificationMethod(std::string_view vm_url,
                                              const DocumentResolver* resolver);

// did:web method spec §3.2 (Read): "did:web:example.com:user:alice" →
// "https://example.com/user/alice/did.json"; a bare host maps to
// "/.well-known/did.json"; "%3A" in the host is a port separator.
Result<std::string> DidWebToUrl(std::string_view did);

}  // namespace credstack::vc
