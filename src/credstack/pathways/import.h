#pragma once

// Importers that build a complete Framework from a data set's files, or
// fail and build nothing ("all or nothing"). The files come through a
// FileProvider (the caller opens them; this module does no I/O).
//
//  * ImportEsco: the official ESCO CSV download (classification and
//    relations, English), e.g. ESCO v1.1.1: skills_en.csv,
//    skillGroups_en.csv, occupations_en.csv, broaderRelationsSkillPillar.csv,
//    occupationSkillRelations.csv, and optionally skillsHierarchy_en.csv
//    (hierarchy codes such as "S1.2").
//  * ImportEscoSample: Tabiya's normalised layout of the same data (skills.csv,
//    skillGroups.csv, occupations.csv, skills_hierarchy.csv,
//    occupation_skill_relations.csv; rows keyed by Tabiya ids such as
//    "key_20422", concepts identified by their ESCO URIs).
//  * ImportOnet: the O*NET database text files (tab-separated):
//    Occupation Data.txt, Skills.txt, optionally Knowledge.txt,
//    Abilities.txt and Content Model Reference.txt.
//
// Errors: kInvalidArgument naming file, line and column for malformed rows,
// missing columns or unknown enumeration values; kNotFound for a missing
// required file; kResourceExhausted when a CsvOptions limit is hit.
// References to concepts that the data set does not define are skipped and
// counted in Framework::warnings(), unless options.strict is set.

#include <string>

#include "credstack/base/status.h"
#include "credstack/pathways/csv.h"
#include "credstack/pathways/framework.h"
#include "credstack/pathways/source.h"

namespace credstack::pathways {

inline constexpr std::string_view kEscoAttribution =
    "ESCO, European Commission";

struct ImportOptions {
  // The data set's version, e.g. "1.1.1" (the files do not carry it).
  std::string version;
  // Dangling references fail the import instead of being skipped.
  bool strict = false;
  // Keep long descriptions (a snapshot without them is about half the size).
  bool keep_descriptions = true;
  // O*NET: an element whose importance (IM) is at least this is essential.
  float onet_essential_importance = 3.0f;
  CsvOptions csv;
};

Result<Framework> ImportEsco(FileProvider& files,
                             const ImportOptions& options = {});
Result<Framework> ImportEscoSample(FileProvider& files,
                                   const ImportOptions& options = {});
Result<Framework> ImportOnet(FileProvider& files,
                             const ImportOptions& options = {});

}  // namespace credstack::pathways
