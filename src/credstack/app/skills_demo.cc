#include "credstack/app/skills_demo.h"

#include <utility>

#include "credstack/app/internal/embedded_demo.h"
#include "credstack/pathways/json_io.h"

namespace credstack::app {
namespace {

namespace pw = credstack::pathways;

struct DemoCourse {
  const char* name;
  const char* description;
  double hours;
  double price;
  size_t first_skill, skills;  // a slice of the occupation's essential skills
};

// Slices of "software developer"'s essential skills (ESCO order by id).
constexpr DemoCourse kCourses[] = {
    {"Programming foundations", "Algorithms, coding and debugging basics.", 40,
     0, 0, 4},
    {"Software design", "Requirements, design and modelling.", 60, 300, 4, 4},
    {"Quality and testing", "Testing, quality assurance and tools.", 30, 150,
     8, 4},
    {"Professional practice", "Working in ICT teams and projects.", 20, 90,
     12, 8},
};

}  // namespace

std::string_view DemoFrameworkSnapshot() {
  for (size_t i = 0; i < internal::kEmbeddedDemoCount; ++i) {
    if (internal::kEmbeddedDemo[i].key == "esco-demo")
      return internal::kEmbeddedDemo[i].body;
  }
  return {};
}

Result<SkillsDemo> SeedSkillsDemo(SkillsService& skills,
                                  PathwayService& pathways,
                                  AchievementService& achievements,
                                  std::string_view org_id) {
  SkillsDemo demo{.framework_id = "esco"};
  CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::SkillFramework> stored,
                             skills.ListFrameworks());
  bool have_esco = false;
  for (const store::SkillFramework& f : stored) have_esco |= f.id == "esco";
  if (!have_esco) {
    CREDSTACK_ASSIGN_OR_RETURN(pw::Framework fw,
                               pw::FrameworkFromJson(DemoFrameworkSnapshot()));
    CREDSTACK_RETURN_IF_ERROR(skills.ImportFramework("esco", fw).status());
  }
  if (pathways.Get(kDemoPathwayId).ok()) {
    demo.pathway_id = kDemoPathwayId;
    return demo;
  }
  CREDSTACK_ASSIGN_OR_RETURN(std::shared_ptr<const pw::Framework> fw,
                             skills.Framework("esco"));
  auto occ = fw->FindOccupationByAnyName("software developer");
  if (!occ) return NotFoundError("demo: no software developer in ESCO");
  std::vector<uint32_t> essential;
  for (const pw::OccupationSkill& r : fw->occupations()[*occ].skills) {
    if (r.relation == pw::RelationType::kEssential) essential.push_back(r.skill);
  }
  json::Array rules;
  std::vector<std::string> ob_ids;
  for (const DemoCourse& c : kCourses) {
    json::Array alignment;
    for (size_t k = c.first_skill;
         k < c.first_skill + c.skills && k < essential.size(); ++k) {
      const pw::Skill& s = fw->skills()[essential[k]];
      alignment.push_back(json::Object{{"type", json::Array{"Alignment"}},
                                       {"targetName", s.label},
                                       {"targetUrl", s.id},
                                       {"targetFramework", "ESCO"},
                                       {"targetType", "ext:ESCOSkill"}});
    }
    json::Object body{{"name", c.name},
                      {"description", c.description},
                      {"criteria", json::Object{{"narrative", c.description}}},
                      {"alignment", std::move(alignment)}};
    CREDSTACK_ASSIGN_OR_RETURN(store::AchievementVersion v,
                               achievements.Create(org_id, body, "demo"));
    CREDSTACK_ASSIGN_OR_RETURN(
        store::AchievementPlanning p,
        skills.SetPlanning(org_id, v.achievement_id,
                           json::Object{{"hours", c.hours},
                                        {"price", c.price},
                                        {"currency", "EUR"},
                                        {"credits", c.hours / 25}}));
    (void)p;
    demo.achievements.push_back(v.achievement_id);
    auto parsed = json::Parse(v.achievement_json);
    ob_ids.emplace_back(parsed->as_object().at("id").as_string());
  }
  CREDSTACK_ASSIGN_OR_RETURN(
      store::AchievementVersion stacked,
      achievements.Create(
          org_id,
          json::Object{
              {"name", "Junior software developer (stacked)"},
              {"description",
               "Awarded automatically for Programming foundations plus two "
               "of the other demo courses."},
              {"criteria", json::Object{{"narrative",
                                         "Complete the demo pathway."}}}},
          "demo"));
  demo.stacked_achievement = stacked.achievement_id;
  json::Array electives;
  for (size_t i = 1; i < ob_ids.size(); ++i) {
    electives.push_back(json::Object{{"type", "achievement"}, {"id", ob_ids[i]}});
  }
  json::Value definition = json::Object{
      {"id", kDemoPathwayId},
      {"name", "Junior software developer"},
      {"achievement", stacked.achievement_id},
      {"rule",
       json::Object{{"type", "allOf"},
                    {"rules",
                     json::Array{json::Object{{"type", "achievement"},
                                              {"id", ob_ids[0]}},
                                 json::Object{{"type", "nOf"},
                                              {"n", 2},
                                              {"name", "two electives"},
                                              {"rules", std::move(electives)}}}}}}};
  CREDSTACK_ASSIGN_OR_RETURN(store::PathwayRecord record,
                             pathways.Create(org_id, definition));
  demo.pathway_id = record.id;
  demo.created = true;
  return demo;
}

}  // namespace credstack::app
