// SkillsService, LearnerService and pathway definitions over a real SQLite
// store. The end-to-end award flow with the issuance service is in
// tests/skills/.

#include <gtest/gtest.h>

#include "credstack/app/testing/skills_env.h"
#include "credstack/crypto/sha.h"
#include "credstack/pathways/testing/fixtures.h"

namespace credstack::app {
namespace {

using testing::SkillsEnv;
namespace pw = credstack::pathways;

#define ASSERT_OK(expr)                    \
  do {                                     \
    ::credstack::Status s_ = (expr);       \
    ASSERT_TRUE(s_.ok()) << s_.ToString(); \
  } while (0)

json::Object Ach(const std::string& id, const std::string& name,
                 std::vector<std::string> skills, double hours,
                 std::vector<std::string> prerequisites = {}) {
  json::Array alignment;
  for (const std::string& s : skills) {
    alignment.push_back(json::Object{{"type", json::Array{"Alignment"}},
                                     {"targetName", "skill " + s},
                                     {"targetUrl", s},
                                     {"targetFramework", "ESCO"}});
  }
  json::Array pre;
  for (const std::string& p : prerequisites) pre.push_back(json::Value(p));
  return json::Object{{"id", id},
                      {"name", name},
                      {"alignment", std::move(alignment)},
                      {"hours", hours},
                      {"price", hours * 10},
                      {"credits", 1},
                      {"prerequisites", std::move(pre)}};
}

// The Open Badges Achievement (what credentials embed): no planning members.
json::Object ObAch(const std::string& id, const std::string& name,
                   std::vector<std::string> skills) {
  json::Object a = Ach(id, name, std::move(skills), 0);
  for (const char* k : {"hours", "price", "credits", "prerequisites"})
    a.erase(k);
  a["type"] = json::Array{"Achievement"};
  a["description"] = "d";
  a["criteria"] = json::Object{{"narrative", "n"}};
  return a;
}

json::Object Planning(double hours,
                      std::vector<std::string> prerequisites = {}) {
  json::Array pre;
  for (const std::string& p : prerequisites) pre.push_back(json::Value(p));
  return json::Object{{"hours", hours},
                      {"price", hours * 10},
                      {"currency", "EUR"},
                      {"credits", 1},
                      {"prerequisites", std::move(pre)}};
}

struct Counts {
  int64_t learners = 0, pathways = 0, versions = 0;
  size_t frameworks = 0;
  bool operator==(const Counts&) const = default;
};

Counts StoreCounts(SkillsEnv& env) {
  Counts c;
  EXPECT_TRUE(
      env.ctx->store
          ->Read([&](store::Tx& tx) -> Status {
            CREDSTACK_ASSIGN_OR_RETURN(c.learners, tx.learners().Count());
            CREDSTACK_ASSIGN_OR_RETURN(c.pathways, tx.pathways().Count());
            CREDSTACK_ASSIGN_OR_RETURN(
                c.versions, tx.skill_frameworks().AchievementVersionCount());
            CREDSTACK_ASSIGN_OR_RETURN(auto f, tx.skill_frameworks().List());
            c.frameworks = f.size();
            return OkStatus();
          })
          .ok());
  return c;
}

class SkillsServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto env = SkillsEnv::Create();
    ASSERT_TRUE(env.ok()) << env.status().ToString();
    env_ = std::move(*env);
    env_->StartServices();
  }
  // Framework + org "uni" with a small catalog:
  //   a1 teaches s:1 (10 h), a4 teaches s:4 (5 h) and needs a1,
  //   a5 teaches s:5 (20 h), a45 teaches s:4 s:5 (40 h).
  void Seed() {
    ASSERT_OK(
        env_->skills->ImportFramework("esco", pw::testing::TinyFramework())
            .status());
    ASSERT_OK(env_->AddOrg("uni", "Example University"));
    AddAch("a1", "One", {"s:1"}, 10);
    AddAch("a4", "Four", {"s:4"}, 5, {"urn:a1"});
    AddAch("a5", "Five", {"s:5"}, 20);
    AddAch("a45", "FourFive", {"s:4", "s:5"}, 40);
  }
  // Achievement "urn:<id>" stored as <id>, with planning attributes.
  void AddAch(const std::string& id, const std::string& name,
              std::vector<std::string> skills, double hours,
              std::vector<std::string> prerequisites = {}) {
    ASSERT_OK(env_->AddAchievement(
        "uni", id, ObAch("urn:" + id, name, std::move(skills))));
    auto p =
        env_->skills->SetPlanning("uni", id, Planning(hours, prerequisites));
    ASSERT_TRUE(p.ok()) << p.status().ToString();
  }
  std::unique_ptr<SkillsEnv> env_;
};

