#include "credstack/json/schema.h"

#include <map>
#include <regex>
#include <set>

#include "credstack/base/time.h"

namespace credstack::json {

struct Schema::Impl {
  Value doc;
  std::map<std::string, std::regex> patterns;
  // Bounds recursion through $ref cycles on deep instances.
  static constexpr int kMaxDepth = 128;
};

namespace {

const std::set<std::string, std::less<>> kKnownKeywords = {
    "$schema", "$id", "$comment", "title", "description", "examples", "default", "$defs",
    "definitions", "type", "enum", "const", "properties", "required", "additionalProperties",
    "items", "additionalItems", "minItems", "maxItems", "contains", "allOf", "anyOf", "oneOf",
    "not", "$ref", "pattern", "format", "minLength", "maxLength", "minimum", "maximum",
    "uniqueItems", "deprecated", "readOnly", "writeOnly"};

Status CheckKeywords(const Value& v, std::map<std::string, std::regex>& patterns, int depth) {
  if (depth > 64) return ResourceExhaustedError("schema nested too deeply");
  if (const auto* a = v.if_array()) {
    for (const auto& e : *a) CREDSTACK_RETURN_IF_ERROR(CheckKeywords(e, patterns, depth + 1));
    return OkStatus();
  }
  const auto* o = v.if_object();
  if (!o) return OkStatus();
  for (const auto& kv : *o) {
    if (!kKnownKeywords.contains(kv.key())) {
      return UnimplementedError("schema keyword \"" + std::string(kv.key()) + "\" is not supported");
    }
    if (kv.key() == "pattern" && kv.value().is_string()) {
      std::string p(kv.value().get_string());
      if (!patterns.contains(p)) {
        // std::regex throws on a bad pattern; schemas are trusted bundled
        // data but we still refuse to abort on one.
        try {
          patterns.emplace(p, std::regex(p, std::regex::ECMAScript));
        } catch (const std::regex_error&) {
          return InvalidArgumentError("schema pattern does not compile: " + p);
        }
      }
    }
    if (kv.key() == "properties" || kv.key() == "$defs" || kv.key() == "definitions") {
      if (const auto* props = kv.value().if_object()) {
        for (const auto& p : *props) {
          CREDSTACK_RETURN_IF_ERROR(CheckKeywords(p.value(), patterns, depth + 1));
        }
      }
    } else if (kv.key() == "enum" || kv.key() == "const" || kv.key() == "examples" ||
               kv.key() == "default") {
      // Values, not schemas.
    } else {
      CREDSTACK_RETURN_IF_ERROR(CheckKeywords(kv.value(), patterns, depth + 1));
    }
  }
  return OkStatus();
}

bool IsNumber(const Value& v) { return v.is_int64() || v.is_uint64() || v.is_double(); }

double AsDouble(const Value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

bool JsonEquals(const Value& a, const Value& b) {
  if (IsNumber(a) && IsNumber(b)) return AsDouble(a) == AsDouble(b);
  return a == b;
}

bool TypeMatches(std::string_view type, const Value& v) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_bool();
  if (type == "null") return v.is_null();
  if (type == "number") return IsNumber(v);
  if (type == "integer") {
    if (v.is_int64() || v.is_uint64()) return true;
    return v.is_double() && v.get_double() == static_cast<double>(static_cast<int64_t>(v.get_double()));
  }
  return false;
}

bool FormatMatches(std::string_view format, std::string_view s) {
  if (format == "date-time") return ParseDateTime(s, {.require_offset = false}).ok();
  if (format == "date") {
    return s.size() == 10 && ParseDateTime(std::string(s) + "T00:00:00Z").ok();
  }
  if (format == "uri") {
    // RFC 3986 absolute URI: scheme ":" ...
    size_t colon = s.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
    for (size_t i = 1; i < colon; ++i) {
      char c = s[i];
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.')) {
        return false;
      }
    }
    for (char c : s) {
      if (c == ' ' || static_cast<unsigned char>(c) < 0x20) return false;
    }
    return true;
  }
  return true;  // unknown formats are annotations (2019-09 §7.2)
}

// The instance location as a chain of stack frames; turned into a string
// only when an error is recorded (building a string per visited member
// dominated validation time).
struct Loc {
  const Loc* parent = nullptr;
  std::string_view key;
  size_t index = 0;
  bool is_index = false;

