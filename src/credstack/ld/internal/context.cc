// JSON-LD 1.1 API (W3C REC 2020-07-16) §4.1 Context Processing, §4.2 Create
// Term Definition and §5.2 IRI Expansion. Step numbers below refer to those
// sections.

#include "credstack/ld/internal/context.h"

#include <algorithm>

#include "credstack/base/hash.h"
#include "credstack/ld/internal/iri.h"

namespace credstack::ld::internal {
namespace {

using Defined =
    std::unordered_map<std::string, bool, StringHash, std::equal_to<>>;

bool IsGenDelim(char c) {
  return c == ':' || c == '/' || c == '?' || c == '#' || c == '[' || c == ']' ||
         c == '@';
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  out.append(s.substr(0, 200));
  if (s.size() > 200) out.append("...");
  out.push_back('"');
  return out;
}

uint8_t ContainerBit(std::string_view s) {
  if (s == "@list") return kContainerList;
  if (s == "@set") return kContainerSet;
  if (s == "@language") return kContainerLanguage;
  if (s == "@index") return kContainerIndex;
  if (s == "@id") return kContainerId;
  if (s == "@type") return kContainerType;
  if (s == "@graph") return kContainerGraph;
  return 0;
}

// §4.2.2 step 19.1: the allowed container values.
bool ValidContainer(uint8_t bits, size_t count) {
  if (count == 1) return true;
  if (bits & kContainerList) return false;
  bool graph_combo =
      (bits & kContainerGraph) &&
      (((bits & kContainerId) != 0) != ((bits & kContainerIndex) != 0)) &&
      (bits & ~(kContainerGraph | kContainerId | kContainerIndex |
                kContainerSet)) == 0;
  return graph_combo || (bits & kContainerSet) != 0;
}

bool SameJson(const std::shared_ptr<const json::Value>& a,
              const std::shared_ptr<const json::Value>& b) {
  if (!a || !b) return !a && !b;
  return a.get() == b.get() || *a == *b;
}

}  // namespace

void TermDefinition::PrepareNQuads() {
  iri_nquads.clear();
  iri_nquads_hash = 0;
  if (!iri_null && IsWellFormedIri(iri)) {  // no escapes needed then
    iri_nquads.reserve(iri.size() + 2);
    iri_nquads.append("<").append(iri).append(">");
    iri_nquads_hash = RdfDataset::TextHash(iri_nquads);
  }
}

void TermIndex::Build(const TermMap& terms, const std::optional<std::string>& vocab) {
  *this = TermIndex();
  if (vocab && !vocab->empty() && (*vocab)[0] == '@') return;
  for (const auto& [term, def] : terms) {
    if (def.iri_null || def.iri.empty() || def.iri[0] != '@') continue;
    if (!IsKeyword(def.iri)) {
      *this = TermIndex();
      return;
    }
    keyword_aliases_.emplace_back(term, def.iri);
  }
  built_ = true;
  if (terms.empty()) return;
  size_t capacity = 8;
  while (capacity < terms.size() * 2) capacity *= 2;
  slots_.resize(capacity);
  const size_t mask = capacity - 1;
  for (const auto& [key, def] : terms) {
    const uint64_t h = FastHash(key);
    size_t i = h & mask;
    while (slots_[i].key) i = (i + 1) & mask;
    slots_[i] = Slot{h, &key, &def};
  }
}

const TermDefinition* TermIndex::Find(std::string_view term) const {
  if (slots_.empty()) return nullptr;
  const uint64_t h = FastHash(term);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask; slots_[i].key; i = (i + 1) & mask) {
    if (slots_[i].hash == h && *slots_[i].key == term) return slots_[i].def;
  }
  return nullptr;
}

std::string_view TermIndex::KeywordOf(std::string_view key) const {
  if (!key.empty() && key[0] == '@' && IsKeyword(key)) return key;
  for (const auto& [term, keyword] : keyword_aliases_) {
    if (term == key) return keyword;
  }
  return {};
}

uint64_t NextContextId() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

Status LdError(std::string_view code, std::string_view detail) {
  std::string msg(code);
  msg.append(": ").append(detail);
  return InvalidArgumentError(std::move(msg));
}

Status SafeModeError(std::string_view event, std::string_view detail) {
  std::string msg = "safe mode violation: ";
  msg.append(event).append(": ").append(detail);
  return InvalidArgumentError(std::move(msg));
}

bool TermDefinition::SameAs(const TermDefinition& o) const {
  return iri == o.iri && iri_null == o.iri_null && prefix == o.prefix &&
         reverse == o.reverse && has_type == o.has_type &&
         type_mapping == o.type_mapping && has_language == o.has_language &&
         language == o.language && has_direction == o.has_direction &&
         direction == o.direction && nest == o.nest && index == o.index &&
         has_container == o.has_container && container == o.container &&
         SameJson(local_context, o.local_context);
}