TEST_F(SkillsServicesTest, RecommendsOverTheDeploymentCatalog) {
  Seed();
  RecommendInput in;
  in.target = "developer";  // o:dev: s:1, s:4, s:5 essential
  Result<json::Value> plan = env_->skills->Recommend(in);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const json::Object& o = plan->as_object();
  EXPECT_EQ(json::GetString(o, "status"), "optimal");
  EXPECT_EQ(json::GetString(o, "source"), "ESCO, European Commission");
  // a1 (10) + a4 (5) + a5 (20) = 35 h beats a1 + a45 = 50 h.
  std::vector<std::string> steps;
  for (const json::Value& s : o.at("steps").as_array())
    steps.emplace_back(s.as_object().at("achievement").as_string());
  EXPECT_EQ(steps, (std::vector<std::string>{"urn:a1", "urn:a4", "urn:a5"}));
  EXPECT_EQ(o.at("target").as_object().at("occupation").as_string(), "o:dev");
  // Holding s:1 makes a1 unnecessary for coverage, but a4 still needs it.
  in.have = {"s:1"};
  plan = env_->skills->Recommend(in);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->as_object().at("steps").as_array().size(), 3u);
  in.have_achievements = {"urn:a1"};
  plan = env_->skills->Recommend(in);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->as_object().at("steps").as_array().size(), 2u);
}

TEST_F(SkillsServicesTest, CatalogRebuildsWhenAchievementsChange) {
  Seed();
  auto first = env_->skills->Catalog("");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ((*first)->catalog->achievements().size(), 4u);
  EXPECT_EQ((*first)->refs.at("urn:a4").achievement_id, "a4");
  auto again = env_->skills->Catalog("");
  EXPECT_EQ(first->get(), again->get());  // cached
  ASSERT_OK(env_->AddAchievement("uni", "a6", ObAch("urn:a6", "Six", {"s:6"})));
  auto next = env_->skills->Catalog("");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ((*next)->catalog->achievements().size(), 5u);
  // The alignment index answers "who teaches s:4".
  ASSERT_OK(env_->ctx->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(
        auto rows, tx.skill_frameworks().AchievementsTeaching("s:4", 10));
    EXPECT_EQ(rows.size(), 2u);
    return OkStatus();
  }));
}

TEST_F(SkillsServicesTest, CatalogRepairsBadStoredEntries) {
  Seed();
  // A cycle (b <-> c), an unknown skill and an unknown prerequisite, as
  // rows written before validation existed (SetPlanning refuses them).
  ASSERT_OK(env_->AddAchievement("uni", "b", ObAch("urn:b", "B", {"s:2"})));
  ASSERT_OK(
      env_->AddAchievement("uni", "c", ObAch("urn:c", "C", {"s:3", "s:nope"})));
  ASSERT_OK(env_->ctx->store->Transact([&](store::Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.skill_frameworks().PutPlanning(
        {.achievement_id = "b", .hours = 1, .prerequisites = {"urn:c"}}));
    return tx.skill_frameworks().PutPlanning(
        {.achievement_id = "c",
         .hours = 1,
         .prerequisites = {"urn:b", "urn:zz"}});
  }));
  auto view = env_->skills->Catalog("");
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  ASSERT_TRUE((*view)->catalog.has_value());
  EXPECT_EQ((*view)->catalog->achievements().size(), 6u);
  std::string all;
  for (const std::string& w : (*view)->warnings) all += w + "\n";
  EXPECT_NE(all.find("closes a cycle"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown skill s:nope"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown prerequisite urn:zz"), std::string::npos) << all;
  // Validation before writing catches the same problems with a path.
  Status cyc = ValidateAchievementPlanning(
      **view, Ach("urn:a1", "One", {"s:1"}, 10, {"urn:a4"}));
  EXPECT_EQ(cyc.code(), Code::kInvalidArgument);
  EXPECT_NE(cyc.message().find("cyclic prerequisites"), std::string::npos)
      << cyc.message();
  Status unknown =
      ValidateAchievementPlanning(**view, Ach("urn:new", "N", {"s:99"}, 1));
  EXPECT_NE(unknown.message().find("unknown skill s:99"), std::string::npos)
      << unknown.message();
  EXPECT_NE(unknown.message().find("$.alignment[0]"), std::string::npos)
      << unknown.message();
  EXPECT_TRUE(
      ValidateAchievementPlanning(**view, Ach("urn:new", "N", {"s:2"}, 1))
          .ok());
}

