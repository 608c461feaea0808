#include "credstack/server/config.h"

#include <charconv>
#include <fstream>
#include <limits>
#include <thread>

namespace credstack::server {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

Result<uint64_t> ParseUnsigned(std::string_view s) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) {
    return InvalidArgumentError("not a non-negative integer: '" +
                                std::string(s) + "'");
  }
  return v;
}

Result<double> ParseNonNegativeDouble(std::string_view s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty() || v < 0 ||
      v > 1e9) {
    return InvalidArgumentError("not a number >= 0: '" + std::string(s) + "'");
  }
  return v;
}

Result<bool> ParseBool(std::string_view s) {
  std::string v = LowerCopy(s);
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  return InvalidArgumentError("not a boolean (true/false): '" + std::string(s) +
                              "'");
}

Result<int> ParseThreads(std::string_view s, int lo) {
  CREDSTACK_ASSIGN_OR_RETURN(uint64_t v, ParseUnsigned(s));
  if (v < static_cast<uint64_t>(lo) || v > 256) {
    return InvalidArgumentError("must be between " + std::to_string(lo) +
                                " and 256");
  }
  return static_cast<int>(v);
}

// "RATE[:BURST]"; "0" disables.
Status ParseRate(std::string_view s, RateLimitOptions& out) {
  size_t colon = s.find(':');
  CREDSTACK_ASSIGN_OR_RETURN(double rate,
                             ParseNonNegativeDouble(s.substr(0, colon)));
  double burst = rate * 2;
  if (colon != std::string_view::npos) {
    CREDSTACK_ASSIGN_OR_RETURN(burst,
                               ParseNonNegativeDouble(s.substr(colon + 1)));
  }
  out.rate = rate;
  out.burst = burst < 1 ? 1 : burst;
  return OkStatus();
}

template <auto Member>
Status SetString(ServerConfig& c, std::string_view v) {
  c.*Member = std::string(v);
  return OkStatus();
}

template <auto Member>
Status SetDuration(ServerConfig& c, std::string_view v) {
  CREDSTACK_ASSIGN_OR_RETURN(c.*Member, ParseDuration(v));
  if ((c.*Member).count() <= 0) return InvalidArgumentError("must be > 0");
  return OkStatus();
}

template <auto Member>
Status SetSize(ServerConfig& c, std::string_view v) {
  CREDSTACK_ASSIGN_OR_RETURN(c.*Member, ParseByteSize(v));
  if (c.*Member == 0) return InvalidArgumentError("must be > 0");
  return OkStatus();
}

Status SetListen(ServerConfig& c, std::string_view v) {
  CREDSTACK_ASSIGN_OR_RETURN(ListenAddress a, ParseListenAddress(v));
  c.listen_host = std::move(a.host);
  c.listen_port = a.port;
  return OkStatus();
}

Status SetWorkers(ServerConfig& c, std::string_view v) {
  CREDSTACK_ASSIGN_OR_RETURN(c.workers, ParseThreads(v, 0));
  return OkStatus();
}

Status SetBlockingWorkers(ServerConfig& c, std::string_view v) {
  CREDSTACK_ASSIGN_OR_RETURN(c.blocking_workers, ParseThreads(v, 1));
  return OkStatus();
}

Status SetMaxConnections(ServerConfig& c, std::string_view v) {
  CREDSTACK_ASSIGN_OR_RETURN(uint64_t n, ParseUnsigned(v));
  if (n == 0 || n > 1'000'000) {
    return InvalidArgumentError("must be between 1 and 1000000");
  }
  c.max_connections = n;
  return OkStatus();
}

Status SetTrustProxy(ServerConfig& c, std::string_view v) {
  CREDSTACK_ASSIGN_OR_RETURN(c.trust_proxy, ParseBool(v));
  return OkStatus();
}

Status SetEnableEcho(ServerConfig& c, std::string_view v) {
  CREDSTACK_ASSIGN_OR_RETURN(c.enable_echo, ParseBool(v));
  return OkStatus();
}

