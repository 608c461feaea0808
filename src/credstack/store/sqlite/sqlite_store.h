#pragma once

// The embedded SQLite backend: one database file (WAL mode), one writer
// connection that serves every Transact (writers are serialized, in-process
// by a mutex and across processes by SQLite's lock with a busy timeout) and a
// few read-only connections for Read (WAL readers never block the writer).
// SQLite enters credstack only through this folder.

#include <memory>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/store/store.h"

namespace credstack::store::sqlite {

// Opens or creates the database file at `path` (created with mode 0600) and
// applies pending migrations in one transaction. See OpenStore in store.h for
// the errors.
Result<std::unique_ptr<Store>> OpenSqliteStore(std::string_view path,
                                               const StoreOptions& options);

}  // namespace credstack::store::sqlite
