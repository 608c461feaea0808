// JSON-LD 1.1 API (W3C REC 2020-07-16) §5.1 Expansion Algorithm and §5.3
// Value Expansion. Step numbers refer to §5.1.2 unless noted.

#include "credstack/ld/internal/expand.h"

#include <algorithm>
#include <string>
#include <vector>

#include "credstack/ld/internal/iri.h"

namespace credstack::ld::internal {
namespace {

using Prop =
    std::optional<std::string_view>;  // active property; nullopt = null

std::string Quote(std::string_view s) {
  std::string out = "\"";
  out.append(s.substr(0, 200));
  if (s.size() > 200) out.append("...");
  out.push_back('"');
  return out;
}

bool IsScalar(const json::Value& v) {
  return v.is_string() || v.is_number() || v.is_bool();
}

bool IsNodeObject(const json::Value& v) {
  const json::Object* o = v.if_object();
  return o && !o->contains("@value") && !o->contains("@list") &&
         !o->contains("@set");
}

// An entry of a map with its key IRI-expanded (vocab-relative) against one
// active context, so that steps 7, 11 and 13 look each key up once.
struct KeyInfo {
  const TermDefinition* def = nullptr;
  std::optional<std::string_view> expanded;
  std::string scratch;
};

void ExpandKeys(const ActiveContext& ctx, const json::Object& obj,
                std::vector<KeyInfo>& keys) {
  keys.resize(obj.size());
  size_t i = 0;
  for (const auto& kv : obj) {
    std::string_view key = kv.key();
    KeyInfo& k = keys[i++];
    k.def = (!key.empty() && key[0] == '@' && IsKeyword(key)) ? nullptr
                                                              : ctx.Find(key);
    k.expanded = ExpandIriWithDef(ctx, key, k.def, {.vocab = true}, k.scratch);
  }
}

class Expander {
 public:
  Expander(const JsonLdOptions& options, Budget& budget, ContextProcessor& cp,
           boost::json::storage_ptr sp)
      : options_(options), budget_(budget), cp_(cp), sp_(std::move(sp)) {}

  // def_hint, when set, points to ctx->Find(*prop) already looked up.
  Result<json::Value> Expand(ContextPtr ctx, Prop prop,
                             const json::Value& element,
                             std::string_view base_url, bool from_map,
                             size_t depth,
                             const TermDefinition* const* def_hint = nullptr);

 private:
  // Steps 13 and 14 for one element (the node itself or a nested value).
  Status ExpandEntries(const ContextPtr& ctx, const ContextPtr& type_scoped_ctx,
                       Prop prop, const json::Object& element,
                       const std::vector<KeyInfo>* keys, json::Object& result,
                       const std::optional<std::string>& input_type,
                       std::string_view base_url, size_t depth);
  Result<json::Value> ExpandValue(const ActiveContext& ctx,
                                  const TermDefinition* def,
                                  const json::Value& value);
  Result<ContextPtr> ApplyScoped(const ContextPtr& ctx,
                                 const TermDefinition& def,
                                 ProcessFlags flags) {
    return cp_.Process(ctx, *def.local_context, def.local_context, def.base_url,
                       flags);
  }
  json::Value Str(std::string_view s) { return json::Value(s, sp_); }
  json::Array AsArray(json::Value v) {
    if (v.is_array()) return std::move(v.as_array());
    json::Array a(sp_);
    a.push_back(std::move(v));
    return a;
  }
  // "add value" with `as array` true (JSON-LD 1.1 API §1.4.1 / §5.1.2).
  void AddValue(json::Object& obj, std::string_view key, json::Value v) {
    json::Value& slot = obj[key];
    if (!slot.is_array()) {
      json::Array a(sp_);
      if (!slot.is_null()) a.push_back(std::move(slot));
      slot = std::move(a);
    }
    json::Array& arr = slot.as_array();
    if (v.is_array()) {
      for (json::Value& x : v.as_array()) arr.push_back(std::move(x));
    } else {
      arr.push_back(std::move(v));
    }
  }
  Status Unsafe(std::string_view event, std::string_view detail) {
    return SafeModeError(event, detail);
  }

