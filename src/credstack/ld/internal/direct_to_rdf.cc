// The direct JSON-LD to RDF path (direct_to_rdf.h). Step numbers refer to
// JSON-LD 1.1 API §5.1.2 (expansion), §5.3.2 (value expansion), §7.2.2
// (node map generation) and §8.2.2 (object to RDF), as in expand.cc and
// to_rdf.cc, whose decisions this file repeats for the subset it handles.
// Every "return false" hands the document to the spec path.

#include "credstack/ld/internal/direct_to_rdf.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "credstack/base/scratch.h"
#include "credstack/ld/internal/context.h"
#include "credstack/ld/internal/iri.h"
#include "credstack/ld/internal/to_rdf.h"

namespace credstack::ld::internal {
namespace {

using TermId = RdfDataset::TermId;
constexpr char kRdfType[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr char kRdfFirst[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
constexpr char kRdfRest[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
constexpr char kRdfNil[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";

// How a quad entered the node map, for duplicate detection (§7.2.2 "add
// value" never adds a value twice to one node property; jsonld.js, and so
// jsonld_js_compat, compares value objects by @value, @type and @language,
// not by the RDF literal they become).
constexpr char kXsdDouble[] = "http://www.w3.org/2001/XMLSchema#double";

enum Tag : uint32_t {
  kTagRef = 1,          // node reference
  kTagType = 2,         // @type entry (a separate node map entry)
  kTagString = 4,       // value object: @value kind
  kTagNumber = 8,
  kTagBool = 12,
  kTagHasType = 16,  // the expanded value object has @type
  kTagList = 32,     // an rdf:nil list head (never merged)
};

struct Entry {
  TermId s, p, o;
  uint32_t tag;
  uint64_t extra;  // number: bits of the double; xsd:double string: raw id
  bool operator==(const Entry&) const = default;
};

struct KeyInfo {
  const TermDefinition* def = nullptr;
  std::optional<std::string_view> expanded;
  bool skipped = false;
  std::string scratch;
};

// An IRI from stable storage (term definitions, the input) -> its term.
struct IriSlot {
  const char* data = nullptr;
  size_t size = 0;
  TermId id = 0;
};

// Buffers one conversion needs, lent per thread (base/scratch.h).
struct DirectScratch {
  std::vector<ContextPtr> held;  // term definition strings stay put (IriTerm)
  std::deque<std::vector<KeyInfo>> key_pool;  // one per depth (stable references)
  std::vector<Entry> seen;  // node map entries; open addressing, s == UINT32_MAX empty
  std::vector<IriSlot> iri_cache;
  std::unordered_map<std::string, TermId> blank_labels;
  std::unordered_map<std::string, uint64_t> raw_strings;

  void Clear() {
    held.clear();
    seen.clear();
    iri_cache.clear();
    blank_labels.clear();
    raw_strings.clear();
  }
  bool Large() const {
    return seen.capacity() + iri_cache.capacity() > (1u << 16) || key_pool.size() > 256 ||
           blank_labels.bucket_count() > 4096 || raw_strings.bucket_count() > 4096;
  }
};

// What an object in a property value became.
struct ObjectResult {
  bool is_value = false;
  TermId term = 0;  // node: its subject; value: the literal
  uint32_t tag = 0;
  uint64_t extra = 0;
};

class Direct {
 public:
  Direct(const JsonLdOptions& options, Budget& budget, DirectScratch& scratch, RdfDataset& out)
      : options_(options),
        budget_(budget),
        cp_(options, budget),
        out_(out),
        held_(scratch.held),
        key_pool_(scratch.key_pool),
        seen_(scratch.seen),
        iri_cache_(scratch.iri_cache),
        blank_labels_(scratch.blank_labels),
        raw_strings_(scratch.raw_strings) {}

  bool Run(const json::Object& input, const DocumentView& view);
  bool Run(const json::Value& input);

 private:
  bool Start();
  bool Object(ContextPtr ctx, std::string_view prop, const TermDefinition* prop_def,
              const json::Object& obj, const DocumentView* view, size_t depth,
              ObjectResult& result);
  bool NodeEntries(const ContextPtr& ctx, const ContextPtr& type_scoped,
                   const json::Object& obj, std::vector<KeyInfo>& keys, bool top,
                   size_t depth, TermId& subject);
  bool ValueObject(const ContextPtr& type_scoped, const json::Object& obj,
                   std::vector<KeyInfo>& keys, ObjectResult& result);
  bool PropertyValue(const ContextPtr& ctx, std::string_view key, const TermDefinition* def,
                     const json::Value& item, TermId subject, TermId predicate, size_t depth);
  bool ItemTerm(const ContextPtr& ctx, std::string_view key, const TermDefinition* def,
                const json::Value& item, size_t depth, ObjectResult& r);
  bool ListValue(const ContextPtr& ctx, std::string_view key, const TermDefinition* def,
                 const json::Value& value, TermId subject, TermId predicate, size_t depth);
  // type_scratch: the buffer `type` may point into.
  bool Literal(const json::Value& value, std::optional<std::string_view> type,
               const std::string& type_scratch, const std::optional<std::string>& language,
               bool has_type, ObjectResult& result);
  bool ExpandType(const ActiveContext& type_scoped, std::string_view t, std::string& scratch,
                  std::string_view& out, const TermDefinition** def = nullptr);
  // An IRI that came from `def` (its IRI mapping) or from elsewhere.
  bool DefIriTerm(std::string_view iri, const TermDefinition* def, const std::string& scratch,
                  TermId& out) {
    if (def && iri.data() == def->iri.data() && !def->iri_nquads.empty() &&
        def->iri.size() <= budget_.limits->max_string_size) {
      out = out_.IriText(def->iri_nquads, def->iri_nquads_hash);
      return true;
    }
    return IriTerm(iri, scratch, out);
  }
  // An IRI or blank node identifier as a node term (§8.1.2: blank node
  // identifiers are relabelled; IRIs must be well-formed).
  bool NodeTerm(std::string_view id, const std::string& scratch, TermId& out);
  bool IriTerm(std::string_view iri, const std::string& scratch, TermId& out);
  bool Emit(TermId s, TermId p, TermId o, uint32_t tag, uint64_t extra);
  bool Hold(Result<ContextPtr> r, ContextPtr& ctx) {
    if (!r.ok()) return false;
    ctx = std::move(*r);
    held_.push_back(ctx);  // term definition strings stay put (IriTerm)
    return true;
  }
  void ExpandKeys(const ActiveContext& ctx, const json::Object& obj,
                  const DocumentView* view, std::vector<KeyInfo>& keys);
  std::vector<KeyInfo>& Keys(size_t depth) {
    if (key_pool_.size() <= depth) key_pool_.resize(depth + 1);
    return key_pool_[depth];
  }

  const JsonLdOptions& options_;
  Budget& budget_;
  ContextProcessor cp_;
  RdfDataset& out_;
  std::vector<ContextPtr>& held_;
  std::deque<std::vector<KeyInfo>>& key_pool_;
  std::vector<Entry>& seen_;
  size_t seen_count_ = 0;
  std::vector<IriSlot>& iri_cache_;
  size_t iri_count_ = 0;
  std::unordered_map<std::string, TermId>& blank_labels_;
  std::unordered_map<std::string, uint64_t>& raw_strings_;
  TermId rdf_type_ = 0, rdf_first_ = 0, rdf_rest_ = 0, rdf_nil_ = 0;
  uint64_t lists_ = 0;
};

bool IsInside(std::string_view s, const std::string& buffer) {
  return s.data() >= buffer.data() && s.data() <= buffer.data() + buffer.size();
}

bool Direct::IriTerm(std::string_view iri, const std::string& scratch, TermId& out) {
  const bool stable = !IsInside(iri, scratch);
  size_t mask = iri_cache_.size() - 1;
  size_t h = 0;
  if (stable) {
    h = (reinterpret_cast<uintptr_t>(iri.data()) * 0x9E3779B97F4A7C15ull) ^ iri.size();
    h ^= h >> 31;
    for (size_t i = h & mask; iri_cache_[i].data; i = (i + 1) & mask) {
      if (iri_cache_[i].data == iri.data() && iri_cache_[i].size == iri.size()) {
        out = iri_cache_[i].id;
        return true;
      }
    }
  }
  if (!IsWellFormedIri(iri) || !budget_.CheckString(iri).ok()) return false;
  out = out_.Iri(iri);
  if (stable) {
    if ((iri_count_ + 1) * 2 > iri_cache_.size()) {
      std::vector<IriSlot> old(iri_cache_.size() * 2);
      old.swap(iri_cache_);
      mask = iri_cache_.size() - 1;
      for (const IriSlot& slot : old) {
        if (!slot.data) continue;
        size_t g = (reinterpret_cast<uintptr_t>(slot.data) * 0x9E3779B97F4A7C15ull) ^ slot.size;
        g ^= g >> 31;
        size_t i = g & mask;
        while (iri_cache_[i].data) i = (i + 1) & mask;
        iri_cache_[i] = slot;
      }
    }
    size_t i = h & mask;
    while (iri_cache_[i].data) i = (i + 1) & mask;
    iri_cache_[i] = IriSlot{iri.data(), iri.size(), out};
    ++iri_count_;
  }
  return true;
}

bool Direct::NodeTerm(std::string_view id, const std::string& scratch, TermId& out) {
  if (IsBlankNodeId(id)) {  // §7.4: relabelled, one node per identifier
    auto [it, inserted] = blank_labels_.try_emplace(std::string(id), 0);
    if (inserted) it->second = out_.NewBlank();
    out = it->second;
    return true;
  }
  return IriTerm(id, scratch, out);
}

bool Direct::Emit(TermId s, TermId p, TermId o, uint32_t tag, uint64_t extra) {
  if (!options_.jsonld_js_compat) {
    // The spec's node map compares value objects as maps, and §8.1.2 then
    // drops equal literals of one property: equal RDF terms are one entry.
    tag = tag == kTagType ? uint32_t{kTagType} : 0u;
    extra = 0;
  }
  Entry e{s, p, o, tag, extra};
  if ((seen_count_ + 1) * 2 > seen_.size()) {
    std::vector<Entry> old(seen_.size() * 2, Entry{UINT32_MAX, 0, 0, 0, 0});
    old.swap(seen_);
    seen_count_ = 0;
    for (const Entry& x : old) {
      if (x.s != UINT32_MAX) {
        size_t mask = seen_.size() - 1;
        uint64_t h = (uint64_t{x.s} * 0x9E3779B97F4A7C15ull) ^ (uint64_t{x.p} << 20) ^
                     (uint64_t{x.o} * 0xC2B2AE3D27D4EB4Full) ^ x.tag ^ (x.extra * 31);
        h ^= h >> 29;
        size_t i = h & mask;
        while (seen_[i].s != UINT32_MAX) i = (i + 1) & mask;
        seen_[i] = x;
        ++seen_count_;
      }
    }
  }
  size_t mask = seen_.size() - 1;
  uint64_t h = (uint64_t{e.s} * 0x9E3779B97F4A7C15ull) ^ (uint64_t{e.p} << 20) ^
               (uint64_t{e.o} * 0xC2B2AE3D27D4EB4Full) ^ e.tag ^ (e.extra * 31);
  h ^= h >> 29;
  size_t i = h & mask;
  for (; seen_[i].s != UINT32_MAX; i = (i + 1) & mask) {
    if (seen_[i] == e) return true;  // already in the node map
  }
  if (out_.size() >= options_.limits.max_quads) return false;
  seen_[i] = e;
  ++seen_count_;
  out_.Add(s, p, o);
  return true;
}

// A member the document view leaves out.
bool Skipped(const DocumentView* view, std::string_view key) {
  return view && (std::find(view->skip_members.begin(), view->skip_members.end(), key) !=
                      view->skip_members.end() ||
                  (view->context && key == "@context"));
}

void Direct::ExpandKeys(const ActiveContext& ctx, const json::Object& obj,
                        const DocumentView* view, std::vector<KeyInfo>& keys) {
  keys.resize(obj.size());
  size_t i = 0;
  for (const auto& kv : obj) {
    std::string_view key = kv.key();
    KeyInfo& k = keys[i++];
    k.skipped = Skipped(view, key);
    k.def = (!key.empty() && key[0] == '@' && IsKeyword(key)) ? nullptr : ctx.Find(key);
    k.expanded = ExpandIriWithDef(ctx, key, k.def, {.vocab = true}, k.scratch);
  }
}

// Step 13.4.4's expansion of one @type value against the type-scoped
// context; false when it would not be an absolute IRI (or is @json).
bool Direct::ExpandType(const ActiveContext& type_scoped, std::string_view t,
                        std::string& scratch, std::string_view& out, const TermDefinition** def) {
  const TermDefinition* tdef =
      (!t.empty() && t[0] == '@' && IsKeyword(t)) ? nullptr : type_scoped.Find(t);
  std::optional<std::string_view> e = ExpandIriWithDef(
      type_scoped, t, tdef, {.document_relative = true, .vocab = true}, scratch);
  if (!e || *e == "@json") return false;
  const bool absolute =
      (tdef && e->data() == tdef->iri.data()) ? tdef->iri_absolute : IsAbsoluteIri(*e);
  if (!absolute || !budget_.CheckString(*e).ok()) return false;
  out = *e;
  if (def) *def = tdef;
  return true;
}

bool Direct::Start() {
  if (options_.expand_context || options_.processing_mode_1_0) return false;
  iri_cache_.assign(256, IriSlot{});
  seen_.assign(256, Entry{UINT32_MAX, 0, 0, 0, 0});
  static const std::string kNoScratch;
  return IriTerm(kRdfType, kNoScratch, rdf_type_) && IriTerm(kRdfFirst, kNoScratch, rdf_first_) &&
         IriTerm(kRdfRest, kNoScratch, rdf_rest_) && IriTerm(kRdfNil, kNoScratch, rdf_nil_);
}

bool Direct::Run(const json::Object& input, const DocumentView& view) {
  if (!Start()) return false;
  ObjectResult r;
  return Object(cp_.Initial(options_.base), {}, nullptr, input, &view, 0, r);
}

bool Direct::Run(const json::Value& input) {
  if (const json::Object* o = input.if_object()) return Run(*o, {});
  // A top-level array of node objects (§9.1 expand() output is an array).
  const json::Array* arr = input.if_array();
  if (!arr || !Start()) return false;
  ContextPtr ctx = cp_.Initial(options_.base);
  for (const json::Value& item : *arr) {
    const json::Object* o = item.if_object();
    ObjectResult r;
    if (!o || !Object(ctx, {}, nullptr, *o, nullptr, 1, r)) return false;
  }
  return true;
}

bool Direct::Object(ContextPtr ctx, std::string_view prop, const TermDefinition* prop_def,
                    const json::Object& obj, const DocumentView* view, size_t depth,
                    ObjectResult& result) {
  if (depth > budget_.limits->max_depth || !budget_.CountValue().ok()) return false;
  std::vector<KeyInfo>& keys = Keys(depth);
  const ActiveContext* keys_ctx = nullptr;
  // Step 7: a term-scoped context does not apply to new node objects.
  // Keys are fully expanded once, under the final context; before that
  // only their keywords matter, which a published context's index knows.
  if (ctx->previous) {
    bool keep = false;
    size_t id_keys = 0;
    auto count = [&](std::string_view keyword) {
      if (keyword == "@value") keep = true;
      if (keyword == "@id") ++id_keys;
    };
    if (ctx->index.built()) {
      for (const auto& kv : obj) count(ctx->index.KeywordOf(kv.key()));
    } else {
      ExpandKeys(*ctx, obj, view, keys);
      keys_ctx = ctx.get();
      for (const KeyInfo& k : keys) {
        if (k.expanded) count(*k.expanded);
      }
    }
    if (obj.size() == 1 && id_keys == 1) keep = true;
    if (!keep) ctx = ctx->previous;
  }
  // Step 8: a property-scoped context.
  if (prop_def && prop_def->local_context &&
      !Hold(cp_.Process(ctx, *prop_def->local_context, prop_def->local_context,
                        prop_def->base_url, {.override_protected = true}),
            ctx)) {
    return false;
  }
  // Step 9: an embedded context (or the view's).
  const json::Value* local = nullptr;
  if (view && view->context) {
    local = view->context;
  } else if (const json::Value* c = obj.if_contains("@context")) {
    local = c;
    if (view && std::find(view->skip_members.begin(), view->skip_members.end(), "@context") !=
                    view->skip_members.end()) {
      local = nullptr;
    }
  }
  if (local && !Hold(cp_.Process(ctx, *local, nullptr, options_.base, {}), ctx)) return false;
  // Step 10.
  const ContextPtr type_scoped = ctx;
  // Step 11: type-scoped contexts, in lexicographical order of the types.
  std::vector<std::string_view> terms;
  {
    std::vector<std::string_view> type_keys;
    if (ctx->index.built()) {
      for (const auto& kv : obj) {
        if (!Skipped(view, kv.key()) && ctx->index.KeywordOf(kv.key()) == "@type") {
          type_keys.push_back(kv.key());
        }
      }
    } else {
      if (keys_ctx != ctx.get()) {
        ExpandKeys(*ctx, obj, view, keys);
        keys_ctx = ctx.get();
      }
      size_t i = 0;
      for (const auto& kv : obj) {
        const KeyInfo& k = keys[i++];
        if (!k.skipped && k.expanded && *k.expanded == "@type") type_keys.push_back(kv.key());
      }
    }
    std::sort(type_keys.begin(), type_keys.end());
    for (std::string_view key : type_keys) {
      const json::Value& v = obj.at(key);
      terms.clear();
      if (v.is_string()) terms.push_back(v.get_string());
      if (const json::Array* a = v.if_array()) {
        for (const json::Value& t : *a) {
          if (t.is_string()) terms.push_back(t.get_string());
        }
      }
      std::sort(terms.begin(), terms.end());
      for (std::string_view term : terms) {
        const TermDefinition* def = type_scoped->Find(term);
        if (def && def->local_context &&
            !Hold(cp_.Process(ctx, *def->local_context, def->local_context, def->base_url,
                              {.propagate = false}),
                  ctx)) {
          return false;
        }
      }
    }
  }
  if (keys_ctx != ctx.get()) ExpandKeys(*ctx, obj, view, keys);
  // A value object (step 15) or a node object.
  for (const KeyInfo& k : keys) {
    if (!k.skipped && k.expanded && *k.expanded == "@value") {
      if (prop.empty()) return false;  // step 19: free-floating
      result.is_value = true;
      return ValueObject(type_scoped, obj, keys, result);
    }
  }
  result.is_value = false;
  return NodeEntries(ctx, type_scoped, obj, keys, prop.empty(), depth, result.term);
}

bool Direct::ValueObject(const ContextPtr& type_scoped, const json::Object& obj,
                         std::vector<KeyInfo>& keys, ObjectResult& result) {
  const json::Value* value = nullptr;
  const json::Value* type = nullptr;
  const json::Value* language = nullptr;
  size_t i = 0;
  for (const auto& kv : obj) {
    const KeyInfo& k = keys[i++];
    if (k.skipped || kv.key() == "@context") continue;
    if (!k.expanded) return false;
    const json::Value** slot = *k.expanded == "@value"      ? &value
                               : *k.expanded == "@type"     ? &type
                               : *k.expanded == "@language" ? &language
                                                            : nullptr;
    if (!slot || *slot) return false;  // other entries; colliding keywords
    *slot = &kv.value();
  }
  if (value->is_null() || value->is_object() || value->is_array()) return false;
  if (type && language) return false;
  std::string scratch;
  std::optional<std::string_view> datatype;
  if (type) {
    std::string_view t;
    if (!type->is_string() || !ExpandType(*type_scoped, type->get_string(), scratch, t) ||
        IsBlankNodeId(t)) {
      return false;
    }
    datatype = t;
  }
  std::optional<std::string> lang;
  if (language) {
    if (!language->is_string() || !value->is_string() ||
        !IsWellFormedLanguage(language->get_string())) {
      return false;
    }
    lang = AsciiLower(language->get_string());
  }
  return Literal(*value, datatype, scratch, lang, type != nullptr, result);
}

// §8.2.2 for a value object {"@value": value, "@type": type} or
// {"@value": value, "@language": language}.
bool Direct::Literal(const json::Value& value, std::optional<std::string_view> type,
                     const std::string& type_scratch, const std::optional<std::string>& language,
                     bool has_type, ObjectResult& result) {
  if (value.is_string() && !budget_.CheckString(value.get_string()).ok()) return false;
  TermId unused;
  if (type && !IriTerm(*type, type_scratch, unused)) return false;  // step 6
  if (language && !IsWellFormedLanguage(*language)) return false;  // step 7
  std::optional<LiteralForm> form =
      LiteralOf(value, type, language.has_value(), options_.jsonld_js_compat);
  if (!form) return false;
  result.is_value = true;
  if (language && !type) {  // step 14
    result.term = out_.Literal(form->lexical, kRdfLangString, *language);
  } else {
    result.term = out_.Literal(form->lexical, form->datatype);
  }
  result.extra = 0;
  if (value.is_string()) {
    result.tag = kTagString;
    if (options_.jsonld_js_compat && type == std::string_view(kXsdDouble)) {
      // The lexical form is re-serialized; equal literals can come from
      // different strings, which jsonld.js keeps apart.
      auto [it, inserted] =
          raw_strings_.try_emplace(std::string(value.get_string()), raw_strings_.size());
      result.extra = it->second;
    }
  } else if (value.is_bool()) {
    result.tag = kTagBool;
  } else {
    result.tag = kTagNumber;
    double d = value.to_number<double>();
    result.extra = d == 0 ? 0 : std::bit_cast<uint64_t>(d);  // -0 === 0
  }
  if (has_type) result.tag |= kTagHasType;
  return true;
}

bool Direct::NodeEntries(const ContextPtr& ctx, const ContextPtr& type_scoped,
                         const json::Object& obj, std::vector<KeyInfo>& keys, bool top,
                         size_t depth, TermId& subject) {
  // Step 13.4.3 (and §7.2.2 steps 6.1/6.2): the subject.
  bool has_id = false;
  size_t i = 0;
  for (const auto& kv : obj) {
    const KeyInfo& k = keys[i++];
    if (k.skipped || !k.expanded || *k.expanded != "@id") continue;
    if (has_id || !kv.value().is_string()) return false;
    std::string scratch;
    std::optional<std::string_view> id =
        ExpandIriView(*ctx, kv.value().get_string(), {.document_relative = true}, scratch);
    if (!id || !IsAbsoluteIri(*id) || !budget_.CheckString(*id).ok() ||
        !NodeTerm(*id, scratch, subject)) {
      return false;
    }
    has_id = true;
  }
  if (!has_id) subject = out_.NewBlank();
  const size_t quads_before = out_.size();
  size_t entries = 0;
  i = 0;
  for (const auto& kv : obj) {
    KeyInfo& k = keys[i++];
    std::string_view key = kv.key();
    if (k.skipped || key == "@context") continue;
    // Step 13.3: keys that expand to nothing or to a relative IRI.
    if (!k.expanded) return false;
    const std::string_view ep = *k.expanded;
    if (IsKeyword(ep)) {
      if (ep == "@id") continue;
      if (ep != "@type") return false;  // not handled here
      // Step 13.4.4 and §7.2.2 step 6.7.
      std::span<const json::Value> ts(&kv.value(), 1);
      if (const json::Array* a = kv.value().if_array()) ts = std::span(a->data(), a->size());
      for (const json::Value& t : ts) {
        if (!t.is_string()) return false;
        std::string scratch;
        std::string_view type;
        const TermDefinition* tdef = nullptr;
        TermId o;
        if (!ExpandType(*type_scoped, t.get_string(), scratch, type, &tdef)) return false;
        if (IsBlankNodeId(type) ? !NodeTerm(type, scratch, o)
                                : !DefIriTerm(type, tdef, scratch, o)) {
          return false;
        }
        if (!Emit(subject, rdf_type_, o, kTagType, 0)) return false;
      }
      ++entries;
      continue;
    }
    const TermDefinition* def = k.def;
    const bool absolute = (def && ep.data() == def->iri.data()) ? def->iri_absolute
                                                                  : IsAbsoluteIri(ep);
    // Not absolute, a blank node predicate (§8.1.2 step 1.3.2.3), reverse
    // properties, containers other than @set and @list, JSON literals.
    const uint8_t container = def ? def->container : 0;
    if (!absolute || IsBlankNodeId(ep) ||
        (def && (def->reverse || (container & ~kContainerSet && container != kContainerList) ||
                 (def->has_type && def->type_mapping == "@json")))) {
      return false;
    }
    TermId predicate;
    if (!DefIriTerm(ep, def, k.scratch, predicate)) return false;
    if (container == kContainerList) {
      if (!ListValue(ctx, key, def, kv.value(), subject, predicate, depth + 1)) return false;
      ++entries;
      continue;
    }
    // Step 13.9 with §5.1.2 step 5 for arrays (items in order).
    const json::Value& value = kv.value();
    if (const json::Array* a = value.if_array()) {
      for (const json::Value& item : *a) {
        if (item.is_array() ||
            !PropertyValue(ctx, key, def, item, subject, predicate, depth + 1)) {
          return false;
        }
      }
    } else if (!PropertyValue(ctx, key, def, value, subject, predicate, depth + 1)) {
      return false;
    }
    ++entries;
  }
  // Step 19: a top-level node must carry data (or the spec path decides).
  if (top && (entries == 0 || out_.size() == quads_before)) return false;
  return true;
}

bool Direct::PropertyValue(const ContextPtr& ctx, std::string_view key,
                           const TermDefinition* def, const json::Value& item, TermId subject,
                           TermId predicate, size_t depth) {
  if (item.is_null()) return true;  // step 1: nothing
  ObjectResult r;
  return ItemTerm(ctx, key, def, item, depth, r) &&
         Emit(subject, predicate, r.term, r.tag, r.extra);
}

// The RDF term of one non-null item of a property value (§5.1.2 steps 4
// and 6 onwards, §5.3.2, §8.2.2), its node map identity in r.tag/r.extra.
bool Direct::ItemTerm(const ContextPtr& ctx, std::string_view key, const TermDefinition* def,
                      const json::Value& item, size_t depth, ObjectResult& r) {
  if (const json::Object* o = item.if_object()) {
    if (!Object(ctx, key, def, *o, nullptr, depth, r)) return false;
    if (!r.is_value) r.tag = kTagRef;
    return true;
  }
  if (item.is_array()) return false;  // nested arrays
  // Step 4: a scalar, with the property-scoped context applied.
  if (!budget_.CountValue().ok()) return false;
  ContextPtr vctx = ctx;
  if (def && def->local_context) {
    if (!Hold(cp_.Process(ctx, *def->local_context, def->local_context, def->base_url, {}),
              vctx)) {
      return false;
    }
    def = vctx->Find(key);
  }
  // §5.3.2 steps 1-2: node references.
  const std::string_view tm = def && def->has_type ? std::string_view(def->type_mapping) : "";
  if (item.is_string() && (tm == "@id" || tm == "@vocab")) {
    std::string scratch;
    std::optional<std::string_view> id = ExpandIriView(
        *vctx, item.get_string(), {.document_relative = true, .vocab = tm == "@vocab"}, scratch);
    if (!id || !budget_.CheckString(*id).ok() || !NodeTerm(*id, scratch, r.term)) return false;
    r.is_value = false;
    r.tag = kTagRef;
    r.extra = 0;
    return true;
  }
  // Steps 3-5: a value object.
  std::optional<std::string_view> type;
  std::optional<std::string> language;
  if (def && def->has_type && tm != "@id" && tm != "@vocab" && tm != "@none") {
    if (tm == "@json") return false;
    type = tm;
  } else if (item.is_string()) {
    const std::optional<std::string>& direction =
        def && def->has_direction ? def->direction : vctx->direction;
    if (direction) return false;  // @direction: rdfDirection handling
    language = def && def->has_language ? def->language : vctx->language;
  }
  static const std::string kNoScratch;  // `type` is in a term definition
  return Literal(item, type, kNoScratch, language, type.has_value(), r);
}

// A property with an @list container (§5.1.2 steps 13.9 and 13.11; node
// map §7.2.2 step 5; §8.3.2 List to RDF Conversion).
bool Direct::ListValue(const ContextPtr& ctx, std::string_view key, const TermDefinition* def,
                       const json::Value& value, TermId subject, TermId predicate,
                       size_t depth) {
  if (value.is_null()) return true;  // step 13.10: no entry at all
  std::span<const json::Value> items(&value, 1);
  if (const json::Array* a = value.if_array()) items = std::span(a->data(), a->size());
  std::vector<TermId> objects;
  objects.reserve(items.size());
  for (const json::Value& item : items) {
    if (item.is_null()) continue;  // §5.1.2 step 5: nulls are dropped
    ObjectResult r;
    if (!ItemTerm(ctx, key, def, item, depth, r)) return false;
    objects.push_back(r.term);
  }
  // A list item is never merged with another value (§7.2.2 step 5): a
  // unique identity. Without compat mode the spec drops an equal rdf:nil
  // object of the property, which the tag normalization in Emit does too.
  if (objects.empty()) return Emit(subject, predicate, rdf_nil_, kTagList, ++lists_);
  if (out_.size() + 2 * objects.size() + 1 > options_.limits.max_quads) return false;
  TermId node = out_.NewBlank();
  out_.Add(subject, predicate, node);
  for (size_t i = 0; i < objects.size(); ++i) {
    TermId next = i + 1 < objects.size() ? out_.NewBlank() : rdf_nil_;
    out_.Add(node, rdf_first_, objects[i]);
    out_.Add(node, rdf_rest_, next);
    node = next;
  }
  return true;
}

}  // namespace

bool DirectToRdf(const json::Object& input, const JsonLdOptions& options,
                 const DocumentView& view, RdfDataset& out) {
  out.Clear();
  Budget budget{&options.limits};
  ThreadScratch<DirectScratch> scratch;
  Direct direct(options, budget, *scratch, out);
  return direct.Run(input, view);
}

bool DirectToRdf(const json::Value& input, const JsonLdOptions& options,
                 RdfDataset& out) {
  out.Clear();
  Budget budget{&options.limits};
  ThreadScratch<DirectScratch> scratch;
  Direct direct(options, budget, *scratch, out);
  return direct.Run(input);
}

}  // namespace credstack::ld::internal
