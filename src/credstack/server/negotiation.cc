#include "credstack/server/negotiation.h"

#include <array>

namespace credstack::server {
namespace {

constexpr size_t kMaxRanges = 64;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

// RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ]
// ), read as thousandths. -1 if malformed.
int ParseQ(std::string_view v) {
  if (v.empty() || (v[0] != '0' && v[0] != '1')) return -1;
  int q = (v[0] - '0') * 1000;
  if (v.size() == 1) return q;
  if (v[1] != '.' || v.size() > 5) return -1;
  int scale = 100;
  for (size_t i = 2; i < v.size(); ++i) {
    if (v[i] < '0' || v[i] > '9') return -1;
    q += (v[i] - '0') * scale;
    scale /= 10;
  }
  return q > 1000 ? -1 : q;
}

struct Range {
  std::string_view type;     // "*" allowed
  std::string_view subtype;  // "*" allowed
  int q = 1000;
};

}  // namespace

std::optional<size_t> NegotiateMediaType(
    std::string_view accept, std::span<const std::string_view> offers) {
  if (offers.empty()) return std::nullopt;
  accept = Trim(accept);
  if (accept.empty()) return 0;

  std::array<Range, kMaxRanges> ranges;
  size_t n = 0;
  while (!accept.empty() && n < kMaxRanges) {
    size_t comma = accept.find(',');
    std::string_view item = Trim(accept.substr(0, comma));
    accept = comma == std::string_view::npos ? std::string_view()
                                             : accept.substr(comma + 1);
    if (item.empty()) continue;
    size_t semi = item.find(';');
    std::string_view mt = Trim(item.substr(0, semi));
    size_t slash = mt.find('/');
    if (slash == std::string_view::npos || slash == 0 ||
        slash + 1 == mt.size()) {
      continue;
    }
    Range r{mt.substr(0, slash), mt.substr(slash + 1), 1000};
    if (r.type == "*" && r.subtype != "*") continue;
    bool bad = false;
    while (semi != std::string_view::npos) {
      std::string_view rest = item.substr(semi + 1);
      semi = rest.find(';');
      std::string_view param = Trim(rest.substr(0, semi));
      item = rest;
      size_t eq = param.find('=');
      if (eq == std::string_view::npos) continue;
      if (EqualsIgnoreCase(Trim(param.substr(0, eq)), "q")) {
        r.q = ParseQ(Trim(param.substr(eq + 1)));
        if (r.q < 0) bad = true;
        break;  // accept-ext parameters after q are ignored
      }
    }
    if (!bad) ranges[n++] = r;
  }

  std::optional<size_t> best;
  int best_q = 0;
  for (size_t i = 0; i < offers.size(); ++i) {
    std::string_view offer = offers[i];
    size_t slash = offer.find('/');
    std::string_view type = offer.substr(0, slash);
    std::string_view subtype = slash == std::string_view::npos
                                   ? std::string_view()
                                   : offer.substr(slash + 1);
    int specificity = -1;
    int q = 0;
    for (size_t k = 0; k < n; ++k) {
      const Range& r = ranges[k];
      int s;
      if (r.type == "*") {
        s = 0;
      } else if (!EqualsIgnoreCase(r.type, type)) {
        continue;
      } else if (r.subtype == "*") {
        s = 1;
      } else if (EqualsIgnoreCase(r.subtype, subtype)) {
        s = 2;
      } else {
        continue;
      }
      if (s > specificity) {
        specificity = s;
        q = r.q;
      }
    }
    if (specificity >= 0 && q > best_q) {
      best_q = q;
      best = i;
    }
  }
  return best;
}

std::string_view MediaTypeOf(std::string_view content_type,
                             std::span<char> buf) {
  std::string_view mt = Trim(content_type.substr(0, content_type.find(';')));
  size_t n = mt.size() < buf.size() ? mt.size() : buf.size();
  for (size_t i = 0; i < n; ++i) buf[i] = Lower(mt[i]);
  return std::string_view(buf.data(), n);
}

}  // namespace credstack::server
