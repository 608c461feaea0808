// Document loading from the pinned context set and the processed-context
// cache.

#include <mutex>

#include "credstack/ld/internal/context.h"
#include "credstack/ld/jsonld.h"

namespace credstack::ld {

ContextStoreLoader::ContextStoreLoader(
    std::shared_ptr<const ContextStore> store)
    : store_(std::move(store)) {}

Result<RemoteDocument> ContextStoreLoader::Load(std::string_view url) const {
  CREDSTACK_ASSIGN_OR_RETURN(ContextDocument doc, store_->Load(url));
  return RemoteDocument{std::move(doc.url), std::move(doc.document)};
}

std::shared_ptr<const DocumentLoader> ContextStoreLoader::Bundled() {
  static const std::shared_ptr<const DocumentLoader> loader =
      std::make_shared<ContextStoreLoader>(ContextStore::Bundled());
  return loader;
}

ContextCache::ContextCache(size_t max_entries)
    : impl_(std::make_unique<Impl>(max_entries)) {}
ContextCache::~ContextCache() = default;

std::shared_ptr<ContextCache> ContextCache::Default() {
  static const std::shared_ptr<ContextCache> cache =
      std::make_shared<ContextCache>();
  return cache;
}

size_t ContextCache::size() const {
  std::shared_lock lock(impl_->mu);
  return impl_->entries.size();
}

void ContextCache::Clear() {
  std::unique_lock lock(impl_->mu);
  impl_->entries.clear();
}

size_t internal::CacheImpl::KeyHash::operator()(const Key& k) const {
  size_t h = std::hash<uint64_t>{}(k.parent_id);
  auto mix = [&h](size_t x) {
    h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  };
  mix(std::hash<const void*>{}(k.local));
  mix(std::hash<std::string>{}(k.text));
  mix(std::hash<std::string>{}(k.base_url));
  mix(k.flags);
  return h;
}

internal::ContextPtr internal::CacheImpl::Find(const Key& key) const {
  std::shared_lock lock(mu);
  auto it = entries.find(key);
  return it == entries.end() ? nullptr : it->second.result;
}

void internal::CacheImpl::Insert(Key key,
                                 std::shared_ptr<const json::Value> owner,
                                 internal::ContextPtr result) {
  std::unique_lock lock(mu);
  if (entries.size() >= max_entries) entries.clear();
  entries.insert_or_assign(std::move(key),
                           Entry{std::move(owner), std::move(result)});
}

bool internal::CacheImpl::AcceptsLoader(
    const std::shared_ptr<const DocumentLoader>& l) {
  const DocumentLoader* current = loader.load(std::memory_order_acquire);
  if (current) return current == l.get();
  std::unique_lock lock(mu);
  current = loader.load(std::memory_order_relaxed);
  if (current) return current == l.get();
  loader_owner = l;  // keeps the address from being reused
  loader.store(l.get(), std::memory_order_release);
  return true;
}

internal::ContextPtr internal::CacheImpl::InitialFor(std::string_view base) {
  {
    std::shared_lock lock(mu);
    if (auto it = initial.find(std::string(base)); it != initial.end())
      return it->second;
  }
  auto ctx = std::make_shared<internal::ActiveContext>();
  ctx->id = internal::NextContextId();
  ctx->original_base = std::string(base);
  if (!base.empty()) ctx->base = std::string(base);
  std::unique_lock lock(mu);
  if (initial.size() >= 64) initial.clear();
  auto [it, inserted] = initial.emplace(std::string(base), std::move(ctx));
  return it->second;
}

std::string_view JsonLdErrorCode(const Status& status) {
  std::string_view m = status.message();
  if (status.ok()) return {};
  size_t colon = m.find(": ");
  return colon == std::string_view::npos ? m : m.substr(0, colon);
}

}  // namespace credstack::ld