  Loc Key(std::string_view k) const { return Loc{this, k, 0, false}; }
  Loc Index(size_t i) const { return Loc{this, {}, i, true}; }
  Path ToPath() const {
    std::vector<const Loc*> chain;
    for (const Loc* l = this; l && l->parent; l = l->parent) chain.push_back(l);
    Path p;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      p = (*it)->is_index ? p.Index((*it)->index) : p.Key((*it)->key);
    }
    return p;
  }
};

class Validator {
 public:
  Validator(const Schema::Impl& impl, size_t max_errors) : impl_(impl), max_errors_(max_errors) {}

  std::vector<SchemaError> errors;

  // Returns true when v is valid against s; records errors unless quiet.
  bool Check(const Value& s, const Value& v, const Loc& path, bool quiet, int depth) {
    if (depth > Schema::Impl::kMaxDepth) return Fail(path, "instance nested too deeply", quiet);
    if (s.is_bool()) return s.get_bool() || Fail(path, "no value is allowed here", quiet);
    const auto* o = s.if_object();
    if (!o) return true;
    bool ok = true;
    if (const Value* ref = o->if_contains("$ref")) {
      const Value* target = Resolve(ref->is_string() ? std::string_view(ref->get_string()) : "");
      if (!target) return Fail(path, "schema reference cannot be resolved", quiet);
      ok &= Check(*target, v, path, quiet, depth + 1);
      if (!ok && quiet) return false;
    }
    if (const Value* t = o->if_contains("type")) {
      // JSON-LD single value where the schema wants an (unordered) array.
      if (t->is_string() && t->get_string() == "array" && !v.is_array()) {
        boost::json::array wrapped;
        wrapped.push_back(v);
        return Check(s, Value(std::move(wrapped)), path, quiet, depth + 1) && ok;
      }
      bool match = false;
      std::string expected;
      auto one = [&](const Value& tv) {
        if (!tv.is_string()) return;
        if (!expected.empty()) expected += " or ";
        expected += tv.get_string();
        match = match || TypeMatches(tv.get_string(), v);
      };
      if (t->is_array()) {
        for (const auto& tv : t->get_array()) one(tv);
      } else {
        one(*t);
      }
      if (!match) {
        return Fail(path, "expected " + expected + ", found " + std::string(TypeName(v)), quiet);
      }
    }
    if (const Value* e = o->if_contains("enum"); e && e->is_array()) {
      bool found = false;
      for (const auto& ev : e->get_array()) found = found || JsonEquals(ev, v);
      if (!found) ok = Fail(path, "value is not one of " + Serialize(*e), quiet) && ok;
    }
    if (const Value* c = o->if_contains("const"); c && !JsonEquals(*c, v)) {
      ok = Fail(path, "value must be " + Serialize(*c), quiet) && ok;
    }
    if (v.is_string()) ok = CheckString(*o, v.get_string(), path, quiet) && ok;
    if (v.is_object()) ok = CheckObject(*o, v.get_object(), path, quiet, depth) && ok;
    if (v.is_array()) ok = CheckArray(*o, v.get_array(), path, quiet, depth) && ok;
    if (IsNumber(v)) {
      if (const Value* m = o->if_contains("minimum"); m && IsNumber(*m) && AsDouble(v) < AsDouble(*m)) {
        ok = Fail(path, "value below minimum " + Serialize(*m), quiet) && ok;
      }
      if (const Value* m = o->if_contains("maximum"); m && IsNumber(*m) && AsDouble(v) > AsDouble(*m)) {
        ok = Fail(path, "value above maximum " + Serialize(*m), quiet) && ok;
      }
    }
    if (const Value* all = o->if_contains("allOf"); all && all->is_array()) {
      for (const auto& sub : all->get_array()) ok = Check(sub, v, path, quiet, depth + 1) && ok;
    }
    if (const Value* any = o->if_contains("anyOf"); any && any->is_array()) {
      bool found = false;
      for (const auto& sub : any->get_array()) {
        if (Check(sub, v, path, true, depth + 1)) {
          found = true;
          break;
        }
      }
      if (!found) ok = Fail(path, "value matches none of the allowed shapes", quiet) && ok;
    }
    if (const Value* one = o->if_contains("oneOf"); one && one->is_array()) {
      int matches = 0;
      for (const auto& sub : one->get_array()) matches += Check(sub, v, path, true, depth + 1) ? 1 : 0;
      if (matches != 1) {
        // Report the errors of the closest alternative for a useful message.
        if (!quiet && matches == 0) {
          for (const auto& sub : one->get_array()) {
            if (sub.is_object() && sub.as_object().contains("$ref") && v.is_object()) {
              Check(sub, v, path, false, depth + 1);
              return false;
            }
          }
        }
        bool value_only = matches == 0 && AllAlternativesAcceptType(one->get_array(), v);
        ok = Fail(path,
                  value_only       ? "value is neither a listed value nor a permitted extension"
                  : matches == 0 ? "value matches none of the allowed shapes"
                                 : "value matches more than one exclusive shape",
                  quiet, value_only) && ok;
      }
    }
    if (const Value* n = o->if_contains("not"); n && Check(*n, v, path, true, depth + 1)) {
      ok = Fail(path, "value matches a forbidden shape", quiet) && ok;
    }
    return ok;
  }

