#include "credstack/store/postgres/pg_store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "credstack/store/internal/migration.h"
#include "credstack/store/internal/sql_repositories.h"
#include "credstack/store/internal/sql_store.h"
#include "credstack/store/postgres/pg_conn.h"

namespace credstack::store::postgres {
namespace {

// A fixed-size pool; connections are opened lazily and dropped when broken.
class Pool {
 public:
  Pool(std::string url, StoreOptions options)
      : url_(std::move(url)), options_(std::move(options)) {}

  Result<std::unique_ptr<PgConn>> Acquire() {
    {
      std::unique_lock<std::mutex> lock(mu_);
      bool ready =
          cv_.wait_for(lock,
                       std::chrono::milliseconds(
                           std::max(0, options_.postgres_acquire_timeout_ms)),
                       [&] { return !idle_.empty() || open_ < max(); });
      if (!ready) {
        return UnavailableError("postgres: no free connection in the pool (" +
                                std::to_string(max()) + " in use)");
      }
      ++in_use_;
      if (!idle_.empty()) {
        std::unique_ptr<PgConn> conn = std::move(idle_.back());
        idle_.pop_back();
        return conn;
      }
      ++open_;
    }
    Result<std::unique_ptr<PgConn>> conn = PgConn::Connect(url_, options_);
    if (!conn.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      --open_;
      --in_use_;
      cv_.notify_one();
    }
    return conn;
  }

  void Release(std::unique_ptr<PgConn> conn) {
    std::lock_guard<std::mutex> lock(mu_);
    --in_use_;
    if (conn->broken()) {
      --open_;
      conn.reset();
    } else {
      idle_.push_back(std::move(conn));
    }
    cv_.notify_one();
  }

  int64_t open() const {
    std::lock_guard<std::mutex> lock(mu_);
    return open_;
  }
  int64_t in_use() const {
    std::lock_guard<std::mutex> lock(mu_);
    return in_use_;
  }

 private:
  int64_t max() const { return std::max(1, options_.postgres_pool_size); }

  const std::string url_;
  const StoreOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn>> idle_;  // mu_
  int64_t open_ = 0;                           // mu_
  int64_t in_use_ = 0;                         // mu_
};

class PgStore final : public internal::SqlStore {
 public:
  PgStore(std::string url, StoreOptions options, int64_t schema_version)
      : options_(options),
        pool_(std::move(url), std::move(options)),
        schema_version_(schema_version) {}

  Status Transact(const TxFn& fn) override { return Run(fn, false); }
  Status Read(const TxFn& fn) override { return Run(fn, true); }

  std::string_view backend() const override { return "postgres"; }
  int64_t schema_version() const override { return schema_version_; }
  Status Ping() override {
    return Read([](Tx& tx) { return tx.log().Size().status(); });
  }
  StoreStats stats() const override {
    return StoreStats{.connections_open = pool_.open(),
                      .connections_in_use = pool_.in_use(),
                      .transactions_committed = committed_.load(),
                      .transactions_rolled_back = rolled_back_.load()};
  }

  Status ExecScriptForTesting(std::string_view sql) override {
    CREDSTACK_ASSIGN_OR_RETURN(std::unique_ptr<PgConn> conn, pool_.Acquire());
    Status s = conn->Exec("BEGIN; " + std::string(sql) + "; COMMIT");
    if (!s.ok()) (void)conn->Exec("ROLLBACK");
    pool_.Release(std::move(conn));
    return s;
  }

 private:
  Status Run(const TxFn& fn, bool read_only) {
    CREDSTACK_RETURN_IF_ERROR(internal::TxScope::CheckNotNested());
    internal::TxScope scope;
    Status status;
    const int attempts = read_only ? 1 : std::max(1, options_.max_attempts);
    for (int attempt = 0; attempt < attempts; ++attempt) {
      CREDSTACK_ASSIGN_OR_RETURN(std::unique_ptr<PgConn> conn, pool_.Acquire());
      conn->clear_retryable();
      status = RunOnce(*conn, read_only, fn);
      bool retry = conn->retryable();
      pool_.Release(std::move(conn));
      if (status.ok() || !retry) break;
    }
    return status;
  }

  Status RunOnce(PgConn& conn, bool read_only, const TxFn& fn) {
    // Writers use READ COMMITTED with explicit row locks where they
    // read-modify-write; readers get one snapshot for the whole callback.
    CREDSTACK_RETURN_IF_ERROR(
        conn.Exec(read_only ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                            : "BEGIN"));
    internal::SqlTx tx(conn, read_only);
    Status status = fn(tx);
    if (status.ok()) {
      // A failed COMMIT has an unknown outcome only if the connection
      // dropped; it is never retried (the callback may have committed).
      status = conn.Exec("COMMIT");
      if (status.ok()) {
        ++committed_;
        return status;
      }
      conn.clear_retryable();
    }
    (void)conn.Exec("ROLLBACK");
    ++rolled_back_;
    return status;
  }

  const StoreOptions options_;
  Pool pool_;
  const int64_t schema_version_;
  std::atomic<int64_t> committed_{0};
  std::atomic<int64_t> rolled_back_{0};
};

// Applies pending migrations in one transaction under an advisory lock keyed
// by the schema, so nodes starting together migrate once, one at a time.
Result<int64_t> Migrate(PgConn& conn, const StoreOptions& options) {
  const std::vector<internal::Migration> migrations =
      internal::MigrationsFrom({internal::kPostgresMigrationFiles,
                                internal::kPostgresMigrationFilesCount});
  const int64_t latest = migrations.back().version;
  const std::string schema =
      options.postgres_schema.empty() ? "public" : options.postgres_schema;
  CREDSTACK_RETURN_IF_ERROR(conn.Exec("BEGIN"));
  auto fail = [&](Status s) {
    (void)conn.Exec("ROLLBACK");
    return s;
  };
  const std::string lock_name = "credstack-migrate:" + schema;
  Status s = conn.Run("SELECT pg_advisory_xact_lock(hashtext(?))",
                      {std::string_view(lock_name)})
                 .status();
  if (!s.ok()) return fail(s);
  if (!options.postgres_schema.empty()) {
    s = conn.Exec("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
    if (!s.ok()) return fail(s);
  }
  s = conn.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      "version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
      "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
  if (!s.ok()) return fail(s);
  Result<internal::SqlResult> r =
      conn.Run("SELECT version FROM schema_migrations");
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

bool ValidSchemaName(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return !(name[0] >= '0' && name[0] <= '9');
}

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(std::string_view url,
                                                 const StoreOptions& options) {
  if (!options.postgres_schema.empty() &&
      !ValidSchemaName(options.postgres_schema)) {
    return InvalidArgumentError(
        "postgres: schema name must be 1-63 characters of [a-z0-9_], not "
        "starting with a digit");
  }
  CREDSTACK_ASSIGN_OR_RETURN(std::unique_ptr<PgConn> conn,
                             PgConn::Connect(url, options));
  CREDSTACK_ASSIGN_OR_RETURN(int64_t version, Migrate(*conn, options));
  return std::unique_ptr<Store>(
      new PgStore(std::string(url), options, version));
}

}  // namespace credstack::store::postgres