// Bad input gives a clear error and stores nothing.
TEST_F(SkillsServicesTest, BadRecommendationInputIsRejected) {
  RecommendInput in;
  in.need = {"s:1"};
  // No framework, no achievements: an empty catalog.
  Result<json::Value> empty = env_->skills->Recommend(in);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), Code::kInvalidArgument);
  EXPECT_NE(empty.status().message().find("no achievements"),
            std::string::npos);
  Seed();
  Counts before = StoreCounts(*env_);
  in.need = {"s:1", "no such skill"};
  Result<json::Value> unknown = env_->skills->Recommend(in);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("$.need[1]: unknown skill"),
            std::string::npos)
      << unknown.status().message();
  in.need = {"s:1"};
  in.catalog = json::Object{
      {"achievements", json::Array{Ach("urn:x", "X", {"s:2"}, 1, {"urn:y"}),
                                   Ach("urn:y", "Y", {"s:3"}, 1, {"urn:x"})}}};
  Result<json::Value> cyclic = env_->skills->Recommend(in);
  ASSERT_FALSE(cyclic.ok());
  EXPECT_NE(cyclic.status().message().find("cyclic prerequisites"),
            std::string::npos)
      << cyclic.status().message();
  EXPECT_NE(cyclic.status().message().find("$.catalog.achievements["),
            std::string::npos)
      << cyclic.status().message();
  in.catalog = json::Object{{"achievements", json::Array{}}};
  Result<json::Value> no_extra = env_->skills->Recommend(in);
  EXPECT_TRUE(no_extra.ok()) << no_extra.status().ToString();
  in.catalog = json::Object{
      {"achievements", json::Array{Ach("urn:z", "Z", {"s:zz"}, 1)}}};
  Result<json::Value> bad_skill = env_->skills->Recommend(in);
  ASSERT_FALSE(bad_skill.ok());
  EXPECT_NE(bad_skill.status().message().find("unknown skill s:zz"),
            std::string::npos);
  in.target = "o:dev";
  Result<json::Value> both = env_->skills->Recommend(in);
  EXPECT_EQ(both.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(StoreCounts(*env_), before);
}