// §5.2.2 IRI Expansion, steps 1, 2 and 4 to 9 (steps 3 and 6.3 need a local
// context and are done by ContextProcessor before calling this).
std::optional<std::string_view> ExpandIriWithDef(const ActiveContext& ctx,
                                                 std::string_view value,
                                                 const TermDefinition* def,
                                                 IriOptions opts,
                                                 std::string& scratch) {
  if (!value.empty() && value[0] == '@') {
    if (IsKeyword(value)) return value;              // step 1
    if (HasKeywordForm(value)) return std::nullopt;  // step 2
  }
  if (def && !def->iri_null && !def->iri.empty() && def->iri[0] == '@' &&
      IsKeyword(def->iri)) {
    return std::string_view(def->iri);  // step 4
  }
  if (opts.vocab && def) {  // step 5
    if (def->iri_null) return std::nullopt;
    return std::string_view(def->iri);
  }
  if (value.find(':', 1) != std::string_view::npos) {  // step 6
    size_t colon = value.find(':');
    std::string_view prefix = value.substr(0, colon);
    std::string_view suffix = value.substr(colon + 1);
    if (prefix == "_" || suffix.starts_with("//")) return value;
    const TermDefinition* pdef = ctx.Find(prefix);
    if (pdef && !pdef->iri_null && pdef->prefix) {
      scratch.assign(pdef->iri).append(suffix);
      return std::string_view(scratch);
    }
    if (IsAbsoluteIri(value)) return value;
  }
  if (opts.vocab && ctx.vocab) {  // step 7
    scratch.assign(*ctx.vocab).append(value);
    return std::string_view(scratch);
  }
  if (opts.document_relative && ctx.base) {  // step 8
    scratch = ResolveIri(*ctx.base, value);
    return std::string_view(scratch);
  }
  return value;  // step 9
}

std::optional<std::string_view> ExpandIriView(const ActiveContext& ctx,
                                              std::string_view value,
                                              IriOptions opts,
                                              std::string& scratch) {
  const TermDefinition* def =
      (!value.empty() && value[0] == '@' && IsKeyword(value)) ? nullptr
                                                              : ctx.Find(value);
  return ExpandIriWithDef(ctx, value, def, opts, scratch);
}

std::optional<std::string> ExpandIri(const ActiveContext& ctx,
                                     std::string_view value, IriOptions opts) {
  std::string scratch;
  std::optional<std::string_view> v = ExpandIriView(ctx, value, opts, scratch);
  if (!v) return std::nullopt;
  return std::string(*v);
}

// The state of one §4.1.2 invocation that §4.2 and §5.2 steps 3/6.3 share.
struct ContextProcessor::Run {
  ActiveContext& result;
  const json::Object& local;
  const std::shared_ptr<const json::Value>& owner;
  Defined& defined;
  std::string_view base_url;
  bool is_protected;
  bool override_protected;
  std::vector<std::string>& remote_contexts;
  bool validate_scoped;
};

ContextProcessor::ContextProcessor(const JsonLdOptions& options, Budget& budget)
    : options_(options), budget_(budget) {
  loader_ = options.loader ? options.loader : ContextStoreLoader::Bundled();
  std::shared_ptr<ContextCache> cache = options.cache;
  if (!cache && !options.loader) cache = ContextCache::Default();
  if (cache && cache->impl().AcceptsLoader(loader_)) {
    shared_cache_ = cache;
    cache_ = &cache->impl();
  } else {
    private_cache_ = std::make_unique<ContextCache>(256);
    cache_ = &private_cache_->impl();
  }
}

ContextPtr ContextProcessor::Initial(std::string_view base) {
  return cache_->InitialFor(base);
}

Result<RemoteDocument> ContextProcessor::LoadContext(std::string_view url) {
  if (auto it = loaded_.find(url); it != loaded_.end()) return it->second;
  auto doc = loader_->Load(url);
  if (!doc.ok()) {
    if (doc.error().code() == Code::kResourceExhausted) return doc.error();
    return Status(Code::kNotFound,
                  "loading remote context failed: " + doc.error().message());
  }
  if (!doc->document) {
    return Status(Code::kNotFound,
                  "loading remote context failed: " + std::string(url));
  }
  if (doc->document_url.empty()) doc->document_url = std::string(url);
  loaded_.emplace(std::string(url), *doc);
  return *doc;
}

