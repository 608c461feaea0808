// Status and log service benchmarks (docs/benchmarks.md):
//  - durable batched appends to the log on SQLite (synchronous=FULL), and
//    integration (tiles, entry bundles, index, signed checkpoint);
//  - inclusion and consistency proofs at 10,000,000 leaves served from
//    tiles stored in SQLite through StoreTileReader and the shared
//    ExpandedTileCache, as the server's /log/proof routes do;
//  - the cost of the status check inside credential verification.
//
// The 10M-leaf tile database is built once (about 330 MB, a minute) under
// $CREDSTACK_BENCH_DIR (default /tmp/credstack-bench) and reused.

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "credstack/app/log_leaf.h"
#include "credstack/app/log_service.h"
#include "credstack/app/status_log_test_util.h"
#include "credstack/app/status_service.h"
#include "credstack/base/rng.h"
#include "credstack/status/status_checker.h"
#include "credstack/status/status_list.h"
#include "credstack/tlog/integrator.h"
#include "credstack/tlog/proof.h"
#include "credstack/vc/verify.h"

namespace credstack::app {
namespace {

namespace fs = std::filesystem;
constexpr uint64_t kBigTree = 10'000'000;

std::string BenchDir() {
  const char* d = std::getenv("CREDSTACK_BENCH_DIR");
  std::string dir = d ? d : "/tmp/credstack-bench";
  fs::create_directories(dir);
  return dir;
}

std::shared_ptr<store::Store> Open(const std::string& path) {
  auto s = store::OpenStore("sqlite://" + path);
  CREDSTACK_CHECK(s.ok());
  return std::shared_ptr<store::Store>(std::move(*s));
}

store::NewLogEntry Entry(uint64_t i) {
  LogEvent e{.type = LogEventType::kIssued, .issuer = "did:web:bench.example:issuers:org",
             .time = Timestamp::FromUnixSeconds(1'750'000'000)};
  for (int b = 0; b < 8; ++b) e.credential_hash[b] = static_cast<uint8_t>(i >> (8 * b));
  Bytes leaf = EncodeLogLeaf(e);
  tlog::Hash h = tlog::HashLeaf(leaf);
  return {.leaf_hash = Bytes(h.begin(), h.end()), .leaf_data = std::move(leaf),
          .subject = "urn:uuid:" + std::to_string(i), .created = e.time};
}

// ---- durable appends ----------------------------------------------------------

// range(0): leaves per transaction. Each iteration commits one batch
// (fsync of the WAL at commit).
void BM_LogAppendDurableSqlite(benchmark::State& state) {
  std::string path = BenchDir() + "/append.db";
  fs::remove(path);
  fs::remove(path + "-wal");
  fs::remove(path + "-shm");
  auto s = Open(path);
  const int64_t n = state.range(0);
  std::vector<store::NewLogEntry> batch;
  uint64_t next = 0;
  for (auto _ : state) {
    state.PauseTiming();
    batch.clear();
    for (int64_t i = 0; i < n; ++i) batch.push_back(Entry(next++));
    state.ResumeTiming();
    Status st = s->Transact([&](store::Tx& tx) { return tx.log().Append(batch).status(); });
    CREDSTACK_CHECK(st.ok());
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_LogAppendDurableSqlite)->Arg(1)->Arg(100)->Arg(1000)->Arg(10000)->UseRealTime();

// Appending and integrating: range(0) leaves appended per transaction, then
// one integration transaction per 4096 leaves (tiles, entry bundles,
// credential index, signed checkpoint).
void BM_LogAppendAndIntegrateSqlite(benchmark::State& state) {
  std::string path = BenchDir() + "/integrate.db";
  fs::remove(path);
  fs::remove(path + "-wal");
  fs::remove(path + "-shm");
  auto s = Open(path);
  auto key = std::make_unique<tlog::Ed25519NoteSigner>(
      "bench.example/log", crypto::Ed25519KeyPair::FromSeed(crypto::Sha256("bench")));
  LogServiceOptions o;
  o.origin = "bench.example/log";
  auto log = LogService::Create(s, std::move(key), o, SystemClock::Instance());
  CREDSTACK_CHECK(log.ok());
  const int64_t n = state.range(0);
  std::vector<store::NewLogEntry> batch;
  uint64_t next = 0;
  for (auto _ : state) {
    state.PauseTiming();
    batch.clear();
    for (int64_t i = 0; i < n; ++i) batch.push_back(Entry(next++));
    state.ResumeTiming();
    Status st = s->Transact([&](store::Tx& tx) { return tx.log().Append(batch).status(); });
    CREDSTACK_CHECK(st.ok());
    while (true) {
      auto r = (*log)->IntegrateOnce(4096);
      CREDSTACK_CHECK(r.ok());
      if (r->new_size == r->old_size) break;
    }
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_LogAppendAndIntegrateSqlite)->Arg(1000)->Arg(4096)->UseRealTime();

// ---- proofs at 10M leaves from SQLite tiles ---------------------------------------

struct BigTree {
  std::shared_ptr<store::Store> store;
};

BigTree& Tree() {
  static BigTree* tree = [] {
    auto* t = new BigTree;
    std::string path = BenchDir() + "/tiles-10m.db";
    std::string done = path + ".done";
    if (!fs::exists(done)) {
      fs::remove(path);
      fs::remove(path + "-wal");
      fs::remove(path + "-shm");
    }
    t->store = Open(path);
    if (!fs::exists(done)) {
      // Tiles only (what proofs read), written batch by batch as the
      // integrator does.
      tlog::TileIntegrator integrator;
      std::vector<tlog::Hash> batch;
      for (uint64_t i = 0; i < kBigTree;) {
        batch.clear();
        for (; i < kBigTree && batch.size() < (1u << 16); ++i) {
          uint8_t le[8];
          for (int b = 0; b < 8; ++b) le[b] = static_cast<uint8_t>(i >> (8 * b));
          batch.push_back(tlog::HashLeaf(ByteView(le)));
        }
        auto r = integrator.Append(batch);
        CREDSTACK_CHECK(r.ok());
        CREDSTACK_CHECK(t->store->Transact([&](store::Tx& tx) -> Status {
          for (const tlog::Tile& tile : r->tiles) {
            CREDSTACK_RETURN_IF_ERROR(
                tx.log().PutTile(tlog::TilePath(tile.id), tlog::FormatTile(tile.hashes)));
          }
          return OkStatus();
        }).ok());
      }
      std::ofstream(done) << "ok\n";
    }
    return t;
  }();
  return *tree;
}

// range(0): 1 = the shared cache (as the server), 0 = no cache (cold).
void BM_InclusionProof10MStore(benchmark::State& state) {
  BigTree& t = Tree();
  tlog::ExpandedTileCache cache(4096);
  DeterministicRng rng(7);
  StoreTileReader tiles(*t.store, kBigTree);
  for (auto _ : state) {
    tlog::TileHashReader reader(tiles, kBigTree, state.range(0) ? &cache : nullptr);
    uint64_t index = rng.Uniform(kBigTree);
    auto p = tlog::InclusionProof(index, kBigTree, reader);
    if (!p.ok()) {
      state.SkipWithError(p.error().message().c_str());
      break;
    }
    benchmark::DoNotOptimize(p->data());
  }
}
BENCHMARK(BM_InclusionProof10MStore)->Arg(1)->Arg(0);

void BM_ConsistencyProof10MStore(benchmark::State& state) {
  BigTree& t = Tree();
  tlog::ExpandedTileCache cache(4096);
  DeterministicRng rng(11);
  StoreTileReader tiles(*t.store, kBigTree);
  for (auto _ : state) {
    tlog::TileHashReader reader(tiles, kBigTree, state.range(0) ? &cache : nullptr);
    uint64_t from = 1 + rng.Uniform(kBigTree - 1);
    auto p = tlog::ConsistencyProof(from, kBigTree, reader);
    if (!p.ok()) {
      state.SkipWithError(p.error().message().c_str());
      break;
    }
    benchmark::DoNotOptimize(p->data());
  }
}
BENCHMARK(BM_ConsistencyProof10MStore)->Arg(1)->Arg(0);

// ---- status check cost in verification ----------------------------------------------

struct StatusFixture {
  testing::TempDir dir;
  FixedClock clock{Timestamp::FromUnixSeconds(1'750'000'000)};
  std::shared_ptr<AppContext> ctx;
  std::shared_ptr<StatusService> service;
  std::shared_ptr<OwnStatusListResolver> resolver;
  json::Value with_status;
  json::Value without_status;

  StatusFixture() {
    ctx = testing::MakeContext(dir, clock);
    CREDSTACK_CHECK(testing::CreateOrg(*ctx->store, "acme").ok());
    CREDSTACK_CHECK(
        testing::CreateList(*ctx->store, "acme", "R1", store::StatusPurpose::kRevocation).ok());
    service = std::make_shared<StatusService>(ctx);
    resolver = std::make_shared<OwnStatusListResolver>(service);
    status::StatusEntryOptions e{.purpose = "revocation", .index = 4242,
                                 .list_credential = ctx->urls.StatusListUrl("R1")};
    auto a = testing::IssueForTest(*ctx, "acme", 1,
                                   {{.list_id = "R1", .index = 4242,
                                     .credential_id = "urn:uuid:00000000-0000-4000-8000-000000000001"}},
                                   *status::BuildStatusListEntry(e));
    CREDSTACK_CHECK(a.ok());
    with_status = a->credential;
    auto b = testing::IssueForTest(*ctx, "acme", 2);
    CREDSTACK_CHECK(b.ok());
    without_status = b->credential;
  }
};

StatusFixture& Status() {
  static StatusFixture* f = new StatusFixture();
  return *f;
}

// range(0): 0 = credential without credentialStatus (baseline), 1 = with a
// revocation entry, list cached (the steady state), 2 = with the entry and
// the verified-list cache dropped every time (fetch from the store + verify
// the list credential's proof).
void BM_VerifyStatusCost(benchmark::State& state) {
  StatusFixture& f = Status();
  status::BitstringStatusChecker checker;
  vc::VerifyOptions o = vc::VerifyOptions::Default(f.clock);
  o.resolver = f.resolver.get();
  o.status_checker = &checker;
  const json::Value& c = state.range(0) == 0 ? f.without_status : f.with_status;
  for (auto _ : state) {
    if (state.range(0) == 2) checker.Invalidate();
    vc::VerificationReport r = vc::VerifyCredential(c, o);
    CREDSTACK_CHECK(r.verified);
  }
}
BENCHMARK(BM_VerifyStatusCost)->Arg(0)->Arg(1)->Arg(2);

}  // namespace
}  // namespace credstack::app
