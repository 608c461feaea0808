#pragma once

// An HTTP/1.1 client (Boost.Beast; HTTPS through OpenSSL with certificate
// and host name verification) implementing app::HttpFetcher: what the
// verifier's resolver, the log checker and the CLI's server commands use
// to reach other servers. Every exchange is bounded by a deadline and a
// response size limit.

#include <string>

#include "credstack/app/http_fetcher.h"

namespace credstack::server {

struct HttpClientOptions {
  // Verify the server certificate against the system trust store (or
  // ca_file) and its name against the URL host.
  bool verify_tls = true;
  std::string ca_file;  // PEM bundle; empty: the system default paths
  std::string user_agent = "credstack/0.1";
};

// Thread-safe: each Fetch runs its own I/O context.
class HttpClient final : public app::HttpFetcher {
 public:
  explicit HttpClient(HttpClientOptions options = {}) : options_(std::move(options)) {}
  Result<app::HttpFetchResponse> Fetch(const app::HttpFetchRequest& request) const override;

 private:
  HttpClientOptions options_;
};

// The max-age of a Cache-Control value in seconds (0 for no-store or
// no-cache), or nullopt when it says nothing about it.
std::optional<uint64_t> ParseCacheControlMaxAge(std::string_view value);

}  // namespace credstack::server