Result<ContextPtr> ContextProcessor::Process(
    const ContextPtr& active, const json::Value& local,
    const std::shared_ptr<const json::Value>& owner, std::string_view base_url,
    ProcessFlags flags) {
  // An empty array leaves the active context as it is.
  if (local.is_array() && local.as_array().empty()) return active;
  const uint8_t flag_bits = static_cast<uint8_t>(
      (flags.override_protected ? 1 : 0) | (flags.propagate ? 2 : 0) |
      (flags.validate_scoped ? 4 : 0) | (options_.processing_mode_1_0 ? 8 : 0) |
      (options_.safe_mode ? 16 : 0));
  if (owner) {
    for (const Memo& m : memo_) {
      if (m.parent_id == active->id && m.local.get() == &local &&
          m.flags == flag_bits && m.base_url == base_url) {
        return m.result;
      }
    }
  }
  auto remember = [&](const ContextPtr& result) {
    if (owner && memo_.size() < 64) {
      memo_.push_back(
          Memo{active->id, owner, flag_bits, std::string(base_url), result});
    }
  };
  CacheImpl::Key key{
      .parent_id = active->id,
      .local = owner ? static_cast<const void*>(&local) : nullptr,
      .text = owner ? std::string() : json::Serialize(local),
      .base_url = std::string(base_url),
      .flags = flag_bits};
  if (ContextPtr hit = cache_->Find(key)) {
    remember(hit);
    return hit;
  }

  std::shared_ptr<const json::Value> holder = owner;
  const json::Value* value = &local;
  if (!holder) {
    // Term definitions keep pointers into the local context: own a copy.
    holder = std::make_shared<const json::Value>(local);
    value = holder.get();
  }
  std::vector<std::string> remote_contexts;
  CREDSTACK_ASSIGN_OR_RETURN(std::shared_ptr<ActiveContext> result,
                             ProcessUncached(active, *value, holder, base_url,
                                             remote_contexts, flags));
  result->Publish();
  ContextPtr published = std::move(result);
  cache_->Insert(std::move(key), std::move(holder), published);
  remember(published);
  return published;
}

// §4.1.2 Context Processing Algorithm.
Result<std::shared_ptr<ActiveContext>> ContextProcessor::ProcessUncached(
    const ContextPtr& active, const json::Value& local,
    const std::shared_ptr<const json::Value>& owner, std::string_view base_url,
    std::vector<std::string>& remote_contexts, ProcessFlags flags) {
  const JsonLdLimits& limits = *budget_.limits;
  if (++budget_.contexts_processed > limits.max_contexts_processed) {
    return ResourceExhaustedError(
        "JSON-LD context processing exceeds max_contexts_processed (" +
        std::to_string(limits.max_contexts_processed) + ")");
  }
  if (depth_ > static_cast<int>(limits.max_depth)) {
    return ResourceExhaustedError(
        "context overflow: JSON-LD contexts nest too deeply");
  }
  struct DepthGuard {
    int& d;
    explicit DepthGuard(int& x) : d(x) { ++d; }
    ~DepthGuard() { --d; }
  } guard(depth_);

  // Step 1.
  auto result = std::make_shared<ActiveContext>(*active);
  result->id = NextContextId();
  // Step 2.
  bool propagate = flags.propagate;
  if (const json::Object* o = local.if_object()) {
    if (const json::Value* p = o->if_contains("@propagate");
        p && p->is_bool()) {
      propagate = p->get_bool();
    }
  }
  // Step 3.
  if (!propagate && !result->previous) result->previous = active;

  // Step 4.
  std::span<const json::Value> items(&local, 1);
  if (const json::Array* a = local.if_array())
    items = std::span(a->data(), a->size());

  for (const json::Value& item : items) {
    // Step 5.1.
    if (item.is_null()) {
      if (!flags.override_protected && result->has_protected) {
        return LdError("invalid context nullification",
                       "cannot nullify a context with protected terms");
      }
      auto fresh = std::make_shared<ActiveContext>();
      fresh->id = NextContextId();
      fresh->original_base = active->original_base;
      if (!active->original_base.empty()) fresh->base = active->original_base;
      if (!propagate) fresh->previous = result;
      result = std::move(fresh);
      continue;
    }
    // Step 5.2.
    if (item.is_string()) {
      std::string_view ref = item.get_string();
      std::string url = ResolveIri(base_url, ref);
      if (!IsAbsoluteIri(url)) {
        return LdError(
            "loading document failed",
            "context reference " + Quote(ref) + " is not an absolute IRI");
      }
      if (!flags.validate_scoped &&
          std::find(remote_contexts.begin(), remote_contexts.end(), url) !=
              remote_contexts.end()) {
        continue;  // step 5.2.2
      }
      if (remote_contexts.size() >=
          limits.max_remote_context_depth) {  // step 5.2.3
        return ResourceExhaustedError(
            "context overflow: more than " +
            std::to_string(limits.max_remote_context_depth) +
            " nested remote contexts");
      }
      if (std::find(remote_contexts.begin(), remote_contexts.end(), url) !=
          remote_contexts.end()) {
        return LdError("context overflow",
                       "remote context " + Quote(url) + " includes itself");
      }
      CREDSTACK_ASSIGN_OR_RETURN(RemoteDocument doc,
                                 LoadContext(url));  // steps 5.2.4-5
      const json::Object* doc_obj = doc.document->if_object();
      const json::Value* loaded =
          doc_obj ? doc_obj->if_contains("@context") : nullptr;
      if (!loaded) {
        return LdError("invalid remote context",
                       Quote(url) + " has no top-level @context");
      }
      std::shared_ptr<const json::Value> loaded_owner(doc.document, loaded);
      // remote_contexts holds the chain of remote contexts being processed
      // (a copy goes down each recursion), so a URL found in it is a cycle.
      std::vector<std::string> chain = remote_contexts;
      chain.push_back(std::move(url));
      CREDSTACK_ASSIGN_OR_RETURN(
          result,
          ProcessUncached(result, *loaded, loaded_owner, doc.document_url,
                          chain, {.validate_scoped = flags.validate_scoped}));
      continue;
    }
    // Step 5.3.
    const json::Object* ctx = item.if_object();
    if (!ctx) {
      return LdError("invalid local context",
                     "a context must be null, a string or an object, not " +
                         std::string(json::TypeName(item)));
    }
    std::shared_ptr<const json::Value> ctx_owner(owner, &item);

    // Step 5.5.
    if (const json::Value* v = ctx->if_contains("@version")) {
      if (!v->is_number() || v->to_number<double>() != 1.1) {
        return LdError("invalid @version value", "@version must be 1.1");
      }
      if (options_.processing_mode_1_0) {
        return LdError("processing mode conflict",
                       "@version 1.1 in json-ld-1.0 mode");
      }
    }
    // Step 5.6.
    if (const json::Value* v = ctx->if_contains("@import")) {
      if (options_.processing_mode_1_0) {
        return LdError("invalid context entry", "@import in json-ld-1.0 mode");
      }
      if (!v->is_string())
        return LdError("invalid @import value", "@import must be a string");
      std::string import = ResolveIri(base_url, v->get_string());
      CREDSTACK_ASSIGN_OR_RETURN(RemoteDocument doc, LoadContext(import));
      const json::Object* doc_obj = doc.document->if_object();
      const json::Value* imported =
          doc_obj ? doc_obj->if_contains("@context") : nullptr;
      if (!imported || !imported->is_object()) {
        return LdError("invalid remote context",
                       "imported " + Quote(import) + " has no @context object");
      }
      if (imported->as_object().contains("@import")) {
        return LdError(
            "invalid context entry",
            "imported context " + Quote(import) + " itself has @import");
      }
      // Step 5.6.8: context entries replace those of the imported context.
      json::Object merged = imported->as_object();
      for (const auto& kv : *ctx) merged[kv.key()] = kv.value();
      auto merged_owner =
          std::make_shared<const json::Value>(std::move(merged));
      CREDSTACK_RETURN_IF_ERROR(
          ProcessDefinition(*result, merged_owner->as_object(), merged_owner,
                            base_url, remote_contexts, flags));
      continue;
    }
    CREDSTACK_RETURN_IF_ERROR(ProcessDefinition(
        *result, *ctx, ctx_owner, base_url, remote_contexts, flags));
  }
  return result;
}

