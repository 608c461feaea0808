#pragma once

// The store conformance suite: every test is a typed test run once per
// backend (SQLite in a temporary directory, PostgreSQL in a fresh schema of
// the server named by CREDSTACK_TEST_POSTGRES_URL or the file named by
// CREDSTACK_TEST_POSTGRES_URL_FILE, which the ctest fixture writes).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/store/issuance.h"
#include "credstack/store/store.h"

namespace credstack::store::testing {

// A database location of one backend that several Store instances ("nodes")
// can open.
class SqliteBackend {
 public:
  static constexpr const char* kName = "Sqlite";
  // Empty when ready; otherwise why the backend is unavailable (skip).
  std::string Prepare();
  Result<std::unique_ptr<Store>> Open(StoreOptions options = {});
  std::string location() const { return "sqlite://" + path_; }
  void Cleanup();

 private:
  std::string dir_;
  std::string path_;
};

class PostgresBackend {
 public:
  static constexpr const char* kName = "Postgres";
  std::string Prepare();
  Result<std::unique_ptr<Store>> Open(StoreOptions options = {});
  std::string location() const { return url_; }
  void Cleanup();

 private:
  std::string url_;
  std::string schema_;
};

struct BackendNames {
  template <typename T>
  static std::string GetName(int) {
    return T::kName;
  }
};

using Backends = ::testing::Types<SqliteBackend, PostgresBackend>;

// Fixture: one open store per test on a fresh database.
template <typename B>
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why = backend_.Prepare();
    if (HasFatalFailure()) return;
    if (!why.empty()) GTEST_SKIP() << why;
    Result<std::unique_ptr<Store>> s = backend_.Open();
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    backend_.Cleanup();
  }
  // Another node on the same database.
  std::unique_ptr<Store> OpenAnother(StoreOptions options = {}) {
    Result<std::unique_ptr<Store>> s = backend_.Open(std::move(options));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }
  Store& store() { return *store_; }

  B backend_;
  std::unique_ptr<Store> store_;
};

// ---- fixtures shared by the test files ----

Timestamp T(int64_t seconds);
Organization MakeOrg(std::string_view id);
AchievementVersion MakeAchievement(std::string_view org_id,
                                   std::string_view id);
Credential MakeCredential(std::string_view org_id, std::string_view id,
                          std::string_view achievement_id,
                          std::optional<std::string> idempotency_key);
StatusList MakeList(std::string_view org_id, std::string_view id,
                    StatusPurpose purpose, int64_t size,
                    int64_t status_size = 1);
NewLogEntry MakeEntry(std::string_view subject, int64_t n);

// The achievement SeedOrg creates (achievement ids are unique store-wide).
std::string AchId(std::string_view org_id);
// Creates an organization and its achievement AchId(org_id), version 1, in
// one transaction.
Status SeedOrg(Store& store, std::string_view org_id);

}  // namespace credstack::store::testing

#define CREDSTACK_ASSERT_OK(expr)                              \
  do {                                                         \
    ::credstack::Status credstack_s_ = (expr);                 \
    ASSERT_TRUE(credstack_s_.ok()) << credstack_s_.ToString(); \
  } while (0)
#define CREDSTACK_EXPECT_OK(expr)                              \
  do {                                                         \
    ::credstack::Status credstack_s_ = (expr);                 \
    EXPECT_TRUE(credstack_s_.ok()) << credstack_s_.ToString(); \
  } while (0)
