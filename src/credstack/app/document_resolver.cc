#include "credstack/app/document_resolver.h"

#include <algorithm>
#include <cctype>


namespace credstack::app {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ValidHostChars(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (char c : host) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
          c == '[' || c == ']')) {
      return false;
    }
  }
  return true;
}

std::string StripPort(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    return std::string(host.substr(0, close == std::string_view::npos ? host.size() : close + 1));
  }
  return std::string(host.substr(0, host.find(':')));
}

}  // namespace

Result<std::string> DidWebUrl(std::string_view did) {
  constexpr std::string_view kPrefix = "did:web:";
  if (did.substr(0, kPrefix.size()) != kPrefix || did.size() > 2048) {
    return InvalidArgumentError("not a did:web DID");
  }
  std::string_view rest = did.substr(kPrefix.size());
  if (rest.find_first_of("#?/") != std::string_view::npos) {
    return InvalidArgumentError("did:web DID must not have a path, query or fragment here");
  }
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t colon = rest.find(':', start);
    parts.push_back(rest.substr(start, colon == std::string_view::npos ? rest.npos : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  // did:web §3.2 Read: the host's port is percent-encoded as %3A.
  std::string host(parts[0]);
  for (size_t p; (p = host.find("%3A")) != std::string::npos || (p = host.find("%3a")) != std::string::npos;) {
    host.replace(p, 3, ":");
  }
  if (!ValidHostChars(host)) return InvalidArgumentError("did:web: invalid host");
  std::string url = "https://" + Lower(host);
  if (parts.size() == 1) return url + "/.well-known/did.json";
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].empty() || parts[i] == "." || parts[i] == ".." ||
        parts[i].find('%') != std::string_view::npos) {
      return InvalidArgumentError("did:web: invalid path segment");
    }
    url += "/";
    url += parts[i];
  }
  return url + "/did.json";
}

Result<std::string> UrlHost(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return InvalidArgumentError("not a URL");
  std::string scheme = Lower(url.substr(0, scheme_end));
  if (scheme != "https" && scheme != "http") {
    return InvalidArgumentError("only http(s) URLs can be fetched");
  }
  std::string_view rest = url.substr(scheme_end + 3);
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.find('@') != std::string_view::npos) {
    return InvalidArgumentError("URLs with user information are refused");
  }
  if (!ValidHostChars(host)) return InvalidArgumentError("invalid host in URL");
  return Lower(host);
}

uint64_t DocumentTtlMs(const json::Value& doc, std::optional<uint64_t> max_age_seconds,
                       Timestamp now, const ForeignResolverOptions& options) {
  uint64_t ttl = options.default_ttl_ms;
  bool from_doc = false;
  if (const json::Object* o = doc.if_object()) {
    // Bitstring Status List v1.0 §2.2: ttl (ms) in credentialSubject, and
    // the list credential's validUntil.
    const json::Value* subject = o->if_contains("credentialSubject");
    if (subject && subject->is_object()) {
      const json::Value* t = subject->as_object().if_contains("ttl");
      if (t && t->is_int64() && t->as_int64() >= 0) {
        ttl = static_cast<uint64_t>(t->as_int64());
        from_doc = true;
      } else if (t && t->is_uint64()) {
        ttl = t->as_uint64();
        from_doc = true;
      }
    }
    if (auto until = json::GetString(*o, "validUntil")) {
      auto when = ParseDateTime(*until);
      if (when.ok()) {
        int64_t left_ms = (when->unix_micros - now.unix_micros) / 1000;
        uint64_t left = left_ms > 0 ? static_cast<uint64_t>(left_ms) : 0;
        ttl = from_doc ? std::min(ttl, left) : std::min(left, ttl);
        from_doc = true;
      }
    }
  }
  if (!from_doc && max_age_seconds) ttl = *max_age_seconds * 1000;
  return std::min(ttl, options.max_ttl_ms);
}

ForeignDocumentResolver::ForeignDocumentResolver(
    ForeignResolverOptions options, std::shared_ptr<const vc::StaticDocumentResolver> offline,
    std::shared_ptr<const HttpFetcher> fetcher, const Clock& clock)
    : options_(std::move(options)),
      offline_(std::move(offline)),
      fetcher_(std::move(fetcher)),
      clock_(clock) {
  for (std::string& h : options_.allowed_hosts) h = Lower(h);
  for (std::string& h : options_.http_hosts) h = Lower(h);
}

