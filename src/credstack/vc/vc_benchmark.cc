// Issue and verify costs on a typical Open Badges 3.0 credential, split by
// stage (docs/benchmarks.md):
//
//   ./build/bench/vc_benchmark
//
// eddsa-rdfc-2022 runs on a public interop fixture (a ~3 KB credential
// signed by the JavaScript reference stack) when the conformance data is
// present, else on a credential credstack issues. Processed contexts are
// warm, as in a running verifier; nothing per credential is cached.
#include <benchmark/benchmark.h>

#include <fstream>
#include <string>

#include "credstack/crypto/ed25519.h"
#include "credstack/crypto/multikey.h"
#include "credstack/crypto/sha.h"
#include "credstack/json/jcs.h"
#include "credstack/ld/jsonld.h"
#include "credstack/ld/rdfc.h"
#include "credstack/vc/structure.h"
#include "credstack/vc/testing_util.h"
#include "credstack/vc/verify.h"

namespace credstack::vc {
namespace {

SuiteOptions Suite() { return {.contexts = ld::ContextStore::Bundled()}; }

// Passes every status entry: the status list lookup is measured by the
// status module's benchmarks (the verified list is cached per URL).
class NoStatus final : public StatusChecker {
 public:
  Check CheckStatus(const json::Object&, const VerifyOptions&) const override {
    return Check{std::string(kCheckStatus), true, "not checked (benchmark)"};
  }
};

// The first valid interop fixture line (a credential with a status entry),
// or a credential issued here when the fixtures are absent.
const std::string& RdfcCredentialText() {
  static const std::string text = [] {
    std::ifstream in(std::string(CREDSTACK_SOURCE_DIR) +
                     "/../shared/interop/fixtures/fixtures.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      auto v = json::Parse(line);
      if (!v.ok() || !v->is_object()) continue;
      const json::Object& o = v->as_object();
      if (json::GetString(o, "expect") != "valid") continue;
      return json::Serialize(o.at("credential"));
    }
    auto key = testing::TestKey(1);
    return json::Serialize(*AddProof(testing::TestCredential(key), Signer::ForDidKey(key),
                                     {.cryptosuite = "eddsa-rdfc-2022"}, Suite()));
  }();
  return text;
}

json::Value RdfcCredential() { return *json::Parse(RdfcCredentialText()); }

VerifyOptions BenchVerifyOptions(const Clock& clock) {
  static const NoStatus no_status;
  VerifyOptions opts = VerifyOptions::Default(clock);
  opts.status_checker = &no_status;
  return opts;
}

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

// ---- eddsa-rdfc-2022 ----

// The whole verifier from text: parse, structure and OB schema, contexts,
// proof (toRdf + RDFC-1.0 + SHA-256 of document and proof configuration,
// Ed25519), issuer, validity (status: NoStatus).
void BM_VerifyRdfc(benchmark::State& state) {
  const std::string& text = RdfcCredentialText();
  FixedClock clock(*ParseDateTime("2025-06-01T00:00:00Z"));
  VerifyOptions opts = BenchVerifyOptions(clock);
  if (!VerifyCredentialText(text, opts).verified) {
    state.SkipWithError("fixture does not verify");
    return;
  }
  for (auto _ : state) {
    auto r = VerifyCredentialText(text, opts);
    benchmark::DoNotOptimize(r);
  }
  state.counters["bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_VerifyRdfc);

void BM_IssueRdfc(benchmark::State& state) {
  auto key = testing::TestKey(1);
  json::Object vc = testing::TestCredential(key);
  Signer signer = Signer::ForDidKey(key);
  for (auto _ : state) {
    auto r = AddProof(vc, signer, {.cryptosuite = "eddsa-rdfc-2022"}, Suite());
    if (!r.ok()) state.SkipWithError("issue failed");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_IssueRdfc);

// Stage: JSON parse of the credential text.
void BM_Stage1Parse(benchmark::State& state) {
  const std::string& text = RdfcCredentialText();
  for (auto _ : state) benchmark::DoNotOptimize(json::Parse(text));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_Stage1Parse);

// Stage: structure and Open Badges schema check.
void BM_Stage2Structure(benchmark::State& state) {
  json::Value vc = RdfcCredential();
  for (auto _ : state) {
    benchmark::DoNotOptimize(ValidateCredential(vc, {.require_proof = false}));
  }
}
BENCHMARK(BM_Stage2Structure);

// Stage: the suite's hash data (toRdf, RDFC-1.0, SHA-256 for the document
// and the proof configuration), i.e. everything the proof check does but
// the signature.
void BM_Stage3HashData(benchmark::State& state) {
  json::Value vc = RdfcCredential();
  const json::Object& o = vc.as_object();
  const json::Object& proof = o.at("proof").as_object();
  SuiteOptions suite = Suite();
  if (!EddsaRdfc2022().HashForVerification(o, proof, suite).ok()) std::abort();
  for (auto _ : state) {
    benchmark::DoNotOptimize(EddsaRdfc2022().HashForVerification(o, proof, suite));
  }
}
BENCHMARK(BM_Stage3HashData);

ld::JsonLdOptions SafeMode() {
  ld::JsonLdOptions o;
  o.safe_mode = true;
  return o;
}

constexpr std::string_view kSkipProof[] = {"proof"};
constexpr std::string_view kSkipConfig[] = {"proofValue", "@context"};

// Stage 3a: the document without its proof to RDF (the direct path).
void BM_Stage3aToRdfDocument(benchmark::State& state) {
  json::Value vc = RdfcCredential();
  ld::JsonLdOptions o = SafeMode();
  auto warm = ld::ToRdfDataset(vc, o, {.skip_members = kSkipProof});
  if (!warm.ok()) std::abort();
  for (auto _ : state) {
    benchmark::DoNotOptimize(ld::ToRdfDataset(vc, o, {.skip_members = kSkipProof}));
  }
  state.counters["quads"] = static_cast<double>(warm->size());
}
BENCHMARK(BM_Stage3aToRdfDocument);

// The same through the spec path (Expand, node map, deserialization) on a
// copy without the proof: what ToRdf() does, the oracle of the direct path.
void BM_Stage3aToRdfDocumentSpecPath(benchmark::State& state) {
  json::Value vc = RdfcCredential();
  vc.as_object().erase("proof");
  ld::JsonLdOptions o = SafeMode();
  if (!ld::ToRdf(vc, o).ok()) std::abort();
  for (auto _ : state) benchmark::DoNotOptimize(ld::ToRdf(vc, o));
}
BENCHMARK(BM_Stage3aToRdfDocumentSpecPath);

// Stage 3b: RDFC-1.0 of the document's dataset.
void BM_Stage3bCanonicalizeDocument(benchmark::State& state) {
  auto d = ld::ToRdfDataset(RdfcCredential(), SafeMode(), {.skip_members = kSkipProof});
  for (auto _ : state) benchmark::DoNotOptimize(ld::Canonicalize(*d));
}
BENCHMARK(BM_Stage3bCanonicalizeDocument);

// Stage 3c: SHA-256 of the canonical document.
void BM_Stage3cHashDocument(benchmark::State& state) {
  auto c = ld::Canonicalize(
      *ld::ToRdfDataset(RdfcCredential(), SafeMode(), {.skip_members = kSkipProof}));
  for (auto _ : state) benchmark::DoNotOptimize(crypto::Sha256(c->nquads));
  state.counters["bytes"] = static_cast<double>(c->nquads.size());
}
BENCHMARK(BM_Stage3cHashDocument);

// Stage 3d: the proof configuration (a view of the proof with the
// document's @context) to RDF, canonical form and hash.
void BM_Stage3dProofConfig(benchmark::State& state) {
  json::Value vc = RdfcCredential();
  const json::Object& proof = vc.as_object().at("proof").as_object();
  const json::Value* ctx = vc.as_object().if_contains("@context");
  ld::JsonLdOptions o = SafeMode();
  if (!ld::ToRdfDataset(proof, o, {.skip_members = kSkipConfig, .context = ctx}).ok()) {
    std::abort();
  }
  for (auto _ : state) {
    auto d = ld::ToRdfDataset(proof, o, {.skip_members = kSkipConfig, .context = ctx});
    auto c = ld::Canonicalize(*d);
    benchmark::DoNotOptimize(crypto::Sha256(c->nquads));
  }
}
BENCHMARK(BM_Stage3dProofConfig);

// Stage 4: the Ed25519 signature check itself.
void BM_Stage4Ed25519Verify(benchmark::State& state) {
  auto key = testing::TestKey(1);
  std::array<uint8_t, 64> msg{};
  crypto::Ed25519Signature sig = key.Sign(msg);
  for (auto _ : state) {
    benchmark::DoNotOptimize(crypto::Ed25519Verify(key.public_key(), msg, sig));
  }
}
BENCHMARK(BM_Stage4Ed25519Verify);

}  // namespace
}  // namespace credstack::vc
