#include "credstack/json/jcs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <boost/container/small_vector.hpp>
#include <vector>

#include "credstack/base/utf8.h"

namespace credstack::json {
namespace {

constexpr char kHex[] = "0123456789abcdef";

Status AppendValue(const Value& v, std::string& out, int depth, bool sort);

Status AppendObject(const Object& o, std::string& out, int depth,
                    std::initializer_list<std::string_view> skip, bool sort) {
  boost::container::small_vector<const boost::json::key_value_pair*, 24> members;
  for (const auto& kv : o) {
    bool skipped = false;
    for (std::string_view k : skip) skipped = skipped || kv.key() == k;
    if (!skipped) members.push_back(&kv);
  }
  // RFC 8785 §3.2.3: sort by UTF-16 code units.
  if (sort) {
    std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
      return CompareUtf16(a->key(), b->key()) < 0;
    });
  }
  out += '{';
  bool first = true;
  for (const auto* kv : members) {
    if (!first) out += ',';
    first = false;
    AppendJcsString(kv->key(), out);
    out += ':';
    CREDSTACK_RETURN_IF_ERROR(AppendValue(kv->value(), out, depth + 1, sort));
  }
  out += '}';
  return OkStatus();
}

Status AppendValue(const Value& v, std::string& out, int depth, bool sort) {
  // Depth is bounded by the parser's limit; this guard keeps values built in
  // code from recursing without bound.
  if (depth > 512) return ResourceExhaustedError("JCS: nesting too deep");
  switch (v.kind()) {
    case boost::json::kind::null: out += "null"; break;
    case boost::json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case boost::json::kind::int64: {
      int64_t i = v.get_int64();
      if (i > (int64_t{1} << 53) || i < -(int64_t{1} << 53)) {
        AppendEcmaNumber(static_cast<double>(i), out);
      } else {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, i);
        out.append(buf, r.ptr);
      }
      break;
    }
    case boost::json::kind::uint64: {
      uint64_t u = v.get_uint64();
      if (u > (uint64_t{1} << 53)) {
        AppendEcmaNumber(static_cast<double>(u), out);
      } else {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, u);
        out.append(buf, r.ptr);
      }
      break;
    }
    case boost::json::kind::double_: {
      double d = v.get_double();
      if (!std::isfinite(d)) return InvalidArgumentError("JCS: NaN and Infinity are not JSON numbers");
      AppendEcmaNumber(d, out);
      break;
    }
    case boost::json::kind::string: AppendJcsString(v.get_string(), out); break;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        CREDSTACK_RETURN_IF_ERROR(AppendValue(e, out, depth + 1, sort));
      }
      out += ']';
      break;
    }
    case boost::json::kind::object:
      return AppendObject(v.get_object(), out, depth, {}, sort);
  }
  return OkStatus();
}

}  // namespace

void AppendJcsString(std::string_view s, std::string& out) {
  out += '"';
  // Copy runs of characters that need no escaping in one append.
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void AppendEcmaNumber(double d, std::string& out) {
  if (d == 0) {  // also -0
    out += '0';
    return;
  }
  if (d < 0) {
    out += '-';
    d = -d;
  }
  // Shortest round-trip digits (std::to_chars implements Ryu), as ECMA-262
  // Number::toString requires: k digits s, value = s * 10^(n-k).
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));
  size_t e = sci.find('e');
  std::string digits;
  digits += sci[0];
  if (e > 1) digits.append(sci.substr(2, e - 2));  // skip "d."
  int exp10 = 0;
  std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exp10);
  int k = static_cast<int>(digits.size());
  int n = exp10 + 1;
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<size_t>(n));
    out += '.';
    out.append(digits, static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
}

Result<std::string> CanonicalizeWithout(const Object& o,
                                        std::initializer_list<std::string_view> skip) {
  std::string out;
  CREDSTACK_RETURN_IF_ERROR(AppendObject(o, out, 0, skip, true));
  return out;
}

Result<std::string> Canonicalize(const Value& v) {
  std::string out;
  CREDSTACK_RETURN_IF_ERROR(AppendValue(v, out, 0, true));
  return out;
}

Status AppendJson(const Value& v, std::string& out) { return AppendValue(v, out, 0, false); }

}  // namespace credstack::json