 private:
  bool Fail(const Loc& path, std::string message, bool quiet, bool value_only = false) {
    if (!quiet && errors.size() < max_errors_) {
      errors.push_back({path.ToPath().str(), std::move(message), value_only});
    }
    return false;
  }

  // True when every alternative accepts v's JSON type, so a failure to
  // match any of them is about the value, not the shape.
  bool AllAlternativesAcceptType(const Array& alternatives, const Value& v) {
    for (const auto& alt : alternatives) {
      const auto* o = alt.if_object();
      const Value* t = o ? o->if_contains("type") : nullptr;
      if (!t || !t->is_string() || !TypeMatches(t->get_string(), v)) return false;
      for (const auto& kv : *o) {
        std::string_view k = kv.key();
        if (k != "type" && k != "enum" && k != "pattern" && k != "const" && k != "format" &&
            k != "description" && k != "$comment") {
          return false;
        }
      }
    }
    return !alternatives.empty();
  }

  const Value* Resolve(std::string_view ref) {
    for (std::string_view prefix : {"#/$defs/", "#/definitions/"}) {
      if (ref.substr(0, prefix.size()) == prefix) {
        const auto* root = impl_.doc.if_object();
        std::string_view section = prefix.substr(2, prefix.size() - 3);
        const Value* defs = root ? root->if_contains(section) : nullptr;
        if (!defs || !defs->is_object()) return nullptr;
        return defs->get_object().if_contains(ref.substr(prefix.size()));
      }
    }
    if (ref == "#") return &impl_.doc;
    return nullptr;
  }

  // Credentials repeat the same values (context URLs, language codes), so
  // verdicts are memoized per thread; std::regex is slow.
  static bool PatternMatches(const std::string& pattern, const std::regex& re, std::string_view s) {
    thread_local std::map<std::pair<std::string, std::string>, bool, std::less<>> memo;
    auto key = std::make_pair(pattern, std::string(s));
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    bool match = std::regex_search(s.begin(), s.end(), re);
    if (memo.size() > 4096) memo.clear();
    memo.emplace(std::move(key), match);
    return match;
  }

  bool CheckString(const Object& o, std::string_view s, const Loc& path, bool quiet) {
    bool ok = true;
    if (const Value* p = o.if_contains("pattern"); p && p->is_string()) {
      auto it = impl_.patterns.find(std::string(p->get_string()));
      // libstdc++'s std::regex recurses per character: bound the input.
      if (s.size() > 2048) {
        ok = Fail(path, "value too long", quiet);
      } else if (it != impl_.patterns.end() && !PatternMatches(it->first, it->second, s)) {
        ok = Fail(path, "value does not match the pattern " + std::string(p->get_string()), quiet);
      }
    }
    if (const Value* f = o.if_contains("format"); f && f->is_string() &&
        !FormatMatches(f->get_string(), s)) {
      ok = Fail(path, "value is not a valid " + std::string(f->get_string()), quiet) && ok;
    }
    return ok;
  }

