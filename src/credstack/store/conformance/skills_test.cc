// Skills frameworks, the alignment index, learners, pathways and awards.

#include <atomic>
#include <thread>

#include "credstack/pathways/framework.h"
#include "credstack/store/conformance/conformance.h"

namespace credstack::store::testing {
namespace {

namespace pw = credstack::pathways;

template <typename B>
using SkillsStoreTest = StoreTest<B>;
TYPED_TEST_SUITE(SkillsStoreTest, Backends, BackendNames);

// Version 1: groups g:S > g:S1, g:S2; skills s:1..s:4 (s:2 under s:1);
// occupation o:dev needs s:1, s:4 (essential, O*NET-style ratings) and s:3
// (optional). Version 2 removes s:3, relabels s:2, adds s:5 under a new
// group g:S3, and o:dev needs s:5 instead of s:3; o:ops is new.
pw::Framework MakeFramework(int version) {
  pw::Framework::Builder b({.name = "ESCO",
                            .version = version == 1 ? "1.0" : "1.1",
                            .attribution = "ESCO, European Commission",
                            .format = "esco"});
  uint32_t S = b.AddGroup({.id = "g:S", .label = "skills", .code = "S"});
  uint32_t S1 = b.AddGroup({.id = "g:S1", .label = "communication"});
  uint32_t S2 = b.AddGroup(
      {.id = "g:S2", .label = "ICT", .description = "digital skills"});
  std::optional<uint32_t> S3;
  if (version == 2) S3 = b.AddGroup({.id = "g:S3", .label = "new group"});
  std::vector<std::string> skills = {"s:1", "s:2", "s:4"};
  if (version == 1) skills.push_back("s:3");
  if (version == 2) skills.push_back("s:5");
  for (const std::string& id : skills) {
    pw::Skill s{.id = id, .label = "skill " + id, .description = "d " + id};
    if (id == "s:2" && version == 2) s.label = "renamed";
    s.type = pw::SkillType::kSkillCompetence;
    s.reuse = pw::ReuseLevel::kCrossSector;
    b.AddSkill(std::move(s));
  }
  b.AddOccupation({.id = "o:dev",
                   .label = "developer",
                   .code = "2512.1",
                   .isco_group = "2512",
                   .description = "writes software"});
  if (version == 2) b.AddOccupation({.id = "o:ops", .label = "operator"});
  CREDSTACK_CHECK(b.IndexConcepts().ok());
  b.group(S1).broader = {S};
  b.group(S2).broader = {S};
  if (S3) b.group(*S3).broader = {S};
  b.skill(*b.FindSkill("s:1")).broader_groups = {S1};
  b.skill(*b.FindSkill("s:2")).broader_skills = {*b.FindSkill("s:1")};
  b.skill(*b.FindSkill("s:4")).broader_groups = {S2};
  if (version == 1) b.skill(*b.FindSkill("s:3")).broader_groups = {S2};
  if (version == 2) b.skill(*b.FindSkill("s:5")).broader_groups = {*S3};
  pw::Occupation& dev = b.occupation(*b.FindOccupation("o:dev"));
  dev.skills.push_back({.skill = *b.FindSkill("s:1"),
                        .relation = pw::RelationType::kEssential,
                        .importance = 4.125f,
                        .level = 3.5f});
  dev.skills.push_back(
      {.skill = *b.FindSkill("s:4"), .relation = pw::RelationType::kEssential});
  dev.skills.push_back({.skill = *b.FindSkill(version == 1 ? "s:3" : "s:5"),
                        .relation = pw::RelationType::kOptional});
  if (version == 2) {
    b.occupation(*b.FindOccupation("o:ops"))
        .skills.push_back({.skill = *b.FindSkill("s:4"),
                           .relation = pw::RelationType::kEssential});
  }
  auto fw = std::move(b).Finish();
  CREDSTACK_CHECK(fw.ok());
  return std::move(fw).value();
}

TYPED_TEST(SkillsStoreTest, FrameworkImportRoundTrips) {
  Store& s = this->store();
  pw::Framework v1 = MakeFramework(1);
  Result<FrameworkImport> imported = InternalError("unset");
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    imported = tx.skill_frameworks().Import("esco", v1, T(100));
    return imported.status();
  }));
  ASSERT_TRUE(imported.ok());
  EXPECT_TRUE(imported->created);
  EXPECT_EQ(imported->framework.revision, 1);
  EXPECT_EQ(imported->framework.version, "1.0");
  EXPECT_EQ(imported->framework.attribution, "ESCO, European Commission");
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(FrameworkCounts c,
                               tx.skill_frameworks().Count("esco"));
    EXPECT_EQ(c.skills, 4);
    EXPECT_EQ(c.groups, 3);
    EXPECT_EQ(c.occupations, 1);
    EXPECT_EQ(c.occupation_skills, 3);
    EXPECT_EQ(c.broader, 2 + 3 + 1);
    CREDSTACK_ASSIGN_OR_RETURN(pw::Framework loaded,
                               tx.skill_frameworks().Load("esco"));
    EXPECT_TRUE(pw::DiffFrameworks(loaded, v1).empty());
    EXPECT_EQ(loaded.info().name, "ESCO");
    EXPECT_EQ(loaded.info().version, "1.0");
    const pw::Occupation& dev =
        loaded.occupations()[*loaded.FindOccupation("o:dev")];
    EXPECT_EQ(dev.isco_group, "2512");
    EXPECT_EQ(dev.description, "writes software");
    bool rated = false;
    for (const pw::OccupationSkill& r : dev.skills) {
      if (loaded.skills()[r.skill].id != "s:1") continue;
      rated = true;
      EXPECT_FLOAT_EQ(r.importance.value_or(0), 4.125f);
      EXPECT_FLOAT_EQ(r.level.value_or(0), 3.5f);
    }
    EXPECT_TRUE(rated);
    const pw::Skill& s1 = loaded.skills()[*loaded.FindSkill("s:1")];
    EXPECT_EQ(s1.type, pw::SkillType::kSkillCompetence);
    EXPECT_EQ(s1.reuse, pw::ReuseLevel::kCrossSector);
    EXPECT_EQ(loaded.GroupsAtLevel(*loaded.FindSkill("s:2"), 0),
              std::vector<uint32_t>{*loaded.FindGroup("g:S")});
    CREDSTACK_ASSIGN_OR_RETURN(auto all, tx.skill_frameworks().List());
    EXPECT_EQ(all.size(), 1u);
    EXPECT_EQ(tx.skill_frameworks().Get("onet").status().code(),
              Code::kNotFound);
    return OkStatus();
  }));
}

