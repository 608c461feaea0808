#include "credstack/store/issuance.h"

#include <algorithm>
#include <string>
#include <utility>

namespace credstack::store {

Result<IssueOutcome> IssueCredentialTx(Tx& tx, const IssueRecord& record) {
  CREDSTACK_ASSIGN_OR_RETURN(std::vector<IssueOutcome> out,
                             IssueCredentialsTx(tx, std::span(&record, 1)));
  return std::move(out[0]);
}

Result<std::vector<IssueOutcome>> IssueCredentialsTx(
    Tx& tx, std::span<const IssueRecord> records) {
  std::vector<IssueOutcome> out;
  if (records.empty()) return out;
  out.reserve(records.size());

  // The statements run in a fixed order everywhere: credentials,
  // allocations, job rows, then the log sequencer last, so the one global
  // lock is held as briefly as possible and never joins a deadlock cycle.
  std::vector<Credential> credentials;
  credentials.reserve(records.size());
  for (const IssueRecord& r : records) credentials.push_back(r.credential);
  CREDSTACK_ASSIGN_OR_RETURN(std::vector<InsertedCredential> inserted,
                             tx.credentials().InsertMany(credentials));

  std::vector<StatusAllocation> allocations;
  for (size_t i = 0; i < records.size(); ++i) {
    if (!inserted[i].created) continue;
    for (const StatusAllocation& a : records[i].allocations) {
      allocations.push_back(a);
      allocations.back().credential_id = records[i].credential.id;
    }
  }
  CREDSTACK_RETURN_IF_ERROR(tx.status_lists().AllocateMany(allocations));

  // Job rows, grouped by job (a batch normally belongs to one job). An
  // idempotent hit marks the row with the credential issued earlier, which
  // makes a replay after a crash converge.
  struct JobRows {
    std::string job_id;
    std::vector<IssuedRow> rows;
    Timestamp now;
  };
  std::vector<JobRows> jobs;
  for (size_t i = 0; i < records.size(); ++i) {
    if (!records[i].job_row) continue;
    const JobRowRef& ref = *records[i].job_row;
    auto it = std::find_if(jobs.begin(), jobs.end(), [&](const JobRows& j) {
      return j.job_id == ref.job_id;
    });
    if (it == jobs.end()) {
      jobs.push_back(JobRows{.job_id = ref.job_id});
      it = jobs.end() - 1;
    }
    it->rows.push_back(IssuedRow{.row_number = ref.row_number,
                                 .credential_id = inserted[i].credential.id});
    it->now = std::max(it->now, records[i].credential.issued);
  }
  for (const JobRows& j : jobs) {
    CREDSTACK_RETURN_IF_ERROR(
        tx.jobs().MarkRowsIssued(j.job_id, j.rows, j.now));
  }

  std::vector<NewLogEntry> entries;
  for (size_t i = 0; i < records.size(); ++i) {
    if (!inserted[i].created) continue;
    entries.push_back(records[i].log_entry);
    if (entries.back().subject.empty()) {
      entries.back().subject = records[i].credential.id;
    }
  }
  int64_t seq = -1;
  if (!entries.empty()) {
    CREDSTACK_ASSIGN_OR_RETURN(seq, tx.log().Append(entries));
  }
  for (size_t i = 0; i < records.size(); ++i) {
    IssueOutcome o{.credential = std::move(inserted[i].credential),
                   .created = inserted[i].created};
    if (o.created) o.log_seq = seq++;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace credstack::store
