#pragma once

// The direct JSON-LD to RDF path: JSON-LD 1.1 API §5.1 expansion decisions
// and §7.2/§8.1 node map generation and deserialization in one walk over
// the compacted input, writing quads straight into an RdfDataset without
// building the expanded document or the node map. Internal to the ld
// module; ToRdfDataset() (jsonld.h) is the entry point.
//
// It handles what credentials use: node objects with @id/@type (and
// aliases), top-level and embedded/scoped contexts (type-scoped contexts,
// property-scoped contexts, @propagate), @set containers, terms with type
// (@id, @vocab, datatype) or language mappings, value objects with @value,
// @type and @language. Anything else (lists, @graph, @reverse, @included,
// @nest, maps, @json, @direction, @index, keyword aliases beyond @id and
// @type, nested arrays), and anything the spec algorithms would drop or
// reject (relative or ill-formed IRIs, bad language tags, free-floating
// values, limits), makes it return false without a result: the caller then
// runs the spec path (Expand + node map + deserialization), which is the
// reference and produces the errors. So the direct path never decides an
// error, and where it succeeds it yields the spec path's dataset up to
// quad order and blank node labels (tests: direct_to_rdf_test.cc and the
// ld_direct_to_rdf fuzzer compare the two).

#include <span>
#include <string_view>

#include "credstack/json/json.h"
#include "credstack/ld/dataset.h"
#include "credstack/ld/jsonld.h"

namespace credstack::ld::internal {

// Deserializes the object `input` as seen through `view` into `out`
// (cleared first). Returns false when the spec path must be used instead
// (`out` is then unspecified).
bool DirectToRdf(const json::Object& input, const JsonLdOptions& options,
                 const DocumentView& view, RdfDataset& out);
// The same for any document (an object, or an array of node objects).
bool DirectToRdf(const json::Value& input, const JsonLdOptions& options,
                 RdfDataset& out);

}  // namespace credstack::ld::internal
