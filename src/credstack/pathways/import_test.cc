#include "credstack/pathways/import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "credstack/pathways/testing/dir_file_provider.h"

namespace credstack::pathways {
namespace {

namespace fs = std::filesystem;

fs::path DatasetDir(const char* name) {
  return fs::path(CREDSTACK_SOURCE_DIR) / ".." / "shared" / "datasets" / name;
}

fs::path OnetDir() {
  return fs::path(CREDSTACK_SOURCE_DIR) / "tests" / "testdata" / "onet";
}

// A minimal official-layout ESCO set, edited per test.
MemoryFileProvider TinyEsco() {
  MemoryFileProvider f;
  f.Add("skillGroups_en.csv",
        "conceptType,conceptUri,preferredLabel,description,code\r\n"
        "SkillGroup,g:top,skills,,S\r\n"
        "SkillGroup,g:s1,\"communication, "
        "collaboration\",\"multi\nline\",S1\r\n");
  f.Add("skills_en.csv",
        "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,"
        "description\r\n"
        "KnowledgeSkillCompetence,s:a,skill/competence,transversal,listen,\r\n"
        "KnowledgeSkillCompetence,s:b,knowledge,sector-specific,\"law, "
        "\"\"civil\"\"\",\r\n"
        "KnowledgeSkillCompetence,s:c,,,typing,\r\n");
  f.Add("occupations_en.csv",
        "conceptType,conceptUri,iscoGroup,preferredLabel,description,code\r\n"
        "Occupation,o:clerk,4110,clerk,,4110.1\r\n");
  f.Add("broaderRelationsSkillPillar.csv",
        "conceptType,conceptUri,broaderType,broaderUri\r\n"
        "SkillGroup,g:s1,SkillGroup,g:top\r\n"
        "KnowledgeSkillCompetence,s:a,SkillGroup,g:s1\r\n"
        "KnowledgeSkillCompetence,s:b,SkillGroup,g:top\r\n"
        "KnowledgeSkillCompetence,s:c,KnowledgeSkillCompetence,s:a\r\n");
  f.Add("occupationSkillRelations.csv",
        "occupationUri,relationType,skillType,skillUri\r\n"
        "o:clerk,essential,skill/competence,s:a\r\n"
        "o:clerk,optional,knowledge,s:b\r\n");
  return f;
}

TEST(ImportEsco, BuildsModelFromOfficialLayout) {
  MemoryFileProvider files = TinyEsco();
  auto fw = ImportEsco(files, {.version = "1.1.1"});
  ASSERT_TRUE(fw.ok()) << fw.error().ToString();
  EXPECT_EQ(fw->info().name, "ESCO");
  EXPECT_EQ(fw->info().attribution, "ESCO, European Commission");
  ASSERT_EQ(fw->skills().size(), 3u);
  const Skill& b = fw->skills()[*fw->FindSkill("s:b")];
  EXPECT_EQ(b.label, "law, \"civil\"");
  EXPECT_EQ(b.type, SkillType::kKnowledge);
  EXPECT_EQ(b.reuse, ReuseLevel::kSectorSpecific);
  const SkillGroup& s1 = fw->groups()[*fw->FindGroup("g:s1")];
  EXPECT_EQ(s1.level, 1);
  EXPECT_EQ(s1.description, "multi\nline");
  // s:c is narrower than skill s:a, which sits in group S1.
  uint32_t c = *fw->FindSkill("s:c");
  EXPECT_EQ(fw->GroupsAtLevel(c, 1),
            std::vector<uint32_t>{*fw->FindGroup("g:s1")});
  EXPECT_EQ(fw->GroupsAtLevel(c, 0),
            std::vector<uint32_t>{*fw->FindGroup("g:top")});
  const Occupation& clerk = fw->occupations()[0];
  ASSERT_EQ(clerk.skills.size(), 2u);
  EXPECT_EQ(fw->skills()[clerk.skills[0].skill].id, "s:a");
  EXPECT_EQ(clerk.skills[0].relation, RelationType::kEssential);
  EXPECT_EQ(clerk.skills[1].relation, RelationType::kOptional);
  EXPECT_EQ(fw->FindOccupationByAnyName("CLERK"), 0u);
  EXPECT_EQ(fw->FindOccupationByAnyName("4110.1"), 0u);
  EXPECT_EQ(fw->warnings().count, 0u);
}

TEST(ImportEsco, MalformedRowFailsWithPositionAndBuildsNothing) {
  MemoryFileProvider files = TinyEsco();
  files.Add("occupationSkillRelations.csv",
            "occupationUri,relationType,skillType,skillUri\r\n"
            "o:clerk,essential,skill/competence,s:a\r\n"
            "o:clerk,\"optional\"x,knowledge,s:b\r\n");
  auto fw = ImportEsco(files);
  ASSERT_FALSE(fw.ok());
  EXPECT_EQ(fw.error().code(), Code::kInvalidArgument);
  EXPECT_NE(fw.error().message().find("occupationSkillRelations.csv:3:19:"),
            std::string::npos)
      << fw.error().message();
}

TEST(ImportEsco, RejectsUnknownValuesAndMissingColumns) {
  MemoryFileProvider files = TinyEsco();
  files.Add("occupationSkillRelations.csv",
            "occupationUri,relationType,skillType,skillUri\n"
            "o:clerk,mandatory,skill/competence,s:a\n");
  auto fw = ImportEsco(files);
  ASSERT_FALSE(fw.ok());
  EXPECT_EQ(fw.error().message(),
            "occupationSkillRelations.csv:2:9: relation type must be essential "
            "or optional, not \"mandatory\"");

  files = TinyEsco();
  files.Add("skills_en.csv", "conceptUri,preferredLabel\ns:a,listen\n");
  fw = ImportEsco(files);
  ASSERT_FALSE(fw.ok());
  EXPECT_EQ(fw.error().message(),
            "skills_en.csv:1: missing column \"skillType\"");

  files = TinyEsco();
  files.Add(
      "skills_en.csv",
      "conceptUri,skillType,preferredLabel\ns:a,skill,x\ns:a,knowledge,y\n");
  fw = ImportEsco(files);
  ASSERT_FALSE(fw.ok());
  EXPECT_EQ(fw.error().message(), "duplicate skill id s:a");

  MemoryFileProvider missing;
  fw = ImportEsco(missing);
  ASSERT_FALSE(fw.ok());
  EXPECT_EQ(fw.error().code(), Code::kNotFound);
}

TEST(ImportEsco, DanglingReferencesAreWarningsUnlessStrict) {
  MemoryFileProvider files = TinyEsco();
  files.Add("occupationSkillRelations.csv",
            "occupationUri,relationType,skillType,skillUri\n"
            "o:clerk,essential,skill/competence,s:a\n"
            "o:gone,essential,skill/competence,s:a\n");
  auto fw = ImportEsco(files);
  ASSERT_TRUE(fw.ok());
  EXPECT_EQ(fw->warnings().count, 1u);
  EXPECT_EQ(fw->warnings().examples[0],
            "occupationSkillRelations.csv:3: occupation o:gone is not defined; "
            "skipped");
  auto strict = ImportEsco(files, {.strict = true});
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(
      strict.error().message(),
      "occupationSkillRelations.csv:3:1: occupation o:gone is not defined");
}

TEST(ImportEsco, RejectsGroupCycles) {
  MemoryFileProvider files = TinyEsco();
  files.Add("broaderRelationsSkillPillar.csv",
            "conceptType,conceptUri,broaderType,broaderUri\n"
            "SkillGroup,g:s1,SkillGroup,g:top\n"
            "SkillGroup,g:top,SkillGroup,g:s1\n");
  auto fw = ImportEsco(files);
  ASSERT_FALSE(fw.ok());
  EXPECT_NE(fw.error().message().find("cycle"), std::string::npos);
}

TEST(DiffFrameworks, ReportsChangesByStableId) {
  MemoryFileProvider v1 = TinyEsco();
  MemoryFileProvider v2 = TinyEsco();
  v2.Add(
      "skills_en.csv",
      "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,description\n"
      "KnowledgeSkillCompetence,s:a,skill/competence,transversal,listen "
      "actively,\n"
      "KnowledgeSkillCompetence,s:c,,,typing,\n"
      "KnowledgeSkillCompetence,s:d,,,filing,\n");
  v2.Add("occupationSkillRelations.csv",
         "occupationUri,relationType,skillType,skillUri\n"
         "o:clerk,essential,skill/competence,s:a\n");
  auto a = ImportEsco(v1);
  auto b = ImportEsco(v2);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(DiffFrameworks(*a, *a).empty());
  FrameworkDiff d = DiffFrameworks(*a, *b);
  EXPECT_EQ(d.added_skills, std::vector<std::string>{"s:d"});
  EXPECT_EQ(d.removed_skills, std::vector<std::string>{"s:b"});
  EXPECT_EQ(d.changed_skills, std::vector<std::string>{"s:a"});
  EXPECT_EQ(d.changed_occupations, std::vector<std::string>{"o:clerk"});
  EXPECT_TRUE(d.added_groups.empty() && d.changed_groups.empty());
}

TEST(ImportEscoSample, ImportsTabiyaSample) {
  fs::path dir = DatasetDir("esco-v1.1.1-sample");
  if (!fs::exists(dir)) GTEST_SKIP() << "dataset not present: " << dir;
  testing::DirFileProvider files(dir);
  auto fw = ImportEscoSample(files, {.version = "1.1.1"});
  ASSERT_TRUE(fw.ok()) << fw.error().ToString();
  EXPECT_EQ(fw->skills().size(), 1000u);
  EXPECT_EQ(fw->groups().size(), 640u);
  EXPECT_EQ(fw->occupations().size(), 3007u);
  EXPECT_EQ(fw->relation_count(), 8674u);
  EXPECT_EQ(fw->warnings().count, 0u);
  auto tech = fw->FindOccupation(
      "http://data.europa.eu/esco/occupation/"
      "00030d09-2b3a-4efd-87cc-c4ea39d27c34");
  ASSERT_TRUE(tech);
  EXPECT_EQ(fw->occupations()[*tech].label, "technical director");
  auto skill = fw->FindSkill(
      "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab");
  ASSERT_TRUE(skill);
  EXPECT_EQ(fw->skills()[*skill].label, "manage musical staff");
  EXPECT_FALSE(fw->GroupsAtLevel(*skill, 0).empty());
}

TEST(ImportOnet, ImportsTextLayout) {
  testing::DirFileProvider files(OnetDir());
  auto fw = ImportOnet(files, {.version = "28.0"});
  ASSERT_TRUE(fw.ok()) << fw.error().ToString();
  EXPECT_EQ(fw->info().name, "O*NET");
  EXPECT_EQ(fw->skills().size(), 11u);
  EXPECT_EQ(fw->occupations().size(), 4u);
  EXPECT_EQ(fw->relation_count(), 44u);
  auto prog = fw->FindSkill("2.B.3.e");
  ASSERT_TRUE(prog);
  EXPECT_EQ(fw->skills()[*prog].label, "Programming");
  EXPECT_EQ(fw->skills()[*prog].type, SkillType::kSkillCompetence);
  EXPECT_EQ(fw->skills()[*fw->FindSkill("2.C.3.a")].type,
            SkillType::kKnowledge);
  auto top = fw->GroupsAtLevel(*prog, 0);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(fw->groups()[top[0]].label, "Cross-Functional Skills");
  const Occupation& dev = fw->occupations()[*fw->FindOccupation("15-1252.00")];
  EXPECT_EQ(dev.label, "Software Developers");
  int essential = 0;
  for (const OccupationSkill& s : dev.skills) {
    ASSERT_TRUE(s.importance);
    EXPECT_EQ(s.relation == RelationType::kEssential, *s.importance >= 3.0f);
    essential += s.relation == RelationType::kEssential;
    if (s.skill == *prog) {
      EXPECT_FLOAT_EQ(*s.importance, 4.1f);
      EXPECT_FLOAT_EQ(*s.level, 5.0f);
    }
  }
  EXPECT_EQ(essential, 9);
  // "Not Relevant" = Y drops the level.
  const Occupation& nurse =
      fw->occupations()[*fw->FindOccupation("29-1141.00")];
  for (const OccupationSkill& s : nurse.skills) {
    if (s.skill == *prog) {
      EXPECT_FALSE(s.level);
    }
  }
}

TEST(ImportOnet, BadNumberNamesPosition) {
  MemoryFileProvider files;
  files.Add("Occupation Data.txt",
            "O*NET-SOC Code\tTitle\tDescription\n1-1\tX\t\n");
  files.Add("Skills.txt",
            "O*NET-SOC Code\tElement ID\tElement Name\tScale ID\tData Value\n"
            "1-1\t2.A.1.a\tReading\tIM\tfour\n");
  auto fw = ImportOnet(files);
  ASSERT_FALSE(fw.ok());
  EXPECT_EQ(fw.error().message(),
            "Skills.txt:2:24: Data Value is not a number: \"four\"");
}

}  // namespace
}  // namespace credstack::pathways
