#pragma once

// The CLI's calls to a credstack server (`--server URL`): an API path
// joined to the server's base URL, sent through HttpClient (one request per
// connection, HTTP or verified HTTPS, bounded by a timeout and a response
// size limit).

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "credstack/base/status.h"

namespace credstack::server {

struct ApiRequest {
  std::string method = "GET";
  std::string path;  // "/api/v1/..." including the query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";
};

struct ApiResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

struct ApiClientOptions {
  std::chrono::milliseconds timeout{60'000};
  size_t max_response_bytes = 64u << 20;
};

// Sends request to base_url ("http://host:port[/prefix]" or https://...).
// Errors: kInvalidArgument for a malformed URL, kUnavailable when the
// server cannot be reached or the exchange fails or times out. An HTTP
// error status is a response, not an error.
Result<ApiResponse> CallApi(std::string_view base_url, const ApiRequest& request,
                            const ApiClientOptions& options = {});

}  // namespace credstack::server
