#include "credstack/json/schema.h"

#include <atomic>
#include <deque>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <span>
#include <type_traits>
#include <unordered_map>

#include "credstack/base/time.h"

namespace credstack::json {
namespace {

enum TypeBit : uint8_t {
  kObject = 1,
  kArray = 2,
  kString = 4,
  kBoolean = 8,
  kNull = 16,
  kNumber = 32,
  kInteger = 64,
};

uint8_t TypeBitOf(std::string_view type) {
  if (type == "object") return kObject;
  if (type == "array") return kArray;
  if (type == "string") return kString;
  if (type == "boolean") return kBoolean;
  if (type == "null") return kNull;
  if (type == "number") return kNumber;
  if (type == "integer") return kInteger;
  return 0;
}

enum class Format : uint8_t { kNone, kDateTime, kDate, kUri, kOther };

// A schema keyword set compiled once: keyword lookups in the schema
// document dominated validation time.
struct Node {
  enum Kind : uint8_t { kAny, kBool, kSchema } kind = kAny;
  bool bool_value = true;
  bool has_ref = false;
  const Node* ref = nullptr;  // null with has_ref: unresolvable
  bool has_type = false;
  bool wraps_array = false;   // "type": "array" (a single value stands for an array)
  bool single_string_type = false;
  uint8_t types = 0;
  std::string type_names;     // "string or object"
  const Value* enum_values = nullptr;  // an array
  const Value* const_value = nullptr;
  const std::regex* pattern = nullptr;
  std::string_view pattern_text;
  uint32_t pattern_id = 0;
  Format format = Format::kNone;
  std::string_view format_name;
  std::vector<std::string_view> required;
  std::unordered_map<std::string_view, const Node*> properties;
  bool forbid_additional = false;
  const Node* additional = nullptr;
  bool items_tuple = false;
  const Node* items = nullptr;
  std::vector<const Node*> tuple;
  const Node* additional_items = nullptr;
  const Value* min_items = nullptr;
  const Value* max_items = nullptr;
  const Value* minimum = nullptr;
  const Value* maximum = nullptr;
  const Node* contains = nullptr;
  std::string contains_want;
  std::vector<const Node*> all_of, any_of, one_of;
  const Node* not_ = nullptr;
  // Only type/enum/pattern/const/format (and annotations): an alternative
  // of an extensible enumeration.
  bool value_keywords_only = false;
};

}  // namespace

struct Schema::Impl {
  Value doc;
  std::map<std::string, std::regex> patterns;
  std::deque<Node> nodes;
  std::unordered_map<const Value*, const Node*> compiled;
  const Node* root = nullptr;
  uint64_t id = 0;  // tells pattern memos of different schemas apart
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

// Resolves "#", "#/$defs/<name>" and "#/definitions/<name>" in doc.
const Value* ResolveRef(const Value& doc, std::string_view ref) {
  for (std::string_view prefix : {"#/$defs/", "#/definitions/"}) {
    if (ref.substr(0, prefix.size()) == prefix) {
      const auto* root = doc.if_object();
      std::string_view section = prefix.substr(2, prefix.size() - 3);
      const Value* defs = root ? root->if_contains(section) : nullptr;
      if (!defs || !defs->is_object()) return nullptr;
      return defs->get_object().if_contains(ref.substr(prefix.size()));
    }
  }
  if (ref == "#") return &doc;
  return nullptr;
}

// Compiles schema values into Nodes, once each (so $ref cycles end).
class Compiler {
 public:
  explicit Compiler(Schema::Impl& impl) : impl_(impl) {
    uint32_t i = 0;
    for (const auto& [text, re] : impl_.patterns) pattern_ids_[&re] = i++;
  }

  const Node* Get(const Value& s) {
    if (auto it = impl_.compiled.find(&s); it != impl_.compiled.end()) return it->second;
    Node& n = impl_.nodes.emplace_back();
    impl_.compiled.emplace(&s, &n);
    Fill(n, s);
    return &n;
  }

