// Issue and verify costs with eddsa-jcs-2022 (and eddsa-rdfc-2022 when
// available) on a typical Open Badges 3.0 credential.
#include <benchmark/benchmark.h>

#include "credstack/json/jcs.h"
#include "credstack/vc/testing_util.h"
#include "credstack/vc/verify.h"

namespace credstack::vc {
namespace {

SuiteOptions Suite() { return {.contexts = ld::ContextStore::Bundled()}; }

void BM_JcsCanonicalizeCredential(benchmark::State& state) {
  json::Value vc(testing::TestCredential(testing::TestKey(1)));
  for (auto _ : state) benchmark::DoNotOptimize(json::Canonicalize(vc));
}
BENCHMARK(BM_JcsCanonicalizeCredential);

void BM_IssueJcs(benchmark::State& state) {
  auto key = testing::TestKey(1);
  json::Object vc = testing::TestCredential(key);
  Signer signer = Signer::ForDidKey(key);
  for (auto _ : state) {
    benchmark::DoNotOptimize(AddProof(vc, signer, {.cryptosuite = "eddsa-jcs-2022"}, Suite()));
  }
}
BENCHMARK(BM_IssueJcs);

void BM_VerifyJcs(benchmark::State& state) {
  auto key = testing::TestKey(1);
  json::Value vc(*AddProof(testing::TestCredential(key), Signer::ForDidKey(key),
                           {.cryptosuite = "eddsa-jcs-2022"}, Suite()));
  FixedClock clock(*ParseDateTime("2025-01-01T00:00:00Z"));
  VerifyOptions opts = VerifyOptions::Default(clock);
  for (auto _ : state) {
    auto r = VerifyCredential(vc, opts);
    if (!r.verified) state.SkipWithError("did not verify");
  }
}
BENCHMARK(BM_VerifyJcs);

void BM_VerifyJcsFromText(benchmark::State& state) {
  auto key = testing::TestKey(1);
  std::string text = json::Serialize(*AddProof(testing::TestCredential(key), Signer::ForDidKey(key),
                                               {.cryptosuite = "eddsa-jcs-2022"}, Suite()));
  FixedClock clock(*ParseDateTime("2025-01-01T00:00:00Z"));
  VerifyOptions opts = VerifyOptions::Default(clock);
  for (auto _ : state) {
    auto r = VerifyCredentialText(text, opts);
    if (!r.verified) state.SkipWithError("did not verify");
  }
  state.counters["bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_VerifyJcsFromText);

}  // namespace
}  // namespace credstack::vc
