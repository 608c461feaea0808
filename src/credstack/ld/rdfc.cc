// RDFC-1.0 (W3C REC 2024-05-21). Section and step numbers in comments refer
// to that document.
//
// Speed notes: the input is an RdfDataset (dataset.h), whose terms are
// already in canonical N-Quads form, so a quad line is rendered by copying
// at most four term texts, with the blank node labels each step needs.
// Duplicate quads are found by comparing term ids. Blank nodes are small
// integers; the blank node to quads map is a CSR array; digests are
// compared as bytes (hex order = byte order) and hex-encoded only where the
// algorithm hashes them as text.

#include "credstack/ld/rdfc.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <limits>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "credstack/base/scratch.h"
#include "credstack/crypto/sha.h"
#include "credstack/ld/internal/rdfc_internal.h"
#include "credstack/ld/dataset.h"
#include "credstack/ld/nquads.h"

namespace credstack::ld {
namespace internal {

int CompareStrings(std::string_view a, std::string_view b, QuadOrder order) {
  size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  // memcmp finds whether and roughly where they differ; a plain loop then
  // finds the first differing byte.
  if (std::memcmp(a.data(), b.data(), n) == 0) {
    i = n;
  } else {
    while (a[i] == b[i]) ++i;
  }
  if (i == n) return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
  auto ca = static_cast<unsigned char>(a[i]);
  auto cb = static_cast<unsigned char>(b[i]);
  int bytes = ca < cb ? -1 : 1;
  // UTF-8 byte order is code point order. UTF-16 order differs only when a
  // supplementary code point (4-byte form, lead F0-F4, high surrogate in
  // UTF-16) meets one in U+E000-U+FFFF (lead EE or EF) at the first
  // differing code point. Both strings share the bytes before i, so if i
  // is inside a code point, both code points have the same lead byte and
  // the same class.
  if (order == QuadOrder::kCodePoint || (ca & 0xc0) == 0x80) return bytes;
  bool a_astral = ca >= 0xf0, b_astral = cb >= 0xf0;
  bool a_high = ca == 0xee || ca == 0xef, b_high = cb == 0xee || cb == 0xef;
  if ((a_astral && b_high) || (a_high && b_astral)) return -bytes;
  return bytes;
}

}  // namespace internal

namespace {

using internal::CompareStrings;

struct Digest {
  std::array<uint8_t, 48> b{};  // SHA-256 uses the first 32 bytes
  friend bool operator<(const Digest& x, const Digest& y) { return x.b < y.b; }
  friend bool operator==(const Digest& x, const Digest& y) = default;
};

// A quad of the input with the canonicalizer's blank node numbers for its
// subject, object and graph positions (kNoNode when not a blank node).
constexpr uint32_t kNoNode = UINT32_MAX;
struct LocalQuad {
  RdfDataset::Quad q;
  std::array<uint32_t, 3> node;  // subject, object, graph
};

// Identifier issuer (§4.3) for temporary identifiers "b<N>": the issued
// identifiers map as the list of blank nodes in issuance order.
struct Issuer {
  std::vector<uint32_t> nodes;
  int Find(uint32_t node) const {
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (nodes[i] == node) return static_cast<int>(i);
    }
    return -1;
  }
  // §4.5.2 Issue Identifier.
  int Issue(uint32_t node) {
    int id = Find(node);
    if (id >= 0) return id;
    nodes.push_back(node);
    return static_cast<int>(nodes.size() - 1);
  }
};

// Sets *astral when s has a lead byte F0-F4 (U+10000 and up) and *high
// when it has EE or EF (U+E000-U+FFFF). SSE2 skips 16 bytes below EE at a
// time.
void ScanHighBytes(std::string_view s, bool& astral, bool& high) {
  astral = high = false;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i ee = _mm_set1_epi8(static_cast<char>(0xee));
  for (; i + 16 <= s.size(); i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, ee), v)) == 0)
      continue;
    for (size_t k = i; k < i + 16; ++k) {
      auto c = static_cast<unsigned char>(s[k]);
      astral |= c >= 0xf0;
      high |= (c & 0xfe) == 0xee;
    }
  }
#endif
  for (; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    astral |= c >= 0xf0;
    high |= (c & 0xfe) == 0xee;
  }
}

