// Fuzzes ld::Canonicalize on datasets parsed from the input. Properties:
// only budget errors; shuffled quads with relabelled blank nodes give the
// same canonical form; the canonical form is a fixed point; code point and
// UTF-16 order agree unless the result says they may differ; the issued
// map names every blank node once.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <string_view>

#include "credstack/ld/nquads.h"
#include "credstack/ld/rdfc.h"
#include "credstack/ld/testing/random_dataset.h"

namespace {

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "ld_rdfc_fuzzer: property violated: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace credstack;
  using namespace credstack::ld;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<Dataset> d =
      ParseNQuads(text, {.max_bytes = 1 << 16, .max_line_length = 1 << 12, .max_quads = 200});
  if (!d.ok()) return 0;
  // Small budgets keep each run fast; poison inputs must fail, not hang.
  CanonicalizeOptions options{.max_ndegree_calls = 2'000, .max_permutations = 20'000};
  Result<CanonicalResult> r = Canonicalize(*d, options);
  if (!r.ok()) {
    Require(r.error().code() == Code::kResourceExhausted, "only budget errors");
    return 0;
  }
  std::set<std::string> labels;
  for (const Quad& q : *d) {
    for (const Term* t : {&q.subject, &q.object, &q.graph}) {
      if (t->kind == TermKind::kBlankNode) labels.insert(t->value);
    }
  }
  Require(r->issued.size() == labels.size(), "issued map covers every blank node");
  for (size_t i = 0; i < r->issued.size(); ++i) {
    Require(labels.count(r->issued[i].input) == 1, "issued map keys are input labels");
    Require(r->issued[i].canonical == "c14n" + std::to_string(i), "c14n numbering");
  }

  std::seed_seq seed(data, data + std::min<size_t>(size, 16));
  std::mt19937 rng(seed);
  Result<CanonicalResult> variant = Canonicalize(testing::ShuffleAndRelabel(*d, rng), options);
  if (variant.ok()) Require(variant->nquads == r->nquads, "shuffle/relabel invariance");

  Result<Dataset> canonical = ParseNQuads(r->nquads, {.max_bytes = 1 << 20});
  Require(canonical.ok(), "canonical form parses");
  Result<CanonicalResult> fixed = Canonicalize(*canonical, options);
  if (fixed.ok()) Require(fixed->nquads == r->nquads, "canonical form is a fixed point");

  CanonicalizeOptions utf16 = options;
  utf16.order = QuadOrder::kUtf16;
  Result<CanonicalResult> r16 = Canonicalize(*d, utf16);
  if (r16.ok() && !r->orders_may_differ) {
    Require(r16->nquads == r->nquads, "orders agree when they cannot differ");
  }
  return 0;
}
