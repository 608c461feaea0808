#pragma once

// Narrow repository interfaces, one per aggregate. Instances exist only
// inside a transaction (store.h: Store::Transact / Store::Read hand out a Tx
// that owns them); every call runs in that transaction, so several calls
// compose atomically. Not thread-safe: a Tx belongs to one thread.
//
// Uniqueness is guaranteed by UNIQUE constraints in the schema, never by
// checking first: a violation comes back as kAlreadyExists. Reads of a
// missing row return kNotFound. In a read-only Tx every write fails with
// kFailedPrecondition. On PostgreSQL a failed statement aborts the whole
// transaction, so after an error the only sensible move is to return it.
// List calls take a limit that is clamped to [1, kMaxPageSize].

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/base/time.h"
#include "credstack/store/types.h"

namespace credstack::store {

inline constexpr int64_t kMaxPageSize = 1000;

class OrganizationRepository {
 public:
  virtual ~OrganizationRepository() = default;
  // kAlreadyExists when the id or the slug is taken.
  virtual Status Insert(const Organization& org) = 0;
  virtual Result<Organization> Get(std::string_view id) = 0;
  virtual Result<Organization> GetBySlug(std::string_view slug) = 0;
  virtual Status UpdateProfile(std::string_view id,
                               std::string_view profile_json) = 0;
  // Ordered by id; ids strictly greater than `after_id`.
  virtual Result<std::vector<Organization>> List(std::string_view after_id,
                                                 int64_t limit) = 0;
};

class SigningKeyRepository {
 public:
  virtual ~SigningKeyRepository() = default;
  // Inserts a key. An active key (no retired_at) fails with kAlreadyExists
  // when the organization already has one; use Rotate to replace it.
  virtual Status Insert(const SigningKey& key) = 0;
  // Key rotation: retires the organization's active key (if any) at
  // new_key.created and inserts new_key as the active key. Returns the
  // retired key id, or an empty string when there was none.
  virtual Result<std::string> Rotate(const SigningKey& new_key) = 0;
  virtual Result<SigningKey> GetActive(std::string_view org_id) = 0;
  virtual Result<SigningKey> Get(std::string_view org_id,
                                 std::string_view key_id) = 0;
  // Any organization's key by its verification method id (resolving our
  // own did:web documents).
  virtual Result<SigningKey> FindByVerificationMethod(
      std::string_view verification_method) = 0;
  // Every key of the organization, retired ones included, oldest first.
  virtual Result<std::vector<SigningKey>> ListByOrg(
      std::string_view org_id) = 0;
};

class ApiKeyRepository {
 public:
  virtual ~ApiKeyRepository() = default;
  // kAlreadyExists when the id or the secret hash is taken.
  virtual Status Insert(const ApiKey& key) = 0;
  // Looks a key up by the SHA-256 of a presented secret. Revoked keys are
  // returned too (revoked_at set); the caller refuses them.
  virtual Result<ApiKey> FindBySecretHash(ByteView secret_hash) = 0;
  virtual Result<std::vector<ApiKey>> ListByOrg(std::string_view org_id) = 0;
  // kNotFound when the organization has no such key; revoking twice keeps
  // the first time.
  virtual Status Revoke(std::string_view org_id, std::string_view id,
                        Timestamp when) = 0;
};

class AchievementRepository {
 public:
  virtual ~AchievementRepository() = default;
  // Creates the achievement with version 1 (first.version is ignored).
  // kAlreadyExists when the id is taken.
  virtual Result<AchievementVersion> Create(
      const AchievementVersion& first) = 0;
  // Stores a new immutable version n + 1 of an existing achievement.
  virtual Result<AchievementVersion> AddVersion(std::string_view org_id,
                                                std::string_view achievement_id,
                                                std::string_view json,
                                                Timestamp created) = 0;
  virtual Result<AchievementVersion> GetVersion(std::string_view org_id,
                                                std::string_view achievement_id,
                                                int64_t version) = 0;
  virtual Result<AchievementVersion> GetLatest(
      std::string_view org_id, std::string_view achievement_id) = 0;
  // All versions, oldest first.
  virtual Result<std::vector<AchievementVersion>> ListVersions(
      std::string_view org_id, std::string_view achievement_id) = 0;
  // The latest version of each achievement, ordered by achievement id.
  virtual Result<std::vector<AchievementVersion>> ListLatest(
      std::string_view org_id, std::string_view after_id, int64_t limit) = 0;
};

struct InsertedCredential {
  Credential credential;  // as stored: the existing row on an idempotent hit
  bool created = false;   // false when (org, idempotency key) already existed
};

class CredentialRepository {
 public:
  virtual ~CredentialRepository() = default;
  // Idempotent by (org_id, idempotency_key): when a credential with that key
  // exists (also one committed concurrently), returns it with created =
  // false and stores nothing. kAlreadyExists when the id is taken by a
  // different credential; kFailedPrecondition when the organization or the
  // achievement version does not exist.
  virtual Result<InsertedCredential> Insert(const Credential& credential) = 0;
  // Insert for many credentials at once (bulk issuance), results in order.
  // A key repeated within the batch stores the first credential and returns
  // it for the later ones.
  virtual Result<std::vector<InsertedCredential>> InsertMany(
      std::span<const Credential> credentials) = 0;
  virtual Result<Credential> Get(std::string_view org_id,
                                 std::string_view id) = 0;
  // Any organization's credential (public credential URLs).
  virtual Result<Credential> GetPublic(std::string_view id) = 0;
  virtual Result<Credential> FindByIdempotencyKey(std::string_view org_id,
                                                  std::string_view key) = 0;
  virtual Result<std::vector<Credential>> FindByContentHash(
      ByteView content_hash) = 0;
  // Ordered by id.
  virtual Result<std::vector<Credential>> ListByOrg(std::string_view org_id,
                                                    std::string_view after_id,
                                                    int64_t limit) = 0;
  virtual Result<std::vector<Credential>> ListByRecipient(
      std::string_view recipient_identity, std::string_view after_id,
      int64_t limit) = 0;
  virtual Result<int64_t> CountByOrg(std::string_view org_id) = 0;
};

struct NewJobRow {
  int64_t row_number = 0;
  std::string client_row_key;
  std::string recipient_input;
};

struct IssuedRow {
  int64_t row_number = 0;
  std::string credential_id;
};

struct JobRowCounts {
  int64_t pending = 0;
  int64_t issued = 0;
  int64_t failed = 0;
};

class JobRepository {
 public:
  virtual ~JobRepository() = default;
  // total/issued/failed counters are ignored and start at zero.
  virtual Status CreateJob(const BulkJob& job) = 0;
  virtual Result<BulkJob> GetJob(std::string_view org_id,
                                 std::string_view job_id) = 0;
  // Ordered by id.
  virtual Result<std::vector<BulkJob>> ListJobs(std::string_view org_id,
                                                std::string_view after_id,
                                                int64_t limit) = 0;
  // Adds rows; a row whose client_row_key the job already has is skipped
  // (re-uploading is idempotent). Returns how many rows were added and
  // raises total_rows by that much.
  virtual Result<int64_t> AddRows(std::string_view job_id,
                                  std::span<const NewJobRow> rows,
                                  Timestamp now) = 0;
  virtual Status SetStatus(std::string_view job_id, JobStatus status,
                           std::string_view error, Timestamp now) = 0;
  // Claims up to max_rows pending rows that are unclaimed or whose lease
  // ended before `now`, lowest row number first, for worker_id until
  // lease_until. Concurrent claimers never receive the same row (SQLite: the
  // single writer; PostgreSQL: FOR UPDATE SKIP LOCKED). Commit the claim in
  // its own short transaction, issue outside it, then mark the rows.
  virtual Result<std::vector<JobRow>> ClaimRows(std::string_view job_id,
                                                std::string_view worker_id,
                                                int64_t max_rows, Timestamp now,
                                                Timestamp lease_until) = 0;
  // Gives back a worker's unfinished claims (graceful shutdown).
  virtual Result<int64_t> ReleaseClaims(std::string_view job_id,
                                        std::string_view worker_id) = 0;
  // pending -> issued with the credential id, counting it in the job.
  // Marking an issued row again with the same credential is a no-op;
  // kFailedPrecondition if the row is failed or issued with another id.
  virtual Status MarkRowIssued(std::string_view job_id, int64_t row_number,
                               std::string_view credential_id,
                               Timestamp now) = 0;
  // MarkRowIssued for many rows of one job, with one counter update.
  virtual Status MarkRowsIssued(std::string_view job_id,
                                std::span<const IssuedRow> rows,
                                Timestamp now) = 0;
  // pending -> failed with the error; kFailedPrecondition if not pending.
  virtual Status MarkRowFailed(std::string_view job_id, int64_t row_number,
                               std::string_view error, Timestamp now) = 0;
  virtual Result<JobRow> GetRow(std::string_view job_id,
                                int64_t row_number) = 0;
  // Rows after `after_row`, by row number; all states when state is unset.
  virtual Result<std::vector<JobRow>> ListRows(std::string_view job_id,
                                               std::optional<JobRowState> state,
                                               int64_t after_row,
                                               int64_t limit) = 0;
  // Counted from the rows themselves (the job's counters must agree).
  virtual Result<JobRowCounts> CountRows(std::string_view job_id) = 0;
};

struct StatusChange {
  std::string credential_id;
  StatusPurpose purpose = StatusPurpose::kRevocation;
  int64_t new_value = 0;  // < 2^status_size
  std::string reason;
  std::string actor;
  Timestamp when;
};

class StatusListRepository {
 public:
  virtual ~StatusListRepository() = default;
  // bits must hold exactly size * status_size bits (kInvalidArgument).
  virtual Status Create(const StatusList& list) = 0;
  // Any organization's list (status lists are public).
  virtual Result<StatusList> Get(std::string_view list_id) = 0;
  // The organization's lists, oldest first; all purposes when unset.
  virtual Result<std::vector<StatusList>> ListByOrg(
      std::string_view org_id, std::optional<StatusPurpose> purpose) = 0;
  // Reserves index in the list for a credential. kAlreadyExists when the
  // index is taken (choose another and retry the transaction);
  // kInvalidArgument when out of range.
  virtual Status Allocate(const StatusAllocation& allocation) = 0;
  // Allocate for many entries at once (bulk issuance).
  virtual Status AllocateMany(
      std::span<const StatusAllocation> allocations) = 0;
  virtual Result<bool> IsAllocated(std::string_view list_id, int64_t index) = 0;
  virtual Result<int64_t> CountAllocations(std::string_view list_id) = 0;
  // The list's allocated indexes as a bitmap of ceil(size / 8) bytes, index
  // 0 in the most significant bit of byte 0 — the layout
  // status::AllocationBitmap::FromBytes reads, so the app can pick a random
  // free index (and cache the bitmap; a concurrent node taking the same
  // index makes the issuance fail with kAlreadyExists, then mark and retry).
  virtual Result<Bytes> GetAllocationBitmap(std::string_view list_id) = 0;
  virtual Result<std::vector<StatusAllocation>> AllocationsForCredential(
      std::string_view credential_id) = 0;
  // Sets the credential's entry in its list for change.purpose and records a
  // StatusEvent with the old and new value, in this transaction. The list's
  // version goes up when the value changes. kNotFound when the credential has
  // no allocation for that purpose.
  virtual Result<StatusEvent> SetStatus(const StatusChange& change) = 0;
  // Reads one entry's value.
  virtual Result<int64_t> GetStatus(std::string_view list_id,
                                    int64_t index) = 0;
  // Events for a credential, oldest first.
  virtual Result<std::vector<StatusEvent>> ListEvents(
      std::string_view credential_id) = 0;
};

class LogRepository {
 public:
  virtual ~LogRepository() = default;
  // Appends entries with consecutive sequence numbers and returns the first.
  // Sequence numbers are dense and gap-free across every node: the counter is
  // a single row updated in this transaction, so appenders are serialized
  // until commit and a rollback returns the numbers.
  virtual Result<int64_t> Append(std::span<const NewLogEntry> entries) = 0;
  // Number of committed entries (the next sequence number).
  virtual Result<int64_t> Size() = 0;
  // Entries [from, from + limit) that exist, by sequence number.
  virtual Result<std::vector<LogEntry>> ReadEntries(int64_t from,
                                                    int64_t limit) = 0;
  virtual Result<std::vector<LogEntry>> FindBySubject(
      std::string_view subject) = 0;
  virtual Result<std::vector<int64_t>> FindByLeafHash(ByteView leaf_hash) = 0;

