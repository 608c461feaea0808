// Opening, migrations and the transaction API itself.

#include <sys/stat.h>

#include <filesystem>
#include <thread>

#include "credstack/store/conformance/conformance.h"
#include "credstack/store/internal/migration.h"
#include "credstack/store/internal/sql_store.h"

namespace credstack::store::testing {
namespace {

template <typename B>
using StoreApiTest = StoreTest<B>;
TYPED_TEST_SUITE(StoreApiTest, Backends, BackendNames);

TYPED_TEST(StoreApiTest, OpeningTwiceIsIdempotent) {
  CREDSTACK_ASSERT_OK(SeedOrg(this->store(), "o1"));
  EXPECT_GE(this->store().schema_version(), 1);
  auto again = this->OpenAnother();
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->schema_version(), this->store().schema_version());
  CREDSTACK_ASSERT_OK(again->Read(
      [](Tx& tx) { return tx.organizations().Get("o1").status(); }));
  CREDSTACK_EXPECT_OK(again->Ping());
}

TYPED_TEST(StoreApiTest, ConcurrentFirstOpensMigrateOnce) {
  TypeParam fresh;
  std::string why = fresh.Prepare();
  ASSERT_TRUE(why.empty()) << why;
  constexpr int kThreads = 6;
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      Result<std::unique_ptr<Store>> s = fresh.Open();
      results[i] = s.status();
      if (s.ok()) {
        results[i] = (*s)->Transact([&](Tx& tx) {
          return tx.organizations().Insert(MakeOrg("o" + std::to_string(i)));
        });
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const Status& st : results) EXPECT_TRUE(st.ok()) << st.ToString();
  fresh.Cleanup();
}

TYPED_TEST(StoreApiTest, NewerSchemaIsRefused) {
  auto* sql = dynamic_cast<internal::SqlStore*>(&this->store());
  ASSERT_NE(sql, nullptr);
  CREDSTACK_ASSERT_OK(sql->ExecScriptForTesting(
      "INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')"));
  Result<std::unique_ptr<Store>> s = this->backend_.Open();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("newer"), std::string::npos)
      << s.status().message();
  EXPECT_NE(s.status().message().find("9999"), std::string::npos);
}

TYPED_TEST(StoreApiTest, ReadTransactionsRefuseWrites) {
  Status st = this->store().Read([](Tx& tx) -> Status {
    EXPECT_TRUE(tx.read_only());
    return tx.organizations().Insert(MakeOrg("o1"));
  });
  EXPECT_EQ(st.code(), Code::kFailedPrecondition) << st.ToString();
  CREDSTACK_ASSERT_OK(this->store().Read([](Tx& tx) {
    EXPECT_EQ(tx.organizations().Get("o1").status().code(), Code::kNotFound);
    return OkStatus();
  }));
}

TYPED_TEST(StoreApiTest, NestedTransactionsAreRefused) {
  Store& s = this->store();
  Status inner;
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx&) {
    inner = s.Read([](Tx&) { return OkStatus(); });
    return OkStatus();
  }));
  EXPECT_EQ(inner.code(), Code::kFailedPrecondition);
  // And the store still works afterwards.
  CREDSTACK_ASSERT_OK(s.Transact(
      [](Tx& tx) { return tx.organizations().Insert(MakeOrg("o1")); }));
}

TYPED_TEST(StoreApiTest, StatsCountTransactions) {
  Store& s = this->store();
  StoreStats before = s.stats();
  CREDSTACK_ASSERT_OK(s.Transact([](Tx&) { return OkStatus(); }));
  EXPECT_FALSE(s.Transact([](Tx&) { return InternalError("x"); }).ok());
  StoreStats after = s.stats();
  EXPECT_EQ(after.transactions_committed, before.transactions_committed + 1);
  EXPECT_EQ(after.transactions_rolled_back,
            before.transactions_rolled_back + 1);
  EXPECT_GE(after.connections_open, 1);
  EXPECT_EQ(after.connections_in_use, 0);
  EXPECT_FALSE(s.backend().empty());
}

