#include "credstack/store/internal/migration.h"

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
    CREDSTACK_CHECK_MSG(version == static_cast<int64_t>(out.size()) + 1,
                        "migrations must be numbered 1, 2, ... in order");
    out.push_back(
        Migration{.version = version, .name = f.key.substr(5), .sql = f.body});
  }
  CREDSTACK_CHECK_MSG(!out.empty(), "no migrations embedded");
  return out;
}

}  // namespace credstack::store::internal
