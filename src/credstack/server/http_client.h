#pragma once

// A small blocking HTTP/1.1 client for the CLI's server commands
// (`credstack org create --server URL`, ...): one request per connection,
// http:// or https:// (OpenSSL, peer and host name verified against the
// system trust store), every phase bounded by a timeout and the response
// body by a size limit. Beast stays inside this module.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "credstack/base/status.h"

namespace credstack::server {

struct ClientRequest {
  std::string method = "GET";
  std::string url;  // absolute: http(s)://host[:port]/path?query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{30'000};
  size_t max_response_bytes = 64 * 1024 * 1024;
};

struct ClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The first header with this name (case-insensitive), or "".
  std::string Header(std::string_view name) const;
};

// kInvalidArgument for a malformed URL, kUnavailable when the server
// cannot be reached or the exchange fails or times out.
Result<ClientResponse> HttpFetch(const ClientRequest& request);

}  // namespace credstack::server
