#pragma once

// Active contexts and the context processing algorithms of JSON-LD 1.1 API
// §4.1 (Context Processing), §4.2 (Create Term Definition) and §5.2 (IRI
// Expansion). Internal to the ld module.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/ld/dataset.h"
#include "credstack/ld/jsonld.h"

namespace credstack::ld::internal {

// Container mapping bits (§4.2.2 step 19).
enum ContainerBits : uint8_t {
  kContainerList = 1,
  kContainerSet = 2,
  kContainerLanguage = 4,
  kContainerIndex = 8,
  kContainerId = 16,
  kContainerType = 32,
  kContainerGraph = 64,
};

// JSON-LD 1.1 §4.2 term definition.
struct TermDefinition {
  std::string iri;            // IRI mapping (may be a keyword)
  bool iri_null = false;      // "@id": null: kept only to detect redefinition
  bool iri_absolute = false;  // IsAbsoluteIri(iri), precomputed
  bool prefix = false;
  bool is_protected = false;
  bool reverse = false;
  bool has_type = false;
  std::string type_mapping;
  bool has_language = false;  // language mapping present (may be null)
  std::optional<std::string> language;
  bool has_direction = false;  // direction mapping present (may be null)
  std::optional<std::string> direction;
  std::optional<std::string> nest;
  std::optional<std::string> index;
  bool has_container = false;
  uint8_t container = 0;
  // Scoped context (§4.2.2 step 21) and the base URL to process it with.
  std::shared_ptr<const json::Value> local_context;
  std::string base_url;

  // The IRI mapping as an N-Quads term ("<iri>") and its
  // RdfDataset::TextHash, when it is a well-formed IRI (else empty): the
  // direct JSON-LD to RDF path interns predicates and types from here
  // without re-checking, escaping or hashing them per document.
  std::string iri_nquads;
  size_t iri_nquads_hash = 0;
  void PrepareNQuads();

  bool HasContainer(uint8_t bits) const { return (container & bits) != 0; }
  // Equal in everything but `is_protected` (§4.2.2 step 27.1).
  bool SameAs(const TermDefinition& o) const;
};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return std::hash<std::string_view>{}(s);
  }
};
using TermMap = std::unordered_map<std::string, TermDefinition, StringHash,
                                   std::equal_to<>>;

// A read-only index over a published context's terms: an open-addressing
// table (std::unordered_map's hashing and bucket walk dominated key
// expansion in the direct JSON-LD path) and the terms that alias keywords
// ("id": "@id"), so a key's keyword is known without a lookup. A copy is
// empty: a copied context gets its own index when it is published.
class TermIndex {
 public:
  TermIndex() = default;
  TermIndex(const TermIndex&) {}
  TermIndex& operator=(const TermIndex&) {
    *this = TermIndex();
    return *this;
  }
  TermIndex& operator=(TermIndex&&) = default;

  // Not built when an IRI mapping or the vocabulary mapping starts with
  // "@" without being a keyword: only steps 1 and 4 of §5.2.2 can then
  // give a keyword, which KeywordOf relies on.
  void Build(const TermMap& terms, const std::optional<std::string>& vocab);
  bool built() const { return built_; }
  const TermDefinition* Find(std::string_view term) const;
  // The keyword `key` expands to (§5.2.2 steps 1 and 4), or empty.
  std::string_view KeywordOf(std::string_view key) const;

 private:
  struct Slot {
    uint64_t hash = 0;
    const std::string* key = nullptr;  // null: empty slot
    const TermDefinition* def = nullptr;
  };
  std::vector<Slot> slots_;
  std::vector<std::pair<std::string_view, std::string_view>> keyword_aliases_;
  bool built_ = false;
};

// JSON-LD 1.1 API §4.1 active context. Immutable once published (shared).
struct ActiveContext {
  uint64_t id = 0;  // unique per process; identity for cache keys
  TermMap terms;
  TermIndex index;  // over `terms`, built when published
  std::optional<std::string> base;  // base IRI; nullopt = null
  std::string original_base;
  std::optional<std::string> vocab;
  std::optional<std::string> language;
  std::optional<std::string> direction;
  std::shared_ptr<const ActiveContext> previous;  // non-propagated contexts
  bool has_protected = false;

  const TermDefinition* Find(std::string_view term) const {
    if (index.built()) return index.Find(term);
    auto it = terms.find(term);
    return it == terms.end() ? nullptr : &it->second;
  }
  // Called once the context is complete; `terms` must not change after.
  void Publish() { index.Build(terms, vocab); }
};
using ContextPtr = std::shared_ptr<const ActiveContext>;

uint64_t NextContextId();

// Per-call counters shared by context processing and expansion.
struct Budget {
  const JsonLdLimits* limits = nullptr;
  size_t contexts_processed = 0;
  size_t values = 0;

  Status CountValue() {
    if (++values > limits->max_expanded_values) {
      return ResourceExhaustedError(
          "JSON-LD expansion exceeds max_expanded_values (" +
          std::to_string(limits->max_expanded_values) + ")");
    }
    return OkStatus();
  }
  Status CheckString(std::string_view s) const {
    if (s.size() > limits->max_string_size) {
      return ResourceExhaustedError("JSON-LD string exceeds max_string_size (" +
                                    std::to_string(limits->max_string_size) +
                                    " bytes)");
    }
    return OkStatus();
  }
};

