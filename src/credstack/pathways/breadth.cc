#include "credstack/pathways/breadth.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace credstack::pathways {

BreadthReport ComputeBreadth(const Framework& fw,
                             std::span<const std::string> skill_ids,
                             int level) {
  BreadthReport r;
  r.level = level;
  for (const SkillGroup& g : fw.groups()) r.groups_total += g.level == level;
  std::set<std::string_view> distinct(skill_ids.begin(), skill_ids.end());
  r.skills_total = distinct.size();
  std::map<uint32_t, double> counts;
  double mapped = 0;
  for (std::string_view id : distinct) {
    auto s = fw.FindSkill(id);
    std::vector<uint32_t> groups;
    if (s) groups = fw.GroupsAtLevel(*s, level);
    if (groups.empty()) {
      ++r.skills_unmapped;
      continue;
    }
    mapped += 1;
    for (uint32_t g : groups)
      counts[g] += 1.0 / static_cast<double>(groups.size());
  }
  double entropy = 0;
  for (auto [g, c] : counts) {
    const SkillGroup& grp = fw.groups()[g];
    double share = c / mapped;
    r.groups.push_back({.group_id = grp.id,
                        .label = grp.label,
                        .code = grp.code,
                        .skills = c,
                        .share = share});
    entropy -= share * std::log(share);
    r.dominant_share = std::max(r.dominant_share, share);
  }
  r.groups_covered = counts.size();
  r.evenness = r.groups_total > 1
                   ? entropy / std::log(static_cast<double>(r.groups_total))
                   : 0;
  std::stable_sort(r.groups.begin(), r.groups.end(),
                   [](const GroupShare& a, const GroupShare& b) {
                     return a.skills > b.skills;
                   });
  return r;
}

}  // namespace credstack::pathways
