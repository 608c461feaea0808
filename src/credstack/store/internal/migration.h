#pragma once

// Schema migrations compiled into the binary from
// src/credstack/store/migrations/{sqlite,postgres}/NNNN_name.sql by
// credstack_embed() (store/CMakeLists.txt checks the numbering at configure
// time). Internal to store/.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "credstack/base/embedded_file.h"
#include "credstack/base/status.h"

namespace credstack::store::internal {

struct Migration {
  int64_t version;  // 1, 2, ... (the NNNN of the file name)
  std::string_view name;
  std::string_view sql;  // one or more statements, run in one transaction
};

// The embedded files, keyed "NNNN_name", in version order. Each table is
// linked into its backend only.
extern const EmbeddedFile kSqliteMigrationFiles[];
extern const size_t kSqliteMigrationFilesCount;
extern const EmbeddedFile kPostgresMigrationFiles[];
extern const size_t kPostgresMigrationFilesCount;

// Parses the keys into versions. A malformed table (numbers not unique and
// ascending from 1) is a build bug and fails a CHECK. Numbers may have gaps
// (reserved by areas that land later); see PendingMigrations().
std::vector<Migration> MigrationsFrom(std::span<const EmbeddedFile> files);

// The migrations of `known` that `applied` (the versions a database has
// recorded, any order) lacks, in version order. kFailedPrecondition when
// the database has a version this binary does not know (a newer credstack
// migrated it).
Result<std::vector<Migration>> PendingMigrations(
    const std::vector<Migration>& known, std::vector<int64_t> applied);

}  // namespace credstack::store::internal