// A JSON-LD error: kInvalidArgument with "code: detail".
Status LdError(std::string_view code, std::string_view detail);
// A safe mode failure ("safe mode violation: ...").
Status SafeModeError(std::string_view event, std::string_view detail);

struct CacheImpl {
  struct Key {
    uint64_t parent_id;
    const void* local;  // identity of a shared local context, or null
    std::string text;   // serialized local context when `local` is null
    std::string base_url;
    uint8_t flags;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };
  struct Entry {
    std::shared_ptr<const json::Value> local_owner;  // keeps `local` alive
    ContextPtr result;
  };

  explicit CacheImpl(size_t max) : max_entries(max) {}
  ContextPtr Find(const Key& key) const;
  void Insert(Key key, std::shared_ptr<const json::Value> owner,
              ContextPtr result);
  // Caching is done only for the first loader seen.
  bool AcceptsLoader(const std::shared_ptr<const DocumentLoader>& loader);
  // The initial active context for a base IRI, shared so that its id (and
  // so every cache key derived from it) is stable across calls.
  ContextPtr InitialFor(std::string_view base);

  size_t max_entries;
  mutable std::shared_mutex mu;
  std::unordered_map<Key, Entry, KeyHash> entries;
  std::atomic<const DocumentLoader*> loader{nullptr};
  std::shared_ptr<const DocumentLoader> loader_owner;
  std::unordered_map<std::string, ContextPtr> initial;  // by base IRI
};

struct IriOptions {
  bool document_relative = false;
  bool vocab = false;
};

// Options of one context processing call (§4.1.2 inputs).
struct ProcessFlags {
  bool override_protected = false;
  bool propagate = true;
  bool validate_scoped = true;
};

// Runs the §4.1 algorithm with caching, loading and limits for one
// top-level call (Expand or ToRdf).
class ContextProcessor {
 public:
  ContextProcessor(const JsonLdOptions& options, Budget& budget);

  // A fresh active context with base IRI `base` (§9.1 step 3 / expand()).
  ContextPtr Initial(std::string_view base);

  // §4.1.2 applied to `active`. `owner`, when set, owns `local` (a scoped
  // context inside a term definition), which makes caching by identity
  // possible.
  Result<ContextPtr> Process(const ContextPtr& active, const json::Value& local,
                             const std::shared_ptr<const json::Value>& owner,
                             std::string_view base_url, ProcessFlags flags);

  bool processing_mode_1_0() const { return options_.processing_mode_1_0; }
  bool safe_mode() const { return options_.safe_mode; }
  Budget& budget() { return budget_; }

 private:
  struct Run;  // state of one uncached processing (context.cc)

  Result<std::shared_ptr<ActiveContext>> ProcessUncached(
      const ContextPtr& active, const json::Value& local,
      const std::shared_ptr<const json::Value>& owner,
      std::string_view base_url, std::vector<std::string>& remote_contexts,
      ProcessFlags flags);
  Status ProcessDefinition(ActiveContext& result, const json::Object& ctx,
                           const std::shared_ptr<const json::Value>& owner,
                           std::string_view base_url,
                           std::vector<std::string>& remote_contexts,
                           ProcessFlags flags);
  Status CreateTermDefinition(Run& run, std::string_view term);
  Status CreateTermDefinitionImpl(Run& run, std::string_view term);
  static constexpr int kMaxTermDependencyDepth = 256;
  int term_depth_ = 0;
  Result<std::optional<std::string>> ExpandIriLocal(Run& run,
                                                    std::string_view value,
                                                    IriOptions opts);
  Result<RemoteDocument> LoadContext(std::string_view url);

  const JsonLdOptions& options_;
  Budget& budget_;
  std::shared_ptr<const DocumentLoader> loader_;
  std::shared_ptr<ContextCache> shared_cache_;
  CacheImpl* cache_ = nullptr;
  std::unique_ptr<ContextCache> private_cache_;
  // Contexts applied during this call, by (parent id, shared local context,
  // flags): type- and property-scoped contexts repeat within a document.
  struct Memo {
    uint64_t parent_id;  // ids are never reused
    std::shared_ptr<const json::Value>
        local;  // held so its address is not reused
    uint8_t flags;
    std::string base_url;
    ContextPtr result;
  };
  std::vector<Memo> memo_;
  // Remote documents loaded during this call, by URL.
  std::unordered_map<std::string, RemoteDocument, StringHash, std::equal_to<>>
      loaded_;
  int depth_ = 0;
};

// §5.2 IRI Expansion against a finished active context (no local context).
// Returns nullopt for null. Keyword-like values ("@foo") expand to null.
std::optional<std::string> ExpandIri(const ActiveContext& ctx,
                                     std::string_view value, IriOptions opts);
// The same without allocating: the view points into value, into a term
// definition of ctx, or into scratch (for concatenations).
std::optional<std::string_view> ExpandIriView(const ActiveContext& ctx,
                                              std::string_view value,
                                              IriOptions opts,
                                              std::string& scratch);
// The same with def = ctx.Find(value) already looked up (null if none).
std::optional<std::string_view> ExpandIriWithDef(const ActiveContext& ctx,
                                                 std::string_view value,
                                                 const TermDefinition* def,
                                                 IriOptions opts,
                                                 std::string& scratch);

}  // namespace credstack::ld::internal

namespace credstack::ld {
struct ContextCache::Impl : internal::CacheImpl {
  using internal::CacheImpl::CacheImpl;
};
}  // namespace credstack::ld
