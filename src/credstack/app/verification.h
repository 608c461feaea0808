#pragma once

// Verification use cases behind POST /api/v1/verify and the W3C VC-API
// verifier endpoints (POST /credentials/verify, /presentations/verify):
// the same vc::VerifyCredential pipeline as `credstack verify`, with the
// server's resolver and status checker, and a hook that counts results.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "credstack/base/time.h"
#include "credstack/json/json.h"
#include "credstack/vc/resolver.h"
#include "credstack/vc/verify.h"

namespace credstack::app {

struct VerificationServiceOptions {
  // The source of "now" for validity periods.
  const Clock* clock = &SystemClock::Instance();
  // DID documents and status lists (the store's, then offline documents).
  // Null: an empty offline resolver (did:key only).
  std::shared_ptr<const vc::DocumentResolver> resolver;
  // Null: a Bitstring Status List checker over `resolver`.
  std::shared_ptr<const vc::StatusChecker> status_checker;
  // The "logged" check (app::LogChecker); null: no such check.
  std::shared_ptr<const vc::LogChecker> log_checker;
  // Called once per credential verified (metrics); must be thread-safe.
  std::function<void(bool verified)> on_result;
};

// Thread-safe; cheap to call concurrently.
class VerificationService {
 public:
  explicit VerificationService(VerificationServiceOptions options);

  // Parses and verifies a credential (the "parse" check comes first).
  vc::VerificationReport VerifyCredentialText(std::string_view text) const;
  vc::VerificationReport VerifyCredential(const json::Value& credential) const;

  // VC DM 2.0 §4.13: the presentation proof (purpose "authentication",
  // challenge and domain when given) and every embedded credential.
  vc::PresentationReport VerifyPresentation(
      const json::Value& presentation, std::optional<std::string> challenge,
      std::optional<std::string> domain) const;

 private:
  vc::VerifyOptions Options() const;

  VerificationServiceOptions options_;
};

}  // namespace credstack::app
