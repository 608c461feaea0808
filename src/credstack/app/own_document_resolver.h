#pragma once

// Resolves documents this deployment publishes itself straight from the
// store, without HTTP: the did:web DIDs of its organizations (and the host
// DID), and — through sources other areas add — e.g. status list
// credentials. Verification of our own credentials therefore works offline
// and on every node. Everything else is kNotFound, so the resolver can sit
// first in a vc::ChainedResolver.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/app/urls.h"
#include "credstack/store/store.h"
#include "credstack/vc/resolver.h"

namespace credstack::app {

struct OwnDocumentResolverOptions {
  // Documents are cached this long (a key rotation on another node becomes
  // visible after at most this; Invalidate() clears the local cache).
  std::chrono::milliseconds cache_ttl{10'000};
  size_t max_cached = 4096;
};

// Thread-safe.
class OwnDocumentResolver final : public vc::DocumentResolver {
 public:
  // Answers url, or kNotFound when the url is not one it serves.
  using Source = std::function<Result<std::shared_ptr<const json::Value>>(
      std::string_view url)>;

  OwnDocumentResolver(std::shared_ptr<store::Store> store, PublicUrls urls,
                      OwnDocumentResolverOptions options = {});

  // Adds a source for URLs starting with prefix (e.g.
  // urls.StatusListUrl("")). Call before serving; sources are tried in
  // order after the DID documents. Results are cached like DID documents
  // unless cacheable is false.
  void AddSource(std::string prefix, Source source, bool cacheable = true);

  Result<std::shared_ptr<const json::Value>> Resolve(
      std::string_view url) const override;

  // Drops every cached document (e.g. after a key rotation).
  void Invalidate() const;

  const PublicUrls& urls() const { return urls_; }

 private:
  Result<std::shared_ptr<const json::Value>> ResolveUncached(
      std::string_view url, bool& cacheable) const;
  Result<std::shared_ptr<const json::Value>> IssuerDocument(
      std::string_view slug) const;

  struct Entry {
    std::shared_ptr<const json::Value> doc;
    std::chrono::steady_clock::time_point expires;
  };
  struct SourceEntry {
    std::string prefix;
    Source source;
    bool cacheable = true;
  };

  std::shared_ptr<store::Store> store_;
  PublicUrls urls_;
  OwnDocumentResolverOptions options_;
  std::vector<SourceEntry> sources_;
  mutable std::mutex mu_;
  mutable std::map<std::string, Entry, std::less<>> cache_;
};

}  // namespace credstack::app
