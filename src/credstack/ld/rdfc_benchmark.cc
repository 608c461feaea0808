// RDFC-1.0 costs for credential-sized datasets (docs/benchmarks.md).
//
//   ./build/bench/ld_rdfc_benchmark
//
// Datasets: Open Badges 3.0 credentials as jsonld 9.0.0 deserializes them
// (testdata/rdfc/rdf-canonize, 2.5-2.8 KB of JSON each), the OB 3.0 and CLR
// 2.0 eddsa-rdfc-2022 test vectors, and a few W3C suite inputs. Blank nodes
// are relabelled and quads shuffled first so that input order helps nothing.
// BM_Ed25519Verify is the yardstick: canonicalization plus hashing should
// cost clearly less than one signature check.

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "credstack/crypto/ed25519.h"
#include "credstack/crypto/sha.h"
#include "credstack/ld/nquads.h"
#include "credstack/ld/rdfc.h"
#include "credstack/ld/testing/random_dataset.h"

namespace credstack::ld {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The compact RdfDataset is what the eddsa-rdfc-2022 pipeline hands to
// Canonicalize (built while deserializing JSON-LD), so it is built outside
// the loop; BM_CanonicalizeFromDataset adds the conversion from rdf.h's
// simple types.
void BM_Canonicalize(benchmark::State& state, Dataset simple,
                     CanonicalizeOptions options, bool hash) {
  size_t bytes = 0;
  RdfDataset d = RdfDataset::FromDataset(simple);
  for (auto _ : state) {
    auto r = Canonicalize(d, options);
    if (!r.ok()) {
      state.SkipWithError(r.error().ToString().c_str());
      return;
    }
    if (hash) benchmark::DoNotOptimize(crypto::Sha256(r->nquads));
    bytes = r->nquads.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["quads"] = static_cast<double>(d.size());
  state.counters["bytes"] = static_cast<double>(bytes);
}

void BM_ParseNQuads(benchmark::State& state, std::string text) {
  for (auto _ : state) benchmark::DoNotOptimize(ParseNQuads(text));
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(text.size()));
}

void BM_Ed25519Verify(benchmark::State& state) {
  auto kp = crypto::Ed25519KeyPair::Generate();
  std::string msg(64, 'm');
  auto sig = kp.Sign(AsBytes(msg));
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        crypto::Ed25519Verify(kp.public_key(), AsBytes(msg), sig));
  }
}
BENCHMARK(BM_Ed25519Verify);

struct Input {
  const char* name;
  fs::path path;
};

int Register() {
  fs::path src(CREDSTACK_SOURCE_DIR), conf(CREDSTACK_CONFORMANCE_DIR);
  fs::path rdfc10 = conf / "rdf-canon" / "tests" / "rdfc10";
  const Input inputs[] = {
      {"ob3-credential-45q",
       src / "testdata/rdfc/rdf-canonize/pub-2025a-valid-0001.in.nq"},
      {"ob3-credential-75q",
       src / "testdata/rdfc/rdf-canonize/pub-2025a-valid-0000.in.nq"},
      {"ob3-credential-83q",
       src / "testdata/rdfc/rdf-canonize/pub-2025a-valid-0034.in.nq"},
      {"ob3-vector-16q", conf / "ob3/test-vectors/obv3p0/document-canon.txt"},
      {"clr2-vector-49q", conf / "ob3/test-vectors/clrv2p0/document-canon.txt"},
      {"suite-test020-diamond", rdfc10 / "test020-in.nq"},
      {"suite-test044-ndegree", rdfc10 / "test044-in.nq"},
      {"suite-test060-escapes", rdfc10 / "test060-in.nq"},
  };
  std::mt19937 rng(2024);
  for (const Input& in : inputs) {
    if (!fs::exists(in.path)) continue;  // conformance data absent
    std::string text = ReadFile(in.path);
    auto parsed = ParseNQuads(text);
    if (!parsed.ok()) continue;
    Dataset d = testing::ShuffleAndRelabel(*parsed, rng);
    std::string name = in.name;
    benchmark::RegisterBenchmark(("BM_Canonicalize/" + name).c_str(),
                                 BM_Canonicalize, d, CanonicalizeOptions{},
                                 false);
    benchmark::RegisterBenchmark(("BM_CanonicalizeSha256/" + name).c_str(),
                                 BM_Canonicalize, d, CanonicalizeOptions{},
                                 true);
    if (name.starts_with("ob3-credential")) {
      benchmark::RegisterBenchmark(
          ("BM_CanonicalizeFromDataset/" + name).c_str(),
          [](benchmark::State& state, Dataset simple) {
            for (auto _ : state) {
              benchmark::DoNotOptimize(Canonicalize(simple));
            }
          },
          d);
      benchmark::RegisterBenchmark(
          ("BM_CanonicalizeUtf16Sha256/" + name).c_str(), BM_Canonicalize, d,
          CanonicalizeOptions{.order = QuadOrder::kUtf16}, true);
      benchmark::RegisterBenchmark(
          ("BM_CanonicalizeSha384/" + name).c_str(), BM_Canonicalize, d,
          CanonicalizeOptions{.hash = HashAlgorithm::kSha384}, false);
      benchmark::RegisterBenchmark(("BM_ParseNQuads/" + name).c_str(),
                                   BM_ParseNQuads, SerializeNQuads(d));
    }
  }
  return 0;
}
const int kRegistered = Register();

}  // namespace
}  // namespace credstack::ld
