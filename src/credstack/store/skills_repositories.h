#pragma once

// Repositories of the skills area (issue 6): skills frameworks, the skill
// alignment index of achievements, learners and their credentials, and
// stackable pathways with their awards. Same rules as repositories.h: they
// live inside one transaction, uniqueness comes from constraints
// (kAlreadyExists), missing rows are kNotFound. Tables: migration 0004,
// docs/formats/schema.md ("Skills, learners and pathways").

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/base/bytes.h"
#include "credstack/base/status.h"
#include "credstack/base/time.h"
#include "credstack/pathways/framework.h"

namespace credstack::store {

// ---- Skills frameworks ------------------------------------------------------

struct SkillFramework {
  std::string id;  // short key chosen by the importer, e.g. "esco"
  std::string name;
  std::string version;
  std::string attribution;  // "ESCO, European Commission"
  std::string format;       // "esco", "esco-sample", "onet", "snapshot"
  // 1 after the first import; +1 for every import that changed something,
  // so caches of the framework know when to reload.
  int64_t revision = 0;
  Timestamp imported;  // first import
  Timestamp updated;   // last import that changed something
};

struct FrameworkImport {
  SkillFramework framework;  // as stored after the import
  bool created = false;      // first import under this id
  // What a re-import changed (by concept id); empty for a first import.
  pathways::FrameworkDiff diff;
};

struct FrameworkCounts {
  int64_t skills = 0;
  int64_t groups = 0;
  int64_t occupations = 0;
  int64_t occupation_skills = 0;
  int64_t broader = 0;  // group->group, skill->group and skill->skill rows
};

// One skill an achievement version aligns to (OB 3.0 Alignment).
struct AchievementSkill {
  std::string achievement_id;  // store id (achievements.id)
  int64_t version = 0;
  std::string skill_id;
  std::string target_name;
};

// Planning attributes of an achievement (table achievement_planning):
// docs/formats/catalog.md members kept beside the Achievement JSON.
struct AchievementPlanning {
  std::string achievement_id;  // store id (achievements.id)
  double hours = 0;            // >= 0, stored in thousandths
  double price = 0;
  std::string currency;
  std::optional<double> credits;  // unset: the Achievement's creditsAvailable
  std::optional<int64_t> level;
  std::vector<std::string> prerequisites;  // Achievement.id values
  Timestamp updated;
};

class SkillFrameworkRepository {
 public:
  virtual ~SkillFrameworkRepository() = default;
  // Stores `framework` under `id` in this transaction. A first import
  // inserts every concept and relation (batched statements); a re-import
  // applies pathways::DiffFrameworks(stored, framework) in place: removed
  // concepts are deleted, changed ones updated with their relations
  // replaced, added ones inserted, and the revision goes up when anything
  // (including name/version/attribution) changed. Either way the caller's
  // transaction makes it all-or-nothing.
  virtual Result<FrameworkImport> Import(std::string_view id,
                                         const pathways::Framework& framework,
                                         Timestamp now) = 0;
  virtual Result<SkillFramework> Get(std::string_view id) = 0;
  // Every framework, by id.
  virtual Result<std::vector<SkillFramework>> List() = 0;
  // Rebuilds the in-memory framework from its rows.
  virtual Result<pathways::Framework> Load(std::string_view id) = 0;
  virtual Result<FrameworkCounts> Count(std::string_view id) = 0;

  // --- Alignment index of achievement versions.
  // Records the skills of one achievement version (idempotent: rows already
  // there are kept).
  virtual Status IndexAchievement(std::span<const AchievementSkill> skills) = 0;
  // Achievement versions teaching a skill, by achievement id.
  virtual Result<std::vector<AchievementSkill>> AchievementsTeaching(
      std::string_view skill_id, int64_t limit) = 0;
  // Number of achievement versions in the store. Versions are immutable and
  // never deleted, so this changes exactly when the catalog may have.
  virtual Result<int64_t> AchievementVersionCount() = 0;

