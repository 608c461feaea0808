// Status lists and the transparency log over SqlConn. Tables:
// docs/formats/schema.md; sequencing:
// docs/decisions/0004-store-log-sequencer.md.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "credstack/store/internal/sql_repositories.h"

namespace credstack::store::internal {
namespace {

#define CREDSTACK_LIST_COLS                                             \
  "id, org_id, purpose, size, status_size, bits, version, created_us, " \
  "updated_us"

Result<StatusList> ListAt(const SqlResult& r, size_t i) {
  CREDSTACK_ASSIGN_OR_RETURN(StatusPurpose purpose,
                             ParseStatusPurpose(r.Text(i, 2)));
  return StatusList{.id = r.Text(i, 0),
                    .org_id = r.Text(i, 1),
                    .purpose = purpose,
                    .size = r.Int(i, 3),
                    .status_size = r.Int(i, 4),
                    .bits = r.Blob(i, 5),
                    .version = r.Int(i, 6),
                    .created = r.Time(i, 7),
                    .updated = r.Time(i, 8)};
}

#define CREDSTACK_EVENT_COLS                                         \
  "id, credential_id, list_id, idx, purpose, old_value, new_value, " \
  "reason, actor, created_us"

Result<StatusEvent> EventAt(const SqlResult& r, size_t i) {
  CREDSTACK_ASSIGN_OR_RETURN(StatusPurpose purpose,
                             ParseStatusPurpose(r.Text(i, 4)));
  return StatusEvent{.id = r.Int(i, 0),
                     .credential_id = r.Text(i, 1),
                     .list_id = r.Text(i, 2),
                     .index = r.Int(i, 3),
                     .purpose = purpose,
                     .old_value = r.Int(i, 5),
                     .new_value = r.Int(i, 6),
                     .reason = r.Text(i, 7),
                     .actor = r.Text(i, 8),
                     .created = r.Time(i, 9)};
}

#define CREDSTACK_ENTRY_COLS "seq, leaf_hash, leaf_data, subject, created_us"

LogEntry EntryAt(const SqlResult& r, size_t i) {
  return LogEntry{.seq = r.Int(i, 0),
                  .leaf_hash = r.Blob(i, 1),
                  .leaf_data = r.Blob(i, 2),
                  .subject = r.Text(i, 3),
                  .created = r.Time(i, 4)};
}

std::vector<LogEntry> Entries(const SqlResult& r) {
  std::vector<LogEntry> out;
  out.reserve(r.rows());
  for (size_t i = 0; i < r.rows(); ++i) out.push_back(EntryAt(r, i));
  return out;
}

// Bitstring Status List v1.0 §3.1 (bitstring generation) and §3.2
// (validate): entry i occupies bits [i * statusSize, (i + 1) * statusSize),
// bit 0 being the most significant bit of byte 0; an entry's first bit is
// the most significant bit of its value.
int64_t ReadEntry(const Bytes& bits, int64_t index, int64_t status_size) {
  int64_t value = 0;
  for (int64_t k = index * status_size; k < (index + 1) * status_size; ++k) {
    value = (value << 1) | ((bits[k / 8] >> (7 - k % 8)) & 1);
  }
  return value;
}

void WriteEntry(Bytes& bits, int64_t index, int64_t status_size,
                int64_t value) {
  for (int64_t j = 0; j < status_size; ++j) {
    int64_t k = index * status_size + j;
    uint8_t mask = static_cast<uint8_t>(0x80 >> (k % 8));
    if ((value >> (status_size - 1 - j)) & 1) {
      bits[k / 8] |= mask;
    } else {
      bits[k / 8] &= static_cast<uint8_t>(~mask);
    }
  }
}

Status CheckBitsShape(int64_t size, int64_t status_size, size_t bytes) {
  if (size <= 0 || status_size < 1 || status_size > 8) {
    return InvalidArgumentError(
        "status list: size must be > 0 and statusSize in 1..8");
  }
  if (static_cast<int64_t>(bytes) != (size * status_size + 7) / 8) {
    return InvalidArgumentError("status list: bitstring length " +
                                std::to_string(bytes) +
                                " bytes does not match size * statusSize");
  }
  return OkStatus();
}

}  // namespace

// ---- status lists -----------------------------------------------------------

Status SqlStatusListRepository::Create(const StatusList& list) {
  CREDSTACK_RETURN_IF_ERROR(
      CheckBitsShape(list.size, list.status_size, list.bits.size()));
  return db_
      .Run("INSERT INTO status_lists (" CREDSTACK_LIST_COLS
           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
           {list.id, list.org_id, StatusPurposeName(list.purpose), list.size,
            list.status_size, ByteView(list.bits), list.version,
            list.created.unix_micros, list.updated.unix_micros})
      .status();
}

Result<StatusList> SqlStatusListRepository::Get(std::string_view list_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT " CREDSTACK_LIST_COLS " FROM status_lists WHERE id = ?",
              {list_id}));
  if (r.empty()) {
    return NotFoundError("status list \"" + std::string(list_id) +
                         "\" not found");
  }
  return ListAt(r, 0);
}

