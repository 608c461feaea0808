#include "credstack/store/issuance.h"

#include <utility>

namespace credstack::store {
namespace {

// Everything except the log append, which the callers batch.
Result<InsertedCredential> StoreCredential(Tx& tx, const IssueRecord& record) {
  CREDSTACK_ASSIGN_OR_RETURN(InsertedCredential inserted,
                             tx.credentials().Insert(record.credential));
  if (inserted.created) {
    for (const StatusAllocation& a : record.allocations) {
      StatusAllocation bound = a;
      bound.credential_id = record.credential.id;
      CREDSTACK_RETURN_IF_ERROR(tx.status_lists().Allocate(bound));
    }
  }
  if (record.job_row) {
    CREDSTACK_RETURN_IF_ERROR(tx.jobs().MarkRowIssued(
        record.job_row->job_id, record.job_row->row_number,
        inserted.credential.id, record.credential.issued));
  }
  return inserted;
}

NewLogEntry EntryFor(const IssueRecord& record) {
  NewLogEntry entry = record.log_entry;
  if (entry.subject.empty()) entry.subject = record.credential.id;
  return entry;
}

}  // namespace

Result<IssueOutcome> IssueCredentialTx(Tx& tx, const IssueRecord& record) {
  CREDSTACK_ASSIGN_OR_RETURN(InsertedCredential inserted,
                             StoreCredential(tx, record));
  IssueOutcome out{.credential = std::move(inserted.credential),
                   .created = inserted.created};
  if (out.created) {
    // Last, so the sequencer row is locked for as short a time as possible.
    NewLogEntry entry = EntryFor(record);
    CREDSTACK_ASSIGN_OR_RETURN(out.log_seq,
                               tx.log().Append(std::span(&entry, 1)));
  }
  return out;
}

Result<std::vector<IssueOutcome>> IssueCredentialsTx(
    Tx& tx, std::span<const IssueRecord> records) {
  std::vector<IssueOutcome> out;
  out.reserve(records.size());
  std::vector<NewLogEntry> entries;
  std::vector<size_t> logged;  // indexes into out, in entry order
  for (const IssueRecord& record : records) {
    CREDSTACK_ASSIGN_OR_RETURN(InsertedCredential inserted,
                               StoreCredential(tx, record));
    if (inserted.created) {
      entries.push_back(EntryFor(record));
      logged.push_back(out.size());
    }
    out.push_back(IssueOutcome{.credential = std::move(inserted.credential),
                               .created = inserted.created});
  }
  if (!entries.empty()) {
    CREDSTACK_ASSIGN_OR_RETURN(int64_t first, tx.log().Append(entries));
    for (size_t i = 0; i < logged.size(); ++i) {
      out[logged[i]].log_seq = first + static_cast<int64_t>(i);
    }
  }
  return out;
}

}  // namespace credstack::store
