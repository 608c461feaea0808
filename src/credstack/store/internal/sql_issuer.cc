// Issuer settings over SqlConn (migration 0002): organizations' did:key
// issuers and bulk job options. Tables: docs/formats/schema.md.

#include <string>
#include <utility>
#include <vector>

#include "credstack/store/internal/sql_repositories.h"

namespace credstack::store::internal {
namespace {

OrgDidKey DidKeyAt(const SqlResult& r, size_t i) {
  return OrgDidKey{.org_id = r.Text(i, 0),
                   .did = r.Text(i, 1),
                   .public_key_multibase = r.Text(i, 2),
                   .encrypted_private_key = r.Blob(i, 3),
                   .created = r.Time(i, 4)};
}

}  // namespace

Status SqlIssuerRepository::InsertDidKey(const OrgDidKey& key) {
  return db_
      .Run(
          "INSERT INTO org_did_keys (org_id, did, public_key_multibase, "
          "encrypted_private_key, created_us) VALUES (?, ?, ?, ?, ?)",
          {key.org_id, key.did, key.public_key_multibase,
           ByteView(key.encrypted_private_key), key.created.unix_micros})
      .status();
}

Result<OrgDidKey> SqlIssuerRepository::GetDidKey(std::string_view org_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT org_id, did, public_key_multibase, "
              "encrypted_private_key, created_us FROM org_did_keys "
              "WHERE org_id = ?",
              {org_id}));
  if (r.empty()) {
    return NotFoundError("organization \"" + std::string(org_id) +
                         "\" has no did:key issuer");
  }
  return DidKeyAt(r, 0);
}

Result<OrgDidKey> SqlIssuerRepository::FindDidKey(std::string_view did) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT org_id, did, public_key_multibase, "
              "encrypted_private_key, created_us FROM org_did_keys "
              "WHERE did = ?",
              {did}));
  if (r.empty()) return NotFoundError("no organization uses this did:key");
  return DidKeyAt(r, 0);
}

Status SqlIssuerRepository::PutJobOptions(std::string_view job_id,
                                          std::string_view options_json) {
  return db_
      .Run("INSERT INTO bulk_job_options (job_id, options_json) VALUES (?, ?)",
           {job_id, options_json})
      .status();
}

Result<std::string> SqlIssuerRepository::GetJobOptions(
    std::string_view job_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT options_json FROM bulk_job_options WHERE job_id = ?",
              {job_id}));
  if (r.empty()) {
    return NotFoundError("job \"" + std::string(job_id) + "\" has no options");
  }
  return r.Text(0, 0);
}

Result<std::string> SqlIssuerRepository::JobOrganization(
    std::string_view job_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT org_id FROM bulk_jobs WHERE id = ?", {job_id}));
  if (r.empty()) {
    return NotFoundError("job \"" + std::string(job_id) + "\" not found");
  }
  return r.Text(0, 0);
}

Result<std::vector<UnfinishedJob>> SqlIssuerRepository::ListUnfinishedJobs(
    std::string_view after_id, int64_t limit) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT id, org_id FROM bulk_jobs WHERE status IN ('queued', "
              "'running') AND id > ? ORDER BY id LIMIT ?",
              {after_id, ClampLimit(limit)}));
  std::vector<UnfinishedJob> out;
  out.reserve(r.rows());
  for (size_t i = 0; i < r.rows(); ++i) {
    out.push_back(
        UnfinishedJob{.job_id = r.Text(i, 0), .org_id = r.Text(i, 1)});
  }
  return out;
}

}  // namespace credstack::store::internal
