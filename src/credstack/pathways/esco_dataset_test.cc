// Imports the full official ESCO v1.1.1 download (../shared/datasets). Not a
// unit test: it reads 40 MB, so it is labelled "dataset" and skipped under
// the sanitizer pass. Speed is measured in bench/pathways, not here.

#include <gtest/gtest.h>

#include <filesystem>

#include "credstack/pathways/import.h"
#include "credstack/pathways/testing/dir_file_provider.h"

namespace credstack::pathways {
namespace {

namespace fs = std::filesystem;

TEST(ImportEsco, FullVersion111) {
  fs::path dir = fs::path(CREDSTACK_SOURCE_DIR) / ".." / "shared" / "datasets" /
                 "esco-v1.1.1";
  if (!fs::exists(dir)) GTEST_SKIP() << "dataset not present: " << dir;
  testing::DirFileProvider files(dir);
  auto fw = ImportEsco(files, {.version = "1.1.1"});
  ASSERT_TRUE(fw.ok()) << fw.error().ToString();
  EXPECT_EQ(fw->skills().size(), 13896u);
  EXPECT_EQ(fw->groups().size(), 640u);
  EXPECT_EQ(fw->occupations().size(), 3007u);
  // 123,855 rows, of which 67 name the one occupation missing from
  // occupations_en.csv.
  EXPECT_EQ(fw->relation_count(), 123855u - 67u);
  for (const auto& w : fw->warnings().examples)
    std::cout << "warning: " << w << "\n";
  std::cout << "warnings: " << fw->warnings().count << "\n";
  // Level 0 of the skills pillar: skills, knowledge, language skills and
  // knowledge, transversal skills and competences.
  int top = 0;
  for (const SkillGroup& g : fw->groups()) top += g.level == 0;
  EXPECT_EQ(top, 4);
  auto s = fw->FindSkill(
      "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab");
  ASSERT_TRUE(s);
  EXPECT_EQ(fw->skills()[*s].label, "manage musical staff");
  auto levels = fw->GroupsAtLevel(*s, 1);
  ASSERT_FALSE(levels.empty());
  for (uint32_t g : levels) {
    EXPECT_EQ(fw->groups()[g].level, 1);
    EXPECT_FALSE(fw->groups()[g].code.empty()) << fw->groups()[g].id;
  }
  // Every skill reaches a top-level group.
  size_t orphans = 0;
  for (uint32_t i = 0; i < fw->skills().size(); ++i) {
    orphans += fw->GroupsAtLevel(i, 0).empty();
  }
  EXPECT_EQ(orphans, 0u);
  // The sample is a subset of the same release: same ids, labels and types.
  fs::path sample_dir = dir.parent_path() / "esco-v1.1.1-sample";
  if (fs::exists(sample_dir)) {
    testing::DirFileProvider sfiles(sample_dir);
    auto sample = ImportEscoSample(sfiles, {.version = "1.1.1"});
    ASSERT_TRUE(sample.ok()) << sample.error().ToString();
    FrameworkDiff d = DiffFrameworks(*fw, *sample);
    EXPECT_TRUE(d.added_skills.empty());
    EXPECT_TRUE(d.added_occupations.empty());
    EXPECT_EQ(d.removed_skills.size(), 13896u - 1000u);
    for (const Skill& sk : sample->skills()) {
      auto i = fw->FindSkill(sk.id);
      ASSERT_TRUE(i);
      EXPECT_EQ(fw->skills()[*i].label, sk.label);
      EXPECT_EQ(fw->skills()[*i].type, sk.type);
    }
  }
}

}  // namespace
}  // namespace credstack::pathways
