// Transparency-log benchmarks: proofs at 10,000,000 leaves served from an
// in-memory tile store, batched integration, and note signing/verification.

#include <benchmark/benchmark.h>

#include "credstack/base/rng.h"
#include "credstack/tlog/checkpoint.h"
#include "credstack/tlog/cosignature.h"
#include "credstack/tlog/integrator.h"
#include "credstack/tlog/proof.h"
#include "credstack/tlog/testing/memory_tile_store.h"

namespace credstack::tlog {
namespace {

constexpr uint64_t kBigTree = 10'000'000;

Hash LeafHashFor(uint64_t i) {
  uint8_t le[8];
  for (int b = 0; b < 8; ++b) le[b] = static_cast<uint8_t>(i >> (8 * b));
  return HashLeaf(ByteView(le));
}

struct BigTree {
  testing::MemoryTileStore store;
  Hash root{};
  std::vector<uint64_t> sample;  // random leaf indexes
  std::vector<Hash> sample_leaves;

  BigTree() {
    TileIntegrator integrator;
    std::vector<Hash> batch;
    batch.reserve(1 << 16);
    for (uint64_t i = 0; i < kBigTree;) {
      batch.clear();
      for (; i < kBigTree && batch.size() < batch.capacity(); ++i) {
        batch.push_back(LeafHashFor(i));
      }
      Result<IntegrateResult> r = integrator.Append(batch);
      CREDSTACK_CHECK(r.ok());
      store.Write(r->tiles);
      root = r->root;
    }
    DeterministicRng rng(42);
    for (int i = 0; i < 4096; ++i) {
      sample.push_back(rng.Uniform(kBigTree));
      sample_leaves.push_back(LeafHashFor(sample.back()));
    }
  }
};

BigTree& Tree() {
  static BigTree* tree = new BigTree();
  return *tree;
}

// range(0): 0 = no cache, every tile read and expanded per proof;
// 1 = a shared tile cache with proofs for random leaves across the whole
// tree (upper-level and right-edge tiles stay hot, the leaf's tile is
// usually cold: the realistic server case); 2 = all tiles hot (4096
// repeating leaves).
const char* CacheLabel(int64_t mode) {
  switch (mode) {
    case 0:
      return "no cache";
    case 1:
      return "shared cache, random leaves (leaf tile cold)";
    default:
      return "all tiles cached";
  }
}

void BM_InclusionProof10M(benchmark::State& state) {
  BigTree& tree = Tree();
  const int64_t mode = state.range(0);
  ExpandedTileCache cache(4096);
  DeterministicRng rng(7);
  size_t i = 0;
  for (auto _ : state) {
    TileHashReader reader(tree.store, kBigTree, mode == 0 ? nullptr : &cache);
    const uint64_t index = mode == 2 ? tree.sample[i++ % tree.sample.size()]
                                     : rng.Uniform(kBigTree);
    Result<std::vector<Hash>> proof = InclusionProof(index, kBigTree, reader);
    CREDSTACK_CHECK(proof.ok());
    benchmark::DoNotOptimize(proof);
  }
  state.SetLabel(CacheLabel(mode));
}
BENCHMARK(BM_InclusionProof10M)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMicrosecond);

void BM_VerifyInclusion10M(benchmark::State& state) {
  BigTree& tree = Tree();
  std::vector<std::vector<Hash>> proofs;
  TileHashReader reader(tree.store, kBigTree);
  for (size_t i = 0; i < 256; ++i) {
    proofs.push_back(*InclusionProof(tree.sample[i], kBigTree, reader));
  }
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ % proofs.size();
    Status s = VerifyInclusion(tree.sample[k], kBigTree, tree.sample_leaves[k],
                               proofs[k], tree.root);
    CREDSTACK_CHECK(s.ok());
  }
}
BENCHMARK(BM_VerifyInclusion10M)->Unit(benchmark::kMicrosecond);

void BM_ConsistencyProof10M(benchmark::State& state) {
  BigTree& tree = Tree();
  const int64_t mode = state.range(0);
  ExpandedTileCache cache(4096);
  DeterministicRng rng(8);
  size_t i = 0;
  for (auto _ : state) {
    TileHashReader reader(tree.store, kBigTree, mode == 0 ? nullptr : &cache);
    const uint64_t size1 =
        1 + (mode == 2 ? tree.sample[i++ % tree.sample.size()]
                       : rng.Uniform(kBigTree));
    Result<std::vector<Hash>> proof = ConsistencyProof(size1, kBigTree, reader);
    CREDSTACK_CHECK(proof.ok());
    benchmark::DoNotOptimize(proof);
  }
  state.SetLabel(CacheLabel(mode));
}
BENCHMARK(BM_ConsistencyProof10M)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMicrosecond);

void BM_VerifyConsistency10M(benchmark::State& state) {
  BigTree& tree = Tree();
  TileHashReader reader(tree.store, kBigTree);
  struct Case {
    uint64_t size1;
    Hash root1;
    std::vector<Hash> proof;
  };
  std::vector<Case> cases;
  for (size_t i = 0; i < 64; ++i) {
    const uint64_t size1 = 1 + tree.sample[i];
    cases.push_back({size1, *RootAt(size1, reader),
                     *ConsistencyProof(size1, kBigTree, reader)});
  }
  size_t i = 0;
  for (auto _ : state) {
    const Case& c = cases[i++ % cases.size()];
    Status s =
        VerifyConsistency(c.size1, kBigTree, c.proof, c.root1, tree.root);
    CREDSTACK_CHECK(s.ok());
  }
}
BENCHMARK(BM_VerifyConsistency10M)->Unit(benchmark::kMicrosecond);

