#pragma once

// Verify(): the verification pipeline (docs/architecture.md): parse,
// structure, context, proof, issuer, validity, status, logged. Each check
// is reported separately; verified is true only when all pass.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "credstack/base/time.h"
#include "credstack/json/json.h"
#include "credstack/vc/cryptosuite.h"
#include "credstack/vc/resolver.h"
#include "credstack/vc/verification_report.h"

namespace credstack::vc {

struct VerifyOptions;

// Checks a credential's credentialStatus entries (implemented by the status
// module, which verifies the status list credential it resolves).
class StatusChecker {
 public:
  virtual ~StatusChecker() = default;
  // Returns the "status" check. Must not silently pass when a list cannot
  // be obtained. Thread-safe.
  virtual Check CheckStatus(const json::Object& credential, const VerifyOptions& options) const = 0;
};

// Checks that the credential is recorded in a transparency log (tlog).
class LogChecker {
 public:
  virtual ~LogChecker() = default;
  virtual Check CheckLogged(const json::Object& credential, const VerifyOptions& options) const = 0;
};

struct VerifyOptions {
  Timestamp now;
  SuiteOptions suite;  // suite.contexts must be set (Bundled() by default)
  const DocumentResolver* resolver = nullptr;
  const StatusChecker* status_checker = nullptr;
  const LogChecker* log_checker = nullptr;  // when set, adds the "logged" check
  std::string expected_purpose = "assertionMethod";
  std::optional<std::string> challenge;
  std::optional<std::string> domain;
  bool open_badges_schema = true;
  json::ParseOptions parse;

  // Options with the bundled contexts and now = clock.Now().
  static VerifyOptions Default(const Clock& clock);
};

VerificationReport VerifyCredential(const json::Value& credential, const VerifyOptions& options);

// Parses text first (the "parse" check) then verifies.
VerificationReport VerifyCredentialText(std::string_view text, const VerifyOptions& options);

struct PresentationReport {
  VerificationReport presentation;  // the presentation's own checks
  std::vector<VerificationReport> credentials;
  bool verified = false;
  json::Value ToJson() const;
};

// VC DM 2.0 §4.13 / VC-DI: the presentation proof (purpose
// "authentication", challenge and domain as given) and every embedded
// credential. A presentation without a proof fails unless
// allow_unsigned is set.
PresentationReport VerifyPresentation(const json::Value& presentation, const VerifyOptions& options,
                                      bool allow_unsigned = false);

}  // namespace credstack::vc
