#pragma once

// The resolver for documents that are not our own (DESIGN.md,
// "Verification pipeline"): did:web DID documents and Bitstring Status List
// credentials, from documents supplied offline (directories, as `credstack
// verify --status-dir`) or, when online, over HTTPS with a host allowlist,
// size and time limits and a cache that honours the status list's ttl and
// validUntil (Bitstring Status List v1.0 §2.2) or the server's
// Cache-Control max-age. Offline mode makes no network access at all.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/app/http_fetcher.h"
#include "credstack/base/time.h"
#include "credstack/json/json.h"
#include "credstack/vc/resolver.h"

namespace credstack::app {

struct ForeignResolverOptions {
  // No network at all: only `offline_documents`.
  bool offline = true;
  // Hosts that may be fetched ("issuer.example", "*.example.edu" for any
  // subdomain, "*" for any host). Empty: none.
  std::vector<std::string> allowed_hosts;
  // Plain http:// only for these hosts (e.g. 127.0.0.1 in tests); https
  // otherwise.
  std::vector<std::string> http_hosts;
  size_t max_document_bytes = 4 * 1024 * 1024;
  std::chrono::milliseconds timeout{5'000};
  // Reuse when a document says nothing about freshness (ms).
  uint64_t default_ttl_ms = 5 * 60 * 1000;
  // Upper bound on any reuse, whatever the document says (ms).
  uint64_t max_ttl_ms = 24 * 60 * 60 * 1000;
  size_t max_cached_documents = 1024;
};

// The https URL a did:web DID resolves to (did:web method §3.2: host with
// %3A port, ":" path segments, /.well-known/did.json for a bare host).
// kInvalidArgument for anything else.
Result<std::string> DidWebUrl(std::string_view did);

// The host[:port] of an http(s) URL, lowercase; kInvalidArgument otherwise.
Result<std::string> UrlHost(std::string_view url);

// Thread-safe.
class ForeignDocumentResolver final : public vc::DocumentResolver {
 public:
  // `fetcher` may be null (then the resolver is offline whatever the
  // options say); it must outlive the resolver.
  ForeignDocumentResolver(ForeignResolverOptions options,
                          std::shared_ptr<const vc::StaticDocumentResolver> offline_documents,
                          std::shared_ptr<const HttpFetcher> fetcher, const Clock& clock);

  Result<std::shared_ptr<const json::Value>> Resolve(std::string_view url) const override;

  struct Stats {
    uint64_t fetches = 0;
    uint64_t cache_hits = 0;
  };
  Stats stats() const;
  // Drops cached documents.
  void Clear() const;

 private:
  bool HostAllowed(std::string_view host) const;
  struct Cached {
    std::shared_ptr<const json::Value> doc;
    Timestamp expires;
  };
  ForeignResolverOptions options_;
  std::shared_ptr<const vc::StaticDocumentResolver> offline_;
  std::shared_ptr<const HttpFetcher> fetcher_;
  const Clock& clock_;
  mutable std::mutex mu_;
  mutable std::map<std::string, Cached, std::less<>> cache_;
  mutable Stats stats_;
};

// How long a fetched document may be reused (ms): for a status list
// credential the smaller of its ttl and the time to its validUntil; else
// the response's max-age; else default_ttl_ms; capped at max_ttl_ms.
uint64_t DocumentTtlMs(const json::Value& doc, std::optional<uint64_t> max_age_seconds,
                       Timestamp now, const ForeignResolverOptions& options);

}  // namespace credstack::app
