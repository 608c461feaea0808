#pragma once

// The repositories written once against SqlConn, and the Tx that bundles
// them. Both backends hand a SqlTx to Store::Transact/Read callbacks.
// Internal to store/.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/store/internal/sql.h"
#include "credstack/store/internal/sql_skills.h"
#include "credstack/store/repositories.h"
#include "credstack/store/store.h"

namespace credstack::store::internal {

// Clamps a caller's page size to [1, kMaxPageSize].
int64_t ClampLimit(int64_t limit);

class SqlOrganizationRepository final : public OrganizationRepository {
 public:
  explicit SqlOrganizationRepository(SqlConn& db) : db_(db) {}
  Status Insert(const Organization& org) override;
  Result<Organization> Get(std::string_view id) override;
  Result<Organization> GetBySlug(std::string_view slug) override;
  Status UpdateProfile(std::string_view id,
                       std::string_view profile_json) override;
  Result<std::vector<Organization>> List(std::string_view after_id,
                                         int64_t limit) override;

 private:
  SqlConn& db_;
};

class SqlSigningKeyRepository final : public SigningKeyRepository {
 public:
  explicit SqlSigningKeyRepository(SqlConn& db) : db_(db) {}
  Status Insert(const SigningKey& key) override;
  Result<std::string> Rotate(const SigningKey& new_key) override;
  Result<SigningKey> GetActive(std::string_view org_id) override;
  Result<SigningKey> Get(std::string_view org_id,
                         std::string_view key_id) override;
  Result<SigningKey> FindByVerificationMethod(
      std::string_view verification_method) override;
  Result<std::vector<SigningKey>> ListByOrg(std::string_view org_id) override;

 private:
  SqlConn& db_;
};

class SqlApiKeyRepository final : public ApiKeyRepository {
 public:
  explicit SqlApiKeyRepository(SqlConn& db) : db_(db) {}
  Status Insert(const ApiKey& key) override;
  Result<ApiKey> FindBySecretHash(ByteView secret_hash) override;
  Result<std::vector<ApiKey>> ListByOrg(std::string_view org_id) override;
  Status Revoke(std::string_view org_id, std::string_view id,
                Timestamp when) override;

 private:
  SqlConn& db_;
};

class SqlAchievementRepository final : public AchievementRepository {
 public:
  explicit SqlAchievementRepository(SqlConn& db) : db_(db) {}
  Result<AchievementVersion> Create(const AchievementVersion& first) override;
  Result<AchievementVersion> AddVersion(std::string_view org_id,
                                        std::string_view achievement_id,
                                        std::string_view json,
                                        Timestamp created) override;
  Result<AchievementVersion> GetVersion(std::string_view org_id,
                                        std::string_view achievement_id,
                                        int64_t version) override;
  Result<AchievementVersion> GetLatest(
      std::string_view org_id, std::string_view achievement_id) override;
  Result<std::vector<AchievementVersion>> ListVersions(
      std::string_view org_id, std::string_view achievement_id) override;
  Result<std::vector<AchievementVersion>> ListLatest(std::string_view org_id,
                                                     std::string_view after_id,
                                                     int64_t limit) override;

 private:
  SqlConn& db_;
};

class SqlCredentialRepository final : public CredentialRepository {
 public:
  explicit SqlCredentialRepository(SqlConn& db) : db_(db) {}
  Result<InsertedCredential> Insert(const Credential& credential) override;
  Result<std::vector<InsertedCredential>> InsertMany(
      std::span<const Credential> credentials) override;
  Result<Credential> Get(std::string_view org_id, std::string_view id) override;
  Result<Credential> GetPublic(std::string_view id) override;
  Result<Credential> FindByIdempotencyKey(std::string_view org_id,
                                          std::string_view key) override;
  Result<std::vector<Credential>> FindByContentHash(
      ByteView content_hash) override;
  Result<std::vector<Credential>> ListByOrg(std::string_view org_id,
                                            std::string_view after_id,
                                            int64_t limit) override;
  Result<std::vector<Credential>> ListByRecipient(
      std::string_view recipient_identity, std::string_view after_id,
      int64_t limit) override;
  Result<int64_t> CountByOrg(std::string_view org_id) override;

