#pragma once

// What every CLI command talking to a credstack server (`--server URL`)
// shares: JSON calls whose RFC 9457 problems become a Status naming the
// server's detail and field errors, flag-or-environment values, and
// percent-encoding of ids in paths and queries.

#include <string>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/server/api_client.h"

namespace credstack::cli {

// Sends request to the server at base_url. A 2xx answer must be JSON and
// is returned; any other status becomes a Status (401 kUnauthenticated,
// 403 kPermissionDenied, 404 kNotFound, 409 kAlreadyExists, 5xx
// kUnavailable, else kInvalidArgument) whose message carries the
// problem's detail and one line per entry of its `errors`.
Result<json::Value> CallJson(std::string_view base_url, const server::ApiRequest& request,
                             const server::ApiClientOptions& options = {});

// value when set, else the environment variable env (or "").
std::string FlagOrEnv(const std::string& value, const char* env);

// Percent-encodes everything but RFC 3986 unreserved characters and ':'
// (kept readable in urn: ids); for one path segment or query value.
std::string PercentEncode(std::string_view value);

}  // namespace credstack::cli
