#pragma once

// Breadth of a skill profile: how a learner's skills spread over the skill
// groups at one level of the framework hierarchy (ESCO level 1 by default:
// e.g. "communication, collaboration and creativity", "ICT skills"), so that
// over-specialisation is visible.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "credstack/pathways/framework.h"

namespace credstack::pathways {

struct GroupShare {
  std::string group_id;
  std::string label;
  std::string code;
  // Skills in the group; a skill under k groups counts 1/k in each.
  double skills = 0;
  double share = 0;  // skills / skills mapped
};

struct BreadthReport {
  int level = 1;
  size_t skills_total = 0;     // distinct skill ids given
  size_t skills_unmapped = 0;  // not in the framework or without a group
  size_t groups_total = 0;     // groups at this level in the framework
  size_t groups_covered = 0;
  // Pielou evenness: Shannon entropy of the shares divided by
  // ln(groups_total); 1 = evenly spread over every group, 0 = one group.
  double evenness = 0;
  double dominant_share = 0;       // share of the largest group
  std::vector<GroupShare> groups;  // covered groups, largest first
};

// Computes the breadth of a set of skill ids (unknown ids are counted as
// unmapped). Deterministic; O(skills x hierarchy depth).
BreadthReport ComputeBreadth(const Framework& framework,
                             std::span<const std::string> skill_ids,
                             int level = 1);

}  // namespace credstack::pathways
