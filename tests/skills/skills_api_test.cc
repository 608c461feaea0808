// The skills API over real HTTP (SQLite): framework import, lookup,
// planning attributes, recommendations (with bad input), learners and
// their access, pathways with automatic award after HTTP issuance, skill
// profile, breadth, the CLR export verified through POST /api/v1/verify,
// and a revoked component that makes progress drop while the award stays.
// Bad input (malformed CSV through `credstack skills import --server`,
// empty catalog, unknown skills, cyclic prerequisites, bad pathways) is
// refused with a clear message and leaves the store as it was.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "credstack/cli/commands.h"
#include "credstack/cli/pathway_commands.h"
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
    hooks.api_keys =
        [keys, op](const crypto::Sha256Digest& h) -> Result<server::Principal> {
      if (h == op)
        return server::Principal{"operator", "", server::Role::kAdmin};
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
    TestRequest r{.method = std::move(method),
                  .target = std::move(target),
                  .headers = std::move(headers),
                  .body = std::move(body)};
    if (!r.body.empty())
      r.headers.push_back({"Content-Type", "application/json"});
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
    TestResponse r =
        Call("POST", "/api/v1/orgs/" + org_.org.id + "/achievements",
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
  EXPECT_EQ(
      Call("POST", "/api/v1/frameworks/esco", snapshot, {Key(org_)}).status,
      403);
  TestResponse imported =
      Call("POST", "/api/v1/frameworks/esco", snapshot, {op});
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_EQ(J(imported).at("skills").as_int64(), 6);
  EXPECT_EQ(J(imported).at("source").as_string(), "ESCO, European Commission");
  TestResponse again = Call("POST", "/api/v1/frameworks/esco", snapshot, {op});
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(J(again).at("framework").as_object().at("revision").as_int64(), 1);
  EXPECT_EQ(
      Call("POST", "/api/v1/frameworks/esco", "{\"format\":1}", {op}).status,
      422);

  TestResponse skills = Call("GET", "/api/v1/skills?q=skill+4", "", {});
  ASSERT_EQ(skills.status, 200) << skills.body;
  EXPECT_EQ(J(skills).at("source").as_string(), "ESCO, European Commission");
  EXPECT_EQ(
      J(skills).at("results").as_array()[0].as_object().at("id").as_string(),
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
                 plan_body(10, ""), {Key(org_)})
                .status,
            200);
  EXPECT_EQ(Call("PUT", org_path + "/achievements/" + b + "/planning",
                 plan_body(5, "urn:uuid:" + a), {Key(org_)})
                .status,
            200);
  EXPECT_EQ(Call("PUT", org_path + "/achievements/" + c + "/planning",
                 plan_body(20, ""), {Key(org_)})
                .status,
            200);
  // A cycle is refused and nothing changes.
  TestResponse cyc = Call("PUT", org_path + "/achievements/" + a + "/planning",
                          plan_body(10, "urn:uuid:" + b), {Key(org_)});
  EXPECT_EQ(cyc.status, 422) << cyc.body;
  EXPECT_NE(cyc.body.find("cyclic prerequisites"), std::string::npos);
  TestResponse pa = Call("GET", org_path + "/achievements/" + a + "/planning",
                         "", {Key(org_)});
  EXPECT_EQ(J(pa).at("prerequisites").as_array().size(), 0u);
  EXPECT_EQ(
      Call("PUT",
           "/api/v1/orgs/" + other_.org.id + "/achievements/" + a + "/planning",
           plan_body(1, ""), {Key(other_)})
          .status,
      404);

  // Recommendations.
  TestResponse rec =
      Call("POST", "/api/v1/recommendations",
           R"({"need": ["s:1", "skill 4"], "objective": "hours"})", {});
  ASSERT_EQ(rec.status, 200) << rec.body;
  EXPECT_EQ(J(rec).at("status").as_string(), "optimal");
  EXPECT_EQ(J(rec).at("steps").as_array().size(), 2u);
  EXPECT_EQ(J(rec).at("source").as_string(), "ESCO, European Commission");
  TestResponse bad = Call("POST", "/api/v1/recommendations",
                          R"({"need": ["s:6"], "catalog": {"achievements": [
          {"id": "x", "alignment": [{"targetUrl": "s:6"}], "prerequisites": ["y"]},
          {"id": "y", "alignment": [{"targetUrl": "s:2"}], "prerequisites": ["x"]}]}})",
                          {});
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_NE(bad.body.find("cyclic prerequisites"), std::string::npos)
      << bad.body;
  EXPECT_EQ(Call("POST", "/api/v1/recommendations", R"({"need": ["nope"]})", {})
                .status,
            422);
  EXPECT_EQ(Call("POST", "/api/v1/recommendations", "{\"need\": [", {}).status,
            400);

  // Learners: created by an organization; the token or the org's keys.
  TestResponse learner =
      Call("POST", "/api/v1/learners", R"({"did": "did:example:http-learner"})",
           {Key(org_)});
  ASSERT_EQ(learner.status, 201) << learner.body;
  const std::string lid(J(learner).at("id").as_string());
  const std::pair<std::string, std::string> token = {
      "X-Learner-Token", std::string(J(learner).at("token").as_string())};
  const std::string lpath = "/api/v1/learners/" + lid;
  EXPECT_EQ(Call("GET", lpath + "/skills", "", {}).status, 401);
  EXPECT_EQ(
      Call("GET", lpath + "/skills", "", {{"X-Learner-Token", "lt_x"}}).status,
      401);
  EXPECT_EQ(Call("GET", lpath + "/skills", "", {Key(other_)}).status, 403);
  EXPECT_EQ(Call("GET", lpath + "/skills", "", {Key(org_)}).status, 200);
  EXPECT_EQ(Call("GET", lpath, "", {token}).status, 200);

  // Pathway: A and (B or C); bad definitions store nothing.
  std::string def =
      R"({"id": "urn:p:http", "name": "Junior", "achievement": ")" + stack +
      R"(", "rule": {"type": "allOf", "rules": [
      {"type": "achievement", "id": "urn:uuid:)" +
      a + R"("},
      {"type": "nOf", "n": 1, "rules": [
        {"type": "achievement", "id": "urn:uuid:)" +
      b + R"("},
        {"type": "achievement", "id": "urn:uuid:)" +
      c + R"("}]}]}})";
  TestResponse bad_p =
      Call("POST", org_path + "/pathways",
           R"({"achievement": ")" + stack +
               R"(", "rule": {"type": "achievement", "id": "zz"}})",
           {Key(org_)});
  EXPECT_EQ(bad_p.status, 422) << bad_p.body;
  EXPECT_EQ(J(Call("GET", org_path + "/pathways", "", {Key(org_)}))
                .at("pathways")
                .as_array()
                .size(),
            0u);
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
    return r.body;
  };
  const std::string cred_a = issue(a);
  TestResponse progress =
      Call("GET", lpath + "/pathways/urn:p:http", "", {token});
  ASSERT_EQ(progress.status, 200) << progress.body;
  json::Object half = J(progress);
  EXPECT_FALSE(half.at("satisfied").as_bool());
  const json::Array& steps =
      half.at("finish").as_object().at("steps").as_array();
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].as_object().at("achievement").as_string(),
            "urn:uuid:" + b);
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
  TestResponse mine =
      Call("POST", "/api/v1/recommendations",
           R"({"learner": ")" + lid + R"(", "target": "developer"})", {token});
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

  // The stacked credential, fetched from its public URL, verifies.
  auto verifies = [&](const std::string& credential) {
    TestResponse v = Call("POST", "/api/v1/verify", credential, {});
    EXPECT_EQ(v.status, 200) << v.body;
    return v.status == 200 && J(v).at("verified").as_bool();
  };
  progress = Call("GET", lpath + "/pathways/urn:p:http", "", {token});
  const std::string award_id(
      J(progress).at("award").as_object().at("credential").as_string());
  ASSERT_EQ(award_id.rfind("urn:uuid:", 0), 0u) << award_id;
  TestResponse stacked = Call("GET", "/credentials/" + award_id.substr(9), "",
                              {{"Accept", "application/ld+json"}});
  ASSERT_EQ(stacked.status, 200) << stacked.body;
  EXPECT_EQ(J(stacked)
                .at("credentialSubject")
                .as_object()
                .at("achievement")
                .as_object()
                .at("id")
                .as_string(),
            "urn:uuid:" + stack);
  EXPECT_TRUE(verifies(stacked.body)) << stacked.body;
  EXPECT_TRUE(verifies(cred_a));

  // Revoke component A. This branch has no revocation route yet (it comes
  // with the status-list service): flip A's revocation bit in the store as
  // that route does; the published status list follows the store.
  const std::string a_id(J(TestResponse{.body = cred_a}).at("id").as_string());
  ASSERT_TRUE(d_.ctx->store
                  ->Transact([&](store::Tx& tx) {
                    return tx.status_lists()
                        .SetStatus(
                            {.credential_id = a_id,
                             .purpose = store::StatusPurpose::kRevocation,
                             .new_value = 1,
                             .reason = "test",
                             .actor = "test",
                             .when = d_.ctx->clock->Now()})
                        .status();
                  })
                  .ok());
  EXPECT_FALSE(verifies(cred_a));
  // Progress drops (A is missing again and is the way to finish); the
  // award stays, as issued, and still verifies; nothing new is awarded.
  progress = Call("GET", lpath + "/pathways/urn:p:http", "", {token});
  ASSERT_EQ(progress.status, 200) << progress.body;
  json::Object dropped = J(progress);
  EXPECT_FALSE(dropped.at("satisfied").as_bool()) << progress.body;
  ASSERT_TRUE(dropped.contains("award")) << progress.body;
  EXPECT_EQ(dropped.at("award").as_object().at("credential").as_string(),
            award_id);
  const json::Array& refill =
      dropped.at("finish").as_object().at("steps").as_array();
  ASSERT_EQ(refill.size(), 1u) << progress.body;
  EXPECT_EQ(refill[0].as_object().at("achievement").as_string(),
            "urn:uuid:" + a);
  eval = Call("POST", lpath + "/evaluate", "", {token});
  EXPECT_EQ(eval.status, 200);
  EXPECT_EQ(J(eval).at("awards").as_array().size(), 0u);
  profile = Call("GET", lpath + "/skills", "", {token});
  ids.clear();
  profile_json = J(profile);
  for (const json::Value& s : profile_json.at("skills").as_array())
    ids.emplace_back(s.as_object().at("id").as_string());
  EXPECT_EQ(ids, (std::vector<std::string>{"s:4", "s:6"}));
  EXPECT_TRUE(verifies(stacked.body));
}

