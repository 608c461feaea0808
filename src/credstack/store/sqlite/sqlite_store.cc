#include "credstack/store/sqlite/sqlite_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "credstack/store/internal/migration.h"
#include "credstack/store/internal/sql.h"
#include "credstack/store/internal/sql_repositories.h"
#include "credstack/store/internal/sql_store.h"

namespace credstack::store::sqlite {
namespace {

using internal::Dialect;
using internal::SqlParam;
using internal::SqlResult;

// One connection with its prepared-statement cache. Not thread-safe.
class SqliteConn final : public internal::SqlConn {
 public:
  explicit SqliteConn(sqlite3* db) : db_(db) {}
  ~SqliteConn() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConn(const SqliteConn&) = delete;
  SqliteConn& operator=(const SqliteConn&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<SqlResult> RunSpan(std::string_view sql,
                            std::span<const SqlParam> params) override {
    CREDSTACK_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    CREDSTACK_RETURN_IF_ERROR(Bind(stmt, params));
    SqlResult result(static_cast<size_t>(sqlite3_column_count(stmt)));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      for (size_t c = 0; c < result.cols(); ++c) AddColumn(stmt, c, result);
    }
    if (rc != SQLITE_DONE) return Fail(stmt);
    result.set_affected(sqlite3_stmt_readonly(stmt) ? 0
                                                    : sqlite3_changes64(db_));
    sqlite3_reset(stmt);
    return result;
  }

  Result<std::vector<int64_t>> RunBatch(std::string_view sql,
                                        std::span<const SqlParam> params,
                                        size_t width) override {
    CREDSTACK_CHECK(width > 0 && params.size() % width == 0);
    CREDSTACK_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    std::vector<int64_t> affected;
    affected.reserve(params.size() / width);
    for (size_t off = 0; off < params.size(); off += width) {
      CREDSTACK_RETURN_IF_ERROR(Bind(stmt, params.subspan(off, width)));
      int rc;
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      }
      if (rc != SQLITE_DONE) return Fail(stmt);
      affected.push_back(sqlite3_changes64(db_));
      sqlite3_reset(stmt);
    }
    return affected;
  }

  // Runs statements without parameters (BEGIN, migrations, PRAGMAs).
  Status Exec(std::string_view sql) {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc == SQLITE_OK) return OkStatus();
    std::string message = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return MapError(sqlite3_extended_errcode(db_), message);
  }

  // Whether the last failure was a lock timeout worth retrying.
  bool retryable() const { return retryable_; }
  void clear_retryable() { retryable_ = false; }

 private:
  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return MapError(
          sqlite3_extended_errcode(db_),
          std::string(sqlite3_errmsg(db_)) + " in: " + std::string(sql));
    }
    cache_.emplace(std::string(sql), stmt);
    return stmt;
  }

  Status Bind(sqlite3_stmt* stmt, std::span<const SqlParam> params) {
    CREDSTACK_CHECK_MSG(
        static_cast<int>(params.size()) == sqlite3_bind_parameter_count(stmt),
        "parameter count does not match the statement");
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i) + 1;
      int rc = std::visit(
          [&](const auto& v) -> int {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              return sqlite3_bind_null(stmt, idx);
            } else if constexpr (std::is_same_v<T, int64_t>) {
              return sqlite3_bind_int64(stmt, idx, v);
            } else if constexpr (std::is_same_v<T, std::string_view>) {
              return sqlite3_bind_text64(stmt, idx, v.data(), v.size(),
                                         SQLITE_STATIC, SQLITE_UTF8);
            } else {
              // A zero-length blob must not bind as NULL.
              static const uint8_t kEmpty = 0;
              return sqlite3_bind_blob64(stmt, idx,
                                         v.empty() ? &kEmpty : v.data(),
                                         v.size(), SQLITE_STATIC);
            }
          },
          params[i]);
      if (rc != SQLITE_OK) return Fail(stmt);
    }
    return OkStatus();
  }

  static void AddColumn(sqlite3_stmt* stmt, size_t col, SqlResult& out) {
    int c = static_cast<int>(col);
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_NULL:
        out.AddNull();
        break;
      case SQLITE_INTEGER:
      case SQLITE_FLOAT:
        out.AddInt(sqlite3_column_int64(stmt, c));
        break;
      default: {
        const void* p = sqlite3_column_blob(stmt, c);
        int n = sqlite3_column_bytes(stmt, c);
        out.AddBytes(std::string_view(static_cast<const char*>(p),
                                      p ? static_cast<size_t>(n) : 0));
      }
    }
  }

  Status Fail(sqlite3_stmt* stmt) {
    int code = sqlite3_extended_errcode(db_);
    std::string message = sqlite3_errmsg(db_);
    sqlite3_reset(stmt);
    return MapError(code, message);
  }

  Status MapError(int code, std::string message) {
    message = "sqlite: " + message;
    switch (code) {
      case SQLITE_CONSTRAINT_UNIQUE:
      case SQLITE_CONSTRAINT_PRIMARYKEY:
        return AlreadyExistsError(std::move(message));
      case SQLITE_CONSTRAINT_FOREIGNKEY:
      case SQLITE_CONSTRAINT_TRIGGER:
        return FailedPreconditionError(std::move(message));
      case SQLITE_CONSTRAINT_CHECK:
      case SQLITE_CONSTRAINT_NOTNULL:
      case SQLITE_CONSTRAINT_DATATYPE:
        return InvalidArgumentError(std::move(message));
      default:
        break;
    }
    switch (code & 0xff) {
      case SQLITE_READONLY:
        return FailedPreconditionError(message + " (read-only transaction)");
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        retryable_ = true;
        return UnavailableError(std::move(message));
      case SQLITE_FULL:
      case SQLITE_IOERR:
      case SQLITE_CANTOPEN:
        return UnavailableError(std::move(message));
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        return DataLossError(std::move(message));
      case SQLITE_CONSTRAINT:
        return InvalidArgumentError(std::move(message));
      default:
        return InternalError(std::move(message));
    }
  }

  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>()(s);
    }
  };
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> cache_;
  bool retryable_ = false;
};

