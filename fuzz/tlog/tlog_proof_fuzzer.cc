// Merkle proofs: the input picks a leaf, tree sizes and a bit pattern to
// XOR into the proof; a proof verifies exactly when nothing was changed.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "credstack/tlog/integrator.h"
#include "credstack/tlog/proof.h"

using namespace credstack;
using namespace credstack::tlog;

namespace {

constexpr uint64_t kLeaves = 300;

struct Tree {
  std::vector<Hash> leaves;
  std::vector<Hash> roots;  // roots[n] = MTH of the first n leaves
  Tree() {
    TileIntegrator integrator;
    roots.push_back(EmptyRoot());
    for (uint64_t i = 0; i < kLeaves; ++i) {
      uint8_t b[8] = {static_cast<uint8_t>(i), static_cast<uint8_t>(i >> 8)};
      leaves.push_back(HashLeaf(ByteView(b)));
      CREDSTACK_CHECK(integrator.Append(std::span(&leaves.back(), 1)).ok());
      roots.push_back(integrator.Root());
    }
  }
};

const Tree& TheTree() {
  static const Tree* t = new Tree();
  return *t;
}

class LeavesReader final : public HashReader {
 public:
  Result<std::vector<Hash>> ReadNodes(std::span<const NodeId> ids) override {
    std::vector<Hash> out;
    for (const NodeId& id : ids) {
      CompactRange r;
      for (uint64_t i = id.begin(); i < id.end(); ++i) {
        CREDSTACK_CHECK(r.Append(TheTree().leaves[i]).ok());
      }
      out.push_back(r.Root());
    }
    return out;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const Tree& tree = TheTree();
  const uint64_t size2 = 1 + (data[0] | (data[1] << 8)) % kLeaves;
  const uint64_t size1 = 1 + data[2] % size2;
  const uint64_t index = (data[3] * 7u) % size2;
  ByteView mask(data + 4, size - 4);
  bool changed = false;
  auto apply = [&](std::vector<Hash>& proof) {
    for (size_t i = 0; i < mask.size() && i < proof.size() * 32; ++i) {
      proof[i / 32][i % 32] ^= mask[i];
      changed |= mask[i] != 0;
    }
  };
  LeavesReader reader;
  Result<std::vector<Hash>> incl = InclusionProof(index, size2, reader);
  CREDSTACK_CHECK(incl.ok());
  apply(*incl);
  const bool incl_ok = VerifyInclusion(index, size2, tree.leaves[index], *incl,
                                       tree.roots[size2])
                           .ok();
  CREDSTACK_CHECK(incl_ok == !changed);

  changed = false;
  Result<std::vector<Hash>> cons = ConsistencyProof(size1, size2, reader);
  CREDSTACK_CHECK(cons.ok());
  apply(*cons);
  const bool cons_ok = VerifyConsistency(size1, size2, *cons, tree.roots[size1],
                                         tree.roots[size2])
                           .ok();
  CREDSTACK_CHECK(cons_ok == !changed);
  return 0;
}
