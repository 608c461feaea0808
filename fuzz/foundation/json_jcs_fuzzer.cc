// JSON -> JCS: never crashes; canonical output parses back to a document
// whose canonical form is identical (JCS is idempotent).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "credstack/json/jcs.h"
#include "credstack/json/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto v = credstack::json::Parse(text);
  if (!v.ok()) return 0;
  auto c1 = credstack::json::Canonicalize(*v);
  if (!c1.ok()) return 0;
  auto v2 = credstack::json::Parse(*c1);
  if (!v2.ok()) std::abort();
  auto c2 = credstack::json::Canonicalize(*v2);
  if (!c2.ok() || *c1 != *c2) std::abort();
  // Serialize -> Parse also round-trips to the same canonical form.
  auto v3 = credstack::json::Parse(credstack::json::Serialize(*v));
  if (!v3.ok() || *credstack::json::Canonicalize(*v3) != *c1) std::abort();
  return 0;
}
