#pragma once

// Deterministic generator of large catalogs aligned to a real framework, for
// benchmarks and tests. Every skill that some occupation requires is taught
// by at least one achievement (the first achievements are "anchored" on
// each such skill in turn); the others bundle skills that occur together in
// an occupation. Costs follow rough real-world shapes: 4-160 hours, a fifth
// free, the rest 10-40 per hour; credits ~ hours / 25; about 15% have one
// or two prerequisites among earlier achievements sharing a skill.

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "credstack/base/rng.h"
#include "credstack/pathways/catalog.h"
#include "credstack/pathways/framework.h"

namespace credstack::pathways::testing {

struct GeneratedCatalog {
  std::vector<Achievement> achievements;
  std::vector<Issuer> issuers;
};

inline GeneratedCatalog GenerateCatalog(const Framework& fw, size_t count,
                                        uint64_t seed) {
  DeterministicRng rng(seed);
  auto uniform = [&](double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(rng.NextU64() >> 11) /
                    9007199254740992.0;
  };
  GeneratedCatalog out;
  for (int i = 0; i < 40; ++i) {
    out.issuers.push_back(
        {.id = "did:web:issuer" + std::to_string(i) + ".example",
         .name = "Issuer " + std::to_string(i),
         .trusted = i % 4 != 3});
  }
  // Skills required by some occupation, and for each the occupations using it.
  std::vector<std::vector<uint32_t>> occupations_of(fw.skills().size());
  for (uint32_t o = 0; o < fw.occupations().size(); ++o) {
    for (const OccupationSkill& s : fw.occupations()[o].skills)
      occupations_of[s.skill].push_back(o);
  }
  std::vector<uint32_t> anchors;
  for (uint32_t s = 0; s < occupations_of.size(); ++s) {
    if (!occupations_of[s].empty()) anchors.push_back(s);
  }
  std::unordered_map<uint32_t, std::vector<uint32_t>>
      teachers;  // skill -> achievements
  for (size_t i = 0; i < count; ++i) {
    std::vector<uint32_t> skills;
    uint32_t occ;
    if (i < anchors.size()) {
      uint32_t anchor = anchors[i];
      skills.push_back(anchor);
      const auto& occs = occupations_of[anchor];
      occ = occs[rng.Uniform(occs.size())];
    } else {
      occ = static_cast<uint32_t>(rng.Uniform(fw.occupations().size()));
    }
    const auto& rel = fw.occupations()[occ].skills;
    size_t want = 1 + rng.Uniform(6);
    for (size_t tries = 0; skills.size() < want && !rel.empty() && tries < 20;
         ++tries) {
      uint32_t s = rel[rng.Uniform(rel.size())].skill;
      if (std::find(skills.begin(), skills.end(), s) == skills.end())
        skills.push_back(s);
    }
    if (skills.empty()) skills.push_back(anchors[rng.Uniform(anchors.size())]);
    Achievement a;
    a.id = "urn:credstack:bench:achievement:" + std::to_string(i);
    a.name =
        "Course " + std::to_string(i) + ": " + fw.skills()[skills[0]].label;
    a.issuer = out.issuers[rng.Uniform(out.issuers.size())].id;
    a.hours = std::round(std::clamp(
        4.0 * static_cast<double>(skills.size()) * std::exp(uniform(-0.5, 1.5)),
        4.0, 160.0));
    a.price = rng.Uniform(5) == 0 ? 0 : std::round(a.hours * uniform(10, 40));
    a.currency = "EUR";
    a.credits = std::round(a.hours / 25.0 * 2) / 2;
    a.level = static_cast<int>(2 + rng.Uniform(5));
    for (uint32_t s : skills) {
      a.alignment.push_back({.target_name = fw.skills()[s].label,
                             .target_url = fw.skills()[s].id,
                             .target_framework = fw.info().name,
                             .target_type = "ext:ESCOSkill"});
    }
    if (rng.Uniform(100) < 15) {
      size_t np = 1 + rng.Uniform(2);
      for (size_t k = 0; k < np; ++k) {
        auto it = teachers.find(skills[rng.Uniform(skills.size())]);
        if (it == teachers.end() || it->second.empty()) continue;
        uint32_t p = it->second[rng.Uniform(it->second.size())];
        std::string pid =
            "urn:credstack:bench:achievement:" + std::to_string(p);
        if (std::find(a.prerequisites.begin(), a.prerequisites.end(), pid) ==
            a.prerequisites.end()) {
          a.prerequisites.push_back(pid);
        }
      }
    }
    for (uint32_t s : skills) teachers[s].push_back(static_cast<uint32_t>(i));
    out.achievements.push_back(std::move(a));
  }
  return out;
}

}  // namespace credstack::pathways::testing
