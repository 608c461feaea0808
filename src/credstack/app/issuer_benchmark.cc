// Issuance cost: preparing (build + sign) one credential per suite, single
// issuance end to end, and bulk issuance throughput on SQLite with durable
// commits (synchronous=FULL) — the figures docs/benchmarks.md records.

#include <benchmark/benchmark.h>

#include <chrono>
#include <thread>

#include "credstack/app/issuer_services.h"
#include "credstack/app/testing/test_store.h"
#include "credstack/crypto/ed25519.h"
#include "credstack/ld/context_store.h"

namespace credstack::app {
namespace {

struct Fixture {
  explicit Fixture(int workers, testing::Backend backend = testing::Backend::kSqlite)
      : db(backend) {
    CREDSTACK_CHECK(db.Prepare().empty());
    ctx = std::make_shared<AppContext>();
    ctx->store = std::shared_ptr<store::Store>(std::move(*db.Open()));
    ctx->urls = *PublicUrls::Create("https://badges.example.edu");
    ctx->rng = &crypto::SecureRng::Instance();
    ctx->suite = vc::MakeSuiteOptions(ld::ContextStore::Bundled());
    crypto::SecretBoxKey key{};
    s = *CreateIssuerServices(
        ctx, IssuerServicesOptions{.master_key = std::make_shared<MasterKey>(key),
                                   .bulk = {.workers = workers,
                                            .batch_size = 256,
                                            .poll = std::chrono::milliseconds(5),
                                            .node_id = "bench"}});
    json::Object body;
    body["name"] = "Bench University";
    body["slug"] = "bench";
    body["url"] = "https://bench.example";
    org = s->orgs->Create(body, "b")->org.id;
    auto a = json::Parse(R"({"name":"Data Analysis","description":"Analyses data sets",
      "criteria":{"narrative":"Passes the assessment"},"achievementType":"Competency",
      "alignment":[{"targetName":"analyse big data","targetFramework":"ESCO",
      "targetUrl":"http://data.europa.eu/esco/skill/f3dcd5b1-4f1d-4c0f-9e39-2b0a2b8e3b7e"}]})");
    ach = s->achievements->Create(org, a->as_object(), "b")->achievement_id;
  }
  testing::TestDatabase db;
  std::shared_ptr<AppContext> ctx;
  std::shared_ptr<IssuerServices> s;
  std::string org;
  std::string ach;
};

void BM_PrepareCredential(benchmark::State& state) {
  Fixture f(0);
  auto issuer = *f.s->issuance->LoadIssuer(f.org);
  auto achievement = *f.s->issuance->LoadAchievement(f.org, f.ach, {});
  auto aj = json::Parse(achievement.achievement_json)->as_object();
  IssueRequest req{.org_id = f.org,
                   .achievement_id = f.ach,
                   .recipient = "learner@example.org",
                   .cryptosuite = state.range(0) == 0 ? "eddsa-rdfc-2022"
                                                      : "eddsa-jcs-2022"};
  StatusEntry entry{.list_id = "l", .index = 7};
  Timestamp now = SystemClock::Instance().Now();
  for (auto _ : state) {
    auto p = f.s->issuance->Prepare(issuer, achievement, aj, req,
                                    std::span(&entry, 1), now);
    benchmark::DoNotOptimize(p);
  }
  state.SetLabel(req.cryptosuite);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PrepareCredential)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_IssueSingle(benchmark::State& state) {
  Fixture f(0);
  IssueRequest req{.org_id = f.org, .achievement_id = f.ach,
                   .recipient = "did:example:learner"};
  for (auto _ : state) {
    auto r = f.s->issuance->Issue(req);
    CREDSTACK_CHECK(r.ok());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IssueSingle)->Unit(benchmark::kMicrosecond)->UseRealTime();

// One bulk job of range(0) rows on SQLite, workers = range(1), durable.
void BM_BulkIssue(benchmark::State& state) {
  int64_t rows = state.range(0);
  for (auto _ : state) {
    state.PauseTiming();
    Fixture f(static_cast<int>(state.range(1)));
    std::string csv = "recipient\n";
    for (int64_t i = 0; i < rows; ++i) {
      csv += "learner" + std::to_string(i) + "@example.org\n";
    }
    state.ResumeTiming();
    auto job = f.s->bulk->Submit(f.org, BulkJobOptions{.achievement_id = f.ach}, csv,
                                 BulkFormat::kCsv, "b");
    CREDSTACK_CHECK(job.ok());
    CREDSTACK_CHECK(f.s->bulk->Start().ok());
    for (;;) {
      auto j = f.s->bulk->Get(f.org, job->job.id);
      if (j->status == store::JobStatus::kDone) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    state.PauseTiming();
    f.s->bulk->Stop();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * rows);
}
BENCHMARK(BM_BulkIssue)
    ->Args({10'000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace
}  // namespace credstack::app