void SortLines(std::vector<std::string_view>& lines, QuadOrder order) {
  if (order == QuadOrder::kCodePoint) {
    std::sort(lines.begin(), lines.end());  // byte order = code point order
  } else {
    std::sort(lines.begin(), lines.end(),
              [](std::string_view x, std::string_view y) {
                return CompareStrings(x, y, QuadOrder::kUtf16) < 0;
              });
  }
}

void AppendNumber(std::string& out, int64_t n) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

constexpr char kHexLower[] = "0123456789abcdef";

// Buffers one Canonicalize call needs, lent per thread (base/scratch.h).
struct Workspace {
  std::string scratch, scratch2, scratch3, lines;
  std::vector<LocalQuad> quads;
  std::vector<uint32_t> node_of_blank, dedup;
  std::vector<std::string_view> labels, views;
  std::vector<uint32_t> mention_start, mention_quads, canonical_order, by_hash;
  std::vector<Digest> first_degree;
  std::vector<int32_t> canonical;
  std::vector<size_t> offsets;

  void Clear() {
    scratch.clear();
    scratch2.clear();
    scratch3.clear();
    lines.clear();
    quads.clear();
    node_of_blank.clear();
    dedup.clear();
    labels.clear();
    views.clear();
    mention_start.clear();
    mention_quads.clear();
    canonical_order.clear();
    by_hash.clear();
    first_degree.clear();
    canonical.clear();
    offsets.clear();
  }
  // Too much to keep after one huge dataset (base/scratch.h).
  bool Large() const {
    return lines.capacity() + scratch.capacity() > (1u << 20) || quads.capacity() > 4096;
  }
};

class Canonicalizer {
 public:
  Canonicalizer(const RdfDataset& dataset, const CanonicalizeOptions& options, Workspace& w)
      : dataset_(dataset),
        options_(options),
        quads_(w.quads),
        node_of_blank_(w.node_of_blank),
        dedup_(w.dedup),
        labels_(w.labels),
        mention_start_(w.mention_start),
        mention_quads_(w.mention_quads),
        first_degree_(w.first_degree),
        canonical_(w.canonical),
        canonical_order_(w.canonical_order),
        by_hash_(w.by_hash),
        offsets_(w.offsets),
        scratch_(w.scratch),
        scratch2_(w.scratch2),
        scratch3_(w.scratch3),
        lines_(w.lines),
        views_(w.views) {
    digest_size_ = options.hash == HashAlgorithm::kSha256 ? 32 : 48;
  }

  Result<CanonicalResult> Run();

 private:
  Status Prepare();
  void BuildMentions();
  Digest Hash(std::string_view data) const;
  void AppendHex(const Digest& d, std::string& out) const {
    for (size_t i = 0; i < digest_size_; ++i) {
      out += kHexLower[d.b[i] >> 4];
      out += kHexLower[d.b[i] & 15];
    }
  }
  template <typename Label>
  void Render(const LocalQuad& t, Label&& label, std::string& out) const;
  Digest HashFirstDegreeQuads(uint32_t node);
  Digest HashRelatedBlankNode(uint32_t related, const LocalQuad& t, const Issuer& issuer,
                              char position);
  Status HashNDegreeQuads(uint32_t node, Issuer& issuer, int depth, Digest& out);
  bool LabelLess(uint32_t a, uint32_t b) const {
    return CompareStrings(labels_[a], labels_[b], options_.order) < 0;
  }
  void IssueCanonical(uint32_t node) {  // §4.5.2 with the canonical issuer
    if (canonical_[node] >= 0) return;
    canonical_[node] = static_cast<int32_t>(canonical_order_.size());
    canonical_order_.push_back(node);
  }
  Result<CanonicalResult> Output();

  const RdfDataset& dataset_;
  const CanonicalizeOptions& options_;
  size_t digest_size_;
  size_t duplicates_ = 0;

  // Scratch state lives in a per-thread Workspace, reused across calls.
  std::vector<LocalQuad>& quads_;          // the input quads (set or list)
  std::vector<uint32_t>& node_of_blank_;   // RdfDataset blank index -> node
  std::vector<uint32_t>& dedup_;           // hash table of quad indexes
  std::vector<std::string_view>& labels_;  // blank node -> input label
  // Blank node to quads map (§4.2) as CSR: quads of node n are
  // mention_quads_[mention_start_[n] .. mention_start_[n + 1]).
  std::vector<uint32_t>& mention_start_;
  std::vector<uint32_t>& mention_quads_;
  std::vector<Digest>& first_degree_;
  std::vector<int32_t>& canonical_;  // canonical issuer: node -> N of c14nN
  std::vector<uint32_t>& canonical_order_;
  std::vector<uint32_t>& by_hash_;
  std::vector<size_t>& offsets_;
  std::string& scratch_;
  std::string& scratch2_;
  std::string& scratch3_;
  std::string& lines_;
  std::vector<std::string_view>& views_;

