// Status list costs: encoding a list, decoding it, checking one entry (what
// verification pays per credentialStatus entry), allocating indexes.

#include <benchmark/benchmark.h>

#include "credstack/base/rng.h"
#include "credstack/status/allocator.h"
#include "credstack/status/check.h"

namespace credstack::status {
namespace {

Bitstring SparseList(uint64_t revoked) {
  Bitstring b = *Bitstring::Create();
  DeterministicRng rng(1);
  for (uint64_t i = 0; i < revoked; ++i)
    CREDSTACK_CHECK(b.Set(rng.Uniform(b.entries()), 1).ok());
  return b;
}

void BM_EncodeList(benchmark::State& state) {
  Bitstring b = SparseList(static_cast<uint64_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(EncodeList(b));
}
BENCHMARK(BM_EncodeList)->Arg(0)->Arg(1000);

void BM_DecodeList(benchmark::State& state) {
  const std::string enc =
      *EncodeList(SparseList(static_cast<uint64_t>(state.range(0))));
  for (auto _ : state) benchmark::DoNotOptimize(DecodeList(enc));
}
BENCHMARK(BM_DecodeList)->Arg(0)->Arg(1000);

json::Value ListCredential() {
  StatusListCredentialOptions o;
  o.id = "https://issuer.example/status/1";
  o.issuer = "did:example:issuer";
  o.purposes = {"revocation"};
  o.encoded_list = *EncodeList(SparseList(1000));
  return *BuildStatusListCredential(o);
}

json::Value Entry() {
  StatusEntryOptions o;
  o.purpose = "revocation";
  o.index = 94567;
  o.list_credential = "https://issuer.example/status/1";
  return *BuildStatusListEntry(o);
}

// Full check from JSON: parse entry, decode the list, read the bit.
void BM_CheckStatusEntry(benchmark::State& state) {
  const json::Value list = ListCredential();
  const json::Value entry = Entry();
  for (auto _ : state) {
    Result<EntryCheck> r = CheckStatusEntry(entry, &list);
    CREDSTACK_CHECK(r.ok() && r->ok());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_CheckStatusEntry);

// With the decoded list cached (what a verifier's list cache gives).
void BM_CheckEntryCachedList(benchmark::State& state) {
  const ParsedList list = *ParseStatusList(ListCredential());
  const json::Value entry = Entry();
  for (auto _ : state) {
    ParsedEntry e = ParseStatusEntry(entry);
    EntryCheck r = CheckEntry(e.entry, list.list);
    CREDSTACK_CHECK(r.ok());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_CheckEntryCachedList);

void BM_AllocateIndex(benchmark::State& state) {
  DeterministicRng rng(2);
  const uint64_t fill = static_cast<uint64_t>(state.range(0));
  AllocationBitmap bitmap = *AllocationBitmap::Create(kMinimumEntries);
  for (uint64_t i = 0; i < fill; ++i)
    CREDSTACK_CHECK(AllocateIndex(bitmap, rng).ok());
  const Bytes snapshot = bitmap.ToBytes();
  uint64_t n = 0;
  for (auto _ : state) {
    if (bitmap.free_count() == 0 || ++n % 1000 == 0) {
      state.PauseTiming();
      bitmap = *AllocationBitmap::FromBytes(kMinimumEntries, snapshot);
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(AllocateIndex(bitmap, rng));
  }
  state.SetLabel(std::to_string(fill) + " of 131072 already allocated");
}
BENCHMARK(BM_AllocateIndex)->Arg(0)->Arg(65536)->Arg(130000);

}  // namespace
}  // namespace credstack::status
