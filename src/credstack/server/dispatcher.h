#pragma once

// The transport-independent request pipeline between the socket code
// (server.cc) and route handlers:
//   Prepare()  after the request head: parse and percent-decode the target,
//              route (404/405/OPTIONS), authenticate, authorize (role and
//              organization scope), rate-limit, check Content-Type —
//              all before the body is read;
//   Execute()  after the body: run the handler, catching everything;
//   Record()   after the response: metrics and the access log.
// It also registers the operational routes (/healthz, /readyz, /metrics,
// /api/v1/openapi.json, optionally /debug/echo).

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "credstack/server/auth.h"
#include "credstack/server/config.h"
#include "credstack/server/http.h"
#include "credstack/server/logger.h"
#include "credstack/server/metrics.h"
#include "credstack/server/openapi.h"
#include "credstack/server/rate_limiter.h"
#include "credstack/server/router.h"

namespace credstack::server {

// What the embedding application supplies.
struct ServerHooks {
  // Resolves API keys (the store implements it). Without it every request
  // carrying a key is refused with 401.
  ApiKeyLookup api_keys;
  // Readiness for /readyz (e.g. a database ping); empty means ready.
  std::function<Status()> readiness;
  // Shared with use cases so that they can count issuance/verification.
  // Created when null.
  std::shared_ptr<Metrics> metrics;
  // Created from ServerConfig::log_level (stderr) when null.
  std::shared_ptr<Logger> logger;
  OpenApiInfo openapi;
  // Monotonic clock for rate limiting (tests); steady_clock when empty.
  RateLimiter::NowFn rate_clock;
};

// The most path segments a request target may have.
inline constexpr size_t kMaxPathSegments = 32;

class Dispatcher {
 public:
  // Adds the operational routes to `router` and takes it over. Fails if a
  // route clashes with them.
  static Result<std::unique_ptr<Dispatcher>> Create(const ServerConfig& config,
                                                    Router router,
                                                    ServerHooks hooks);

  struct Prepared {
    const Route* route = nullptr;   // set when the handler should run
    std::optional<Response> early;  // otherwise: answer this right away
    size_t body_limit = 0;          // for the route
  };
  // `req` must have method, target, headers and client IP set. has_body:
  // the head announced a body (Content-Length > 0 or chunked).
  Prepared Prepare(Request& req, bool has_body);

  // Runs the handler; never throws (exceptions become 500 problem+json).
  Response Execute(const Route& route, Request& req);

  // Counts the response and writes the access log line (and the error log
  // line for 5xx). route may be null (unmatched).
  void Record(const Request& req, const Route* route, int status,
              std::chrono::steady_clock::duration elapsed, size_t bytes_in,
              size_t bytes_out, std::string_view log_detail);

  // A problem+json response for this request (instance = request path).
  static Response ProblemResponse(const Request& req, int status,
                                  std::string detail);

  // /readyz answers 503 from now on (load balancers drain the node).
  void SetDraining() { draining_.store(true, std::memory_order_relaxed); }

  const Router& router() const { return router_; }
  Metrics& metrics() { return *metrics_; }
  Logger& logger() { return *logger_; }
  const ServerConfig& config() const { return config_; }
  // The served OpenAPI document.
  const std::string& openapi_json() const { return openapi_json_; }

 private:
  Dispatcher(const ServerConfig& config, ServerHooks hooks);
  Status AddOperationalRoutes();
  std::string NextRequestId();

  ServerConfig config_;
  Router router_;
  ServerHooks hooks_;
  std::shared_ptr<Metrics> metrics_;
  std::shared_ptr<Logger> logger_;
  RateLimiter ip_limiter_;
  RateLimiter key_limiter_;
  std::atomic<bool> draining_{false};
  std::atomic<uint64_t> request_counter_{0};
  std::string request_id_prefix_;
  std::string openapi_json_;
};

}  // namespace credstack::server
