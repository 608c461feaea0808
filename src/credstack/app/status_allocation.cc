#include "credstack/app/status_allocation.h"

#include <utility>

#include "credstack/base/uuid.h"

namespace credstack::app {
namespace {

std::string CacheKey(std::string_view org_id, store::StatusPurpose purpose,
                     ListIssuer issuer) {
  return std::string(org_id) + "|" +
         std::string(store::StatusPurposeName(purpose)) +
         (issuer == ListIssuer::kDidKey ? "|key" : "|web");
}

bool IsDidKeyList(std::string_view id) {
  return id.substr(0, kDidKeyListPrefix.size()) == kDidKeyListPrefix;
}

}  // namespace

StatusAllocator::StatusAllocator(std::shared_ptr<store::Store> store,
                                 PublicUrls urls, const Clock* clock, Rng* rng,
                                 StatusAllocatorOptions options)
    : store_(std::move(store)),
      urls_(std::move(urls)),
      clock_(clock),
      rng_(rng),
      options_(options) {}

Result<std::string> StatusAllocator::CreateList(std::string_view org_id,
                                                store::StatusPurpose purpose,
                                                ListIssuer issuer) {
  Timestamp now = clock_->Now();
  store::StatusList list{
      .id = (issuer == ListIssuer::kDidKey ? std::string(kDidKeyListPrefix)
                                           : std::string()) +
            NewUuidV4(*rng_),
      .org_id = std::string(org_id),
      .purpose = purpose,
      .size = options_.list_size,
      .status_size = 1,
      .bits = Bytes(static_cast<size_t>((options_.list_size + 7) / 8), 0),
      .version = 0,
      .created = now,
      .updated = now};
  CREDSTACK_RETURN_IF_ERROR(store_->Transact(
      [&](store::Tx& tx) -> Status { return tx.status_lists().Create(list); }));
  return list.id;
}

Result<StatusAllocator::Current> StatusAllocator::LoadCurrent(
    std::string_view org_id, store::StatusPurpose purpose, ListIssuer issuer) {
  // The newest list with room; lists of another status size are not ours.
  std::optional<Current> found;
  CREDSTACK_RETURN_IF_ERROR(store_->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::StatusList> lists,
                               tx.status_lists().ListByOrg(org_id, purpose));
    for (auto it = lists.rbegin(); it != lists.rend(); ++it) {
      if (it->status_size != 1) continue;
      if (IsDidKeyList(it->id) != (issuer == ListIssuer::kDidKey)) continue;
      CREDSTACK_ASSIGN_OR_RETURN(Bytes bytes,
                                 tx.status_lists().GetAllocationBitmap(it->id));
      CREDSTACK_ASSIGN_OR_RETURN(
          status::AllocationBitmap bitmap,
          status::AllocationBitmap::FromBytes(static_cast<uint64_t>(it->size),
                                              std::move(bytes)));
      if (bitmap.free_count() == 0) break;  // older lists are fuller
      found = Current{it->id, std::move(bitmap)};
      return OkStatus();
    }
    return OkStatus();
  }));
  if (found) return std::move(*found);
  CREDSTACK_ASSIGN_OR_RETURN(std::string id, CreateList(org_id, purpose, issuer));
  CREDSTACK_ASSIGN_OR_RETURN(status::AllocationBitmap bitmap,
                             status::AllocationBitmap::Create(
                                 static_cast<uint64_t>(options_.list_size)));
  return Current{std::move(id), std::move(bitmap)};
}

Result<std::vector<StatusEntry>> StatusAllocator::Pick(
    std::string_view org_id, store::StatusPurpose purpose, size_t n,
    ListIssuer issuer) {
  std::string key = CacheKey(org_id, purpose, issuer);
  std::vector<StatusEntry> out;
  out.reserve(n);
  std::lock_guard<std::mutex> lock(mu_);
  while (out.size() < n) {
    auto it = current_.find(key);
    if (it == current_.end() || it->second.bitmap.free_count() == 0) {
      if (it != current_.end()) current_.erase(it);
      CREDSTACK_ASSIGN_OR_RETURN(Current c, LoadCurrent(org_id, purpose, issuer));
      it = current_.emplace(key, std::move(c)).first;
    }
    Current& c = it->second;
    while (out.size() < n && c.bitmap.free_count() > 0) {
      CREDSTACK_ASSIGN_OR_RETURN(uint64_t index,
                                 status::AllocateIndex(c.bitmap, *rng_));
      out.push_back(StatusEntry{.list_id = c.list_id,
                                .index = static_cast<int64_t>(index),
                                .purpose = purpose});
    }
  }
  return out;
}

void StatusAllocator::Refresh(std::string_view org_id) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string prefix = std::string(org_id) + "|";
  for (auto it = current_.begin(); it != current_.end();) {
    if (it->first.rfind(prefix, 0) == 0) {
      it = current_.erase(it);
    } else {
      ++it;
    }
  }
}

json::Object StatusAllocator::EntryJson(const StatusEntry& e) const {
  // Bitstring Status List v1.0 §2.1: statusListIndex is a string.
  std::string url = urls_.StatusListUrl(e.list_id);
  json::Object o;
  o["id"] = url + "#" + std::to_string(e.index);
  o["type"] = "BitstringStatusListEntry";
  o["statusPurpose"] = store::StatusPurposeName(e.purpose);
  o["statusListIndex"] = std::to_string(e.index);
  o["statusListCredential"] = url;
  return o;
}

}  // namespace credstack::app
