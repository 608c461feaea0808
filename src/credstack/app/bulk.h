#pragma once

// Bulk issuance (issue 4 §5): an upload of recipients (CSV or JSON Lines)
// becomes a job whose rows live in the store (job_rows) under
// UNIQUE (job_id, client_row_key). Workers claim rows in batches
// (JobRepository::ClaimRows, leases), sign them outside any transaction
// and store each batch with store::IssueCredentialsTx, which marks the rows
// issued in the same transaction. A crash therefore leaves every row either
// issued with its credential or pending; pending rows are claimed again
// after a restart (this node releases its own claims at start-up; other
// nodes' claims expire with their lease). Each row's credential carries the
// idempotency key "bulk:<job>:<row key>", so a row issued twice (a lease
// that ran out under a slow worker) still yields one credential.
//
// Upload formats (docs/formats/bulk-upload.md):
//   CSV   header row; columns recipient (required), rowKey, validFrom,
//         validUntil, awardedDate, creditsEarned, evidenceUrl
//   JSONL one object per line with recipient, rowKey?, validFrom?,
//         validUntil?, awardedDate?, creditsEarned?, evidence?, results?
// A row without rowKey gets one derived from its content (identical rows
// are then one row).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "credstack/app/app_context.h"
#include "credstack/app/issuance.h"
#include "credstack/json/json.h"
#include "credstack/store/types.h"

namespace credstack::app {

enum class BulkFormat { kCsv, kJsonLines };

struct BulkRowError {
  int64_t line = 0;    // 1-based line (CSV: the record's first line)
  int64_t column = 0;  // 1-based byte column when known, else 0
  std::string message;
};

struct ParsedBulkRow {
  std::string key;         // client row key (given or derived)
  std::string input_json;  // the row as a JSON object
};

struct ParsedUpload {
  std::vector<ParsedBulkRow> rows;
  std::vector<BulkRowError> errors;  // at most max_errors
  int64_t error_count = 0;
  int64_t duplicates = 0;  // rows whose key repeats an earlier row's
};

struct BulkLimits {
  int64_t max_rows = 1'000'000;
  size_t max_errors = 20;
  size_t max_row_bytes = 64 * 1024;
};

// Parses and validates every row (recipient, dates, numbers). Fails only
// when the upload as a whole is unusable (kInvalidArgument: no header, no
// recipient column, unknown column; kResourceExhausted: too many rows).
Result<ParsedUpload> ParseBulkUpload(std::string_view body, BulkFormat format,
                                     const BulkLimits& limits = {});

// Job-level settings every row shares (rows may override dates/credits).
struct BulkJobOptions {
  std::string achievement_id;
  std::optional<int64_t> achievement_version;  // unset: the latest
  std::optional<Timestamp> valid_from;
  std::optional<Timestamp> valid_until;
  std::optional<Timestamp> awarded_date;
  std::string cryptosuite;
};
json::Object BulkJobOptionsToJson(const BulkJobOptions& o);
Result<BulkJobOptions> BulkJobOptionsFromJson(const json::Object& o);

struct BulkServiceOptions {
  int workers = 2;           // worker threads (0: none; tests drive RunOnce)
  int64_t batch_size = 256;  // rows claimed and stored together
  std::chrono::milliseconds lease{60'000};
  std::chrono::milliseconds poll{200};      // idle wait between claims
  std::chrono::milliseconds rescan{2'000};  // look for other nodes' jobs
  // Identifies this node's claims; stable across restarts so that start-up
  // can release claims a crashed run left behind.
  std::string node_id;
  BulkLimits limits;
};

struct SubmittedJob {
  store::BulkJob job;
  int64_t duplicates = 0;
  bool created = true;  // false: the job idempotency key was used before
};

// Thread-safe.
class BulkService {
 public:
  BulkService(std::shared_ptr<const AppContext> ctx,
              std::shared_ptr<IssuanceService> issuance,
              BulkServiceOptions options);
  ~BulkService();  // Stop()
  BulkService(const BulkService&) = delete;
  BulkService& operator=(const BulkService&) = delete;

  // Validates the upload and creates the job with all its rows in one
  // transaction. kInvalidArgument with the first row errors ("line 7:
  // recipient: ..."); kNotFound for an unknown achievement.
  Result<SubmittedJob> Submit(std::string_view org_id,
                              const BulkJobOptions& options,
                              std::string_view body, BulkFormat format,
                              std::string_view actor);
  // The same for an upload parsed by ParseBulkUpload (which must have no
  // errors).
  Result<SubmittedJob> Submit(std::string_view org_id,
                              const BulkJobOptions& options,
                              ParsedUpload parsed, std::string_view actor);
  const BulkLimits& limits() const { return options_.limits; }

  Result<store::BulkJob> Get(std::string_view org_id,
                             std::string_view job_id) const;
  Result<std::vector<store::JobRow>> Rows(
      std::string_view org_id, std::string_view job_id,
      std::optional<store::JobRowState> state, int64_t after_row,
      int64_t limit) const;

  // Releases this node's stale claims on unfinished jobs (a crash left
  // them), queues those jobs and starts the workers (none when
  // options.workers is 0).
  Status Start();
  // Stops the workers after their current batch and releases their claims.
  void Stop();
  // Processes one batch of the job on the calling thread; returns the
  // number of rows finished (issued or failed). When none are left, marks
  // the job done and returns 0.
  Result<int64_t> RunOnce(std::string_view job_id);

 private:
  struct JobContext {
    store::BulkJob job;
    BulkJobOptions options;
    IssuerContext issuer;
    store::AchievementVersion achievement;
    json::Object achievement_json;
    std::chrono::steady_clock::time_point loaded;
  };
  Result<int64_t> ProcessBatch(const JobContext& jc);
  Status FinishIfDone(const JobContext& jc, bool& done);
  void Enqueue(const std::string& job_id);
  void WorkerLoop();
  void Rescan();

  std::shared_ptr<const AppContext> ctx_;
  std::shared_ptr<IssuanceService> issuance_;
  BulkServiceOptions options_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;  // jobs with work, round robin
  std::set<std::string> queued_;
  std::map<std::string, std::shared_ptr<const JobContext>> contexts_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::chrono::steady_clock::time_point last_rescan_{};
};

json::Object BulkJobToJson(const store::BulkJob& job);

}  // namespace credstack::app