Status SetIpRate(ServerConfig& c, std::string_view v) {
  return ParseRate(v, c.ip_rate);
}

Status SetKeyRate(ServerConfig& c, std::string_view v) {
  return ParseRate(v, c.key_rate);
}

Status SetLogLevel(ServerConfig& c, std::string_view v) {
  std::string l = LowerCopy(v);
  if (l != "debug" && l != "info" && l != "warn" && l != "warning" &&
      l != "error" && l != "off") {
    return InvalidArgumentError("expected debug, info, warn, error or off");
  }
  c.log_level = l == "warning" ? "warn" : l;
  return OkStatus();
}

Status SetConfigFile(ServerConfig& c, std::string_view v) {
  c.config_file = std::string(v);
  return OkStatus();
}

Status SetDemo(ServerConfig& c, std::string_view v) {
  CREDSTACK_ASSIGN_OR_RETURN(c.demo, ParseBool(v));
  return OkStatus();
}

Status SetLogBatchSize(ServerConfig& c, std::string_view v) {
  CREDSTACK_ASSIGN_OR_RETURN(uint64_t n, ParseUnsigned(v));
  if (n == 0 || n > 1'000'000) return InvalidArgumentError("must be between 1 and 1000000");
  c.log_batch_size = n;
  return OkStatus();
}

Status SetRequireLogged(ServerConfig& c, std::string_view v) {
  CREDSTACK_ASSIGN_OR_RETURN(c.verify_require_logged, ParseBool(v));
  return OkStatus();
}

