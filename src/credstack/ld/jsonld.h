#pragma once

// JSON-LD 1.1 processor (W3C REC 2020-07-16, "JSON-LD 1.1 Processing
// Algorithms and API"): context processing (§4.1, §4.2), expansion (§5.1 to
// §5.3) and deserialization to an RDF dataset (§7.2, §8.1 to §8.3).
//
// Remote contexts come only from a DocumentLoader; nothing is ever fetched
// from the network. The default loader serves the pinned contexts of
// ContextStore::Bundled(). Processed contexts are cached in a ContextCache
// so that the @context of a credential is processed once per process, not
// once per document.
//
// Errors (never exceptions):
//  - kInvalidArgument: a JSON-LD error; the message starts with the JSON-LD
//    error code of §9.6.2, then ": " and details, e.g.
//    "invalid IRI mapping: term \"x\" ...". JsonLdErrorCode() extracts it.
//    In safe mode, a construct that the algorithms would silently drop
//    fails with code "safe mode violation" and names the term or value.
//  - kNotFound: "loading remote context failed: ..." for a context URL the
//    loader does not have (e.g. not in the pinned set).
//  - kResourceExhausted: a JsonLdLimits bound was hit; the message names it.

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/ld/context_store.h"
#include "credstack/ld/dataset.h"
#include "credstack/ld/rdf.h"

namespace credstack::ld {

// JSON-LD 1.1 API §9.4.3 RemoteDocument, reduced to what context loading
// needs.
struct RemoteDocument {
  std::string document_url;
  std::shared_ptr<const json::Value> document;
};

// JSON-LD 1.1 API §9.4.1 LoadDocumentCallback. Implementations must be
// thread-safe and must not block on the network.
class DocumentLoader {
 public:
  virtual ~DocumentLoader() = default;
  // Returns the document for url, or kNotFound.
  virtual Result<RemoteDocument> Load(std::string_view url) const = 0;
};

// A loader over a ContextStore (bundled contexts plus any the operator
// added). Thread-safe.
class ContextStoreLoader final : public DocumentLoader {
 public:
  explicit ContextStoreLoader(std::shared_ptr<const ContextStore> store);
  Result<RemoteDocument> Load(std::string_view url) const override;

  // The process-wide loader over ContextStore::Bundled().
  static std::shared_ptr<const DocumentLoader> Bundled();

 private:
  std::shared_ptr<const ContextStore> store_;
};

// Processed active contexts, keyed by (active context, local context,
// options that affect processing). Thread-safe; shared by all documents
// processed with the same DocumentLoader. A cache remembers the first
// loader it is used with and does not cache for any other loader (so
// entries can never mix documents from two loaders). When full, it is
// cleared (contexts of real documents come from a small set, so it refills
// with what is in use).
class ContextCache {
 public:
  explicit ContextCache(size_t max_entries = 4096);
  ~ContextCache();
  ContextCache(const ContextCache&) = delete;
  ContextCache& operator=(const ContextCache&) = delete;

  // The cache used when JsonLdOptions has neither loader nor cache.
  static std::shared_ptr<ContextCache> Default();

  size_t size() const;
  void Clear();

