#pragma once

// The small SQL interface both backends implement, so that the repositories
// are written once (internal/sql_repositories.cc) and the conformance suite
// holds them to one behaviour. Internal to store/.
//
// Statements use `?` placeholders (the PostgreSQL backend rewrites them to
// $1, $2, ...) and are prepared once per connection and cached by text, so
// callers pass string literals. Engine errors are mapped to Codes by the
// backend: unique/primary-key violation -> kAlreadyExists, foreign-key
// violation -> kFailedPrecondition, check violation -> kInvalidArgument,
// write in a read-only transaction -> kFailedPrecondition, lock timeout or
// lost connection -> kUnavailable.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "credstack/base/bytes.h"
#include "credstack/base/status.h"
#include "credstack/base/time.h"

namespace credstack::store::internal {

enum class Dialect { kSqlite, kPostgres };

// A statement parameter: NULL, an integer, text or a blob. Views only: the
// data must outlive the call.
using SqlParam =
    std::variant<std::nullptr_t, int64_t, std::string_view, ByteView>;

inline SqlParam OptText(const std::optional<std::string>& v) {
  return v ? SqlParam(std::string_view(*v)) : SqlParam(nullptr);
}
inline SqlParam OptTime(const std::optional<Timestamp>& t) {
  return t ? SqlParam(t->unix_micros) : SqlParam(nullptr);
}
// Empty text is stored as NULL (optional references).
inline SqlParam TextOrNull(std::string_view v) {
  return v.empty() ? SqlParam(nullptr) : SqlParam(v);
}

// Result rows of one statement. Integers come back as kInt, TEXT and BLOB
// columns as bytes.
class SqlResult {
 public:
  struct Cell {
    enum class Kind { kNull, kInt, kBytes } kind = Kind::kNull;
    int64_t i = 0;
    std::string s;
  };

  explicit SqlResult(size_t cols = 0) : cols_(cols) {}

  size_t rows() const { return cols_ == 0 ? 0 : cells_.size() / cols_; }
  size_t cols() const { return cols_; }
  bool empty() const { return cells_.empty(); }

  bool IsNull(size_t r, size_t c) const {
    return At(r, c).kind == Cell::Kind::kNull;
  }
  // The column must be an integer (a broken invariant otherwise).
  int64_t Int(size_t r, size_t c) const;
  // TEXT or BLOB bytes; NULL reads as empty.
  const std::string& Text(size_t r, size_t c) const;
  Bytes Blob(size_t r, size_t c) const;
  std::optional<std::string> OptText(size_t r, size_t c) const;
  std::optional<Timestamp> OptTime(size_t r, size_t c) const;
  Timestamp Time(size_t r, size_t c) const { return {Int(r, c)}; }

  // Rows changed by an INSERT/UPDATE/DELETE.
  int64_t affected() const { return affected_; }

  // For backends filling the result.
  void set_cols(size_t cols) { cols_ = cols; }
  void set_affected(int64_t n) { affected_ = n; }
  void AddNull() { cells_.emplace_back(); }
  void AddInt(int64_t v) {
    cells_.push_back(Cell{.kind = Cell::Kind::kInt, .i = v});
  }
  void AddBytes(std::string_view v) {
    cells_.push_back(Cell{.kind = Cell::Kind::kBytes, .s = std::string(v)});
  }
  void Reserve(size_t cells) { cells_.reserve(cells); }

 private:
  const Cell& At(size_t r, size_t c) const;

  size_t cols_ = 0;
  int64_t affected_ = 0;
  std::vector<Cell> cells_;
};

// One database connection inside a transaction the backend opened. Not
// thread-safe.
class SqlConn {
 public:
  virtual ~SqlConn() = default;
  virtual Dialect dialect() const = 0;

  Result<SqlResult> Run(std::string_view sql,
                        std::initializer_list<SqlParam> params = {}) {
    return RunSpan(sql,
                   std::span<const SqlParam>(params.begin(), params.size()));
  }
  virtual Result<SqlResult> RunSpan(std::string_view sql,
                                    std::span<const SqlParam> params) = 0;
  // Runs sql once per row of `width` parameters (params.size() must be a
  // multiple of width) and returns the affected-row count of each run;
  // result rows are discarded. PostgreSQL sends them pipelined (a few round
  // trips for any number of rows). Stops at the first error.
  virtual Result<std::vector<int64_t>> RunBatch(
      std::string_view sql, std::span<const SqlParam> params, size_t width) = 0;
};

}  // namespace credstack::store::internal
