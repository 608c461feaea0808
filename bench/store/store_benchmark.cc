// Durable write throughput of the store: batched issuance (credential +
// status allocation + log entry + job row, one transaction per batch) and
// batched log appends, on SQLite (synchronous=FULL and NORMAL) and
// PostgreSQL. PostgreSQL runs need CREDSTACK_BENCH_POSTGRES_URL (or
// CREDSTACK_TEST_POSTGRES_URL); start a durable server with
//   PG_TEST_DURABLE=1 scripts/pg-test-server.sh start build/pg-bench
// Commands and figures: docs/benchmarks.md.

#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "credstack/store/issuance.h"
#include "credstack/store/store.h"

namespace credstack::store {
namespace {

enum class Backend { kSqliteFull, kSqliteNormal, kPostgres };

// A fresh database for one benchmark run.
class Env {
 public:
  ~Env() {
    store_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  // Empty on success, else why the backend cannot run.
  std::string Open(Backend backend) {
    StoreOptions options;
    std::string location;
    if (backend == Backend::kPostgres) {
      const char* url = std::getenv("CREDSTACK_BENCH_POSTGRES_URL");
      if (!url || !*url) url = std::getenv("CREDSTACK_TEST_POSTGRES_URL");
      if (!url || !*url) {
        return "set CREDSTACK_BENCH_POSTGRES_URL to benchmark PostgreSQL";
      }
      location = url;
      static int counter = 0;
      options.postgres_schema =
          "bench" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    } else {
      std::string tmpl =
          (std::filesystem::temp_directory_path() / "credstack-bench-XXXXXX")
              .string();
      if (mkdtemp(tmpl.data()) == nullptr) return "mkdtemp failed";
      dir_ = tmpl;
      location = dir_ + "/bench.db";
      options.sqlite_synchronous = backend == Backend::kSqliteFull
                                       ? StoreOptions::Synchronous::kFull
                                       : StoreOptions::Synchronous::kNormal;
    }
    Result<std::unique_ptr<Store>> s = OpenStore(location, options);
    if (!s.ok()) return s.status().ToString();
    store_ = std::move(*s);
    Status st = store_->Transact([](Tx& tx) -> Status {
      CREDSTACK_RETURN_IF_ERROR(tx.organizations().Insert(
          {.id = "org", .slug = "org", .profile_json = "{}", .created = {1}}));
      CREDSTACK_RETURN_IF_ERROR(
          tx.achievements()
              .Create({.achievement_id = "ach",
                       .org_id = "org",
                       .achievement_json = R"({"type":["Achievement"]})",
                       .created = {1}})
              .status());
      return tx.jobs().CreateJob({.id = "job",
                                  .org_id = "org",
                                  .achievement_id = "ach",
                                  .achievement_version = 1,
                                  .created = {1},
                                  .updated = {1}});
    });
    if (!st.ok()) return st.ToString();
    return "";
  }

  Store& store() { return *store_; }

  // A status list with room for `need` more allocations.
  Status EnsureListRoom(int64_t need) {
    if (list_used_ + need <= kListSize && !list_id_.empty()) return OkStatus();
    list_id_ = "list" + std::to_string(lists_++);
    list_used_ = 0;
    return store_->Transact([&](Tx& tx) {
      return tx.status_lists().Create({.id = list_id_,
                                       .org_id = "org",
                                       .purpose = StatusPurpose::kRevocation,
                                       .size = kListSize,
                                       .status_size = 1,
                                       .bits = Bytes(kListSize / 8, 0),
                                       .created = {1},
                                       .updated = {1}});
    });
  }

  // Builds a batch of issuance records for fresh job rows (untimed setup).
  Result<std::vector<IssueRecord>> MakeBatch(int64_t n) {
    CREDSTACK_RETURN_IF_ERROR(EnsureListRoom(n));
    std::vector<NewJobRow> rows;
    std::vector<IssueRecord> records;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t k = next_++;
      const std::string id = "urn:uuid:00000000-0000-4000-8000-" +
                             std::to_string(100000000000 + k);
      rows.push_back({.row_number = k,
                      .client_row_key = "row" + std::to_string(k),
                      .recipient_input = R"({"email":"someone@example.com"})"});
      IssueRecord r;
      r.credential = {.id = id,
                      .org_id = "org",
                      .achievement_id = "ach",
                      .achievement_version = 1,
                      .recipient_kind = RecipientKind::kEmailHash,
                      .recipient_identity = "sha256$" + std::string(64, 'a'),
                      .credential_json = CredentialJson(id),
                      .content_hash = Hash(k),
                      .issued = {k},
                      .idempotency_key = "job/row" + std::to_string(k)};
      r.allocations.push_back({.list_id = list_id_, .index = list_used_++});
      r.log_entry = LeafFor(k);
      r.job_row = JobRowRef{.job_id = "job", .row_number = k};
      records.push_back(std::move(r));
    }
    CREDSTACK_RETURN_IF_ERROR(store_->Transact(
        [&](Tx& tx) { return tx.jobs().AddRows("job", rows, {1}).status(); }));
    return records;
  }

