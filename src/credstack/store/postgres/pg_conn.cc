#include "credstack/store/postgres/pg_conn.h"

#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace credstack::store::postgres {
namespace {

using internal::SqlParam;
using internal::SqlResult;

// Type OIDs of the integer columns (src/include/catalog/pg_type.dat).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

// Statements in flight per pipeline round before results are read back, so
// neither side's socket buffer can fill up and deadlock.
constexpr size_t kPipelineChunk = 256;

void IgnoreNotice(void*, const char*) {}

// `?` -> `$1`, `$2`, ... Our statements never contain '?' in literals.
std::string NumberPlaceholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (char c : sql) {
    if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  *count = n;
  return out;
}

int64_t ReadBigEndian(const char* p, int len) {
  uint64_t v = 0;
  for (int i = 0; i < len; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  // Sign-extend shorter integers.
  if (len < 8 && len > 0 && (static_cast<uint8_t>(p[0]) & 0x80)) {
    v |= ~uint64_t{0} << (8 * len);
  }
  return static_cast<int64_t>(v);
}

// libpq wants parallel arrays; ints travel as decimal text (any integer
// column type accepts them), text and bytea in binary (raw bytes).
struct ParamArrays {
  std::vector<std::string> ints;
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;

  explicit ParamArrays(std::span<const SqlParam> params) {
    ints.reserve(params.size());  // c_str() pointers must stay valid
    for (const SqlParam& p : params) {
      if (std::holds_alternative<std::nullptr_t>(p)) {
        Add(nullptr, 0, 0);
      } else if (const int64_t* i = std::get_if<int64_t>(&p)) {
        ints.push_back(std::to_string(*i));
        Add(ints.back().c_str(), 0, 0);
      } else if (const auto* s = std::get_if<std::string_view>(&p)) {
        Add(s->empty() ? "" : s->data(), static_cast<int>(s->size()), 1);
      } else {
        ByteView b = std::get<ByteView>(p);
        Add(b.empty() ? "" : reinterpret_cast<const char*>(b.data()),
            static_cast<int>(b.size()), 1);
      }
    }
  }
  void Add(const char* v, int len, int fmt) {
    values.push_back(v);
    lengths.push_back(len);
    formats.push_back(fmt);
  }
};

Status CheckParamSizes(std::span<const SqlParam> params) {
  for (const SqlParam& p : params) {
    size_t n = 0;
    if (const auto* s = std::get_if<std::string_view>(&p)) n = s->size();
    if (const auto* b = std::get_if<ByteView>(&p)) n = b->size();
    if (n > (1u << 30))
      return ResourceExhaustedError("postgres: value over 1 GiB");
  }
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<PgConn>> PgConn::Connect(std::string_view url,
                                                const StoreOptions& options) {
  std::string url_s(url);
  std::string timeout =
      std::to_string(std::max(1, options.postgres_connect_timeout_s));
  // Keywords before dbname are defaults the URL may override.
  const char* keys[] = {"connect_timeout", "application_name",
                        "client_encoding", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "credstack", "UTF8", url_s.c_str(),
                          nullptr};
  PGconn* raw = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (raw == nullptr) return ResourceExhaustedError("postgres: out of memory");
  std::unique_ptr<PgConn> conn(new PgConn(raw));
  if (PQstatus(raw) != CONNECTION_OK) {
    std::string message = PQerrorMessage(raw);
    while (!message.empty() && (message.back() == '\n')) message.pop_back();
    return UnavailableError("postgres: cannot connect: " + message);
  }
  PQsetNoticeProcessor(raw, IgnoreNotice, nullptr);
  std::string setup;
  if (!options.postgres_schema.empty()) {
    // The schema name was validated by OpenPostgresStore ([a-z0-9_]).
    setup += "SET search_path TO \"" + options.postgres_schema + "\"; ";
  }
  setup += "SET statement_timeout = " +
           std::to_string(std::max(0, options.postgres_statement_timeout_ms));
  CREDSTACK_RETURN_IF_ERROR(conn->Exec(setup));
  return conn;
}

PgConn::~PgConn() { PQfinish(conn_); }

bool PgConn::broken() const { return PQstatus(conn_) != CONNECTION_OK; }

Status PgConn::Exec(std::string_view sql) {
  std::string text(sql);
  PGresult* res = PQexec(conn_, text.c_str());
  ExecStatusType st = PQresultStatus(res);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
    PQclear(res);
    return OkStatus();
  }
  return Fail(res, "statement");
}

Result<const std::string*> PgConn::Prepare(std::string_view sql) {
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return &it->second;
  int count = 0;
  std::string numbered = NumberPlaceholders(sql, &count);
  std::string name = "s" + std::to_string(prepared_.size());
  PGresult* res = PQprepare(conn_, name.c_str(), numbered.c_str(), 0, nullptr);
  if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    return Fail(res, "prepare");
  }
  PQclear(res);
  auto [pos, inserted] = prepared_.emplace(std::string(sql), std::move(name));
  return &pos->second;
}

Result<SqlResult> PgConn::RunSpan(std::string_view sql,
                                  std::span<const SqlParam> params) {
  CREDSTACK_RETURN_IF_ERROR(CheckParamSizes(params));
  CREDSTACK_ASSIGN_OR_RETURN(const std::string* name, Prepare(sql));
  ParamArrays p(params);
  PGresult* res = PQexecPrepared(
      conn_, name->c_str(), static_cast<int>(params.size()), p.values.data(),
      p.lengths.data(), p.formats.data(), /*resultFormat=*/1);
  ExecStatusType st = PQresultStatus(res);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return Fail(res, "query");
  }
  const int rows = PQntuples(res);
  const int cols = PQnfields(res);
  SqlResult out(static_cast<size_t>(cols));
  out.Reserve(static_cast<size_t>(rows) * cols);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      if (PQgetisnull(res, r, c)) {
        out.AddNull();
        continue;
      }
      const char* v = PQgetvalue(res, r, c);
      const int len = PQgetlength(res, r, c);
      Oid type = PQftype(res, c);
      if (type == kInt8Oid || type == kInt4Oid || type == kInt2Oid ||
          type == kBoolOid) {
        out.AddInt(ReadBigEndian(v, len));
      } else {
        out.AddBytes(std::string_view(v, static_cast<size_t>(len)));
      }
    }
  }
  const char* tuples = PQcmdTuples(res);
  out.set_affected(tuples && *tuples ? std::strtoll(tuples, nullptr, 10) : 0);
  PQclear(res);
  return out;
}