 private:
  void Fill(Node& n, const Value& s) {
    if (s.is_bool()) {
      n.kind = Node::kBool;
      n.bool_value = s.get_bool();
      return;
    }
    const auto* o = s.if_object();
    if (!o) return;  // kAny
    n.kind = Node::kSchema;
    if (const Value* ref = o->if_contains("$ref")) {
      n.has_ref = true;
      const Value* target =
          ResolveRef(impl_.doc, ref->is_string() ? std::string_view(ref->get_string()) : "");
      if (target) n.ref = Get(*target);
    }
    if (const Value* t = o->if_contains("type")) {
      n.has_type = true;
      n.wraps_array = t->is_string() && t->get_string() == "array";
      n.single_string_type = t->is_string();
      auto one = [&](const Value& tv) {
        if (!tv.is_string()) return;
        if (!n.type_names.empty()) n.type_names += " or ";
        n.type_names += tv.get_string();
        n.types |= TypeBitOf(tv.get_string());
      };
      if (t->is_array()) {
        for (const auto& tv : t->get_array()) one(tv);
      } else {
        one(*t);
      }
    }
    if (const Value* e = o->if_contains("enum"); e && e->is_array()) n.enum_values = e;
    n.const_value = o->if_contains("const");
    if (const Value* p = o->if_contains("pattern"); p && p->is_string()) {
      auto it = impl_.patterns.find(std::string(p->get_string()));
      if (it != impl_.patterns.end()) {
        n.pattern = &it->second;
        n.pattern_text = it->first;
        n.pattern_id = pattern_ids_[&it->second];
      }
    }
    if (const Value* f = o->if_contains("format"); f && f->is_string()) {
      n.format_name = f->get_string();
      n.format = n.format_name == "date-time" ? Format::kDateTime
                 : n.format_name == "date"    ? Format::kDate
                 : n.format_name == "uri"     ? Format::kUri
                                              : Format::kOther;
    }
    if (const Value* req = o->if_contains("required"); req && req->is_array()) {
      for (const auto& r : req->get_array()) {
        if (r.is_string()) n.required.push_back(r.get_string());
      }
    }
    if (const Object* props = GetObject(*o, "properties")) {
      for (const auto& kv : *props) n.properties.emplace(kv.key(), Get(kv.value()));
    }
    if (const Value* a = o->if_contains("additionalProperties")) {
      if (a->is_bool()) {
        n.forbid_additional = !a->get_bool();
      } else if (a->is_object()) {
        n.additional = Get(*a);
      }
    }
    if (const Value* items = o->if_contains("items")) {
      if (items->is_array()) {
        n.items_tuple = true;
        for (const auto& e : items->get_array()) n.tuple.push_back(Get(e));
        if (const Value* extra = o->if_contains("additionalItems")) n.additional_items = Get(*extra);
      } else {
        n.items = Get(*items);
      }
    }
    if (const Value* m = o->if_contains("minItems"); m && IsNumber(*m)) n.min_items = m;
    if (const Value* m = o->if_contains("maxItems"); m && IsNumber(*m)) n.max_items = m;
    if (const Value* m = o->if_contains("minimum"); m && IsNumber(*m)) n.minimum = m;
    if (const Value* m = o->if_contains("maximum"); m && IsNumber(*m)) n.maximum = m;
    if (const Value* c = o->if_contains("contains")) {
      n.contains = Get(*c);
      n.contains_want = "a required item";
      if (c->is_object()) {
        if (const Value* e = c->get_object().if_contains("enum")) n.contains_want = Serialize(*e);
      }
    }
    auto list = [&](std::string_view key, std::vector<const Node*>& out) {
      if (const Value* l = o->if_contains(key); l && l->is_array()) {
        for (const auto& sub : l->get_array()) out.push_back(Get(sub));
      }
    };
    list("allOf", n.all_of);
    list("anyOf", n.any_of);
    list("oneOf", n.one_of);
    if (const Value* x = o->if_contains("not")) n.not_ = Get(*x);
    n.value_keywords_only = true;
    for (const auto& kv : *o) {
      std::string_view k = kv.key();
      if (k != "type" && k != "enum" && k != "pattern" && k != "const" && k != "format" &&
          k != "description" && k != "$comment") {
        n.value_keywords_only = false;
      }
    }
  }

