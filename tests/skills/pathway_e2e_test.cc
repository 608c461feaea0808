// Stackable pathway end to end, on SQLite and on PostgreSQL: component
// credentials issued by the real IssuanceService (two organizations), the
// learner's verified profile, automatic award of the stacked credential
// exactly once even under concurrent and repeated evaluation, the award
// verifying through the verification pipeline, a CLR 2.0 export that
// verifies, and a revoked component that makes progress drop while the
// award stays as issued.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "credstack/app/bulk.h"
#include "credstack/app/clr.h"
#include "credstack/app/skills_demo.h"
#include "credstack/json/schema.h"
#include "credstack/pathways/testing/fixtures.h"
#include "tests/skills/skills_deployment.h"

namespace credstack {
namespace {

using app::testing::Backend;
namespace pw = credstack::pathways;

json::Object AchievementBody(const std::string& name, const std::string& skill) {
  json::Object a{{"name", name},
                 {"description", name + " course"},
                 {"criteria", json::Object{{"narrative", "Pass the exam."}}}};
  if (!skill.empty()) {
    a["alignment"] = json::Array{json::Object{{"targetName", "skill " + skill},
                                              {"targetUrl", skill},
                                              {"targetFramework", "ESCO"},
                                              {"targetType", "ext:ESCO"}}};
  }
  return a;
}

std::string ObId(const store::AchievementVersion& v) {
  return std::string(
      json::Parse(v.achievement_json)->as_object().at("id").as_string());
}

class PathwayE2eTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string why = d_.Start(GetParam(), &clock_);
    ASSERT_EQ(why.rfind("FAIL", 0), std::string::npos) << why;
    if (!why.empty()) GTEST_SKIP() << why;
    d_.StartSkills();
    auto fw = d_.skills.skills->ImportFramework("esco",
                                               pw::testing::TinyFramework());
    ASSERT_TRUE(fw.ok()) << fw.status().ToString();
    uni_ = MakeOrg("uni", "Example University");
    partner_ = MakeOrg("partner", "Partner College");
    a_ = MakeAch(uni_, "Data basics", "s:1", 10);
    b_ = MakeAch(uni_, "Networks", "s:4", 30);
    c_ = MakeAch(partner_, "Law for engineers", "s:5", 5);  // cheaper
    stacked_ = MakeAch(uni_, "Certified junior developer", "", 0);
  }

  app::CreatedOrganization MakeOrg(const std::string& slug,
                                   const std::string& name) {
    auto org = d_.issuer->orgs->Create(
        json::Object{{"name", name}, {"slug", slug}}, "test");
    EXPECT_TRUE(org.ok()) << org.status().ToString();
    return *org;
  }

  store::AchievementVersion MakeAch(const app::CreatedOrganization& org,
                                    const std::string& name,
                                    const std::string& skill, double hours) {
    auto v = d_.issuer->achievements->Create(org.org.id,
                                             AchievementBody(name, skill), "t");
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    if (hours > 0) {
      auto p = d_.skills.skills->SetPlanning(
          org.org.id, v->achievement_id,
          json::Object{{"hours", hours}, {"price", hours * 10}, {"credits", 1}});
      EXPECT_TRUE(p.ok()) << p.status().ToString();
    }
    return *v;
  }

  // Issues through the deployment's IssuanceService, whose listener tells
  // the pathway service; or, without notify, through a second issuance
  // service on the same store that nobody listens to.
  store::Credential Issue(const app::CreatedOrganization& org,
                          const store::AchievementVersion& a,
                          const std::string& recipient, bool notify = true) {
    app::IssuanceService quiet(d_.ctx, d_.issuer->orgs, d_.issuer->status);
    app::IssuanceService& issuance = notify ? *d_.issuer->issuance : quiet;
    auto issued = issuance.Issue({.org_id = org.org.id,
                                  .achievement_id = a.achievement_id,
                                  .recipient = recipient});
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    EXPECT_EQ(d_.issuer->issuance->issued_listeners()->failures(), 0u);
    return issued->record;
  }