  const JsonLdOptions& options_;
  Budget& budget_;
  ContextProcessor& cp_;
  boost::json::storage_ptr sp_;
};

Result<json::Value> Expander::Expand(ContextPtr ctx, Prop prop,
                                     const json::Value& element,
                                     std::string_view base_url, bool from_map,
                                     size_t depth,
                                     const TermDefinition* const* def_hint) {
  if (depth > budget_.limits->max_depth) {
    return ResourceExhaustedError("JSON-LD expansion exceeds max_depth (" +
                                  std::to_string(budget_.limits->max_depth) +
                                  ")");
  }
  // Step 1.
  if (element.is_null()) return json::Value(sp_);
  // Step 3.
  const TermDefinition* prop_def = def_hint ? *def_hint
                                   : prop   ? ctx->Find(*prop)
                                            : nullptr;
  const bool property_scoped = prop_def && prop_def->local_context;

  // Step 4.
  if (!element.is_array() && !element.is_object()) {
    if (!prop || *prop == "@graph") {
      if (options_.safe_mode) {
        return Unsafe("free-floating scalar",
                      "value " + json::Serialize(element).substr(0, 200) +
                          " is not the value of any property");
      }
      return json::Value(sp_);
    }
    if (property_scoped) {
      CREDSTACK_ASSIGN_OR_RETURN(ctx, ApplyScoped(ctx, *prop_def, {}));
      prop_def = ctx->Find(*prop);
    }
    return ExpandValue(*ctx, prop_def, element);
  }

  // Step 5.
  if (const json::Array* arr = element.if_array()) {
    json::Array result(sp_);
    result.reserve(arr->size());
    const bool list_container =
        prop_def && prop_def->HasContainer(kContainerList);
    for (const json::Value& item : *arr) {
      CREDSTACK_ASSIGN_OR_RETURN(
          json::Value expanded,
          Expand(ctx, prop, item, base_url, from_map, depth + 1, &prop_def));
      if (list_container && expanded.is_array()) {
        json::Object list(sp_);
        list.emplace("@list", std::move(expanded));
        expanded = std::move(list);
      }
      if (expanded.is_array()) {
        for (json::Value& x : expanded.as_array())
          result.push_back(std::move(x));
      } else if (!expanded.is_null()) {
        result.push_back(std::move(expanded));
      }
    }
    return json::Value(std::move(result));
  }

  // Step 6.
  const json::Object& obj = element.as_object();
  CREDSTACK_RETURN_IF_ERROR(budget_.CountValue());

  std::vector<KeyInfo> keys;
  const ActiveContext* keys_ctx = nullptr;
  // Step 7: a term-scoped context does not apply to new node objects.
  if (ctx->previous && !from_map) {
    bool keep = false;
    size_t id_keys = 0;
    ExpandKeys(*ctx, obj, keys);
    keys_ctx = ctx.get();
    for (const KeyInfo& k : keys) {
      if (k.expanded && *k.expanded == "@value") keep = true;
      if (k.expanded && *k.expanded == "@id") ++id_keys;
    }
    if (obj.size() == 1 && id_keys == 1) keep = true;
    if (!keep) ctx = ctx->previous;
  }
  // Step 8.
  if (property_scoped) {
    CREDSTACK_ASSIGN_OR_RETURN(
        ctx, ApplyScoped(ctx, *prop_def, {.override_protected = true}));
  }
  // Step 9.
  if (const json::Value* local = obj.if_contains("@context")) {
    CREDSTACK_ASSIGN_OR_RETURN(ctx,
                               cp_.Process(ctx, *local, nullptr, base_url, {}));
  }
  // Step 10.
  const ContextPtr type_scoped_ctx = ctx;
  // Step 11 (and the key found for step 12).
  std::vector<std::string_view> type_keys;
  if (keys_ctx != ctx.get()) {
    ExpandKeys(*ctx, obj, keys);
    keys_ctx = ctx.get();
  }
  {
    size_t i = 0;
    for (const auto& kv : obj) {
      const KeyInfo& k = keys[i++];
      if (k.expanded && *k.expanded == "@type") type_keys.push_back(kv.key());
    }
  }
  std::sort(type_keys.begin(), type_keys.end());
  for (std::string_view key : type_keys) {
    const json::Value& v = obj.at(key);
    std::vector<std::string_view> terms;
    if (v.is_string()) terms.push_back(v.get_string());
    if (const json::Array* a = v.if_array()) {
      for (const json::Value& t : *a) {
        if (t.is_string()) terms.push_back(t.get_string());
      }
    }
    std::sort(terms.begin(), terms.end());
    for (std::string_view term : terms) {
      const TermDefinition* def = type_scoped_ctx->Find(term);
      if (def && def->local_context) {
        CREDSTACK_ASSIGN_OR_RETURN(
            ctx, ApplyScoped(ctx, *def, {.propagate = false}));
      }
    }
  }
  // Step 12.
  json::Object result(sp_);
  result.reserve(obj.size());
  std::optional<std::string> input_type;
  if (!type_keys.empty()) {
    const json::Value& v = obj.at(type_keys.front());
    const json::Value* last = &v;
    if (const json::Array* a = v.if_array())
      last = a->empty() ? nullptr : &a->back();
    if (last && last->is_string()) {
      input_type = ExpandIri(*ctx, last->get_string(), {.vocab = true});
    }
  }
  // Steps 13 and 14.
  CREDSTACK_RETURN_IF_ERROR(ExpandEntries(
      ctx, type_scoped_ctx, prop, obj, keys_ctx == ctx.get() ? &keys : nullptr,
      result, input_type, base_url, depth));

  // Step 15.
  if (const json::Value* value = result.if_contains("@value")) {
    for (const auto& kv : result) {
      std::string_view k = kv.key();
      if (k != "@direction" && k != "@index" && k != "@language" &&
          k != "@type" && k != "@value") {
        return LdError("invalid value object",
                       "value object has entry " + Quote(k));
      }
    }
    const json::Value* type = result.if_contains("@type");
    if (type &&
        (result.contains("@language") || result.contains("@direction"))) {
      return LdError("invalid value object",
                     "value object has @type and @language/@direction");
    }
    if (type && type->is_string() && type->get_string() == "@json") {
      // Step 15.2: a JSON literal may hold any value.
    } else if (value->is_null() ||
               (value->is_array() && value->as_array().empty())) {
      if (options_.safe_mode)
        return Unsafe("null @value value", "value object with null @value");
      return json::Value(sp_);  // step 15.3
    } else if (!value->is_string() && result.contains("@language")) {
      return LdError("invalid language-tagged value",
                     "@language on a non-string @value");
    } else if (type &&
               (!type->is_string() || !IsAbsoluteIri(type->get_string()) ||
                IsBlankNodeId(type->get_string()))) {
      return LdError("invalid typed value",
                     "@type of a value object must be an IRI");
    }
  } else if (json::Value* type = result.if_contains("@type")) {  // step 16
    if (!type->is_array()) *type = json::Value(AsArray(std::move(*type)));
  } else if (result.contains("@set") || result.contains("@list")) {  // step 17
    if (result.size() > 2 ||
        (result.size() == 2 && !result.contains("@index"))) {
      return LdError("invalid set or list object",
                     "@set/@list with other entries");
    }
    if (json::Value* set = result.if_contains("@set")) {
      json::Value inner = std::move(*set);
      return inner;
    }
  }
  // Step 18.
  if (result.size() == 1 && result.contains("@language")) {
    if (options_.safe_mode) {
      return Unsafe("object with only @language",
                    "an object holding only @language");
    }
    return json::Value(sp_);
  }
  // Step 19: drop free-floating values. Safe mode also refuses what
  // jsonld.js's safe mode refuses for @graph containers.
  const bool top = !prop || *prop == "@graph";
  const bool graph_container =
      prop_def && prop_def->HasContainer(kContainerGraph);
  if (top || (graph_container && options_.safe_mode)) {
    const char* event = nullptr;
    if (result.empty()) {
      event = "empty object";
    } else if (result.contains("@value")) {
      event = "object with only @value";
    } else if (result.contains("@list")) {
      event = "object with only @list";
    } else if (result.size() == 1 && result.contains("@id")) {
      event = "object with only @id";
    }
    if (event) {
      if (options_.safe_mode) {
        return Unsafe(event,
                      "a free-floating object whose data would be dropped");
      }
      return json::Value(sp_);
    }
  }
  return json::Value(std::move(result));
}

Status Expander::ExpandEntries(const ContextPtr& ctx,
                               const ContextPtr& type_scoped_ctx, Prop prop,
                               const json::Object& element,
                               const std::vector<KeyInfo>* keys,
                               json::Object& result,
                               const std::optional<std::string>& input_type,
                               std::string_view base_url, size_t depth) {
  const bool mode10 = options_.processing_mode_1_0;
  const bool json_input = input_type && *input_type == "@json";
  std::vector<std::string_view> nests;
  size_t index = 0;
  for (const auto& kv : element) {
    std::string_view key = kv.key();
    const json::Value& value = kv.value();
    const KeyInfo* precomputed = keys ? &(*keys)[index] : nullptr;
    ++index;
    // Step 13.1.
    if (key == "@context") continue;
    // Step 13.2 (and the term definition for step 13.5).
    KeyInfo local;
    if (!precomputed) {
      local.def = (!key.empty() && key[0] == '@' && IsKeyword(key))
                      ? nullptr
                      : ctx->Find(key);
      local.expanded = ExpandIriWithDef(*ctx, key, local.def, {.vocab = true},
                                        local.scratch);
      precomputed = &local;
    }
    const TermDefinition* def = precomputed->def;
    const std::optional<std::string_view>& expanded_property =
        precomputed->expanded;
    // Step 13.3.
    if (!expanded_property ||
        (expanded_property->find(':') == std::string_view::npos &&
         !IsKeyword(*expanded_property))) {
      if (options_.safe_mode) {
        return Unsafe(
            "invalid property",
            "property " + Quote(key) + " does not expand to an absolute IRI");
      }
      continue;
    }
    const std::string_view ep = *expanded_property;
    const bool absolute = (def && ep.data() == def->iri.data())
                              ? def->iri_absolute
                              : IsAbsoluteIri(ep);
    if (options_.safe_mode && !absolute && !IsKeyword(ep)) {
      return Unsafe("invalid property",
                    "property " + Quote(key) + " expands to " + Quote(ep));
    }
    CREDSTACK_RETURN_IF_ERROR(budget_.CheckString(ep));

    // Step 13.4.
    if (IsKeyword(ep)) {
      if (prop && *prop == "@reverse") {  // step 13.4.1
        return LdError("invalid reverse property map",
                       "keyword " + Quote(ep) + " inside @reverse");
      }
      if (result.contains(ep) && !(ep == "@included" || ep == "@type") &&
          !mode10) {
        return LdError("colliding keywords",
                       "two entries expand to " + std::string(ep));
      }
      if (result.contains(ep) && mode10 && ep != "@type") {
        return LdError("colliding keywords",
                       "two entries expand to " + std::string(ep));
      }
      json::Value expanded_value(sp_);
      if (ep == "@id") {  // step 13.4.3
        if (!value.is_string())
          return LdError("invalid @id value", "@id must be a string");
        std::string id_scratch;
        std::optional<std::string_view> id = ExpandIriView(
            *ctx, value.get_string(), {.document_relative = true}, id_scratch);
        if (!id) {
          if (options_.safe_mode) {
            return Unsafe("reserved @id value",
                          "@id " + Quote(value.get_string()));
          }
          // A keyword-like @id expands to null; the node keeps "@id": null
          // (and so never becomes an RDF subject or object).
          result["@id"] = nullptr;
          continue;
        } else {
          if (options_.safe_mode && !IsAbsoluteIri(*id)) {
            return Unsafe(
                "relative @id reference",
                "@id " + Quote(value.get_string()) + " is not an absolute IRI");
          }
          CREDSTACK_RETURN_IF_ERROR(budget_.CheckString(*id));
          expanded_value = Str(*id);
        }
      } else if (ep == "@type") {  // step 13.4.4
        std::string type_scratch;
        auto expand_type = [&](std::string_view t) -> Result<json::Value> {
          const TermDefinition* tdef =
              (!t.empty() && t[0] == '@' && IsKeyword(t))
                  ? nullptr
                  : type_scoped_ctx->Find(t);
          std::optional<std::string_view> e = ExpandIriWithDef(
              *type_scoped_ctx, t, tdef,
              {.document_relative = true, .vocab = true}, type_scratch);
          if (!e) {
            if (options_.safe_mode) {
              return Unsafe("relative @type reference", "@type " + Quote(t));
            }
            return json::Value(sp_);
          }
          const bool absolute = (tdef && e->data() == tdef->iri.data())
                                    ? tdef->iri_absolute
                                    : IsAbsoluteIri(*e);
          if (options_.safe_mode && !absolute && *e != "@json") {
            return Unsafe(
                "relative @type reference",
                "@type " + Quote(t) + " does not expand to an absolute IRI");
          }
          CREDSTACK_RETURN_IF_ERROR(budget_.CheckString(*e));
          return Str(*e);
        };
        if (value.is_string()) {
          CREDSTACK_ASSIGN_OR_RETURN(expanded_value,
                                     expand_type(value.get_string()));
        } else if (const json::Array* a = value.if_array()) {
          json::Array types(sp_);
          for (const json::Value& t : *a) {
            if (!t.is_string()) {
              return LdError("invalid type value",
                             "@type must be a string or array of strings");
            }
            CREDSTACK_ASSIGN_OR_RETURN(json::Value e,
                                       expand_type(t.get_string()));
            if (!e.is_null()) types.push_back(std::move(e));
          }
          expanded_value = std::move(types);
        } else {
          return LdError("invalid type value",
                         "@type must be a string or array of strings");
        }
        if (json::Value* existing =
                result.if_contains("@type")) {  // step 13.4.4.5
          json::Array merged = AsArray(std::move(*existing));
          json::Array add = AsArray(std::move(expanded_value));
          for (json::Value& x : add) merged.push_back(std::move(x));
          expanded_value = std::move(merged);
        }
      } else if (ep == "@graph") {  // step 13.4.5
        CREDSTACK_ASSIGN_OR_RETURN(
            json::Value g,
            Expand(ctx, "@graph", value, base_url, false, depth + 1));
        if (g.is_null()) {
          expanded_value = json::Array(sp_);
        } else {
          expanded_value = AsArray(std::move(g));
        }
      } else if (ep == "@included") {  // step 13.4.6
        if (mode10) continue;
        // "@included" as active property keeps scalars and value objects
        // (instead of dropping them as free-floating) so they are refused.
        CREDSTACK_ASSIGN_OR_RETURN(
            json::Value inc,
            Expand(ctx, "@included", value, base_url, false, depth + 1));
        json::Array items =
            inc.is_null() ? json::Array(sp_) : AsArray(std::move(inc));
        for (const json::Value& x : items) {
          if (!IsNodeObject(x)) {
            return LdError("invalid @included value",
                           "@included must hold node objects");
          }
        }
        if (json::Value* existing = result.if_contains("@included")) {
          json::Array merged = AsArray(std::move(*existing));
          for (json::Value& x : items) merged.push_back(std::move(x));
          items = std::move(merged);
        }
        expanded_value = std::move(items);
      } else if (ep == "@value") {  // step 13.4.7
        if (json_input) {
          if (mode10)
            return LdError("invalid value object value",
                           "@json in json-ld-1.0");
          expanded_value = json::Value(value, sp_);
        } else if (!value.is_null() && !IsScalar(value)) {
          return LdError("invalid value object value",
                         "@value must be a scalar or null");
        } else {
          expanded_value = json::Value(value, sp_);
          if (value.is_string())
            CREDSTACK_RETURN_IF_ERROR(budget_.CheckString(value.get_string()));
        }
        if (expanded_value.is_null()) {
          result["@value"] = nullptr;
          continue;
        }
      } else if (ep == "@language") {  // step 13.4.8
        if (!value.is_string()) {
          return LdError("invalid language-tagged string",
                         "@language must be a string");
        }
        std::string_view lang = value.get_string();
        if (options_.safe_mode && !IsWellFormedLanguage(lang)) {
          return Unsafe("invalid @language value", "@language " + Quote(lang));
        }
        expanded_value = Str(AsciiLower(lang));
      } else if (ep == "@direction") {  // step 13.4.9
        if (mode10) continue;
        if (!value.is_string() ||
            (value.get_string() != "ltr" && value.get_string() != "rtl")) {
          return LdError("invalid base direction",
                         "@direction must be \"ltr\" or \"rtl\"");
        }
        expanded_value = json::Value(value, sp_);
      } else if (ep == "@index") {  // step 13.4.10
        if (!value.is_string())
          return LdError("invalid @index value", "@index must be a string");
        expanded_value = json::Value(value, sp_);
      } else if (ep == "@list") {  // step 13.4.11
        if (!prop || *prop == "@graph") {
          if (options_.safe_mode) {
            return Unsafe("object with only @list",
                          "a free-floating @list is dropped");
          }
          continue;
        }
        CREDSTACK_ASSIGN_OR_RETURN(
            json::Value l,
            Expand(ctx, prop, value, base_url, false, depth + 1));
        expanded_value = l.is_null() ? json::Value(json::Array(sp_))
                                     : json::Value(AsArray(std::move(l)));
      } else if (ep == "@set") {  // step 13.4.12
        CREDSTACK_ASSIGN_OR_RETURN(
            expanded_value,
            Expand(ctx, prop, value, base_url, false, depth + 1));
      } else if (ep == "@reverse") {  // step 13.4.13
        if (!value.is_object()) {
          return LdError("invalid @reverse value",
                         "@reverse must be an object");
        }
        CREDSTACK_ASSIGN_OR_RETURN(
            json::Value rev,
            Expand(ctx, "@reverse", value, base_url, false, depth + 1));
        if (json::Object* r = rev.if_object()) {
          if (json::Value* twice = r->if_contains("@reverse")) {
            if (json::Object* t = twice->if_object()) {
              for (auto& p : *t)
                AddValue(result, p.key(), std::move(p.value()));
            }
          }
          for (auto& p : *r) {
            if (p.key() == "@reverse") continue;
            json::Value& rm = result["@reverse"];
            if (!rm.is_object()) rm = json::Object(sp_);
            for (json::Value& item : AsArray(std::move(p.value()))) {
              if (IsValueObject(item) || IsListObject(item)) {
                return LdError(
                    "invalid reverse property value",
                    "a reverse property value must be a node object");
              }
              AddValue(rm.as_object(), p.key(), std::move(item));
            }
          }
        }
        continue;
      } else if (ep == "@nest") {  // step 13.4.14
        nests.push_back(key);
        continue;
      } else {
        // Other keywords (@context handled above; framing keywords are not
        // supported) carry no data.
        continue;
      }
      // Step 13.4.16.
      if (!expanded_value.is_null() || (ep == "@value" && json_input)) {
        result[ep] = std::move(expanded_value);
      }
      continue;
    }

    // Step 13.5.
    const uint8_t container = def ? def->container : 0;
    json::Value expanded_value(sp_);
    if (def && def->has_type && def->type_mapping == "@json") {  // step 13.6
      json::Object v(sp_);
      v.emplace("@value", json::Value(value, sp_));
      v.emplace("@type", "@json");
      expanded_value = std::move(v);
    } else if ((container & kContainerLanguage) &&
               value.is_object()) {  // step 13.7
      json::Array out(sp_);
      std::optional<std::string> direction = ctx->direction;
      if (def->has_direction) direction = def->direction;
      for (const auto& lv : value.as_object()) {
        std::string_view language = lv.key();
        std::optional<std::string> el =
            ExpandIri(*ctx, language, {.vocab = true});
        const bool none = language == "@none" || (el && *el == "@none");
        if (options_.safe_mode && !none && !IsWellFormedLanguage(language)) {
          return Unsafe("invalid @language value",
                        "language map key " + Quote(language));
        }
        auto add = [&](const json::Value& item) -> Status {
          if (item.is_null()) return OkStatus();
          if (!item.is_string()) {
            return LdError("invalid language map value",
                           "language map values must be strings");
          }
          CREDSTACK_RETURN_IF_ERROR(budget_.CountValue());
          json::Object v(sp_);
          v.emplace("@value", json::Value(item, sp_));
          if (!none) v.emplace("@language", Str(AsciiLower(language)));
          if (direction) v.emplace("@direction", Str(*direction));
          out.push_back(std::move(v));
          return OkStatus();
        };
        if (const json::Array* a = lv.value().if_array()) {
          for (const json::Value& item : *a)
            CREDSTACK_RETURN_IF_ERROR(add(item));
        } else {
          CREDSTACK_RETURN_IF_ERROR(add(lv.value()));
        }
      }
      expanded_value = std::move(out);
    } else if ((container &
                (kContainerIndex | kContainerType | kContainerId)) &&
               value.is_object()) {  // step 13.8
      json::Array out(sp_);
      const std::string index_key = def->index ? *def->index : "@index";
      for (const auto& iv : value.as_object()) {
        std::string_view index = iv.key();
        ContextPtr map_ctx = ctx;
        if (container & (kContainerId | kContainerType)) {
          if (ctx->previous) map_ctx = ctx->previous;
          if (container & kContainerType) {
            const TermDefinition* idef = map_ctx->Find(index);
            if (idef && idef->local_context) {
              CREDSTACK_ASSIGN_OR_RETURN(map_ctx,
                                         ApplyScoped(map_ctx, *idef, {}));
            }
          }
        }
        std::optional<std::string> expanded_index =
            ExpandIri(*ctx, index, {.vocab = true});
        const bool index_none = expanded_index && *expanded_index == "@none";
        json::Value items(sp_);
        if (iv.value().is_array()) {
          CREDSTACK_ASSIGN_OR_RETURN(items, Expand(map_ctx, key, iv.value(),
                                                   base_url, true, depth + 1));
        } else {
          json::Array one;
          one.push_back(iv.value());
          CREDSTACK_ASSIGN_OR_RETURN(
              items, Expand(map_ctx, key, json::Value(std::move(one)), base_url,
                            true, depth + 1));
        }
        if (items.is_null()) continue;
        for (json::Value& item : AsArray(std::move(items))) {
          if ((container & kContainerGraph) && !IsGraphObject(item)) {
            json::Object g(sp_);
            g.emplace("@graph", AsArray(std::move(item)));
            item = std::move(g);
          }
          json::Object* io = item.if_object();
          if (!io) continue;
          if ((container & kContainerIndex) && index_key != "@index" &&
              !index_none) {
            CREDSTACK_ASSIGN_OR_RETURN(
                json::Value re_expanded,
                ExpandValue(*ctx, ctx->Find(index_key), Str(index)));
            std::optional<std::string> eik =
                ExpandIri(*ctx, index_key, {.vocab = true});
            if (!eik) continue;
            json::Array values(sp_);
            values.push_back(std::move(re_expanded));
            if (json::Value* existing = io->if_contains(*eik)) {
              for (json::Value& x : AsArray(std::move(*existing)))
                values.push_back(std::move(x));
            }
            (*io)[*eik] = std::move(values);
            if (IsValueObject(item)) {
              return LdError("invalid value object",
                             "index map value with property-valued index is a "
                             "value object");
            }
          } else if ((container & kContainerIndex) && !io->contains("@index") &&
                     !index_none) {
            io->emplace("@index", Str(index));
          } else if ((container & kContainerId) && !io->contains("@id") &&
                     !index_none) {
            std::optional<std::string> id =
                ExpandIri(*ctx, index, {.document_relative = true});
            if (id) {
              if (options_.safe_mode && !IsAbsoluteIri(*id)) {
                return Unsafe("relative @id reference",
                              "id map key " + Quote(index));
              }
              io->emplace("@id", Str(*id));
            }
          } else if ((container & kContainerType) && !index_none &&
                     expanded_index) {
            json::Array types(sp_);
            types.push_back(Str(*expanded_index));
            if (json::Value* existing = io->if_contains("@type")) {
              for (json::Value& x : AsArray(std::move(*existing)))
                types.push_back(std::move(x));
            }
            (*io)["@type"] = std::move(types);
          }
          out.push_back(std::move(item));
        }
      }
      expanded_value = std::move(out);
    } else {  // step 13.9
      CREDSTACK_ASSIGN_OR_RETURN(
          expanded_value,
          Expand(ctx, key, value, base_url, false, depth + 1, &def));
    }
    // Step 13.10.
    if (expanded_value.is_null()) continue;
    // Step 13.11.
    if ((container & kContainerList) && !IsListObject(expanded_value)) {
      json::Object list(sp_);
      list.emplace("@list", AsArray(std::move(expanded_value)));
      expanded_value = std::move(list);
    }
    // Step 13.12.
    if ((container & kContainerGraph) &&
        !(container & (kContainerId | kContainerIndex))) {
      json::Array graphs(sp_);
      for (json::Value& ev : AsArray(std::move(expanded_value))) {
        json::Object g(sp_);
        g.emplace("@graph", AsArray(std::move(ev)));
        graphs.push_back(std::move(g));
      }
      expanded_value = std::move(graphs);
    }
    // Steps 13.13 and 13.14.
    if (def && def->reverse) {
      json::Value& rm = result["@reverse"];
      if (!rm.is_object()) rm = json::Object(sp_);
      for (json::Value& item : AsArray(std::move(expanded_value))) {
        if (IsValueObject(item) || IsListObject(item)) {
          return LdError("invalid reverse property value",
                         "reverse property " + Quote(key) +
                             " has a literal or list value");
        }
        AddValue(rm.as_object(), ep, std::move(item));
      }
    } else {
      AddValue(result, ep, std::move(expanded_value));
    }
  }

  // Step 14.
  std::sort(nests.begin(), nests.end());
  for (std::string_view nesting_key : nests) {
    const json::Value& nv = element.at(nesting_key);
    std::span<const json::Value> nested(&nv, 1);
    if (const json::Array* a = nv.if_array())
      nested = std::span(a->data(), a->size());
    for (const json::Value& n : nested) {
      const json::Object* no = n.if_object();
      bool bad = !no;
      if (no) {
        for (const auto& kv : *no) {
          std::optional<std::string> e =
              ExpandIri(*ctx, kv.key(), {.vocab = true});
          if (e && *e == "@value") bad = true;
        }
      }
      if (bad)
        return LdError("invalid @nest value",
                       "nested value must be a node object");
      // A nesting term's scoped context applies to the nested entries (as in
      // jsonld.js and the 1.1 test suite).
      ContextPtr nest_ctx = ctx;
      if (const TermDefinition* ndef = ctx->Find(nesting_key);
          ndef && ndef->local_context) {
        CREDSTACK_ASSIGN_OR_RETURN(
            nest_ctx, ApplyScoped(ctx, *ndef, {.override_protected = true}));
      }
      if (depth + 1 > budget_.limits->max_depth) {
        return ResourceExhaustedError("JSON-LD expansion exceeds max_depth");
      }
      CREDSTACK_RETURN_IF_ERROR(ExpandEntries(nest_ctx, type_scoped_ctx, prop,
                                              *no, nullptr, result, input_type,
                                              base_url, depth + 1));
    }
  }
  return OkStatus();
}

// §5.3.2 Value Expansion.
Result<json::Value> Expander::ExpandValue(const ActiveContext& ctx,
                                          const TermDefinition* def,
                                          const json::Value& value) {
  CREDSTACK_RETURN_IF_ERROR(budget_.CountValue());
  json::Object result(sp_);
  if (def && def->has_type && value.is_string() &&
      (def->type_mapping == "@id" ||
       def->type_mapping == "@vocab")) {  // steps 1, 2
    std::string scratch;
    std::optional<std::string_view> id = ExpandIriView(
        ctx, value.get_string(),
        {.document_relative = true, .vocab = def->type_mapping == "@vocab"},
        scratch);
    if (!id) {
      if (options_.safe_mode)
        return Unsafe("reserved @id value", Quote(value.get_string()));
      result.emplace("@id", nullptr);
    } else {
      CREDSTACK_RETURN_IF_ERROR(budget_.CheckString(*id));
      result.emplace("@id", Str(*id));
    }
    return json::Value(std::move(result));
  }
  result.emplace("@value", json::Value(value, sp_));  // step 3
  if (value.is_string())
    CREDSTACK_RETURN_IF_ERROR(budget_.CheckString(value.get_string()));
  if (def && def->has_type && def->type_mapping != "@id" &&
      def->type_mapping != "@vocab" &&
      def->type_mapping != "@none") {  // step 4
    result.emplace("@type", Str(def->type_mapping));
  } else if (value.is_string()) {  // step 5
    const std::optional<std::string>& language =
        def && def->has_language ? def->language : ctx.language;
    const std::optional<std::string>& direction =
        def && def->has_direction ? def->direction : ctx.direction;
    if (language) result.emplace("@language", Str(*language));
    if (direction) result.emplace("@direction", Str(*direction));
  }
  return json::Value(std::move(result));
}

}  // namespace

bool IsValueObject(const json::Value& v) {
  const json::Object* o = v.if_object();
  return o && o->contains("@value");
}

bool IsListObject(const json::Value& v) {
  const json::Object* o = v.if_object();
  return o && o->contains("@list");
}

bool IsGraphObject(const json::Value& v) {
  const json::Object* o = v.if_object();
  if (!o || !o->contains("@graph")) return false;
  for (const auto& kv : *o) {
    if (kv.key() != "@graph" && kv.key() != "@id" && kv.key() != "@index")
      return false;
  }
  return true;
}

// §9.1 expand() steps that wrap §5.1: initial context, expandContext,
// top-level @graph unwrapping and array result.
Result<json::Value> ExpandDocument(const json::Value& input,
                                   const JsonLdOptions& options, Budget& budget,
                                   boost::json::storage_ptr sp) {
  ContextProcessor cp(options, budget);
  ContextPtr ctx = cp.Initial(options.base);
  if (options.expand_context) {
    const json::Value* local = options.expand_context.get();
    if (const json::Object* o = local->if_object()) {
      if (const json::Value* inner = o->if_contains("@context")) local = inner;
    }
    std::shared_ptr<const json::Value> owner(options.expand_context, local);
    CREDSTACK_ASSIGN_OR_RETURN(
        ctx, cp.Process(ctx, *local, owner, options.base, {}));
  }
  Expander expander(options, budget, cp, sp);
  CREDSTACK_ASSIGN_OR_RETURN(
      json::Value expanded,
      expander.Expand(ctx, std::nullopt, input, options.base, false, 0));
  if (json::Object* o = expanded.if_object();
      o && o->size() == 1 && o->contains("@graph")) {
    json::Value g = std::move((*o)["@graph"]);
    expanded = std::move(g);
  }
  if (expanded.is_null()) return json::Value(json::Array(sp));
  if (!expanded.is_array()) {
    json::Array a(sp);
    a.push_back(std::move(expanded));
    return json::Value(std::move(a));
  }
  return expanded;
}

}  // namespace credstack::ld::internal
