// Fuzzes JSON-LD to RDF (credstack::ld::ToRdf) with the pinned contexts.
// Properties: never crashes; respects max_quads; deterministic; every quad
// has an IRI or blank node subject, an IRI predicate and a default-graph,
// IRI or blank node graph; literals carry a datatype; in safe mode a
// success also succeeds without safe mode with the same quads.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/ld/jsonld.h"

namespace {

using credstack::ld::JsonLdOptions;
using credstack::ld::TermKind;

void CheckQuads(const credstack::ld::Dataset& d, const JsonLdOptions& options) {
  CREDSTACK_CHECK(d.size() <= options.limits.max_quads);
  for (const auto& q : d) {
    CREDSTACK_CHECK(q.subject.kind == TermKind::kIri ||
                    q.subject.kind == TermKind::kBlankNode);
    CREDSTACK_CHECK(q.predicate.kind == TermKind::kIri);
    CREDSTACK_CHECK(q.object.kind != TermKind::kDefaultGraph);
    CREDSTACK_CHECK(q.graph.kind != TermKind::kLiteral);
    if (q.object.kind == TermKind::kLiteral)
      CREDSTACK_CHECK(!q.object.datatype.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto doc = credstack::json::Parse(
      std::string_view(reinterpret_cast<const char*>(data), size),
      {.max_size = 64 * 1024, .max_depth = 32});
  if (!doc.ok()) return 0;
  JsonLdOptions options;
  options.limits.max_quads = 2'000;
  options.limits.max_expanded_values = 5'000;
  options.limits.max_contexts_processed = 200;
  auto first = credstack::ld::ToRdf(*doc, options);
  auto second = credstack::ld::ToRdf(*doc, options);
  CREDSTACK_CHECK(first.ok() == second.ok());
  if (!first.ok()) {
    CREDSTACK_CHECK(first.error() == second.error());
  } else {
    CREDSTACK_CHECK_MSG(*first == *second, "toRdf is not deterministic");
    CheckQuads(*first, options);
  }
  JsonLdOptions safe = options;
  safe.safe_mode = true;
  auto strict = credstack::ld::ToRdf(*doc, safe);
  if (strict.ok()) {
    CheckQuads(*strict, safe);
    CREDSTACK_CHECK_MSG(first.ok() && *strict == *first,
                        "safe mode changed a successful result");
  }
  return 0;
}