Result<std::vector<StatusList>> SqlStatusListRepository::ListByOrg(
    std::string_view org_id, std::optional<StatusPurpose> purpose) {
  Result<SqlResult> r =
      purpose ? db_.Run("SELECT " CREDSTACK_LIST_COLS
                        " FROM status_lists WHERE org_id = ? AND purpose = ? "
                        "ORDER BY created_us, id",
                        {org_id, StatusPurposeName(*purpose)})
              : db_.Run("SELECT " CREDSTACK_LIST_COLS
                        " FROM status_lists WHERE org_id = ? "
                        "ORDER BY created_us, id",
                        {org_id});
  if (!r.ok()) return r.status();
  std::vector<StatusList> out;
  for (size_t i = 0; i < r->rows(); ++i) {
    CREDSTACK_ASSIGN_OR_RETURN(StatusList list, ListAt(*r, i));
    out.push_back(std::move(list));
  }
  return out;
}

Status SqlStatusListRepository::Allocate(const StatusAllocation& a) {
  return AllocateMany(std::span(&a, 1));
}

Status SqlStatusListRepository::AllocateMany(
    std::span<const StatusAllocation> allocations) {
  if (allocations.empty()) return OkStatus();
  // One statement per entry checks the range against the list's size; the
  // primary key (list_id, idx) refuses an index that is taken.
  std::vector<SqlParam> params;
  params.reserve(allocations.size() * 6);
  for (const StatusAllocation& a : allocations) {
    params.insert(params.end(),
                  {std::string_view(a.list_id), a.index,
                   std::string_view(a.credential_id),
                   std::string_view(a.list_id), a.index, a.index});
  }
  CREDSTACK_ASSIGN_OR_RETURN(
      std::vector<int64_t> inserted,
      db_.RunBatch(
          "INSERT INTO status_allocations (list_id, idx, credential_id) "
          "SELECT CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS TEXT) "
          "FROM status_lists WHERE id = ? AND CAST(? AS BIGINT) >= 0 "
          "AND CAST(? AS BIGINT) < size",
          params, 6));
  for (size_t i = 0; i < allocations.size(); ++i) {
    if (inserted[i] == 1) continue;
    const StatusAllocation& a = allocations[i];
    CREDSTACK_ASSIGN_OR_RETURN(
        SqlResult r,
        db_.Run("SELECT size FROM status_lists WHERE id = ?", {a.list_id}));
    if (r.empty()) {
      return NotFoundError("status list \"" + a.list_id + "\" not found");
    }
    return InvalidArgumentError("status list index " + std::to_string(a.index) +
                                " out of range");
  }
  return OkStatus();
}

Result<bool> SqlStatusListRepository::IsAllocated(std::string_view list_id,
                                                  int64_t index) {
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run("SELECT 1 FROM status_allocations "
                                     "WHERE list_id = ? AND idx = ?",
                                     {list_id, index}));
  return !r.empty();
}

Result<int64_t> SqlStatusListRepository::CountAllocations(
    std::string_view list_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT COUNT(*) FROM status_allocations WHERE list_id = ?",
              {list_id}));
  return r.Int(0, 0);
}

