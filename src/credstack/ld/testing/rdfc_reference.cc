#include "credstack/ld/testing/rdfc_reference.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "credstack/base/bytes.h"
#include "credstack/base/utf8.h"
#include "credstack/crypto/sha.h"
#include "credstack/ld/nquads.h"

namespace credstack::ld::testing {
namespace {

// §4.3 identifier issuer.
struct Issuer {
  std::string prefix;
  int counter = 0;
  std::vector<std::pair<std::string, std::string>> issued;  // ordered map

  const std::string* Find(const std::string& id) const {
    for (const auto& [k, v] : issued) {
      if (k == id) return &v;
    }
    return nullptr;
  }
  // §4.5.2
  std::string Issue(const std::string& id) {
    if (const std::string* v = Find(id)) return *v;
    std::string v = prefix + std::to_string(counter++);
    issued.emplace_back(id, v);
    return v;
  }
};

struct State {
  Dataset quads;
  HashAlgorithm alg;
  QuadOrder order;
  int calls_left;
  std::map<std::string, std::vector<size_t>> bnode_to_quads;
  Issuer canonical{"c14n"};
};

std::string HashHex(const State& s, std::string_view data) {
  if (s.alg == HashAlgorithm::kSha256) return HexEncode(crypto::Sha256(data));
  return HexEncode(crypto::Sha384(data));
}

bool Less(const State& s, const std::string& a, const std::string& b) {
  return s.order == QuadOrder::kCodePoint ? a < b : CompareUtf16(a, b) < 0;
}

std::vector<Term*> BlankComponents(Quad& q) {
  std::vector<Term*> out;
  for (Term* t : {&q.subject, &q.object, &q.graph}) {
    if (t->kind == TermKind::kBlankNode) out.push_back(t);
  }
  return out;
}

// §4.6.3
std::string HashFirstDegreeQuads(State& s, const std::string& id) {
  std::vector<std::string> nquads;
  for (size_t qi : s.bnode_to_quads[id]) {
    Quad q = s.quads[qi];
    for (Term* t : BlankComponents(q)) t->value = t->value == id ? "a" : "z";
    std::string line;
    AppendNQuad(q, line);
    nquads.push_back(line);
  }
  std::sort(nquads.begin(), nquads.end(),
            [&](const std::string& a, const std::string& b) {
              return Less(s, a, b);
            });
  std::string all;
  for (const std::string& l : nquads) all += l;
  return HashHex(s, all);
}

// §4.7.3
std::string HashRelatedBlankNode(State& s, const std::string& related,
                                 const Quad& quad, const Issuer& issuer,
                                 const std::string& position) {
  std::string input = position;
  if (position != "g") input += "<" + quad.predicate.value + ">";
  if (const std::string* c = s.canonical.Find(related)) {
    input += "_:" + *c;
  } else if (const std::string* b = issuer.Find(related)) {
    input += "_:" + *b;
  } else {
    input += HashFirstDegreeQuads(s, related);
  }
  return HashHex(s, input);
}

struct NDegreeResult {
  std::string hash;
  Issuer issuer;
};

// §4.8.3
std::optional<NDegreeResult> HashNDegreeQuads(State& s, const std::string& id,
                                              Issuer issuer) {
  if (s.calls_left-- <= 0) return std::nullopt;
  std::map<std::string, std::vector<std::string>> hn;  // steps 1-3
  for (size_t qi : s.bnode_to_quads[id]) {
    const Quad& q = s.quads[qi];
    const std::pair<const Term*, const char*> components[] = {
        {&q.subject, "s"}, {&q.object, "o"}, {&q.graph, "g"}};
    for (const auto& [t, pos] : components) {
      if (t->kind == TermKind::kBlankNode && t->value != id) {
        hn[HashRelatedBlankNode(s, t->value, q, issuer, pos)].push_back(
            t->value);
      }
    }
  }
  std::string data_to_hash;                // step 4
  for (auto& [related_hash, list] : hn) {  // step 5
    data_to_hash += related_hash;
    std::string chosen_path;
    Issuer chosen_issuer;
    std::sort(list.begin(), list.end());
    do {
      Issuer issuer_copy = issuer;
      std::string path;
      std::vector<std::string> recursion_list;
      for (const std::string& related : list) {
        if (const std::string* c = s.canonical.Find(related)) {
          path += "_:" + *c;
        } else {
          if (!issuer_copy.Find(related)) recursion_list.push_back(related);
          path += "_:" + issuer_copy.Issue(related);
        }
      }
      for (const std::string& related : recursion_list) {
        std::optional<NDegreeResult> result =
            HashNDegreeQuads(s, related, issuer_copy);
        if (!result) return std::nullopt;
        path += "_:" + issuer_copy.Issue(related);
        path += "<" + result->hash + ">";
        issuer_copy = result->issuer;
      }
      if (chosen_path.empty() || path < chosen_path) {
        chosen_path = path;
        chosen_issuer = issuer_copy;
      }
    } while (std::next_permutation(list.begin(), list.end()));
    data_to_hash += chosen_path;
    issuer = chosen_issuer;
  }
  return NDegreeResult{HashHex(s, data_to_hash), issuer};
}

}  // namespace

std::optional<std::string> ReferenceCanonicalize(const Dataset& dataset,
                                                 HashAlgorithm hash,
                                                 QuadOrder order,
                                                 int max_calls) {
  State s{.alg = hash, .order = order, .calls_left = max_calls};
  std::set<std::string> seen;       // the input is a set
  std::vector<std::string> labels;  // first-appearance order
  for (const Quad& q : dataset) {
    std::string line;
    AppendNQuad(q, line);
    if (!seen.insert(line).second) continue;
    s.quads.push_back(q);
  }
  for (size_t qi = 0; qi < s.quads.size(); ++qi) {  // §4.4.3 step 2
    for (Term* t : BlankComponents(s.quads[qi])) {
      auto& list = s.bnode_to_quads[t->value];
      if (list.empty()) labels.push_back(t->value);
      if (list.empty() || list.back() != qi) list.push_back(qi);
    }
  }
  std::map<std::string, std::vector<std::string>> hash_to_bnodes;  // step 3
  for (const std::string& id : labels) {
    hash_to_bnodes[HashFirstDegreeQuads(s, id)].push_back(id);
  }
  for (const auto& [h, list] : hash_to_bnodes) {  // step 4
    if (list.size() == 1) s.canonical.Issue(list[0]);
  }
  for (const auto& [h, list] : hash_to_bnodes) {  // step 5
    if (list.size() == 1) continue;
    std::vector<NDegreeResult> hash_path_list;
    for (const std::string& id : list) {
      if (s.canonical.Find(id)) continue;
      Issuer temporary{"b"};
      temporary.Issue(id);
      std::optional<NDegreeResult> r = HashNDegreeQuads(s, id, temporary);
      if (!r) return std::nullopt;
      hash_path_list.push_back(*r);
    }
    std::stable_sort(hash_path_list.begin(), hash_path_list.end(),
                     [](const NDegreeResult& a, const NDegreeResult& b) {
                       return a.hash < b.hash;
                     });
    for (const NDegreeResult& r : hash_path_list) {
      for (const auto& [existing, temp] : r.issuer.issued)
        s.canonical.Issue(existing);
    }
  }
  std::vector<std::string> lines;  // step 7, §5
  for (Quad q : s.quads) {
    for (Term* t : BlankComponents(q)) t->value = *s.canonical.Find(t->value);
    std::string line;
    AppendNQuad(q, line);
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end(),
            [&](const std::string& a, const std::string& b) {
              return Less(s, a, b);
            });
  std::string out;
  for (const std::string& l : lines) out += l;
  return out;
}

}  // namespace credstack::ld::testing
