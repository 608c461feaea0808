#pragma once

// The PostgreSQL backend (libpq): a small connection pool shared by
// Transact (READ COMMITTED, row locks) and Read (REPEATABLE READ READ ONLY
// snapshots). Several credstack nodes may share one database: migrations run
// under an advisory lock, job claiming uses FOR UPDATE SKIP LOCKED, and the
// log sequencer is a locked counter row. libpq enters credstack only through
// this folder.

#include <memory>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/store/store.h"

namespace credstack::store::postgres {

// Connects to `url` (any libpq connection URI: postgres://user@host:port/db),
// creates options.postgres_schema if set and applies pending migrations.
// See OpenStore in store.h for the errors.
Result<std::unique_ptr<Store>> OpenPostgresStore(std::string_view url,
                                                 const StoreOptions& options);

}  // namespace credstack::store::postgres
