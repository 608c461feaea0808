#include "credstack/app/bulk.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>
#include <utility>

#include "credstack/base/bytes.h"
#include "credstack/base/uuid.h"
#include "credstack/crypto/sha.h"
#include "credstack/json/jcs.h"
#include "credstack/pathways/csv.h"
#include "credstack/vc/open_badges.h"

namespace credstack::app {
namespace {

constexpr size_t kMaxRowKey = 256;
constexpr size_t kAddRowsChunk = 2000;

std::string Lower(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c != '_' && c != ' ' && c != '-')
      out += static_cast<char>(std::tolower(c));
  }
  return out;
}

// CSV column → row member.
std::optional<std::string_view> ColumnMember(std::string_view header) {
  std::string h = Lower(header);
  if (h == "recipient" || h == "email" || h == "did") return "recipient";
  if (h == "rowkey" || h == "key" || h == "clientrowkey") return "rowKey";
  if (h == "validfrom") return "validFrom";
  if (h == "validuntil") return "validUntil";
  if (h == "awardeddate") return "awardedDate";
  if (h == "creditsearned") return "creditsEarned";
  if (h == "evidenceurl") return "evidenceUrl";
  return std::nullopt;
}

// Checks a row object and returns its key. The message names the member.
Result<std::string> CheckRow(json::Object& row) {
  for (std::string_view k : {"achievementId", "achievementVersion",
                             "idempotencyKey", "cryptosuite"}) {
    if (row.contains(k)) {
      return InvalidArgumentError(std::string(k) +
                                  ": set per job, not per row");
    }
  }
  std::string key;
  if (const json::Value* k = row.if_contains("rowKey")) {
    if (!k->is_string() || k->get_string().empty() ||
        k->get_string().size() > kMaxRowKey) {
      return InvalidArgumentError("rowKey: must be a string of 1..256 bytes");
    }
    key = std::string(k->get_string());
    row.erase("rowKey");
  }
  CREDSTACK_ASSIGN_OR_RETURN(IssueRequest r, ParseIssueRequest(row));
  Result<vc::Recipient> recipient = vc::ParseRecipient(r.recipient);
  if (!recipient.has_value()) return recipient.error();
  if (r.valid_from && r.valid_until && *r.valid_until <= *r.valid_from) {
    return InvalidArgumentError("validUntil: must be later than validFrom");
  }
  if (key.empty()) {
    CREDSTACK_ASSIGN_OR_RETURN(std::string canonical,
                               json::Canonicalize(json::Value(row)));
    key = "h:" + HexEncode(crypto::Sha256(canonical)).substr(0, 32);
  }
  return key;
}

std::string StripPath(std::string m) {
  // ParseIssueRequest says "$.member: ..."; a row error reads better as
  // "member: ...".
  if (m.rfind("$.", 0) == 0) m = m.substr(2);
  return m;
}

void AddError(ParsedUpload& out, const BulkLimits& limits, int64_t line,
              int64_t column, std::string message) {
  ++out.error_count;
  if (out.errors.size() < limits.max_errors) {
    out.errors.push_back(BulkRowError{line, column, std::move(message)});
  }
}

Status AddRow(ParsedUpload& out, std::unordered_set<std::string>& keys,
              const BulkLimits& limits, int64_t line, json::Object row) {
  Result<std::string> key = CheckRow(row);
  if (!key.has_value()) {
    AddError(out, limits, line, 0, StripPath(key.error().message()));
    return OkStatus();
  }
  if (!keys.insert(*key).second) {
    ++out.duplicates;
    return OkStatus();
  }
  if (static_cast<int64_t>(out.rows.size()) >= limits.max_rows) {
    return ResourceExhaustedError(
        "more than " + std::to_string(limits.max_rows) + " rows in one upload");
  }
  out.rows.push_back(ParsedBulkRow{std::move(*key), json::Serialize(row)});
  return OkStatus();
}

