// Fuzzes the direct JSON-LD to RDF path (ld/internal/direct_to_rdf.h)
// against the spec path (ToRdf: Expand + node map + deserialization), in
// and out of safe mode and jsonld_js_compat. Properties: when the direct
// path answers, the spec path succeeds with the same number of quads and
// the same dataset up to blank node labels, duplicates included (compared
// through RDFC-1.0 with keep_duplicates); the same holds for the document
// without its top-level "proof" seen through a DocumentView; and
// ToRdfDataset fails exactly when ToRdf does, with the same status.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/ld/internal/direct_to_rdf.h"
#include "credstack/ld/jsonld.h"
#include "credstack/ld/rdfc.h"

namespace {

using namespace credstack;

void Check(const json::Value& doc, const json::Value& viewed, const ld::JsonLdOptions& options,
           const ld::DocumentView& view) {
  auto spec = ld::ToRdf(viewed, options);
  auto fast = doc.is_object() ? ld::ToRdfDataset(doc.as_object(), options, view)
                              : ld::ToRdfDataset(doc, options);
  CREDSTACK_CHECK_MSG(spec.ok() == fast.ok(), "ToRdfDataset and ToRdf disagree on success");
  if (!spec.ok()) {
    CREDSTACK_CHECK_MSG(spec.error() == fast.error(), "different errors");
  }
  ld::RdfDataset direct;
  bool used = doc.is_object() ? ld::internal::DirectToRdf(doc.as_object(), options, view, direct)
                              : ld::internal::DirectToRdf(doc, options, direct);
  if (!used) return;
  CREDSTACK_CHECK_MSG(spec.ok(), "direct path answered where the spec path fails");
  CREDSTACK_CHECK_MSG(direct.size() == spec->size(), "direct path: different quad count");
  ld::CanonicalizeOptions co{.max_ndegree_calls = 2'000, .max_permutations = 20'000,
                             .keep_duplicates = true};
  auto a = ld::Canonicalize(direct, co);
  auto b = ld::Canonicalize(ld::RdfDataset::FromDataset(*spec), co);
  if (a.ok() && b.ok()) {
    CREDSTACK_CHECK_MSG(a->nquads == b->nquads, "direct path: different dataset");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto doc = json::Parse(std::string_view(reinterpret_cast<const char*>(data), size),
                         {.max_size = 64 * 1024, .max_depth = 32});
  if (!doc.ok()) return 0;
  for (bool safe : {true, false}) {
    for (bool compat : {true, false}) {
      ld::JsonLdOptions options;
      options.safe_mode = safe;
      options.jsonld_js_compat = compat;
      options.limits.max_quads = 2'000;
      options.limits.max_expanded_values = 5'000;
      options.limits.max_contexts_processed = 200;
      Check(*doc, *doc, options, {});
      if (const json::Object* o = doc->if_object(); o && o->contains("proof")) {
        static constexpr std::string_view kSkip[] = {"proof"};
        json::Object copy = *o;
        copy.erase("proof");
        Check(*doc, json::Value(std::move(copy)), options, {.skip_members = kSkip});
      }
    }
  }
  return 0;
}