// §4.1.2 steps 5.7 to 5.13 for one context definition.
Status ContextProcessor::ProcessDefinition(
    ActiveContext& result, const json::Object& ctx,
    const std::shared_ptr<const json::Value>& owner, std::string_view base_url,
    std::vector<std::string>& remote_contexts, ProcessFlags flags) {
  // Step 5.7.
  if (const json::Value* v = ctx.if_contains("@base");
      v && remote_contexts.empty()) {
    if (v->is_null()) {
      result.base.reset();
    } else if (v->is_string() && IsAbsoluteIri(v->get_string())) {
      result.base = std::string(v->get_string());
    } else if (v->is_string() && result.base) {
      result.base = ResolveIri(*result.base, v->get_string());
    } else {
      return LdError("invalid base IRI", "@base must be null or an IRI");
    }
  }
  // Step 5.8.
  if (const json::Value* v = ctx.if_contains("@vocab")) {
    if (v->is_null()) {
      result.vocab.reset();
    } else if (v->is_string()) {
      std::string_view s = v->get_string();
      if (options_.processing_mode_1_0 && !IsAbsoluteIri(s)) {
        return LdError("invalid vocab mapping",
                       "@vocab must be an absolute IRI in json-ld-1.0");
      }
      std::optional<std::string> vocab =
          ExpandIri(result, s, {.document_relative = true, .vocab = true});
      if (!vocab) return LdError("invalid vocab mapping", "@vocab " + Quote(s));
      if (!IsAbsoluteIri(*vocab) && options_.safe_mode) {
        return SafeModeError("relative @vocab reference",
                             "@vocab " + Quote(s) + " is not an absolute IRI");
      }
      result.vocab = std::move(*vocab);
    } else {
      return LdError("invalid vocab mapping",
                     "@vocab must be a string or null");
    }
  }
  // Step 5.9.
  if (const json::Value* v = ctx.if_contains("@language")) {
    if (v->is_null()) {
      result.language.reset();
    } else if (v->is_string()) {
      std::string_view s = v->get_string();
      if (options_.safe_mode && !IsWellFormedLanguage(s)) {
        return SafeModeError("invalid @language value",
                             "@language " + Quote(s));
      }
      result.language = AsciiLower(s);
    } else {
      return LdError("invalid default language",
                     "@language must be a string or null");
    }
  }
  // Step 5.10.
  if (const json::Value* v = ctx.if_contains("@direction")) {
    if (options_.processing_mode_1_0) {
      return LdError("invalid context entry", "@direction in json-ld-1.0 mode");
    }
    if (v->is_null()) {
      result.direction.reset();
    } else if (v->is_string() &&
               (v->get_string() == "ltr" || v->get_string() == "rtl")) {
      result.direction = std::string(v->get_string());
    } else {
      return LdError("invalid base direction",
                     "@direction must be \"ltr\", \"rtl\" or null");
    }
  }
  // Step 5.11.
  if (const json::Value* v = ctx.if_contains("@propagate")) {
    if (options_.processing_mode_1_0) {
      return LdError("invalid context entry", "@propagate in json-ld-1.0 mode");
    }
    if (!v->is_bool())
      return LdError("invalid @propagate value", "@propagate must be boolean");
  }
  bool is_protected = false;
  if (const json::Value* v = ctx.if_contains("@protected")) {
    if (!v->is_bool())
      return LdError("invalid @protected value", "@protected must be boolean");
    if (options_.processing_mode_1_0) {
      return LdError("invalid context entry", "@protected in json-ld-1.0 mode");
    }
    is_protected = v->get_bool();
  }
  // Steps 5.12, 5.13.
  Defined defined;
  Run run{result,
          ctx,
          owner,
          defined,
          base_url,
          is_protected,
          flags.override_protected,
          remote_contexts,
          flags.validate_scoped};
  for (const auto& kv : ctx) {
    std::string_view key = kv.key();
    if (key == "@base" || key == "@direction" || key == "@import" ||
        key == "@language" || key == "@propagate" || key == "@protected" ||
        key == "@version" || key == "@vocab") {
      continue;
    }
    CREDSTACK_RETURN_IF_ERROR(CreateTermDefinition(run, key));
  }
  return OkStatus();
}

