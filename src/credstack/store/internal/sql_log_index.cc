// Log lookups and witness cosignatures added by migration 0003: the
// credential-hash index and the cosignature table (docs/formats/schema.md).

#include <string>
#include <vector>

#include "credstack/store/internal/sql_repositories.h"

namespace credstack::store::internal {

Status SqlLogRepository::IndexCredentialHashes(
    std::span<const CredentialLogRef> refs) {
  if (refs.empty()) return OkStatus();
  std::vector<SqlParam> params;
  params.reserve(refs.size() * 2);
  for (const CredentialLogRef& r : refs) {
    if (r.credential_hash.size() != 32) {
      return InvalidArgumentError("credential hash must be 32 bytes");
    }
    params.insert(params.end(), {ByteView(r.credential_hash), r.seq});
  }
  return db_
      .RunBatch("INSERT INTO log_credential_index (credential_hash, seq) "
                "VALUES (?, ?) ON CONFLICT DO NOTHING",
                params, 2)
      .status();
}

Result<std::vector<int64_t>> SqlLogRepository::FindByCredentialHash(
    ByteView credential_hash) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT seq FROM log_credential_index WHERE credential_hash = ? "
              "ORDER BY seq LIMIT 1000",
              {credential_hash}));
  std::vector<int64_t> out;
  out.reserve(r.rows());
  for (size_t i = 0; i < r.rows(); ++i) out.push_back(r.Int(i, 0));
  return out;
}

Result<std::vector<Checkpoint>> SqlLogRepository::ListCheckpoints(
    int64_t after_size, int64_t limit) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT size, note, created_us FROM log_checkpoints "
              "WHERE size > ? ORDER BY size LIMIT ?",
              {after_size, ClampLimit(limit)}));
  std::vector<Checkpoint> out;
  out.reserve(r.rows());
  for (size_t i = 0; i < r.rows(); ++i) {
    out.push_back(Checkpoint{
        .size = r.Int(i, 0), .note = r.Text(i, 1), .created = r.Time(i, 2)});
  }
  return out;
}

Status SqlLogRepository::PutCosignature(const Cosignature& c) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("INSERT INTO log_cosignatures (size, witness, key_id, line, "
              "created_us) SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM "
              "log_checkpoints WHERE size = ?) ON CONFLICT DO NOTHING",
              {c.size, c.witness, c.key_id, c.line, c.created.unix_micros,
               c.size}));
  if (r.affected() == 1) return OkStatus();
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult exists,
      db_.Run("SELECT 1 FROM log_checkpoints WHERE size = ?", {c.size}));
  if (exists.empty()) {
    return FailedPreconditionError("no checkpoint of size " +
                                   std::to_string(c.size) + " to cosign");
  }
  return OkStatus();
}

Result<std::vector<Cosignature>> SqlLogRepository::ListCosignatures(
    int64_t size) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT size, witness, key_id, line, created_us FROM "
              "log_cosignatures WHERE size = ? ORDER BY witness, key_id",
              {size}));
  std::vector<Cosignature> out;
  out.reserve(r.rows());
  for (size_t i = 0; i < r.rows(); ++i) {
    out.push_back(Cosignature{.size = r.Int(i, 0),
                              .witness = r.Text(i, 1),
                              .key_id = r.Int(i, 2),
                              .line = r.Text(i, 3),
                              .created = r.Time(i, 4)});
  }
  return out;
}

}  // namespace credstack::store::internal
