#include "credstack/ld/context_store.h"

#include "credstack/ld/internal/embedded_contexts.h"

namespace credstack::ld {

ContextStore::ContextStore() {
  static const auto* bundled = [] {
    auto* docs = new std::map<std::string, ContextDocument, std::less<>>();
    for (size_t i = 0; i < internal::kEmbeddedContextsCount; ++i) {
      const auto& e = internal::kEmbeddedContexts[i];
      auto v = json::Parse(e.body);
      CREDSTACK_CHECK_MSG(v.ok(), e.key);
      docs->emplace(std::string(e.key),
                    ContextDocument{std::string(e.key),
                                    std::make_shared<const json::Value>(std::move(*v)), true});
    }
    return docs;
  }();
  docs_ = *bundled;
}

std::shared_ptr<const ContextStore> ContextStore::Bundled() {
  static const std::shared_ptr<const ContextStore> store = std::make_shared<ContextStore>();
  return store;
}

Status ContextStore::Add(std::string url, std::string_view json_text) {
  if (auto it = docs_.find(url); it != docs_.end()) {
    return AlreadyExistsError("context " + url +
                              (it->second.bundled ? " is bundled and cannot be replaced"
                                                  : " was already added"));
  }
  auto v = json::Parse(json_text);
  if (!v.ok()) return v.error().WithPrefix("context " + url);
  if (!v->is_object() || !v->as_object().contains("@context")) {
    return InvalidArgumentError("context " + url + ": document has no @context member");
  }
  ContextDocument doc{url, std::make_shared<const json::Value>(std::move(*v)), false};
  docs_.emplace(std::move(url), std::move(doc));
  return OkStatus();
}

Result<ContextDocument> ContextStore::Load(std::string_view url) const {
  auto it = docs_.find(url);
  if (it == docs_.end()) {
    return NotFoundError("JSON-LD context " + std::string(url.substr(0, 200)) +
                         " is not in the pinned set (credstack never fetches contexts)");
  }
  return it->second;
}

bool ContextStore::Contains(std::string_view url) const { return docs_.find(url) != docs_.end(); }

std::vector<std::string> ContextStore::Urls() const {
  std::vector<std::string> out;
  for (const auto& [url, doc] : docs_) out.push_back(url);
  return out;
}

}  // namespace credstack::ld