TYPED_TEST(SkillsStoreTest, ReimportUpdatesInPlace) {
  Store& s = this->store();
  pw::Framework v1 = MakeFramework(1), v2 = MakeFramework(2);
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) {
    return tx.skill_frameworks().Import("esco", v1, T(100)).status();
  }));
  Result<FrameworkImport> second = InternalError("unset");
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    second = tx.skill_frameworks().Import("esco", v2, T(200));
    return second.status();
  }));
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->framework.revision, 2);
  EXPECT_EQ(second->framework.version, "1.1");
  EXPECT_EQ(second->framework.imported, T(100));
  EXPECT_EQ(second->framework.updated, T(200));
  EXPECT_EQ(second->diff.removed_skills, std::vector<std::string>{"s:3"});
  EXPECT_EQ(second->diff.added_skills, std::vector<std::string>{"s:5"});
  EXPECT_EQ(second->diff.changed_skills, std::vector<std::string>{"s:2"});
  EXPECT_EQ(second->diff.changed_occupations,
            std::vector<std::string>{"o:dev"});
  EXPECT_EQ(second->diff.added_occupations, std::vector<std::string>{"o:ops"});
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(pw::Framework loaded,
                               tx.skill_frameworks().Load("esco"));
    pw::FrameworkDiff d = pw::DiffFrameworks(loaded, v2);
    EXPECT_TRUE(d.empty());
    EXPECT_EQ(loaded.skills()[*loaded.FindSkill("s:2")].label, "renamed");
    EXPECT_FALSE(loaded.FindSkill("s:3").has_value());
    CREDSTACK_ASSIGN_OR_RETURN(FrameworkCounts c,
                               tx.skill_frameworks().Count("esco"));
    EXPECT_EQ(c.skills, 4);
    EXPECT_EQ(c.occupations, 2);
    EXPECT_EQ(c.occupation_skills, 4);
    return OkStatus();
  }));
  // The same data again changes nothing, not even the revision.
  Result<FrameworkImport> third = InternalError("unset");
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    third = tx.skill_frameworks().Import("esco", MakeFramework(2), T(300));
    return third.status();
  }));
  EXPECT_TRUE(third->diff.empty());
  EXPECT_EQ(third->framework.revision, 2);
  EXPECT_EQ(third->framework.updated, T(200));
  // And back to version 1 (removing what v2 added) works too.
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) {
    return tx.skill_frameworks().Import("esco", v1, T(400)).status();
  }));
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(pw::Framework loaded,
                               tx.skill_frameworks().Load("esco"));
    EXPECT_TRUE(pw::DiffFrameworks(loaded, v1).empty());
    return OkStatus();
  }));
}