constexpr ConfigOption kOptions[] = {
    {"config", "CREDSTACK_CONFIG", "FILE",
     "Read options from FILE (KEY = VALUE lines); environment and flags "
     "override it",
     "", SetConfigFile},
    {"listen", "CREDSTACK_LISTEN", "HOST:PORT",
     "Address to listen on ([::1]:8080 for IPv6, :8080 for all interfaces)",
     "127.0.0.1:8080", SetListen},
    {"data", "CREDSTACK_DATA", "DIR", "Data directory", "./data",
     SetString<&ServerConfig::data_dir>},
    {"database", "CREDSTACK_DATABASE", "URL",
     "Database: a SQLite file (PATH or sqlite:///abs/path) or "
     "postgres://user@host/db",
     "DATA/credstack.db", SetString<&ServerConfig::database_url>},
    {"master-key-file", "CREDSTACK_MASTER_KEY_FILE", "FILE",
     "Master key encrypting issuer keys at rest (must not be world-readable)",
     "", SetString<&ServerConfig::master_key_file>},
    {"public-url", "CREDSTACK_PUBLIC_URL", "URL",
     "Public base URL of the deployment (DIDs, credential and status URLs "
     "derive from it; the same on every node)",
     "http://LISTEN", SetString<&ServerConfig::public_url>},
    {"demo", "CREDSTACK_DEMO", "BOOL",
     "Create a demo issuer with sample achievements aligned to ESCO skills",
     "false", SetDemo},
    {"vc-api-open-issuer", "CREDSTACK_VC_API_OPEN_ISSUER", "SLUG",
     "Let POST /credentials/issue sign without an API key as this "
     "organization (W3C test suites on loopback only)",
     "", SetString<&ServerConfig::vc_api_open_issuer>},
    {"log-level", "CREDSTACK_LOG_LEVEL", "LEVEL",
     "debug, info, warn, error or off (JSON lines on stderr)", "info",
     SetLogLevel},
    {"tls-cert", "CREDSTACK_TLS_CERT", "FILE",
     "PEM certificate chain; with --tls-key serves HTTPS", "",
     SetString<&ServerConfig::tls_cert>},
    {"tls-key", "CREDSTACK_TLS_KEY", "FILE", "PEM private key for --tls-cert",
     "", SetString<&ServerConfig::tls_key>},
    {"workers", "CREDSTACK_WORKERS", "N",
     "I/O threads (0: one per CPU core, at least 2)", "0", SetWorkers},
    {"blocking-workers", "CREDSTACK_BLOCKING_WORKERS", "N",
     "Threads for database-bound requests", "4", SetBlockingWorkers},
    {"max-connections", "CREDSTACK_MAX_CONNECTIONS", "N",
     "Concurrent connections; more are answered 503 and closed", "4096",
     SetMaxConnections},
    {"max-header", "CREDSTACK_MAX_HEADER", "SIZE",
     "Largest request head (431 beyond)", "16KiB",
     SetSize<&ServerConfig::max_header>},
    {"max-body", "CREDSTACK_MAX_BODY", "SIZE",
     "Largest JSON request body (413 beyond)", "1MiB",
     SetSize<&ServerConfig::max_body>},
    {"max-upload", "CREDSTACK_MAX_UPLOAD", "SIZE",
     "Largest bulk-issuance upload", "64MiB",
     SetSize<&ServerConfig::max_upload>},
    {"header-timeout", "CREDSTACK_HEADER_TIMEOUT", "DURATION",
     "Time allowed to receive a whole request head (slow clients are cut "
     "off)",
     "10s", SetDuration<&ServerConfig::header_timeout>},
    {"body-timeout", "CREDSTACK_BODY_TIMEOUT", "DURATION",
     "Time allowed to receive a whole request body", "60s",
     SetDuration<&ServerConfig::body_timeout>},
    {"write-timeout", "CREDSTACK_WRITE_TIMEOUT", "DURATION",
     "Time allowed to send a whole response", "30s",
     SetDuration<&ServerConfig::write_timeout>},
    {"idle-timeout", "CREDSTACK_IDLE_TIMEOUT", "DURATION",
     "Keep-alive connections idle longer are closed", "60s",
     SetDuration<&ServerConfig::idle_timeout>},
    {"shutdown-timeout", "CREDSTACK_SHUTDOWN_TIMEOUT", "DURATION",
     "On SIGTERM/SIGINT, time in-flight requests get to finish", "15s",
     SetDuration<&ServerConfig::shutdown_timeout>},
    {"rate-limit-ip", "CREDSTACK_RATE_LIMIT_IP", "RATE[:BURST]",
     "Requests/second per client IP on public endpoints (0: off)", "50:100",
     SetIpRate},
    {"rate-limit-key", "CREDSTACK_RATE_LIMIT_KEY", "RATE[:BURST]",
     "Requests/second per API key (0: off)", "200:400", SetKeyRate},
    {"trust-proxy", "CREDSTACK_TRUST_PROXY", "BOOL",
     "Take the client IP from the last X-Forwarded-For entry (behind a "
     "reverse proxy only)",
     "false", SetTrustProxy},
    {"enable-echo", "CREDSTACK_ENABLE_ECHO", "BOOL",
     "Serve POST /debug/echo (for load tests)", "false", SetEnableEcho},
    {"log-key-file", "CREDSTACK_LOG_KEY_FILE", "FILE",
     "Transparency log signing key (signed-note Ed25519; created, mode 0600, "
     "when missing)",
     "DATA/log-key", SetString<&ServerConfig::log_key_file>},
    {"log-origin", "CREDSTACK_LOG_ORIGIN", "NAME",
     "Checkpoint origin and log key name", "PUBLIC-HOST/log",
     SetString<&ServerConfig::log_origin>},
    {"log-batch-size", "CREDSTACK_LOG_BATCH_SIZE", "N",
     "Integrate the log when this many entries wait ...", "256",
     SetLogBatchSize},
    {"log-batch-interval", "CREDSTACK_LOG_BATCH_INTERVAL", "DUR",
     "... or when the oldest waiting entry is this old", "500ms",
     SetDuration<&ServerConfig::log_batch_interval>},
    {"log-witnesses", "CREDSTACK_LOG_WITNESSES", "VKEYS",
     "Comma-separated witness cosignature keys accepted by POST "
     "/log/cosignatures",
     "", SetString<&ServerConfig::log_witnesses>},
    {"status-ttl", "CREDSTACK_STATUS_TTL", "DUR",
     "Status list ttl and Cache-Control max-age", "5m",
     SetDuration<&ServerConfig::status_ttl>},
    {"resolver-allow-hosts", "CREDSTACK_RESOLVER_ALLOW_HOSTS", "HOSTS",
     "Hosts whose DID documents and status lists verification may fetch "
     "(comma-separated; *.example.edu; *); empty: none",
     "", SetString<&ServerConfig::resolver_allow_hosts>},
    {"resolver-http-hosts", "CREDSTACK_RESOLVER_HTTP_HOSTS", "HOSTS",
     "Allowed hosts fetched over plain http instead of https (tests)", "",
     SetString<&ServerConfig::resolver_http_hosts>},
    {"resolver-timeout", "CREDSTACK_RESOLVER_TIMEOUT", "DUR",
     "Time limit for fetching one document", "5s",
     SetDuration<&ServerConfig::resolver_timeout>},
    {"verify-require-logged", "CREDSTACK_VERIFY_REQUIRE_LOGGED", "BOOL",
     "Verification fails when a credential is not proven in a trusted log",
     "false", SetRequireLogged},
};

}  // namespace

