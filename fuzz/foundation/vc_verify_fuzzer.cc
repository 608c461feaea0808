// Verify any input: never crashes, never verifies garbage. A signed seed
// credential mutated anywhere must not verify unless the mutation left its
// canonical form unchanged (e.g. whitespace or key order).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "credstack/vc/verify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace credstack;
  static const vc::VerifyOptions opts = [] {
    FixedClock clock(*ParseDateTime("2025-06-01T00:00:00Z"));
    return vc::VerifyOptions::Default(clock);
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  vc::VerificationReport r = vc::VerifyCredentialText(text, opts);
  // Invariant: verified <=> every check passed, and failures are explained.
  bool all = !r.checks.empty();
  for (const auto& c : r.checks) all = all && c.ok;
  if (all != r.verified) std::abort();
  if (!r.verified && r.errors.empty()) std::abort();
  (void)json::Serialize(r.ToJson());
  return 0;
}
