#pragma once

// Random RDF datasets and isomorphic variants for N-Quads and RDFC-1.0
// property tests (tests only).

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "credstack/ld/rdf.h"

namespace credstack::ld::testing {

// Small vocabularies make first-degree hash collisions (and so Hash N-Degree
// Quads) common. Literals mix escapes, astral characters and ones in
// U+E000-U+FFFF so that code point and UTF-16 order disagree.
inline Dataset RandomDataset(std::mt19937& rng, int blank_nodes, int quads) {
  static const char* kIris[] = {"http://example.com/a", "http://example.com/b",
                                "urn:x:\xe2\x88\x9e",
                                "http://example.com/p?q=1#f"};
  static const char* kLits[] = {"",
                                "plain",
                                "tab\there \"quoted\" back\\slash\nnewline",
                                "\x01\x1f\x7f ctl",
                                "\xf0\x9f\x98\x80 grin",       // U+1F600
                                "\xef\xbc\x81 fullwidth",      // U+FF01
                                "\xee\x80\x80 private use",    // U+E000
                                "\xf0\x90\x80\x80 linear b"};  // U+10000
  auto pick = [&](int n) {
    return static_cast<int>(rng() % static_cast<unsigned>(n));
  };
  auto blank = [&]() {
    return Term::Blank("n" + std::to_string(pick(blank_nodes)));
  };
  auto iri = [&]() { return Term::Iri(kIris[pick(4)]); };
  Dataset d;
  for (int i = 0; i < quads; ++i) {
    Quad q;
    q.subject = (blank_nodes > 0 && pick(3) != 0) ? blank() : iri();
    q.predicate =
        Term::Iri(pick(2) ? "http://example.com/p" : "http://example.com/q");
    switch (pick(5)) {
      case 0:
        q.object = iri();
        break;
      case 1:
        q.object = Term::Literal(kLits[pick(8)]);
        break;
      case 2:
        q.object = pick(2)
                       ? Term::Literal(kLits[pick(8)], "http://example.com/dt")
                       : Term::Literal(kLits[pick(8)], kRdfLangString, "en-GB");
        break;
      default:
        q.object = blank_nodes > 0 ? blank() : iri();
    }
    int g = pick(6);
    q.graph = g == 0                        ? iri()
              : (g == 1 && blank_nodes > 0) ? blank()
                                            : Term::DefaultGraph();
    if (std::find(d.begin(), d.end(), q) == d.end()) d.push_back(std::move(q));
  }
  return d;
}

// Shuffles the quads and renames every blank node to a fresh random label.
inline Dataset ShuffleAndRelabel(const Dataset& d, std::mt19937& rng) {
  Dataset out = d;
  std::shuffle(out.begin(), out.end(), rng);
  std::map<std::string, std::string> names;
  for (Quad& q : out) {
    for (Term* t : {&q.subject, &q.object, &q.graph}) {
      if (t->kind != TermKind::kBlankNode) continue;
      auto [it, inserted] = names.try_emplace(t->value);
      if (inserted)
        it->second = "r" + std::to_string(rng() % 1'000'000) + "x" + t->value;
      t->value = it->second;
    }
  }
  return out;
}

}  // namespace credstack::ld::testing
