#pragma once

// Small hand-built frameworks for tests.

#include <string>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/pathways/framework.h"

namespace credstack::pathways::testing {

// Groups: "g:S" (top) > "g:S1", "g:S2"; "g:K" (top) > "g:K1".
// Skills s:1..s:3 in g:S1, s:4 in g:S2, s:5..s:6 in g:K1.
// Occupation "o:dev" (code 2512.1, label "developer") needs s:1 s:4 s:5
// (essential) and s:6 (optional).
inline Framework TinyFramework() {
  Framework::Builder b({.name = "ESCO",
                        .version = "test",
                        .attribution = "ESCO, European Commission"});
  auto g = [&](std::string id, std::string label) {
    return b.AddGroup({.id = std::move(id), .label = std::move(label)});
  };
  uint32_t S = g("g:S", "skills"), S1 = g("g:S1", "communication"),
           S2 = g("g:S2", "ICT"), K = g("g:K", "knowledge"),
           K1 = g("g:K1", "law");
  b.group(S1).broader = {S};
  b.group(S2).broader = {S};
  b.group(K1).broader = {K};
  uint32_t parent[] = {S1, S1, S1, S2, K1, K1};
  for (int i = 1; i <= 6; ++i) {
    uint32_t s = b.AddSkill({.id = "s:" + std::to_string(i),
                             .label = "skill " + std::to_string(i)});
    b.skill(s).broader_groups = {parent[i - 1]};
  }
  uint32_t dev =
      b.AddOccupation({.id = "o:dev", .label = "developer", .code = "2512.1"});
  CREDSTACK_CHECK(b.IndexConcepts().ok());
  for (auto [id, rel] : std::vector<std::pair<std::string, RelationType>>{
           {"s:1", RelationType::kEssential},
           {"s:4", RelationType::kEssential},
           {"s:5", RelationType::kEssential},
           {"s:6", RelationType::kOptional}}) {
    b.occupation(dev).skills.push_back(
        {.skill = *b.FindSkill(id), .relation = rel});
  }
  auto fw = std::move(b).Finish();
  CREDSTACK_CHECK(fw.ok());
  return std::move(fw).value();
}

}  // namespace credstack::pathways::testing
