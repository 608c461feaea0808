// The skills API over real HTTP (SQLite): framework import, lookup,
// planning attributes, recommendations (with bad input), learners and
// their access, pathways with automatic award after HTTP issuance, skill
// profile, breadth and the CLR export verified through POST /api/v1/verify.

#include <gtest/gtest.h>

#include "credstack/crypto/sha.h"
#include "credstack/pathways/json_io.h"
#include "credstack/pathways/testing/fixtures.h"
#include "credstack/server/issuer_routes.h"
#include "credstack/server/server.h"
#include "credstack/server/store_hooks.h"
#include "credstack/server/testing/http_test_client.h"
#include "credstack/server/verify_routes.h"
#include "tests/skills/skills_deployment.h"

namespace credstack {
namespace {

using server::testing::Fetch;
using server::testing::TestRequest;
using server::testing::TestResponse;

constexpr char kOperator[] = "op_test_operator_token_0123456789";

class SkillsHttpSqlite : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why = d_.Start(app::testing::Backend::kSqlite);
    ASSERT_TRUE(why.empty()) << why;
    server::ServerConfig c;
    c.listen_host = "127.0.0.1";
    c.listen_port = 0;
    c.workers = 2;
    c.blocking_workers = 4;
    c.ip_rate.rate = 0;
    c.key_rate.rate = 0;
    c.max_upload = 16u << 20;
    server::Router router;
    server::ServerHooks hooks;
    hooks.logger = std::make_shared<server::Logger>(server::LogLevel::kOff);
    server::AddStoreHooks(hooks, d_.ctx->store);
    server::ApiKeyLookup keys = hooks.api_keys;
    crypto::Sha256Digest op = crypto::Sha256(std::string_view(kOperator));
    hooks.api_keys = [keys, op](const crypto::Sha256Digest& h)
        -> Result<server::Principal> {
      if (h == op) return server::Principal{"operator", "", server::Role::kAdmin};
      return keys(h);
    };
    ASSERT_TRUE(server::AddIssuerRoutes(router, d_.issuer, d_.verifier).ok());
    ASSERT_TRUE(server::AddVerifyRoutes(router, d_.verifier).ok());
    auto skills = server::InstallSkills(d_.ctx, d_.issuer, d_.verifier, router);
    ASSERT_TRUE(skills.ok()) << skills.status().ToString();
    auto srv = server::Server::Create(c, std::move(router), std::move(hooks));
    ASSERT_TRUE(srv.ok()) << srv.status().ToString();
    server_ = std::move(*srv);
    ASSERT_TRUE(server_->Start().ok());
    org_ = *d_.issuer->orgs->Create(
        json::Object{{"name", "Example University"}, {"slug", "uni"}}, "t");
    other_ = *d_.issuer->orgs->Create(
        json::Object{{"name", "Other"}, {"slug", "other"}}, "t");
  }
  void TearDown() override {
    if (server_) {
      server_->Shutdown();
      (void)server_->Wait();
    }
  }

  TestResponse Call(std::string method, std::string target, std::string body,
                    std::vector<std::pair<std::string, std::string>> headers) {
    TestRequest r{.method = std::move(method), .target = std::move(target),
                  .headers = std::move(headers), .body = std::move(body)};
    if (!r.body.empty()) r.headers.push_back({"Content-Type", "application/json"});
    Result<TestResponse> resp = Fetch(server_->port(), r);
    EXPECT_TRUE(resp.ok()) << resp.status().ToString();
    return resp.ok() ? *resp : TestResponse{};
  }
  std::pair<std::string, std::string> Key(const app::CreatedOrganization& o) {
    return {"Authorization", "Bearer " + o.admin_key.secret};
  }
  static json::Object J(const TestResponse& r) {
    auto v = json::Parse(r.body, {.max_size = 16u << 20});
    EXPECT_TRUE(v.ok() && v->is_object()) << r.body;
    return v.ok() && v->is_object() ? v->as_object() : json::Object{};
  }
  std::string Achievement(const std::string& name, const std::string& skill) {
    json::Object body{
        {"name", name},
        {"description", name},
        {"criteria", json::Object{{"narrative", "pass"}}},
        {"alignment", json::Array{json::Object{{"targetName", skill},
                                               {"targetUrl", skill},
                                               {"targetType", "ext:ESCO"}}}}};
    TestResponse r = Call("POST", "/api/v1/orgs/" + org_.org.id + "/achievements",
                          json::Serialize(body), {Key(org_)});
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(J(r).at("id").as_string());
  }

  skills_testing::Deployment d_;
  std::unique_ptr<server::Server> server_;
  app::CreatedOrganization org_, other_;
};