  static NewLogEntry LeafFor(int64_t k) {
    Bytes data(120, static_cast<uint8_t>(k));
    return {.leaf_hash = Hash(k),
            .leaf_data = std::move(data),
            .subject = "urn:uuid:00000000-0000-4000-8000-" + std::to_string(k),
            .created = {k}};
  }

 private:
  static constexpr int64_t kListSize = 131'072;

  static Bytes Hash(int64_t k) {
    Bytes h(32, 0x5a);
    for (int i = 0; i < 8; ++i) h[i] = static_cast<uint8_t>(k >> (8 * i));
    return h;
  }

  // About the size of a signed Open Badges 3.0 credential (~1.6 KB).
  static std::string CredentialJson(const std::string& id) {
    std::string json =
        R"({"@context":["https://www.w3.org/ns/credentials/v2",)"
        R"("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],)"
        R"("id":")" +
        id + R"(","type":["VerifiableCredential","OpenBadgeCredential"],)";
    json +=
        R"("issuer":{"id":"did:web:example.com:issuers:org","type":["Profile"],"name":"Org"},)";
    json +=
        R"("validFrom":"2024-01-01T00:00:00Z","credentialSubject":{"type":["AchievementSubject"],)";
    json +=
        R"("identifier":[{"type":"IdentityObject","hashed":true,"identityHash":"sha256$)" +
        std::string(64, 'a') +
        R"(","identityType":"emailAddress","salt":"abcdefgh"}],)";
    json +=
        R"("achievement":{"id":"https://example.com/achievements/ach","type":["Achievement"],)";
    json += R"("name":"Benchmark Badge","description":")" +
            std::string(400, 'd') + R"(","criteria":{"narrative":")" +
            std::string(300, 'c') + R"("}}},)";
    json +=
        R"("credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"revocation",)";
    json +=
        R"("statusListIndex":"1","statusListCredential":"https://example.com/status/1"},)";
    json +=
        R"("proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022",)";
    json += R"("verificationMethod":"did:web:example.com:issuers:org#key-1",)";
    json += R"("proofPurpose":"assertionMethod","proofValue":"z)" +
            std::string(86, 'P') + R"("}})";
    return json;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  std::string list_id_;
  int64_t list_used_ = 0;
  int lists_ = 0;
  int64_t next_ = 1;
};

// Issuance throughput: one transaction per batch of state.range(0)
// credentials, each with a status allocation, a log entry and its job row.
void BM_IssueBatch(benchmark::State& state, Backend backend) {
  Env env;
  if (std::string why = env.Open(backend); !why.empty()) {
    state.SkipWithError(why.c_str());
    return;
  }
  const int64_t batch = state.range(0);
  for (auto _ : state) {
    state.PauseTiming();
    Result<std::vector<IssueRecord>> records = env.MakeBatch(batch);
    if (!records.ok()) {
      state.SkipWithError(records.status().ToString().c_str());
      break;
    }
    state.ResumeTiming();
    Status st = env.store().Transact(
        [&](Tx& tx) { return IssueCredentialsTx(tx, *records).status(); });
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

// Log append throughput: one transaction per batch of leaves.
void BM_LogAppend(benchmark::State& state, Backend backend) {
  Env env;
  if (std::string why = env.Open(backend); !why.empty()) {
    state.SkipWithError(why.c_str());
    return;
  }
  const int64_t batch = state.range(0);
  int64_t k = 0;
  std::vector<NewLogEntry> entries;
  for (auto _ : state) {
    state.PauseTiming();
    entries.clear();
    for (int64_t i = 0; i < batch; ++i) entries.push_back(Env::LeafFor(k++));
    state.ResumeTiming();
    Status st = env.store().Transact(
        [&](Tx& tx) { return tx.log().Append(entries).status(); });
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

#define CREDSTACK_STORE_BENCH(fn, name, backend, ...) \
  BENCHMARK_CAPTURE(fn, name, backend)                \
      ->ArgName("batch")                              \
      ->ArgsProduct({{__VA_ARGS__}})                  \
      ->UseRealTime()                                 \
      ->Unit(benchmark::kMillisecond)

CREDSTACK_STORE_BENCH(BM_IssueBatch, sqlite_full, Backend::kSqliteFull, 1, 100,
                      1000);
CREDSTACK_STORE_BENCH(BM_IssueBatch, sqlite_normal, Backend::kSqliteNormal, 1,
                      1000);
CREDSTACK_STORE_BENCH(BM_IssueBatch, postgres, Backend::kPostgres, 1, 100,
                      1000);
CREDSTACK_STORE_BENCH(BM_LogAppend, sqlite_full, Backend::kSqliteFull, 1, 1000,
                      10000);
CREDSTACK_STORE_BENCH(BM_LogAppend, sqlite_normal, Backend::kSqliteNormal,
                      1000);
CREDSTACK_STORE_BENCH(BM_LogAppend, postgres, Backend::kPostgres, 1, 1000,
                      10000);

}  // namespace
}  // namespace credstack::store