  bool CheckObject(const Object& s, const Object& v, const Loc& path, bool quiet, int depth) {
    bool ok = true;
    if (const Value* req = s.if_contains("required"); req && req->is_array()) {
      for (const auto& r : req->get_array()) {
        if (r.is_string() && !v.contains(r.get_string())) {
          ok = Fail(path.Key(r.get_string()), "required property is missing", quiet) && ok;
        }
      }
    }
    const Object* props = GetObject(s, "properties");
    const Value* additional = s.if_contains("additionalProperties");
    for (const auto& kv : v) {
      const Value* sub = props ? props->if_contains(kv.key()) : nullptr;
      if (sub) {
        ok = Check(*sub, kv.value(), path.Key(kv.key()), quiet, depth + 1) && ok;
      } else if (additional) {
        if (additional->is_bool() && !additional->get_bool()) {
          ok = Fail(path.Key(kv.key()), "property is not allowed here", quiet) && ok;
        } else if (additional->is_object()) {
          ok = Check(*additional, kv.value(), path.Key(kv.key()), quiet, depth + 1) && ok;
        }
      }
      if (!ok && quiet) return false;
    }
    return ok;
  }

  bool CheckArray(const Object& s, const Array& a, const Loc& path, bool quiet, int depth) {
    bool ok = true;
    auto at = [&](size_t i) { return path.Index(i); };
    if (const Value* m = s.if_contains("minItems"); m && IsNumber(*m) &&
        static_cast<double>(a.size()) < AsDouble(*m)) {
      ok = Fail(path, "needs at least " + Serialize(*m) + " item(s)", quiet) && ok;
    }
    if (const Value* m = s.if_contains("maxItems"); m && IsNumber(*m) &&
        static_cast<double>(a.size()) > AsDouble(*m)) {
      ok = Fail(path, "allows at most " + Serialize(*m) + " item(s)", quiet) && ok;
    }
    if (const Value* items = s.if_contains("items")) {
      if (items->is_array()) {
        const auto& tuple = items->get_array();
        for (size_t i = 0; i < a.size(); ++i) {
          if (i < tuple.size()) {
            ok = Check(tuple[i], a[i], at(i), quiet, depth + 1) && ok;
          } else if (const Value* extra = s.if_contains("additionalItems")) {
            ok = Check(*extra, a[i], at(i), quiet, depth + 1) && ok;
          }
        }
      } else {
        for (size_t i = 0; i < a.size(); ++i) ok = Check(*items, a[i], at(i), quiet, depth + 1) && ok;
      }
    }
    if (const Value* c = s.if_contains("contains")) {
      bool found = false;
      for (const auto& e : a) found = found || Check(*c, e, path, true, depth + 1);
      if (!found) {
        std::string want = "a required item";
        if (c->is_object()) {
          if (const Value* e = c->get_object().if_contains("enum")) want = Serialize(*e);
        }
        ok = Fail(path, "must contain " + want, quiet) && ok;
      }
    }
    return ok;
  }

  const Schema::Impl& impl_;
  size_t max_errors_;
};

}  // namespace

Schema::Schema(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Schema::~Schema() = default;

Result<std::shared_ptr<const Schema>> Schema::Compile(Value document) {
  auto impl = std::make_unique<Impl>();
  CREDSTACK_RETURN_IF_ERROR(CheckKeywords(document, impl->patterns, 0));
  impl->doc = std::move(document);
  return std::shared_ptr<const Schema>(new Schema(std::move(impl)));
}

std::vector<SchemaError> Schema::Validate(const Value& instance, size_t max_errors) const {
  Validator v(*impl_, max_errors);
  v.Check(impl_->doc, instance, Loc{}, false, 0);
  return std::move(v.errors);
}

}  // namespace credstack::json