// §5.2.2 with a local context: steps 3 and 6.3 create the term definitions
// value depends on, then the rest runs against the context being built.
Result<std::optional<std::string>> ContextProcessor::ExpandIriLocal(
    Run& run, std::string_view value, IriOptions opts) {
  if (!IsKeyword(value) && !HasKeywordForm(value)) {
    if (run.local.contains(value)) {  // step 3
      auto it = run.defined.find(value);
      if (it == run.defined.end() || !it->second) {
        CREDSTACK_RETURN_IF_ERROR(CreateTermDefinition(run, value));
      }
    }
    if (value.find(':', 1) != std::string_view::npos) {  // step 6.3
      std::string_view prefix = value.substr(0, value.find(':'));
      std::string_view suffix = value.substr(prefix.size() + 1);
      // Step 6.2 returns before 6.3 for blank nodes and "scheme://".
      if (prefix != "_" && !suffix.starts_with("//") &&
          run.local.contains(prefix)) {
        auto it = run.defined.find(prefix);
        if (it == run.defined.end() || !it->second) {
          CREDSTACK_RETURN_IF_ERROR(CreateTermDefinition(run, prefix));
        }
      }
    }
  }
  return ExpandIri(run.result, value, opts);
}

// §4.2.2 Create Term Definition.
Status ContextProcessor::CreateTermDefinition(Run& run, std::string_view term) {
  // Terms can depend on terms (prefixes, @type, @id values) in chains as
  // long as the context is: bound the recursion.
  if (term_depth_ >= kMaxTermDependencyDepth) {
    return ResourceExhaustedError(
        "JSON-LD term definitions depend on each other more than " +
        std::to_string(kMaxTermDependencyDepth) + " levels deep");
  }
  ++term_depth_;
  Status status = CreateTermDefinitionImpl(run, term);
  --term_depth_;
  return status;
}

