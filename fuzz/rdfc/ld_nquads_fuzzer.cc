// Fuzzes ld::ParseNQuads. Properties: no crash or hang on any input; what
// parses serializes to text that parses back to the same dataset and
// serializes to the same bytes again.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "credstack/base/utf8.h"
#include "credstack/ld/nquads.h"

namespace {

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "ld_nquads_fuzzer: property violated: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace credstack;
  using namespace credstack::ld;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  NQuadsLimits limits{.max_bytes = 1 << 16, .max_line_length = 1 << 12, .max_quads = 1000};
  Result<Dataset> d = ParseNQuads(text, limits);
  if (!d.ok()) {
    Require(d.error().code() == Code::kInvalidArgument ||
                d.error().code() == Code::kResourceExhausted,
            "unexpected error code");
    return 0;
  }
  std::string once = SerializeNQuads(*d);
  Require(IsValidUtf8(once), "serialization is valid UTF-8");
  Result<Dataset> again = ParseNQuads(once, {.max_bytes = 1 << 20, .max_line_length = 1 << 16});
  Require(again.ok(), "serialization parses");
  Require(*again == *d, "parse(serialize(d)) == d");
  Require(SerializeNQuads(*again) == once, "serialization is stable");
  return 0;
}
