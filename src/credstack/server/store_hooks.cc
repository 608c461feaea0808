#include "credstack/server/store_hooks.h"

namespace credstack::server {
namespace {

Role ToRole(store::ApiKeyRole r) {
  switch (r) {
    case store::ApiKeyRole::kAdmin:
      return Role::kAdmin;
    case store::ApiKeyRole::kIssuer:
      return Role::kIssuer;
    case store::ApiKeyRole::kViewer:
      return Role::kViewer;
  }
  return Role::kViewer;
}

}  // namespace

void AddStoreHooks(ServerHooks& hooks, std::shared_ptr<store::Store> store) {
  hooks.api_keys =
      [store](const crypto::Sha256Digest& hash) -> Result<Principal> {
    std::optional<Principal> found;
    Status s = store->Read([&](store::Tx& tx) -> Status {
      CREDSTACK_ASSIGN_OR_RETURN(store::ApiKey key,
                                 tx.api_keys().FindBySecretHash(hash));
      if (key.revoked_at.has_value()) return NotFoundError("revoked API key");
      found = Principal{key.id, key.org_id, ToRole(key.role)};
      return OkStatus();
    });
    if (!s.ok()) return s;
    return *found;
  };
  hooks.readiness = [store] { return store->Ping(); };
  if (!hooks.metrics) hooks.metrics = std::make_shared<Metrics>();
  auto stat = [store](int64_t store::StoreStats::*field) {
    return
        [store, field] { return static_cast<double>(store->stats().*field); };
  };
  hooks.metrics->AddGauge({"credstack_db_connections_open",
                           "Database connections open",
                           stat(&store::StoreStats::connections_open)});
  hooks.metrics->AddGauge({"credstack_db_connections_in_use",
                           "Database connections in use",
                           stat(&store::StoreStats::connections_in_use)});
  hooks.metrics->AddGauge({"credstack_db_transactions_committed",
                           "Database transactions committed since start",
                           stat(&store::StoreStats::transactions_committed)});
  hooks.metrics->AddGauge({"credstack_db_transactions_rolled_back",
                           "Database transactions rolled back since start",
                           stat(&store::StoreStats::transactions_rolled_back)});
}

}  // namespace credstack::server
