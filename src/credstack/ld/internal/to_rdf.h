#pragma once

// JSON-LD 1.1 API §7.2 Node Map Generation and §8.1 to §8.3 Deserialize
// JSON-LD to RDF, over an expanded document. Internal to the ld module.

#include <optional>
#include <string>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/ld/jsonld.h"
#include "credstack/ld/rdf.h"

namespace credstack::ld::internal {

Result<Dataset> DeserializeToRdf(const json::Value& expanded,
                                 const JsonLdOptions& options);

// JSON-LD 1.1 API §8.2.2 steps 9 to 12 for a boolean, number or string
// @value with the value object's @type (nullopt: none) and whether it has
// @language: the literal's lexical form and datatype (a view of `datatype`
// or of a constant). nullopt for other JSON values. js_compat as
// JsonLdOptions::jsonld_js_compat.
struct LiteralForm {
  std::string lexical;
  std::string_view datatype;
};
std::optional<LiteralForm> LiteralOf(const json::Value& value,
                                     std::optional<std::string_view> datatype,
                                     bool has_language, bool js_compat);

// §8.6 xsd:integer lexical form of an integral number as jsonld.js writes
// it (ECMAScript Number.prototype.toFixed(0)).
std::string JsToFixed0(double d);

// ECMAScript parseFloat(s) (ECMA-262 §19.2.4), used by jsonld.js for string
// values typed xsd:double. Returns NaN when no number prefix is found.
double JsParseFloat(std::string_view s);

}  // namespace credstack::ld::internal