  bool has_astral_ = false, has_high_bmp_ = false;
  QuadOrder order_ = QuadOrder::kCodePoint;  // options_.order where it matters

  int64_t ndegree_calls_ = 0;
  int64_t max_ndegree_calls_ = 0;
  int64_t permutations_ = 0;
};

Digest Canonicalizer::Hash(std::string_view data) const {
  Digest d;
  if (options_.hash == HashAlgorithm::kSha256) {
    auto h = crypto::Sha256(data);
    std::memcpy(d.b.data(), h.data(), h.size());
  } else {
    auto h = crypto::Sha384(data);
    std::memcpy(d.b.data(), h.data(), h.size());
  }
  return d;
}

// Checks term positions, drops duplicate quads (unless keep_duplicates)
// and numbers the blank nodes.
Status Canonicalizer::Prepare() {
  const std::vector<RdfDataset::Quad>& in = dataset_.quads();
  if (in.size() > options_.max_quads) {
    return ResourceExhaustedError("RDFC-1.0: " + std::to_string(in.size()) +
                                  " quads exceed the limit of " +
                                  std::to_string(options_.max_quads));
  }
  size_t cap = 16;
  while (cap < in.size() * 2) cap *= 2;
  dedup_.assign(cap, 0);
  quads_.reserve(in.size());
  node_of_blank_.assign(dataset_.blank_count(), kNoNode);
  auto node = [&](RdfDataset::TermId t) -> Result<uint32_t> {
    if (dataset_.kind(t) != TermKind::kBlankNode) return kNoNode;
    uint32_t& n = node_of_blank_[dataset_.blank_index(t)];
    if (n == kNoNode) {
      // §4.4.3 step 2: blank nodes are numbered in order of first mention
      // (subject, object, graph), the order of the blank node to quads map.
      if (labels_.size() >= options_.max_blank_nodes) {
        return ResourceExhaustedError("RDFC-1.0: more than " +
                                      std::to_string(options_.max_blank_nodes) + " blank nodes");
      }
      n = static_cast<uint32_t>(labels_.size());
      labels_.push_back(dataset_.text(t).substr(2));
    }
    return n;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    const RdfDataset::Quad& q = in[i];
    TermKind s = dataset_.kind(q.subject), o = dataset_.kind(q.object);
    if (s != TermKind::kIri && s != TermKind::kBlankNode) {
      return InvalidArgumentError("RDFC-1.0: quad " + std::to_string(i) +
                                  ": subject must be an IRI or a blank node");
    }
    if (dataset_.kind(q.predicate) != TermKind::kIri) {
      return InvalidArgumentError("RDFC-1.0: quad " + std::to_string(i) +
                                  ": predicate must be an IRI");
    }
    if (o == TermKind::kDefaultGraph) {
      return InvalidArgumentError("RDFC-1.0: quad " + std::to_string(i) + ": missing object");
    }
    if (dataset_.kind(q.graph) == TermKind::kLiteral) {
      return InvalidArgumentError("RDFC-1.0: quad " + std::to_string(i) +
                                  ": graph name must be an IRI or a blank node");
    }
    // RDF datasets are sets; rdf-canonize treats its input as a list.
    uint64_t h = (uint64_t{q.subject} * 0x9E3779B97F4A7C15ull) ^ (uint64_t{q.predicate} << 21) ^
                 (uint64_t{q.object} * 0xC2B2AE3D27D4EB4Full) ^ (uint64_t{q.graph} << 43);
    h ^= h >> 29;
    bool duplicate = false;
    for (size_t k = h & (cap - 1);; k = (k + 1) & (cap - 1)) {
      if (dedup_[k] == 0) {
        dedup_[k] = static_cast<uint32_t>(i + 1);
        break;
      }
      if (in[dedup_[k] - 1] == q) {
        duplicate = true;
        break;
      }
    }
    if (duplicate) {
      ++duplicates_;
      if (!options_.keep_duplicates) continue;
    }
    LocalQuad lq{q, {}};
    CREDSTACK_ASSIGN_OR_RETURN(lq.node[0], node(q.subject));
    CREDSTACK_ASSIGN_OR_RETURN(lq.node[1], node(q.object));
    CREDSTACK_ASSIGN_OR_RETURN(lq.node[2], node(q.graph));
    quads_.push_back(lq);
  }
  // Only these two byte classes can make code point and UTF-16 order
  // disagree (see CompareStrings). One pass over all term texts: term texts
  // that no quad uses cannot exist (terms are made for quads), and input
  // blank node labels (replaced by ASCII ones) or a few unused texts would
  // only make this more cautious.
  ScanHighBytes(dataset_.all_text(), has_astral_, has_high_bmp_);
  order_ = options_.order == QuadOrder::kUtf16 && has_astral_ && has_high_bmp_
               ? QuadOrder::kUtf16
               : QuadOrder::kCodePoint;
  return OkStatus();
}

