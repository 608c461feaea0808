// Importer for the O*NET database text files (tab-separated, one header
// line; see https://www.onetcenter.org/database.html, "Text" format). Skills
// and knowledge elements are identified by their Content Model element id
// ("2.A.1.a"); their groups are the id's prefixes ("2.A.1", "2.A").

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "credstack/pathways/import.h"
#include "credstack/pathways/internal/csv_file.h"

namespace credstack::pathways {
namespace {

using internal::CsvFile;

constexpr std::string_view kOnetAttribution =
    "O*NET Database by the U.S. Department of Labor, Employment and Training "
    "Administration (USDOL/ETA), used under the CC BY 4.0 license";

struct Rating {
  std::optional<float> importance, level;
};

struct Element {
  std::string name;
  SkillType type;
};

CsvOptions Tsv(CsvOptions o) {
  o.separator = '\t';
  o.quote = '\0';
  return o;
}

// "2.A.1.a" -> {"2.A", "2.A.1"}: the prefixes with at least two parts.
std::vector<std::string> GroupPrefixes(std::string_view id) {
  std::vector<std::string> out;
  size_t parts = 1;
  for (size_t i = 0; i < id.size(); ++i) {
    if (id[i] != '.') continue;
    if (++parts > 2) out.emplace_back(id.substr(0, i));
  }
  return out;
}

struct OnetData {
  std::map<std::string, Element> elements;
  // (occupation code, element id) -> rating
  std::map<std::pair<std::string, std::string>, Rating> ratings;
  std::vector<std::string> occupation_order;
};

Status ReadRatings(FileProvider& files, std::string_view name, SkillType type,
                   const ImportOptions& o, OnetData& data) {
  CREDSTACK_ASSIGN_OR_RETURN(auto f, CsvFile::Open(files, name, Tsv(o.csv)));
  CREDSTACK_ASSIGN_OR_RETURN(size_t soc, f->header.Require("O*NET-SOC Code"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t id, f->header.Require("Element ID"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t ename, f->header.Require("Element Name"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t scale, f->header.Require("Scale ID"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t value, f->header.Require("Data Value"));
  size_t not_relevant = f->header.Find("Not Relevant");
  for (;;) {
    CREDSTACK_ASSIGN_OR_RETURN(bool more, f->Next());
    if (!more) break;
    if ((*f)[soc].empty())
      return f->reader->FieldError(soc, "O*NET-SOC Code is empty");
    if ((*f)[id].empty())
      return f->reader->FieldError(id, "Element ID is empty");
    auto v = internal::ParseFloat((*f)[value]);
    if (!v) {
      return f->reader->FieldError(value, "Data Value is not a number: \"" +
                                              std::string((*f)[value]) + "\"");
    }
    auto [it, inserted] = data.elements.try_emplace(
        std::string((*f)[id]), Element{std::string((*f)[ename]), type});
    if (!inserted && it->second.type != type) {
      return f->reader->FieldError(id, "element listed in two files");
    }
    Rating& r = data.ratings[{std::string((*f)[soc]), std::string((*f)[id])}];
    std::string_view s = (*f)[scale];
    if (s == "IM") {
      r.importance = *v;
    } else if (s == "LV") {
      if ((*f)[not_relevant] != "Y") r.level = *v;
    } else {
      return f->reader->FieldError(
          scale, "Scale ID must be IM or LV, not \"" + std::string(s) + "\"");
    }
  }
  return OkStatus();
}

}  // namespace

Result<Framework> ImportOnet(FileProvider& files, const ImportOptions& o) {
  Framework::Builder b(
      FrameworkInfo{.name = "O*NET",
                    .version = o.version,
                    .attribution = std::string(kOnetAttribution),
                    .format = "onet"});
  // Occupations.
  {
    CREDSTACK_ASSIGN_OR_RETURN(
        auto f, CsvFile::Open(files, "Occupation Data.txt", Tsv(o.csv)));
    CREDSTACK_ASSIGN_OR_RETURN(size_t soc, f->header.Require("O*NET-SOC Code"));
    CREDSTACK_ASSIGN_OR_RETURN(size_t title, f->header.Require("Title"));
    size_t desc = f->header.Find("Description");
    for (;;) {
      CREDSTACK_ASSIGN_OR_RETURN(bool more, f->Next());
      if (!more) break;
      if ((*f)[soc].empty())
        return f->reader->FieldError(soc, "O*NET-SOC Code is empty");
      Occupation oc;
      oc.id = (*f)[soc];
      oc.code = (*f)[soc];
      oc.label = (*f)[title];
      if (o.keep_descriptions) oc.description = (*f)[desc];
      b.AddOccupation(std::move(oc));
    }
  }
  // Ratings; Skills.txt is required, the others optional.
  OnetData data;
  CREDSTACK_RETURN_IF_ERROR(
      ReadRatings(files, "Skills.txt", SkillType::kSkillCompetence, o, data));
  if (files.Has("Knowledge.txt")) {
    CREDSTACK_RETURN_IF_ERROR(
        ReadRatings(files, "Knowledge.txt", SkillType::kKnowledge, o, data));
  }
  if (files.Has("Abilities.txt")) {
    CREDSTACK_RETURN_IF_ERROR(
        ReadRatings(files, "Abilities.txt", SkillType::kAbility, o, data));
  }
  // Names and descriptions of content model elements, when given.
  std::unordered_map<std::string, std::pair<std::string, std::string>> model;
  if (files.Has("Content Model Reference.txt")) {
    CREDSTACK_ASSIGN_OR_RETURN(
        auto f,
        CsvFile::Open(files, "Content Model Reference.txt", Tsv(o.csv)));
    CREDSTACK_ASSIGN_OR_RETURN(size_t id, f->header.Require("Element ID"));
    CREDSTACK_ASSIGN_OR_RETURN(size_t name, f->header.Require("Element Name"));
    size_t desc = f->header.Find("Description");
    for (;;) {
      CREDSTACK_ASSIGN_OR_RETURN(bool more, f->Next());
      if (!more) break;
      model[std::string((*f)[id])] = {std::string((*f)[name]),
                                      std::string((*f)[desc])};
    }
  }
  // Skills and their groups.
  std::set<std::string> group_ids;
  for (const auto& [id, e] : data.elements) {
    Skill s;
    s.id = id;
    s.label = e.name;
    s.type = e.type;
    if (auto it = model.find(id); it != model.end() && o.keep_descriptions) {
      s.description = it->second.second;
    }
    b.AddSkill(std::move(s));
    for (std::string& g : GroupPrefixes(id)) group_ids.insert(std::move(g));
  }
  for (const std::string& id : group_ids) {
    SkillGroup g;
    g.id = id;
    g.code = id;
    auto it = model.find(id);
    g.label = it != model.end() ? it->second.first : id;
    if (it != model.end() && o.keep_descriptions)
      g.description = it->second.second;
    b.AddGroup(std::move(g));
  }
  CREDSTACK_RETURN_IF_ERROR(b.IndexConcepts());
  auto parent_group = [&](std::string_view id) -> std::optional<uint32_t> {
    size_t dot = id.rfind('.');
    if (dot == std::string_view::npos) return std::nullopt;
    return b.FindGroup(id.substr(0, dot));
  };
  for (uint32_t i = 0; i < b.group_count(); ++i) {
    if (auto p = parent_group(b.group(i).id)) b.group(i).broader.push_back(*p);
  }
  for (uint32_t i = 0; i < b.skill_count(); ++i) {
    if (auto p = parent_group(b.skill(i).id))
      b.skill(i).broader_groups.push_back(*p);
  }
  for (const auto& [key, rating] : data.ratings) {
    auto oi = b.FindOccupation(key.first);
    if (!oi) {
      std::string msg =
          "occupation " + key.first + " is not in Occupation Data.txt";
      if (o.strict) return InvalidArgumentError(msg);
      b.warnings().Add(msg + "; skipped");
      continue;
    }
    OccupationSkill rel;
    rel.skill = *b.FindSkill(key.second);
    rel.importance = rating.importance;
    rel.level = rating.level;
    rel.relation =
        rating.importance && *rating.importance >= o.onet_essential_importance
            ? RelationType::kEssential
            : RelationType::kOptional;
    b.occupation(*oi).skills.push_back(rel);
  }
  return std::move(b).Finish();
}

}  // namespace credstack::pathways