  // Tiles are immutable: putting the same bytes again is a no-op, different
  // bytes for a stored path fail with kFailedPrecondition.
  virtual Status PutTile(std::string_view path, ByteView data) = 0;
  virtual Result<Bytes> GetTile(std::string_view path) = 0;
  // Checkpoints are immutable per size, like tiles.
  virtual Status PutCheckpoint(const Checkpoint& checkpoint) = 0;
  virtual Result<Checkpoint> GetCheckpoint(int64_t size) = 0;
  virtual Result<Checkpoint> LatestCheckpoint() = 0;

  // Integrator state (size 0, empty state before the first call).
  virtual Result<IntegrationState> GetIntegration() = 0;
  // Compare-and-set: kFailedPrecondition unless the stored size equals
  // expected_size (another integrator moved on); new size must not shrink.
  virtual Status AdvanceIntegration(int64_t expected_size,
                                    const IntegrationState& next) = 0;
};

struct UnfinishedJob {
  std::string job_id;
  std::string org_id;
};

// Issuer settings (migration 0002): an organization's did:key issuer and the
// options every row of a bulk job shares.
class IssuerRepository {
 public:
  virtual ~IssuerRepository() = default;
  // kAlreadyExists when the organization already has a did:key (or the DID
  // is taken); kFailedPrecondition for an unknown organization.
  virtual Status InsertDidKey(const OrgDidKey& key) = 0;
  virtual Result<OrgDidKey> GetDidKey(std::string_view org_id) = 0;
  virtual Result<OrgDidKey> FindDidKey(std::string_view did) = 0;
  // Options are written once, with the job (kAlreadyExists afterwards).
  virtual Status PutJobOptions(std::string_view job_id,
                               std::string_view options_json) = 0;
  virtual Result<std::string> GetJobOptions(std::string_view job_id) = 0;
  // The organization that owns a job (job ids are unique store-wide).
  virtual Result<std::string> JobOrganization(std::string_view job_id) = 0;
  // Queued or running jobs of every organization, by id after `after_id`.
  virtual Result<std::vector<UnfinishedJob>> ListUnfinishedJobs(
      std::string_view after_id, int64_t limit) = 0;
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  // Returns the id the database assigned.
  virtual Result<int64_t> Append(const AuditEvent& event) = 0;
  // The organization's events with id > after_id, oldest first.
  virtual Result<std::vector<AuditEvent>> List(std::string_view org_id,
                                               int64_t after_id,
                                               int64_t limit) = 0;
};

}  // namespace credstack::store