Result<std::vector<int64_t>> PgConn::RunBatch(std::string_view sql,
                                              std::span<const SqlParam> params,
                                              size_t width) {
  CREDSTACK_CHECK(width > 0 && params.size() % width == 0);
  CREDSTACK_RETURN_IF_ERROR(CheckParamSizes(params));
  CREDSTACK_ASSIGN_OR_RETURN(const std::string* name, Prepare(sql));
  const size_t total = params.size() / width;
  std::vector<int64_t> affected;
  affected.reserve(total);
  for (size_t begin = 0; begin < total; begin += kPipelineChunk) {
    const size_t end = std::min(total, begin + kPipelineChunk);
    if (PQenterPipelineMode(conn_) != 1) return Fail(nullptr, "pipeline");
    for (size_t i = begin; i < end; ++i) {
      ParamArrays p(params.subspan(i * width, width));
      if (PQsendQueryPrepared(conn_, name->c_str(), static_cast<int>(width),
                              p.values.data(), p.lengths.data(),
                              p.formats.data(), 1) != 1) {
        Status s = Fail(nullptr, "pipeline send");
        (void)PQexitPipelineMode(conn_);
        return s;
      }
    }
    if (PQpipelineSync(conn_) != 1) return Fail(nullptr, "pipeline sync");
    // Read every result up to the sync point; keep the first error.
    Status first_error;
    for (size_t i = begin; i < end; ++i) {
      PGresult* res = PQgetResult(conn_);
      if (res == nullptr) {
        if (first_error.ok()) first_error = Fail(nullptr, "pipeline result");
        break;
      }
      ExecStatusType st = PQresultStatus(res);
      if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        const char* tuples = PQcmdTuples(res);
        affected.push_back(tuples && *tuples ? std::strtoll(tuples, nullptr, 10)
                                             : 0);
        PQclear(res);
      } else if (st == PGRES_PIPELINE_ABORTED) {
        PQclear(res);
      } else if (first_error.ok()) {
        first_error = Fail(res, "batch");
      } else {
        PQclear(res);
      }
      // Each query's results end with a null.
      while ((res = PQgetResult(conn_)) != nullptr) PQclear(res);
    }
    // The sync marker.
    for (PGresult* res; (res = PQgetResult(conn_)) != nullptr;) {
      bool sync = PQresultStatus(res) == PGRES_PIPELINE_SYNC;
      PQclear(res);
      if (sync) break;
    }
    (void)PQexitPipelineMode(conn_);
    if (!first_error.ok()) return first_error;
  }
  return affected;
}

Status PgConn::Fail(PGresult* res, std::string_view what) {
  std::string state;
  std::string message;
  if (res != nullptr) {
    const char* s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char* m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    if (s) state = s;
    if (m) message = m;
    PQclear(res);
  }
  if (message.empty()) {
    message = PQerrorMessage(conn_);
    while (!message.empty() && message.back() == '\n') message.pop_back();
  }
  message = "postgres " + std::string(what) + ": " + message;
  if (!state.empty()) message += " (SQLSTATE " + state + ")";
  if (state == "23505") return AlreadyExistsError(std::move(message));
  if (state == "23503" || state == "25006" || state == "55000") {
    return FailedPreconditionError(std::move(message));
  }
  if (state.starts_with("23") || state.starts_with("22")) {
    return InvalidArgumentError(std::move(message));
  }
  if (state == "40001" || state == "40P01") {
    retryable_ = true;
    return UnavailableError(std::move(message));
  }
  if (state.empty() || state.starts_with("08") || state.starts_with("57") ||
      state.starts_with("53") || state == "55P03") {
    return UnavailableError(std::move(message));
  }
  return InternalError(std::move(message));
}

}  // namespace credstack::store::postgres