 private:
  SqlConn& db_;
};

class SqlJobRepository final : public JobRepository {
 public:
  explicit SqlJobRepository(SqlConn& db) : db_(db) {}
  Status CreateJob(const BulkJob& job) override;
  Result<BulkJob> GetJob(std::string_view org_id,
                         std::string_view job_id) override;
  Result<std::vector<BulkJob>> ListJobs(std::string_view org_id,
                                        std::string_view after_id,
                                        int64_t limit) override;
  Result<int64_t> AddRows(std::string_view job_id,
                          std::span<const NewJobRow> rows,
                          Timestamp now) override;
  Status SetStatus(std::string_view job_id, JobStatus status,
                   std::string_view error, Timestamp now) override;
  Result<std::vector<JobRow>> ClaimRows(std::string_view job_id,
                                        std::string_view worker_id,
                                        int64_t max_rows, Timestamp now,
                                        Timestamp lease_until) override;
  Result<int64_t> ReleaseClaims(std::string_view job_id,
                                std::string_view worker_id) override;
  Status MarkRowIssued(std::string_view job_id, int64_t row_number,
                       std::string_view credential_id, Timestamp now) override;
  Status MarkRowsIssued(std::string_view job_id,
                        std::span<const IssuedRow> rows,
                        Timestamp now) override;
  Status MarkRowFailed(std::string_view job_id, int64_t row_number,
                       std::string_view error, Timestamp now) override;
  Result<JobRow> GetRow(std::string_view job_id, int64_t row_number) override;
  Result<std::vector<JobRow>> ListRows(std::string_view job_id,
                                       std::optional<JobRowState> state,
                                       int64_t after_row,
                                       int64_t limit) override;
  Result<JobRowCounts> CountRows(std::string_view job_id) override;

 private:
  SqlConn& db_;
};

class SqlStatusListRepository final : public StatusListRepository {
 public:
  explicit SqlStatusListRepository(SqlConn& db) : db_(db) {}
  Status Create(const StatusList& list) override;
  Result<StatusList> Get(std::string_view list_id) override;
  Result<std::vector<StatusList>> ListByOrg(
      std::string_view org_id, std::optional<StatusPurpose> purpose) override;
  Status Allocate(const StatusAllocation& allocation) override;
  Status AllocateMany(std::span<const StatusAllocation> allocations) override;
  Result<bool> IsAllocated(std::string_view list_id, int64_t index) override;
  Result<int64_t> CountAllocations(std::string_view list_id) override;
  Result<Bytes> GetAllocationBitmap(std::string_view list_id) override;
  Result<std::vector<StatusAllocation>> AllocationsForCredential(
      std::string_view credential_id) override;
  Result<StatusEvent> SetStatus(const StatusChange& change) override;
  Result<int64_t> GetStatus(std::string_view list_id, int64_t index) override;
  Result<std::vector<StatusEvent>> ListEvents(
      std::string_view credential_id) override;

 private:
  SqlConn& db_;
};

class SqlLogRepository final : public LogRepository {
 public:
  explicit SqlLogRepository(SqlConn& db) : db_(db) {}
  Result<int64_t> Append(std::span<const NewLogEntry> entries) override;
  Result<int64_t> Size() override;
  Result<std::vector<LogEntry>> ReadEntries(int64_t from,
                                            int64_t limit) override;
  Result<std::vector<LogEntry>> FindBySubject(
      std::string_view subject) override;
  Result<std::vector<int64_t>> FindByLeafHash(ByteView leaf_hash) override;
  Status PutTile(std::string_view path, ByteView data) override;
  Result<Bytes> GetTile(std::string_view path) override;
  Status PutCheckpoint(const Checkpoint& checkpoint) override;
  Result<Checkpoint> GetCheckpoint(int64_t size) override;
  Result<Checkpoint> LatestCheckpoint() override;
  Result<IntegrationState> GetIntegration() override;
  Status AdvanceIntegration(int64_t expected_size,
                            const IntegrationState& next) override;
  Status IndexCredentialHashes(std::span<const CredentialLogRef> refs) override;
  Result<std::vector<int64_t>> FindByCredentialHash(
      ByteView credential_hash) override;
  Result<std::vector<Checkpoint>> ListCheckpoints(int64_t after_size,
                                                  int64_t limit) override;
  Status PutCosignature(const Cosignature& cosignature) override;
  Result<std::vector<Cosignature>> ListCosignatures(int64_t size) override;