Result<ParsedUpload> ParseCsv(std::string_view body, const BulkLimits& limits) {
  ParsedUpload out;
  pathways::StringByteSource source(body);
  pathways::CsvOptions copts;
  copts.max_field_bytes = limits.max_row_bytes;
  copts.max_record_bytes = limits.max_row_bytes;
  copts.max_fields = 64;
  copts.max_records = static_cast<uint64_t>(limits.max_rows) + 1;
  pathways::CsvReader reader(source, "upload", copts);
  CREDSTACK_ASSIGN_OR_RETURN(bool has_header, reader.Next());
  if (!has_header) return InvalidArgumentError("the upload is empty");
  std::vector<std::string> members;
  bool has_recipient = false;
  for (size_t i = 0; i < reader.size(); ++i) {
    auto m = ColumnMember(reader.field(i));
    if (!m) {
      return InvalidArgumentError(
          "upload:1:" + std::to_string(reader.position(i).column) +
          ": unknown column \"" + std::string(reader.field(i).substr(0, 60)) +
          "\" (known: recipient, rowKey, validFrom, validUntil, awardedDate, "
          "creditsEarned, evidenceUrl)");
    }
    has_recipient = has_recipient || *m == "recipient";
    members.emplace_back(*m);
  }
  if (!has_recipient) {
    return InvalidArgumentError("upload:1: the header has no recipient column");
  }
  std::unordered_set<std::string> keys;
  for (;;) {
    Result<bool> more = reader.Next();
    if (!more.has_value()) {
      // A malformed record (bad quoting, invalid UTF-8) ends the parse: the
      // reader cannot resynchronize reliably. Report it like a row error.
      if (more.error().code() == Code::kResourceExhausted) return more.error();
      AddError(out, limits, 0, 0, more.error().message());
      break;
    }
    if (!*more) break;
    int64_t line = static_cast<int64_t>(reader.position(0).line);
    if (reader.size() > members.size()) {
      AddError(out, limits, line, 0,
               "has " + std::to_string(reader.size()) + " fields, the header " +
                   std::to_string(members.size()));
      continue;
    }
    json::Object row;
    for (size_t i = 0; i < reader.size(); ++i) {
      std::string_view v = reader.field(i);
      if (v.empty()) continue;
      const std::string& m = members[i];
      if (m == "creditsEarned") {
        char* end = nullptr;
        std::string s(v);
        double d = std::strtod(s.c_str(), &end);
        if (end == s.c_str() || *end != '\0') {
          row[m] = s;  // reported by CheckRow as not a number
        } else {
          row[m] = d;
        }
      } else if (m == "evidenceUrl") {
        json::Object e;
        e["id"] = v;
        e["type"] = json::Array{"Evidence"};
        row["evidence"] = json::Array{e};
      } else {
        row[m] = v;
      }
    }
    CREDSTACK_RETURN_IF_ERROR(AddRow(out, keys, limits, line, std::move(row)));
  }
  return out;
}

Result<ParsedUpload> ParseJsonLines(std::string_view body,
                                    const BulkLimits& limits) {
  ParsedUpload out;
  std::unordered_set<std::string> keys;
  json::ParseOptions popts;
  popts.max_size = limits.max_row_bytes;
  popts.max_depth = 16;
  int64_t line = 0;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    std::string_view text =
        body.substr(pos, nl == std::string_view::npos ? body.npos : nl - pos);
    pos = nl == std::string_view::npos ? body.size() : nl + 1;
    ++line;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
    Result<json::Value> v = json::Parse(text, popts);
    if (!v.has_value()) {
      AddError(out, limits, line, 0, v.error().message());
      continue;
    }
    if (!v->is_object()) {
      AddError(out, limits, line, 0, "must be a JSON object");
      continue;
    }
    CREDSTACK_RETURN_IF_ERROR(
        AddRow(out, keys, limits, line, std::move(v->as_object())));
  }
  return out;
}

}  // namespace

