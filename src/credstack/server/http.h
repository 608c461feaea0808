#pragma once

// Transport-neutral request and response types that route handlers see.
// Boost.Beast stays inside server.cc; handlers (and their unit tests) work
// with these small types only.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/server/auth.h"
#include "credstack/server/http_status.h"
#include "credstack/server/problem.h"

namespace credstack::server {

// RFC 9110 §9 methods the router knows; anything else is kOther (501).
enum class Method : uint8_t {
  kGet = 0,
  kHead,
  kPost,
  kPut,
  kPatch,
  kDelete,
  kOptions,
  kOther,
};
inline constexpr size_t kMethodCount = 8;

// "GET", "POST", ...; "OTHER" for kOther.
std::string_view MethodName(Method m);
// Case-sensitive (RFC 9110 §9.1); unknown names give kOther.
Method ParseMethod(std::string_view name);

// Read access to request header fields; implemented over Beast's fields in
// the server and over a plain list in tests.
class HeaderSource {
 public:
  virtual ~HeaderSource() = default;
  // The first field with this name (case-insensitive), or empty.
  virtual std::string_view Get(std::string_view name) const = 0;
};

// A header list for tests and internal callers.
class HeaderList final : public HeaderSource {
 public:
  HeaderList() = default;
  HeaderList(std::initializer_list<std::pair<std::string, std::string>> h)
      : fields_(h) {}
  void Add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  std::string_view Get(std::string_view name) const override;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct QueryParam {
  std::string name;   // percent-decoded
  std::string value;  // percent-decoded, '+' read as space
};

struct PathParam {
  std::string_view name;  // points into the router's route table
  std::string value;      // percent-decoded, valid UTF-8, no NUL
};

// One HTTP request as a handler sees it. Not thread-safe; lives for one
// request. The views it returns stay valid while the request lives.
class Request {
 public:
  Request() = default;
  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;

  Method method() const { return method_; }
  // The raw request-target, e.g. "/api/v1/orgs/a%20b?x=1".
  std::string_view target() const { return target_; }
  // The raw (still percent-encoded) path part of the target.
  std::string_view path() const { return path_; }
  // The route pattern that matched, e.g. "/api/v1/orgs/{org}"; empty when
  // none did.
  std::string_view route() const { return route_; }

  // A path parameter by name ("org" for "{org}"), or empty.
  std::string_view PathParameter(std::string_view name) const;
  const std::vector<PathParam>& path_params() const { return path_params_; }
  // The first query parameter with this name, or nullopt.
  std::optional<std::string_view> Query(std::string_view name) const;
  const std::vector<QueryParam>& query_params() const { return query_; }

  // A header field by name (case-insensitive), or empty.
  std::string_view Header(std::string_view name) const {
    return headers_ == nullptr ? std::string_view() : headers_->Get(name);
  }
  std::string_view body() const { return body_; }
  // The peer address ("127.0.0.1", "::1"), or the X-Forwarded-For client
  // when the server is configured to trust a proxy.
  std::string_view client_ip() const { return client_ip_; }
  // Echoed as X-Request-Id and logged; generated unless the client sent a
  // well-formed one.
  std::string_view request_id() const { return request_id_; }
  // The authenticated API key, or nullptr for anonymous requests.
  const Principal* principal() const {
    return principal_ ? &*principal_ : nullptr;
  }

  // Setters used by the server and by handler tests. set_target()
  // invalidates path() until ParseTarget() runs again.
  void set_method(Method m) { method_ = m; }
  void set_target(std::string t) { target_ = std::move(t); }
  void set_headers(const HeaderSource* h) { headers_ = h; }
  void set_body(std::string_view b) { body_ = b; }
  void set_client_ip(std::string ip) { client_ip_ = std::move(ip); }
  void set_request_id(std::string id) { request_id_ = std::move(id); }
  void set_principal(std::optional<Principal> p) { principal_ = std::move(p); }
  // Parses target(): splits path and query, percent-decodes path segments
  // and query parameters (RFC 3986 §2.1, Boost.URL). Fails with
  // kInvalidArgument on a malformed target, an encoded NUL or invalid UTF-8.
  // The decoded segments are returned for routing.
  Result<std::vector<std::string>> ParseTarget(size_t max_segments);
  void set_route(std::string_view r) { route_ = r; }
  void set_path_params(std::vector<PathParam> p) {
    path_params_ = std::move(p);
  }

 private:
  Method method_ = Method::kGet;
  std::string target_;
  std::string_view path_;
  std::string_view route_;
  std::vector<PathParam> path_params_;
  std::vector<QueryParam> query_;
  const HeaderSource* headers_ = nullptr;
  std::string_view body_;
  std::string client_ip_;
  std::string request_id_;
  std::optional<Principal> principal_;
};

struct HeaderField {
  std::string name;
  std::string value;
};

// A handler's answer. The server adds Content-Length, Date, Server,
// X-Request-Id and Connection.
struct Response {
  int status = 200;
  std::string content_type;  // empty: no Content-Type
  std::string body;
  std::vector<HeaderField> headers;
  // Never sent: why a 5xx happened, for the server's error log.
  std::string log_detail;

  Response& AddHeader(std::string name, std::string value) {
    headers.push_back({std::move(name), std::move(value)});
    return *this;
  }

  // application/json (or another JSON type) with the serialized value.
  static Response Json(int status, const json::Value& value,
                       std::string content_type = "application/json");
  // A body that is already serialized.
  static Response Raw(int status, std::string body, std::string content_type);
  static Response NoContent() { return Response{.status = 204}; }
  // RFC 9457 application/problem+json.
  static Response FromProblem(const Problem& p);
  // The Status mapped per http_status.h; for 5xx the detail is generic (the
  // message may carry internals and is logged by the server instead).
  static Response FromStatus(const Status& s,
                             StatusContext ctx = StatusContext::kDefault);
};

using Handler = std::function<Response(Request&)>;

// Parses the body as strict JSON (json::Parse limits). Errors:
// kInvalidArgument (malformed, invalid UTF-8: 400 in kRequestBody context),
// kResourceExhausted (too large or too deep: 413).
Result<json::Value> ParseJsonBody(const Request& req,
                                  const json::ParseOptions& options = {});

}  // namespace credstack::server