  struct Impl;  // internal/context.h
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// JSON-LD 1.1 API §9.3 rdfDirection.
enum class RdfDirection { kNone, kI18nDatatype, kCompoundLiteral };

// Bounds on the work one call may do. Hitting one fails the call with
// kResourceExhausted.
struct JsonLdLimits {
  // Nesting of remote contexts and @import (a remote context loading
  // another). JSON-LD 1.1 §4.1.2 step 5.2.3 calls this "context overflow".
  size_t max_remote_context_depth = 32;
  // Local contexts actually processed (cache misses, including the
  // validation of scoped contexts at definition time) per call.
  size_t max_contexts_processed = 2'000;
  // Expanded node objects, value objects and array items created.
  size_t max_expanded_values = 200'000;
  // Quads produced by ToRdf.
  size_t max_quads = 100'000;
  // Bytes in any one string value, IRI or language tag produced.
  size_t max_string_size = 4 * 1024 * 1024;
  // Nesting depth of the input walked by expansion (json::Parse already
  // limits documents to 64 by default).
  size_t max_depth = 128;
};

struct JsonLdOptions {
  // Where remote contexts come from; null means the bundled pinned set.
  std::shared_ptr<const DocumentLoader> loader;
  // Processed-context cache; null means ContextCache::Default() when loader
  // is null too, and a cache private to the call otherwise.
  std::shared_ptr<ContextCache> cache;
  // JSON-LD 1.1 API §9.3 base: the document's base IRI (empty: none).
  std::string base;
  // §9.3 expandContext: a context applied before the document's own.
  std::shared_ptr<const json::Value> expand_context;
  // §9.3 processingMode: false = "json-ld-1.1" (default), true =
  // "json-ld-1.0".
  bool processing_mode_1_0 = false;
  // Fail instead of silently dropping: terms, properties and @type values
  // that do not expand to absolute IRIs, relative @id values, free-floating
  // values, ill-formed language tags, @direction without rdfDirection and
  // the other "unsafe" events of jsonld.js's safe mode. Credential
  // verification uses it.
  bool safe_mode = false;
  // ToRdf only (§8.1).
  RdfDirection rdf_direction = RdfDirection::kNone;
  bool produce_generalized_rdf = false;
  // ToRdf only: produce the literals jsonld.js (the reference ecosystem
  // implementation) produces where it differs from the letter of §8.2:
  // a number is an xsd:double iff its ECMAScript string form contains '.'
  // or it is >= 1e21 (so 1e-7 becomes "0"^^xsd:integer), and a string
  // @value typed xsd:double is re-serialized via parseFloat. Language tags
  // are lower-cased either way (§4.1.2 step 5.9.3 permits it; jsonld.js
  // does it). Signatures made by that ecosystem need this.
  bool jsonld_js_compat = true;
  JsonLdLimits limits;
};

// JSON-LD 1.1 API §5.1 Expansion Algorithm with the §9.1 expand() wrapping:
// returns the expanded document, always an array.
Result<json::Value> Expand(const json::Value& input,
                           const JsonLdOptions& options = {});

// JSON-LD 1.1 API §8.1 Deserialize JSON-LD to RDF of the expanded input.
// Blank nodes are labelled b0, b1, ... in node-map order; duplicate quads
// are removed.
Result<Dataset> ToRdf(const json::Value& input,
                      const JsonLdOptions& options = {});

// The document ToRdfDataset() converts: the input object as if some of its
// top-level members were absent and, optionally, with another @context.
// Data Integrity hashes "the document without its proof" and "the proof
// options with the document's @context"; a view says so without copying.
struct DocumentView {
  // Top-level members to leave out (e.g. "proof"); a view of anything but
  // an object fails with kInvalidArgument.
  std::span<const std::string_view> skip_members;
  // When set, the top-level @context (replacing the input's own, if any).
  const json::Value* context = nullptr;
};

// §8.1 Deserialize JSON-LD to RDF, fast: the same dataset as ToRdf() of
// the viewed document, up to the order of the quads and the labels of the
// blank nodes, with the same errors; duplicates as ToRdf() keeps them
// (jsonld_js_compat). Documents in the common shape of credentials take a
// direct path that expands and deserializes in one walk without building
// the expanded document or the node map (internal/direct_to_rdf.h); any
// other document goes through Expand and §7.2/§8.1 as ToRdf() does.
Result<RdfDataset> ToRdfDataset(const json::Value& input,
                                const JsonLdOptions& options = {},
                                const DocumentView& view = {});
Result<RdfDataset> ToRdfDataset(const json::Object& input,
                                const JsonLdOptions& options = {},
                                const DocumentView& view = {});
// The same into `out`, which is cleared first and whose capacity is reused
// (hot paths keep one per thread).
Status ToRdfDataset(const json::Object& input, const JsonLdOptions& options,
                    const DocumentView& view, RdfDataset& out);

// The JSON-LD error code at the start of a failed status's message
// ("invalid IRI mapping", "loading remote context failed", ...); empty for
// an OK status.
std::string_view JsonLdErrorCode(const Status& status);

// §8.6 canonical lexical form of an xsd:double as jsonld.js writes it
// (ECMAScript toExponential(15) without trailing zeros): 2.5 -> "2.5E0",
// 1.5e-7 -> "1.5E-7", 1e21 -> "1.0E21".
std::string CanonicalDouble(double d);

}  // namespace credstack::ld