bool ForeignDocumentResolver::HostAllowed(std::string_view host) const {
  std::string bare = StripPort(host);
  for (const std::string& a : options_.allowed_hosts) {
    if (a == "*" || a == host || a == bare) return true;
    if (a.size() > 2 && a[0] == '*' && a[1] == '.') {
      std::string_view suffix = std::string_view(a).substr(1);  // ".example.edu"
      if (bare.size() > suffix.size() &&
          bare.compare(bare.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return true;
      }
    }
  }
  return false;
}

ForeignDocumentResolver::Stats ForeignDocumentResolver::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void ForeignDocumentResolver::Clear() const {
  std::lock_guard lock(mu_);
  cache_.clear();
}

Result<std::shared_ptr<const json::Value>> ForeignDocumentResolver::Resolve(
    std::string_view url) const {
  if (offline_) {
    auto doc = offline_->Resolve(url);
    if (doc.ok()) return doc;
  }
  const Timestamp now = clock_.Now();
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(url);
    if (it != cache_.end()) {
      if (now < it->second.expires) {
        ++stats_.cache_hits;
        return it->second.doc;
      }
      cache_.erase(it);
    }
  }
  if (options_.offline || !fetcher_) {
    return NotFoundError("offline: " + std::string(url.substr(0, 200)) +
                         " is not among the supplied documents");
  }
  std::string target;
  if (url.substr(0, 8) == "did:web:") {
    CREDSTACK_ASSIGN_OR_RETURN(target, DidWebUrl(url));
  } else if (url.substr(0, 4) == "did:") {
    return NotFoundError("cannot resolve " + std::string(url.substr(0, 80)) +
                         ": only did:web is fetched");
  } else {
    target = std::string(url);
    if (target.find('#') != std::string::npos) target.erase(target.find('#'));
  }
  CREDSTACK_ASSIGN_OR_RETURN(std::string host, UrlHost(target));
  if (!HostAllowed(host)) {
    return PermissionDeniedError("host " + host + " is not on the resolver's allowlist");
  }
  bool plain_http = std::find(options_.http_hosts.begin(), options_.http_hosts.end(), host) !=
                    options_.http_hosts.end();
  if (target.substr(0, 5) == "http:" && !plain_http) {
    return PermissionDeniedError("plain http is not allowed for " + host);
  }
  if (plain_http && target.substr(0, 6) == "https:") target.replace(0, 5, "http");
  HttpFetchRequest req;
  req.url = target;
  req.headers = {{"Accept", "application/ld+json, application/json;q=0.9, */*;q=0.1"}};
  req.max_response_bytes = options_.max_document_bytes;
  req.timeout = options_.timeout;
  CREDSTACK_ASSIGN_OR_RETURN(HttpFetchResponse resp, fetcher_->Fetch(req));
  {
    std::lock_guard lock(mu_);
    ++stats_.fetches;
  }
  if (resp.status == 404 || resp.status == 410) {
    return NotFoundError(target + " answered " + std::to_string(resp.status));
  }
  if (resp.status != 200) {
    return UnavailableError(target + " answered " + std::to_string(resp.status));
  }
  json::ParseOptions po;
  po.max_size = options_.max_document_bytes;
  auto parsed = json::Parse(resp.body, po);
  if (!parsed.ok()) {
    return Status(parsed.error().code() == Code::kResourceExhausted ? Code::kResourceExhausted
                                                                     : Code::kInvalidArgument,
                  target + ": " + parsed.error().message());
  }
  auto doc = std::make_shared<const json::Value>(std::move(*parsed));
  uint64_t ttl = DocumentTtlMs(*doc, resp.max_age_seconds, now, options_);
  if (ttl > 0) {
    std::lock_guard lock(mu_);
    if (cache_.size() >= options_.max_cached_documents) cache_.clear();
    cache_[std::string(url)] =
        Cached{doc, Timestamp{now.unix_micros + static_cast<int64_t>(ttl) * 1000}};
  }
  return doc;
}

}  // namespace credstack::app
