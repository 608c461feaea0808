// End to end over real HTTP, on SQLite and on PostgreSQL: create an
// organization → achievement → issue one credential and a bulk job of
// 10,000 rows → fetch the public URL (JSON and HTML) → verify through
// POST /api/v1/verify → rotate the key → old and new credentials verify;
// bulk jobs that reach a learner and award its pathway once.

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "harness.h"

namespace credstack::service_testing {
namespace {

class EndToEnd : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    h_ = std::make_unique<Harness>(GetParam());
    std::string why = h_->Start();
    if (!why.empty()) GTEST_SKIP() << why;
  }
  void TearDown() override { h_.reset(); }

  // The verification report for a credential (JSON text).
  json::Value Verify(const std::string& credential) {
    TestResponse r = h_->Call("POST", "/api/v1/verify", "", credential);
    EXPECT_EQ(r.status, 200);
    return h_->Json(r);
  }
  void ExpectVerified(const std::string& credential) {
    json::Value report = Verify(credential);
    ASSERT_TRUE(report.is_object());
    EXPECT_TRUE(report.at("verified").as_bool()) << json::Serialize(report);
  }

  std::unique_ptr<Harness> h_;
};

TEST_P(EndToEnd, IssueBulkFetchVerifyRotate) {
  Harness::Org org = h_->CreateOrg("acme");
  std::string issuer_key = h_->CreateKey(org, "issuer");
  std::string ach = h_->CreateAchievement(org, "Data Analysis");
  ASSERT_FALSE(ach.empty());

  // Single issuance, idempotent by header.
  std::string body = R"({"achievementId":")" + ach + R"(","recipient":"ada@example.org"})";
  TestResponse one = h_->Call("POST", "/api/v1/orgs/" + org.id + "/credentials", issuer_key,
                              body, "application/json", {{"Idempotency-Key", "single-1"}});
  ASSERT_EQ(one.status, 201) << one.body;
  TestResponse replay = h_->Call("POST", "/api/v1/orgs/" + org.id + "/credentials",
                                 issuer_key, body, "application/json",
                                 {{"Idempotency-Key", "single-1"}});
  EXPECT_EQ(replay.status, 200);
  EXPECT_EQ(replay.body, one.body);
  std::string location = one.Header("Location");
  std::string path = location.substr(location.find("/credentials/"));
  EXPECT_EQ(one.body.find("ada@example.org"), std::string::npos);

  // Public URL: JSON by default and for application/json, HTML for browsers.
  TestResponse js = h_->Call("GET", path, "", "", "", {{"Accept", "application/json"}});
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.Header("Content-Type"), "application/json");
  EXPECT_EQ(h_->Json(js), h_->Json(one));
  TestResponse html = h_->Call("GET", path, "", "", "",
                               {{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}});
  EXPECT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("Data Analysis"), std::string::npos);
  EXPECT_NE(html.body.find("Org acme"), std::string::npos);
  EXPECT_NE(html.body.find("perform data analysis"), std::string::npos);
  EXPECT_NE(html.body.find("verified"), std::string::npos);
  EXPECT_EQ(html.body.find("ada@example.org"), std::string::npos);
  EXPECT_EQ(h_->Call("GET", "/credentials/00000000-0000-4000-8000-000000000000").status, 404);

  ExpectVerified(one.body);

  // Bulk: 10,000 rows.
  std::string csv = "recipient,rowKey\n";
  for (int i = 0; i < 10'000; ++i) {
    csv += "learner" + std::to_string(i) + "@example.org,r" + std::to_string(i) + "\n";
  }
  TestResponse job = h_->Call("POST",
                              "/api/v1/orgs/" + org.id + "/jobs?achievementId=" + ach,
                              issuer_key, csv, "text/csv");
  ASSERT_EQ(job.status, 202) << job.body;
  std::string job_id(h_->Json(job).at("id").as_string());
  json::Value state;
  for (int i = 0; i < 2400; ++i) {
    TestResponse st = h_->Call("GET", "/api/v1/jobs/" + job_id, issuer_key);
    ASSERT_EQ(st.status, 200);
    state = h_->Json(st);
    if (state.at("status").as_string() == "done") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(state.at("status").as_string(), "done") << json::Serialize(state);
  EXPECT_EQ(state.at("issued").as_int64(), 10'000);
  EXPECT_EQ(state.at("failed").as_int64(), 0);
  // Every row has its own credential; sample a few and verify them.
  std::set<std::string> ids;
  int64_t after = 0;
  for (;;) {
    TestResponse rows = h_->Call(
        "GET", "/api/v1/orgs/" + org.id + "/jobs/" + job_id + "/rows?limit=1000&after=" +
                   std::to_string(after), issuer_key);
    ASSERT_EQ(rows.status, 200);
    json::Value page = h_->Json(rows);
    const json::Array& list = page.at("rows").as_array();
    if (list.empty()) break;
    for (const json::Value& r : list) {
      ids.insert(std::string(r.at("credentialId").as_string()));
      after = r.at("row").as_int64();
    }
  }
  EXPECT_EQ(ids.size(), 10'000u);
  int sampled = 0;
  for (auto it = ids.begin(); it != ids.end() && sampled < 5; ++it, ++sampled) {
    std::string uuid = it->substr(it->rfind(':') + 1);
    TestResponse c = h_->Call("GET", "/credentials/" + uuid);
    ASSERT_EQ(c.status, 200);
    ExpectVerified(c.body);
  }

  // Rotation: the new key signs, the old credential still verifies.
  TestResponse rot = h_->Call("POST", "/api/v1/orgs/" + org.id + "/keys/rotate", org.admin_key);
  ASSERT_EQ(rot.status, 201) << rot.body;
  EXPECT_NE(h_->Json(rot).at("verificationMethod").as_string().find("#key-2"),
            std::string::npos);
  TestResponse two = h_->Call("POST", "/api/v1/orgs/" + org.id + "/credentials", issuer_key,
                              R"({"achievementId":")" + ach + R"(","recipient":"did:example:bo"})");
  ASSERT_EQ(two.status, 201);
  EXPECT_NE(two.body.find("#key-2"), std::string::npos);
  EXPECT_NE(one.body.find("#key-1"), std::string::npos);
  ExpectVerified(one.body);
  ExpectVerified(two.body);
  TestResponse did = h_->Call("GET", "/issuers/acme/did.json");
  EXPECT_EQ(did.status, 200);
  EXPECT_EQ(h_->Json(did).at("verificationMethod").as_array().size(), 2u);

  // Editing the achievement does not change issued credentials.
  TestResponse edit = h_->Call(
      "PUT", "/api/v1/orgs/" + org.id + "/achievements/" + ach, issuer_key,
      R"({"name":"Data Analysis II","description":"d","criteria":{"narrative":"n"}})");
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_EQ(h_->Json(edit).at("version").as_int64(), 2);
  TestResponse again = h_->Call("GET", path, "", "", "", {{"Accept", "application/ld+json"}});
  EXPECT_EQ(again.body, js.body);

  // A tampered credential does not verify.
  std::string tampered = one.body;
  size_t pos = tampered.find("Data Analysis");
  tampered.replace(pos, 4, "Fake");
  EXPECT_FALSE(Verify(tampered).at("verified").as_bool());
}

TEST_P(EndToEnd, VcApiIssueAndVerify) {
  Harness::Org org = h_->CreateOrg("vcapi");
  TestResponse dk = h_->Call("POST", "/api/v1/orgs/" + org.id + "/did-key", org.admin_key);
  ASSERT_EQ(dk.status, 200) << dk.body;
  std::string did(h_->Json(dk).at("did").as_string());
  std::string key = h_->CreateKey(org, "issuer");
  std::string vc2 = R"({"credential":{"@context":["https://www.w3.org/ns/credentials/v2",
      "https://www.w3.org/ns/credentials/examples/v2"],"type":["VerifiableCredential",
      "ExampleAlumniCredential"],"credentialSubject":{"id":"did:example:abc",
      "alumniOf":"Example University"}},"options":{"credentialStatus":
      {"type":"BitstringStatusListEntry","statusPurpose":"revocation"}}})";
  TestResponse r = h_->Call("POST", "/credentials/issue", key, vc2);
  ASSERT_EQ(r.status, 201) << r.body;
  json::Value vc = h_->Json(r).at("verifiableCredential");
  EXPECT_EQ(vc.at("issuer").as_string(), did);
  EXPECT_EQ(vc.at("credentialStatus").at("statusPurpose").as_string(), "revocation");
  // The same credential may be issued again.
  EXPECT_EQ(h_->Call("POST", "/credentials/issue", key, vc2).status, 201);
  TestResponse v = h_->Call("POST", "/credentials/verify", "",
                            R"({"verifiableCredential":)" + json::Serialize(vc) + "}");
  EXPECT_EQ(v.status, 200) << v.body;
  // VC 1.1 gets the Data Integrity context.
  TestResponse v11 = h_->Call(
      "POST", "/credentials/issue", key,
      R"({"credential":{"@context":["https://www.w3.org/2018/credentials/v1"],
      "type":["VerifiableCredential"],"credentialSubject":{"id":"did:example:x"}}})");
  ASSERT_EQ(v11.status, 201) << v11.body;
  EXPECT_NE(v11.body.find("https://w3id.org/security/data-integrity/v2"), std::string::npos);
  // Bad input is 4xx, never 5xx; no key is 401; another issuer is refused.
  EXPECT_EQ(h_->Call("POST", "/credentials/issue", key, R"({"credential":{}})").status, 422);
  EXPECT_EQ(h_->Call("POST", "/credentials/issue", key, "{").status, 400);
  EXPECT_EQ(h_->Call("POST", "/credentials/issue", "", vc2).status, 401);
  EXPECT_EQ(h_->Call("POST", "/credentials/issue", key,
                     R"({"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],
                     "type":["VerifiableCredential"],"issuer":"did:example:other",
                     "credentialSubject":{"id":"did:example:x"}}})")
                .status,
            422);
  EXPECT_EQ(h_->Call("POST", "/credentials/issue", h_->CreateKey(org, "viewer"), vc2).status,
            403);
}

