#pragma once

// Issuing Open Badges 3.0 credentials (DESIGN.md, "Issuance pipeline"):
// validate → build from a versioned achievement and the recipient (DID, or
// email hashed with a per-credential salt) → allocate a revocation entry
// (OB 3.0's schema allows one credentialStatus object) → sign with the
// organization's active key → in ONE store transaction
// (store::IssueCredentialTx) store the credential, the allocations and the
// transparency-log leaf. Exactly once per (organization, idempotency key): the
// UNIQUE constraint decides. After the commit, the issued-credential
// listeners (issued_listeners.h) hear of each newly stored credential.

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/app/app_context.h"
#include "credstack/app/issued_listeners.h"
#include "credstack/app/organizations.h"
#include "credstack/app/status_allocation.h"
#include "credstack/json/json.h"
#include "credstack/store/issuance.h"
#include "credstack/vc/data_integrity.h"

namespace credstack::app {

struct IssueRequest {
  std::string org_id;
  std::string achievement_id;
  std::optional<int64_t> achievement_version;  // unset: the latest
  std::string recipient;                       // a DID or an email address
  std::optional<Timestamp> valid_from;         // unset: now
  std::optional<Timestamp> valid_until;
  std::optional<Timestamp> awarded_date;
  std::optional<json::Array> evidence;
  std::optional<json::Array> results;
  std::optional<double> credits_earned;
  std::optional<std::string> idempotency_key;  // at most 256 bytes
  std::string cryptosuite;  // empty: eddsa-rdfc-2022 (the default)
};

// Reads the JSON body of POST /api/v1/orgs/{org}/credentials (and of a bulk
// row): achievementId, achievementVersion?, recipient, validFrom?,
// validUntil?, awardedDate?, evidence?, results?, creditsEarned?,
// idempotencyKey?, cryptosuite?. kInvalidArgument naming the member.
Result<IssueRequest> ParseIssueRequest(const json::Object& body);

struct IssuedCredential {
  store::Credential record;
  json::Value credential;  // the signed credential
  bool created = false;    // false: an earlier issuance with the same key
};

// A credential built and signed but not stored yet (bulk issuance signs in
// parallel, then stores in batches).
struct PreparedCredential {
  store::IssueRecord record;
  json::Value credential;
};

// What preparing needs about the organization, loaded once per batch.
struct IssuerContext {
  store::Organization org;
  json::Object issuer_profile;
  vc::Signer signer;
};

struct IssuanceOptions {
  // Attempts when a status index was taken concurrently.
  int max_attempts = 5;
  // Called with the number of credentials newly stored (metrics).
  std::function<void(uint64_t)> on_issued;
  // Told of each issued-credential listener call that failed (logging);
  // the issuance stands.
  std::function<void(const Status&)> on_listener_error;
};

// Thread-safe.
class IssuanceService {
 public:
  IssuanceService(std::shared_ptr<const AppContext> ctx,
                  std::shared_ptr<OrganizationService> orgs,
                  std::shared_ptr<StatusAllocator> status,
                  IssuanceOptions options = {});

  // Issues one credential. kNotFound (organization, achievement or
  // version), kInvalidArgument (recipient, dates, evidence ...). A newly
  // stored credential is told to the listeners before this returns (an
  // idempotent replay is not: its first issuance was).
  Result<IssuedCredential> Issue(const IssueRequest& request);

  // Registers a listener for every credential stored from now on through
  // Issue, bulk jobs (BulkService) and the VC-API issuer. Thread-safe.
  void AddIssuedListener(IssuedListener listener);
  // The listeners, for the other issuance paths (bulk, VC-API).
  const std::shared_ptr<IssuedListeners>& issued_listeners() const {
    return listeners_;
  }

  // --- Building blocks of bulk issuance.
  Result<IssuerContext> LoadIssuer(std::string_view org_id) const;
  Result<store::AchievementVersion> LoadAchievement(
      std::string_view org_id, std::string_view achievement_id,
      std::optional<int64_t> version) const;
  // Builds and signs one credential with the given status entries (one
  // object for one entry, else an array). No store access; thread-safe.
  Result<PreparedCredential> Prepare(
      const IssuerContext& issuer, const store::AchievementVersion& achievement,
      const json::Object& achievement_json, const IssueRequest& request,
      std::span<const StatusEntry> entries, Timestamp now) const;
  // Status entries for n credentials: one revocation entry each.
  Result<std::vector<StatusEntry>> PickEntries(std::string_view org_id,
                                               size_t n);
  StatusAllocator& status() { return *status_; }

  const IssuanceOptions& options() const { return options_; }

 private:
  std::shared_ptr<const AppContext> ctx_;
  std::shared_ptr<OrganizationService> orgs_;
  std::shared_ptr<StatusAllocator> status_;
  IssuanceOptions options_;
  std::shared_ptr<IssuedListeners> listeners_;
};

// A credential's uuid from its id ("urn:uuid:<uuid>"), or empty.
std::string_view CredentialUuid(std::string_view credential_id);

// The log record committing to an issuance (docs/formats/log-leaf.md).
Result<store::NewLogEntry> IssuedLogEntry(const json::Value& credential,
                                          std::string_view issuer_did,
                                          std::string_view credential_id,
                                          Timestamp now);

}  // namespace credstack::app
