#pragma once

// Demo data of the skills area for `credstack serve --demo` (make run):
// real ESCO skills without the 40 MB download — a curated subset of ESCO
// v1.1.1 shipped in data/demo/esco-demo.json (six ICT occupations, the 349
// skills they need, all 640 skill groups; source: ESCO, European
// Commission; scripts/make_demo_esco.py rebuilds it) compiled into the
// binary — plus, for a demo organization, achievements aligned to the
// "software developer" skills with planning attributes and a stackable
// pathway awarding a stacked achievement.

#include <string>
#include <string_view>
#include <vector>

#include "credstack/app/achievements.h"
#include "credstack/app/pathway_service.h"
#include "credstack/app/skills_service.h"
#include "credstack/base/status.h"

namespace credstack::app {

inline constexpr char kDemoPathwayId[] = "urn:credstack:demo:pathway:junior-developer";

struct SkillsDemo {
  std::string framework_id;               // "esco"
  std::vector<std::string> achievements;  // store ids of the components
  std::string stacked_achievement;
  std::string pathway_id;
  bool created = false;  // false: the demo was seeded before
};

// Imports the subset as framework "esco" unless one is stored (a full ESCO
// import is kept), then creates the demo achievements and pathway for
// org_id unless the demo pathway exists. Safe to call at every start-up.
Result<SkillsDemo> SeedSkillsDemo(SkillsService& skills,
                                  PathwayService& pathways,
                                  AchievementService& achievements,
                                  std::string_view org_id);

// The embedded subset as a snapshot (docs/formats/framework-snapshot.md).
std::string_view DemoFrameworkSnapshot();

}  // namespace credstack::app
