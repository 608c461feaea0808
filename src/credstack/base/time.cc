#include "credstack/base/time.h"

#include <chrono>
#include <cstdio>

namespace credstack {
namespace {

// Howard Hinnant's days_from_civil (proleptic Gregorian).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t y;
  unsigned m, d;
};

Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool Digits(int n, int64_t* out) {
    if (pos_ + static_cast<size_t>(n) > s_.size()) return false;
    int64_t v = 0;
    for (int i = 0; i < n; ++i) {
      char c = s_[pos_ + static_cast<size_t>(i)];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    pos_ += static_cast<size_t>(n);
    *out = v;
    return true;
  }
  bool Expect(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool AtEnd() const { return pos_ == s_.size(); }
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void Advance() { ++pos_; }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

Result<Timestamp> ParseDateTime(std::string_view text, ParseTimeOptions options) {
  auto fail = [&](std::string_view why) {
    return InvalidArgumentError("invalid date-time \"" +
                                std::string(text.substr(0, 64)) + "\": " +
                                std::string(why));
  };
  Cursor c(text);
  int64_t y, mo, d, h, mi, s;
  if (!c.Digits(4, &y) || !c.Expect('-') || !c.Digits(2, &mo) || !c.Expect('-') ||
      !c.Digits(2, &d)) {
    return fail("expected YYYY-MM-DD");
  }
  if (!(c.Expect('T') || c.Expect('t'))) return fail("expected 'T' after the date");
  if (!c.Digits(2, &h) || !c.Expect(':') || !c.Digits(2, &mi) || !c.Expect(':') ||
      !c.Digits(2, &s)) {
    return fail("expected HH:MM:SS");
  }
  if (mo < 1 || mo > 12) return fail("month out of range");
  if (d < 1 || d > DaysInMonth(y, static_cast<unsigned>(mo))) return fail("day out of range");
  if (h > 24 || mi > 59 || s > 60) return fail("time out of range");
  if (h == 24 && (mi != 0 || s != 0)) return fail("time out of range");
  int64_t micros = 0;
  if (c.Expect('.')) {
    int digits = 0;
    while (c.Peek() >= '0' && c.Peek() <= '9') {
      if (digits < 6) micros = micros * 10 + (c.Peek() - '0');
      ++digits;
      c.Advance();
    }
    if (digits == 0) return fail("empty fraction");
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  int64_t offset_minutes = 0;
  if (c.Expect('Z') || c.Expect('z')) {
  } else if (c.Peek() == '+' || c.Peek() == '-') {
    int sign = c.Peek() == '-' ? -1 : 1;
    c.Advance();
    int64_t oh, om;
    if (!c.Digits(2, &oh) || !c.Expect(':') || !c.Digits(2, &om) || oh > 14 || om > 59) {
      return fail("invalid time zone offset");
    }
    offset_minutes = sign * (oh * 60 + om);
  } else if (options.require_offset) {
    return fail("missing time zone (add 'Z' or an offset such as +01:00)");
  }
  if (!c.AtEnd()) return fail("unexpected trailing characters");
  if (s == 60) s = 59;  // leap second: clamp, never fail
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - offset_minutes * 60;
  return Timestamp{secs * 1'000'000 + micros};
}

std::string FormatDateTime(Timestamp t) {
  int64_t secs = t.unix_seconds();
  int64_t micros = t.unix_micros - secs * 1'000'000;
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t sod = secs - days * 86400;
  Civil c = CivilFromDays(days);
  std::string out;
  if (c.y < 0 || c.y > 9999) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(c.y));
    out = buf;
  } else {
    out.assign(4, '0');
    for (int i = 3, y = static_cast<int>(c.y); i >= 0; --i, y /= 10) out[i] = static_cast<char>('0' + y % 10);
  }
  // Formatted by hand: this runs for every credential verified or issued.
  auto two = [&out](char sep, int64_t v) {
    out += sep;
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
  };
  two('-', c.m);
  two('-', c.d);
  two('T', sod / 3600);
  two(':', sod / 60 % 60);
  two(':', sod % 60);
  if (micros != 0) {
    out += '.';
    for (int64_t div = 100'000; div > 0 && micros != 0; div /= 10) {
      out += static_cast<char>('0' + micros / div);
      micros %= div;
    }
  }
  out += 'Z';
  return out;
}

Timestamp SystemClock::Now() const {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return {std::chrono::duration_cast<std::chrono::microseconds>(now).count()};
}

const SystemClock& SystemClock::Instance() {
  static const SystemClock clock;
  return clock;
}

}  // namespace credstack