// Bulk jobs reach learners and pathways through the application as
// `credstack serve` assembles it: a learner known by email receives both
// components of a pathway in two bulk jobs among other recipients; the
// credentials are the learner's and the stacked credential is awarded once.
TEST_P(EndToEnd, BulkJobsLinkLearnersAndAwardPathwaysOnce) {
  Harness::Org org = h_->CreateOrg("stack");
  std::string key = h_->CreateKey(org, "issuer");
  std::string a = h_->CreateAchievement(org, "Part A");
  std::string b = h_->CreateAchievement(org, "Part B");
  std::string stack = h_->CreateAchievement(org, "Stacked");
  TestResponse pathway = h_->Call(
      "POST", "/api/v1/orgs/" + org.id + "/pathways", key,
      R"({"id":"urn:p:bulk","name":"Bulk","achievement":")" + stack +
          R"(","rule":{"type":"allOf","rules":[{"type":"achievement","id":"urn:uuid:)" + a +
          R"("},{"type":"achievement","id":"urn:uuid:)" + b + R"("}]}})");
  ASSERT_EQ(pathway.status, 201) << pathway.body;
  TestResponse learner =
      h_->Call("POST", "/api/v1/learners", key, R"({"emails":["grace@example.org"]})");
  ASSERT_EQ(learner.status, 201) << learner.body;
  const std::string lid(h_->Json(learner).at("id").as_string());
  const std::pair<std::string, std::string> token = {
      "X-Learner-Token", std::string(h_->Json(learner).at("token").as_string())};

  for (const std::string& ach : {a, b}) {
    std::string csv = "recipient,rowKey\n";
    for (int i = 0; i < 300; ++i) {
      csv += (i == 150 ? std::string("Grace@Example.org")
                       : "other" + std::to_string(i) + "@example.org") +
             ",r" + std::to_string(i) + "\n";
    }
    TestResponse job = h_->Call("POST", "/api/v1/orgs/" + org.id + "/jobs?achievementId=" + ach,
                                key, csv, "text/csv");
    ASSERT_EQ(job.status, 202) << job.body;
    std::string job_id(h_->Json(job).at("id").as_string());
    json::Value state;
    for (int i = 0; i < 600; ++i) {
      state = h_->Json(h_->Call("GET", "/api/v1/jobs/" + job_id, key));
      if (state.at("status").as_string() == "done") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(state.at("status").as_string(), "done") << json::Serialize(state);
    EXPECT_EQ(state.at("issued").as_int64(), 300);
  }

  // A job is done when its rows are committed; the learner's links and the
  // award follow each batch's commit on the worker, moments later.
  json::Value progress;
  for (int i = 0; i < 200; ++i) {
    TestResponse p = h_->Call("GET", "/api/v1/learners/" + lid + "/pathways/urn:p:bulk", "", "",
                              "application/json", {token});
    ASSERT_EQ(p.status, 200) << p.body;
    progress = h_->Json(p);
    if (progress.as_object().contains("award")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(progress.as_object().contains("award")) << json::Serialize(progress);
  EXPECT_TRUE(progress.at("satisfied").as_bool());

  TestResponse skills = h_->Call("GET", "/api/v1/learners/" + lid + "/skills", "", "",
                                 "application/json", {token});
  ASSERT_EQ(skills.status, 200) << skills.body;
  json::Value profile = h_->Json(skills);
  const json::Array& credentials = profile.at("credentials").as_array();
  std::set<std::string> achievements;
  for (const json::Value& c : credentials) {
    EXPECT_TRUE(c.at("verified").as_bool()) << json::Serialize(c);
    achievements.insert(std::string(c.at("achievement").as_string()));
  }
  EXPECT_EQ(credentials.size(), 3u);
  EXPECT_EQ(achievements, (std::set<std::string>{"urn:uuid:" + a, "urn:uuid:" + b,
                                                 "urn:uuid:" + stack}));
  // Exactly one stacked credential, and nobody else got one.
  int64_t stacked = 0;
  ASSERT_TRUE(h_->store()
                  .Read([&](store::Tx& tx) -> Status {
                    std::string after;
                    for (;;) {
                      CREDSTACK_ASSIGN_OR_RETURN(auto page,
                                                 tx.credentials().ListByOrg(org.id, after, 1000));
                      if (page.empty()) return OkStatus();
                      after = page.back().id;
                      for (const auto& c : page) stacked += c.achievement_id == stack;
                    }
                  })
                  .ok());
  EXPECT_EQ(stacked, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, EndToEnd,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) {
                           return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace credstack::service_testing