TEST_F(SkillsServicesTest, PlanningAttributesAreValidatedBeforeStoring) {
  Seed();
  Counts before = StoreCounts(*env_);
  std::string rev_before;
  auto revision = [&] {
    std::string r;
    EXPECT_TRUE(env_->ctx->store
                    ->Read([&](store::Tx& tx) -> Status {
                      CREDSTACK_ASSIGN_OR_RETURN(
                          r, tx.skill_frameworks().PlanningRevision());
                      return OkStatus();
                    })
                    .ok());
    return r;
  };
  rev_before = revision();
  struct Bad {
    json::Value body;
    std::string expect;
  };
  std::vector<Bad> bad = {
      {Planning(1, {"urn:a4"}), "cyclic prerequisites"},  // a1 <- a4 <- a1
      {Planning(1, {"urn:missing"}), "unknown achievement urn:missing"},
      {json::Object{{"hours", -3}}, "$.hours: must be a non-negative number"},
      {json::Object{{"hours", "ten"}}, "$.hours"},
      {json::Object{{"minutes", 3}}, "$.minutes: unknown member"},
      {json::Array{}, "must be an object"},
  };
  for (const Bad& b : bad) {
    auto r = env_->skills->SetPlanning("uni", "a1", b.body);
    ASSERT_FALSE(r.ok()) << json::Serialize(b.body);
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find(b.expect), std::string::npos)
        << r.status().message();
  }
  EXPECT_EQ(
      env_->skills->SetPlanning("uni", "nope", Planning(1)).status().code(),
      Code::kNotFound);
  EXPECT_EQ(
      env_->skills->SetPlanning("other-org", "a1", Planning(1)).status().code(),
      Code::kNotFound);
  EXPECT_EQ(revision(), rev_before);
  EXPECT_EQ(StoreCounts(*env_), before);
  auto stored = env_->skills->GetPlanning("uni", "a4");
  ASSERT_TRUE(stored.ok());
  EXPECT_DOUBLE_EQ(stored->hours, 5);
  EXPECT_EQ(stored->prerequisites, std::vector<std::string>{"urn:a1"});
  // By Achievement.id works too; the catalog follows the new hours.
  ASSERT_TRUE(env_->skills->SetPlanning("uni", "urn:a5", Planning(1)).ok());
  auto view = env_->skills->Catalog("");
  ASSERT_TRUE(view.ok());
  auto a5 = (*view)->catalog->FindAchievement("urn:a5");
  ASSERT_TRUE(a5.has_value());
  EXPECT_DOUBLE_EQ((*view)->catalog->achievements()[*a5].hours, 1);
}

TEST_F(SkillsServicesTest, UploadedCatalogIsPlannedWithTheDeployments) {
  Seed();
  RecommendInput in;
  in.need = {"s:6"};
  Result<json::Value> none = env_->skills->Recommend(in);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(json::GetString(none->as_object(), "status"), "infeasible");
  in.catalog = json::Object{
      {"achievements",
       json::Array{Ach("urn:ext6", "External six", {"s:6"}, 3, {"urn:a1"})}}};
  Result<json::Value> plan = env_->skills->Recommend(in);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const json::Array& steps = plan->as_object().at("steps").as_array();
  ASSERT_EQ(steps.size(), 2u);  // its prerequisite from the deployment first
  EXPECT_EQ(steps[0].as_object().at("achievement").as_string(), "urn:a1");
  EXPECT_EQ(steps[1].as_object().at("achievement").as_string(), "urn:ext6");
}

TEST_F(SkillsServicesTest, SearchRanksExactThenPrefixThenSubstring) {
  Seed();
  auto fw = env_->skills->Framework("esco");
  ASSERT_TRUE(fw.ok());
  auto hits = env_->skills->SearchSkills(**fw, "SKILL 1", 10);
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ((**fw).skills()[hits->front()].id, "s:1");
  auto by_id = env_->skills->SearchSkills(**fw, "s:4", 10);
  EXPECT_EQ((**fw).skills()[by_id->front()].id, "s:4");
  auto occ = env_->skills->SearchOccupations(**fw, "2512.1", 10);
  ASSERT_EQ(occ->size(), 1u);
  auto none = env_->skills->SearchSkills(**fw, "zzz", 10);
  EXPECT_TRUE(none->empty());
}

// ---- learners ---------------------------------------------------------------