Result<Bytes> SqlStatusListRepository::GetAllocationBitmap(
    std::string_view list_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult size,
      db_.Run("SELECT size FROM status_lists WHERE id = ?", {list_id}));
  if (size.empty()) {
    return NotFoundError("status list \"" + std::string(list_id) +
                         "\" not found");
  }
  const int64_t n = size.Int(0, 0);
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT idx FROM status_allocations WHERE list_id = ?",
              {list_id}));
  Bytes bitmap(static_cast<size_t>((n + 7) / 8), 0);
  for (size_t i = 0; i < r.rows(); ++i) {
    const int64_t idx = r.Int(i, 0);
    if (idx < 0 || idx >= n) {
      return DataLossError("status list \"" + std::string(list_id) +
                           "\" has an allocation out of range");
    }
    bitmap[idx / 8] |= static_cast<uint8_t>(0x80 >> (idx % 8));
  }
  return bitmap;
}

Result<std::vector<StatusAllocation>>
SqlStatusListRepository::AllocationsForCredential(
    std::string_view credential_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT list_id, idx, credential_id FROM status_allocations "
              "WHERE credential_id = ? ORDER BY list_id",
              {credential_id}));
  std::vector<StatusAllocation> out;
  for (size_t i = 0; i < r.rows(); ++i) {
    out.push_back(StatusAllocation{.list_id = r.Text(i, 0),
                                   .index = r.Int(i, 1),
                                   .credential_id = r.Text(i, 2)});
  }
  return out;
}

Result<StatusEvent> SqlStatusListRepository::SetStatus(
    const StatusChange& change) {
  // Read-modify-write of the bitstring: PostgreSQL locks the list row (NO
  // KEY UPDATE, so concurrent allocations' foreign-key checks are not
  // blocked); SQLite's single writer excludes other writers anyway.
  const char* sql =
      db_.dialect() == Dialect::kPostgres
          ? "SELECT l.id, a.idx, l.status_size, l.bits FROM "
            "status_allocations a JOIN status_lists l ON l.id = a.list_id "
            "WHERE a.credential_id = ? AND l.purpose = ? "
            "ORDER BY l.id FOR NO KEY UPDATE OF l"
          : "SELECT l.id, a.idx, l.status_size, l.bits FROM "
            "status_allocations a JOIN status_lists l ON l.id = a.list_id "
            "WHERE a.credential_id = ? AND l.purpose = ? ORDER BY l.id";
  std::string_view purpose = StatusPurposeName(change.purpose);
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run(sql, {change.credential_id, purpose}));
  if (r.empty()) {
    return NotFoundError("credential \"" + change.credential_id + "\" has no " +
                         std::string(purpose) + " status entry");
  }
  if (r.rows() > 1) {
    return FailedPreconditionError("credential \"" + change.credential_id +
                                   "\" has several " + std::string(purpose) +
                                   " status entries");
  }
  std::string list_id = r.Text(0, 0);
  int64_t index = r.Int(0, 1);
  int64_t status_size = r.Int(0, 2);
  Bytes bits = r.Blob(0, 3);
  if (change.new_value < 0 || change.new_value >= (int64_t{1} << status_size)) {
    return InvalidArgumentError(
        "status value " + std::to_string(change.new_value) +
        " does not fit statusSize " + std::to_string(status_size));
  }
  if (static_cast<int64_t>(bits.size()) * 8 < (index + 1) * status_size) {
    return DataLossError("status list \"" + list_id + "\" bitstring too short");
  }
  int64_t old_value = ReadEntry(bits, index, status_size);
  if (old_value != change.new_value) {
    WriteEntry(bits, index, status_size, change.new_value);
    CREDSTACK_RETURN_IF_ERROR(
        db_.Run("UPDATE status_lists SET bits = ?, version = version + 1, "
                "updated_us = ? WHERE id = ?",
                {ByteView(bits), change.when.unix_micros, list_id})
            .status());
  }
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult ev,
      db_.Run("INSERT INTO status_events (credential_id, list_id, idx, "
              "purpose, old_value, new_value, reason, actor, created_us) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
              {change.credential_id, list_id, index, purpose, old_value,
               change.new_value, change.reason, change.actor,
               change.when.unix_micros}));
  return StatusEvent{.id = ev.Int(0, 0),
                     .credential_id = change.credential_id,
                     .list_id = list_id,
                     .index = index,
                     .purpose = change.purpose,
                     .old_value = old_value,
                     .new_value = change.new_value,
                     .reason = change.reason,
                     .actor = change.actor,
                     .created = change.when};
}