void Canonicalizer::BuildMentions() {
  // §4.4.3 step 2.1: a quad is listed once per blank node, even when the
  // node fills several of its positions.
  size_t n = labels_.size();
  mention_start_.assign(n + 1, 0);
  auto for_each_node = [](const LocalQuad& t, auto&& f) {
    if (t.node[0] != kNoNode) f(t.node[0]);
    if (t.node[1] != kNoNode && t.node[1] != t.node[0]) f(t.node[1]);
    if (t.node[2] != kNoNode && t.node[2] != t.node[0] && t.node[2] != t.node[1]) f(t.node[2]);
  };
  for (const LocalQuad& t : quads_) {
    for_each_node(t, [&](uint32_t node) { ++mention_start_[node + 1]; });
  }
  for (size_t i = 0; i < n; ++i) mention_start_[i + 1] += mention_start_[i];
  mention_quads_.resize(mention_start_[n]);
  offsets_.assign(mention_start_.begin(), mention_start_.end() - 1);  // fill pointers
  for (size_t q = 0; q < quads_.size(); ++q) {
    for_each_node(quads_[q], [&](uint32_t node) {
      mention_quads_[offsets_[node]++] = static_cast<uint32_t>(q);
    });
  }
}

template <typename Label>
void Canonicalizer::Render(const LocalQuad& t, Label&& label, std::string& out) const {
  auto term = [&](RdfDataset::TermId id, uint32_t node) {
    if (node == kNoNode) {
      out += dataset_.text(id);
    } else {
      out += "_:";
      label(node, out);
    }
  };
  term(t.q.subject, t.node[0]);
  out += ' ';
  out += dataset_.text(t.q.predicate);
  out += ' ';
  term(t.q.object, t.node[1]);
  if (t.q.graph != RdfDataset::kDefaultGraph) {
    out += ' ';
    term(t.q.graph, t.node[2]);
  }
  out += " .\n";
}

// §4.6.3 Hash First Degree Quads.
Digest Canonicalizer::HashFirstDegreeQuads(uint32_t node) {
  uint32_t first = mention_start_[node], last = mention_start_[node + 1];
  scratch_.clear();
  // Steps 1-3: serialize each quad, the reference node as _:a, every other
  // blank node as _:z (step 3.1.1).
  auto label = [node](uint32_t n, std::string& out) { out += n == node ? 'a' : 'z'; };
  if (last - first == 1) {
    Render(quads_[mention_quads_[first]], label, scratch_);
    return Hash(scratch_);
  }
  offsets_.resize(last - first + 1);
  size_t* offsets = offsets_.data();
  for (uint32_t m = first; m < last; ++m) {
    offsets[m - first] = scratch_.size();
    Render(quads_[mention_quads_[m]], label, scratch_);
  }
  offsets[last - first] = scratch_.size();
  views_.clear();
  for (uint32_t m = 0; m < last - first; ++m) {
    views_.emplace_back(scratch_.data() + offsets[m], offsets[m + 1] - offsets[m]);
  }
  // Step 4: sort (QuadOrder; code point order per the spec).
  SortLines(views_, order_);
  // Step 5: hash the concatenation.
  scratch2_.clear();
  for (std::string_view v : views_) scratch2_ += v;
  return Hash(scratch2_);
}