Result<ParsedUpload> ParseBulkUpload(std::string_view body, BulkFormat format,
                                     const BulkLimits& limits) {
  return format == BulkFormat::kCsv ? ParseCsv(body, limits)
                                    : ParseJsonLines(body, limits);
}

json::Object BulkJobOptionsToJson(const BulkJobOptions& o) {
  json::Object j;
  j["achievementId"] = o.achievement_id;
  if (o.achievement_version) j["achievementVersion"] = *o.achievement_version;
  if (o.valid_from) j["validFrom"] = FormatDateTime(*o.valid_from);
  if (o.valid_until) j["validUntil"] = FormatDateTime(*o.valid_until);
  if (o.awarded_date) j["awardedDate"] = FormatDateTime(*o.awarded_date);
  if (!o.cryptosuite.empty()) j["cryptosuite"] = o.cryptosuite;
  return j;
}

Result<BulkJobOptions> BulkJobOptionsFromJson(const json::Object& o) {
  json::Object probe = o;
  probe["recipient"] = "did:example:probe";
  CREDSTACK_ASSIGN_OR_RETURN(IssueRequest r, ParseIssueRequest(probe));
  return BulkJobOptions{.achievement_id = r.achievement_id,
                        .achievement_version = r.achievement_version,
                        .valid_from = r.valid_from,
                        .valid_until = r.valid_until,
                        .awarded_date = r.awarded_date,
                        .cryptosuite = r.cryptosuite};
}

json::Object BulkJobToJson(const store::BulkJob& job) {
  json::Object o;
  o["id"] = job.id;
  o["status"] = store::JobStatusName(job.status);
  o["achievementId"] = job.achievement_id;
  o["achievementVersion"] = job.achievement_version;
  o["total"] = job.total_rows;
  o["issued"] = job.issued_rows;
  o["failed"] = job.failed_rows;
  o["pending"] = job.total_rows - job.issued_rows - job.failed_rows;
  o["progress"] = job.total_rows == 0
                      ? 1.0
                      : static_cast<double>(job.issued_rows + job.failed_rows) /
                            static_cast<double>(job.total_rows);
  if (!job.error.empty()) o["error"] = job.error;
  o["created"] = FormatDateTime(job.created);
  o["updated"] = FormatDateTime(job.updated);
  return o;
}

BulkService::BulkService(std::shared_ptr<const AppContext> ctx,
                         std::shared_ptr<IssuanceService> issuance,
                         BulkServiceOptions options)
    : ctx_(std::move(ctx)),
      issuance_(std::move(issuance)),
      options_(std::move(options)) {
  if (options_.node_id.empty())
    options_.node_id = "node-" + NewUuidV4(*ctx_->rng);
  options_.batch_size = std::clamp<int64_t>(options_.batch_size, 1, 1000);
}

BulkService::~BulkService() { Stop(); }

Result<SubmittedJob> BulkService::Submit(std::string_view org_id,
                                         const BulkJobOptions& options,
                                         std::string_view body,
                                         BulkFormat format,
                                         std::string_view actor) {
  CREDSTACK_ASSIGN_OR_RETURN(ParsedUpload parsed,
                             ParseBulkUpload(body, format, options_.limits));
  return Submit(org_id, options, std::move(parsed), actor);
}