Result<int64_t> SqlStatusListRepository::GetStatus(std::string_view list_id,
                                                   int64_t index) {
  CREDSTACK_ASSIGN_OR_RETURN(StatusList list, Get(list_id));
  if (index < 0 || index >= list.size) {
    return InvalidArgumentError("status list index " + std::to_string(index) +
                                " out of range");
  }
  if (static_cast<int64_t>(list.bits.size()) * 8 <
      (index + 1) * list.status_size) {
    return DataLossError("status list \"" + list.id + "\" bitstring too short");
  }
  return ReadEntry(list.bits, index, list.status_size);
}

Result<std::vector<StatusEvent>> SqlStatusListRepository::ListEvents(
    std::string_view credential_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT " CREDSTACK_EVENT_COLS
                           " FROM status_events WHERE credential_id = ? "
                           "ORDER BY id",
                           {credential_id}));
  std::vector<StatusEvent> out;
  for (size_t i = 0; i < r.rows(); ++i) {
    CREDSTACK_ASSIGN_OR_RETURN(StatusEvent e, EventAt(r, i));
    out.push_back(std::move(e));
  }
  return out;
}

// ---- transparency log -------------------------------------------------------

Result<int64_t> SqlLogRepository::Append(std::span<const NewLogEntry> entries) {
  if (entries.empty()) return Size();
  // The sequencer: one row, updated in this transaction. On PostgreSQL the
  // row lock is held until commit, so appenders on every node run one at a
  // time and commit in sequence order; a rollback gives the numbers back.
  // SQLite has one writer, which gives the same guarantee.
  const int64_t n = static_cast<int64_t>(entries.size());
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("UPDATE log_sequencer SET next_seq = next_seq + ? "
                           "WHERE id = 1 RETURNING next_seq",
                           {n}));
  if (r.empty()) return DataLossError("log sequencer row is missing");
  const int64_t first = r.Int(0, 0) - n;
  std::vector<SqlParam> params;
  params.reserve(entries.size() * 5);
  for (int64_t i = 0; i < n; ++i) {
    const NewLogEntry& e = entries[i];
    params.insert(params.end(),
                  {first + i, ByteView(e.leaf_hash), ByteView(e.leaf_data),
                   std::string_view(e.subject), e.created.unix_micros});
  }
  CREDSTACK_RETURN_IF_ERROR(
      db_.RunBatch("INSERT INTO log_entries (" CREDSTACK_ENTRY_COLS
                   ") VALUES (?, ?, ?, ?, ?)",
                   params, 5)
          .status());
  return first;
}

Result<int64_t> SqlLogRepository::Size() {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT next_seq FROM log_sequencer WHERE id = 1"));
  if (r.empty()) return DataLossError("log sequencer row is missing");
  return r.Int(0, 0);
}

Result<std::vector<LogEntry>> SqlLogRepository::ReadEntries(int64_t from,
                                                            int64_t limit) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT " CREDSTACK_ENTRY_COLS " FROM log_entries WHERE seq >= ? "
              "ORDER BY seq LIMIT ?",
              {from, ClampLimit(limit)}));
  return Entries(r);
}

Result<std::vector<LogEntry>> SqlLogRepository::FindBySubject(
    std::string_view subject) {
  if (subject.empty()) return std::vector<LogEntry>();
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run("SELECT " CREDSTACK_ENTRY_COLS
                                     " FROM log_entries WHERE subject = ? AND "
                                     "subject <> '' ORDER BY seq LIMIT 1000",
                                     {subject}));
  return Entries(r);
}

