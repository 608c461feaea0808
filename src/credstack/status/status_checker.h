#pragma once

// The verifier's "status" check (vc::StatusChecker) for Bitstring Status
// List entries (W3C Bitstring Status List v1.0 §3.2): dereference each list
// credential through the one DocumentResolver, verify it (proof, issuer,
// validity), and read the entry. Verified lists are cached per URL until
// their ttl (or validUntil, or a default) passes.

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "credstack/status/check.h"
#include "credstack/vc/verify.h"

namespace credstack::status {

struct StatusCheckerOptions {
  CheckOptions check;
  // How long a verified list is reused when it has no ttl (ms).
  uint64_t default_ttl_ms = 5 * 60 * 1000;
  // Max lists kept; the cache is cleared when it grows past this.
  size_t max_cached_lists = 1024;
  // Require the list credential's issuer to be the credential's issuer (a
  // third party's list cannot revoke or un-revoke your credential).
  bool require_same_issuer = true;
};

class BitstringStatusChecker final : public vc::StatusChecker {
 public:
  explicit BitstringStatusChecker(StatusCheckerOptions options = {}) : options_(std::move(options)) {}

  // Thread-safe.
  vc::Check CheckStatus(const json::Object& credential,
                        const vc::VerifyOptions& options) const override;

  // Drops every cached list (e.g. after a local status change).
  void Invalidate() const;

 private:
  struct Cached {
    std::shared_ptr<const StatusList> list;
    std::string issuer;
    Timestamp expires;
  };
  // Returns the verified, parsed list, or a problem with detail.
  struct Fetched {
    std::shared_ptr<const StatusList> list;
    std::string issuer;
    StatusProblem problem = StatusProblem::kNone;
    std::string detail;
  };
  Fetched Fetch(const std::string& url, const vc::VerifyOptions& options) const;

  StatusCheckerOptions options_;
  mutable std::mutex mu_;
  mutable std::map<std::string, Cached, std::less<>> cache_;
};

}  // namespace credstack::status