std::span<const ConfigOption> ConfigOptions() { return kOptions; }

Status ApplyConfigValue(ServerConfig& config, std::string_view name,
                        std::string_view value) {
  for (const ConfigOption& o : kOptions) {
    if (o.name == name) {
      Status s = o.apply(config, Trim(value));
      if (!s.ok()) return s.WithPrefix(std::string(name));
      return OkStatus();
    }
  }
  return InvalidArgumentError("unknown option '" + std::string(name) + "'");
}

Status ApplyConfigText(ServerConfig& config, std::string_view text,
                       std::string_view origin) {
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    size_t nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text =
        nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    std::string where = std::string(origin) + ":" + std::to_string(line_no);
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return InvalidArgumentError(where + ": expected KEY = VALUE");
    }
    std::string_view key = Trim(line.substr(0, eq));
    std::string_view value = Trim(line.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (key == "config") {
      return InvalidArgumentError(where + ": 'config' cannot be nested");
    }
    Status s = ApplyConfigValue(config, key, value);
    if (!s.ok()) return s.WithPrefix(where);
  }
  return OkStatus();
}

Status ApplyConfigFile(ServerConfig& config, const std::string& path) {
  constexpr size_t kMaxConfigFile = 64 * 1024;
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read config file " + path);
  std::string text(kMaxConfigFile + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxConfigFile) {
    return ResourceExhaustedError("config file " + path +
                                  " is larger than 64 KiB");
  }
  config.config_file = path;
  return ApplyConfigText(config, text, path);
}

Status ApplyEnvironment(ServerConfig& config, const GetEnvFn& getenv) {
  for (const ConfigOption& o : kOptions) {
    if (o.name == "config") continue;
    std::string env(o.env);
    const char* v = getenv(env.c_str());
    if (v == nullptr) continue;
    Status s = ApplyConfigValue(config, o.name, v);
    if (!s.ok()) return s.WithPrefix(env);
  }
  return OkStatus();
}

Status FinalizeConfig(ServerConfig& config) {
  if (config.workers == 0) {
    unsigned hw = std::thread::hardware_concurrency();
    config.workers = hw < 2 ? 2 : static_cast<int>(hw > 64 ? 64 : hw);
  }
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return InvalidArgumentError(
        "--tls-cert and --tls-key must be given together");
  }
  if (config.data_dir.empty()) {
    return InvalidArgumentError("data: must not be empty");
  }
  if (config.database_url.empty()) {
    std::string dir = config.data_dir;
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    config.database_url = dir + "/credstack.db";
  }
  if (config.max_upload < config.max_body) config.max_upload = config.max_body;
  return OkStatus();
}