// Integrating pre-hashed leaves in batches of range(0): hashing, tile
// updates and the root per batch (what the integrator does per checkpoint).
void BM_IntegrateBatch(benchmark::State& state) {
  const size_t batch_size = static_cast<size_t>(state.range(0));
  std::vector<Hash> leaves(1 << 16);
  for (size_t i = 0; i < leaves.size(); ++i) leaves[i] = LeafHashFor(i);
  TileIntegrator integrator;
  size_t next = 0;
  for (auto _ : state) {
    if (next + batch_size > leaves.size()) next = 0;
    Result<IntegrateResult> r =
        integrator.Append(std::span(leaves).subspan(next, batch_size));
    CREDSTACK_CHECK(r.ok());
    benchmark::DoNotOptimize(r);
    next += batch_size;
  }
  state.SetItemsProcessed(
      static_cast<int64_t>(state.iterations() * batch_size));
}
BENCHMARK(BM_IntegrateBatch)->Arg(1)->Arg(256)->Arg(4096)->Arg(65536);

// The same including the RFC 9162 leaf hash of 100-byte entries.
void BM_HashAndIntegrateBatch(benchmark::State& state) {
  const size_t batch_size = static_cast<size_t>(state.range(0));
  std::vector<Bytes> entries(batch_size, Bytes(100, 0x5a));
  std::vector<Hash> hashes(batch_size);
  TileIntegrator integrator;
  for (auto _ : state) {
    for (size_t i = 0; i < batch_size; ++i) hashes[i] = HashLeaf(entries[i]);
    Result<IntegrateResult> r = integrator.Append(hashes);
    CREDSTACK_CHECK(r.ok());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(
      static_cast<int64_t>(state.iterations() * batch_size));
}
BENCHMARK(BM_HashAndIntegrateBatch)->Arg(4096);

void BM_HashChildren(benchmark::State& state) {
  Hash a{}, b{};
  b[0] = 1;
  for (auto _ : state) {
    a = HashChildren(a, b);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_HashChildren);

crypto::Ed25519KeyPair Key(uint64_t seed) {
  DeterministicRng rng(seed);
  crypto::Ed25519Seed s;
  rng.Fill(s);
  return crypto::Ed25519KeyPair::FromSeed(s);
}

void BM_SignCheckpoint(benchmark::State& state) {
  Ed25519NoteSigner log("example.com/log", Key(1));
  const NoteSigner* signers[] = {&log};
  Checkpoint cp{.origin = "example.com/log", .size = kBigTree};
  for (auto _ : state) {
    Result<std::string> note = SignCheckpoint(cp, signers);
    CREDSTACK_CHECK(note.ok());
    benchmark::DoNotOptimize(note);
  }
}
BENCHMARK(BM_SignCheckpoint);

void BM_OpenCheckpoint(benchmark::State& state) {
  Ed25519NoteSigner log("example.com/log", Key(1));
  Ed25519NoteVerifier log_v("example.com/log", log.key_pair().public_key());
  const NoteSigner* signers[] = {&log};
  Checkpoint cp{.origin = "example.com/log", .size = kBigTree};
  const std::string note = *SignCheckpoint(cp, signers);
  for (auto _ : state) {
    Result<OpenedCheckpoint> opened =
        OpenCheckpoint(note, "example.com/log", log_v);
    CREDSTACK_CHECK(opened.ok());
    benchmark::DoNotOptimize(opened);
  }
}
BENCHMARK(BM_OpenCheckpoint);

// A checkpoint with the log signature and 3 of 3 witness cosignatures.
void BM_OpenCosignedCheckpoint(benchmark::State& state) {
  FixedClock clock(Timestamp::FromUnixSeconds(1'700'000'000));
  Ed25519NoteSigner log("example.com/log", Key(1));
  Ed25519NoteVerifier log_v("example.com/log", log.key_pair().public_key());
  std::vector<std::unique_ptr<CosignatureSigner>> witnesses;
  std::vector<std::string> vkeys;
  std::vector<const NoteSigner*> signers = {&log};
  for (int i = 0; i < 3; ++i) {
    witnesses.push_back(std::make_unique<CosignatureSigner>(
        "w" + std::to_string(i), Key(10 + i), clock));
    vkeys.push_back(witnesses.back()->verifier_key());
    signers.push_back(witnesses.back().get());
  }
  WitnessPolicy policy = *WitnessPolicy::Create(vkeys, 3);
  Checkpoint cp{.origin = "example.com/log", .size = kBigTree};
  const std::string note = *SignCheckpoint(cp, signers);
  for (auto _ : state) {
    Result<CosignedCheckpoint> opened =
        OpenCosignedCheckpoint(note, "example.com/log", log_v, policy);
    CREDSTACK_CHECK(opened.ok());
    benchmark::DoNotOptimize(opened);
  }
}
BENCHMARK(BM_OpenCosignedCheckpoint);

void BM_ParseTilePath(benchmark::State& state) {
  for (auto _ : state) {
    Result<TileId> id = ParseTilePath("tile/0/x001/x234/067.p/8");
    benchmark::DoNotOptimize(id);
  }
}
BENCHMARK(BM_ParseTilePath);

}  // namespace
}  // namespace credstack::tlog
