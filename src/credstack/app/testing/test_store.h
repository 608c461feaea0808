#pragma once

// A fresh store for app and service tests: SQLite in a temporary directory,
// or PostgreSQL in a new schema of the test server (the ctest fixture's
// CREDSTACK_TEST_POSTGRES_URL_FILE, or CREDSTACK_TEST_POSTGRES_URL).

#include <memory>
#include <string>

#include "credstack/base/status.h"
#include "credstack/store/store.h"

namespace credstack::app::testing {

enum class Backend { kSqlite, kPostgres };

class TestDatabase {
 public:
  explicit TestDatabase(Backend backend) : backend_(backend) {}
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // Empty when ready; otherwise why the backend is unavailable (skip).
  std::string Prepare();
  // A location `credstack serve --database` accepts (SQLite file URL or a
  // postgres URL; for PostgreSQL the schema goes in options).
  const std::string& location() const { return location_; }
  // The schema PostgreSQL stores must use (empty for SQLite).
  const std::string& schema() const { return schema_; }
  // A temporary directory that is removed with the database.
  const std::string& dir() const { return dir_; }
  Result<std::unique_ptr<store::Store>> Open(
      store::StoreOptions options = {}) const;

 private:
  Backend backend_;
  std::string dir_;
  std::string location_;
  std::string schema_;
};

}  // namespace credstack::app::testing