Result<SubmittedJob> BulkService::Submit(std::string_view org_id,
                                         const BulkJobOptions& options,
                                         ParsedUpload parsed,
                                         std::string_view actor) {
  CREDSTACK_ASSIGN_OR_RETURN(
      store::AchievementVersion achievement,
      issuance_->LoadAchievement(org_id, options.achievement_id,
                                 options.achievement_version));
  if (parsed.error_count > 0) {
    std::string msg = std::to_string(parsed.error_count) +
                      " invalid row(s); nothing was stored";
    for (const BulkRowError& e : parsed.errors) {
      msg += "; line " + std::to_string(e.line) + ": " + e.message;
    }
    return InvalidArgumentError(msg);
  }
  if (parsed.rows.empty())
    return InvalidArgumentError("the upload has no rows");
  BulkJobOptions fixed = options;
  fixed.achievement_version = achievement.version;
  Timestamp now = ctx_->clock->Now();
  store::BulkJob job{.id = NewUuidV4(*ctx_->rng),
                     .org_id = std::string(org_id),
                     .achievement_id = achievement.achievement_id,
                     .achievement_version = achievement.version,
                     .status = store::JobStatus::kQueued,
                     .created = now,
                     .updated = now};
  std::vector<store::NewJobRow> rows;
  rows.reserve(parsed.rows.size());
  for (size_t i = 0; i < parsed.rows.size(); ++i) {
    rows.push_back(store::NewJobRow{
        .row_number = static_cast<int64_t>(i) + 1,
        .client_row_key = std::move(parsed.rows[i].key),
        .recipient_input = std::move(parsed.rows[i].input_json)});
  }
  std::string options_json = json::Serialize(BulkJobOptionsToJson(fixed));
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Transact([&](store::Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.jobs().CreateJob(job));
    CREDSTACK_RETURN_IF_ERROR(tx.issuer().PutJobOptions(job.id, options_json));
    for (size_t i = 0; i < rows.size(); i += kAddRowsChunk) {
      size_t n = std::min(kAddRowsChunk, rows.size() - i);
      CREDSTACK_RETURN_IF_ERROR(
          tx.jobs()
              .AddRows(job.id, std::span(rows).subspan(i, n), now)
              .status());
    }
    json::Object details;
    details["rows"] = static_cast<int64_t>(rows.size());
    return tx.audit()
        .Append(store::AuditEvent{.org_id = std::string(org_id),
                                  .actor = std::string(actor),
                                  .action = "bulk.submit",
                                  .target = job.id,
                                  .details_json = json::Serialize(details),
                                  .created = now})
        .status();
  }));
  CREDSTACK_ASSIGN_OR_RETURN(store::BulkJob stored, Get(org_id, job.id));
  Enqueue(job.id);
  return SubmittedJob{.job = std::move(stored),
                      .duplicates = parsed.duplicates};
}

Result<store::BulkJob> BulkService::Get(std::string_view org_id,
                                        std::string_view job_id) const {
  store::BulkJob job;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(job, tx.jobs().GetJob(org_id, job_id));
    return OkStatus();
  }));
  return job;
}

Result<std::vector<store::JobRow>> BulkService::Rows(
    std::string_view org_id, std::string_view job_id,
    std::optional<store::JobRowState> state, int64_t after_row,
    int64_t limit) const {
  std::vector<store::JobRow> rows;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.jobs().GetJob(org_id, job_id).status());
    CREDSTACK_ASSIGN_OR_RETURN(
        rows, tx.jobs().ListRows(job_id, state, after_row, limit));
    return OkStatus();
  }));
  return rows;
}

