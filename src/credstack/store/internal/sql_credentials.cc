// Credentials and bulk jobs over SqlConn. Tables: docs/formats/schema.md.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "credstack/store/internal/sql_repositories.h"

namespace credstack::store::internal {
namespace {

#define CREDSTACK_CREDENTIAL_COLS                                     \
  "id, org_id, achievement_id, achievement_version, recipient_kind, " \
  "recipient_identity, credential_json, content_hash, issued_us, "    \
  "idempotency_key"

Result<Credential> CredentialAt(const SqlResult& r, size_t i) {
  CREDSTACK_ASSIGN_OR_RETURN(RecipientKind kind,
                             ParseRecipientKind(r.Text(i, 4)));
  return Credential{.id = r.Text(i, 0),
                    .org_id = r.Text(i, 1),
                    .achievement_id = r.Text(i, 2),
                    .achievement_version = r.IsNull(i, 3) ? 0 : r.Int(i, 3),
                    .recipient_kind = kind,
                    .recipient_identity = r.Text(i, 5),
                    .credential_json = r.Text(i, 6),
                    .content_hash = r.Blob(i, 7),
                    .issued = r.Time(i, 8),
                    .idempotency_key = r.OptText(i, 9)};
}

Result<std::vector<Credential>> Credentials(const SqlResult& r) {
  std::vector<Credential> out;
  out.reserve(r.rows());
  for (size_t i = 0; i < r.rows(); ++i) {
    CREDSTACK_ASSIGN_OR_RETURN(Credential c, CredentialAt(r, i));
    out.push_back(std::move(c));
  }
  return out;
}

#define CREDSTACK_JOB_COLS                                                \
  "id, org_id, achievement_id, achievement_version, status, total_rows, " \
  "issued_rows, failed_rows, error, created_us, updated_us"

Result<BulkJob> JobAt(const SqlResult& r, size_t i) {
  CREDSTACK_ASSIGN_OR_RETURN(JobStatus status, ParseJobStatus(r.Text(i, 4)));
  return BulkJob{.id = r.Text(i, 0),
                 .org_id = r.Text(i, 1),
                 .achievement_id = r.Text(i, 2),
                 .achievement_version = r.Int(i, 3),
                 .status = status,
                 .total_rows = r.Int(i, 5),
                 .issued_rows = r.Int(i, 6),
                 .failed_rows = r.Int(i, 7),
                 .error = r.Text(i, 8),
                 .created = r.Time(i, 9),
                 .updated = r.Time(i, 10)};
}

#define CREDSTACK_ROW_COLS                                              \
  "job_id, row_number, client_row_key, recipient_input, state, error, " \
  "credential_id, claimed_by, lease_until_us"

Result<JobRow> RowAt(const SqlResult& r, size_t i) {
  CREDSTACK_ASSIGN_OR_RETURN(JobRowState state, ParseJobRowState(r.Text(i, 4)));
  return JobRow{.job_id = r.Text(i, 0),
                .row_number = r.Int(i, 1),
                .client_row_key = r.Text(i, 2),
                .recipient_input = r.Text(i, 3),
                .state = state,
                .error = r.Text(i, 5),
                .credential_id = r.OptText(i, 6),
                .claimed_by = r.OptText(i, 7),
                .lease_until = r.OptTime(i, 8)};
}

Result<std::vector<JobRow>> Rows(const SqlResult& r) {
  std::vector<JobRow> out;
  out.reserve(r.rows());
  for (size_t i = 0; i < r.rows(); ++i) {
    CREDSTACK_ASSIGN_OR_RETURN(JobRow row, RowAt(r, i));
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

// ---- credentials ------------------------------------------------------------

Result<InsertedCredential> SqlCredentialRepository::Insert(
    const Credential& c) {
  CREDSTACK_ASSIGN_OR_RETURN(std::vector<InsertedCredential> out,
                             InsertMany(std::span(&c, 1)));
  return std::move(out[0]);
}

Result<std::vector<InsertedCredential>> SqlCredentialRepository::InsertMany(
    std::span<const Credential> credentials) {
  // ON CONFLICT names only the idempotency constraint: a clash on the id
  // (primary key) still fails with kAlreadyExists. A NULL key never
  // conflicts (NULLs are distinct in UNIQUE constraints on both engines).
  constexpr size_t kWidth = 10;
  std::vector<SqlParam> params;
  params.reserve(credentials.size() * kWidth);
  for (const Credential& c : credentials) {
    params.insert(params.end(),
                  {c.id, c.org_id, TextOrNull(c.achievement_id),
                   c.achievement_id.empty() ? SqlParam(nullptr)
                                            : SqlParam(c.achievement_version),
                   RecipientKindName(c.recipient_kind), c.recipient_identity,
                   c.credential_json, ByteView(c.content_hash),
                   c.issued.unix_micros, OptText(c.idempotency_key)});
  }
  CREDSTACK_ASSIGN_OR_RETURN(
      std::vector<int64_t> inserted,
      db_.RunBatch("INSERT INTO credentials (" CREDSTACK_CREDENTIAL_COLS
                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (org_id, idempotency_key) DO NOTHING",
                   params, kWidth));
  std::vector<InsertedCredential> out;
  out.reserve(credentials.size());
  for (size_t i = 0; i < credentials.size(); ++i) {
    const Credential& c = credentials[i];
    if (inserted[i] == 1) {
      out.push_back(InsertedCredential{.credential = c, .created = true});
      continue;
    }
    // The key exists (committed, committed meanwhile by a concurrent
    // transaction the INSERT waited for, or earlier in this batch).
    CREDSTACK_CHECK(c.idempotency_key.has_value());
    CREDSTACK_ASSIGN_OR_RETURN(
        Credential existing,
        FindByIdempotencyKey(c.org_id, *c.idempotency_key));
    out.push_back(InsertedCredential{.credential = std::move(existing),
                                     .created = false});
  }
  return out;
}

Result<Credential> SqlCredentialRepository::Get(std::string_view org_id,
                                                std::string_view id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT " CREDSTACK_CREDENTIAL_COLS
                           " FROM credentials WHERE org_id = ? AND id = ?",
                           {org_id, id}));
  if (r.empty())
    return NotFoundError("credential \"" + std::string(id) + "\" not found");
  return CredentialAt(r, 0);
}

Result<Credential> SqlCredentialRepository::GetPublic(std::string_view id) {
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run("SELECT " CREDSTACK_CREDENTIAL_COLS
                                     " FROM credentials WHERE id = ?",
                                     {id}));
  if (r.empty())
    return NotFoundError("credential \"" + std::string(id) + "\" not found");
  return CredentialAt(r, 0);
}

Result<Credential> SqlCredentialRepository::FindByIdempotencyKey(
    std::string_view org_id, std::string_view key) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT " CREDSTACK_CREDENTIAL_COLS
              " FROM credentials WHERE org_id = ? AND idempotency_key = ?",
              {org_id, key}));
  if (r.empty())
    return NotFoundError("no credential with that idempotency key");
  return CredentialAt(r, 0);
}