struct CliRun {
  int exit = -1;
  std::string out, err;
};

// Runs `credstack ARGS...` in process, as main() would.
CliRun Credstack(std::vector<std::string> args) {
  CLI::App app("credstack");
  app.require_subcommand(1);
  cli::AddPathwayCommands(app);
  args.insert(args.begin(), "credstack");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  std::ostringstream out, err;
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  CliRun r;
  cli::ExitCode() = 0;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
    r.exit = cli::ExitCode();
  } catch (const CLI::ParseError& e) {
    r.exit = app.exit(e, out, err) == 0 ? 0 : 2;
  }
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// The ESCO v1.1.1 CSV layout, three skills and one occupation.
void WriteEsco(const std::filesystem::path& dir, const std::string& relations) {
  std::filesystem::create_directories(dir);
  auto write = [&](const char* name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
  };
  write("skillGroups_en.csv",
        "conceptType,conceptUri,preferredLabel,description,code\r\n"
        "SkillGroup,g:top,skills,,S\r\n");
  write("skills_en.csv",
        "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,"
        "description\r\n"
        "KnowledgeSkillCompetence,s:a,skill/competence,transversal,listen,\r\n"
        "KnowledgeSkillCompetence,s:b,knowledge,sector-specific,civil law,\r\n"
        "KnowledgeSkillCompetence,s:c,skill/competence,,typing,\r\n");
  write("occupations_en.csv",
        "conceptType,conceptUri,iscoGroup,preferredLabel,description,code\r\n"
        "Occupation,o:clerk,4110,clerk,,4110.1\r\n");
  write("broaderRelationsSkillPillar.csv",
        "conceptType,conceptUri,broaderType,broaderUri\r\n"
        "KnowledgeSkillCompetence,s:a,SkillGroup,g:top\r\n"
        "KnowledgeSkillCompetence,s:b,SkillGroup,g:top\r\n"
        "KnowledgeSkillCompetence,s:c,SkillGroup,g:top\r\n");
  write("occupationSkillRelations.csv",
        "occupationUri,relationType,skillType,skillUri\r\n" + relations);
}

