#include <string>

#include "credstack/store/postgres/pg_store.h"
#include "credstack/store/sqlite/sqlite_store.h"
#include "credstack/store/store.h"

namespace credstack::store {

bool IsPostgresLocation(std::string_view location) {
  return location.starts_with("postgres://") ||
         location.starts_with("postgresql://");
}

Result<std::unique_ptr<Store>> OpenStore(std::string_view location,
                                         const StoreOptions& options) {
  if (IsPostgresLocation(location)) {
    return postgres::OpenPostgresStore(location, options);
  }
  std::string_view path = location;
  if (path.starts_with("sqlite://")) {
    path.remove_prefix(9);  // sqlite:///abs -> /abs, sqlite://rel -> rel
  } else if (path.find("://") != std::string_view::npos) {
    return InvalidArgumentError(
        "store: unsupported database URL (use sqlite:///path, a plain path "
        "or postgres://...)");
  }
  if (path.empty()) return InvalidArgumentError("store: empty database path");
  return sqlite::OpenSqliteStore(path, options);
}

}  // namespace credstack::store
