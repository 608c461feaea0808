#pragma once

// Bitstring Status List v1.0 on the service side: publishing each stored
// list as a signed BitstringStatusListCredential (§2.2), and changing a
// credential's status (revoke / suspend / unsuspend / set a message value)
// with an audit event and a transparency-log leaf in the same transaction.
// Formats: docs/formats/status-list.md, docs/formats/log-leaf.md; HTTP:
// docs/status-log-api.md.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/app/app_context.h"
#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/store/types.h"
#include "credstack/vc/resolver.h"

namespace credstack::app {

struct StatusServiceOptions {
  // credentialSubject.ttl of published lists (ms) and the Cache-Control
  // max-age of GET /status/{id}: how long verifiers may reuse a list.
  uint64_t ttl_ms = 300'000;
  // Signed documents kept in memory (one per list, latest version).
  size_t max_cached_documents = 4096;
};

// A signed status list credential as published.
struct PublishedStatusList {
  std::string list_id;
  std::string url;
  int64_t version = 0;
  // Strong validator: list version and signing key, so every node serving
  // the same list version with the same key gives the same ETag (and, since
  // Ed25519 and RDFC-1.0 are deterministic and the proof is dated by the
  // list's update time, the same bytes).
  std::string etag;
  std::string body;  // serialized JSON
  std::shared_ptr<const json::Value> document;
  uint64_t ttl_ms = 0;
  Timestamp updated;
  std::string verification_method;  // of the signing key
};

enum class StatusAction { kRevoke, kSuspend, kUnsuspend, kSet };
// "revoke", "suspend", "unsuspend", "set"; kInvalidArgument otherwise.
Result<StatusAction> ParseStatusAction(std::string_view name);
std::string_view StatusActionName(StatusAction action);

struct StatusChangeRequest {
  std::string org_id;
  // "urn:uuid:<uuid>" or the bare UUID.
  std::string credential_id;
  StatusAction action = StatusAction::kRevoke;
  // Required for kSet; implied by the other actions when unset
  // (revoke -> revocation, suspend/unsuspend -> suspension).
  std::optional<store::StatusPurpose> purpose;
  // The value for kSet (< 2^statusSize).
  int64_t value = 0;
  std::string reason;
  std::string actor;  // e.g. the API key id
};

struct StatusChangeResult {
  std::string credential_id;
  std::string list_id;
  std::string list_url;
  int64_t index = 0;
  store::StatusPurpose purpose = store::StatusPurpose::kRevocation;
  int64_t old_value = 0;
  int64_t new_value = 0;
  bool changed = false;  // false: the entry already had the value
  int64_t event_id = -1;
  int64_t log_seq = -1;  // the leaf's sequence number when changed
};

// One status entry of a credential with its current value.
struct CredentialStatusEntry {
  std::string list_id;
  std::string list_url;
  int64_t index = 0;
  store::StatusPurpose purpose = store::StatusPurpose::kRevocation;
  int64_t status_size = 1;
  int64_t value = 0;
};

struct CredentialStatusView {
  std::string credential_id;
  std::vector<CredentialStatusEntry> entries;
  std::vector<store::StatusEvent> events;  // oldest first

  json::Value ToJson() const;
};

// Thread-safe.
class StatusService {
 public:
  StatusService(std::shared_ptr<const AppContext> ctx,
                StatusServiceOptions options = {});

  // The list's current signed credential; re-signed only when the list
  // version (or the organization's active key) changed. kNotFound for an
  // unknown list, kFailedPrecondition when the organization has no key.
  Result<std::shared_ptr<const PublishedStatusList>> GetListCredential(
      std::string_view list_id) const;

  // Changes one status entry of a credential of the organization: the
  // bitstring, a status event (reason, actor, time) and a log leaf
  // (revoked / suspended / unsuspended / status-message) in one
  // transaction. A change to the value the entry already has stores
  // nothing (changed = false). Errors: kNotFound (no such credential in the
  // organization, or no entry for the purpose), kFailedPrecondition
  // (un-revoking: §2.1 revocation "is not reversible"), kInvalidArgument.
  Result<StatusChangeResult> ChangeStatus(const StatusChangeRequest& request);

  // Current entries and the status history of a credential of the
  // organization. kNotFound when the organization has no such credential.
  Result<CredentialStatusView> GetCredentialStatus(
      std::string_view org_id, std::string_view credential_id) const;

  // The organization owning a credential (any organization): for the
  // VC-API status endpoint, which names only the credential.
  Result<std::string> CredentialOrg(std::string_view credential_id) const;

  // Called after each committed change (e.g. to drop a verifier's cached
  // copy of the list, or to re-evaluate pathways that count the credential).
  // Register before use; not thread-safe itself.
  using ChangeListener = std::function<void(const StatusChangeResult&)>;
  void AddChangeListener(ChangeListener listener);

  const StatusServiceOptions& options() const { return options_; }
  const AppContext& context() const { return *ctx_; }

 private:
  std::shared_ptr<const AppContext> ctx_;
  StatusServiceOptions options_;
  std::vector<ChangeListener> listeners_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::shared_ptr<const PublishedStatusList>,
                   std::less<>>
      cache_;
};

// "urn:uuid:<uuid>" for a bare UUID; other ids unchanged.
std::string NormalizeCredentialId(std::string_view id);

// Resolves this deployment's status list URLs (<base>/status/<id>) from the
// store through the StatusService, without HTTP. Other URLs: kNotFound.
class OwnStatusListResolver final : public vc::DocumentResolver {
 public:
  explicit OwnStatusListResolver(std::shared_ptr<const StatusService> service);
  Result<std::shared_ptr<const json::Value>> Resolve(
      std::string_view url) const override;

 private:
  std::shared_ptr<const StatusService> service_;
  std::string prefix_;
};

}  // namespace credstack::app
