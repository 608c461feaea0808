#include "credstack/app/verification.h"

#include "credstack/status/status_checker.h"

namespace credstack::app {

VerificationService::VerificationService(VerificationServiceOptions options)
    : options_(std::move(options)) {
  if (options_.clock == nullptr) options_.clock = &SystemClock::Instance();
  if (!options_.resolver) {
    options_.resolver = std::make_shared<vc::StaticDocumentResolver>();
  }
  if (!options_.status_checker) {
    options_.status_checker =
        std::make_shared<status::BitstringStatusChecker>();
  }
}

vc::VerifyOptions VerificationService::Options() const {
  vc::VerifyOptions o = vc::VerifyOptions::Default(*options_.clock);
  o.resolver = options_.resolver.get();
  o.status_checker = options_.status_checker.get();
  o.log_checker = options_.log_checker.get();
  return o;
}

vc::VerificationReport VerificationService::VerifyCredentialText(
    std::string_view text) const {
  vc::VerificationReport r = vc::VerifyCredentialText(text, Options());
  if (options_.on_result) options_.on_result(r.verified);
  return r;
}

vc::VerificationReport VerificationService::VerifyCredential(
    const json::Value& credential) const {
  vc::VerificationReport r = vc::VerifyCredential(credential, Options());
  if (options_.on_result) options_.on_result(r.verified);
  return r;
}

vc::PresentationReport VerificationService::VerifyPresentation(
    const json::Value& presentation, std::optional<std::string> challenge,
    std::optional<std::string> domain) const {
  vc::VerifyOptions o = Options();
  o.challenge = std::move(challenge);
  o.domain = std::move(domain);
  vc::PresentationReport r = vc::VerifyPresentation(presentation, o);
  if (options_.on_result) {
    for (const vc::VerificationReport& c : r.credentials) {
      options_.on_result(c.verified);
    }
  }
  return r;
}

}  // namespace credstack::app