Result<std::unique_ptr<SqliteConn>> Connect(const std::string& path,
                                            const StoreOptions& options,
                                            bool reader) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (!reader) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return UnavailableError("sqlite: cannot open " + path + ": " + message);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.sqlite_busy_timeout_ms);
  auto conn = std::make_unique<SqliteConn>(db);
  CREDSTACK_RETURN_IF_ERROR(conn->Exec("PRAGMA foreign_keys = ON"));
  if (reader) {
    CREDSTACK_RETURN_IF_ERROR(conn->Exec("PRAGMA query_only = ON"));
  } else {
    // Switching a new database to WAL needs an exclusive lock, and SQLite
    // returns SQLITE_BUSY at once (no busy handler, to avoid a deadlock)
    // when another connection is opening it at the same time: retry for
    // the busy timeout (3.7% of concurrent first opens failed without).
    Result<SqlResult> wal = conn->Run("PRAGMA journal_mode = WAL");
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(options.sqlite_busy_timeout_ms);
    while (!wal.ok() && conn->retryable() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      conn->clear_retryable();
      wal = conn->Run("PRAGMA journal_mode = WAL");
    }
    CREDSTACK_ASSIGN_OR_RETURN(SqlResult mode, std::move(wal));
    if (mode.empty() || mode.Text(0, 0) != "wal") {
      return UnavailableError("sqlite: cannot switch " + path + " to WAL mode");
    }
    // A larger page cache for the writer keeps index pages of big tables
    // (credentials, log entries) in memory during bulk issuance; fewer,
    // larger checkpoints amortize their fsyncs. Both cost memory only as
    // the database grows. docs/decisions/0003-store-sqlite-durability.md.
    CREDSTACK_RETURN_IF_ERROR(conn->Exec(
        "PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 4000; "
        "PRAGMA journal_size_limit = 67108864; PRAGMA temp_store = MEMORY"));
    CREDSTACK_RETURN_IF_ERROR(conn->Exec(
        options.sqlite_synchronous == StoreOptions::Synchronous::kFull
            ? "PRAGMA synchronous = FULL"
            : "PRAGMA synchronous = NORMAL"));
  }
  return conn;
}

class SqliteStore final : public internal::SqlStore {
 public:
  SqliteStore(std::string path, StoreOptions options,
              std::unique_ptr<SqliteConn> writer, int64_t schema_version)
      : path_(std::move(path)),
        options_(std::move(options)),
        writer_(std::move(writer)),
        schema_version_(schema_version) {}

  Status Transact(const TxFn& fn) override {
    CREDSTACK_RETURN_IF_ERROR(internal::TxScope::CheckNotNested());
    internal::TxScope scope;
    std::lock_guard<std::mutex> lock(write_mu_);
    Status status;
    for (int attempt = 0; attempt < std::max(1, options_.max_attempts);
         ++attempt) {
      writer_->clear_retryable();
      status = RunOnce(*writer_, /*read_only=*/false, fn);
      if (status.ok() || !writer_->retryable()) break;
    }
    return status;
  }