Status ContextProcessor::CreateTermDefinitionImpl(Run& run,
                                                  std::string_view term) {
  const bool mode10 = options_.processing_mode_1_0;
  // Step 1.
  if (auto it = run.defined.find(term); it != run.defined.end()) {
    if (it->second) return OkStatus();
    return LdError("cyclic IRI mapping",
                   "term " + Quote(term) + " depends on itself");
  }
  // Step 2.
  if (term.empty())
    return LdError("invalid term definition", "the empty string is not a term");
  run.defined[std::string(term)] = false;
  auto mark_defined = [&] { run.defined[std::string(term)] = true; };
  // Step 3.
  const json::Value& raw = run.local.at(term);
  // Step 4.
  if (term == "@type") {
    if (mode10)
      return LdError("keyword redefinition",
                     "@type cannot be redefined in 1.0");
    const json::Object* o = raw.if_object();
    bool ok = o && !o->empty();
    if (ok) {
      for (const auto& kv : *o) {
        if (kv.key() == "@container") {
          ok =
              ok && kv.value().is_string() && kv.value().get_string() == "@set";
        } else if (kv.key() != "@protected") {
          ok = false;
        }
      }
    }
    if (!ok) {
      return LdError(
          "keyword redefinition",
          "@type may only be given {\"@container\": \"@set\"} and @protected");
    }
  } else if (IsKeyword(term)) {  // step 5
    return LdError("keyword redefinition",
                   "keyword " + Quote(term) + " cannot be redefined");
  } else if (HasKeywordForm(term)) {
    if (options_.safe_mode) {
      return SafeModeError("reserved term", "term " + Quote(term) +
                                                " has the form of a keyword");
    }
    mark_defined();
    return OkStatus();
  }
  // Step 6.
  std::optional<TermDefinition> previous;
  if (auto it = run.result.terms.find(term); it != run.result.terms.end()) {
    previous = std::move(it->second);
    run.result.terms.erase(it);
  }
  // Steps 7 to 9.
  bool simple_term = false;
  const json::Object* value = nullptr;
  json::Object synthesized;
  if (raw.is_null() || raw.is_string()) {
    synthesized["@id"] = raw;
    value = &synthesized;
    simple_term = raw.is_string();
  } else if (raw.is_object()) {
    value = &raw.as_object();
  } else {
    return LdError("invalid term definition",
                   "definition of " + Quote(term) +
                       " must be null, a string or an object");
  }
  auto entry = [&](std::string_view k) { return value->if_contains(k); };

  // Step 10.
  TermDefinition def;
  def.is_protected = run.is_protected;
  // Step 11.
  if (const json::Value* v = entry("@protected")) {
    if (!v->is_bool())
      return LdError("invalid @protected value", "term " + Quote(term));
    if (mode10)
      return LdError("invalid term definition",
                     "@protected in json-ld-1.0 mode");
    def.is_protected = v->get_bool();
  }
  // Step 12.
  if (const json::Value* v = entry("@type")) {
    if (!v->is_string()) {
      return LdError("invalid type mapping",
                     "@type of " + Quote(term) + " must be a string");
    }
    CREDSTACK_ASSIGN_OR_RETURN(
        std::optional<std::string> type,
        ExpandIriLocal(run, v->get_string(), {.vocab = true}));
    if (!type)
      return LdError("invalid type mapping", "@type of " + Quote(term));
    if ((*type == "@json" || *type == "@none") && mode10) {
      return LdError("invalid type mapping", *type + " in json-ld-1.0 mode");
    }
    if (*type != "@id" && *type != "@json" && *type != "@none" &&
        *type != "@vocab" && (!IsAbsoluteIri(*type) || IsBlankNodeId(*type))) {
      return LdError("invalid type mapping",
                     "@type of " + Quote(term) + " expands to " + Quote(*type));
    }
    def.has_type = true;
    def.type_mapping = std::move(*type);
  }
  // Step 13.
  if (const json::Value* v = entry("@reverse")) {
    if (entry("@id") || entry("@nest")) {
      return LdError("invalid reverse property",
                     "term " + Quote(term) + " has @reverse with @id or @nest");
    }
    if (!v->is_string()) {
      return LdError("invalid IRI mapping",
                     "@reverse of " + Quote(term) + " must be a string");
    }
    if (HasKeywordForm(v->get_string())) {
      if (options_.safe_mode) {
        return SafeModeError("reserved @reverse value",
                             "@reverse of " + Quote(term));
      }
      mark_defined();
      return OkStatus();
    }
    CREDSTACK_ASSIGN_OR_RETURN(
        std::optional<std::string> iri,
        ExpandIriLocal(run, v->get_string(), {.vocab = true}));
    if (!iri || iri->find(':') == std::string::npos) {
      return LdError("invalid IRI mapping",
                     "@reverse of " + Quote(term) + " is not an IRI");
    }
    def.iri = std::move(*iri);
    if (const json::Value* c = entry("@container")) {
      std::string_view cs =
          c->is_string() ? std::string_view(c->get_string()) : "";
      if (c->is_null()) {
      } else if (cs == "@set" || cs == "@index") {
        def.has_container = true;
        def.container = ContainerBit(cs);
      } else {
        return LdError("invalid reverse property",
                       "reverse property " + Quote(term) +
                           " needs an @set or @index container");
      }
    }
    if (const json::Value* v = entry("@index")) {  // as step 20
      if (mode10 || !def.HasContainer(kContainerIndex) || !v->is_string()) {
        return LdError("invalid term definition", "@index of " + Quote(term));
      }
      def.index = std::string(v->get_string());
    }
    def.reverse = true;
    def.iri_absolute = IsAbsoluteIri(def.iri);
    def.PrepareNQuads();
    if (def.is_protected) run.result.has_protected = true;
    run.result.terms.insert_or_assign(std::string(term), std::move(def));
    mark_defined();
    return OkStatus();
  }
  // Step 14.
  const json::Value* id = entry("@id");
  if (id && !(id->is_string() && id->get_string() == term)) {
    if (id->is_null()) {
      def.iri_null = true;  // step 14.1
    } else {
      if (!id->is_string()) {
        return LdError("invalid IRI mapping",
                       "@id of " + Quote(term) + " must be a string");
      }
      std::string_view ids = id->get_string();
      if (!IsKeyword(ids) && HasKeywordForm(ids)) {  // step 14.2.2
        if (options_.safe_mode) {
          return SafeModeError("reserved @id value",
                               "@id of " + Quote(term) + " is " + Quote(ids));
        }
        mark_defined();
        return OkStatus();
      }
      CREDSTACK_ASSIGN_OR_RETURN(std::optional<std::string> iri,
                                 ExpandIriLocal(run, ids, {.vocab = true}));
      if (!iri || !(IsKeyword(*iri) || iri->find(':') != std::string::npos)) {
        return LdError("invalid IRI mapping",
                       "@id of " + Quote(term) + " does not expand to an IRI");
      }
      if (*iri == "@context") {
        return LdError("invalid keyword alias", "@context cannot be aliased");
      }
      CREDSTACK_RETURN_IF_ERROR(budget_.CheckString(*iri));
      def.iri = std::move(*iri);
      // Step 14.2.4.
      size_t colon = term.find(':', 1);
      if ((colon != std::string_view::npos && colon + 1 < term.size()) ||
          term.find('/') != std::string_view::npos) {
        mark_defined();
        CREDSTACK_ASSIGN_OR_RETURN(std::optional<std::string> self,
                                   ExpandIriLocal(run, term, {.vocab = true}));
        if (!self || *self != def.iri) {
          return LdError("invalid IRI mapping",
                         "term " + Quote(term) +
                             " looks like an IRI but maps to " +
                             Quote(def.iri));
        }
      }
      // Step 14.2.5.
      if (term.find(':') == std::string_view::npos &&
          term.find('/') == std::string_view::npos && simple_term &&
          ((!def.iri.empty() && IsGenDelim(def.iri.back())) ||
           IsBlankNodeId(def.iri))) {
        def.prefix = true;
      }
    }
  } else if (term.find(':', 1) != std::string_view::npos) {  // step 15
    size_t colon = term.find(':');
    std::string_view prefix = term.substr(0, colon);
    std::string_view suffix = term.substr(colon + 1);
    if (run.local.contains(prefix)) {
      CREDSTACK_RETURN_IF_ERROR(CreateTermDefinition(run, prefix));
    }
    if (const TermDefinition* p = run.result.Find(prefix)) {
      def.iri = p->iri + std::string(suffix);
    } else {
      def.iri = std::string(term);
    }
  } else if (term.find('/') != std::string_view::npos) {  // step 16
    // As jsonld.js: vocabulary-relative, and without recursing into the
    // term's own (unfinished) definition.
    mark_defined();
    CREDSTACK_ASSIGN_OR_RETURN(std::optional<std::string> iri,
                               ExpandIriLocal(run, term, {.vocab = true}));
    if (!iri || !IsAbsoluteIri(*iri)) {
      return LdError("invalid IRI mapping",
                     "term " + Quote(term) + " is a relative IRI");
    }
    def.iri = std::move(*iri);
  } else if (term == "@type") {  // step 17
    def.iri = "@type";
  } else if (run.result.vocab) {  // step 18
    def.iri = *run.result.vocab + std::string(term);
  } else {
    return LdError(
        "invalid IRI mapping",
        "term " + Quote(term) + " has no @id and there is no @vocab");
  }
  CREDSTACK_RETURN_IF_ERROR(budget_.CheckString(def.iri));

  // Step 19.
  if (const json::Value* c = entry("@container")) {
    uint8_t bits = 0;
    size_t count = 0;
    bool ok = true;
    auto add = [&](const json::Value& x) {
      uint8_t b = x.is_string() ? ContainerBit(x.get_string()) : 0;
      if (b == 0 || (bits & b)) ok = false;
      bits |= b;
      ++count;
    };
    if (c->is_array()) {
      for (const json::Value& x : c->as_array()) add(x);
      if (count == 0) ok = false;
    } else {
      add(*c);
    }
    if (!ok || !ValidContainer(bits, count)) {
      return LdError("invalid container mapping",
                     "@container of " + Quote(term));
    }
    if (mode10 && (c->is_array() || (bits & (kContainerGraph | kContainerId |
                                             kContainerType)))) {
      return LdError(
          "invalid container mapping",
          "@container of " + Quote(term) + " is not allowed in json-ld-1.0");
    }
    def.has_container = true;
    def.container = bits;
    if (bits & kContainerType) {  // step 19.4
      if (!def.has_type) {
        def.has_type = true;
        def.type_mapping = "@id";
      }
      if (def.type_mapping != "@id" && def.type_mapping != "@vocab") {
        return LdError(
            "invalid type mapping",
            "type map " + Quote(term) + " needs @type @id or @vocab");
      }
    }
  }
  // Step 20.
  if (const json::Value* v = entry("@index")) {
    if (mode10 || !def.HasContainer(kContainerIndex)) {
      return LdError("invalid term definition",
                     "@index of " + Quote(term) + " needs an @index container");
    }
    if (!v->is_string()) {
      return LdError("invalid term definition",
                     "@index of " + Quote(term) + " must be a string");
    }
    CREDSTACK_ASSIGN_OR_RETURN(
        std::optional<std::string> idx,
        ExpandIriLocal(run, v->get_string(), {.vocab = true}));
    if (!idx || !IsAbsoluteIri(*idx) || IsKeyword(*idx)) {
      return LdError("invalid term definition",
                     "@index of " + Quote(term) + " does not expand to an IRI");
    }
    def.index = std::string(v->get_string());
  }
  // Step 21.
  if (const json::Value* v = entry("@context")) {
    if (mode10)
      return LdError("invalid term definition",
                     "scoped context in json-ld-1.0 mode");
    std::shared_ptr<const json::Value> scoped(run.owner, v);
    // Step 21.3: processed only to detect errors now; the result is
    // discarded. The non-owning pointer is fine: run.result outlives the
    // call and the result (which may refer to it) is dropped.
    ContextPtr snapshot(std::shared_ptr<const ActiveContext>(), &run.result);
    std::vector<std::string> copy = run.remote_contexts;
    auto checked =
        ProcessUncached(snapshot, *scoped, scoped, run.base_url, copy,
                        {.override_protected = true, .validate_scoped = false});
    if (!checked.ok()) {
      if (checked.error().code() == Code::kResourceExhausted)
        return checked.error();
      return LdError(
          "invalid scoped context",
          "context of " + Quote(term) + ": " + checked.error().message());
    }
    def.local_context = std::move(scoped);
    def.base_url = std::string(run.base_url);
  }
  // Step 22.
  if (const json::Value* v = entry("@language"); v && !entry("@type")) {
    if (!v->is_null() && !v->is_string()) {
      return LdError("invalid language mapping", "@language of " + Quote(term));
    }
    def.has_language = true;
    if (v->is_string()) def.language = AsciiLower(v->get_string());
  }
  // Step 23.
  if (const json::Value* v = entry("@direction"); v && !entry("@type")) {
    if (v->is_null()) {
    } else if (v->is_string() &&
               (v->get_string() == "ltr" || v->get_string() == "rtl")) {
      def.direction = std::string(v->get_string());
    } else {
      return LdError("invalid base direction", "@direction of " + Quote(term));
    }
    def.has_direction = true;
  }
  // Step 24.
  if (const json::Value* v = entry("@nest")) {
    if (mode10)
      return LdError("invalid term definition", "@nest in json-ld-1.0 mode");
    if (!v->is_string() ||
        (IsKeyword(v->get_string()) && v->get_string() != "@nest")) {
      return LdError("invalid @nest value", "@nest of " + Quote(term));
    }
    def.nest = std::string(v->get_string());
  }
  // Step 25.
  if (const json::Value* v = entry("@prefix")) {
    if (mode10 || term.find(':') != std::string_view::npos ||
        term.find('/') != std::string_view::npos) {
      return LdError("invalid term definition", "@prefix on " + Quote(term));
    }
    if (!v->is_bool())
      return LdError("invalid @prefix value", "@prefix of " + Quote(term));
    def.prefix = v->get_bool();
    if (def.prefix && IsKeyword(def.iri)) {
      return LdError("invalid term definition",
                     "keyword alias " + Quote(term) + " cannot be a prefix");
    }
  }
  // Step 26.
  for (const auto& kv : *value) {
    std::string_view k = kv.key();
    if (k != "@id" && k != "@reverse" && k != "@container" && k != "@context" &&
        k != "@direction" && k != "@index" && k != "@language" &&
        k != "@nest" && k != "@prefix" && k != "@protected" && k != "@type") {
      return LdError("invalid term definition",
                     "term " + Quote(term) + " has unknown entry " + Quote(k));
    }
  }
  // Step 27.
  if (!run.override_protected && previous && previous->is_protected) {
    if (!def.SameAs(*previous)) {
      return LdError("protected term redefinition",
                     "protected term " + Quote(term) + " cannot be redefined");
    }
    def = std::move(*previous);
  }
  // Step 28.
  def.iri_absolute = IsAbsoluteIri(def.iri);
  def.PrepareNQuads();
  if (def.is_protected) run.result.has_protected = true;
  run.result.terms.insert_or_assign(std::string(term), std::move(def));
  mark_defined();
  return OkStatus();
}

}  // namespace credstack::ld::internal
