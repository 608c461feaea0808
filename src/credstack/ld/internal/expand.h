#pragma once

// JSON-LD 1.1 API §5.1 Expansion Algorithm and §5.3 Value Expansion.
// Internal to the ld module.

#include <boost/json/storage_ptr.hpp>
#include <optional>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/ld/internal/context.h"
#include "credstack/ld/jsonld.h"

namespace credstack::ld::internal {

// Expands input as §9.1 expand() does (initial context from options.base,
// expandContext, top-level @graph unwrapping). Every value of the result is
// allocated from sp.
Result<json::Value> ExpandDocument(const json::Value& input,
                                   const JsonLdOptions& options, Budget& budget,
                                   boost::json::storage_ptr sp);

// Value-object and node-object predicates on expanded JSON-LD.
bool IsValueObject(const json::Value& v);
bool IsListObject(const json::Value& v);
bool IsGraphObject(const json::Value& v);

}  // namespace credstack::ld::internal