  Schema::Impl& impl_;
  std::map<const std::regex*, uint32_t> pattern_ids_;
};

// The instance being checked: a value, or a single value standing for a
// one-element array (JSON-LD convention, see schema.h).
struct Inst {
  const Value* v;
  bool wrapped = false;

  bool is_array() const { return wrapped || v->is_array(); }
  bool is_object() const { return !wrapped && v->is_object(); }
  bool is_string() const { return !wrapped && v->is_string(); }
  bool is_number() const { return !wrapped && IsNumber(*v); }
  std::span<const Value> items() const {
    if (wrapped) return {v, 1};
    const Array& a = v->get_array();
    return {a.data(), a.size()};
  }
  std::string_view type_name() const { return wrapped ? "array" : TypeName(*v); }
  bool Equals(const Value& schema_value) const {
    if (!wrapped) return JsonEquals(schema_value, *v);
    const Array* a = schema_value.if_array();
    return a && a->size() == 1 && (*a)[0] == *v;
  }
  bool HasType(uint8_t types) const {
    if (wrapped) return types & kArray;
    if (types & kObject && v->is_object()) return true;
    if (types & kArray && v->is_array()) return true;
    if (types & kString && v->is_string()) return true;
    if (types & kBoolean && v->is_bool()) return true;
    if (types & kNull && v->is_null()) return true;
    if (types & kNumber && IsNumber(*v)) return true;
    if (types & kInteger) {
      if (v->is_int64() || v->is_uint64()) return true;
      return v->is_double() &&
             v->get_double() == static_cast<double>(static_cast<int64_t>(v->get_double()));
    }
    return false;
  }
};

bool FormatMatches(Format format, std::string_view s) {
  switch (format) {
    case Format::kDateTime:
      return ParseDateTime(s, {.require_offset = false}).ok();
    case Format::kDate:
      return s.size() == 10 && ParseDateTime(std::string(s) + "T00:00:00Z").ok();
    case Format::kUri: {
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
    default:
      return true;  // unknown formats are annotations (2019-09 §7.2)
  }
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

struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class Validator {
 public:
  Validator(const Schema::Impl& impl, size_t max_errors) : impl_(impl), max_errors_(max_errors) {}

  std::vector<SchemaError> errors;

  // Returns true when v is valid against n; records errors unless quiet.
  bool Check(const Node& n, Inst v, const Loc& path, bool quiet, int depth) {
    if (depth > Schema::Impl::kMaxDepth) return Fail(path, "instance nested too deeply", quiet);
    if (n.kind == Node::kBool) return n.bool_value || Fail(path, "no value is allowed here", quiet);
    if (n.kind == Node::kAny) return true;
    bool ok = true;
    if (n.has_ref) {
      if (!n.ref) return Fail(path, "schema reference cannot be resolved", quiet);
      ok &= Check(*n.ref, v, path, quiet, depth + 1);
      if (!ok && quiet) return false;
    }
    if (n.has_type) {
      if (n.wraps_array && !v.is_array()) {
        return Check(n, Inst{v.v, true}, path, quiet, depth + 1) && ok;
      }
      if (!v.HasType(n.types)) {
        return Fail(
            path, [&] { return "expected " + n.type_names + ", found " + std::string(v.type_name()); },
            quiet);
      }
    }
    if (n.enum_values) {
      bool found = false;
      for (const auto& ev : n.enum_values->get_array()) found = found || v.Equals(ev);
      if (!found) {
        ok = Fail(path, [&] { return "value is not one of " + Serialize(*n.enum_values); }, quiet) && ok;
      }
    }
    if (n.const_value && !v.Equals(*n.const_value)) {
      ok = Fail(path, [&] { return "value must be " + Serialize(*n.const_value); }, quiet) && ok;
    }
    // Quiet checks stop at the first failure: nothing is recorded anyway.
    if (!ok && quiet) return false;
    if (v.is_string()) ok = CheckString(n, v.v->get_string(), path, quiet) && ok;
    if (v.is_object()) ok = CheckObject(n, v.v->get_object(), path, quiet, depth) && ok;
    if (v.is_array()) ok = CheckArray(n, v.items(), path, quiet, depth) && ok;
    if (!ok && quiet) return false;
    if (v.is_number()) {
      double d = AsDouble(*v.v);
      if (n.minimum && d < AsDouble(*n.minimum)) {
        ok = Fail(path, [&] { return "value below minimum " + Serialize(*n.minimum); }, quiet) && ok;
      }
      if (n.maximum && d > AsDouble(*n.maximum)) {
        ok = Fail(path, [&] { return "value above maximum " + Serialize(*n.maximum); }, quiet) && ok;
      }
    }
    for (const Node* sub : n.all_of) {
      ok = Check(*sub, v, path, quiet, depth + 1) && ok;
      if (!ok && quiet) return false;
    }
    if (!n.any_of.empty()) {
      bool found = false;
      for (const Node* sub : n.any_of) {
        if (Check(*sub, v, path, true, depth + 1)) {
          found = true;
          break;
        }
      }
      if (!found) ok = Fail(path, "value matches none of the allowed shapes", quiet) && ok;
    }
    if (!n.one_of.empty()) {
      int matches = 0;
      for (const Node* sub : n.one_of) matches += Check(*sub, v, path, true, depth + 1) ? 1 : 0;
      if (matches != 1) {
        // Report the errors of the closest alternative for a useful message.
        if (!quiet && matches == 0 && v.is_object()) {
          for (const Node* sub : n.one_of) {
            if (sub->has_ref) {
              Check(*sub, v, path, false, depth + 1);
              return false;
            }
          }
        }
        bool value_only = matches == 0 && AllAlternativesAcceptType(n.one_of, v);
        ok = Fail(path,
                  value_only       ? "value is neither a listed value nor a permitted extension"
                  : matches == 0 ? "value matches none of the allowed shapes"
                                 : "value matches more than one exclusive shape",
                  quiet, value_only) && ok;
      }
    }
    if (n.not_ && Check(*n.not_, v, path, true, depth + 1)) {
      ok = Fail(path, "value matches a forbidden shape", quiet) && ok;
    }
    return ok;
  }

 private:
  // Records an error unless quiet; the message is built only then (quiet
  // checks of anyOf/oneOf alternatives fail often).
  template <typename Message>
  bool Fail(const Loc& path, Message&& message, bool quiet, bool value_only = false) {
    if (!quiet && errors.size() < max_errors_) {
      std::string text;
      if constexpr (std::is_invocable_v<Message>) {
        text = message();
      } else {
        text = message;
      }
      errors.push_back({path.ToPath().str(), std::move(text), value_only});
    }
    return false;
  }

  // True when every alternative accepts v's JSON type, so a failure to
  // match any of them is about the value, not the shape.
  static bool AllAlternativesAcceptType(const std::vector<const Node*>& alternatives, Inst v) {
    for (const Node* alt : alternatives) {
      if (!alt->single_string_type || !alt->value_keywords_only || !v.HasType(alt->types)) {
        return false;
      }
    }
    return !alternatives.empty();
  }

  // Credentials repeat the same values (context URLs, language codes), so
  // verdicts are memoized per thread; std::regex is slow.
  bool PatternMatches(const Node& n, std::string_view s) const {
    using Verdicts = std::unordered_map<std::string, bool, StringViewHash, std::equal_to<>>;
    thread_local std::unordered_map<uint64_t, Verdicts> memo;
    Verdicts& verdicts = memo[impl_.id << 32 | n.pattern_id];
    if (auto it = verdicts.find(s); it != verdicts.end()) return it->second;
    bool match = std::regex_search(s.begin(), s.end(), *n.pattern);
    if (verdicts.size() > 4096) verdicts.clear();
    verdicts.emplace(std::string(s), match);
    return match;
  }

  bool CheckString(const Node& n, std::string_view s, const Loc& path, bool quiet) {
    bool ok = true;
    if (n.pattern) {
      // libstdc++'s std::regex recurses per character: bound the input.
      if (s.size() > 2048) {
        ok = Fail(path, "value too long", quiet);
      } else if (!PatternMatches(n, s)) {
        ok = Fail(
            path, [&] { return "value does not match the pattern " + std::string(n.pattern_text); },
            quiet);
      }
    }
    if (n.format != Format::kNone && !FormatMatches(n.format, s)) {
      ok = Fail(path, [&] { return "value is not a valid " + std::string(n.format_name); }, quiet) && ok;
    }
    return ok;
  }

  bool CheckObject(const Node& n, const Object& v, const Loc& path, bool quiet, int depth) {
    bool ok = true;
    for (std::string_view r : n.required) {
      if (!v.contains(r)) ok = Fail(path.Key(r), "required property is missing", quiet) && ok;
    }
    bool any_props = !n.properties.empty();
    for (const auto& kv : v) {
      const Node* sub = nullptr;
      if (any_props) {
        if (auto it = n.properties.find(kv.key()); it != n.properties.end()) sub = it->second;
      }
      if (sub) {
        ok = Check(*sub, Inst{&kv.value()}, path.Key(kv.key()), quiet, depth + 1) && ok;
      } else if (n.forbid_additional) {
        ok = Fail(path.Key(kv.key()), "property is not allowed here", quiet) && ok;
      } else if (n.additional) {
        ok = Check(*n.additional, Inst{&kv.value()}, path.Key(kv.key()), quiet, depth + 1) && ok;
      }
      if (!ok && quiet) return false;
    }
    return ok;
  }

  bool CheckArray(const Node& n, std::span<const Value> a, const Loc& path, bool quiet,
                  int depth) {
    bool ok = true;
    auto at = [&](size_t i) { return path.Index(i); };
    if (n.min_items && static_cast<double>(a.size()) < AsDouble(*n.min_items)) {
      ok = Fail(path, [&] { return "needs at least " + Serialize(*n.min_items) + " item(s)"; }, quiet) && ok;
    }
    if (n.max_items && static_cast<double>(a.size()) > AsDouble(*n.max_items)) {
      ok = Fail(path, [&] { return "allows at most " + Serialize(*n.max_items) + " item(s)"; }, quiet) && ok;
    }
    if (n.items_tuple) {
      for (size_t i = 0; i < a.size(); ++i) {
        if (i < n.tuple.size()) {
          ok = Check(*n.tuple[i], Inst{&a[i]}, at(i), quiet, depth + 1) && ok;
        } else if (n.additional_items) {
          ok = Check(*n.additional_items, Inst{&a[i]}, at(i), quiet, depth + 1) && ok;
        }
      }
    } else if (n.items) {
      for (size_t i = 0; i < a.size(); ++i) {
        ok = Check(*n.items, Inst{&a[i]}, at(i), quiet, depth + 1) && ok;
      }
    }
    if (n.contains) {
      bool found = false;
      for (const auto& e : a) found = found || Check(*n.contains, Inst{&e}, path, true, depth + 1);
      if (!found) ok = Fail(path, [&] { return "must contain " + n.contains_want; }, quiet) && ok;
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
  static std::atomic<uint64_t> next_id{1};
  auto impl = std::make_unique<Impl>();
  CREDSTACK_RETURN_IF_ERROR(CheckKeywords(document, impl->patterns, 0));
  impl->doc = std::move(document);
  impl->id = next_id++;
  impl->root = Compiler(*impl).Get(impl->doc);
  return std::shared_ptr<const Schema>(new Schema(std::move(impl)));
}

std::vector<SchemaError> Schema::Validate(const Value& instance, size_t max_errors) const {
  Validator v(*impl_, max_errors);
  v.Check(*impl_->root, Inst{&instance}, Loc{}, false, 0);
  return std::move(v.errors);
}

}  // namespace credstack::json