Result<int64_t> BulkService::RunOnce(std::string_view job_id) {
  // Find the job's organization (the job id is unique across the store).
  std::shared_ptr<const JobContext> cached;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = contexts_.find(std::string(job_id));
    if (it != contexts_.end() &&
        std::chrono::steady_clock::now() - it->second->loaded <
            std::chrono::seconds(30)) {
      cached = it->second;
    }
  }
  if (!cached) {
    std::string org_id;
    std::string options_json;
    store::BulkJob job;
    CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
      CREDSTACK_ASSIGN_OR_RETURN(options_json,
                                 tx.issuer().GetJobOptions(job_id));
      CREDSTACK_ASSIGN_OR_RETURN(org_id, tx.issuer().JobOrganization(job_id));
      CREDSTACK_ASSIGN_OR_RETURN(job, tx.jobs().GetJob(org_id, job_id));
      return OkStatus();
    }));
    if (job.status == store::JobStatus::kDone ||
        job.status == store::JobStatus::kFailed) {
      return int64_t{0};
    }
    CREDSTACK_ASSIGN_OR_RETURN(json::Value ov, json::Parse(options_json));
    if (!ov.is_object()) return DataLossError("job options are not an object");
    CREDSTACK_ASSIGN_OR_RETURN(BulkJobOptions options,
                               BulkJobOptionsFromJson(ov.as_object()));
    CREDSTACK_ASSIGN_OR_RETURN(IssuerContext issuer,
                               issuance_->LoadIssuer(org_id));
    CREDSTACK_ASSIGN_OR_RETURN(
        store::AchievementVersion achievement,
        issuance_->LoadAchievement(org_id, job.achievement_id,
                                   job.achievement_version));
    CREDSTACK_ASSIGN_OR_RETURN(json::Value av,
                               json::Parse(achievement.achievement_json));
    if (!av.is_object())
      return DataLossError("stored achievement is not an object");
    auto jc = std::make_shared<JobContext>(
        JobContext{.job = job,
                   .options = std::move(options),
                   .issuer = std::move(issuer),
                   .achievement = std::move(achievement),
                   .achievement_json = std::move(av.as_object()),
                   .loaded = std::chrono::steady_clock::now()});
    std::lock_guard<std::mutex> lock(mu_);
    contexts_[std::string(job_id)] = jc;
    cached = jc;
  }
  CREDSTACK_ASSIGN_OR_RETURN(int64_t n, ProcessBatch(*cached));
  if (n > 0) return n;
  bool done = false;
  CREDSTACK_RETURN_IF_ERROR(FinishIfDone(*cached, done));
  if (done) {
    std::lock_guard<std::mutex> lock(mu_);
    contexts_.erase(std::string(job_id));
  }
  return int64_t{0};
}