TEST_F(SkillsHttpSqlite, SkillsApiEndToEnd) {
  const std::pair<std::string, std::string> op = {
      "Authorization", std::string("Bearer ") + kOperator};
  std::string snapshot = json::Serialize(
      pathways::FrameworkToJson(pathways::testing::TinyFramework()));
  // Frameworks: the operator imports; an organization key may not.
  EXPECT_EQ(Call("POST", "/api/v1/frameworks/esco", snapshot, {Key(org_)}).status,
            403);
  TestResponse imported = Call("POST", "/api/v1/frameworks/esco", snapshot, {op});
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_EQ(J(imported).at("skills").as_int64(), 6);
  EXPECT_EQ(J(imported).at("source").as_string(), "ESCO, European Commission");
  TestResponse again = Call("POST", "/api/v1/frameworks/esco", snapshot, {op});
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(J(again).at("framework").as_object().at("revision").as_int64(), 1);
  EXPECT_EQ(Call("POST", "/api/v1/frameworks/esco", "{\"format\":1}", {op}).status,
            422);

  TestResponse skills = Call("GET", "/api/v1/skills?q=skill+4", "", {});
  ASSERT_EQ(skills.status, 200) << skills.body;
  EXPECT_EQ(J(skills).at("source").as_string(), "ESCO, European Commission");
  EXPECT_EQ(J(skills).at("results").as_array()[0].as_object().at("id").as_string(),
            "s:4");
  TestResponse occ = Call("GET", "/api/v1/occupations?q=develop", "", {});
  ASSERT_EQ(occ.status, 200);
  EXPECT_EQ(J(occ).at("results").as_array()[0].as_object().at("id").as_string(),
            "o:dev");
  EXPECT_EQ(Call("GET", "/api/v1/occupations/2512.1", "", {}).status, 200);

  // Achievements (issuer API) with planning attributes (skills API).
  std::string a = Achievement("Data basics", "s:1");
  std::string b = Achievement("Networks", "s:4");
  std::string c = Achievement("Law", "s:5");
  std::string stack = Achievement("Junior developer", "s:6");
  const std::string org_path = "/api/v1/orgs/" + org_.org.id;
  auto plan_body = [](double hours, std::string pre) {
    json::Object o{{"hours", hours}, {"price", hours * 10}};
    if (!pre.empty()) o["prerequisites"] = json::Array{json::Value(pre)};
    return json::Serialize(o);
  };
  EXPECT_EQ(Call("PUT", org_path + "/achievements/" + a + "/planning",
                 plan_body(10, ""), {Key(org_)}).status, 200);
  EXPECT_EQ(Call("PUT", org_path + "/achievements/" + b + "/planning",
                 plan_body(5, "urn:uuid:" + a), {Key(org_)}).status, 200);
  EXPECT_EQ(Call("PUT", org_path + "/achievements/" + c + "/planning",
                 plan_body(20, ""), {Key(org_)}).status, 200);
  // A cycle is refused and nothing changes.
  TestResponse cyc = Call("PUT", org_path + "/achievements/" + a + "/planning",
                          plan_body(10, "urn:uuid:" + b), {Key(org_)});
  EXPECT_EQ(cyc.status, 422) << cyc.body;
  EXPECT_NE(cyc.body.find("cyclic prerequisites"), std::string::npos);
  TestResponse pa = Call("GET", org_path + "/achievements/" + a + "/planning", "",
                         {Key(org_)});
  EXPECT_EQ(J(pa).at("prerequisites").as_array().size(), 0u);
  EXPECT_EQ(Call("PUT", "/api/v1/orgs/" + other_.org.id + "/achievements/" + a +
                     "/planning", plan_body(1, ""), {Key(other_)}).status,
            404);

  // Recommendations.
  TestResponse rec = Call("POST", "/api/v1/recommendations",
                          R"({"need": ["s:1", "skill 4"], "objective": "hours"})",
                          {});
  ASSERT_EQ(rec.status, 200) << rec.body;
  EXPECT_EQ(J(rec).at("status").as_string(), "optimal");
  EXPECT_EQ(J(rec).at("steps").as_array().size(), 2u);
  EXPECT_EQ(J(rec).at("source").as_string(), "ESCO, European Commission");
  TestResponse bad = Call(
      "POST", "/api/v1/recommendations",
      R"({"need": ["s:6"], "catalog": {"achievements": [
          {"id": "x", "alignment": [{"targetUrl": "s:6"}], "prerequisites": ["y"]},
          {"id": "y", "alignment": [{"targetUrl": "s:2"}], "prerequisites": ["x"]}]}})",
      {});
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_NE(bad.body.find("cyclic prerequisites"), std::string::npos) << bad.body;
  EXPECT_EQ(Call("POST", "/api/v1/recommendations", R"({"need": ["nope"]})", {})
                .status,
            422);
  EXPECT_EQ(Call("POST", "/api/v1/recommendations", "{\"need\": [", {}).status,
            400);

  // Learners: created by an organization; the token or the org's keys.
  TestResponse learner = Call("POST", "/api/v1/learners",
                              R"({"did": "did:example:http-learner"})", {Key(org_)});
  ASSERT_EQ(learner.status, 201) << learner.body;
  const std::string lid(J(learner).at("id").as_string());
  const std::pair<std::string, std::string> token = {
      "X-Learner-Token", std::string(J(learner).at("token").as_string())};
  const std::string lpath = "/api/v1/learners/" + lid;
  EXPECT_EQ(Call("GET", lpath + "/skills", "", {}).status, 401);
  EXPECT_EQ(Call("GET", lpath + "/skills", "", {{"X-Learner-Token", "lt_x"}}).status,
            401);
  EXPECT_EQ(Call("GET", lpath + "/skills", "", {Key(other_)}).status, 403);
  EXPECT_EQ(Call("GET", lpath + "/skills", "", {Key(org_)}).status, 200);
  EXPECT_EQ(Call("GET", lpath, "", {token}).status, 200);

  // Pathway: A and (B or C); bad definitions store nothing.
  std::string def = R"({"id": "urn:p:http", "name": "Junior", "achievement": ")" +
                    stack + R"(", "rule": {"type": "allOf", "rules": [
      {"type": "achievement", "id": "urn:uuid:)" + a + R"("},
      {"type": "nOf", "n": 1, "rules": [
        {"type": "achievement", "id": "urn:uuid:)" + b + R"("},
        {"type": "achievement", "id": "urn:uuid:)" + c + R"("}]}]}})";
  TestResponse bad_p = Call("POST", org_path + "/pathways",
                            R"({"achievement": ")" + stack +
                                R"(", "rule": {"type": "achievement", "id": "zz"}})",
                            {Key(org_)});
  EXPECT_EQ(bad_p.status, 422) << bad_p.body;
  EXPECT_EQ(J(Call("GET", org_path + "/pathways", "", {Key(org_)}))
                .at("pathways").as_array().size(), 0u);
  TestResponse created = Call("POST", org_path + "/pathways", def, {Key(org_)});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Call("GET", "/api/v1/pathways/urn:p:http", "", {}).status, 200);

  // Issue A over HTTP: the pathway is half done; the cheapest finish is B.
  auto issue = [&](const std::string& ach) {
    TestResponse r = Call("POST", org_path + "/credentials",
                          R"({"achievementId": ")" + ach +
                              R"(", "recipient": "did:example:http-learner"})",
                          {Key(org_)});
    EXPECT_EQ(r.status, 201) << r.body;
  };
  issue(a);
  TestResponse progress = Call("GET", lpath + "/pathways/urn:p:http", "", {token});
  ASSERT_EQ(progress.status, 200) << progress.body;
  json::Object half = J(progress);
  EXPECT_FALSE(half.at("satisfied").as_bool());
  const json::Array& steps = half.at("finish").as_object().at("steps").as_array();
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].as_object().at("achievement").as_string(), "urn:uuid:" + b);
  // Issue B: the stacked credential is awarded automatically.
  issue(b);
  progress = Call("GET", lpath + "/pathways/urn:p:http", "", {token});
  ASSERT_EQ(progress.status, 200);
  EXPECT_TRUE(J(progress).at("satisfied").as_bool()) << progress.body;
  ASSERT_TRUE(J(progress).contains("award")) << progress.body;
  TestResponse eval = Call("POST", lpath + "/evaluate", "", {token});
  EXPECT_EQ(eval.status, 200);
  EXPECT_EQ(J(eval).at("awards").as_array().size(), 0u);  // nothing new

  TestResponse profile = Call("GET", lpath + "/skills", "", {token});
  ASSERT_EQ(profile.status, 200);
  std::vector<std::string> ids;
  json::Object profile_json = J(profile);
  for (const json::Value& s : profile_json.at("skills").as_array())
    ids.emplace_back(s.as_object().at("id").as_string());
  EXPECT_EQ(ids, (std::vector<std::string>{"s:1", "s:4", "s:6"}));
  EXPECT_EQ(J(profile).at("source").as_string(), "ESCO, European Commission");
  TestResponse breadth = Call("GET", lpath + "/breadth?level=0", "", {token});
  ASSERT_EQ(breadth.status, 200) << breadth.body;
  EXPECT_EQ(J(breadth).at("groupsCovered").as_int64(), 2);

  // Recommendation for the learner's target: only s:5 is missing.
  TestResponse mine = Call("POST", "/api/v1/recommendations",
                           R"({"learner": ")" + lid + R"(", "target": "developer"})",
                           {token});
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(J(mine).at("missingSkills").as_array().size(), 1u) << mine.body;
  EXPECT_EQ(Call("POST", "/api/v1/recommendations",
                 R"({"learner": ")" + lid + R"(", "target": "developer"})", {})
                .status,
            401);

  // CLR 2.0, verified by the public verification endpoint.
  TestResponse clr = Call("GET", lpath + "/clr", "", {token});
  ASSERT_EQ(clr.status, 200) << clr.body;
  TestResponse verified = Call("POST", "/api/v1/verify", clr.body, {});
  ASSERT_EQ(verified.status, 200);
  EXPECT_TRUE(J(verified).at("verified").as_bool()) << verified.body;
}

}  // namespace
}  // namespace credstack
