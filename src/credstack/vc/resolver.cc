#include "credstack/vc/resolver.h"

namespace credstack::vc {

void StaticDocumentResolver::Add(std::string url, json::Value document) {
  docs_[std::move(url)] = std::make_shared<const json::Value>(std::move(document));
}

Status StaticDocumentResolver::AddById(json::Value document) {
  const auto* o = document.if_object();
  auto id = o ? json::GetString(*o, "id") : std::nullopt;
  if (!id || id->empty()) return InvalidArgumentError("document has no top-level \"id\"");
  std::string key(*id);
  Add(std::move(key), std::move(document));
  return OkStatus();
}

Result<std::shared_ptr<const json::Value>> StaticDocumentResolver::Resolve(
    std::string_view url) const {
  auto it = docs_.find(url);
  if (it == docs_.end()) {
    return NotFoundError("no document for " + std::string(url.substr(0, 200)) +
                         " in the offline set");
  }
  return it->second;
}

Result<std::shared_ptr<const json::Value>> ChainedResolver::Resolve(std::string_view url) const {
  Status last = NotFoundError("no resolver configured for " + std::string(url.substr(0, 200)));
  for (const auto& r : chain_) {
    auto doc = r->Resolve(url);
    if (doc.ok()) return doc;
    // A definite refusal (allowlist) stops the chain; "not here" moves on.
    if (doc.error().code() != Code::kNotFound) return doc.error();
    last = doc.error();
  }
  return last;
}

}  // namespace credstack::vc
