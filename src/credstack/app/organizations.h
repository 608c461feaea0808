#pragma once

// Organizations (issuers) with their Open Badges 3.0 Profile (OB 3.0
// §B.1.17: name, url, email, description, image) and per-organization API
// keys with roles admin ⊇ issuer ⊇ viewer. An API key's secret is shown
// once, at creation; the store keeps only its SHA-256.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/app/app_context.h"
#include "credstack/app/key_service.h"
#include "credstack/json/json.h"
#include "credstack/store/types.h"

namespace credstack::app {

struct CreatedApiKey {
  store::ApiKey key;
  std::string secret;  // returned once, never stored
};

struct CreatedOrganization {
  store::Organization org;
  std::string issuer_did;
  std::optional<std::string> did_key;  // when the request asked for one
  CreatedApiKey admin_key;
};

// Validates an OB 3.0 Profile for an organization: name (required),
// url, email, description, image (URL or Image object), phone. Returns the
// profile as stored (type Profile, no id: the id is the issuer DID).
// kInvalidArgument naming the field.
Result<json::Object> NormalizeProfile(const json::Object& input);

// "acme-university": 1..64 of [a-z0-9-], not starting or ending with '-'.
bool IsValidSlug(std::string_view slug);
// A slug derived from a name ("ACME University" → "acme-university").
std::string SlugFromName(std::string_view name);

// Thread-safe.
class OrganizationService {
 public:
  OrganizationService(std::shared_ptr<const AppContext> ctx,
                      std::shared_ptr<KeyService> keys);

  // body: {"slug"?, "name", "url"?, "email"?, "description"?, "image"?,
  // "didKey"?: bool}. Creates the organization, its first signing key and
  // an admin API key, in one transaction.
  Result<CreatedOrganization> Create(const json::Object& body,
                                     std::string_view actor);
  Result<store::Organization> Get(std::string_view org_id) const;
  Result<std::vector<store::Organization>> List(std::string_view after_id,
                                                int64_t limit) const;
  // Replaces the profile (same validation as Create; slug unchanged).
  Result<store::Organization> UpdateProfile(std::string_view org_id,
                                            const json::Object& body,
                                            std::string_view actor);

  Result<CreatedApiKey> CreateApiKey(std::string_view org_id,
                                     store::ApiKeyRole role,
                                     std::string_view actor);
  Result<std::vector<store::ApiKey>> ListApiKeys(std::string_view org_id) const;
  Status RevokeApiKey(std::string_view org_id, std::string_view key_id,
                      std::string_view actor);

  // The Profile a credential carries as issuer: the stored profile with
  // id = the issuer DID.
  json::Object IssuerProfile(const store::Organization& org) const;
  // The organization's JSON for APIs: id, slug, did, profile, created.
  json::Object ToJson(const store::Organization& org) const;

 private:
  CreatedApiKey NewApiKey(std::string_view org_id,
                          store::ApiKeyRole role) const;

  std::shared_ptr<const AppContext> ctx_;
  std::shared_ptr<KeyService> keys_;
};

json::Object ApiKeyToJson(const store::ApiKey& key);

}  // namespace credstack::app