Result<int64_t> BulkService::ProcessBatch(const JobContext& jc) {
  const std::string& job_id = jc.job.id;
  const std::string& org_id = jc.job.org_id;
  Timestamp now = ctx_->clock->Now();
  Timestamp lease{now.unix_micros +
                  static_cast<int64_t>(options_.lease.count()) * 1000};
  std::vector<store::JobRow> rows;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Transact([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(
        rows, tx.jobs().ClaimRows(job_id, options_.node_id, options_.batch_size,
                                  now, lease));
    if (!rows.empty() && jc.job.status == store::JobStatus::kQueued) {
      CREDSTACK_ASSIGN_OR_RETURN(store::BulkJob current,
                                 tx.jobs().GetJob(org_id, job_id));
      if (current.status == store::JobStatus::kQueued) {
        CREDSTACK_RETURN_IF_ERROR(
            tx.jobs().SetStatus(job_id, store::JobStatus::kRunning, "", now));
      }
    }
    return OkStatus();
  }));
  if (rows.empty()) return int64_t{0};

  struct Failed {
    int64_t row_number;
    std::string error;
  };
  std::vector<Failed> failed;
  std::vector<IssueRequest> requests;
  std::vector<const store::JobRow*> request_rows;
  for (const store::JobRow& row : rows) {
    Result<json::Value> v = json::Parse(row.recipient_input);
    Result<IssueRequest> r = v.has_value() && v->is_object()
                                 ? ParseIssueRequest(v->as_object())
                                 : Result<IssueRequest>(InvalidArgumentError(
                                       "row is not a JSON object"));
    if (!r.has_value()) {
      failed.push_back({row.row_number, StripPath(r.error().message())});
      continue;
    }
    r->org_id = org_id;
    r->achievement_id = jc.achievement.achievement_id;
    r->achievement_version = jc.achievement.version;
    if (!r->valid_from) r->valid_from = jc.options.valid_from;
    if (!r->valid_until) r->valid_until = jc.options.valid_until;
    if (!r->awarded_date) r->awarded_date = jc.options.awarded_date;
    r->cryptosuite = jc.options.cryptosuite;
    r->idempotency_key = "bulk:" + job_id + ":" + row.client_row_key;
    requests.push_back(std::move(*r));
    request_rows.push_back(&row);
  }

  for (int attempt = 0;; ++attempt) {
    std::vector<Failed> all_failed = failed;
    std::vector<store::IssueRecord> records;
    std::vector<size_t> record_request;  // records[i] is of that request
    records.reserve(requests.size());
    record_request.reserve(requests.size());
    if (!requests.empty()) {
      CREDSTACK_ASSIGN_OR_RETURN(
          std::vector<StatusEntry> entries,
          issuance_->PickEntries(org_id, requests.size()));
      size_t n = requests.size();
      for (size_t i = 0; i < n; ++i) {
        Result<PreparedCredential> p =
            issuance_->Prepare(jc.issuer, jc.achievement, jc.achievement_json,
                               requests[i], std::span(&entries[i], 1), now);
        if (!p.has_value()) {
          if (p.error().code() != Code::kInvalidArgument) return p.error();
          all_failed.push_back(
              {request_rows[i]->row_number, StripPath(p.error().message())});
          continue;
        }
        p->record.job_row = store::JobRowRef{
            .job_id = job_id, .row_number = request_rows[i]->row_number};
        records.push_back(std::move(p->record));
        record_request.push_back(i);
      }
    }
    int64_t created = 0;
    std::vector<store::IssueOutcome> outcomes;
    Status s = ctx_->store->Transact([&](store::Tx& tx) -> Status {
      created = 0;
      outcomes.clear();
      if (!records.empty()) {
        CREDSTACK_ASSIGN_OR_RETURN(outcomes,
                                   store::IssueCredentialsTx(tx, records));
        for (const auto& o : outcomes) created += o.created ? 1 : 0;
      }
      for (const Failed& f : all_failed) {
        CREDSTACK_RETURN_IF_ERROR(
            tx.jobs().MarkRowFailed(job_id, f.row_number, f.error, now));
      }
      return OkStatus();
    });
    if (s.code() == Code::kAlreadyExists && attempt + 1 < 5) {
      issuance_->status().Refresh(org_id);  // an index was taken elsewhere
      continue;
    }
    CREDSTACK_RETURN_IF_ERROR(s);
    if (created > 0 && issuance_->options().on_issued) {
      issuance_->options().on_issued(static_cast<uint64_t>(created));
    }
    // The batch is committed: its new credentials go to the listeners (a
    // row stored twice, after a lost lease, was told the first time).
    const IssuedListeners& listeners = *issuance_->issued_listeners();
    if (created > 0 && !listeners.empty()) {
      std::vector<IssuedEvent> events;
      events.reserve(static_cast<size_t>(created));
      for (size_t i = 0; i < outcomes.size(); ++i) {
        if (!outcomes[i].created) continue;
        events.push_back(
            IssuedEvent{.credential = &outcomes[i].credential,
                        .recipient = requests[record_request[i]].recipient});
      }
      listeners.Notify(events);
    }
    return static_cast<int64_t>(rows.size());
  }
}

Status BulkService::FinishIfDone(const JobContext& jc, bool& done) {
  done = false;
  return ctx_->store->Transact([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(store::JobRowCounts counts,
                               tx.jobs().CountRows(jc.job.id));
    if (counts.pending > 0) return OkStatus();
    CREDSTACK_ASSIGN_OR_RETURN(store::BulkJob job,
                               tx.jobs().GetJob(jc.job.org_id, jc.job.id));
    done = true;
    if (job.status == store::JobStatus::kDone) return OkStatus();
    return tx.jobs().SetStatus(jc.job.id, store::JobStatus::kDone, "",
                               ctx_->clock->Now());
  });
}

