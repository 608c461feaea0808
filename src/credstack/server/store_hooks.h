#pragma once

// ServerHooks backed by the store: API-key lookup (api_keys table; revoked
// keys are refused), readiness (a database round trip) and database pool
// gauges for /metrics.

#include <memory>

#include "credstack/server/dispatcher.h"
#include "credstack/store/store.h"

namespace credstack::server {

// Sets hooks.api_keys and hooks.readiness, and registers the gauges
// credstack_db_connections_open, credstack_db_connections_in_use,
// credstack_db_transactions_committed and _rolled_back on hooks.metrics
// (created when null). The hooks keep `store` alive.
void AddStoreHooks(ServerHooks& hooks, std::shared_ptr<store::Store> store);

}  // namespace credstack::server