// §4.7.3 Hash Related Blank Node.
Digest Canonicalizer::HashRelatedBlankNode(uint32_t related, const LocalQuad& t,
                                           const Issuer& issuer, char position) {
  std::string& input = scratch_;
  input.clear();
  input += position;      // step 1
  if (position != 'g') {  // step 2
    input += '<';
    input += dataset_.IriValue(t.q.predicate, scratch3_);
    input += '>';
  }
  int temp;
  if (canonical_[related] >= 0) {  // step 3
    input += "_:c14n";
    AppendNumber(input, canonical_[related]);
  } else if ((temp = issuer.Find(related)) >= 0) {
    input += "_:b";
    AppendNumber(input, temp);
  } else {  // step 4: reuse the first degree hash
    AppendHex(first_degree_[related], input);
  }
  return Hash(input);  // step 5
}

// Steinhaus-Johnson-Trotter permutations in the order rdf-canonize 5.0.0
// visits them (its Permuter): the list is first sorted by blank node label;
// equal elements share one direction flag. The order only matters for which
// of several equally short paths is chosen first, i.e. for the issued
// identifiers map when blank nodes are automorphic.
class Permuter {
 public:
  Permuter(std::vector<uint32_t> nodes,
           const std::vector<uint32_t>& ranks_by_position)
      : nodes_(std::move(nodes)), list_(ranks_by_position) {
    uint32_t distinct =
        list_.empty() ? 0 : *std::max_element(list_.begin(), list_.end()) + 1;
    left_.assign(distinct, true);
  }
  // The current permutation as blank nodes.
  void Current(std::vector<uint32_t>& out) const {
    out.clear();
    for (uint32_t r : list_) out.push_back(nodes_[r]);
  }
  // Advances; false when every permutation was visited.
  bool Next() {
    int64_t k = -1;
    size_t pos = 0, n = list_.size();
    for (size_t i = 0; i < n; ++i) {
      uint32_t e = list_[i];
      bool left = left_[e];
      if ((k < 0 || e > k) && ((left && i > 0 && e > list_[i - 1]) ||
                               (!left && i + 1 < n && e > list_[i + 1]))) {
        k = e;
        pos = i;
      }
    }
    if (k < 0) return false;
    size_t swap = left_[k] ? pos - 1 : pos + 1;
    std::swap(list_[pos], list_[swap]);
    for (size_t i = 0; i < n; ++i) {
      if (list_[i] > k) left_[list_[i]] = !left_[list_[i]];
    }
    return true;
  }

 private:
  std::vector<uint32_t> nodes_;  // rank -> blank node
  std::vector<uint32_t> list_;   // current permutation as ranks
  std::vector<bool> left_;
};

