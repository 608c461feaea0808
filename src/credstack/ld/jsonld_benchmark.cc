// Cost of the JSON-LD steps of eddsa-rdfc-2022 verification for a typical
// ~3 KB Open Badges 3.0 credential (a public fixture without its proof),
// with the processed-context cache warm as in a running verifier.

#include <benchmark/benchmark.h>

#include <boost/json/monotonic_resource.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "credstack/ld/jsonld.h"

namespace credstack::ld {
namespace {

const std::string& CredentialText() {
  static const std::string text = [] {
    std::ifstream in(std::string(CREDSTACK_SOURCE_DIR) +
                     "/tests/jsonld/testdata/bench-ob3-credential.json");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }();
  return text;
}

json::Value Credential() {
  auto v = json::Parse(CredentialText());
  if (!v.ok()) std::abort();
  return std::move(*v);
}

JsonLdOptions SafeOptions() {
  JsonLdOptions options;
  options.safe_mode = true;
  return options;
}

void BM_Parse(benchmark::State& state) {
  for (auto _ : state) {
    auto v = json::Parse(CredentialText());
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(state.iterations() * CredentialText().size());
}
BENCHMARK(BM_Parse);

void BM_Expand(benchmark::State& state) {
  json::Value doc = Credential();
  JsonLdOptions options = SafeOptions();
  if (!Expand(doc, options).ok()) std::abort();  // warm the context cache
  for (auto _ : state) {
    auto r = Expand(doc, options);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Expand);

void BM_ToRdf(benchmark::State& state) {
  json::Value doc = Credential();
  JsonLdOptions options = SafeOptions();
  auto warm = ToRdf(doc, options);
  if (!warm.ok()) std::abort();
  for (auto _ : state) {
    auto r = ToRdf(doc, options);
    benchmark::DoNotOptimize(r);
  }
  state.counters["quads"] = static_cast<double>(warm->size());
}
BENCHMARK(BM_ToRdf);

// The compact dataset through the direct path (what eddsa-rdfc-2022 uses).
void BM_ToRdfDataset(benchmark::State& state) {
  json::Value doc = Credential();
  JsonLdOptions options = SafeOptions();
  auto warm = ToRdfDataset(doc, options);
  if (!warm.ok()) std::abort();
  for (auto _ : state) {
    auto r = ToRdfDataset(doc, options);
    benchmark::DoNotOptimize(r);
  }
  state.counters["quads"] = static_cast<double>(warm->size());
}
BENCHMARK(BM_ToRdfDataset);

// What verification pays per credential: parse the text, then toRdf.
void BM_ParseAndToRdf(benchmark::State& state) {
  JsonLdOptions options = SafeOptions();
  if (!ToRdf(Credential(), options).ok()) std::abort();
  for (auto _ : state) {
    auto v = json::Parse(CredentialText());
    auto r = ToRdf(*v, options);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseAndToRdf);

// A cold cache: the contexts of the credential processed from scratch.
void BM_ToRdfColdContexts(benchmark::State& state) {
  json::Value doc = Credential();
  for (auto _ : state) {
    JsonLdOptions options = SafeOptions();
    options.cache = std::make_shared<ContextCache>();
    options.loader = ContextStoreLoader::Bundled();
    auto r = ToRdf(doc, options);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ToRdfColdContexts);

}  // namespace
}  // namespace credstack::ld

namespace credstack::ld {
namespace {
// Floor for comparison: deep-copying the parsed credential into an arena.
void BM_CopyTree(benchmark::State& state) {
  json::Value doc = Credential();
  for (auto _ : state) {
    unsigned char buf[64 * 1024];
    boost::json::monotonic_resource mr(buf, sizeof buf);
    json::Value copy(doc, boost::json::storage_ptr(&mr));
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_CopyTree);
}  // namespace
}  // namespace credstack::ld
