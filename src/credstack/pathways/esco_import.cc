// Importers for the ESCO CSV layouts (see import.h). Column names follow the
// ESCO v1.1.1 download and Tabiya's normalised sample of it.

#include <string>
#include <unordered_map>

#include "credstack/pathways/import.h"
#include "credstack/pathways/internal/csv_file.h"

namespace credstack::pathways {
namespace {

using internal::CsvFile;
using internal::Dangling;

FrameworkInfo EscoInfo(const ImportOptions& options, std::string format) {
  return FrameworkInfo{.name = "ESCO",
                       .version = options.version,
                       .attribution = std::string(kEscoAttribution),
                       .format = std::move(format)};
}

Result<SkillType> SkillTypeField(const CsvFile& f, size_t col) {
  std::string_view v = f[col];
  SkillType t = ParseSkillType(v);
  if (t == SkillType::kUnspecified && !v.empty()) {
    return f.reader->FieldError(
        col, "unknown skill type \"" + std::string(v) + "\"");
  }
  return t;
}

Result<ReuseLevel> ReuseField(const CsvFile& f, size_t col) {
  std::string_view v = f[col];
  ReuseLevel r = ParseReuseLevel(v);
  if (r == ReuseLevel::kUnspecified && !v.empty()) {
    return f.reader->FieldError(
        col, "unknown reuse level \"" + std::string(v) + "\"");
  }
  return r;
}

Result<RelationType> RelationField(const CsvFile& f, size_t col) {
  std::string_view v = f[col];
  if (v == "essential") return RelationType::kEssential;
  if (v == "optional") return RelationType::kOptional;
  return f.reader->FieldError(
      col, "relation type must be essential or optional, not \"" +
               std::string(v) + "\"");
}

Status RequireNonEmpty(const CsvFile& f, size_t col, std::string_view what) {
  if (f[col].empty()) {
    return f.reader->FieldError(col, std::string(what) + " is empty");
  }
  return OkStatus();
}

// ---- Official layout -------------------------------------------------------

Status ReadEscoGroups(FileProvider& files, const ImportOptions& o,
                      Framework::Builder& b) {
  CREDSTACK_ASSIGN_OR_RETURN(auto f,
                             CsvFile::Open(files, "skillGroups_en.csv", o.csv));
  CREDSTACK_ASSIGN_OR_RETURN(size_t uri, f->header.Require("conceptUri"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t label, f->header.Require("preferredLabel"));
  size_t desc = f->header.Find("description");
  size_t code = f->header.Find("code");
  for (;;) {
    CREDSTACK_ASSIGN_OR_RETURN(bool more, f->Next());
    if (!more) break;
    CREDSTACK_RETURN_IF_ERROR(RequireNonEmpty(*f, uri, "conceptUri"));
    SkillGroup g;
    g.id = (*f)[uri];
    g.label = (*f)[label];
    g.code = (*f)[code];
    if (o.keep_descriptions) g.description = (*f)[desc];
    b.AddGroup(std::move(g));
  }
  return OkStatus();
}

Status ReadEscoSkills(FileProvider& files, const ImportOptions& o,
                      Framework::Builder& b) {
  CREDSTACK_ASSIGN_OR_RETURN(auto f,
                             CsvFile::Open(files, "skills_en.csv", o.csv));
  CREDSTACK_ASSIGN_OR_RETURN(size_t uri, f->header.Require("conceptUri"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t label, f->header.Require("preferredLabel"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t type, f->header.Require("skillType"));
  size_t reuse = f->header.Find("reuseLevel");
  size_t desc = f->header.Find("description");
  for (;;) {
    CREDSTACK_ASSIGN_OR_RETURN(bool more, f->Next());
    if (!more) break;
    CREDSTACK_RETURN_IF_ERROR(RequireNonEmpty(*f, uri, "conceptUri"));
    Skill s;
    s.id = (*f)[uri];
    s.label = (*f)[label];
    CREDSTACK_ASSIGN_OR_RETURN(s.type, SkillTypeField(*f, type));
    CREDSTACK_ASSIGN_OR_RETURN(s.reuse, ReuseField(*f, reuse));
    if (o.keep_descriptions) s.description = (*f)[desc];
    b.AddSkill(std::move(s));
  }
  return OkStatus();
}

Status ReadEscoOccupations(FileProvider& files, const ImportOptions& o,
                           Framework::Builder& b) {
  CREDSTACK_ASSIGN_OR_RETURN(auto f,
                             CsvFile::Open(files, "occupations_en.csv", o.csv));
  CREDSTACK_ASSIGN_OR_RETURN(size_t uri, f->header.Require("conceptUri"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t label, f->header.Require("preferredLabel"));
  size_t isco = f->header.Find("iscoGroup");
  size_t code = f->header.Find("code");
  size_t desc = f->header.Find("description");
  for (;;) {
    CREDSTACK_ASSIGN_OR_RETURN(bool more, f->Next());
    if (!more) break;
    CREDSTACK_RETURN_IF_ERROR(RequireNonEmpty(*f, uri, "conceptUri"));
    Occupation oc;
    oc.id = (*f)[uri];
    oc.label = (*f)[label];
    oc.isco_group = (*f)[isco];
    oc.code = (*f)[code];
    if (o.keep_descriptions) oc.description = (*f)[desc];
    b.AddOccupation(std::move(oc));
  }
  return OkStatus();
}

Status ReadEscoBroader(FileProvider& files, const ImportOptions& o,
                       Framework::Builder& b) {
  CREDSTACK_ASSIGN_OR_RETURN(
      auto f, CsvFile::Open(files, "broaderRelationsSkillPillar.csv", o.csv));
  CREDSTACK_ASSIGN_OR_RETURN(size_t uri, f->header.Require("conceptUri"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t broader, f->header.Require("broaderUri"));
  ImportWarnings& w = b.warnings();
  for (;;) {
    CREDSTACK_ASSIGN_OR_RETURN(bool more, f->Next());
    if (!more) break;
    std::string_view child = (*f)[uri];
    std::string_view parent = (*f)[broader];
    auto child_skill = b.FindSkill(child);
    auto child_group = child_skill ? std::nullopt : b.FindGroup(child);
    if (!child_skill && !child_group) {
      CREDSTACK_RETURN_IF_ERROR(
          Dangling(*f, uri, "concept", child, o.strict, w));
      continue;
    }
    auto parent_group = b.FindGroup(parent);
    auto parent_skill = parent_group ? std::nullopt : b.FindSkill(parent);
    if (!parent_group && !parent_skill) {
      CREDSTACK_RETURN_IF_ERROR(
          Dangling(*f, broader, "broader concept", parent, o.strict, w));
      continue;
    }
    if (child_skill) {
      if (parent_group) {
        b.skill(*child_skill).broader_groups.push_back(*parent_group);
      } else {
        b.skill(*child_skill).broader_skills.push_back(*parent_skill);
      }
    } else if (parent_group) {
      b.group(*child_group).broader.push_back(*parent_group);
    } else {
      return f->reader->FieldError(
          broader, "a skill group cannot be narrower than a skill");
    }
  }
  return OkStatus();
}

// skillsHierarchy_en.csv gives the hierarchy codes ("S1.2") of the groups
// whose skillGroups_en.csv row has none.
Status ReadEscoHierarchyCodes(FileProvider& files, const ImportOptions& o,
                              Framework::Builder& b) {
  if (!files.Has("skillsHierarchy_en.csv")) return OkStatus();
  CREDSTACK_ASSIGN_OR_RETURN(
      auto f, CsvFile::Open(files, "skillsHierarchy_en.csv", o.csv));
  size_t uri_col[4], code_col[4];
  for (int l = 0; l < 4; ++l) {
    std::string n = std::to_string(l);
    CREDSTACK_ASSIGN_OR_RETURN(uri_col[l],
                               f->header.Require("Level " + n + " URI"));
    code_col[l] = f->header.Find("Level " + n + " code");
  }
  for (;;) {
    CREDSTACK_ASSIGN_OR_RETURN(bool more, f->Next());
    if (!more) break;
    for (int l = 0; l < 4; ++l) {
      std::string_view u = (*f)[uri_col[l]];
      if (u.empty()) continue;
      auto g = b.FindGroup(u);
      if (!g) {
        CREDSTACK_RETURN_IF_ERROR(
            Dangling(*f, uri_col[l], "skill group", u, o.strict, b.warnings()));
        continue;
      }
      if (b.group(*g).code.empty()) b.group(*g).code = (*f)[code_col[l]];
    }
  }
  return OkStatus();
}

Status ReadEscoRelations(FileProvider& files, const ImportOptions& o,
                         Framework::Builder& b) {
  CREDSTACK_ASSIGN_OR_RETURN(
      auto f, CsvFile::Open(files, "occupationSkillRelations.csv", o.csv));
  CREDSTACK_ASSIGN_OR_RETURN(size_t occ, f->header.Require("occupationUri"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t rel, f->header.Require("relationType"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t skill, f->header.Require("skillUri"));
  for (;;) {
    CREDSTACK_ASSIGN_OR_RETURN(bool more, f->Next());
    if (!more) break;
    CREDSTACK_ASSIGN_OR_RETURN(RelationType r, RelationField(*f, rel));
    auto oi = b.FindOccupation((*f)[occ]);
    if (!oi) {
      CREDSTACK_RETURN_IF_ERROR(
          Dangling(*f, occ, "occupation", (*f)[occ], o.strict, b.warnings()));
      continue;
    }
    auto si = b.FindSkill((*f)[skill]);
    if (!si) {
      CREDSTACK_RETURN_IF_ERROR(
          Dangling(*f, skill, "skill", (*f)[skill], o.strict, b.warnings()));
      continue;
    }
    b.occupation(*oi).skills.push_back({.skill = *si, .relation = r});
  }
  return OkStatus();
}

// ---- Tabiya normalised sample layout ---------------------------------------

using KeyMap = std::unordered_map<std::string, uint32_t>;

Status ReadSampleGroups(FileProvider& files, const ImportOptions& o,
                        Framework::Builder& b, KeyMap& keys) {
  CREDSTACK_ASSIGN_OR_RETURN(auto f,
                             CsvFile::Open(files, "skillGroups.csv", o.csv));
  CREDSTACK_ASSIGN_OR_RETURN(size_t uri, f->header.Require("ESCOURI"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t id, f->header.Require("ID"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t label, f->header.Require("PREFERREDLABEL"));
  size_t code = f->header.Find("CODE");
  size_t desc = f->header.Find("DESCRIPTION");
  for (;;) {
    CREDSTACK_ASSIGN_OR_RETURN(bool more, f->Next());
    if (!more) break;
    CREDSTACK_RETURN_IF_ERROR(RequireNonEmpty(*f, id, "ID"));
    SkillGroup g;
    g.id = (*f)[uri].empty() ? (*f)[id] : (*f)[uri];
    g.label = (*f)[label];
    g.code = (*f)[code];
    if (o.keep_descriptions) g.description = (*f)[desc];
    if (!keys.emplace(std::string((*f)[id]), b.AddGroup(std::move(g))).second) {
      return f->reader->FieldError(id, "duplicate ID");
    }
  }
  return OkStatus();
}

Status ReadSampleSkills(FileProvider& files, const ImportOptions& o,
                        Framework::Builder& b, KeyMap& keys) {
  CREDSTACK_ASSIGN_OR_RETURN(auto f, CsvFile::Open(files, "skills.csv", o.csv));
  CREDSTACK_ASSIGN_OR_RETURN(size_t uri, f->header.Require("ESCOURI"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t id, f->header.Require("ID"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t label, f->header.Require("PREFERREDLABEL"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t type, f->header.Require("SKILLTYPE"));
  size_t reuse = f->header.Find("REUSELEVEL");
  size_t desc = f->header.Find("DESCRIPTION");
  for (;;) {
    CREDSTACK_ASSIGN_OR_RETURN(bool more, f->Next());
    if (!more) break;
    CREDSTACK_RETURN_IF_ERROR(RequireNonEmpty(*f, id, "ID"));
    Skill s;
    s.id = (*f)[uri].empty() ? (*f)[id] : (*f)[uri];
    s.label = (*f)[label];
    CREDSTACK_ASSIGN_OR_RETURN(s.type, SkillTypeField(*f, type));
    CREDSTACK_ASSIGN_OR_RETURN(s.reuse, ReuseField(*f, reuse));
    if (o.keep_descriptions) s.description = (*f)[desc];
    if (!keys.emplace(std::string((*f)[id]), b.AddSkill(std::move(s))).second) {
      return f->reader->FieldError(id, "duplicate ID");
    }
  }
  return OkStatus();
}

Status ReadSampleOccupations(FileProvider& files, const ImportOptions& o,
                             Framework::Builder& b, KeyMap& keys) {
  CREDSTACK_ASSIGN_OR_RETURN(auto f,
                             CsvFile::Open(files, "occupations.csv", o.csv));
  CREDSTACK_ASSIGN_OR_RETURN(size_t uri, f->header.Require("ESCOURI"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t id, f->header.Require("ID"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t label, f->header.Require("PREFERREDLABEL"));
  size_t isco = f->header.Find("ISCOGROUPCODE");
  size_t code = f->header.Find("CODE");
  size_t desc = f->header.Find("DESCRIPTION");
  for (;;) {
    CREDSTACK_ASSIGN_OR_RETURN(bool more, f->Next());
    if (!more) break;
    CREDSTACK_RETURN_IF_ERROR(RequireNonEmpty(*f, id, "ID"));
    Occupation oc;
    oc.id = (*f)[uri].empty() ? (*f)[id] : (*f)[uri];
    oc.label = (*f)[label];
    oc.isco_group = (*f)[isco];
    oc.code = (*f)[code];
    if (o.keep_descriptions) oc.description = (*f)[desc];
    if (!keys.emplace(std::string((*f)[id]), b.AddOccupation(std::move(oc)))
             .second) {
      return f->reader->FieldError(id, "duplicate ID");
    }
  }
  return OkStatus();
}

Status ReadSampleHierarchy(FileProvider& files, const ImportOptions& o,
                           Framework::Builder& b, const KeyMap& skills,
                           const KeyMap& groups) {
  CREDSTACK_ASSIGN_OR_RETURN(
      auto f, CsvFile::Open(files, "skills_hierarchy.csv", o.csv));
  CREDSTACK_ASSIGN_OR_RETURN(size_t ptype,
                             f->header.Require("PARENTOBJECTTYPE"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t pid, f->header.Require("PARENTID"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t cid, f->header.Require("CHILDID"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t ctype,
                             f->header.Require("CHILDOBJECTTYPE"));
  auto find =
      [&](size_t type_col,
          size_t id_col) -> Result<std::optional<std::pair<bool, uint32_t>>> {
    std::string_view t = (*f)[type_col];
    bool is_skill = t == "Skill";
    if (!is_skill && t != "SkillGroup") {
      return f->reader->FieldError(type_col,
                                   "object type must be Skill or SkillGroup");
    }
    const KeyMap& m = is_skill ? skills : groups;
    auto it = m.find(std::string((*f)[id_col]));
    if (it == m.end()) return std::optional<std::pair<bool, uint32_t>>();
    return std::optional<std::pair<bool, uint32_t>>({is_skill, it->second});
  };
  for (;;) {
    CREDSTACK_ASSIGN_OR_RETURN(bool more, f->Next());
    if (!more) break;
    CREDSTACK_ASSIGN_OR_RETURN(auto parent, find(ptype, pid));
    CREDSTACK_ASSIGN_OR_RETURN(auto child, find(ctype, cid));
    if (!parent) {
      CREDSTACK_RETURN_IF_ERROR(
          Dangling(*f, pid, "parent", (*f)[pid], o.strict, b.warnings()));
      continue;
    }
    if (!child) {
      CREDSTACK_RETURN_IF_ERROR(
          Dangling(*f, cid, "child", (*f)[cid], o.strict, b.warnings()));
      continue;
    }
    auto [parent_is_skill, p] = *parent;
    auto [child_is_skill, c] = *child;
    if (child_is_skill) {
      (parent_is_skill ? b.skill(c).broader_skills : b.skill(c).broader_groups)
          .push_back(p);
    } else if (!parent_is_skill) {
      b.group(c).broader.push_back(p);
    } else {
      return f->reader->FieldError(
          pid, "a skill group cannot be narrower than a skill");
    }
  }
  return OkStatus();
}

Status ReadSampleRelations(FileProvider& files, const ImportOptions& o,
                           Framework::Builder& b, const KeyMap& skills,
                           const KeyMap& occupations) {
  CREDSTACK_ASSIGN_OR_RETURN(
      auto f, CsvFile::Open(files, "occupation_skill_relations.csv", o.csv));
  CREDSTACK_ASSIGN_OR_RETURN(size_t occ, f->header.Require("OCCUPATIONID"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t rel, f->header.Require("RELATIONTYPE"));
  CREDSTACK_ASSIGN_OR_RETURN(size_t skill, f->header.Require("SKILLID"));
  for (;;) {
    CREDSTACK_ASSIGN_OR_RETURN(bool more, f->Next());
    if (!more) break;
    CREDSTACK_ASSIGN_OR_RETURN(RelationType r, RelationField(*f, rel));
    auto oi = occupations.find(std::string((*f)[occ]));
    if (oi == occupations.end()) {
      CREDSTACK_RETURN_IF_ERROR(
          Dangling(*f, occ, "occupation", (*f)[occ], o.strict, b.warnings()));
      continue;
    }
    auto si = skills.find(std::string((*f)[skill]));
    if (si == skills.end()) {
      CREDSTACK_RETURN_IF_ERROR(
          Dangling(*f, skill, "skill", (*f)[skill], o.strict, b.warnings()));
      continue;
    }
    b.occupation(oi->second)
        .skills.push_back({.skill = si->second, .relation = r});
  }
  return OkStatus();
}

}  // namespace

Result<Framework> ImportEsco(FileProvider& files,
                             const ImportOptions& options) {
  Framework::Builder b(EscoInfo(options, "esco"));
  CREDSTACK_RETURN_IF_ERROR(ReadEscoGroups(files, options, b));
  CREDSTACK_RETURN_IF_ERROR(ReadEscoSkills(files, options, b));
  CREDSTACK_RETURN_IF_ERROR(ReadEscoOccupations(files, options, b));
  CREDSTACK_RETURN_IF_ERROR(b.IndexConcepts());
  CREDSTACK_RETURN_IF_ERROR(ReadEscoBroader(files, options, b));
  CREDSTACK_RETURN_IF_ERROR(ReadEscoHierarchyCodes(files, options, b));
  CREDSTACK_RETURN_IF_ERROR(ReadEscoRelations(files, options, b));
  return std::move(b).Finish();
}

Result<Framework> ImportEscoSample(FileProvider& files,
                                   const ImportOptions& options) {
  Framework::Builder b(EscoInfo(options, "esco-sample"));
  KeyMap groups, skills, occupations;
  CREDSTACK_RETURN_IF_ERROR(ReadSampleGroups(files, options, b, groups));
  CREDSTACK_RETURN_IF_ERROR(ReadSampleSkills(files, options, b, skills));
  CREDSTACK_RETURN_IF_ERROR(
      ReadSampleOccupations(files, options, b, occupations));
  CREDSTACK_RETURN_IF_ERROR(b.IndexConcepts());
  CREDSTACK_RETURN_IF_ERROR(
      ReadSampleHierarchy(files, options, b, skills, groups));
  CREDSTACK_RETURN_IF_ERROR(
      ReadSampleRelations(files, options, b, skills, occupations));
  return std::move(b).Finish();
}

}  // namespace credstack::pathways
