#pragma once

// Records the store persists, one struct per table row
// (docs/formats/schema.md). The store keeps credentials and achievements as
// JSON text exactly as given; it never parses, signs or verifies them.
// Identifiers are chosen by the caller (the store never generates ids or reads
// the clock) except for the log sequence number and the event/audit ids, which
// the database assigns.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "credstack/base/bytes.h"
#include "credstack/base/status.h"
#include "credstack/base/time.h"

namespace credstack::store {

// ---- Organizations and keys -------------------------------------------------

struct Organization {
  std::string id;    // opaque, unique (e.g. a UUID)
  std::string slug;  // unique, used in URLs (did:web path)
  // Open Badges 3.0 Profile JSON (name, url, email, description, image).
  std::string profile_json;
  Timestamp created;
};

// An Ed25519 issuing key. The private key is held only as ciphertext
// (libsodium secretbox in app/); the store never sees the master key.
struct SigningKey {
  std::string key_id;  // unique across the store
  std::string org_id;
  std::string verification_method;  // e.g. did:web:host:issuers:x#key-2
  std::string public_key_multibase;
  Bytes encrypted_private_key;
  Timestamp created;
  // Unset for the organization's active key; at most one key per organization
  // is active (a partial UNIQUE index guarantees it).
  std::optional<Timestamp> retired_at;

  bool active() const { return !retired_at.has_value(); }
};

enum class ApiKeyRole { kAdmin, kIssuer, kViewer };
std::string_view ApiKeyRoleName(ApiKeyRole role);  // "admin", ...
Result<ApiKeyRole> ParseApiKeyRole(std::string_view name);

struct ApiKey {
  std::string id;
  std::string org_id;
  ApiKeyRole role = ApiKeyRole::kViewer;
  // SHA-256 of the secret; the secret itself is never stored. UNIQUE.
  Bytes secret_hash;
  std::string prefix;  // first characters of the secret, for display
  Timestamp created;
  std::optional<Timestamp> revoked_at;
};

// An organization's did:key issuer (optional; VC-API issuer instances use
// it). The private key is sealed by app/ like a SigningKey's.
struct OrgDidKey {
  std::string org_id;
  std::string did;  // did:key:z6Mk...
  std::string public_key_multibase;
  Bytes encrypted_private_key;
  Timestamp created;
};

// ---- Achievements -----------------------------------------------------------

// One immutable version of an achievement. Editing creates version n + 1;
// credentials reference (achievement_id, version) and so never change.
struct AchievementVersion {
  std::string achievement_id;
  std::string org_id;
  int64_t version = 0;           // 1, 2, ...
  std::string achievement_json;  // Open Badges 3.0 Achievement
  Timestamp created;
};

// ---- Credentials ------------------------------------------------------------

enum class RecipientKind { kDid, kEmailHash, kOther };
std::string_view RecipientKindName(RecipientKind kind);  // "did", ...
Result<RecipientKind> ParseRecipientKind(std::string_view name);

struct Credential {
  std::string id;  // urn:uuid:...
  std::string org_id;
  std::string achievement_id;
  int64_t achievement_version = 0;
  RecipientKind recipient_kind = RecipientKind::kDid;
  // The DID, or the salted hash of an email ("sha256$..."); never a plain
  // email address.
  std::string recipient_identity;
  std::string credential_json;  // the signed credential, byte for byte
  Bytes content_hash;           // SHA-256 of credential_json (app computes)
  Timestamp issued;
  // Optional; UNIQUE per organization. Inserting again with the same key
  // returns the stored credential instead of a second one.
  std::optional<std::string> idempotency_key;
};

// ---- Bulk jobs --------------------------------------------------------------

enum class JobStatus { kQueued, kRunning, kDone, kFailed };
std::string_view JobStatusName(JobStatus status);
Result<JobStatus> ParseJobStatus(std::string_view name);

struct BulkJob {
  std::string id;
  std::string org_id;
  std::string achievement_id;
  int64_t achievement_version = 0;
  JobStatus status = JobStatus::kQueued;
  int64_t total_rows = 0;
  int64_t issued_rows = 0;
  int64_t failed_rows = 0;
  std::string error;  // why the job failed, if it did
  Timestamp created;
  Timestamp updated;
};

enum class JobRowState { kPending, kIssued, kFailed };
std::string_view JobRowStateName(JobRowState state);
Result<JobRowState> ParseJobRowState(std::string_view name);

struct JobRow {
  std::string job_id;
  int64_t row_number = 0;       // 1-based position in the upload
  std::string client_row_key;   // UNIQUE per job
  std::string recipient_input;  // the row as uploaded (JSON text)
  JobRowState state = JobRowState::kPending;
  std::string error;
  std::optional<std::string> credential_id;
  // Lease of the worker that claimed the row; a row whose lease has expired
  // may be claimed again (crash recovery).
  std::optional<std::string> claimed_by;
  std::optional<Timestamp> lease_until;
};

// ---- Status lists -----------------------------------------------------------

// Bitstring Status List v1.0 §2.1: statusPurpose values.
enum class StatusPurpose { kRevocation, kSuspension, kMessage };
std::string_view StatusPurposeName(StatusPurpose purpose);
Result<StatusPurpose> ParseStatusPurpose(std::string_view name);

struct StatusList {
  std::string id;  // also the list credential's URL path component
  std::string org_id;
  StatusPurpose purpose = StatusPurpose::kRevocation;
  int64_t size = 0;         // number of entries
  int64_t status_size = 1;  // bits per entry (statusSize)
  // The raw (uncompressed) bitstring, size * status_size bits, entry 0 in
  // the most significant bit of byte 0 (Bitstring Status List v1.0 §4.1).
  Bytes bits;
  int64_t version = 0;  // incremented by every change
  Timestamp created;
  Timestamp updated;
};

struct StatusAllocation {
  std::string list_id;
  int64_t index = 0;  // UNIQUE per list
  std::string credential_id;
};

struct StatusEvent {
  int64_t id = 0;  // assigned by the database
  std::string credential_id;
  std::string list_id;
  int64_t index = 0;
  StatusPurpose purpose = StatusPurpose::kRevocation;
  int64_t old_value = 0;
  int64_t new_value = 0;
  std::string reason;
  std::string actor;
  Timestamp created;
};

// ---- Transparency log -------------------------------------------------------

struct NewLogEntry {
  Bytes leaf_hash;  // RFC 9162 leaf hash, computed by tlog/
  Bytes leaf_data;  // the leaf's bytes (no personal data)
  // Optional lookup key, e.g. the credential id the event is about.
  std::string subject;
  Timestamp created;
};

struct LogEntry {
  int64_t seq = 0;  // 0, 1, 2, ... dense, assigned when the append commits
  Bytes leaf_hash;
  Bytes leaf_data;
  std::string subject;
  Timestamp created;
};

struct Checkpoint {
  int64_t size = 0;
  std::string note;  // signed note text (c2sp.org/tlog-checkpoint)
  Timestamp created;
};

// Integrator progress: entries [0, size) are part of the published tree;
// `state` is the integrator's opaque resume state (e.g. a compact range).
struct IntegrationState {
  int64_t size = 0;
  Bytes state;
};

// ---- Audit ------------------------------------------------------------------

struct AuditEvent {
  int64_t id = 0;      // assigned by the database
  std::string org_id;  // empty for system-wide events
  std::string actor;
  std::string action;
  std::string target;
  std::string details_json;  // "{}" when there is nothing to add
  Timestamp created;
};

}  // namespace credstack::store