  int64_t StackedCount() {
    int64_t n = 0;
    EXPECT_TRUE(d_.ctx->store
                    ->Read([&](store::Tx& tx) -> Status {
                      std::string after;
                      while (true) {
                        CREDSTACK_ASSIGN_OR_RETURN(
                            auto page,
                            tx.credentials().ListByOrg(uni_.org.id, after, 100));
                        if (page.empty()) break;
                        after = page.back().id;
                        for (const auto& c : page)
                          n += c.achievement_id == stacked_.achievement_id;
                      }
                      return OkStatus();
                    })
                    .ok());
    return n;
  }

  FixedClock clock_{*ParseDateTime("2026-03-01T10:00:00Z")};
  skills_testing::Deployment d_;
  app::CreatedOrganization uni_, partner_;
  store::AchievementVersion a_, b_, c_, stacked_;
};

TEST_P(PathwayE2eTest, StackedCredentialIsAwardedOnceAndSurvivesRevocation) {
  // Pathway (owned by uni, components from two issuers):
  //   allOf[ A, nOf(1)[ B, C (partner) ] ]
  json::Value definition = json::Object{
      {"id", "urn:pathway:junior-dev"},
      {"name", "Junior developer"},
      {"achievement", stacked_.achievement_id},
      {"rule",
       json::Object{
           {"type", "allOf"},
           {"rules",
            json::Array{
                json::Object{{"type", "achievement"}, {"id", ObId(a_)}},
                json::Object{
                    {"type", "nOf"},
                    {"n", 1},
                    {"name", "one elective"},
                    {"rules",
                     json::Array{
                         json::Object{{"type", "achievement"}, {"id", ObId(b_)}},
                         json::Object{{"type", "achievement"},
                                      {"id", ObId(c_)}}}}}}}}}};
  auto pathway = d_.skills.pathways->Create(uni_.org.id, definition);
  ASSERT_TRUE(pathway.ok()) << pathway.status().ToString();

  const std::string did = "did:example:learner-7";
  auto learner = d_.skills.learners->Create(
      uni_.org.id, {.did = did, .emails = {"l7@example.org"}});
  ASSERT_TRUE(learner.ok()) << learner.status().ToString();
  const std::string lid = learner->learner.id;

  // Component A (by DID): progress, not satisfied; cheapest finish is C.
  store::Credential cred_a = Issue(uni_, a_, did);
  auto progress =
      d_.skills.pathways->Progress(lid, pathway->id, pw::PlanOptions{});
  ASSERT_TRUE(progress.ok()) << progress.status().ToString();
  {
    auto p = d_.skills.learners->Profile(lid);
    ASSERT_TRUE(p.ok());
    for (const auto& c : p->credentials) {
      for (const std::string& e : c.errors) ADD_FAILURE() << e;
    }
  }
  EXPECT_FALSE(progress->progress.satisfied);
  EXPECT_TRUE(progress->progress.rules[1].satisfied);  // A
  EXPECT_EQ(progress->held, std::vector<std::string>{ObId(a_)});
  ASSERT_TRUE(progress->finish.has_value());
  EXPECT_EQ(progress->finish->status, pw::PlanStatus::kOptimal);
  ASSERT_EQ(progress->finish->steps.size(), 1u);
  EXPECT_EQ(progress->finish->steps[0].achievement_id, ObId(c_));
  EXPECT_FALSE(progress->award.has_value());
  EXPECT_EQ(StackedCount(), 0);

  // Component C from the partner, to the learner's email, issued without
  // the hook; then many evaluations race (two threads per store call
  // pattern, some repeated): exactly one stacked credential, one award.
  store::Credential cred_c = Issue(partner_, c_, "l7@example.org", false);
  ASSERT_TRUE(d_.skills.learners->LinkIssued(learner->learner, cred_c).ok());
  std::vector<std::thread> threads;
  std::atomic<int> created{0}, failures{0};
  std::mutex mu;
  std::set<std::string> credentials;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2; ++i) {
        std::vector<std::string> changed;
        if (t % 2 == 0) changed.push_back(ObId(c_));
        auto out = d_.skills.pathways->Evaluate(lid, changed);
        if (!out.ok()) {
          ++failures;
          ADD_FAILURE() << out.status().ToString();
          continue;
        }
        for (const app::AwardOutcome& o : *out) {
          created += o.created ? 1 : 0;
          std::lock_guard<std::mutex> lock(mu);
          credentials.insert(o.award.credential_id);
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(created.load(), 1);
  EXPECT_LE(credentials.size(), 1u);
  EXPECT_EQ(StackedCount(), 1);
  // Repeated evaluation and the issuance hook again change nothing.
  ASSERT_TRUE(d_.skills.pathways->Evaluate(lid, {}).ok());
  ASSERT_TRUE(d_.skills.pathways->OnCredentialIssued(cred_c, "l7@example.org").ok());
  EXPECT_EQ(StackedCount(), 1);

  progress = d_.skills.pathways->Progress(lid, pathway->id, pw::PlanOptions{});
  ASSERT_TRUE(progress.ok());
  EXPECT_TRUE(progress->progress.satisfied);
  ASSERT_TRUE(progress->award.has_value());
  const std::string award_id = progress->award->credential_id;
  EXPECT_FALSE(progress->finish.has_value());

  // The stacked credential: OB 3.0, issued by the owner, evidence pointing
  // at both components, and it verifies (proof, issuer, status, ...).
  store::Credential stacked;
  ASSERT_TRUE(d_.ctx->store
                  ->Read([&](store::Tx& tx) -> Status {
                    CREDSTACK_ASSIGN_OR_RETURN(stacked,
                                               tx.credentials().GetPublic(award_id));
                    return OkStatus();
                  })
                  .ok());
  EXPECT_EQ(stacked.idempotency_key,
            app::PathwayAwardKey(pathway->id, lid));
  vc::VerificationReport report =
      d_.verifier->VerifyCredentialText(stacked.credential_json);
  EXPECT_TRUE(report.verified) << json::Serialize(report.ToJson());
  json::Object sc = json::Parse(stacked.credential_json)->as_object();
  EXPECT_EQ(sc.at("issuer").as_object().at("id").as_string(), uni_.issuer_did);
  EXPECT_EQ(sc.at("credentialSubject").as_object().at("achievement")
                .as_object().at("id").as_string(),
            ObId(stacked_));
  std::set<std::string> evidence;
  for (const json::Value& e : sc.at("evidence").as_array())
    evidence.insert(std::string(e.as_object().at("id").as_string()));
  EXPECT_EQ(evidence,
            (std::set<std::string>{
                d_.ctx->urls.CredentialUrl(app::CredentialUuid(cred_a.id)),
                d_.ctx->urls.CredentialUrl(app::CredentialUuid(cred_c.id))}));

  // The learner's profile: s:1 (A) and s:5 (C) with their sources; the
  // stacked credential is the learner's too.
  auto profile = d_.skills.learners->Profile(lid);
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->SkillIds(), (std::vector<std::string>{"s:1", "s:5"}));
  EXPECT_EQ(profile->skills[1].sources[0].issuer, partner_.issuer_did);
  EXPECT_EQ(profile->credentials.size(), 3u);

  // CLR 2.0: signed by the managing organization, verifies, associations
  // isChildOf from each component to the stack.
  std::vector<store::PathwayRecord> awarded = {*pathway};
  auto clr = app::ExportClr(
      *d_.ctx, {.learner = learner->learner, .profile = &*profile,
                .awarded = awarded});
  ASSERT_TRUE(clr.ok()) << clr.status().ToString();
  vc::VerificationReport clr_report = d_.verifier->VerifyCredential(*clr);
  EXPECT_TRUE(clr_report.verified) << json::Serialize(clr_report.ToJson());
  const json::Object& subject =
      clr->as_object().at("credentialSubject").as_object();
  EXPECT_EQ(subject.at("verifiableCredential").as_array().size(), 3u);
  std::set<std::string> children;
  for (const json::Value& a : subject.at("association").as_array()) {
    EXPECT_EQ(a.as_object().at("associationType").as_string(), "isChildOf");
    EXPECT_EQ(a.as_object().at("targetId").as_string(), ObId(stacked_));
    children.insert(std::string(a.as_object().at("sourceId").as_string()));
  }
  EXPECT_EQ(children, (std::set<std::string>{ObId(a_), ObId(c_)}));
  // The ClrSubject validates against the draft-04 CLR 2.0 schema's
  // ClrSubject definition. That schema describes the VC 1.1 envelope
  // (issuanceDate, StatusList2021 entries), so the embedded credentials
  // (VC 2.0) are checked as objects only; achievements, associations and
  // the subject's own members are checked in full.
  std::filesystem::path schema_file =
      std::filesystem::path(CREDSTACK_CONFORMANCE_DIR) /
      "ob3/schema/draft4/clr_v2p0_clrcredential_schema_draft4.json";
  if (std::filesystem::exists(schema_file)) {
    std::ifstream in(schema_file);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    json::Object doc = json::Parse(text, {.max_size = 8u << 20})->as_object();
    json::Object sub = doc.at("$defs").as_object().at("ClrSubject").as_object();
    json::Object defs = doc.at("$defs").as_object();
    defs["VerifiableCredential"] = json::Object{{"type", "object"}};
    sub["$defs"] = std::move(defs);
    auto schema = json::Schema::Compile(json::Value(std::move(sub)));
    ASSERT_TRUE(schema.ok()) << schema.status().ToString();
    std::vector<json::SchemaError> errors =
        (*schema)->Validate(json::Value(subject));
    for (const json::SchemaError& e : errors) {
      if (!e.value_only) ADD_FAILURE() << e.path << ": " << e.message;
    }
  }

  // Revoke component A (flipping its revocation bit in the store, as the
  // revocation service does): progress drops, the award stays as issued.
  ASSERT_TRUE(d_.ctx->store
                  ->Transact([&](store::Tx& tx) {
                    return tx.status_lists()
                        .SetStatus({.credential_id = cred_a.id,
                                    .purpose = store::StatusPurpose::kRevocation,
                                    .new_value = 1,
                                    .reason = "test",
                                    .actor = "test",
                                    .when = clock_.Now()})
                        .status();
                  })
                  .ok());
  ASSERT_TRUE(d_.skills.pathways->OnCredentialStatusChanged(cred_a.id).ok());
  progress = d_.skills.pathways->Progress(lid, pathway->id, pw::PlanOptions{});
  ASSERT_TRUE(progress.ok());
  EXPECT_FALSE(progress->progress.satisfied);
  EXPECT_FALSE(progress->progress.rules[1].satisfied);
  ASSERT_TRUE(progress->award.has_value());
  EXPECT_EQ(progress->award->credential_id, award_id);
  ASSERT_TRUE(progress->finish.has_value());
  EXPECT_EQ(progress->finish->steps[0].achievement_id, ObId(a_));
  profile = d_.skills.learners->Profile(lid);
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->SkillIds(), std::vector<std::string>{"s:5"});
  EXPECT_TRUE(d_.verifier->VerifyCredentialText(stacked.credential_json).verified);
  EXPECT_FALSE(d_.verifier->VerifyCredentialText(cred_a.credential_json).verified);
  EXPECT_EQ(StackedCount(), 1);
}

