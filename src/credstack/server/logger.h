#pragma once

// Structured logs: one JSON object per line, written to stderr by default:
//   {"ts":"2025-01-02T03:04:05.123456Z","level":"info","msg":"request",...}
// Callers choose the fields; secrets (API keys, Authorization headers,
// private keys) are never passed in. Thread-safe.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>

#include "credstack/base/status.h"

namespace credstack::server {

enum class LogLevel : uint8_t { kDebug = 0, kInfo, kWarn, kError, kOff };

std::string_view LogLevelName(LogLevel l);
// "debug", "info", "warn" (or "warning"), "error", "off"; kInvalidArgument
// otherwise.
Result<LogLevel> ParseLogLevel(std::string_view name);

struct LogField {
  std::string_view key;
  std::variant<std::string_view, int64_t, double, bool> value;

  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v)
      : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, const std::string& v)
      : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, int64_t v) : key(k), value(v) {}
  LogField(std::string_view k, int v) : key(k), value(int64_t{v}) {}
  LogField(std::string_view k, uint64_t v)
      : key(k), value(static_cast<int64_t>(v)) {}
  LogField(std::string_view k, double v) : key(k), value(v) {}
  LogField(std::string_view k, bool v) : key(k), value(v) {}
};

class Logger {
 public:
  // Receives one complete line including the trailing '\n'.
  using Sink = std::function<void(std::string_view line)>;

  // Writes to stderr.
  explicit Logger(LogLevel level = LogLevel::kInfo);
  Logger(LogLevel level, Sink sink);

  bool Enabled(LogLevel l) const { return l >= level_ && l != LogLevel::kOff; }
  LogLevel level() const { return level_; }

  void Log(LogLevel l, std::string_view msg,
           std::initializer_list<LogField> fields = {});
  void Debug(std::string_view m, std::initializer_list<LogField> f = {}) {
    Log(LogLevel::kDebug, m, f);
  }
  void Info(std::string_view m, std::initializer_list<LogField> f = {}) {
    Log(LogLevel::kInfo, m, f);
  }
  void Warn(std::string_view m, std::initializer_list<LogField> f = {}) {
    Log(LogLevel::kWarn, m, f);
  }
  void Error(std::string_view m, std::initializer_list<LogField> f = {}) {
    Log(LogLevel::kError, m, f);
  }

 private:
  LogLevel level_;
  Sink sink_;  // empty: stderr
  std::mutex mu_;
};

// Appends s as a JSON string literal body (without quotes), escaping
// quotes, backslashes and control characters; invalid UTF-8 bytes become
// U+FFFD so that every line stays valid JSON.
void AppendJsonEscaped(std::string& out, std::string_view s);

}  // namespace credstack::server