Result<std::vector<Credential>> SqlCredentialRepository::FindByContentHash(
    ByteView content_hash) {
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run("SELECT " CREDSTACK_CREDENTIAL_COLS
                                     " FROM credentials WHERE content_hash = ? "
                                     "ORDER BY id LIMIT 1000",
                                     {content_hash}));
  return Credentials(r);
}

Result<std::vector<Credential>> SqlCredentialRepository::ListByOrg(
    std::string_view org_id, std::string_view after_id, int64_t limit) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT " CREDSTACK_CREDENTIAL_COLS
                           " FROM credentials WHERE org_id = ? AND id > ? "
                           "ORDER BY id LIMIT ?",
                           {org_id, after_id, ClampLimit(limit)}));
  return Credentials(r);
}

Result<std::vector<Credential>> SqlCredentialRepository::ListByRecipient(
    std::string_view recipient_identity, std::string_view after_id,
    int64_t limit) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT " CREDSTACK_CREDENTIAL_COLS
              " FROM credentials WHERE recipient_identity = ? AND id > ? "
              "ORDER BY id LIMIT ?",
              {recipient_identity, after_id, ClampLimit(limit)}));
  return Credentials(r);
}

Result<int64_t> SqlCredentialRepository::CountByOrg(std::string_view org_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT COUNT(*) FROM credentials WHERE org_id = ?", {org_id}));
  return r.Int(0, 0);
}

// ---- bulk jobs --------------------------------------------------------------

Status SqlJobRepository::CreateJob(const BulkJob& job) {
  return db_
      .Run("INSERT INTO bulk_jobs (" CREDSTACK_JOB_COLS
           ") VALUES (?, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?)",
           {job.id, job.org_id, job.achievement_id, job.achievement_version,
            JobStatusName(job.status), job.error, job.created.unix_micros,
            job.updated.unix_micros})
      .status();
}

Result<BulkJob> SqlJobRepository::GetJob(std::string_view org_id,
                                         std::string_view job_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT " CREDSTACK_JOB_COLS
                           " FROM bulk_jobs WHERE org_id = ? AND id = ?",
                           {org_id, job_id}));
  if (r.empty())
    return NotFoundError("job \"" + std::string(job_id) + "\" not found");
  return JobAt(r, 0);
}