// Components issued in BULK jobs reach the learners their recipients
// belong to (an email in any letter case, a DID) and complete the pathway:
// two jobs (two issuers) run at once on two worker threads, so both
// components of a learner may be committed and evaluated concurrently;
// each learner still gets exactly one stacked credential and one award.
TEST_P(PathwayE2eTest, BulkIssuedComponentsReachTheLearnerAndAwardOnce) {
  json::Value definition = json::Object{
      {"id", "urn:pathway:bulk"},
      {"name", "Bulk stack"},
      {"achievement", stacked_.achievement_id},
      {"rule",
       json::Object{{"type", "allOf"},
                    {"rules", json::Array{json::Object{{"type", "achievement"},
                                                       {"id", ObId(a_)}},
                                          json::Object{{"type", "achievement"},
                                                       {"id", ObId(c_)}}}}}}};
  auto pathway = d_.skills.pathways->Create(uni_.org.id, definition);
  ASSERT_TRUE(pathway.ok()) << pathway.status().ToString();
  auto by_email = d_.skills.learners->Create(
      uni_.org.id, {.emails = {"bulk-learner@example.org"}});
  ASSERT_TRUE(by_email.ok()) << by_email.status().ToString();
  auto by_did =
      d_.skills.learners->Create(uni_.org.id, {.did = "did:example:bulk-2"});
  ASSERT_TRUE(by_did.ok()) << by_did.status().ToString();
  const std::string email_id = by_email->learner.id;
  const std::string did_id = by_did->learner.id;

  // 30 rows per job, most for recipients who are no learners; the two
  // learners' rows sit in different batches of the two jobs.
  auto csv = [](const std::string& job) {
    std::string out = "recipient,rowKey\n";
    for (int i = 0; i < 30; ++i) {
      std::string recipient = "someone" + std::to_string(i) + "@example.org";
      if (i == 5) recipient = "Bulk-Learner@Example.ORG";
      if (i == 21) recipient = "did:example:bulk-2";
      out += recipient + "," + job + std::to_string(i) + "\n";
    }
    return out;
  };
  app::BulkService workers(
      d_.ctx, d_.issuer->issuance,
      app::BulkServiceOptions{.workers = 2,
                              .batch_size = 4,
                              .poll = std::chrono::milliseconds(10),
                              .node_id = "node-skills"});
  ASSERT_TRUE(workers.Start().ok());
  auto job_a = workers.Submit(
      uni_.org.id, app::BulkJobOptions{.achievement_id = a_.achievement_id},
      csv("a"), app::BulkFormat::kCsv, "t");
  ASSERT_TRUE(job_a.ok()) << job_a.status().ToString();
  auto job_c = workers.Submit(
      partner_.org.id, app::BulkJobOptions{.achievement_id = c_.achievement_id},
      csv("c"), app::BulkFormat::kCsv, "t");
  ASSERT_TRUE(job_c.ok()) << job_c.status().ToString();
  auto wait_done = [&](const std::string& org, const std::string& job) {
    store::BulkJob state;
    for (int i = 0; i < 1200; ++i) {
      state = *workers.Get(org, job);
      if (state.status == store::JobStatus::kDone) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(state.status, store::JobStatus::kDone);
    EXPECT_EQ(state.issued_rows, 30);
  };
  wait_done(uni_.org.id, job_a->job.id);
  wait_done(partner_.org.id, job_c->job.id);
  // The listener runs after each batch's commit, on the worker: once the
  // workers are joined, every batch has been told.
  workers.Stop();
  EXPECT_EQ(d_.issuer->issuance->issued_listeners()->failures(), 0u);

  auto row_credential = [&](const std::string& org, const std::string& job,
                            const std::string& key) {
    auto rows = workers.Rows(org, job, store::JobRowState::kIssued, 0, 100);
    EXPECT_TRUE(rows.ok());
    for (const store::JobRow& r : *rows) {
      if (r.client_row_key == key) return *r.credential_id;
    }
    ADD_FAILURE() << "no row " << key;
    return std::string();
  };
  auto linked = [&](const std::string& learner) {
    std::set<std::string> ids;
    EXPECT_TRUE(d_.ctx->store
                    ->Read([&](store::Tx& tx) -> Status {
                      CREDSTACK_ASSIGN_OR_RETURN(
                          auto links, tx.learners().ListCredentials(learner));
                      for (const store::LearnerCredential& l : links)
                        ids.insert(l.credential_id.value_or("?"));
                      return OkStatus();
                    })
                    .ok());
    return ids;
  };
  for (const auto& [learner, row] : {std::pair{email_id, std::string("5")},
                                     std::pair{did_id, std::string("21")}}) {
    SCOPED_TRACE(learner);
    // (a) both bulk credentials are the learner's, with the award: nothing
    // issued to anyone else.
    auto progress =
        d_.skills.pathways->Progress(learner, pathway->id, pw::PlanOptions{});
    ASSERT_TRUE(progress.ok()) << progress.status().ToString();
    EXPECT_TRUE(progress->progress.satisfied);
    ASSERT_TRUE(progress->award.has_value());
    EXPECT_EQ(linked(learner),
              (std::set<std::string>{
                  row_credential(uni_.org.id, job_a->job.id, "a" + row),
                  row_credential(partner_.org.id, job_c->job.id, "c" + row),
                  progress->award->credential_id}));
    auto profile = d_.skills.learners->Profile(learner);
    ASSERT_TRUE(profile.ok());
    EXPECT_EQ(std::set<std::string>(profile->achievements.begin(),
                                    profile->achievements.end()),
              (std::set<std::string>{ObId(a_), ObId(c_), ObId(stacked_)}));
    // (b) the stacked credential, issued once, under the award key.
    store::Credential stacked;
    ASSERT_TRUE(d_.ctx->store
                    ->Read([&](store::Tx& tx) -> Status {
                      CREDSTACK_ASSIGN_OR_RETURN(
                          stacked, tx.credentials().GetPublic(
                                       progress->award->credential_id));
                      return OkStatus();
                    })
                    .ok());
    EXPECT_EQ(stacked.idempotency_key,
              app::PathwayAwardKey(pathway->id, learner));
    EXPECT_TRUE(
        d_.verifier->VerifyCredentialText(stacked.credential_json).verified);
  }
  EXPECT_EQ(StackedCount(), 2);

  // Another bulk job with the same component again: linked, no new award.
  auto again = d_.issuer->bulk->Submit(
      uni_.org.id, app::BulkJobOptions{.achievement_id = a_.achievement_id},
      "recipient\nbulk-learner@example.org\n", app::BulkFormat::kCsv, "t");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  while (true) {
    auto n = d_.issuer->bulk->RunOnce(again->job.id);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    if (*n == 0) break;
  }
  EXPECT_EQ(linked(email_id).size(), 4u);
  EXPECT_EQ(StackedCount(), 2);
  EXPECT_EQ(d_.issuer->issuance->issued_listeners()->failures(), 0u);
}

// make run's demo data: the embedded ESCO subset, achievements with
// planning attributes and a pathway; seeding twice changes nothing.
TEST_P(PathwayE2eTest, DemoSeedIsIdempotentAndPlannable) {
  auto demo_org = MakeOrg("demo", "Demo Academy");
  // A full framework is kept: use a fresh deployment without "esco".
  skills_testing::Deployment fresh;
  std::string why = fresh.Start(GetParam(), &clock_);
  ASSERT_TRUE(why.empty()) << why;
  fresh.StartSkills();
  auto org = fresh.issuer->orgs->Create(
      json::Object{{"name", "Demo Academy"}, {"slug", "demo"}}, "t");
  ASSERT_TRUE(org.ok());
  auto seeded = app::SeedSkillsDemo(*fresh.skills.skills, *fresh.skills.pathways,
                                    *fresh.issuer->achievements, org->org.id);
  ASSERT_TRUE(seeded.ok()) << seeded.status().ToString();
  EXPECT_TRUE(seeded->created);
  EXPECT_EQ(seeded->achievements.size(), 4u);
  auto again = app::SeedSkillsDemo(*fresh.skills.skills, *fresh.skills.pathways,
                                   *fresh.issuer->achievements, org->org.id);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  auto fws = fresh.skills.skills->ListFrameworks();
  ASSERT_EQ(fws->size(), 1u);
  EXPECT_EQ((*fws)[0].attribution, "ESCO, European Commission");
  auto fw = fresh.skills.skills->Framework("esco");
  ASSERT_TRUE(fw.ok());
  EXPECT_EQ((*fw)->occupations().size(), 6u);
  // A skill the first demo course teaches: one step.
  const pw::Framework& demo_fw = **fw;
  const pw::Occupation& dev =
      demo_fw.occupations()[*demo_fw.FindOccupationByAnyName("software developer")];
  app::RecommendInput in;
  for (const pw::OccupationSkill& r : dev.skills) {
    if (r.relation == pw::RelationType::kEssential) {
      in.need = {demo_fw.skills()[r.skill].id};
      break;
    }
  }
  auto plan = fresh.skills.skills->Recommend(in);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(json::GetString(plan->as_object(), "source"),
            "ESCO, European Commission");
  EXPECT_EQ(plan->as_object().at("steps").as_array().size(), 1u)
      << json::Serialize(*plan);
  // A deployment with its own "esco" keeps it (here the tiny test one,
  // which has no software developer, so the demo courses are refused).
  auto kept = app::SeedSkillsDemo(*d_.skills.skills, *d_.skills.pathways,
                                  *d_.issuer->achievements, demo_org.org.id);
  EXPECT_EQ(kept.status().code(), Code::kNotFound);
  EXPECT_EQ((*d_.skills.skills->Framework("esco"))->skills().size(), 6u);
}

INSTANTIATE_TEST_SUITE_P(Backends, PathwayE2eTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) {
                           return info.param == Backend::kSqlite ? "Sqlite"
                                                                 : "Postgres";
                         });

}  // namespace
}  // namespace credstack
