#pragma once

// Status entries for new credentials (Bitstring Status List v1.0 §2.1
// BitstringStatusListEntry): each organization has lists per statusPurpose
// of 131,072 entries (§6.1 minimum for herd privacy); indexes are picked at
// random among the unused ones (§6.5) from a cached copy of the list's
// allocation bitmap; a new list is created when the current one is full.
// The pick is only reserved when IssueCredentialTx stores the allocation;
// a concurrent node taking the same index makes that transaction fail with
// kAlreadyExists: call Refresh() and pick again.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/app/signer_provider.h"
#include "credstack/app/urls.h"
#include "credstack/base/rng.h"
#include "credstack/base/time.h"
#include "credstack/json/json.h"
#include "credstack/status/allocator.h"
#include "credstack/store/store.h"

namespace credstack::app {

struct StatusAllocatorOptions {
  int64_t list_size = 131'072;
};

// Which of the organization's issuers the list belongs to (its credentials
// and the list must have the same issuer).
enum class ListIssuer { kDidWeb, kDidKey };

struct StatusEntry {
  std::string list_id;
  int64_t index = 0;
  store::StatusPurpose purpose = store::StatusPurpose::kRevocation;
};

// Thread-safe.
class StatusAllocator {
 public:
  StatusAllocator(std::shared_ptr<store::Store> store, PublicUrls urls,
                  const Clock* clock, Rng* rng,
                  StatusAllocatorOptions options = {});

  // n distinct random free entries of the organization's current list for
  // purpose (status size 1), creating lists as needed. Must not be called
  // inside a store transaction.
  Result<std::vector<StatusEntry>> Pick(
      std::string_view org_id, store::StatusPurpose purpose, size_t n,
      ListIssuer issuer = ListIssuer::kDidWeb);
  // Forgets the cached bitmaps of an organization.
  void Refresh(std::string_view org_id);

  // The credentialStatus member for an entry.
  json::Object EntryJson(const StatusEntry& entry) const;
  store::StatusAllocation Allocation(const StatusEntry& entry) const {
    return store::StatusAllocation{.list_id = entry.list_id,
                                   .index = entry.index};
  }

 private:
  struct Current {
    std::string list_id;
    status::AllocationBitmap bitmap;
  };
  Result<Current> LoadCurrent(std::string_view org_id,
                              store::StatusPurpose purpose, ListIssuer issuer);
  Result<std::string> CreateList(std::string_view org_id,
                                 store::StatusPurpose purpose, ListIssuer issuer);

  std::shared_ptr<store::Store> store_;
  PublicUrls urls_;
  const Clock* clock_;
  Rng* rng_;
  StatusAllocatorOptions options_;
  std::mutex mu_;
  std::map<std::string, Current, std::less<>> current_;  // org|purpose
};

}  // namespace credstack::app
