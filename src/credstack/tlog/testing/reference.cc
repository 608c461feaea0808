#include "credstack/tlog/testing/reference.h"

namespace credstack::tlog::testing {
namespace {

// The largest power of two smaller than n (n > 1).
uint64_t SplitPoint(uint64_t n) {
  uint64_t k = 1;
  while (k << 1 < n) k <<= 1;
  return k;
}

std::vector<Hash> Concat(std::vector<Hash> a, const Hash& b) {
  a.push_back(b);
  return a;
}

std::vector<Hash> SubProof(uint64_t m, std::span<const Hash> d, bool b) {
  const uint64_t n = d.size();
  if (m == n) {
    if (b) return {};
    return {ReferenceRoot(d)};
  }
  const uint64_t k = SplitPoint(n);
  if (m <= k)
    return Concat(SubProof(m, d.first(k), b), ReferenceRoot(d.subspan(k)));
  return Concat(SubProof(m - k, d.subspan(k), false),
                ReferenceRoot(d.first(k)));
}

}  // namespace

Hash ReferenceRoot(std::span<const Hash> d) {
  if (d.empty()) return EmptyRoot();
  if (d.size() == 1) return d[0];
  const uint64_t k = SplitPoint(d.size());
  return HashChildren(ReferenceRoot(d.first(k)), ReferenceRoot(d.subspan(k)));
}

std::vector<Hash> ReferencePath(uint64_t m, std::span<const Hash> d) {
  const uint64_t n = d.size();
  if (n <= 1) return {};
  const uint64_t k = SplitPoint(n);
  if (m < k)
    return Concat(ReferencePath(m, d.first(k)), ReferenceRoot(d.subspan(k)));
  return Concat(ReferencePath(m - k, d.subspan(k)), ReferenceRoot(d.first(k)));
}

std::vector<Hash> ReferenceProof(uint64_t m, std::span<const Hash> d) {
  return SubProof(m, d, true);
}

}  // namespace credstack::tlog::testing