 private:
  SqlConn& db_;
};

class SqlAuditRepository final : public AuditRepository {
 public:
  explicit SqlAuditRepository(SqlConn& db) : db_(db) {}
  Result<int64_t> Append(const AuditEvent& event) override;
  Result<std::vector<AuditEvent>> List(std::string_view org_id,
                                       int64_t after_id,
                                       int64_t limit) override;

 private:
  SqlConn& db_;
};

class SqlIssuerRepository final : public IssuerRepository {
 public:
  explicit SqlIssuerRepository(SqlConn& db) : db_(db) {}
  Status InsertDidKey(const OrgDidKey& key) override;
  Result<OrgDidKey> GetDidKey(std::string_view org_id) override;
  Result<OrgDidKey> FindDidKey(std::string_view did) override;
  Status PutJobOptions(std::string_view job_id,
                       std::string_view options_json) override;
  Result<std::string> GetJobOptions(std::string_view job_id) override;
  Result<std::string> JobOrganization(std::string_view job_id) override;
  Result<std::vector<UnfinishedJob>> ListUnfinishedJobs(
      std::string_view after_id, int64_t limit) override;

 private:
  SqlConn& db_;
};

// The Tx both backends pass to callbacks: every repository over one
// connection that is inside a transaction.
class SqlTx final : public Tx {
 public:
  SqlTx(SqlConn& db, bool read_only)
      : read_only_(read_only),
        organizations_(db),
        signing_keys_(db),
        api_keys_(db),
        achievements_(db),
        credentials_(db),
        jobs_(db),
        status_lists_(db),
        log_(db),
        audit_(db),
        issuer_(db),
        skill_frameworks_(db),
        learners_(db),
        pathways_(db) {}

  bool read_only() const override { return read_only_; }
  OrganizationRepository& organizations() override { return organizations_; }
  SigningKeyRepository& signing_keys() override { return signing_keys_; }
  ApiKeyRepository& api_keys() override { return api_keys_; }
  AchievementRepository& achievements() override { return achievements_; }
  CredentialRepository& credentials() override { return credentials_; }
  JobRepository& jobs() override { return jobs_; }
  StatusListRepository& status_lists() override { return status_lists_; }
  LogRepository& log() override { return log_; }
  AuditRepository& audit() override { return audit_; }
  IssuerRepository& issuer() override { return issuer_; }
  SkillFrameworkRepository& skill_frameworks() override {
    return skill_frameworks_;
  }
  LearnerRepository& learners() override { return learners_; }
  PathwayRepository& pathways() override { return pathways_; }

 private:
  bool read_only_;
  SqlOrganizationRepository organizations_;
  SqlSigningKeyRepository signing_keys_;
  SqlApiKeyRepository api_keys_;
  SqlAchievementRepository achievements_;
  SqlCredentialRepository credentials_;
  SqlJobRepository jobs_;
  SqlStatusListRepository status_lists_;
  SqlLogRepository log_;
  SqlAuditRepository audit_;
  SqlIssuerRepository issuer_;
  SqlSkillFrameworkRepository skill_frameworks_;
  SqlLearnerRepository learners_;
  SqlPathwayRepository pathways_;
};

}  // namespace credstack::store::internal
