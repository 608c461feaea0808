#include "credstack/app/own_document_resolver.h"

#include <utility>

#include "credstack/app/did_documents.h"

namespace credstack::app {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsSlug(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

OwnDocumentResolver::OwnDocumentResolver(std::shared_ptr<store::Store> store,
                                         PublicUrls urls,
                                         OwnDocumentResolverOptions options)
    : store_(std::move(store)), urls_(std::move(urls)), options_(options) {}

void OwnDocumentResolver::AddSource(std::string prefix, Source source,
                                    bool cacheable) {
  sources_.push_back(
      SourceEntry{std::move(prefix), std::move(source), cacheable});
}

void OwnDocumentResolver::Invalidate() const {
  std::lock_guard<std::mutex> lock(mu_);
  cache_.clear();
}

Result<std::shared_ptr<const json::Value>> OwnDocumentResolver::Resolve(
    std::string_view url) const {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(url);
    if (it != cache_.end() && it->second.expires > now) return it->second.doc;
  }
  bool cacheable = true;
  CREDSTACK_ASSIGN_OR_RETURN(std::shared_ptr<const json::Value> doc,
                             ResolveUncached(url, cacheable));
  if (cacheable) {
    std::lock_guard<std::mutex> lock(mu_);
    if (cache_.size() >= options_.max_cached) cache_.clear();
    cache_.insert_or_assign(std::string(url),
                            Entry{doc, now + options_.cache_ttl});
  }
  return doc;
}

Result<std::shared_ptr<const json::Value>> OwnDocumentResolver::IssuerDocument(
    std::string_view slug) const {
  if (!IsSlug(slug)) return NotFoundError("not an issuer of this deployment");
  json::Value doc;
  CREDSTACK_RETURN_IF_ERROR(store_->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(store::Organization org,
                               tx.organizations().GetBySlug(slug));
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::SigningKey> keys,
                               tx.signing_keys().ListByOrg(org.id));
    doc = IssuerDidDocument(urls_, org, keys);
    return OkStatus();
  }));
  return std::make_shared<const json::Value>(std::move(doc));
}

Result<std::shared_ptr<const json::Value>> OwnDocumentResolver::ResolveUncached(
    std::string_view url, bool& cacheable) const {
  // The DID, or the URL did:web maps it to (did:web §3.2).
  const std::string& host = urls_.host_did();
  if (url == host || url == urls_.base() + "/.well-known/did.json") {
    return std::make_shared<const json::Value>(HostDidDocument(urls_));
  }
  std::string did_prefix = host + ":issuers:";
  if (StartsWith(url, did_prefix)) {
    return IssuerDocument(url.substr(did_prefix.size()));
  }
  std::string url_prefix = urls_.base() + "/issuers/";
  constexpr std::string_view kSuffix = "/did.json";
  if (StartsWith(url, url_prefix) &&
      url.size() > url_prefix.size() + kSuffix.size() &&
      url.substr(url.size() - kSuffix.size()) == kSuffix) {
    return IssuerDocument(url.substr(
        url_prefix.size(), url.size() - url_prefix.size() - kSuffix.size()));
  }
  for (const SourceEntry& s : sources_) {
    if (StartsWith(url, s.prefix)) {
      cacheable = s.cacheable;
      return s.source(url);
    }
  }
  return NotFoundError("not a document of this deployment");
}

}  // namespace credstack::app
