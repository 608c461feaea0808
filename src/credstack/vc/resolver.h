#pragma once

// The one way verification reaches documents it does not hold: DID
// documents (did:web) and status list credentials. Implementations add the
// allowlist, size and time limits, caching and an offline mode; the vc
// module only asks. did:key needs no resolver (the key is in the DID).

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/json/json.h"

namespace credstack::vc {

class DocumentResolver {
 public:
  virtual ~DocumentResolver() = default;
  // Returns the document for url (a DID, or an https URL without fragment).
  // Errors: kNotFound (no such document / not in the offline set),
  // kPermissionDenied (not on the allowlist), kUnavailable (network),
  // kResourceExhausted (too large), kInvalidArgument (not JSON).
  // Must be thread-safe.
  virtual Result<std::shared_ptr<const json::Value>> Resolve(std::string_view url) const = 0;
};

// Serves a fixed set of documents held in memory (offline mode; also what
// `credstack verify --status-dir` builds from files).
class StaticDocumentResolver final : public DocumentResolver {
 public:
  // Adds document under url; a later Add for the same url replaces it.
  void Add(std::string url, json::Value document);
  // Adds document under its own top-level "id" (fails when it has none).
  Status AddById(json::Value document);
  size_t size() const { return docs_.size(); }

  Result<std::shared_ptr<const json::Value>> Resolve(std::string_view url) const override;

 private:
  std::map<std::string, std::shared_ptr<const json::Value>, std::less<>> docs_;
};

// Tries resolvers in order and returns the first success (e.g. the
// server's own store, then an offline directory, then the network).
class ChainedResolver final : public DocumentResolver {
 public:
  void Append(std::shared_ptr<const DocumentResolver> r) { chain_.push_back(std::move(r)); }
  Result<std::shared_ptr<const json::Value>> Resolve(std::string_view url) const override;

 private:
  std::vector<std::shared_ptr<const DocumentResolver>> chain_;
};

}  // namespace credstack::vc
