#pragma once

// The issuance unit of work (DESIGN.md, "Issuance pipeline"): in the caller's
// transaction, store the signed credential, its status allocations and its
// transparency-log entry (which gets its sequence number here) and, for a
// bulk row, mark the row issued. Run inside Store::Transact so that either
// all of it commits or none of it does:
//
//   Result<IssueOutcome> out = InternalError("unset");
//   Status s = store.Transact([&](Tx& tx) -> Status {
//     out = IssueCredentialTx(tx, record);
//     return out.status();
//   });
//
// An allocation index that is already taken fails with kAlreadyExists and
// rolls everything back: pick another index, re-sign and run again.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/store/store.h"
#include "credstack/store/types.h"

namespace credstack::store {

struct JobRowRef {
  std::string job_id;
  int64_t row_number = 0;
};

struct IssueRecord {
  Credential credential;
  // Status entries the credential carries; credential_id is taken from
  // `credential` (the field here may stay empty).
  std::vector<StatusAllocation> allocations;
  // The leaf committing to the issuance. Its subject defaults to the
  // credential id when empty.
  NewLogEntry log_entry;
  std::optional<JobRowRef> job_row;
};

struct IssueOutcome {
  Credential credential;  // as stored (the earlier one on an idempotent hit)
  bool created = false;
  // Sequence number of the log entry; -1 when nothing new was stored
  // (idempotent hit: the earlier issuance has its own entry).
  int64_t log_seq = -1;
};

// Issues one credential in tx. On an idempotent hit (same organization and
// idempotency key) nothing new is stored except marking job_row issued with
// the existing credential, which makes retries after a crash converge. The
// job row is stamped with credential.issued as its update time.
Result<IssueOutcome> IssueCredentialTx(Tx& tx, const IssueRecord& record);

// Bulk variant: all records in tx, one log append (one counter update) for
// the whole batch. Outcomes are in the order of the records.
Result<std::vector<IssueOutcome>> IssueCredentialsTx(
    Tx& tx, std::span<const IssueRecord> records);

}  // namespace credstack::store
