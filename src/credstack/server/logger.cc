#include "credstack/server/logger.h"

#include <cmath>
#include <cstdio>

#include "credstack/base/time.h"
#include "credstack/base/utf8.h"

namespace credstack::server {

std::string_view LogLevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
    case LogLevel::kOff:
      return "off";
  }
  return "info";
}

Result<LogLevel> ParseLogLevel(std::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "info") return LogLevel::kInfo;
  if (name == "warn" || name == "warning") return LogLevel::kWarn;
  if (name == "error") return LogLevel::kError;
  if (name == "off") return LogLevel::kOff;
  return InvalidArgumentError("unknown log level '" + std::string(name) +
                              "' (expected debug, info, warn, error or off)");
}

void AppendJsonEscaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20 || c == 0x7f) {
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // Copy a whole valid multi-byte sequence, or emit U+FFFD for one byte.
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    if (len > 1 && i + len <= s.size() && IsValidUtf8(s.substr(i, len))) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xef\xbf\xbd";
      ++i;
    }
  }
}

Logger::Logger(LogLevel level) : level_(level) {}
Logger::Logger(LogLevel level, Sink sink)
    : level_(level), sink_(std::move(sink)) {}

void Logger::Log(LogLevel l, std::string_view msg,
                 std::initializer_list<LogField> fields) {
  if (!Enabled(l)) return;
  std::string line;
  line.reserve(256);
  line += "{\"ts\":\"";
  line += FormatDateTime(SystemClock::Instance().Now());
  line += "\",\"level\":\"";
  line += LogLevelName(l);
  line += "\",\"msg\":\"";
  AppendJsonEscaped(line, msg);
  line += '"';
  for (const LogField& f : fields) {
    line += ",\"";
    AppendJsonEscaped(line, f.key);
    line += "\":";
    if (const auto* s = std::get_if<std::string_view>(&f.value)) {
      line += '"';
      AppendJsonEscaped(line, *s);
      line += '"';
    } else if (const auto* i = std::get_if<int64_t>(&f.value)) {
      line += std::to_string(*i);
    } else if (const auto* d = std::get_if<double>(&f.value)) {
      if (std::isfinite(*d)) {
        char buf[32];
        int n = std::snprintf(buf, sizeof buf, "%.6g", *d);
        line.append(buf, n > 0 ? static_cast<size_t>(n) : 0);
      } else {
        line += "null";
      }
    } else {
      line += std::get<bool>(f.value) ? "true" : "false";
    }
  }
  line += "}\n";
  std::lock_guard<std::mutex> lock(mu_);
  if (sink_) {
    sink_(line);
  } else {
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
}

}  // namespace credstack::server