// Both backends carry the same migrations (same numbers and names), so the
// schemas move in step.
TEST(Migrations, BackendsHaveTheSameVersions) {
  std::vector<internal::Migration> lite = internal::MigrationsFrom(
      {internal::kSqliteMigrationFiles, internal::kSqliteMigrationFilesCount});
  std::vector<internal::Migration> pg =
      internal::MigrationsFrom({internal::kPostgresMigrationFiles,
                                internal::kPostgresMigrationFilesCount});
  ASSERT_EQ(lite.size(), pg.size());
  for (size_t i = 0; i < lite.size(); ++i) {
    EXPECT_EQ(lite[i].version, pg[i].version);
    EXPECT_EQ(lite[i].name, pg[i].name);
    EXPECT_FALSE(lite[i].sql.empty());
  }
}

// Areas reserve migration numbers and may land in any order: a database
// that recorded 1 and 4 gets 2 and 3 applied later, in order; a version the
// binary does not know is refused.
TEST(Migrations, PendingFillsGapsAndRefusesUnknownVersions) {
  std::vector<internal::Migration> known = {
      {1, "a", "x"}, {2, "b", "x"}, {3, "c", "x"}, {4, "d", "x"}};
  Result<std::vector<internal::Migration>> p =
      internal::PendingMigrations(known, {4, 1});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ((*p)[0].version, 2);
  EXPECT_EQ((*p)[1].version, 3);
  EXPECT_TRUE(internal::PendingMigrations(known, {1, 2, 3, 4})->empty());
  EXPECT_EQ(internal::PendingMigrations(known, {}).value().size(), 4u);
  Result<std::vector<internal::Migration>> newer =
      internal::PendingMigrations(known, {1, 5});
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(newer.status().message().find("newer"), std::string::npos);
}

// ---- OpenStore location handling (SQLite only; no server needed) ----

class OpenStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(backend_.Prepare().empty()); }
  void TearDown() override { backend_.Cleanup(); }
  std::string dir() const {
    std::string loc = backend_.location();  // sqlite://DIR/test.db
    return std::filesystem::path(loc.substr(9)).parent_path().string();
  }
  SqliteBackend backend_;
};

TEST_F(OpenStoreTest, AcceptsUrlsPathsAndDirectories) {
  Result<std::unique_ptr<Store>> by_url =
      OpenStore("sqlite://" + dir() + "/a.db");
  ASSERT_TRUE(by_url.ok()) << by_url.status().ToString();
  EXPECT_EQ((*by_url)->backend(), "sqlite");
  EXPECT_TRUE(std::filesystem::exists(dir() + "/a.db"));
  Result<std::unique_ptr<Store>> by_path = OpenStore(dir() + "/b.db");
  ASSERT_TRUE(by_path.ok()) << by_path.status().ToString();
  Result<std::unique_ptr<Store>> by_dir = OpenStore(dir());
  ASSERT_TRUE(by_dir.ok()) << by_dir.status().ToString();
  EXPECT_TRUE(std::filesystem::exists(dir() + "/credstack.db"));
  // The database file is private to its owner.
  struct stat st {};
  ASSERT_EQ(::stat((dir() + "/b.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(OpenStoreTest, RejectsBadLocations) {
  EXPECT_EQ(OpenStore("").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(OpenStore("mysql://localhost/db").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(OpenStore("sqlite://").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(OpenStore(dir() + "/missing/dir/x.db").status().code(),
            Code::kUnavailable);
  EXPECT_TRUE(IsPostgresLocation("postgres://u@h:5432/d"));
  EXPECT_TRUE(IsPostgresLocation("postgresql://u@h/d"));
  EXPECT_FALSE(IsPostgresLocation("/var/lib/credstack.db"));
  StoreOptions bad_schema;
  bad_schema.postgres_schema = "x; DROP TABLE y";
  EXPECT_EQ(
      OpenStore("postgres://127.0.0.1:1/none", bad_schema).status().code(),
      Code::kInvalidArgument);
}

TEST_F(OpenStoreTest, UnreachablePostgresIsUnavailable) {
  StoreOptions options;
  options.postgres_connect_timeout_s = 2;
  // Port 1 on loopback: nothing listens there.
  EXPECT_EQ(
      OpenStore("postgres://nobody@127.0.0.1:1/none", options).status().code(),
      Code::kUnavailable);
}

TEST_F(OpenStoreTest, NotADatabaseIsDataLoss) {
  std::string path = dir() + "/garbage.db";
  {
    FILE* f = fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs("this is not an SQLite database, just some text padding it out....",
          f);
    fclose(f);
  }
  Result<std::unique_ptr<Store>> s = OpenStore(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kDataLoss) << s.status().ToString();
}

}  // namespace
}  // namespace credstack::store::testing