TEST_F(SkillsServicesTest, LearnerProfileCountsOnlyVerifiedCredentials) {
  Seed();
  Result<CreatedLearner> created = env_->learners->Create(
      "uni",
      NewLearner{.did = "did:example:ada", .emails = {"Ada@Example.org"}});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const std::string id = created->learner.id;
  EXPECT_EQ(created->learner.emails,
            std::vector<std::string>{"ada@example.org"});
  EXPECT_TRUE(env_->learners->CheckToken(id, created->token).ok());
  EXPECT_EQ(env_->learners->CheckToken(id, "lt_wrong").status().code(),
            Code::kUnauthenticated);
  // The same email cannot belong to two learners.
  EXPECT_EQ(
      env_->learners->Create("uni", NewLearner{.emails = {"ada@example.org"}})
          .status()
          .code(),
      Code::kAlreadyExists);
  EXPECT_EQ(env_->learners->Create("uni", NewLearner{}).status().code(),
            Code::kInvalidArgument);
  // Another learner's token authenticates, but not for this learner.
  Result<CreatedLearner> grace = env_->learners->Create(
      "uni", NewLearner{.did = "did:example:grace"});
  ASSERT_TRUE(grace.ok()) << grace.status().ToString();
  EXPECT_EQ(env_->learners->CheckToken(id, grace->token).status().code(),
            Code::kPermissionDenied);

  vc::Signer signer =
      vc::Signer::ForDidKey(crypto::Ed25519KeyPair::FromSeed({}));
  json::Object ach = ObAch("urn:a1", "One", {"s:1"});
  auto good = env_->SignForeign(ach, "did:example:ada", signer);
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  auto up = env_->learners->Upload(id, json::Serialize(*good));
  ASSERT_TRUE(up.ok()) << up.status().ToString();
  EXPECT_TRUE(up->report.verified) << json::Serialize(up->report.ToJson());
  EXPECT_TRUE(up->created);
  // The email identity works too (salted hash in the credential).
  json::Object ach5 = ObAch("urn:a5", "Five", {"s:5"});
  auto by_email = env_->SignForeign(ach5, "ada@example.org", signer);
  ASSERT_TRUE(by_email.ok());
  // Tampered after signing: stored, but contributes nothing.
  json::Object tampered = *by_email;
  tampered["name"] = "Changed";
  auto up_bad = env_->learners->Upload(id, json::Serialize(tampered));
  ASSERT_TRUE(up_bad.ok()) << up_bad.status().ToString();
  EXPECT_FALSE(up_bad->report.verified);
  // Someone else's credential is refused.
  auto other = env_->SignForeign(ach, "did:example:bob", signer);
  auto up_other = env_->learners->Upload(id, json::Serialize(*other));
  EXPECT_EQ(up_other.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(env_->learners->Upload(id, "[1]").status().code(),
            Code::kInvalidArgument);

  Result<SkillProfile> p = env_->learners->Profile(id);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->skills.size(), 1u);
  EXPECT_EQ(p->skills[0].id, "s:1");
  EXPECT_EQ(p->skills[0].label, "skill 1");
  EXPECT_TRUE(p->skills[0].in_framework);
  ASSERT_EQ(p->skills[0].sources.size(), 1u);
  EXPECT_EQ(p->skills[0].sources[0].issuer, signer.controller);
  EXPECT_EQ(p->skills[0].sources[0].achievement, "urn:a1");
  EXPECT_EQ(p->skills[0].sources[0].date, "2025-06-15T15:06:40Z");
  EXPECT_EQ(p->achievements, std::vector<std::string>{"urn:a1"});
  EXPECT_EQ(p->credentials.size(), 2u);
  json::Value j = SkillProfileToJson(*p);
  EXPECT_EQ(json::GetString(j.as_object(), "source"),
            "ESCO, European Commission");

  // Now the untampered email credential: s:5 joins.
  ASSERT_TRUE(env_->learners->Upload(id, json::Serialize(*by_email)).ok());
  p = env_->learners->Profile(id);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->SkillIds(), (std::vector<std::string>{"s:1", "s:5"}));
}