Result<std::vector<BulkJob>> SqlJobRepository::ListJobs(
    std::string_view org_id, std::string_view after_id, int64_t limit) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT " CREDSTACK_JOB_COLS
                           " FROM bulk_jobs WHERE org_id = ? AND id > ? "
                           "ORDER BY id LIMIT ?",
                           {org_id, after_id, ClampLimit(limit)}));
  std::vector<BulkJob> out;
  for (size_t i = 0; i < r.rows(); ++i) {
    CREDSTACK_ASSIGN_OR_RETURN(BulkJob job, JobAt(r, i));
    out.push_back(std::move(job));
  }
  return out;
}

Result<int64_t> SqlJobRepository::AddRows(std::string_view job_id,
                                          std::span<const NewJobRow> rows,
                                          Timestamp now) {
  if (rows.empty()) return int64_t{0};
  std::vector<SqlParam> params;
  params.reserve(rows.size() * 4);
  for (const NewJobRow& row : rows) {
    params.insert(params.end(), {job_id, row.row_number, row.client_row_key,
                                 row.recipient_input});
  }
  CREDSTACK_ASSIGN_OR_RETURN(
      std::vector<int64_t> per_row,
      db_.RunBatch("INSERT INTO job_rows (job_id, row_number, client_row_key, "
                   "recipient_input) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (job_id, client_row_key) DO NOTHING",
                   params, 4));
  int64_t added = 0;
  for (int64_t n : per_row) added += n;
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("UPDATE bulk_jobs SET total_rows = total_rows + ?, "
                           "updated_us = ? WHERE id = ?",
                           {added, now.unix_micros, job_id}));
  if (r.affected() == 0) {
    return NotFoundError("job \"" + std::string(job_id) + "\" not found");
  }
  return added;
}

Status SqlJobRepository::SetStatus(std::string_view job_id, JobStatus status,
                                   std::string_view error, Timestamp now) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("UPDATE bulk_jobs SET status = ?, error = ?, updated_us = ? "
              "WHERE id = ?",
              {JobStatusName(status), error, now.unix_micros, job_id}));
  if (r.affected() == 0) {
    return NotFoundError("job \"" + std::string(job_id) + "\" not found");
  }
  return OkStatus();
}

Result<std::vector<JobRow>> SqlJobRepository::ClaimRows(
    std::string_view job_id, std::string_view worker_id, int64_t max_rows,
    Timestamp now, Timestamp lease_until) {
  // SQLite: the single writer transaction makes select-then-update atomic.
  // PostgreSQL: FOR UPDATE SKIP LOCKED lets concurrent claimers pass over
  // rows another transaction is claiming instead of waiting for (and then
  // double-claiming) them.
  const char* sql =
      db_.dialect() == Dialect::kPostgres
          ? "UPDATE job_rows SET claimed_by = ?, lease_until_us = ? "
            "WHERE job_id = ? AND row_number IN ("
            "SELECT row_number FROM job_rows WHERE job_id = ? AND "
            "state = 'pending' AND (lease_until_us IS NULL OR "
            "lease_until_us <= ?) ORDER BY row_number LIMIT ? "
            "FOR UPDATE SKIP LOCKED) RETURNING " CREDSTACK_ROW_COLS
          : "UPDATE job_rows SET claimed_by = ?, lease_until_us = ? "
            "WHERE job_id = ? AND row_number IN ("
            "SELECT row_number FROM job_rows WHERE job_id = ? AND "
            "state = 'pending' AND (lease_until_us IS NULL OR "
            "lease_until_us <= ?) ORDER BY row_number LIMIT ?) "
            "RETURNING " CREDSTACK_ROW_COLS;
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run(sql, {worker_id, lease_until.unix_micros, job_id, job_id,
                    now.unix_micros, ClampLimit(max_rows)}));
  CREDSTACK_ASSIGN_OR_RETURN(std::vector<JobRow> rows, Rows(r));
  std::sort(rows.begin(), rows.end(), [](const JobRow& a, const JobRow& b) {
    return a.row_number < b.row_number;
  });
  return rows;
}

Result<int64_t> SqlJobRepository::ReleaseClaims(std::string_view job_id,
                                                std::string_view worker_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("UPDATE job_rows SET claimed_by = NULL, lease_until_us = NULL "
              "WHERE job_id = ? AND claimed_by = ? AND state = 'pending'",
              {job_id, worker_id}));
  return r.affected();
}

Status SqlJobRepository::MarkRowIssued(std::string_view job_id,
                                       int64_t row_number,
                                       std::string_view credential_id,
                                       Timestamp now) {
  IssuedRow row{.row_number = row_number,
                .credential_id = std::string(credential_id)};
  return MarkRowsIssued(job_id, std::span(&row, 1), now);
}