struct StoreCounts {
  int64_t learners = 0, pathways = 0, versions = 0;
  std::string planning;
  std::vector<std::string> frameworks;  // id@revision
  bool operator==(const StoreCounts&) const = default;
};

TEST_F(SkillsHttpSqlite, BadInputIsRefusedAndStoresNothing) {
  const std::string op_token = kOperator;
  const std::string url = "http://127.0.0.1:" + std::to_string(server_->port());
  auto counts = [&] {
    StoreCounts c;
    EXPECT_TRUE(
        d_.ctx->store
            ->Read([&](store::Tx& tx) -> Status {
              CREDSTACK_ASSIGN_OR_RETURN(c.learners, tx.learners().Count());
              CREDSTACK_ASSIGN_OR_RETURN(c.pathways, tx.pathways().Count());
              CREDSTACK_ASSIGN_OR_RETURN(
                  c.versions, tx.skill_frameworks().AchievementVersionCount());
              CREDSTACK_ASSIGN_OR_RETURN(
                  c.planning, tx.skill_frameworks().PlanningRevision());
              CREDSTACK_ASSIGN_OR_RETURN(auto fws,
                                         tx.skill_frameworks().List());
              for (const store::SkillFramework& f : fws)
                c.frameworks.push_back(f.id + "@" + std::to_string(f.revision));
              return OkStatus();
            })
            .ok());
    return c;
  };
  auto problem = [&](const TestResponse& r, int status,
                     const std::string& text) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_NE(r.body.find(text), std::string::npos)
        << "expected \"" << text << "\" in " << r.body;
  };
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("credstack_skills_bad_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::string good_rel =
      "o:clerk,essential,skill/competence,s:a\r\n"
      "o:clerk,optional,knowledge,s:b\r\n";
  const std::string bad_rel =
      "o:clerk,essential,skill/competence,s:a\r\n"
      "o:clerk,\"optional\"x,knowledge,s:b\r\n";  // text after a quote
  WriteEsco(dir / "good", good_rel);
  WriteEsco(dir / "bad", bad_rel);
  auto import = [&](const std::string& sub) {
    return Credstack({"skills", "import", "--format", "esco",
                      (dir / sub).string(), "--server", url, "--framework-id",
                      "esco", "--token", op_token});
  };

  // Empty deployment: no framework, no achievements.
  const StoreCounts empty = counts();
  EXPECT_TRUE(empty.frameworks.empty());
  problem(Call("POST", "/api/v1/recommendations", R"({"need": ["s:a"]})", {}),
          422, "no achievements");

  // Malformed CSV: file, line and column; nothing reaches the server.
  CliRun bad = import("bad");
  EXPECT_EQ(bad.exit, 2) << bad.out << bad.err;
  EXPECT_NE(bad.err.find("occupationSkillRelations.csv:3:19:"),
            std::string::npos)
      << bad.err;
  EXPECT_EQ(bad.out.find("Stored in"), std::string::npos) << bad.out;
  EXPECT_EQ(counts(), empty);
  EXPECT_EQ(J(Call("GET", "/api/v1/frameworks", "", {}))
                .at("frameworks")
                .as_array()
                .size(),
            0u);

  // A good import is stored; a malformed re-import keeps it as it was.
  CliRun good = import("good");
  ASSERT_EQ(good.exit, 0) << good.err;
  EXPECT_NE(
      good.out.find("Stored in " + url + " as framework \"esco\" (revision 1"),
      std::string::npos)
      << good.out;
  EXPECT_NE(good.out.find("Source: ESCO, European Commission"),
            std::string::npos)
      << good.out;
  const StoreCounts imported = counts();
  EXPECT_EQ(imported.frameworks, std::vector<std::string>{"esco@1"});
  bad = import("bad");
  EXPECT_EQ(bad.exit, 2);
  EXPECT_EQ(counts(), imported);
  // The server's own check of a snapshot: an occupation naming a skill
  // the framework lacks is refused the same way.
  json::Object snapshot =
      pathways::FrameworkToJson(pathways::testing::TinyFramework()).as_object();
  json::Array& skills = snapshot.at("skills").as_array();
  skills.erase(skills.begin());  // s:1, still required by occupations
  TestResponse dangling =
      Call("POST", "/api/v1/frameworks/esco", json::Serialize(snapshot),
           {{"Authorization", "Bearer " + op_token}});
  EXPECT_EQ(dangling.status, 422) << dangling.body;
  EXPECT_EQ(counts(), imported);

  // Empty catalog with a framework: still no achievements to plan with.
  problem(Call("POST", "/api/v1/recommendations", R"({"need": ["s:a"]})", {}),
          422, "no achievements");
  // An uploaded catalog that is empty adds nothing either.
  problem(Call("POST", "/api/v1/recommendations",
               R"({"need": ["s:a"], "catalog": {"achievements": []}})", {}),
          422, "no achievements");

  // Achievements: one teaches s:a, one is aligned to a skill ESCO lacks.
  std::string listen = Achievement("Listening", "s:a");
  Achievement("Ghost skill", "s:zz");  // s:zz: not an ESCO skill here
  std::string typing = Achievement("Typing", "s:c");
  const std::string org_path = "/api/v1/orgs/" + org_.org.id;
  auto planning = [&](const std::string& ach, const std::string& body) {
    return Call("PUT", org_path + "/achievements/" + ach + "/planning", body,
                {Key(org_)});
  };
  ASSERT_EQ(planning(listen, R"({"hours": 4})").status, 200);
  ASSERT_EQ(planning(typing, R"({"hours": 2, "prerequisites": ["urn:uuid:)" +
                                 listen + R"("]})")
                .status,
            200);
  const StoreCounts planned = counts();

  // Unknown skills: in the request, in an uploaded catalog. (An issued
  // achievement may align to skills of any framework, as OB 3.0 allows;
  // the deployment catalog ignores such alignments with a warning, below.)
  problem(Call("POST", "/api/v1/recommendations",
               R"({"need": ["s:a", "no such skill"]})", {}),
          422, "$.need[1]: unknown skill");
  problem(Call("POST", "/api/v1/recommendations",
               R"({"need": ["s:a"], "catalog": {"achievements": [
                   {"id": "x", "alignment": [{"targetUrl": "s:zz"}]}]}})",
               {}),
          422, "unknown skill s:zz");
  // Cyclic prerequisites: stored ones and an uploaded catalog.
  problem(planning(listen, R"({"hours": 4, "prerequisites": ["urn:uuid:)" +
                               typing + R"("]})"),
          422, "cyclic prerequisites");
  problem(Call("POST", "/api/v1/recommendations",
               R"({"need": ["s:b"], "catalog": {"achievements": [
                   {"id": "x", "alignment": [{"targetUrl": "s:b"}], "prerequisites": ["y"]},
                   {"id": "y", "alignment": [{"targetUrl": "s:c"}], "prerequisites": ["x"]}]}})",
               {}),
          422, "cyclic prerequisites: x -> y -> x");
  // Pathways over unknown skills or achievements.
  problem(
      Call("POST", org_path + "/pathways",
           R"({"id": "urn:p:bad", "achievement": ")" + typing +
               R"(", "rule": {"type": "skills", "skills": ["s:a", "s:404"]}})",
           {Key(org_)}),
      422, "unknown skill");
  problem(Call("POST", org_path + "/pathways",
               R"({"id": "urn:p:bad", "achievement": ")" + typing +
                   R"(", "rule": {"type": "achievement", "id": "urn:nope"}})",
               {Key(org_)}),
          422, "urn:nope");
  // Malformed JSON is a 400.
  EXPECT_EQ(planning(listen, "{\"hours\": ").status, 400);
  EXPECT_EQ(counts(), planned);
  TestResponse kept =
      Call("GET", org_path + "/achievements/" + listen + "/planning", "",
           {Key(org_)});
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(J(kept).at("prerequisites").as_array().size(), 0u);
  EXPECT_EQ(Call("GET", "/api/v1/pathways/urn:p:bad", "", {}).status, 404);

  // And the valid request over the same data plans in prerequisite order.
  TestResponse plan =
      Call("POST", "/api/v1/recommendations", R"({"need": ["s:c"]})", {});
  ASSERT_EQ(plan.status, 200) << plan.body;
  json::Object plan_json = J(plan);
  const json::Array& steps = plan_json.at("steps").as_array();
  ASSERT_EQ(steps.size(), 2u) << plan.body;
  EXPECT_EQ(steps[0].as_object().at("achievement").as_string(),
            "urn:uuid:" + listen);
  EXPECT_EQ(steps[1].as_object().at("achievement").as_string(),
            "urn:uuid:" + typing);
  EXPECT_EQ(plan_json.at("catalog").as_object().at("warnings").as_int64(), 1)
      << "the alignment to s:zz";
  problem(Call("POST", "/api/v1/recommendations", R"({"need": ["s:zz"]})", {}),
          422, "unknown skill");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace credstack