  Status Read(const TxFn& fn) override {
    CREDSTACK_RETURN_IF_ERROR(internal::TxScope::CheckNotNested());
    internal::TxScope scope;
    CREDSTACK_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConn> reader,
                               AcquireReader());
    Status status = RunOnce(*reader, /*read_only=*/true, fn);
    ReleaseReader(std::move(reader));
    return status;
  }

  std::string_view backend() const override { return "sqlite"; }
  int64_t schema_version() const override { return schema_version_; }

  Status Ping() override {
    return Read([](Tx& tx) { return tx.log().Size().status(); });
  }

  StoreStats stats() const override {
    std::lock_guard<std::mutex> lock(read_mu_);
    return StoreStats{
        .connections_open = 1 + open_readers_,
        .connections_in_use =
            open_readers_ - static_cast<int64_t>(idle_readers_.size()),
        .transactions_committed = committed_.load(),
        .transactions_rolled_back = rolled_back_.load()};
  }

  Status ExecScriptForTesting(std::string_view sql) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    CREDSTACK_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
    Status s = writer_->Exec(sql);
    if (!s.ok()) {
      (void)writer_->Exec("ROLLBACK");
      return s;
    }
    return writer_->Exec("COMMIT");
  }

 private:
  Status RunOnce(SqliteConn& conn, bool read_only, const TxFn& fn) {
    // BEGIN IMMEDIATE takes the write lock up front, so a writer never
    // fails half-way on a lock upgrade.
    CREDSTACK_RETURN_IF_ERROR(
        conn.Exec(read_only ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE"));
    internal::SqlTx tx(conn, read_only);
    Status status = fn(tx);
    if (status.ok()) {
      status = conn.Exec("COMMIT");
      if (status.ok()) {
        ++committed_;
        return status;
      }
    }
    (void)conn.Exec("ROLLBACK");
    ++rolled_back_;
    return status;
  }

  Result<std::unique_ptr<SqliteConn>> AcquireReader() {
    {
      std::unique_lock<std::mutex> lock(read_mu_);
      read_cv_.wait(lock, [&] {
        return !idle_readers_.empty() ||
               open_readers_ < std::max(1, options_.sqlite_readers);
      });
      if (!idle_readers_.empty()) {
        std::unique_ptr<SqliteConn> conn = std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return conn;
      }
      ++open_readers_;
    }
    Result<std::unique_ptr<SqliteConn>> conn =
        Connect(path_, options_, /*reader=*/true);
    if (!conn.ok()) {
      std::lock_guard<std::mutex> lock(read_mu_);
      --open_readers_;
      read_cv_.notify_one();
    }
    return conn;
  }

  void ReleaseReader(std::unique_ptr<SqliteConn> conn) {
    std::lock_guard<std::mutex> lock(read_mu_);
    idle_readers_.push_back(std::move(conn));
    read_cv_.notify_one();
  }

  const std::string path_;
  const StoreOptions options_;
  std::mutex write_mu_;
  std::unique_ptr<SqliteConn> writer_;  // guarded by write_mu_
  mutable std::mutex read_mu_;
  std::condition_variable read_cv_;
  std::vector<std::unique_ptr<SqliteConn>> idle_readers_;  // read_mu_
  int64_t open_readers_ = 0;                               // read_mu_
  std::atomic<int64_t> committed_{0};
  std::atomic<int64_t> rolled_back_{0};
  const int64_t schema_version_;
};

// Applies the embedded migrations newer than the database's version, all in
// one IMMEDIATE transaction (which also excludes other processes).
Result<int64_t> Migrate(SqliteConn& conn) {
  const std::vector<internal::Migration> migrations = internal::MigrationsFrom(
      {internal::kSqliteMigrationFiles, internal::kSqliteMigrationFilesCount});
  const int64_t latest = migrations.back().version;
  CREDSTACK_RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
  auto fail = [&](Status s) {
    (void)conn.Exec("ROLLBACK");
    return s;
  };
  Status s = conn.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
      "applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP) STRICT");
  if (!s.ok()) return fail(s);
  Result<SqlResult> r = conn.Run("SELECT version FROM schema_migrations");
  if (!r.ok()) return fail(r.status());
  std::vector<int64_t> applied;
  for (size_t row = 0; row < r->rows(); ++row)
    applied.push_back(r->Int(row, 0));
  Result<std::vector<internal::Migration>> pending =
      internal::PendingMigrations(migrations, std::move(applied));
  if (!pending.ok()) return fail(pending.status());
  for (const internal::Migration& m : *pending) {
    s = conn.Exec(m.sql);
    if (!s.ok()) {
      return fail(s.WithPrefix("migration " + std::to_string(m.version) + "_" +
                               std::string(m.name)));
    }
    s = conn.Run("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                 {m.version, m.name})
            .status();
    if (!s.ok()) return fail(s);
  }
  s = conn.Exec("COMMIT");
  if (!s.ok()) return fail(s);
  return latest;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(std::string_view path_in,
                                               const StoreOptions& options) {
  if (path_in.empty()) return InvalidArgumentError("sqlite: empty path");
  std::string path(path_in);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    path = (std::filesystem::path(path) / "credstack.db").string();
  }
  const bool existed = std::filesystem::exists(path, ec);
  CREDSTACK_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConn> writer,
                             Connect(path, options, /*reader=*/false));
  if (!existed) {
    // The database holds encrypted keys and hashed secrets: owner only.
    // SQLite gives the -wal and -shm files the same mode.
    (void)::chmod(path.c_str(), 0600);
  }
  CREDSTACK_ASSIGN_OR_RETURN(int64_t version, Migrate(*writer));
  return std::unique_ptr<Store>(
      new SqliteStore(path, options, std::move(writer), version));
}

}  // namespace credstack::store::sqlite