Result<ServerConfig> LoadServerConfig(
    const std::vector<std::pair<std::string, std::string>>& flags,
    const GetEnvFn& getenv) {
  ServerConfig config;
  std::string file;
  if (const char* env = getenv("CREDSTACK_CONFIG")) file = env;
  for (const auto& [name, value] : flags) {
    if (name == "config") file = value;
  }
  if (!file.empty()) CREDSTACK_RETURN_IF_ERROR(ApplyConfigFile(config, file));
  CREDSTACK_RETURN_IF_ERROR(ApplyEnvironment(config, getenv));
  for (const auto& [name, value] : flags) {
    if (name == "config") continue;
    CREDSTACK_RETURN_IF_ERROR(ApplyConfigValue(config, name, value));
  }
  CREDSTACK_RETURN_IF_ERROR(FinalizeConfig(config));
  return config;
}

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  ListenAddress a;
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() ||
        text[close + 1] != ':') {
      return InvalidArgumentError("expected [IPv6]:PORT, got '" +
                                  std::string(text) + "'");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return InvalidArgumentError("expected HOST:PORT, got '" +
                                  std::string(text) + "'");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return InvalidArgumentError("write IPv6 addresses as [ADDR]:PORT");
    }
  }
  Result<uint64_t> p = ParseUnsigned(port);
  if (!p.has_value() || *p > 65535) {
    return InvalidArgumentError("bad port in '" + std::string(text) + "'");
  }
  a.host = host.empty() ? "0.0.0.0" : std::string(host);
  a.port = static_cast<uint16_t>(*p);
  return a;
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  std::string t = LowerCopy(Trim(text));
  size_t i = 0;
  while (i < t.size() && ((t[i] >= '0' && t[i] <= '9') || t[i] == '.')) ++i;
  CREDSTACK_ASSIGN_OR_RETURN(
      double v, ParseNonNegativeDouble(std::string_view(t).substr(0, i)));
  std::string_view unit = std::string_view(t).substr(i);
  double ms;
  if (unit.empty() || unit == "s") {
    ms = v * 1000;
  } else if (unit == "ms") {
    ms = v;
  } else if (unit == "m" || unit == "min") {
    ms = v * 60'000;
  } else if (unit == "h") {
    ms = v * 3'600'000;
  } else {
    return InvalidArgumentError("unknown duration unit in '" +
                                std::string(text) + "' (ms, s, m, h)");
  }
  if (ms > 7 * 24 * 3'600'000.0) {
    return InvalidArgumentError("duration longer than a week");
  }
  return std::chrono::milliseconds(static_cast<int64_t>(ms));
}

Result<size_t> ParseByteSize(std::string_view text) {
  std::string t = LowerCopy(Trim(text));
  size_t i = 0;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
  CREDSTACK_ASSIGN_OR_RETURN(uint64_t v,
                             ParseUnsigned(std::string_view(t).substr(0, i)));
  std::string_view unit = Trim(std::string_view(t).substr(i));
  uint64_t mul;
  if (unit.empty() || unit == "b") {
    mul = 1;
  } else if (unit == "k" || unit == "kib") {
    mul = 1024;
  } else if (unit == "m" || unit == "mib") {
    mul = 1024 * 1024;
  } else if (unit == "g" || unit == "gib") {
    mul = 1024ull * 1024 * 1024;
  } else if (unit == "kb") {
    mul = 1000;
  } else if (unit == "mb") {
    mul = 1000 * 1000;
  } else if (unit == "gb") {
    mul = 1000ull * 1000 * 1000;
  } else {
    return InvalidArgumentError("unknown size unit in '" + std::string(text) +
                                "' (KiB, MiB, GiB, KB, MB, GB)");
  }
  constexpr uint64_t kMax = 64ull * 1024 * 1024 * 1024;
  if (v > kMax / mul) return InvalidArgumentError("size larger than 64 GiB");
  return static_cast<size_t>(v * mul);
}

}  // namespace credstack::server
