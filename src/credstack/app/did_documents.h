#pragma once

// did:web documents credstack serves for its issuers (did:web method
// §3.2; keys as Multikey, W3C Controlled Identifiers 1.0 §2.2.2):
//   /.well-known/did.json          the deployment host's DID
//   /issuers/{slug}/did.json       an organization's issuer DID, listing
//                                  every key, active and retired, under
//                                  verificationMethod and assertionMethod.

#include <span>
#include <string_view>

#include "credstack/app/urls.h"
#include "credstack/json/json.h"
#include "credstack/store/types.h"

namespace credstack::app {

// The organization's DID document from its keys (oldest first).
json::Value IssuerDidDocument(const PublicUrls& urls,
                              const store::Organization& org,
                              std::span<const store::SigningKey> keys);

// The host's DID document (no keys: the host does not issue).
json::Value HostDidDocument(const PublicUrls& urls);

}  // namespace credstack::app