Result<std::vector<int64_t>> SqlLogRepository::FindByLeafHash(
    ByteView leaf_hash) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT seq FROM log_entries WHERE leaf_hash = ? "
                           "ORDER BY seq LIMIT 1000",
                           {leaf_hash}));
  std::vector<int64_t> out;
  for (size_t i = 0; i < r.rows(); ++i) out.push_back(r.Int(i, 0));
  return out;
}

Status SqlLogRepository::PutTile(std::string_view path, ByteView data) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("INSERT INTO log_tiles (path, data) VALUES (?, ?) "
                           "ON CONFLICT (path) DO NOTHING",
                           {path, data}));
  if (r.affected() == 1) return OkStatus();
  CREDSTACK_ASSIGN_OR_RETURN(Bytes stored, GetTile(path));
  if (stored.size() == data.size() &&
      std::equal(stored.begin(), stored.end(), data.begin())) {
    return OkStatus();
  }
  return FailedPreconditionError("tile " + std::string(path) +
                                 " is already stored with different bytes");
}

Result<Bytes> SqlLogRepository::GetTile(std::string_view path) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT data FROM log_tiles WHERE path = ?", {path}));
  if (r.empty())
    return NotFoundError("tile " + std::string(path) + " not found");
  return r.Blob(0, 0);
}

Status SqlLogRepository::PutCheckpoint(const Checkpoint& c) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("INSERT INTO log_checkpoints (size, note, created_us) "
              "VALUES (?, ?, ?) ON CONFLICT (size) DO NOTHING",
              {c.size, c.note, c.created.unix_micros}));
  if (r.affected() == 1) return OkStatus();
  CREDSTACK_ASSIGN_OR_RETURN(Checkpoint stored, GetCheckpoint(c.size));
  if (stored.note == c.note) return OkStatus();
  return FailedPreconditionError("a different checkpoint of size " +
                                 std::to_string(c.size) + " is stored");
}

Result<Checkpoint> SqlLogRepository::GetCheckpoint(int64_t size) {
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run("SELECT size, note, created_us FROM "
                                     "log_checkpoints WHERE size = ?",
                                     {size}));
  if (r.empty()) {
    return NotFoundError("no checkpoint of size " + std::to_string(size));
  }
  return Checkpoint{
      .size = r.Int(0, 0), .note = r.Text(0, 1), .created = r.Time(0, 2)};
}

Result<Checkpoint> SqlLogRepository::LatestCheckpoint() {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT size, note, created_us FROM "
                           "log_checkpoints ORDER BY size DESC LIMIT 1"));
  if (r.empty()) return NotFoundError("no checkpoint yet");
  return Checkpoint{
      .size = r.Int(0, 0), .note = r.Text(0, 1), .created = r.Time(0, 2)};
}

Result<IntegrationState> SqlLogRepository::GetIntegration() {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT size, state FROM log_integration WHERE id = 1"));
  if (r.empty()) return DataLossError("log integration row is missing");
  return IntegrationState{.size = r.Int(0, 0), .state = r.Blob(0, 1)};
}

Status SqlLogRepository::AdvanceIntegration(int64_t expected_size,
                                            const IntegrationState& next) {
  if (next.size < expected_size) {
    return InvalidArgumentError("integration cannot move backwards");
  }
  CREDSTACK_ASSIGN_OR_RETURN(int64_t log_size, Size());
  if (next.size > log_size) {
    return InvalidArgumentError("integration beyond the sequenced entries");
  }
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("UPDATE log_integration SET size = ?, state = ? "
                           "WHERE id = 1 AND size = ?",
                           {next.size, ByteView(next.state), expected_size}));
  if (r.affected() == 0) {
    return FailedPreconditionError(
        "integration state moved on (expected size " +
        std::to_string(expected_size) + ")");
  }
  return OkStatus();
}

#undef CREDSTACK_LIST_COLS
#undef CREDSTACK_EVENT_COLS
#undef CREDSTACK_ENTRY_COLS

}  // namespace credstack::store::internal