TYPED_TEST(SkillsStoreTest, FailedImportLeavesNothing) {
  Store& s = this->store();
  pw::Framework v1 = MakeFramework(1);
  Status st = s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(
        tx.skill_frameworks().Import("esco", v1, T(100)).status());
    return InvalidArgumentError("a later step failed");
  });
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    EXPECT_EQ(tx.skill_frameworks().Get("esco").status().code(),
              Code::kNotFound);
    CREDSTACK_ASSIGN_OR_RETURN(FrameworkCounts c,
                               tx.skill_frameworks().Count("esco"));
    EXPECT_EQ(
        c.skills + c.groups + c.occupations + c.occupation_skills + c.broader,
        0);
    return OkStatus();
  }));
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.skill_frameworks().Import("", v1, T(1)).status();
             }).code(),
            Code::kInvalidArgument);
}

TYPED_TEST(SkillsStoreTest, AlignmentIndex) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  std::vector<AchievementSkill> skills = {{.achievement_id = AchId("o1"),
                                           .version = 1,
                                           .skill_id = "s:1",
                                           .target_name = "one"},
                                          {.achievement_id = AchId("o1"),
                                           .version = 1,
                                           .skill_id = "s:2",
                                           .target_name = "two"}};
  for (int i = 0; i < 2; ++i) {  // idempotent
    CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) {
      return tx.skill_frameworks().IndexAchievement(skills);
    }));
  }
  // A version that does not exist is refused by the foreign key.
  std::vector<AchievementSkill> bad = {
      {.achievement_id = AchId("o1"), .version = 9, .skill_id = "s:1"}};
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.skill_frameworks().IndexAchievement(bad);
             }).code(),
            Code::kFailedPrecondition);
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(
        auto teach, tx.skill_frameworks().AchievementsTeaching("s:2", 10));
    EXPECT_EQ(teach.size(), 1u);
    EXPECT_EQ(teach[0].achievement_id, AchId("o1"));
    EXPECT_EQ(teach[0].target_name, "two");
    CREDSTACK_ASSIGN_OR_RETURN(int64_t n,
                               tx.skill_frameworks().AchievementVersionCount());
    EXPECT_EQ(n, 1);
    return OkStatus();
  }));
}

