#pragma once

// ServerConfig and where it comes from. Precedence, lowest first:
//   built-in defaults < config file < environment < command-line flags.
// Every option has one name used in all three places:
//   flag  --max-body 2MiB
//   env   CREDSTACK_MAX_BODY=2MiB      (CREDSTACK_ + upper-case, '-' → '_')
//   file  max-body = 2MiB              (KEY = VALUE lines, '#' comments)
// docs/server.md has the full reference; ConfigOptions() is its source.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/server/rate_limiter.h"

namespace credstack::server {

struct ServerConfig {
  // Network.
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8080;
  int workers = 0;           // I/O threads; 0: one per core (at least 2)
  int blocking_workers = 4;  // threads for blocking (database) routes
  size_t max_connections = 4096;
  bool trust_proxy = false;  // take the client IP from X-Forwarded-For
  std::string tls_cert;      // PEM chain; with tls_key enables HTTPS
  std::string tls_key;       // PEM private key

  // Limits (STYLE.md: every outside input is bounded).
  size_t max_header = 16 * 1024;
  size_t max_body = 1024 * 1024;                     // JSON API requests
  size_t max_upload = 64 * 1024 * 1024;              // bulk issuance uploads
  std::chrono::milliseconds header_timeout{10'000};  // whole request head
  std::chrono::milliseconds body_timeout{60'000};    // whole body
  std::chrono::milliseconds write_timeout{30'000};   // whole response
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive idle
  std::chrono::milliseconds shutdown_timeout{15'000};

  // Rate limits (requests/second and burst); rate 0 disables.
  RateLimitOptions ip_rate{.rate = 50, .burst = 100};
  RateLimitOptions key_rate{.rate = 200, .burst = 400};

  // Storage and keys (used by the application layer).
  std::string data_dir = "./data";
  std::string database_url;  // empty: <data_dir>/credstack.db (SQLite)
  std::string master_key_file;
  // The deployment's public base URL (identifiers derive from it; see
  // docs/formats/urls.md). Empty: http://<listen address>.
  std::string public_url;
  // Create a demo issuer with sample achievements at start-up (make run).
  bool demo = false;
  // An organization (slug) whose VC-API issuer instance needs no API key:
  // for running the W3C test suites on loopback. Empty: keys required.
  std::string vc_api_open_issuer;

  std::string log_level = "info";
  bool enable_echo = false;  // POST /debug/echo for benchmarks

  // Status lists and the transparency log (docs/status-log-api.md).
  std::string log_key_file;  // empty: <data_dir>/log-key, created on first start
  std::string log_origin;    // empty: <public URL host>/log
  size_t log_batch_size = 256;
  std::chrono::milliseconds log_batch_interval{500};
  std::string log_witnesses;  // comma-separated cosignature vkeys
  std::chrono::milliseconds status_ttl{300'000};
  // Foreign documents (did:web, status lists): hosts that may be fetched
  // (comma-separated, "*.example.edu", "*"); empty: none (offline).
  std::string resolver_allow_hosts;
  std::string resolver_http_hosts;  // hosts fetched over plain http (tests)
  std::chrono::milliseconds resolver_timeout{5'000};
  bool verify_require_logged = false;

  std::string config_file;  // where the file layer came from, if any
};

// One documented option.
struct ConfigOption {
  std::string_view name;   // flag name without "--", also the file key
  std::string_view env;    // environment variable
  std::string_view value;  // value placeholder for --help ("HOST:PORT")
  std::string_view help;
  std::string_view default_text;
  Status (*apply)(ServerConfig&, std::string_view);
};

// All options in --help order.
std::span<const ConfigOption> ConfigOptions();

// Sets one option by name. kInvalidArgument for an unknown name or a bad
// value (the message names the option).
Status ApplyConfigValue(ServerConfig& config, std::string_view name,
                        std::string_view value);

// Reads a KEY = VALUE file (at most 64 KiB): blank lines and lines starting
// with '#' are skipped, values may be "double-quoted". kInvalidArgument with
// file:line on an unknown key or bad value; kNotFound if unreadable.
Status ApplyConfigFile(ServerConfig& config, const std::string& path);
// The same syntax from a string (for tests); `origin` names it in errors.
Status ApplyConfigText(ServerConfig& config, std::string_view text,
                       std::string_view origin);

// Applies every CREDSTACK_* variable that getenv returns non-null for.
using GetEnvFn = std::function<const char*(const char* name)>;
Status ApplyEnvironment(ServerConfig& config, const GetEnvFn& getenv);

// Resolves defaults that depend on other options (database URL, workers)
// and checks consistency (both TLS files or none, limits > 0).
Status FinalizeConfig(ServerConfig& config);

// The whole layering: defaults, the config file (from flags, else
// CREDSTACK_CONFIG), environment, then the given flags (name, value) in
// order, then FinalizeConfig().
Result<ServerConfig> LoadServerConfig(
    const std::vector<std::pair<std::string, std::string>>& flags,
    const GetEnvFn& getenv);

// "HOST:PORT", "[IPv6]:PORT" or ":PORT" (all interfaces).
struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};
Result<ListenAddress> ParseListenAddress(std::string_view text);
// "250ms", "10s", "2m", "1h"; a bare number is seconds.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);
// "512", "64KiB", "1MiB", "2GiB", "10MB" (SI), "1k"; case-insensitive.
Result<size_t> ParseByteSize(std::string_view text);

}  // namespace credstack::server
