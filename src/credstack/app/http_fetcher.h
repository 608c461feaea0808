#pragma once

// The one way the application reaches other servers (DID documents,
// status lists, transparency-log proofs). Implemented over Boost.Beast in
// server/http_client.h; the app and the verifier only see this interface,
// so tests can substitute it and offline mode simply has none.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "credstack/base/status.h"

namespace credstack::app {

struct HttpFetchRequest {
  std::string method = "GET";
  std::string url;  // http:// or https://
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Larger responses fail with kResourceExhausted without being read.
  size_t max_response_bytes = 4 * 1024 * 1024;
  // Whole exchange: connect, TLS, request, response.
  std::chrono::milliseconds timeout{5'000};
};

struct HttpFetchResponse {
  int status = 0;
  std::string content_type;
  std::string body;
  std::string etag;
  // Cache-Control max-age in seconds, when given (no-store: 0).
  std::optional<uint64_t> max_age_seconds;
};

class HttpFetcher {
 public:
  virtual ~HttpFetcher() = default;
  // Performs the exchange; any HTTP status is a result. Errors:
  // kInvalidArgument (bad URL), kUnavailable (DNS, connection, TLS,
  // timeout), kResourceExhausted (response too large). Thread-safe.
  virtual Result<HttpFetchResponse> Fetch(const HttpFetchRequest& request) const = 0;
};

}  // namespace credstack::app
