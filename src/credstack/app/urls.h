#pragma once

// The public URL layout of a credstack deployment (docs/formats/urls.md).
// Every node of a deployment is configured with the same public base URL
// (e.g. https://badges.example.edu), from which identifiers derive.

#include <string>
#include <string_view>

#include "credstack/base/status.h"

namespace credstack::app {

class PublicUrls {
 public:
  // base: "https://host[:port][/prefix]" without a trailing slash.
  static Result<PublicUrls> Create(std::string_view base);

  const std::string& base() const { return base_; }
  // did:web of the deployment host: did:web:host%3Aport[:prefix...]
  const std::string& host_did() const { return host_did_; }

  // The issuer DID of an organization: <host did>:issuers:<slug>.
  std::string IssuerDid(std::string_view org_slug) const;
  // <base>/issuers/<slug>/did.json (what IssuerDid resolves to).
  std::string IssuerDidDocumentUrl(std::string_view org_slug) const;
  // <base>/credentials/<uuid>: the credential's stable public page.
  std::string CredentialUrl(std::string_view credential_uuid) const;
  // <base>/status/<list id>: a signed BitstringStatusListCredential.
  std::string StatusListUrl(std::string_view list_id) const;
  // <base>/log: checkpoint, tiles and proofs below it.
  std::string LogUrl() const { return base_ + "/log"; }

 private:
  std::string base_;
  std::string host_did_;
};

}  // namespace credstack::app
