#pragma once

// Schema migrations compiled into the binary from
// src/credstack/store/migrations/{sqlite,postgres}/NNNN_name.sql
// (embed_migrations.cmake). Internal to store/.

#include <cstdint>
#include <span>
#include <string_view>

namespace credstack::store::internal {

struct Migration {
  int64_t version;  // 1, 2, ... (the NNNN of the file name)
  std::string_view name;
  std::string_view sql;  // one or more statements, run in one transaction
};

// Defined by the generated sources of each backend, in version order.
std::span<const Migration> SqliteMigrations();
std::span<const Migration> PostgresMigrations();

}  // namespace credstack::store::internal