void BulkService::Enqueue(const std::string& job_id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!queued_.insert(job_id).second) return;
    queue_.push_back(job_id);
  }
  cv_.notify_all();
}

void BulkService::Rescan() {
  std::string after;
  for (;;) {
    std::vector<store::UnfinishedJob> page;
    Status s = ctx_->store->Read([&](store::Tx& tx) -> Status {
      CREDSTACK_ASSIGN_OR_RETURN(page,
                                 tx.issuer().ListUnfinishedJobs(after, 1000));
      return OkStatus();
    });
    if (!s.ok()) return;
    for (const auto& u : page) Enqueue(u.job_id);
    if (page.size() < 1000) return;
    after = page.back().job_id;
  }
}

Status BulkService::Start() {
  if (!threads_.empty()) return OkStatus();
  // Claims this node left behind (a crash) are released at once instead of
  // waiting for their lease.
  std::string after;
  for (;;) {
    std::vector<store::UnfinishedJob> page;
    CREDSTACK_RETURN_IF_ERROR(
        ctx_->store->Transact([&](store::Tx& tx) -> Status {
          CREDSTACK_ASSIGN_OR_RETURN(
              page, tx.issuer().ListUnfinishedJobs(after, 1000));
          for (const auto& u : page) {
            CREDSTACK_RETURN_IF_ERROR(
                tx.jobs().ReleaseClaims(u.job_id, options_.node_id).status());
          }
          return OkStatus();
        }));
    for (const auto& u : page) Enqueue(u.job_id);
    if (page.size() < 1000) break;
    after = page.back().job_id;
  }
  if (options_.workers <= 0) return OkStatus();
  stop_ = false;
  last_rescan_ = std::chrono::steady_clock::now();
  for (int i = 0; i < options_.workers; ++i) {
    threads_.emplace_back([this] { WorkerLoop(); });
  }
  return OkStatus();
}

void BulkService::Stop() {
  stop_ = true;
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  if (threads_.empty()) return;
  threads_.clear();
  std::vector<std::string> jobs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs.assign(queued_.begin(), queued_.end());
  }
  for (const std::string& job : jobs) {
    (void)ctx_->store->Transact([&](store::Tx& tx) -> Status {
      return tx.jobs().ReleaseClaims(job, options_.node_id).status();
    });
  }
}

void BulkService::WorkerLoop() {
  while (!stop_) {
    std::string job_id;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (queue_.empty()) {
        cv_.wait_for(lock, options_.poll);
      }
      if (stop_) return;
      if (!queue_.empty()) {
        job_id = queue_.front();
        queue_.pop_front();
        queue_.push_back(job_id);  // round robin; other workers share it
      }
    }
    auto now = std::chrono::steady_clock::now();
    bool rescan = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (now - last_rescan_ > options_.rescan) {
        last_rescan_ = now;
        rescan = true;
      }
    }
    if (rescan) Rescan();
    if (job_id.empty()) continue;
    Result<int64_t> n = RunOnce(job_id);
    if (!n.has_value() || *n == 0) {
      std::unique_lock<std::mutex> lock(mu_);
      if (n.has_value() && contexts_.count(job_id) != 0) {
        // Not done: every pending row is claimed, by the other worker (its
        // batch ends soon and the job with it) or by another node. The job
        // stays queued, so whoever stores the last batch also finishes the
        // job at once; wait a poll interval before claiming again.
        cv_.wait_for(lock, options_.poll, [this] { return stop_.load(); });
        continue;
      }
      // Done, or an error (retried after the rescan interval).
      queued_.erase(job_id);
      queue_.erase(std::remove(queue_.begin(), queue_.end(), job_id),
                   queue_.end());
      if (!n.has_value()) contexts_.erase(job_id);
    }
  }
}

}  // namespace credstack::app
