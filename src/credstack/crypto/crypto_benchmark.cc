// Raw primitive costs: the floor under every issue and verify figure.
#include <benchmark/benchmark.h>

#include <string>

#include "credstack/crypto/ed25519.h"
#include "credstack/crypto/sha.h"

namespace credstack::crypto {
namespace {

void BM_Ed25519Sign(benchmark::State& state) {
  auto kp = Ed25519KeyPair::Generate();
  std::string msg(64, 'm');
  for (auto _ : state) benchmark::DoNotOptimize(kp.Sign(AsBytes(msg)));
}
BENCHMARK(BM_Ed25519Sign);

void BM_Ed25519Verify(benchmark::State& state) {
  auto kp = Ed25519KeyPair::Generate();
  std::string msg(64, 'm');
  auto sig = kp.Sign(AsBytes(msg));
  for (auto _ : state) benchmark::DoNotOptimize(Ed25519Verify(kp.public_key(), AsBytes(msg), sig));
}
BENCHMARK(BM_Ed25519Verify);

void BM_Sha256(benchmark::State& state) {
  std::string data(static_cast<size_t>(state.range(0)), 'x');
  for (auto _ : state) benchmark::DoNotOptimize(Sha256(data));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Sha256)->Arg(64)->Arg(3000);

}  // namespace
}  // namespace credstack::crypto
