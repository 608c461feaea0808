// Skills area benchmarks over the real ESCO v1.1.1 data (../shared/datasets):
//  * BM_StoreEsco/{sqlite,postgres}: the full framework (parsed once) stored
//    in a fresh database in one transaction (batched inserts), durable;
//  * BM_ReimportEscoUnchanged/sqlite: the same import again (load + diff);
//  * BM_RecommendApi: POST /api/v1/recommendations over real HTTP (keep-
//    alive, one client) for every ESCO occupation, against 20,000 generated
//    achievements stored in the deployment (40 organizations) with planning
//    attributes; latency percentiles as counters (milliseconds).
//
//   ./build/bench/skills_benchmark
//   CREDSTACK_BENCH_POSTGRES_URL=postgres://... ./build/bench/skills_benchmark

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "credstack/app/skills_service.h"
#include "credstack/base/rng.h"
#include "credstack/json/json.h"
#include "credstack/ld/context_store.h"
#include "credstack/pathways/import.h"
#include "credstack/pathways/testing/catalog_generator.h"
#include "credstack/pathways/testing/dir_file_provider.h"
#include "credstack/server/server.h"
#include "credstack/server/skills_routes.h"
#include "credstack/server/testing/http_test_client.h"
#include "credstack/store/store.h"

namespace credstack {
namespace {

namespace pw = credstack::pathways;

std::filesystem::path EscoDir() {
  return std::filesystem::path(CREDSTACK_SOURCE_DIR) / ".." / "shared" /
         "datasets" / "esco-v1.1.1";
}

const pw::Framework* Esco() {
  static std::unique_ptr<pw::Framework> fw = [] {
    pw::testing::DirFileProvider files(EscoDir());
    auto r = pw::ImportEsco(files, {.version = "1.1.1"});
    return r.ok() ? std::make_unique<pw::Framework>(std::move(r).value())
                  : nullptr;
  }();
  return fw.get();
}

std::string TempDir() {
  std::string t =
      (std::filesystem::temp_directory_path() / "credstack-skills-bench-XXXXXX")
          .string();
  if (mkdtemp(t.data()) == nullptr) return "";
  return t;
}

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// A fresh database: SQLite in a temporary directory, or a new schema.
struct FreshStore {
  std::string dir;
  std::unique_ptr<store::Store> store;
  ~FreshStore() {
    store.reset();
    if (!dir.empty()) std::filesystem::remove_all(dir);
  }
};

Result<std::unique_ptr<FreshStore>> Open(bool postgres, int n) {
  auto f = std::make_unique<FreshStore>();
  store::StoreOptions o;
  std::string location;
  if (postgres) {
    const char* url = std::getenv("CREDSTACK_BENCH_POSTGRES_URL");
    if (url == nullptr) return UnavailableError("no PostgreSQL URL");
    location = url;
    o.postgres_schema = "skills_bench_" + std::to_string(getpid()) + "_" +
                        std::to_string(n);
  } else {
    f->dir = TempDir();
    location = "sqlite://" + f->dir + "/bench.db";
  }
  CREDSTACK_ASSIGN_OR_RETURN(f->store, store::OpenStore(location, o));
  return f;
}

void StoreEsco(benchmark::State& state, bool postgres) {
  const pw::Framework* fw = Esco();
  if (fw == nullptr) {
    state.SkipWithError("ESCO v1.1.1 data set not present");
    return;
  }
  int n = 0;
  std::vector<double> seconds;
  for (auto _ : state) {
    state.PauseTiming();
    auto f = Open(postgres, n++);
    if (!f.ok()) {
      state.SkipWithError(f.status().ToString().c_str());
      return;
    }
    state.ResumeTiming();
    auto start = std::chrono::steady_clock::now();
    Status s = (*f)->store->Transact([&](store::Tx& tx) {
      return tx.skill_frameworks()
          .Import("esco", *fw, Timestamp::FromUnixSeconds(1))
          .status();
    });
    seconds.push_back(std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start)
                          .count());
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    state.PauseTiming();
    f->reset();
    state.ResumeTiming();
  }
  state.counters["rows"] = static_cast<double>(
      fw->skills().size() + fw->groups().size() + fw->occupations().size() +
      fw->relation_count());
  state.counters["median_s"] = Percentile(seconds, 0.5);
}

void BM_StoreEscoSqlite(benchmark::State& state) { StoreEsco(state, false); }
void BM_StoreEscoPostgres(benchmark::State& state) {
  if (std::getenv("CREDSTACK_BENCH_POSTGRES_URL") == nullptr) {
    state.SkipWithError("set CREDSTACK_BENCH_POSTGRES_URL");
    return;
  }
  StoreEsco(state, true);
}
BENCHMARK(BM_StoreEscoSqlite)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_StoreEscoPostgres)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_ReimportEscoUnchanged(benchmark::State& state) {
  const pw::Framework* fw = Esco();
  if (fw == nullptr) {
    state.SkipWithError("ESCO v1.1.1 data set not present");
    return;
  }
  auto f = Open(false, 0);
  Status s = (*f)->store->Transact([&](store::Tx& tx) {
    return tx.skill_frameworks()
        .Import("esco", *fw, Timestamp::FromUnixSeconds(1))
        .status();
  });
  if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  for (auto _ : state) {
    s = (*f)->store->Transact([&](store::Tx& tx) {
      return tx.skill_frameworks()
          .Import("esco", *fw, Timestamp::FromUnixSeconds(2))
          .status();
    });
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
}
BENCHMARK(BM_ReimportEscoUnchanged)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

void BM_RecommendApi(benchmark::State& state) {
  const pw::Framework* fw = Esco();
  if (fw == nullptr) {
    state.SkipWithError("ESCO v1.1.1 data set not present");
    return;
  }
  auto f = Open(false, 0);
  if (!f.ok()) {
    state.SkipWithError(f.status().ToString().c_str());
    return;
  }
  // The deployment: ESCO, 40 organizations, 20,000 achievements with
  // alignments (OB JSON) and planning attributes (side table).
  pw::testing::GeneratedCatalog g = pw::testing::GenerateCatalog(*fw, 20000, 2024);
  Status s = (*f)->store->Transact([&](store::Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(
        tx.skill_frameworks().Import("esco", *fw, Timestamp::FromUnixSeconds(1))
            .status());
    for (size_t i = 0; i < g.issuers.size(); ++i) {
      CREDSTACK_RETURN_IF_ERROR(tx.organizations().Insert(
          {.id = "org" + std::to_string(i),
           .slug = "org" + std::to_string(i),
           .profile_json = "{\"name\":\"" + g.issuers[i].name + "\"}",
           .created = Timestamp::FromUnixSeconds(1)}));
    }
    for (size_t i = 0; i < g.achievements.size(); ++i) {
      const pw::Achievement& a = g.achievements[i];
      json::Array alignment;
      for (const pw::Alignment& al : a.alignment) {
        alignment.push_back(json::Object{{"type", json::Array{"Alignment"}},
                                         {"targetName", al.target_name},
                                         {"targetUrl", al.target_url}});
      }
      json::Object ob{{"id", a.id},
                      {"type", json::Array{"Achievement"}},
                      {"name", a.name},
                      {"description", a.name},
                      {"criteria", json::Object{{"narrative", "n"}}},
                      {"alignment", std::move(alignment)}};
      std::string org = "org" + std::to_string(i % g.issuers.size());
      std::string id = "ach" + std::to_string(i);
      CREDSTACK_RETURN_IF_ERROR(tx.achievements()
                                    .Create({.achievement_id = id,
                                             .org_id = org,
                                             .achievement_json =
                                                 json::Serialize(ob),
                                             .created = Timestamp::FromUnixSeconds(1)})
                                    .status());
      CREDSTACK_RETURN_IF_ERROR(tx.skill_frameworks().PutPlanning(
          {.achievement_id = id,
           .hours = a.hours,
           .price = a.price,
           .credits = a.credits,
           .prerequisites = a.prerequisites,
           .updated = Timestamp::FromUnixSeconds(1)}));
    }
    return OkStatus();
  });
  if (!s.ok()) {
    state.SkipWithError(s.ToString().c_str());
    return;
  }
  auto ctx = std::make_shared<app::AppContext>();
  ctx->store = std::shared_ptr<store::Store>(std::move((*f)->store));
  ctx->urls = *app::PublicUrls::Create("https://bench.example");
  DeterministicRng rng(7);
  ctx->rng = &rng;
  ctx->suite = vc::MakeSuiteOptions(ld::ContextStore::Bundled());
  server::SkillsServices services;
  services.skills = std::make_shared<app::SkillsService>(ctx);
  services.learners = std::make_shared<app::LearnerService>(
      ctx, services.skills,
      std::make_shared<app::VerificationService>(app::VerificationServiceOptions{}));
  services.pathways = std::make_shared<app::PathwayService>(
      ctx, services.skills, services.learners, nullptr);
  server::Router router;
  if (!server::AddSkillsRoutes(router, services).ok()) return;
  server::ServerConfig c;
  c.listen_host = "127.0.0.1";
  c.listen_port = 0;
  c.workers = 2;
  c.blocking_workers = 2;
  c.ip_rate.rate = 0;
  server::ServerHooks hooks;
  hooks.logger = std::make_shared<server::Logger>(server::LogLevel::kOff);
  auto srv = server::Server::Create(c, std::move(router), std::move(hooks));
  if (!srv.ok() || !(*srv)->Start().ok()) {
    state.SkipWithError("server did not start");
    return;
  }
  auto client = server::testing::TestClient::Connect(
      (*srv)->port(), std::chrono::milliseconds(30'000));
  // The first request builds the catalog (reported separately).
  auto warm_start = std::chrono::steady_clock::now();
  auto warm = (*client)->Send({.method = "POST",
                               .target = "/api/v1/recommendations",
                               .headers = {{"Content-Type", "application/json"}},
                               .body = R"({"need": ["x"]})"});
  double warm_ms = std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - warm_start)
                       .count();
  std::vector<double> ms;
  size_t ok = 0, optimal = 0;
  DeterministicRng pick(11);
  for (auto _ : state) {
    for (const pw::Occupation& o : fw->occupations()) {
      json::Array have;
      for (const pw::OccupationSkill& r : o.skills) {
        if (r.relation == pw::RelationType::kEssential && pick.Uniform(10) < 3)
          have.push_back(json::Value(fw->skills()[r.skill].id));
      }
      std::string body = json::Serialize(json::Object{
          {"target", o.id}, {"have", std::move(have)}, {"timeBudgetMs", 1000}});
      auto start = std::chrono::steady_clock::now();
      auto r = (*client)->Send({.method = "POST",
                                .target = "/api/v1/recommendations",
                                .headers = {{"Content-Type", "application/json"}},
                                .body = body});
      ms.push_back(std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - start)
                       .count());
      if (r.ok() && r->status == 200) {
        ++ok;
        optimal += r->body.find("\"status\":\"optimal\"") != std::string::npos;
      }
    }
  }
  (*srv)->Shutdown();
  (void)(*srv)->Wait();
  state.counters["requests"] = static_cast<double>(ms.size());
  state.counters["ok"] = static_cast<double>(ok);
  state.counters["optimal"] = static_cast<double>(optimal);
  state.counters["first_ms"] = warm_ms;
  state.counters["p50_ms"] = Percentile(ms, 0.50);
  state.counters["p95_ms"] = Percentile(ms, 0.95);
  state.counters["p99_ms"] = Percentile(ms, 0.99);
  state.counters["max_ms"] = Percentile(ms, 1.0);
}
BENCHMARK(BM_RecommendApi)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace credstack
