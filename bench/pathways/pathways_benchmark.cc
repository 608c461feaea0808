// Pathways benchmarks over the real ESCO v1.1.1 data (../shared/datasets):
// full import, and learning-path recommendations for every ESCO occupation
// against a generated catalog of 20,000 achievements aligned to ESCO skills.
// Latency percentiles are reported as counters (milliseconds).
//
//   ./build/bench/pathways_benchmark

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "credstack/base/rng.h"
#include "credstack/json/json.h"
#include "credstack/pathways/import.h"
#include "credstack/pathways/json_io.h"
#include "credstack/pathways/recommender.h"
#include "credstack/pathways/testing/catalog_generator.h"
#include "credstack/pathways/testing/dir_file_provider.h"

namespace credstack::pathways {
namespace {

std::filesystem::path EscoDir() {
  return std::filesystem::path(CREDSTACK_SOURCE_DIR) / ".." / "shared" /
         "datasets" / "esco-v1.1.1";
}

const Framework* Esco() {
  static std::unique_ptr<Framework> fw = [] {
    testing::DirFileProvider files(EscoDir());
    auto r = ImportEsco(files, {.version = "1.1.1"});
    return r.ok() ? std::make_unique<Framework>(std::move(r).value()) : nullptr;
  }();
  return fw.get();
}

const Catalog* BenchCatalog() {
  static std::unique_ptr<Catalog> c = []() -> std::unique_ptr<Catalog> {
    const Framework* fw = Esco();
    if (!fw) return nullptr;
    testing::GeneratedCatalog g = testing::GenerateCatalog(*fw, 20000, 2024);
    auto r =
        Catalog::Build(std::move(g.achievements), std::move(g.issuers), fw);
    if (!r.ok()) return nullptr;
    return std::make_unique<Catalog>(std::move(r).value());
  }();
  return c.get();
}

void BM_ImportEscoFull(benchmark::State& state) {
  if (!std::filesystem::exists(EscoDir())) {
    state.SkipWithError("ESCO v1.1.1 data set not present");
    return;
  }
  for (auto _ : state) {
    testing::DirFileProvider files(EscoDir());
    auto fw = ImportEsco(files, {.version = "1.1.1"});
    if (!fw.ok()) state.SkipWithError(fw.error().ToString().c_str());
    benchmark::DoNotOptimize(fw);
  }
}
BENCHMARK(BM_ImportEscoFull)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_LoadSnapshot(benchmark::State& state) {
  const Framework* fw = Esco();
  if (!fw) {
    state.SkipWithError("ESCO v1.1.1 data set not present");
    return;
  }
  std::string text = json::Serialize(FrameworkToJson(*fw));
  for (auto _ : state) {
    auto back = FrameworkFromJson(text);
    benchmark::DoNotOptimize(back);
  }
  state.counters["bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_LoadSnapshot)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_BuildCatalog20k(benchmark::State& state) {
  const Framework* fw = Esco();
  if (!fw) {
    state.SkipWithError("ESCO v1.1.1 data set not present");
    return;
  }
  testing::GeneratedCatalog g = testing::GenerateCatalog(*fw, 20000, 2024);
  for (auto _ : state) {
    auto c = Catalog::Build(g.achievements, g.issuers, fw);
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_BuildCatalog20k)->Unit(benchmark::kMillisecond)->Iterations(3);

double Percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1,
                    static_cast<size_t>(q * static_cast<double>(v.size())))];
}

// One pass over every ESCO occupation as the target; the learner already
// holds ~30% of its essential skills (deterministic per occupation).
void RecommendAll(benchmark::State& state, bool greedy) {
  const Framework* fw = Esco();
  const Catalog* catalog = BenchCatalog();
  if (!fw || !catalog) {
    state.SkipWithError("ESCO v1.1.1 data set not present");
    return;
  }
  std::vector<double> ms;
  int optimal = 0, gap = 0, greedy_n = 0, infeasible = 0, other = 0;
  double steps = 0;
  for (auto _ : state) {
    for (uint32_t o = 0; o < fw->occupations().size(); ++o) {
      RecommendRequest req;
      DeterministicRng rng(o);
      for (const OccupationSkill& s : fw->occupations()[o].skills) {
        if (s.relation != RelationType::kEssential) continue;
        const std::string& id = fw->skills()[s.skill].id;
        req.target_skills.push_back(id);
        if (rng.Uniform(10) < 3) req.held_skills.push_back(id);
      }
      if (req.target_skills.empty()) continue;
      req.options.greedy = greedy;
      req.options.time_budget = std::chrono::milliseconds(1000);
      auto t0 = std::chrono::steady_clock::now();
      auto plan = Recommend(*catalog, fw, req);
      auto t1 = std::chrono::steady_clock::now();
      ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      if (!plan.ok()) {
        state.SkipWithError(plan.error().ToString().c_str());
        return;
      }
      steps += static_cast<double>(plan->steps.size());
      switch (plan->status) {
        case PlanStatus::kOptimal:
          ++optimal;
          break;
        case PlanStatus::kFeasible:
          ++gap;
          break;
        case PlanStatus::kGreedy:
          ++greedy_n;
          break;
        case PlanStatus::kInfeasible:
          ++infeasible;
          break;
        default:
          ++other;
          break;
      }
    }
  }
  state.counters["targets"] = static_cast<double>(ms.size());
  state.counters["p50_ms"] = Percentile(ms, 0.50);
  state.counters["p95_ms"] = Percentile(ms, 0.95);
  state.counters["p99_ms"] = Percentile(ms, 0.99);
  state.counters["max_ms"] = Percentile(ms, 1.0);
  state.counters["optimal"] = optimal;
  state.counters["gap"] = gap;
  state.counters["greedy"] = greedy_n;
  state.counters["infeasible"] = infeasible;
  state.counters["no_plan"] = other;
  state.counters["avg_steps"] =
      steps / static_cast<double>(std::max<size_t>(1, ms.size()));
}

void BM_RecommendEveryOccupationExact(benchmark::State& state) {
  RecommendAll(state, false);
}
void BM_RecommendEveryOccupationGreedy(benchmark::State& state) {
  RecommendAll(state, true);
}
BENCHMARK(BM_RecommendEveryOccupationExact)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK(BM_RecommendEveryOccupationGreedy)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace credstack::pathways
