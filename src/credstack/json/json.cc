#include "credstack/json/json.h"

#include <boost/json/monotonic_resource.hpp>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>
#include <cctype>
#include <charconv>
#include <vector>

#include "credstack/json/jcs.h"

namespace credstack::json {
namespace {

// Boost.JSON parse handler that builds the value like boost::json::parser
// and additionally records each object's member count as parsed, in
// completion order, so that duplicates (which Boost collapses, last wins)
// can be detected afterwards.
struct Handler {
  static constexpr size_t max_object_size = boost::json::object::max_size();
  static constexpr size_t max_array_size = boost::json::array::max_size();
  static constexpr size_t max_key_size = boost::json::string::max_size();
  static constexpr size_t max_string_size = boost::json::string::max_size();

  boost::json::value_stack st;
  std::vector<size_t> object_sizes;
  // Boost.JSON 1.81 converts decimals without correct rounding (e.g.
  // 333333333.33333329 comes out one ulp off), which breaks RFC 8785 and
  // signatures over numbers. We collect the number's text and convert it
  // with std::from_chars, which rounds correctly.
  std::string number_text;

  bool on_document_begin(boost::json::error_code&) { return true; }
  bool on_document_end(boost::json::error_code&) { return true; }
  bool on_object_begin(boost::json::error_code&) { return true; }
  bool on_object_end(size_t n, boost::json::error_code&) {
    object_sizes.push_back(n);
    st.push_object(n);
    return true;
  }
  bool on_array_begin(boost::json::error_code&) { return true; }
  bool on_array_end(size_t n, boost::json::error_code&) {
    st.push_array(n);
    return true;
  }
  bool on_key_part(boost::json::string_view s, size_t, boost::json::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_key(boost::json::string_view s, size_t, boost::json::error_code&) {
    st.push_key(s);
    return true;
  }
  bool on_string_part(boost::json::string_view s, size_t, boost::json::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(boost::json::string_view s, size_t, boost::json::error_code&) {
    st.push_string(s);
    return true;
  }
  bool on_number_part(boost::json::string_view s, boost::json::error_code&) {
    number_text.append(s.data(), s.size());
    return true;
  }
  bool on_int64(int64_t i, boost::json::string_view, boost::json::error_code&) {
    number_text.clear();
    st.push_int64(i);
    return true;
  }
  bool on_uint64(uint64_t u, boost::json::string_view, boost::json::error_code&) {
    number_text.clear();
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, boost::json::string_view s, boost::json::error_code& ec) {
    number_text.append(s.data(), s.size());
    double exact = d;
    auto r = std::from_chars(number_text.data(), number_text.data() + number_text.size(), exact);
    number_text.clear();
    if (r.ec == std::errc::result_out_of_range) {
      // 1e400 and the like: not representable as an I-JSON number.
      ec = boost::json::error::exponent_overflow;
      return false;
    }
    st.push_double(r.ec == std::errc() ? exact : d);
    return true;
  }
  bool on_bool(bool b, boost::json::error_code&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(boost::json::error_code&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::json::error_code&) { return true; }
};

struct LineColumn {
  size_t line = 1, column = 1;
};

LineColumn Locate(std::string_view text, size_t offset) {
  LineColumn lc;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++lc.line;
      lc.column = 1;
    } else {
      ++lc.column;
    }
  }
  return lc;
}

// Walks objects in completion (post-) order, the order in which the parser
// reported them, and returns the path of the first whose size shrank.
bool FindDuplicate(const Value& v, const std::vector<size_t>& sizes, size_t& next,
                   const Path& path, std::string& out) {
  if (const auto* a = v.if_array()) {
    for (size_t i = 0; i < a->size(); ++i) {
      if (FindDuplicate((*a)[i], sizes, next, path.Index(i), out)) return true;
    }
  } else if (const auto* o = v.if_object()) {
    // A duplicate collapsed the object, so its members' own counts are still
    // in order; only the dropped duplicate values' objects are missing, and
    // we stop at the first object whose count disagrees, which is either the
    // duplicate holder or (if a dropped value held objects) reported there.
    for (const auto& kv : *o) {
      if (FindDuplicate(kv.value(), sizes, next, path.Key(kv.key()), out)) return true;
    }
    if (next >= sizes.size() || sizes[next] != o->size()) {
      out = path.str();
      return true;
    }
    ++next;
  }
  return false;
}

}  // namespace

Result<Value> Parse(std::string_view text, const ParseOptions& options) {
  if (text.size() > options.max_size) {
    return ResourceExhaustedError("JSON document of " + std::to_string(text.size()) +
                                  " bytes exceeds the limit of " +
                                  std::to_string(options.max_size) + " bytes");
  }
  boost::json::parse_options po;
  po.max_depth = options.max_depth;
  po.allow_comments = false;
  po.allow_trailing_commas = false;
  po.allow_invalid_utf8 = false;
  boost::json::basic_parser<Handler> parser(po);
  if (options.arena) {
    parser.handler().st.reset(boost::json::make_shared_resource<boost::json::monotonic_resource>());
  }
  boost::json::error_code ec;
  size_t n = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && n < text.size()) {
    ec = boost::json::error::extra_data;
  }
  if (ec) {
    if (ec == boost::json::error::too_deep) {
      return ResourceExhaustedError("JSON nesting deeper than " +
                                    std::to_string(options.max_depth) + " levels");
    }
    LineColumn lc = Locate(text, n);
    std::string what = ec.message();
    if (ec == boost::json::error::extra_data) what = "unexpected data after the JSON value";
    if (ec == boost::json::error::incomplete) what = "unexpected end of input";
    if (ec == boost::json::error::exponent_overflow) what = "number out of range";
    return InvalidArgumentError("invalid JSON at byte " + std::to_string(n) + " (line " +
                                std::to_string(lc.line) + ", column " +
                                std::to_string(lc.column) + "): " + what);
  }
  Handler& h = parser.handler();
  Value v = h.st.release();
  if (!options.allow_duplicate_keys) {
    size_t expected = 0;
    for (size_t s : h.object_sizes) expected += s;
    size_t actual = 0;
    // Cheap count first; the walk that names the path runs only on failure.
    std::vector<const Value*> stack{&v};
    while (!stack.empty()) {
      const Value* cur = stack.back();
      stack.pop_back();
      if (const auto* a = cur->if_array()) {
        for (const auto& e : *a) stack.push_back(&e);
      } else if (const auto* o = cur->if_object()) {
        actual += o->size();
        for (const auto& kv : *o) stack.push_back(&kv.value());
      }
    }
    if (actual != expected) {
      std::string where = "$";
      size_t next = 0;
      FindDuplicate(v, h.object_sizes, next, Path(), where);
      return InvalidArgumentError("duplicate member name in the object at " + where);
    }
  }
  return v;
}

std::string Serialize(const Value& v) {
  // ECMAScript number forms (2.5, not Boost's 2.5E0); values that hold
  // NaN/infinity (never produced by Parse) are written as null.
  std::string out;
  if (!AppendJson(v, out).ok()) return boost::json::serialize(v);
  return out;
}

namespace {

void AppendPretty(const Value& v, std::string& out, int indent) {
  auto newline = [&](int level) {
    out += '\n';
    out.append(static_cast<size_t>(level) * 2, ' ');
  };
  if (const auto* o = v.if_object()) {
    if (o->empty()) {
      out += "{}";
      return;
    }
    out += '{';
    bool first = true;
    for (const auto& kv : *o) {
      if (!first) out += ',';
      first = false;
      newline(indent + 1);
      AppendJcsString(kv.key(), out);
      out += ": ";
      AppendPretty(kv.value(), out, indent + 1);
    }
    newline(indent);
    out += '}';
  } else if (const auto* a = v.if_array()) {
    if (a->empty()) {
      out += "[]";
      return;
    }
    out += '[';
    bool first = true;
    for (const auto& e : *a) {
      if (!first) out += ',';
      first = false;
      newline(indent + 1);
      AppendPretty(e, out, indent + 1);
    }
    newline(indent);
    out += ']';
  } else {
    out += Serialize(v);
  }
}

}  // namespace

std::string SerializePretty(const Value& v) {
  std::string out;
  AppendPretty(v, out, 0);
  out += '\n';
  return out;
}

const Object* GetObject(const Object& o, std::string_view key) {
  const Value* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

const Array* GetArray(const Object& o, std::string_view key) {
  const Value* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

std::optional<std::string_view> GetString(const Object& o, std::string_view key) {
  const Value* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string_view(v->get_string());
}

Path Path::Key(std::string_view key) const {
  bool plain = !key.empty() && !(key[0] >= '0' && key[0] <= '9');
  for (char c : key) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '@')) plain = false;
  }
  if (plain) return Path(s_ + "." + std::string(key));
  std::string quoted = s_ + "[\"";
  for (char c : key) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return Path(quoted + "\"]");
}

Path Path::Index(size_t i) const { return Path(s_ + "[" + std::to_string(i) + "]"); }

std::string_view TypeName(const Value& v) {
  switch (v.kind()) {
    case boost::json::kind::object: return "object";
    case boost::json::kind::array: return "array";
    case boost::json::kind::string: return "string";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_: return "number";
    case boost::json::kind::bool_: return "boolean";
    case boost::json::kind::null: return "null";
  }
  return "unknown";
}

}  // namespace credstack::json