// §4.8.3 Hash N-Degree Quads. `issuer` is updated in place to the chosen
// issuer (step 5.6), which always extends the issuer passed in.
Status Canonicalizer::HashNDegreeQuads(uint32_t node, Issuer& issuer, int depth,
                                       Digest& out) {
  if (++ndegree_calls_ > max_ndegree_calls_) {
    return ResourceExhaustedError(
        "RDFC-1.0: too many Hash N-Degree Quads calls (poison dataset?); "
        "limit " +
        std::to_string(max_ndegree_calls_));
  }
  if (depth > options_.max_ndegree_depth) {
    return ResourceExhaustedError(
        "RDFC-1.0: Hash N-Degree Quads recursion deeper than " +
        std::to_string(options_.max_ndegree_depth) + " (poison dataset?)");
  }
  // Steps 1-3: hash to related blank nodes map, as (hash, node) pairs.
  struct Related {
    Digest hash;
    uint32_t node;
  };
  std::vector<Related> related;
  static constexpr char kPosition[3] = {'s', 'o', 'g'};
  for (uint32_t m = mention_start_[node]; m < mention_start_[node + 1]; ++m) {
    const LocalQuad& t = quads_[mention_quads_[m]];
    for (int h = 0; h < 3; ++h) {  // §4.8.3 step 3.1
      uint32_t r = t.node[h];
      if (r == kNoNode || r == node) continue;
      related.push_back({HashRelatedBlankNode(r, t, issuer, kPosition[h]), r});
    }
  }
  std::stable_sort(
      related.begin(), related.end(),
      [](const Related& a, const Related& b) { return a.hash < b.hash; });

  std::string data_to_hash;  // step 4
  std::string path, chosen_path;
  std::vector<uint32_t> permutation, recursion_list, group;
  std::vector<uint32_t> ranks;
  // Step 5: each related hash in code point (= byte) order.
  for (size_t g = 0; g < related.size();) {
    size_t g_end = g;
    while (g_end < related.size() && related[g_end].hash == related[g].hash)
      ++g_end;
    AppendHex(related[g].hash, data_to_hash);  // step 5.1
    // Rank the blank node list by label for the permuter.
    group.clear();
    for (size_t i = g; i < g_end; ++i) group.push_back(related[i].node);
    std::vector<uint32_t> distinct = group;
    std::sort(distinct.begin(), distinct.end(),
              [this](uint32_t a, uint32_t b) { return LabelLess(a, b); });
    distinct.erase(std::unique(distinct.begin(), distinct.end()),
                   distinct.end());
    ranks.clear();
    for (uint32_t n : group) {
      ranks.push_back(static_cast<uint32_t>(
          std::lower_bound(
              distinct.begin(), distinct.end(), n,
              [this](uint32_t a, uint32_t b) { return LabelLess(a, b); }) -
          distinct.begin()));
    }
    std::sort(ranks.begin(), ranks.end());
    Permuter permuter(std::move(distinct), ranks);

    chosen_path.clear();  // step 5.2
    bool have_chosen = false;
    Issuer chosen_issuer;  // step 5.3
    do {                   // step 5.4
      if (++permutations_ > options_.max_permutations) {
        return ResourceExhaustedError(
            "RDFC-1.0: too many Hash N-Degree Quads permutations (poison "
            "dataset?); limit " +
            std::to_string(options_.max_permutations));
      }
      permuter.Current(permutation);
      Issuer issuer_copy = issuer;  // step 5.4.1
      path.clear();                 // step 5.4.2
      recursion_list.clear();       // step 5.4.3
      // Steps 5.4.4.3 and 5.4.5.5 skip a permutation once path is greater
      // than chosen path. The spec also requires path to be at least as
      // long; dropping that test (as rdf-canonize does) changes nothing,
      // since every extension of such a path stays greater and step 5.4.6
      // compares by code point only, but it prunes earlier.
      bool skip = false;
      for (uint32_t r : permutation) {  // step 5.4.4
        if (canonical_[r] >= 0) {
          path += "_:c14n";
          AppendNumber(path, canonical_[r]);
        } else {
          if (issuer_copy.Find(r) < 0) recursion_list.push_back(r);
          path += "_:b";
          AppendNumber(path, issuer_copy.Issue(r));
        }
        if (have_chosen && path > chosen_path) {
          skip = true;
          break;
        }
      }
      if (skip) continue;
      for (uint32_t r : recursion_list) {  // step 5.4.5
        Digest result;
        CREDSTACK_RETURN_IF_ERROR(
            HashNDegreeQuads(r, issuer_copy, depth + 1, result));
        path += "_:b";
        AppendNumber(path, issuer_copy.Find(r));
        path += '<';
        AppendHex(result, path);
        path += '>';
        if (have_chosen && path > chosen_path) {
          skip = true;
          break;
        }
      }
      if (skip) continue;
      if (!have_chosen || path < chosen_path) {  // step 5.4.6
        chosen_path.swap(path);
        chosen_issuer.nodes.swap(issuer_copy.nodes);
        have_chosen = true;
      }
    } while (permuter.Next());
    data_to_hash += chosen_path;             // step 5.5
    issuer.nodes.swap(chosen_issuer.nodes);  // step 5.6
    g = g_end;
  }
  out = Hash(data_to_hash);  // step 6
  return OkStatus();
}

