#pragma once

// Points in time as credentials carry them: XML Schema dateTime /
// RFC 3339 strings (VC Data Model 2.0 §4.9 validity period), held as
// microseconds since the Unix epoch, plus the Clock interface through which
// every module reads "now".

#include <cstdint>
#include <string>
#include <string_view>

#include "credstack/base/status.h"

namespace credstack {

struct Timestamp {
  int64_t unix_micros = 0;

  static Timestamp FromUnixSeconds(int64_t s) { return {s * 1'000'000}; }
  int64_t unix_seconds() const {
    return unix_micros >= 0 ? unix_micros / 1'000'000
                            : -((-unix_micros + 999'999) / 1'000'000);
  }
  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
};

struct ParseTimeOptions {
  // VC 2.0 requires a time zone offset (xsd:dateTimeStamp); VC 1.1 and the
  // CLI's --now accept a missing offset, read as UTC.
  bool require_offset = true;
};

// Parses "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)". Fractions beyond
// microseconds are truncated. Fails with kInvalidArgument naming the problem.
Result<Timestamp> ParseDateTime(std::string_view text,
                                ParseTimeOptions options = {});

// "YYYY-MM-DDTHH:MM:SSZ", with ".ffffff" only when micros are non-zero and
// trailing zeros trimmed.
std::string FormatDateTime(Timestamp t);

// The source of "now". Domain modules take a Clock&, never read the system
// clock, so tests and --now can fix time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
  // A process-wide instance.
  static const SystemClock& Instance();
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(Timestamp t) : t_(t) {}
  Timestamp Now() const override { return t_; }
  void Set(Timestamp t) { t_ = t; }

 private:
  Timestamp t_;
};

}  // namespace credstack
