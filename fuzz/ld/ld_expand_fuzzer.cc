// Fuzzes JSON-LD expansion (credstack::ld::Expand) with the pinned contexts.
// Properties: never crashes or hangs (small limits), and expansion is
// deterministic: the same input gives the same result (or the same error)
// twice, with a warm and with a cold context cache, in and out of safe mode.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/ld/jsonld.h"

namespace {

using credstack::ld::JsonLdOptions;

std::string Outcome(const credstack::Result<credstack::json::Value>& r) {
  return r.ok() ? credstack::json::Serialize(*r) : r.error().ToString();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto doc = credstack::json::Parse(
      std::string_view(reinterpret_cast<const char*>(data), size),
      {.max_size = 64 * 1024, .max_depth = 32});
  if (!doc.ok()) return 0;
  for (bool safe : {false, true}) {
    JsonLdOptions options;
    options.safe_mode = safe;
    options.limits.max_expanded_values = 5'000;
    options.limits.max_contexts_processed = 200;
    auto first = credstack::ld::Expand(*doc, options);
    auto second = credstack::ld::Expand(*doc, options);
    JsonLdOptions cold = options;
    cold.loader = credstack::ld::ContextStoreLoader::Bundled();
    cold.cache = std::make_shared<credstack::ld::ContextCache>();
    auto third = credstack::ld::Expand(*doc, cold);
    CREDSTACK_CHECK_MSG(Outcome(first) == Outcome(second),
                        "expansion is not deterministic");
    CREDSTACK_CHECK_MSG(Outcome(first) == Outcome(third),
                        "context cache changed the result");
    if (first.ok()) CREDSTACK_CHECK(first->is_array());
  }
  return 0;
}
