#pragma once

// The skills-area repositories (skills_repositories.h) over SqlConn.
// Internal to store/.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/store/internal/sql.h"
#include "credstack/store/skills_repositories.h"

namespace credstack::store::internal {

class SqlSkillFrameworkRepository final : public SkillFrameworkRepository {
 public:
  explicit SqlSkillFrameworkRepository(SqlConn& db) : db_(db) {}
  Result<FrameworkImport> Import(std::string_view id,
                                 const pathways::Framework& framework,
                                 Timestamp now) override;
  Result<SkillFramework> Get(std::string_view id) override;
  Result<std::vector<SkillFramework>> List() override;
  Result<pathways::Framework> Load(std::string_view id) override;
  Result<FrameworkCounts> Count(std::string_view id) override;
  Status IndexAchievement(std::span<const AchievementSkill> skills) override;
  Result<std::vector<AchievementSkill>> AchievementsTeaching(
      std::string_view skill_id, int64_t limit) override;
  Result<int64_t> AchievementVersionCount() override;
  Status PutPlanning(const AchievementPlanning& planning) override;
  Result<AchievementPlanning> GetPlanning(
      std::string_view achievement_id) override;
  Result<std::vector<AchievementPlanning>> ListPlanning() override;
  Result<std::string> PlanningRevision() override;

 private:
  SqlConn& db_;
};

class SqlLearnerRepository final : public LearnerRepository {
 public:
  explicit SqlLearnerRepository(SqlConn& db) : db_(db) {}
  Status Insert(const Learner& learner) override;
  Result<Learner> Get(std::string_view id) override;
  Result<Learner> FindByTokenHash(ByteView token_hash) override;
  Result<Learner> FindByDid(std::string_view did) override;
  Result<Learner> FindByEmail(std::string_view email) override;
  Result<std::vector<Learner>> List(std::string_view after_id,
                                    int64_t limit) override;
  Result<bool> AddCredential(const LearnerCredential& credential) override;
  Result<std::vector<LearnerCredential>> ListCredentials(
      std::string_view learner_id) override;
  Result<std::vector<std::string>> LearnersWithCredential(
      std::string_view credential_id) override;
  Result<int64_t> Count() override;

 private:
  Result<Learner> One(std::string_view where_sql, SqlParam param,
                      std::string_view what);
  Status FillEmails(Learner& learner);
  SqlConn& db_;
};

class SqlPathwayRepository final : public PathwayRepository {
 public:
  explicit SqlPathwayRepository(SqlConn& db) : db_(db) {}
  Status Insert(const PathwayRecord& pathway) override;
  Result<PathwayRecord> Get(std::string_view id) override;
  Result<std::vector<PathwayRecord>> List(std::string_view org_id,
                                          std::string_view after_id,
                                          int64_t limit) override;
  Result<std::vector<std::string>> Mentioning(
      std::span<const std::string> achievement_ids) override;
  Result<RecordedAward> RecordAward(const PathwayAward& award) override;
  Result<PathwayAward> GetAward(std::string_view pathway_id,
                                std::string_view learner_id) override;
  Result<std::vector<PathwayAward>> ListAwards(
      std::string_view learner_id) override;
  Result<int64_t> Count() override;

 private:
  Status FillComponents(PathwayRecord& p);
  SqlConn& db_;
};

}  // namespace credstack::store::internal
