#include "credstack/status/status_checker.h"

#include "credstack/vc/structure.h"

namespace credstack::status {

void BitstringStatusChecker::Invalidate() const {
  std::lock_guard lock(mu_);
  cache_.clear();
}

BitstringStatusChecker::Fetched BitstringStatusChecker::Fetch(
    const std::string& url, const vc::VerifyOptions& options) const {
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(url); it != cache_.end() && options.now < it->second.expires) {
      return {it->second.list, it->second.issuer};
    }
  }
  Fetched out;
  if (!options.resolver) {
    out.problem = StatusProblem::kStatusRetrieval;
    out.detail = "status list " + url + " cannot be retrieved: no resolver (offline; supply it, "
                 "e.g. --status-dir)";
    return out;
  }
  auto doc = options.resolver->Resolve(url);
  if (!doc.ok()) {
    out.problem = StatusProblem::kStatusRetrieval;
    out.detail = "status list " + url + " cannot be retrieved: " + doc.error().message();
    return out;
  }
  // §3.2 step 4: the list credential's own proof must verify. Its own
  // status (if any) is not followed, to avoid loops.
  vc::VerifyOptions list_opts = options;
  list_opts.status_checker = nullptr;
  list_opts.log_checker = nullptr;
  list_opts.challenge.reset();
  list_opts.domain.reset();
  vc::VerificationReport report = vc::VerifyCredential(**doc, list_opts);
  if (!report.verified) {
    out.problem = StatusProblem::kStatusVerification;
    out.detail = "status list " + url + " does not verify: " +
                 (report.errors.empty() ? std::string("unknown") : report.errors.front());
    return out;
  }
  auto parsed = ParseStatusList(**doc, options_.check);
  if (!parsed.ok()) {
    out.problem = StatusProblem::kStatusRetrieval;
    out.detail = "status list " + url + ": " + parsed.error().message();
    return out;
  }
  if (parsed->problem != StatusProblem::kNone) {
    out.problem = parsed->problem;
    out.detail = "status list " + url + ": " + parsed->detail;
    return out;
  }
  auto list = std::make_shared<const StatusList>(std::move(parsed->list));
  out.list = list;
  out.issuer = vc::IssuerId((*doc)->as_object());
  Timestamp expires = options.now;
  uint64_t ttl = list->ttl_ms.value_or(options_.default_ttl_ms);
  expires.unix_micros += static_cast<int64_t>(std::min<uint64_t>(ttl, 86'400'000ULL * 365)) * 1000;
  if (list->valid_until && *list->valid_until < expires) expires = *list->valid_until;
  {
    std::lock_guard lock(mu_);
    if (cache_.size() >= options_.max_cached_lists) cache_.clear();
    cache_[url] = Cached{list, out.issuer, expires};
  }
  return out;
}

vc::Check BitstringStatusChecker::CheckStatus(const json::Object& credential,
                                              const vc::VerifyOptions& options) const {
  vc::Check check{std::string(vc::kCheckStatus), false, ""};
  const json::Value* cs = credential.if_contains("credentialStatus");
  if (!cs) {
    check.ok = true;
    check.detail = "no credentialStatus";
    return check;
  }
  std::vector<const json::Value*> entries;
  if (cs->is_array()) {
    for (const auto& e : cs->get_array()) entries.push_back(&e);
  } else {
    entries.push_back(cs);
  }
  std::string issuer = vc::IssuerId(credential);
  std::string details;
  bool all_ok = true;
  for (const json::Value* e : entries) {
    ParsedEntry pe = ParseStatusEntry(*e, options_.check);
    std::string line;
    bool ok = false;
    if (pe.problem != StatusProblem::kNone) {
      line = std::string(ProblemName(pe.problem)) + ": " + pe.detail;
    } else {
      Fetched f = Fetch(pe.entry.list_credential, options);
      if (f.problem != StatusProblem::kNone) {
        line = std::string(ProblemName(f.problem)) + ": " + f.detail;
      } else if (options_.require_same_issuer && f.issuer != issuer) {
        line = "STATUS_VERIFICATION_ERROR: status list " + pe.entry.list_credential +
               " is issued by " + f.issuer + ", not by the credential's issuer";
      } else {
        EntryCheck c = CheckEntry(pe.entry, *f.list, options_.check);
        if (!c.ok()) {
          line = std::string(ProblemName(c.problem)) + ": " + c.detail;
        } else if (c.purpose == "message") {
          ok = true;
          line = "message: " + c.message.value_or(std::to_string(c.status));
        } else if (c.valid) {
          ok = true;
          line = c.purpose == "revocation"   ? "not revoked"
                 : c.purpose == "suspension" ? "not suspended"
                                             : c.purpose + " status 0";
        } else {
          line = c.purpose == "revocation"   ? "REVOKED"
                 : c.purpose == "suspension" ? "SUSPENDED"
                                             : c.purpose + " status " + std::to_string(c.status);
        }
        line += " (" + pe.entry.list_credential + " index " + std::to_string(pe.entry.index) + ")";
      }
    }
    all_ok = all_ok && ok;
    if (!details.empty()) details += "; ";
    details += line;
  }
  check.ok = all_ok;
  check.detail = details;
  return check;
}

}  // namespace credstack::status