Result<CanonicalResult> Canonicalizer::Run() {
  // Steps 1-2: canonicalization state and blank node to quads map.
  CREDSTACK_RETURN_IF_ERROR(Prepare());
  BuildMentions();
  size_t n = labels_.size();
  canonical_.assign(n, -1);
  canonical_order_.reserve(n);

  // A lone blank node's first degree hash is unique whatever it is (steps
  // 3-4 issue it c14n0), so it is not computed; proof configurations and
  // many credentials have exactly one.
  if (n == 1) {
    IssueCanonical(0);
    return Output();
  }
  // Step 3: first degree hashes.
  first_degree_.resize(n);
  for (uint32_t i = 0; i < n; ++i) first_degree_[i] = HashFirstDegreeQuads(i);

  // Hash to blank nodes map: nodes ordered by hash, ties in map order.
  std::vector<uint32_t>& by_hash = by_hash_;
  by_hash.resize(n);
  for (uint32_t i = 0; i < n; ++i) by_hash[i] = i;
  std::stable_sort(by_hash.begin(), by_hash.end(), [this](uint32_t a, uint32_t b) {
    return first_degree_[a] < first_degree_[b];
  });
  struct Group {
    size_t begin, end;
  };
  std::vector<Group> shared;
  size_t shared_nodes = 0;
  // Step 4: a first degree hash held by one blank node only is issued its
  // canonical identifier now, in hash order.
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && first_degree_[by_hash[j]] == first_degree_[by_hash[i]]) ++j;
    if (j - i == 1) {
      IssueCanonical(by_hash[i]);
    } else {
      shared.push_back({i, j});
      shared_nodes += j - i;
    }
    i = j;
  }

  max_ndegree_calls_ = options_.max_ndegree_calls;
  if (options_.js_max_work_factor >= 0) {
    // rdf-canonize: maxDeepIterations = (non-unique nodes) ^ maxWorkFactor.
    double js_limit = 1;
    for (int k = 0; k < options_.js_max_work_factor && js_limit < 1e18; ++k) {
      js_limit *= static_cast<double>(shared_nodes);
    }
    if (js_limit < static_cast<double>(max_ndegree_calls_)) {
      max_ndegree_calls_ = static_cast<int64_t>(js_limit);
    }
  }

  // Step 5: shared first degree hashes, in hash order.
  struct PathResult {
    Digest hash;
    Issuer issuer;
  };
  std::vector<PathResult> hash_path_list;
  for (const Group& grp : shared) {
    hash_path_list.clear();                         // step 5.1
    for (size_t i = grp.begin; i < grp.end; ++i) {  // step 5.2
      uint32_t node = by_hash[i];
      if (canonical_[node] >= 0) continue;  // step 5.2.1
      PathResult r;
      r.issuer.Issue(node);                                                   // steps 5.2.2-5.2.3
      CREDSTACK_RETURN_IF_ERROR(HashNDegreeQuads(node, r.issuer, 0, r.hash));  // step 5.2.4
      hash_path_list.push_back(std::move(r));
    }
    // Step 5.3: in hash order (stable, as rdf-canonize's sort).
    std::stable_sort(hash_path_list.begin(), hash_path_list.end(),
                     [](const PathResult& a, const PathResult& b) { return a.hash < b.hash; });
    for (const PathResult& r : hash_path_list) {
      for (uint32_t node : r.issuer.nodes) IssueCanonical(node);  // step 5.3.1
    }
  }
  return Output();
}

// Steps 6-7 and §5: relabel, serialize, sort, concatenate.
Result<CanonicalResult> Canonicalizer::Output() {
  CanonicalResult result;
  result.orders_may_differ = has_astral_ && has_high_bmp_;
  result.duplicate_quads = duplicates_;
  auto label = [this](uint32_t node, std::string& out) {
    out += "c14n";
    AppendNumber(out, canonical_[node]);
  };
  std::string& lines = lines_;
  std::vector<size_t>& offsets = offsets_;
  offsets.clear();
  offsets.reserve(quads_.size() + 1);
  for (const LocalQuad& t : quads_) {
    offsets.push_back(lines.size());
    Render(t, label, lines);
  }
  offsets.push_back(lines.size());
  views_.clear();
  views_.reserve(quads_.size());
  for (size_t i = 0; i < quads_.size(); ++i) {
    views_.emplace_back(lines.data() + offsets[i], offsets[i + 1] - offsets[i]);
  }
  SortLines(views_, order_);
  result.nquads.reserve(lines.size());
  for (std::string_view v : views_) result.nquads += v;
  result.issued.reserve(canonical_order_.size());
  for (size_t i = 0; i < canonical_order_.size(); ++i) {
    std::string id = "c14n";
    AppendNumber(id, static_cast<int64_t>(i));
    result.issued.push_back({std::string(labels_[canonical_order_[i]]), std::move(id)});
  }
  return result;
}

}  // namespace

Result<CanonicalResult> Canonicalize(const RdfDataset& dataset, const CanonicalizeOptions& options) {
  ThreadScratch<Workspace> w;
  return Canonicalizer(dataset, options, *w).Run();
}

Result<CanonicalResult> Canonicalize(const Dataset& dataset, const CanonicalizeOptions& options) {
  // Terms in positions RDF forbids (a literal subject, ...) are reported by
  // the canonicalizer; the conversion keeps them as they are.
  return Canonicalize(RdfDataset::FromDataset(dataset), options);
}

}  // namespace credstack::ld