TEST_F(SkillsServicesTest, LearnerCreationLinksCredentialsAlreadyIssued) {
  Seed();
  // A credential of this deployment (stored row) issued to an email before
  // the learner existed: found by matching the salted identity hash.
  vc::Signer signer =
      vc::Signer::ForDidKey(crypto::Ed25519KeyPair::FromSeed({}));
  json::Object ach = ObAch("urn:a4", "Four", {"s:4"});
  auto signed_cred = env_->SignForeign(ach, "kim@example.org", signer);
  ASSERT_TRUE(signed_cred.ok());
  std::string text = json::Serialize(*signed_cred);
  crypto::Sha256Digest d = crypto::Sha256(text);
  ASSERT_OK(env_->ctx->store->Transact([&](store::Tx& tx) {
    return tx.credentials()
        .Insert(store::Credential{
            .id = std::string(json::GetString(*signed_cred, "id").value()),
            .org_id = "uni",
            .achievement_id = "a4",
            .achievement_version = 1,
            .recipient_kind = store::RecipientKind::kEmailHash,
            .recipient_identity = "sha256$x",
            .credential_json = text,
            .content_hash = Bytes(d.begin(), d.end()),
            .issued = env_->clock.Now()})
        .status();
  }));
  auto created =
      env_->learners->Create("uni", NewLearner{.emails = {"kim@example.org"}});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->linked, 1);
  auto p = env_->learners->Profile(created->learner.id);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->credentials.size(), 1u);
  EXPECT_EQ(p->credentials[0].stored.source,
            store::LearnerCredentialSource::kIssued);
  EXPECT_EQ(p->SkillIds(), std::vector<std::string>{"s:4"});
}

// ---- pathway definitions ----------------------------------------------------

TEST_F(SkillsServicesTest, PathwayDefinitionsAreValidatedBeforeStoring) {
  Seed();
  ASSERT_OK(
      env_->AddAchievement("uni", "stack", ObAch("urn:stack", "Stacked", {})));
  Counts before = StoreCounts(*env_);
  auto def = [](json::Value rule) {
    return json::Value(json::Object{{"id", "urn:p:1"},
                                    {"name", "Developer stack"},
                                    {"achievement", "stack"},
                                    {"rule", std::move(rule)}});
  };
  json::Value ok_rule = json::Object{
      {"type", "allOf"},
      {"rules",
       json::Array{
           json::Object{{"type", "achievement"}, {"id", "urn:a1"}},
           json::Object{
               {"type", "nOf"},
               {"n", 1},
               {"rules", json::Array{json::Object{{"type", "achievement"},
                                                  {"id", "urn:a4"}},
                                     json::Object{{"type", "achievement"},
                                                  {"id", "urn:a45"}}}}}}}};
  struct Bad {
    json::Value def;
    std::string expect;
  };
  std::vector<Bad> bad = {
      {def(json::Object{{"type", "achievement"}, {"id", "urn:nope"}}),
       "urn:nope is not in the catalog"},
      {def(json::Object{{"type", "skills"},
                        {"skills", json::Array{"s:1", "s:404"}}}),
       "unknown skill"},
      {def(json::Object{{"type", "oneOf"}}), "unknown rule type"},
      {def(json::Object{{"type", "achievement"}, {"id", "urn:stack"}}),
       "cannot also be one of its components"},
      {json::Object{
           {"id", "urn:p:2"}, {"achievement", "a-missing"}, {"rule", ok_rule}},
       "not an achievement of this organization"},
      {json::Object{{"id", "urn:p:3"},
                    {"achievement", "stack"},
                    {"owner", "did:web:someone.else"},
                    {"rule", ok_rule}},
       "$.owner"},
  };
  for (const Bad& b : bad) {
    auto r = env_->pathways->Create("uni", b.def);
    ASSERT_FALSE(r.ok()) << json::Serialize(b.def);
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find(b.expect), std::string::npos)
        << r.status().message();
  }
  EXPECT_EQ(StoreCounts(*env_), before);
  auto created = env_->pathways->Create("uni", def(ok_rule));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->achievement_id, "stack");
  EXPECT_EQ(created->components,
            (std::vector<std::string>{"urn:a1", "urn:a4", "urn:a45"}));
  EXPECT_EQ(env_->pathways->Create("uni", def(ok_rule)).status().code(),
            Code::kAlreadyExists);
  // Owner became the organization's did:web; the achievement its OB id.
  auto got = env_->pathways->Get("urn:p:1");
  ASSERT_TRUE(got.ok());
  auto parsed = pw::ParsePathway(got->definition_json);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->owner, "did:web:badges.example:issuers:uni");
  EXPECT_EQ(parsed->achievement, "urn:stack");
}

}  // namespace
}  // namespace credstack::app