TYPED_TEST(SkillsStoreTest, PlanningAttributes) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  std::string rev0;
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(rev0, tx.skill_frameworks().PlanningRevision());
    return OkStatus();
  }));
  AchievementPlanning p{.achievement_id = AchId("o1"),
                        .hours = 12.5,
                        .price = 99.99,
                        .currency = "EUR",
                        .credits = 2.5,
                        .level = 4,
                        .prerequisites = {"urn:a \"quoted\"", "urn:b"},
                        .updated = T(10)};
  CREDSTACK_ASSERT_OK(
      s.Transact([&](Tx& tx) { return tx.skill_frameworks().PutPlanning(p); }));
  p.hours = 3;
  p.credits.reset();
  p.level.reset();
  p.updated = T(11);
  CREDSTACK_ASSERT_OK(  // upsert
      s.Transact([&](Tx& tx) { return tx.skill_frameworks().PutPlanning(p); }));
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(AchievementPlanning got,
                               tx.skill_frameworks().GetPlanning(AchId("o1")));
    EXPECT_DOUBLE_EQ(got.hours, 3);
    EXPECT_DOUBLE_EQ(got.price, 99.99);
    EXPECT_EQ(got.currency, "EUR");
    EXPECT_FALSE(got.credits.has_value());
    EXPECT_FALSE(got.level.has_value());
    EXPECT_EQ(got.prerequisites, p.prerequisites);
    EXPECT_EQ(got.updated, T(11));
    CREDSTACK_ASSIGN_OR_RETURN(auto all, tx.skill_frameworks().ListPlanning());
    EXPECT_EQ(all.size(), 1u);
    CREDSTACK_ASSIGN_OR_RETURN(std::string rev,
                               tx.skill_frameworks().PlanningRevision());
    EXPECT_NE(rev, rev0);
    EXPECT_EQ(tx.skill_frameworks().GetPlanning("nope").status().code(),
              Code::kNotFound);
    return OkStatus();
  }));
  AchievementPlanning orphan = p;
  orphan.achievement_id = "no-such-achievement";
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.skill_frameworks().PutPlanning(orphan);
             }).code(),
            Code::kFailedPrecondition);
  AchievementPlanning negative = p;
  negative.price = -1;
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.skill_frameworks().PutPlanning(negative);
             }).code(),
            Code::kInvalidArgument);
}

