#pragma once

// One libpq connection as an internal::SqlConn, with its prepared-statement
// cache. Internal to store/postgres.

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "credstack/base/status.h"
#include "credstack/store/internal/sql.h"
#include "credstack/store/store.h"

namespace credstack::store::postgres {

class PgConn final : public internal::SqlConn {
 public:
  // Connects and prepares the session (search_path, statement_timeout).
  // kUnavailable when the server cannot be reached.
  static Result<std::unique_ptr<PgConn>> Connect(std::string_view url,
                                                 const StoreOptions& options);
  ~PgConn() override;
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  internal::Dialect dialect() const override {
    return internal::Dialect::kPostgres;
  }
  Result<internal::SqlResult> RunSpan(
      std::string_view sql,
      std::span<const internal::SqlParam> params) override;
  Result<std::vector<int64_t>> RunBatch(
      std::string_view sql, std::span<const internal::SqlParam> params,
      size_t width) override;

  // Runs parameterless statements with the simple query protocol (several
  // statements allowed): BEGIN/COMMIT, migrations.
  Status Exec(std::string_view sql);

  // The last failure was a deadlock or serialization failure: the whole
  // transaction may be re-run.
  bool retryable() const { return retryable_; }
  void clear_retryable() { retryable_ = false; }
  // The connection is unusable and must be dropped from the pool.
  bool broken() const;

 private:
  explicit PgConn(PGconn* conn) : conn_(conn) {}
  Result<const std::string*> Prepare(std::string_view sql);
  // Consumes res (may be null) and returns the mapped error.
  Status Fail(PGresult* res, std::string_view what);

  PGconn* conn_;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>()(s);
    }
  };
  // sql -> prepared statement name
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> prepared_;
  bool retryable_ = false;
};

}  // namespace credstack::store::postgres