  // --- Planning attributes.
  // Inserts or replaces. kFailedPrecondition when the achievement does not
  // exist; kInvalidArgument for negative amounts.
  virtual Status PutPlanning(const AchievementPlanning& planning) = 0;
  virtual Result<AchievementPlanning> GetPlanning(
      std::string_view achievement_id) = 0;
  // Every row (the catalog reads them all).
  virtual Result<std::vector<AchievementPlanning>> ListPlanning() = 0;
  // Changes whenever a planning row is written (row count and the sum of
  // per-row write counters), so catalog caches know when to rebuild.
  virtual Result<std::string> PlanningRevision() = 0;
};

// ---- Learners ---------------------------------------------------------------

struct Learner {
  std::string id;
  // The organization that manages the learner (its API keys may act for
  // the learner); unset for self-registered learners.
  std::optional<std::string> org_id;
  std::optional<std::string> did;
  std::vector<std::string> emails;  // normalized (trimmed, lowercase)
  std::string display_name;
  Bytes token_hash;  // SHA-256 of the learner's access token
  Timestamp created;
};

enum class LearnerCredentialSource { kIssued, kUploaded };
std::string_view LearnerCredentialSourceName(LearnerCredentialSource s);

struct LearnerCredential {
  std::string learner_id;
  // The credential's "id", or "sha256:<hex of the content hash>" when it
  // has none. Unique per learner.
  std::string credential_key;
  LearnerCredentialSource source = LearnerCredentialSource::kUploaded;
  // kIssued: the credentials row; its JSON is read from there.
  std::optional<std::string> credential_id;
  std::string credential_json;  // kUploaded: stored; kIssued: filled on read
  Bytes content_hash;
  std::string issuer;          // issuer id (DID or URL)
  std::string achievement_id;  // credentialSubject.achievement.id, or ""
  Timestamp added;
};

class LearnerRepository {
 public:
  virtual ~LearnerRepository() = default;
  // Inserts the learner and its emails. kAlreadyExists when the id, the
  // DID, an email or the token hash is taken.
  virtual Status Insert(const Learner& learner) = 0;
  virtual Result<Learner> Get(std::string_view id) = 0;
  virtual Result<Learner> FindByTokenHash(ByteView token_hash) = 0;
  virtual Result<Learner> FindByDid(std::string_view did) = 0;
  virtual Result<Learner> FindByEmail(std::string_view email) = 0;
  // Ordered by id; ids strictly greater than after_id.
  virtual Result<std::vector<Learner>> List(std::string_view after_id,
                                            int64_t limit) = 0;
  // Links a credential to the learner. Returns false (and stores nothing)
  // when the learner already has that credential_key with the same content;
  // an upload with other content replaces an uploaded copy (the learner's
  // latest copy counts), never an issued link.
  virtual Result<bool> AddCredential(const LearnerCredential& credential) = 0;
  // The learner's credentials, oldest first, with credential_json filled.
  virtual Result<std::vector<LearnerCredential>> ListCredentials(
      std::string_view learner_id) = 0;
  // Learners linked to a credential issued by this deployment.
  virtual Result<std::vector<std::string>> LearnersWithCredential(
      std::string_view credential_id) = 0;
  virtual Result<int64_t> Count() = 0;
};

// ---- Stackable pathways -----------------------------------------------------

struct PathwayRecord {
  std::string id;
  std::string org_id;           // the owner, issuer of the stacked credential
  std::string achievement_id;   // the stacked achievement (achievements.id)
  std::string definition_json;  // docs/formats/pathway.md
  // Achievement ids the rules name (pathway_components).
  std::vector<std::string> components;
  Timestamp created;
  Timestamp updated;
};

struct PathwayAward {
  std::string pathway_id;
  std::string learner_id;
  std::string credential_id;  // the stacked credential
  Timestamp awarded;
};

struct RecordedAward {
  PathwayAward award;    // as stored (the earlier one when not created)
  bool created = false;  // false when the pair was already awarded
};

class PathwayRepository {
 public:
  virtual ~PathwayRepository() = default;
  // Inserts the pathway and its components. kAlreadyExists when the id is
  // taken; kFailedPrecondition when the organization or achievement does
  // not exist.
  virtual Status Insert(const PathwayRecord& pathway) = 0;
  virtual Result<PathwayRecord> Get(std::string_view id) = 0;
  // Ordered by id; ids strictly greater than after_id. Empty org_id: all.
  virtual Result<std::vector<PathwayRecord>> List(std::string_view org_id,
                                                  std::string_view after_id,
                                                  int64_t limit) = 0;
  // Ids of the pathways whose rules name any of the achievements.
  virtual Result<std::vector<std::string>> Mentioning(
      std::span<const std::string> achievement_ids) = 0;
  // Records the award; exactly one per (pathway, learner), also when
  // several nodes race (the primary key).
  virtual Result<RecordedAward> RecordAward(const PathwayAward& award) = 0;
  virtual Result<PathwayAward> GetAward(std::string_view pathway_id,
                                        std::string_view learner_id) = 0;
  virtual Result<std::vector<PathwayAward>> ListAwards(
      std::string_view learner_id) = 0;
  virtual Result<int64_t> Count() = 0;
};

}  // namespace credstack::store