Status SqlJobRepository::MarkRowsIssued(std::string_view job_id,
                                        std::span<const IssuedRow> rows,
                                        Timestamp now) {
  if (rows.empty()) return OkStatus();
  std::vector<SqlParam> params;
  params.reserve(rows.size() * 3);
  for (const IssuedRow& row : rows) {
    params.insert(params.end(), {std::string_view(row.credential_id), job_id,
                                 row.row_number});
  }
  CREDSTACK_ASSIGN_OR_RETURN(
      std::vector<int64_t> updated,
      db_.RunBatch("UPDATE job_rows SET state = 'issued', credential_id = ?, "
                   "error = '', claimed_by = NULL, lease_until_us = NULL "
                   "WHERE job_id = ? AND row_number = ? AND state = 'pending'",
                   params, 3));
  int64_t issued = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (updated[i] == 1) {
      ++issued;
      continue;
    }
    CREDSTACK_ASSIGN_OR_RETURN(JobRow row, GetRow(job_id, rows[i].row_number));
    if (row.state == JobRowState::kIssued && row.credential_id &&
        *row.credential_id == rows[i].credential_id) {
      continue;  // already marked with this credential
    }
    return FailedPreconditionError(
        "job row " + std::to_string(rows[i].row_number) + " is " +
        std::string(JobRowStateName(row.state)) + ", not pending");
  }
  if (issued == 0) return OkStatus();
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("UPDATE bulk_jobs SET issued_rows = issued_rows + ?, "
              "updated_us = ? WHERE id = ?",
              {issued, now.unix_micros, job_id}));
  if (r.affected() == 0) {
    return NotFoundError("job \"" + std::string(job_id) + "\" not found");
  }
  return OkStatus();
}

Status SqlJobRepository::MarkRowFailed(std::string_view job_id,
                                       int64_t row_number,
                                       std::string_view error, Timestamp now) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("UPDATE job_rows SET state = 'failed', error = ?, "
              "claimed_by = NULL, lease_until_us = NULL "
              "WHERE job_id = ? AND row_number = ? AND state = 'pending'",
              {error, job_id, row_number}));
  if (r.affected() == 0) {
    CREDSTACK_ASSIGN_OR_RETURN(JobRow row, GetRow(job_id, row_number));
    return FailedPreconditionError(
        "job row " + std::to_string(row_number) + " is " +
        std::string(JobRowStateName(row.state)) + ", not pending");
  }
  return db_
      .Run(
          "UPDATE bulk_jobs SET failed_rows = failed_rows + 1, "
          "updated_us = ? WHERE id = ?",
          {now.unix_micros, job_id})
      .status();
}

Result<JobRow> SqlJobRepository::GetRow(std::string_view job_id,
                                        int64_t row_number) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT " CREDSTACK_ROW_COLS
                           " FROM job_rows WHERE job_id = ? AND row_number = ?",
                           {job_id, row_number}));
  if (r.empty()) {
    return NotFoundError("job row " + std::to_string(row_number) +
                         " not found");
  }
  return RowAt(r, 0);
}

Result<std::vector<JobRow>> SqlJobRepository::ListRows(
    std::string_view job_id, std::optional<JobRowState> state,
    int64_t after_row, int64_t limit) {
  Result<SqlResult> r =
      state ? db_.Run("SELECT " CREDSTACK_ROW_COLS
                      " FROM job_rows WHERE job_id = ? AND state = ? AND "
                      "row_number > ? ORDER BY row_number LIMIT ?",
                      {job_id, JobRowStateName(*state), after_row,
                       ClampLimit(limit)})
            : db_.Run("SELECT " CREDSTACK_ROW_COLS
                      " FROM job_rows WHERE job_id = ? AND row_number > ? "
                      "ORDER BY row_number LIMIT ?",
                      {job_id, after_row, ClampLimit(limit)});
  if (!r.ok()) return r.status();
  return Rows(*r);
}

Result<JobRowCounts> SqlJobRepository::CountRows(std::string_view job_id) {
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run("SELECT state, COUNT(*) FROM job_rows "
                                     "WHERE job_id = ? GROUP BY state",
                                     {job_id}));
  JobRowCounts counts;
  for (size_t i = 0; i < r.rows(); ++i) {
    CREDSTACK_ASSIGN_OR_RETURN(JobRowState state,
                               ParseJobRowState(r.Text(i, 0)));
    int64_t n = r.Int(i, 1);
    switch (state) {
      case JobRowState::kPending:
        counts.pending = n;
        break;
      case JobRowState::kIssued:
        counts.issued = n;
        break;
      case JobRowState::kFailed:
        counts.failed = n;
        break;
    }
  }
  return counts;
}

#undef CREDSTACK_CREDENTIAL_COLS
#undef CREDSTACK_JOB_COLS
#undef CREDSTACK_ROW_COLS

}  // namespace credstack::store::internal