Learner MakeLearner(std::string_view id, std::optional<std::string> did,
                    std::vector<std::string> emails, uint8_t token) {
  return Learner{.id = std::string(id),
                 .did = std::move(did),
                 .emails = std::move(emails),
                 .display_name = "Learner " + std::string(id),
                 .token_hash = Bytes(32, token),
                 .created = T(1'700'000'500)};
}

TYPED_TEST(SkillsStoreTest, LearnersAndTheirCredentials) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  Learner a = MakeLearner("l1", "did:example:alice", {"a@x.org", "b@x.org"}, 1);
  a.org_id = "o1";
  CREDSTACK_ASSERT_OK(
      s.Transact([&](Tx& tx) { return tx.learners().Insert(a); }));
  // DID, emails and token are unique across learners.
  for (Learner dup : {MakeLearner("l2", "did:example:alice", {}, 2),
                      MakeLearner("l2", std::nullopt, {"b@x.org"}, 2),
                      MakeLearner("l2", std::nullopt, {}, 1),
                      MakeLearner("l1", std::nullopt, {}, 3)}) {
    EXPECT_EQ(
        s.Transact([&](Tx& tx) { return tx.learners().Insert(dup); }).code(),
        Code::kAlreadyExists);
  }
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) {
    return tx.learners().Insert(MakeLearner("l2", std::nullopt, {}, 2));
  }));
  Credential issued = MakeCredential("o1", "urn:uuid:c1", AchId("o1"), "k1");
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.credentials().Insert(issued).status());
    LearnerCredential link{.learner_id = "l1",
                           .credential_key = issued.id,
                           .source = LearnerCredentialSource::kIssued,
                           .credential_id = issued.id,
                           .content_hash = issued.content_hash,
                           .issuer = "did:web:x",
                           .achievement_id = "urn:a",
                           .added = T(10)};
    CREDSTACK_ASSIGN_OR_RETURN(bool added, tx.learners().AddCredential(link));
    EXPECT_TRUE(added);
    CREDSTACK_ASSIGN_OR_RETURN(added, tx.learners().AddCredential(link));
    EXPECT_FALSE(added);
    LearnerCredential upload{.learner_id = "l1",
                             .credential_key = "urn:foreign",
                             .source = LearnerCredentialSource::kUploaded,
                             .credential_json = R"({"id":"urn:foreign"})",
                             .content_hash = Bytes(32, 9),
                             .issuer = "did:key:z6Mk",
                             .achievement_id = "urn:b",
                             .added = T(20)};
    CREDSTACK_ASSIGN_OR_RETURN(added, tx.learners().AddCredential(upload));
    EXPECT_TRUE(added);
    CREDSTACK_ASSIGN_OR_RETURN(added, tx.learners().AddCredential(upload));
    EXPECT_FALSE(added);  // same content
    // Another copy of the same credential replaces the uploaded one.
    LearnerCredential newer = upload;
    newer.credential_json = R"({"id":"urn:foreign","v":2})";
    newer.content_hash = Bytes(32, 8);
    CREDSTACK_ASSIGN_OR_RETURN(added, tx.learners().AddCredential(newer));
    EXPECT_TRUE(added);
    return OkStatus();
  }));
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(Learner got, tx.learners().Get("l1"));
    EXPECT_EQ(got.org_id, std::optional<std::string>("o1"));
    EXPECT_EQ(got.did, std::optional<std::string>("did:example:alice"));
    EXPECT_EQ(got.emails, (std::vector<std::string>{"a@x.org", "b@x.org"}));
    EXPECT_EQ(got.token_hash, Bytes(32, 1));
    CREDSTACK_ASSIGN_OR_RETURN(Learner by_email,
                               tx.learners().FindByEmail("b@x.org"));
    EXPECT_EQ(by_email.id, "l1");
    CREDSTACK_ASSIGN_OR_RETURN(Learner by_did,
                               tx.learners().FindByDid("did:example:alice"));
    EXPECT_EQ(by_did.id, "l1");
    CREDSTACK_ASSIGN_OR_RETURN(Learner by_token,
                               tx.learners().FindByTokenHash(Bytes(32, 2)));
    EXPECT_EQ(by_token.id, "l2");
    EXPECT_FALSE(by_token.did.has_value());
    EXPECT_EQ(tx.learners().FindByEmail("z@x.org").status().code(),
              Code::kNotFound);
    CREDSTACK_ASSIGN_OR_RETURN(auto creds, tx.learners().ListCredentials("l1"));
    EXPECT_EQ(creds.size(), 2u);
    EXPECT_EQ(creds[0].source, LearnerCredentialSource::kIssued);
    EXPECT_EQ(creds[0].credential_json, issued.credential_json);
    EXPECT_EQ(creds[0].achievement_id, "urn:a");
    EXPECT_EQ(creds[1].credential_json, R"({"id":"urn:foreign","v":2})");
    EXPECT_EQ(creds[1].issuer, "did:key:z6Mk");
    CREDSTACK_ASSIGN_OR_RETURN(auto who,
                               tx.learners().LearnersWithCredential(issued.id));
    EXPECT_EQ(who, std::vector<std::string>{"l1"});
    CREDSTACK_ASSIGN_OR_RETURN(auto all, tx.learners().List("", 10));
    EXPECT_EQ(all.size(), 2u);
    CREDSTACK_ASSIGN_OR_RETURN(int64_t n, tx.learners().Count());
    EXPECT_EQ(n, 2);
    return OkStatus();
  }));
  // An issued link must name a stored credential.
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.learners()
                   .AddCredential({.learner_id = "l2",
                                   .credential_key = "urn:none",
                                   .source = LearnerCredentialSource::kIssued,
                                   .credential_id = "urn:none",
                                   .content_hash = Bytes(32, 1)})
                   .status();
             }).code(),
            Code::kFailedPrecondition);
}

PathwayRecord MakePathway(std::string_view id, std::string_view org) {
  return PathwayRecord{.id = std::string(id),
                       .org_id = std::string(org),
                       .achievement_id = AchId(org),
                       .definition_json = R"({"id":"p"})",
                       .components = {"urn:a", "urn:b"},
                       .created = T(50),
                       .updated = T(50)};
}

