#include "credstack/store/internal/migration.h"

#include <algorithm>
#include <string>

#include "credstack/base/status.h"

namespace credstack::store::internal {

std::vector<Migration> MigrationsFrom(std::span<const EmbeddedFile> files) {
  std::vector<Migration> out;
  for (const EmbeddedFile& f : files) {
    // "NNNN_name"
    CREDSTACK_CHECK_MSG(f.key.size() > 5 && f.key[4] == '_',
                        "migration key must be NNNN_name");
    int64_t version = 0;
    for (char c : f.key.substr(0, 4)) {
      CREDSTACK_CHECK_MSG(c >= '0' && c <= '9',
                          "migration key must be NNNN_name");
      version = version * 10 + (c - '0');
    }
    CREDSTACK_CHECK_MSG(
        version >= 1 && (out.empty() || version > out.back().version),
        "migration numbers must be unique, ascending and start at 1");
    out.push_back(
        Migration{.version = version, .name = f.key.substr(5), .sql = f.body});
  }
  CREDSTACK_CHECK_MSG(!out.empty(), "no migrations embedded");
  return out;
}

Result<std::vector<Migration>> PendingMigrations(
    const std::vector<Migration>& known, std::vector<int64_t> applied) {
  std::sort(applied.begin(), applied.end());
  for (int64_t v : applied) {
    bool found =
        std::any_of(known.begin(), known.end(),
                    [&](const Migration& m) { return m.version == v; });
    if (!found) {
      return FailedPreconditionError(
          "database schema version " + std::to_string(v) +
          " is newer than this credstack supports (" +
          std::to_string(known.back().version) + "); run a newer credstack");
    }
  }
  std::vector<Migration> out;
  for (const Migration& m : known) {
    if (!std::binary_search(applied.begin(), applied.end(), m.version)) {
      out.push_back(m);
    }
  }
  return out;
}

}  // namespace credstack::store::internal