TYPED_TEST(SkillsStoreTest, PathwaysAndComponents) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o2"));
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.pathways().Insert(MakePathway("p1", "o1")));
    PathwayRecord p2 = MakePathway("p2", "o2");
    p2.components = {"urn:b", "urn:c"};
    return tx.pathways().Insert(p2);
  }));
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.pathways().Insert(MakePathway("p1", "o1"));
             }).code(),
            Code::kAlreadyExists);
  PathwayRecord orphan = MakePathway("p3", "o1");
  orphan.achievement_id = "no-such-achievement";
  EXPECT_EQ(
      s.Transact([&](Tx& tx) { return tx.pathways().Insert(orphan); }).code(),
      Code::kFailedPrecondition);
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(PathwayRecord p, tx.pathways().Get("p1"));
    EXPECT_EQ(p.org_id, "o1");
    EXPECT_EQ(p.definition_json, R"({"id":"p"})");
    EXPECT_EQ(p.components, (std::vector<std::string>{"urn:a", "urn:b"}));
    CREDSTACK_ASSIGN_OR_RETURN(auto of_o2, tx.pathways().List("o2", "", 10));
    EXPECT_EQ(of_o2.size(), 1u);
    CREDSTACK_ASSIGN_OR_RETURN(auto all, tx.pathways().List("", "", 10));
    EXPECT_EQ(all.size(), 2u);
    std::vector<std::string> ids = {"urn:b"};
    CREDSTACK_ASSIGN_OR_RETURN(auto m, tx.pathways().Mentioning(ids));
    EXPECT_EQ(m, (std::vector<std::string>{"p1", "p2"}));
    ids = {"urn:c", "urn:zz"};
    CREDSTACK_ASSIGN_OR_RETURN(m, tx.pathways().Mentioning(ids));
    EXPECT_EQ(m, std::vector<std::string>{"p2"});
    EXPECT_EQ(tx.pathways().Get("nope").status().code(), Code::kNotFound);
    return OkStatus();
  }));
}

// Awards are exactly once per (pathway, learner), also when several nodes
// record concurrently.
TYPED_TEST(SkillsStoreTest, AwardIsRecordedExactlyOnce) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.pathways().Insert(MakePathway("p1", "o1")));
    CREDSTACK_RETURN_IF_ERROR(
        tx.learners().Insert(MakeLearner("l1", std::nullopt, {}, 1)));
    for (int i = 0; i < 8; ++i) {
      CREDSTACK_RETURN_IF_ERROR(
          tx.credentials()
              .Insert(MakeCredential("o1", "urn:uuid:s" + std::to_string(i),
                                     AchId("o1"), std::nullopt))
              .status());
    }
    return OkStatus();
  }));
  std::unique_ptr<Store> other = this->OpenAnother();
  ASSERT_NE(other, nullptr);
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Store& node = i % 2 == 0 ? s : *other;
      Status st = node.Transact([&](Tx& tx) -> Status {
        CREDSTACK_ASSIGN_OR_RETURN(
            RecordedAward r,
            tx.pathways().RecordAward(
                {.pathway_id = "p1",
                 .learner_id = "l1",
                 .credential_id = "urn:uuid:s" + std::to_string(i),
                 .awarded = T(60 + i)}));
        if (r.created) ++created;
        EXPECT_EQ(r.award.pathway_id, "p1");
        return OkStatus();
      });
      EXPECT_TRUE(st.ok()) << st.ToString();
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(auto awards, tx.pathways().ListAwards("l1"));
    EXPECT_EQ(awards.size(), 1u);
    CREDSTACK_ASSIGN_OR_RETURN(PathwayAward a,
                               tx.pathways().GetAward("p1", "l1"));
    EXPECT_EQ(a.credential_id, awards[0].credential_id);
    EXPECT_EQ(tx.pathways().GetAward("p1", "l2").status().code(),
              Code::kNotFound);
    return OkStatus();
  }));
}

}  // namespace
}  // namespace credstack::store::testing
