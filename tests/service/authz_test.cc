// Authorization matrix: every route of the running server × role ×
// other organization. The table below names each route's policy; a route
// the table does not know fails the test, so a new route cannot ship
// without a deliberate policy. Denied requests answer 401/403 (404 where
// the path does not name the organization) and change nothing. Learner
// routes authenticate in the handler (learner token or an API key of the
// managing organization) and have their own matrix below.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "credstack/crypto/sha.h"
#include "credstack/pathways/json_io.h"
#include "credstack/pathways/testing/fixtures.h"
#include "credstack/server/skills_routes.h"
#include "harness.h"

namespace credstack::service_testing {
namespace {

// kLearner: public for the router; the handler wants the learner's token
// or an API key of the organization managing the learner (LearnerMatrix).
enum class Who { kPublic, kLearner, kViewer, kIssuer, kAdmin, kOperator };

struct Rule {
  Who who;
  // Organization B's admin key on organization A's target. 0: the path
  // names no organization and B's key acts on B (allowed; made after the
  // no-change check).
  int other = 403;
  // The operator token (no organization); 0: allowed.
  int op = 403;
};

// "METHOD pattern" → who may call it.
const std::map<std::string, Rule>& Table() {
  static const auto* t = [] {
    auto* m = new std::map<std::string, Rule>{
        {"GET /healthz", {Who::kPublic}},
        {"GET /readyz", {Who::kPublic}},
        {"GET /metrics", {Who::kPublic}},
        {"GET /api/v1/openapi.json", {Who::kPublic}},
        {"GET /", {Who::kPublic}},
        {"POST /api/v1/verify", {Who::kPublic}},
        {"POST /credentials/verify", {Who::kPublic}},
        {"POST /presentations/verify", {Who::kPublic}},
        {"GET /credentials/{id}", {Who::kPublic}},
        {"GET /.well-known/did.json", {Who::kPublic}},
        {"GET /issuers/{slug}/did.json", {Who::kPublic}},
        // Public in the table; an issuer key is checked in the handler
        // unless an open issuer instance is configured (tested below).
        {"POST /credentials/issue", {Who::kPublic}},
        {"POST /api/v1/orgs", {Who::kOperator}},
        {"GET /api/v1/orgs", {Who::kOperator}},
        {"GET /api/v1/me", {Who::kViewer, 0, 0}},
        {"GET /api/v1/orgs/{org}", {Who::kViewer}},
        {"PUT /api/v1/orgs/{org}", {Who::kAdmin}},
        {"GET /api/v1/orgs/{org}/keys", {Who::kViewer}},
        {"POST /api/v1/orgs/{org}/keys/rotate", {Who::kAdmin}},
        {"POST /api/v1/orgs/{org}/did-key", {Who::kAdmin}},
        {"GET /api/v1/orgs/{org}/api-keys", {Who::kAdmin}},
        {"POST /api/v1/orgs/{org}/api-keys", {Who::kAdmin}},
        {"DELETE /api/v1/orgs/{org}/api-keys/{key}", {Who::kAdmin}},
        {"POST /api/v1/orgs/{org}/achievements", {Who::kIssuer}},
        {"GET /api/v1/orgs/{org}/achievements", {Who::kViewer}},
        {"GET /api/v1/orgs/{org}/achievements/{id}", {Who::kViewer}},
        {"PUT /api/v1/orgs/{org}/achievements/{id}", {Who::kIssuer}},
        {"GET /api/v1/orgs/{org}/achievements/{id}/versions", {Who::kViewer}},
        {"POST /api/v1/orgs/{org}/credentials", {Who::kIssuer}},
        {"GET /api/v1/orgs/{org}/credentials", {Who::kViewer}},
        {"POST /api/v1/orgs/{org}/jobs", {Who::kIssuer}},
        {"GET /api/v1/orgs/{org}/jobs", {Who::kViewer}},
        {"GET /api/v1/orgs/{org}/jobs/{job}", {Who::kViewer}},
        {"GET /api/v1/orgs/{org}/jobs/{job}/rows", {Who::kViewer}},
        {"GET /api/v1/jobs/{job}", {Who::kViewer, 404, 404}},

        // Status lists are public documents; changing a status is the
        // issuer's, of its own organization.
        {"GET /status/{list}", {Who::kPublic}},
        {"POST /status/{list}/publish", {Who::kIssuer, 403, 403}},
        {"GET /api/v1/orgs/{org}/credentials/{id}/status", {Who::kViewer}},
        {"POST /api/v1/orgs/{org}/credentials/{id}/status", {Who::kIssuer}},
        // VC-API: another organization's credential is "not found".
        {"POST /credentials/status", {Who::kIssuer, 404, 404}},

        // The transparency log: public documents; cosignatures are checked
        // against the configured witness keys (WitnessCosignatures below).
        {"GET /log/checkpoint", {Who::kPublic}},
        {"GET /log/proof/inclusion", {Who::kPublic}},
        {"GET /log/proof/consistency", {Who::kPublic}},
        {"POST /log/cosignatures", {Who::kPublic}},

        // Skills catalog and pathway definitions are public; frameworks are
        // deployment-wide data (the operator imports them).
        {"GET /api/v1/frameworks", {Who::kPublic}},
        {"POST /api/v1/frameworks/{framework}", {Who::kOperator}},
        {"GET /api/v1/skills", {Who::kPublic}},
        {"GET /api/v1/skills/{skill}", {Who::kPublic}},
        {"GET /api/v1/occupations", {Who::kPublic}},
        {"GET /api/v1/occupations/{occupation}", {Who::kPublic}},
        {"GET /api/v1/pathways/{pathway}", {Who::kPublic}},
        // Public from explicit skills; with "learner", learner auth.
        {"POST /api/v1/recommendations", {Who::kLearner}},
        // A learner is created in the key's organization.
        {"POST /api/v1/learners", {Who::kIssuer, 0, 403}},
        {"GET /api/v1/learners/{learner}", {Who::kLearner}},
        {"POST /api/v1/learners/{learner}/credentials", {Who::kLearner}},
        {"GET /api/v1/learners/{learner}/skills", {Who::kLearner}},
        {"GET /api/v1/learners/{learner}/breadth", {Who::kLearner}},
        {"GET /api/v1/learners/{learner}/pathways/{pathway}", {Who::kLearner}},
        {"POST /api/v1/learners/{learner}/evaluate", {Who::kLearner}},
        {"GET /api/v1/learners/{learner}/clr", {Who::kLearner}},
        {"POST /api/v1/orgs/{org}/pathways", {Who::kIssuer}},
        {"GET /api/v1/orgs/{org}/pathways", {Who::kViewer}},
        {"PUT /api/v1/orgs/{org}/achievements/{id}/planning", {Who::kIssuer}},
        {"GET /api/v1/orgs/{org}/achievements/{id}/planning", {Who::kViewer}},
    };
    // C2SP tiles: /log/tile/{s2} … /log/tile/{s2}/…/{s11}.
    std::string tile = "GET /log/tile";
    for (int i = 2; i <= 11; ++i) {
      tile += "/{s" + std::to_string(i) + "}";
      (*m)[tile] = {Who::kPublic};
    }
    return m;
  }();
  return *t;
}

std::string FrameworkSnapshot() {
  return json::Serialize(pathways::FrameworkToJson(pathways::testing::TinyFramework()));
}

class Authorization : public ::testing::Test {
 protected:
  void SetUp() override {
    h_ = std::make_unique<Harness>(Backend::kSqlite);
    std::string why = h_->Start();
    if (!why.empty()) GTEST_SKIP() << why;
    // No background issuance: jobs created here stay queued, so state
    // only changes through the requests under test.
    h_->services()->bulk->Stop();
    a_ = h_->CreateOrg("org-a");
    b_ = h_->CreateOrg("org-b");
    keys_["viewer"] = h_->CreateKey(a_, "viewer");
    keys_["issuer"] = h_->CreateKey(a_, "issuer");
    keys_["admin"] = a_.admin_key;
    ach_ = h_->CreateAchievement(a_, "Badge A");
    stacked_ = h_->CreateAchievement(a_, "Stacked A");
    TestResponse job = h_->Call("POST", "/api/v1/orgs/" + a_.id + "/jobs?achievementId=" + ach_,
                                keys_["issuer"], "recipient\nx@example.org\n", "text/csv");
    job_ = std::string(h_->Json(job).at("id").as_string());
    TestResponse spare = h_->Call("POST", "/api/v1/orgs/" + a_.id + "/api-keys", a_.admin_key,
                                  R"({"role":"viewer"})");
    spare_key_id_ = std::string(h_->Json(spare).at("id").as_string());

    // The skills area: a framework, a learner of A holding a credential of
    // A, planning attributes and a pathway (created after the credential,
    // so evaluating the learner awards it).
    ASSERT_EQ(h_->Call("POST", "/api/v1/frameworks/esco", kOperatorToken, FrameworkSnapshot())
                  .status,
              201);
    TestResponse learner = h_->Call("POST", "/api/v1/learners", keys_["issuer"],
                                    R"({"did":"did:example:learner-a"})");
    ASSERT_EQ(learner.status, 201) << learner.body;
    learner_ = std::string(h_->Json(learner).at("id").as_string());
    learner_token_ = std::string(h_->Json(learner).at("token").as_string());
    TestResponse cred = h_->Call("POST", "/api/v1/orgs/" + a_.id + "/credentials", keys_["issuer"],
                                 R"({"achievementId":")" + ach_ +
                                     R"(","recipient":"did:example:learner-a"})");
    ASSERT_EQ(cred.status, 201) << cred.body;
    credential_json_ = cred.body;
    cred_id_ = std::string(h_->Json(cred).at("id").as_string());
    ASSERT_EQ(h_->Call("PUT", "/api/v1/orgs/" + a_.id + "/achievements/" + ach_ + "/planning",
                       keys_["issuer"], R"({"hours":3,"price":30})")
                  .status,
              200);
    TestResponse pathway = h_->Call("POST", "/api/v1/orgs/" + a_.id + "/pathways",
                                    keys_["issuer"], PathwayBody("urn:p:authz"));
    ASSERT_EQ(pathway.status, 201) << pathway.body;
    pathway_ = "urn:p:authz";
    Status s = h_->store().Read([&](store::Tx& tx) -> Status {
      CREDSTACK_ASSIGN_OR_RETURN(auto lists, tx.status_lists().ListByOrg(a_.id, std::nullopt));
      if (lists.empty()) return NotFoundError("organization A has no status list");
      list_ = lists.front().id;
      return OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::string PathwayBody(const std::string& id) {
    std::string out = R"({"name":"P","achievement":")" + stacked_ +
                      R"(","rule":{"type":"achievement","id":"urn:uuid:)" + ach_ + R"("}})";
    if (!id.empty()) out.insert(1, R"("id":")" + id + R"(",)");
    return out;
  }

  std::string Path(const std::string& pattern) {
    std::string p = pattern;
    auto sub = [&p](const std::string& from, const std::string& to) {
      size_t at = p.find(from);
      if (at != std::string::npos) p.replace(at, from.size(), to);
    };
    sub("{org}", a_.id);
    sub("/credentials/{id}/", "/credentials/" + std::string(app::CredentialUuid(cred_id_)) + "/");
    sub("{id}", ach_);
    sub("{key}", spare_key_id_);
    sub("{job}", job_);
    sub("{slug}", a_.slug);
    sub("{list}", list_);
    sub("{learner}", learner_);
    sub("{pathway}", pathway_);
    sub("{framework}", "esco");
    return p;
  }

  // A body with which the lowest allowed caller succeeds. "{n}" becomes a
  // fresh number on every call (Do).
  std::string Body(const std::string& method, const std::string& pattern) {
    if (method == "GET" || method == "DELETE") return "";
    if (pattern == "/api/v1/orgs/{org}/achievements" || pattern.ends_with("/achievements/{id}")) {
      return R"({"name":"N","description":"D","criteria":{"narrative":"x"}})";
    }
    if (pattern == "/api/v1/orgs/{org}/credentials") {
      return R"({"achievementId":")" + ach_ + R"(","recipient":"did:example:z"})";
    }
    if (pattern == "/api/v1/orgs/{org}/api-keys") return R"({"role":"viewer"})";
    if (pattern == "/api/v1/orgs/{org}") return R"({"name":"Renamed"})";
    if (pattern == "/api/v1/orgs") return R"({"name":"New","slug":"new-org"})";
    if (pattern == "/api/v1/orgs/{org}/jobs") return "recipient\ny@example.org\n";
    if (pattern == "/api/v1/orgs/{org}/credentials/{id}/status") {
      return R"({"action":"revoke","reason":"authorization test"})";
    }
    if (pattern == "/credentials/status") {
      return R"({"credentialId":")" + cred_id_ +
             R"(","credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"revocation"}})";
    }
    if (pattern == "/api/v1/frameworks/{framework}") return FrameworkSnapshot();
    if (pattern == "/api/v1/learners") return R"({"did":"did:example:new-learner-{n}"})";
    if (pattern == "/api/v1/orgs/{org}/pathways") return PathwayBody("");
    if (pattern.ends_with("/planning")) return R"({"hours":4,"price":40})";
    return "{}";
  }
  std::string Type(const std::string& pattern) {
    return pattern == "/api/v1/orgs/{org}/jobs" ? "text/csv" : "application/json";
  }
  std::string Target(const std::string& method, const std::string& pattern) {
    std::string p = Path(pattern);
    if (method == "POST" && pattern == "/api/v1/orgs/{org}/jobs") p += "?achievementId=" + ach_;
    return p;
  }
  int Do(const std::string& method, const std::string& target, const std::string& key,
         std::string body, const std::string& type,
         std::vector<std::pair<std::string, std::string>> headers = {}) {
    if (size_t at = body.find("{n}"); at != std::string::npos) {
      body.replace(at, 3, std::to_string(++calls_));
    }
    return h_->Call(method, target, key, body, type, std::move(headers)).status;
  }

  // Everything a denied request must leave unchanged.
  std::string Snapshot() {
    std::string out;
    Status s = h_->store().Read([&](store::Tx& tx) -> Status {
      out += std::to_string(tx.organizations().List("", 1000)->size()) + "|";
      for (const auto* org : {&a_, &b_}) {
        const std::string& id = org->id;
        out += std::string(tx.organizations().Get(id)->profile_json) + "|";
        std::vector<store::ApiKey> keys;
        CREDSTACK_ASSIGN_OR_RETURN(keys, tx.api_keys().ListByOrg(id));
        for (const auto& k : keys) out += k.id + (k.revoked_at ? "R" : "") + ",";
        out += std::to_string(tx.signing_keys().ListByOrg(id)->size()) + "|";
        std::vector<store::AchievementVersion> versions;
        CREDSTACK_ASSIGN_OR_RETURN(versions, tx.achievements().ListLatest(id, "", 1000));
        for (const auto& v : versions) {
          out += v.achievement_id + "@" + std::to_string(v.version) + ",";
        }
        out += std::to_string(*tx.credentials().CountByOrg(id)) + "|";
        out += std::to_string(tx.jobs().ListJobs(id, "", 1000)->size()) + "|";
        out += std::to_string(tx.audit().List(id, 0, 1000)->size()) + "|";
        out += tx.issuer().GetDidKey(id).ok() ? "dk|" : "-|";
        // Status lists: entries (bits) and versions.
        std::vector<store::StatusList> lists;
        CREDSTACK_ASSIGN_OR_RETURN(lists, tx.status_lists().ListByOrg(id, std::nullopt));
        for (const auto& l : lists) {
          out += l.id + "@" + std::to_string(l.version) + ":" +
                 HexEncode(crypto::Sha256(l.bits)).substr(0, 16) + ",";
        }
        std::vector<store::PathwayRecord> pathways;
        CREDSTACK_ASSIGN_OR_RETURN(pathways, tx.pathways().List(id, "", 1000));
        for (const auto& p : pathways) out += p.id + "@" + p.definition_json + ",";
        out += "|";
      }
      std::vector<store::StatusEvent> events;
      CREDSTACK_ASSIGN_OR_RETURN(events, tx.status_lists().ListEvents(cred_id_));
      out += "events:" + std::to_string(events.size()) + "|";
      std::vector<store::Learner> learners;
      CREDSTACK_ASSIGN_OR_RETURN(learners, tx.learners().List("", 1000));
      for (const auto& l : learners) {
        out += l.id + ":" + l.org_id.value_or("-") + ":" + l.did.value_or("-");
        std::vector<store::LearnerCredential> creds;
        CREDSTACK_ASSIGN_OR_RETURN(creds, tx.learners().ListCredentials(l.id));
        for (const auto& c : creds) out += "," + c.credential_key + "/" + HexEncode(c.content_hash);
        std::vector<store::PathwayAward> awards;
        CREDSTACK_ASSIGN_OR_RETURN(awards, tx.pathways().ListAwards(l.id));
        for (const auto& a : awards) out += ",award:" + a.pathway_id;
        out += "|";
      }
      CREDSTACK_ASSIGN_OR_RETURN(std::string planning, tx.skill_frameworks().PlanningRevision());
      out += "planning:" + planning + "|";
      std::vector<store::SkillFramework> frameworks;
      CREDSTACK_ASSIGN_OR_RETURN(frameworks, tx.skill_frameworks().List());
      for (const auto& f : frameworks) out += f.id + "@" + std::to_string(f.revision) + ",";
      out += "log:" + std::to_string(*tx.log().Size());
      return OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  std::unique_ptr<Harness> h_;
  Harness::Org a_, b_;
  std::map<std::string, std::string> keys_;
  std::string ach_, stacked_, job_, spare_key_id_;
  std::string learner_, learner_token_, cred_id_, credential_json_, pathway_, list_;
  int calls_ = 0;
};

TEST_F(Authorization, EveryRouteHasAPolicyAndDeniedCallsChangeNothing) {
  const auto& routes = h_->srv().dispatcher().router().routes();
  ASSERT_GT(routes.size(), 30u);
  int checked = 0;
  for (const auto& route : routes) {
    std::string method(server::MethodName(route->spec.method));
    const std::string& pattern = route->spec.pattern;
    auto it = Table().find(method + " " + pattern);
    if (it == Table().end()) {
      ADD_FAILURE() << method << " " << pattern << " (declared policy "
                    << server::PolicyName(route->spec.policy)
                    << ") is not in the authorization table: give it a policy";
      continue;
    }
    const Rule& rule = it->second;
    const Who who = rule.who;
    SCOPED_TRACE(method + " " + pattern);
    // The route's declared policy agrees with the table.
    switch (who) {
      case Who::kPublic:
      case Who::kLearner:
        EXPECT_EQ(route->spec.policy, server::Policy::kPublic);
        break;
      case Who::kViewer:
        EXPECT_EQ(route->spec.policy, server::Policy::kViewer);
        break;
      case Who::kIssuer:
        EXPECT_EQ(route->spec.policy, server::Policy::kIssuer);
        break;
      case Who::kAdmin:
      case Who::kOperator:
        EXPECT_EQ(route->spec.policy, server::Policy::kAdmin);
        break;
    }
    if (who == Who::kPublic || who == Who::kLearner) continue;
    std::string target = Target(method, pattern);
    std::string body = Body(method, pattern);
    std::string type = Type(pattern);
    std::string before = Snapshot();

    // No key, a wrong key.
    EXPECT_EQ(Do(method, target, "", body, type), 401);
    EXPECT_EQ(Do(method, target, "csk_not_a_key_0000000000000000", body, type), 401);
    // A learner token is not an API key.
    EXPECT_EQ(Do(method, target, "", body, type, {{server::kLearnerTokenHeader, learner_token_}}),
              401);
    // Roles below the policy.
    std::vector<std::string> denied;
    if (who == Who::kIssuer) denied = {"viewer"};
    if (who == Who::kAdmin) denied = {"viewer", "issuer"};
    if (who == Who::kOperator) denied = {"viewer", "issuer", "admin"};
    for (const std::string& role : denied) {
      EXPECT_EQ(Do(method, target, keys_[role], body, type), 403) << role;
    }
    // Organization B's admin on organization A's target.
    if (rule.other != 0) {
      EXPECT_EQ(Do(method, target, b_.admin_key, body, type), rule.other);
    }
    // The operator token is not an organization key.
    if (who != Who::kOperator && rule.op != 0) {
      EXPECT_EQ(Do(method, target, kOperatorToken, body, type), rule.op) << "operator";
    }
    EXPECT_EQ(Snapshot(), before) << "a denied request changed state";

    // Where the path names no organization, B's key acts on B.
    if (rule.other == 0) {
      int status = Do(method, target, b_.admin_key, body, type);
      EXPECT_TRUE(status >= 200 && status < 300) << "org B on its own got " << status;
    }
    // The lowest allowed caller gets through.
    std::string allowed = who == Who::kOperator ? kOperatorToken
                          : who == Who::kAdmin  ? keys_["admin"]
                          : who == Who::kIssuer ? keys_["issuer"]
                                                : keys_["viewer"];
    int status = Do(method, target, allowed, body, type);
    EXPECT_TRUE(status >= 200 && status < 300) << "allowed caller got " << status;
    ++checked;
  }
  EXPECT_GE(checked, 30);
}

// Learner routes (docs/skills-api.md, "Access"): the learner's own token,
// or an API key of the organization managing the learner (viewer reads,
// issuer writes). Nobody else, and denied calls change nothing.
TEST_F(Authorization, LearnerRoutesNeedTheLearnerOrItsOrganization) {
  // A second learner of A, and a learner of B.
  TestResponse other = h_->Call("POST", "/api/v1/learners", keys_["issuer"],
                                R"({"did":"did:example:learner-a2"})");
  ASSERT_EQ(other.status, 201);
  const std::string other_token(h_->Json(other).at("token").as_string());
  TestResponse of_b =
      h_->Call("POST", "/api/v1/learners", b_.admin_key, R"({"did":"did:example:learner-b"})");
  ASSERT_EQ(of_b.status, 201);
  const std::string b_token(h_->Json(of_b).at("token").as_string());

  struct Case {
    std::string method, pattern, body;
    bool write;  // an organization key needs the issuer role
  };
  const std::string recommend =
      R"({"learner":")" + learner_ + R"(","need":["s:1"],"objective":"hours"})";
  const std::vector<Case> cases = {
      {"GET", "/api/v1/learners/{learner}", "", false},
      {"GET", "/api/v1/learners/{learner}/skills", "", false},
      {"GET", "/api/v1/learners/{learner}/breadth", "", false},
      {"GET", "/api/v1/learners/{learner}/pathways/{pathway}", "", false},
      {"GET", "/api/v1/learners/{learner}/clr", "", false},
      {"POST", "/api/v1/recommendations", recommend, false},
      // Evaluating may award (issue) stacked credentials.
      {"POST", "/api/v1/learners/{learner}/evaluate", "", true},
      {"POST", "/api/v1/learners/{learner}/credentials", credential_json_, true},
  };
  // Every learner route of the router has a case here.
  for (const auto& route : h_->srv().dispatcher().router().routes()) {
    std::string key = std::string(server::MethodName(route->spec.method)) + " " +
                      route->spec.pattern;
    auto it = Table().find(key);
    if (it == Table().end() || it->second.who != Who::kLearner) continue;
    bool found = false;
    for (const Case& c : cases) found = found || key == c.method + " " + c.pattern;
    EXPECT_TRUE(found) << key << " has no case in the learner matrix";
  }

  using Headers = std::vector<std::pair<std::string, std::string>>;
  auto token = [](const std::string& t) { return Headers{{server::kLearnerTokenHeader, t}}; };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.method + " " + c.pattern);
    const std::string target = Path(c.pattern);
    const std::string before = Snapshot();
    auto call = [&](const std::string& key, Headers headers = {}) {
      return Do(c.method, target, key, c.body, "application/json", std::move(headers));
    };
    EXPECT_EQ(call(""), 401) << "no credential";
    EXPECT_EQ(call("", token("lt_not_a_token")), 401) << "a made-up token";
    EXPECT_EQ(call("", token(other_token)), 403) << "another learner's token";
    EXPECT_EQ(call("", token(b_token)), 403) << "a learner of B";
    EXPECT_EQ(call(b_.admin_key), 403) << "B's admin";
    EXPECT_EQ(call(kOperatorToken), 403) << "the operator";
    if (c.write) {
      EXPECT_EQ(call(keys_["viewer"]), 403) << "A's viewer";
    }
    EXPECT_EQ(Snapshot(), before) << "a denied request changed state";

    // Allowed: A's keys (viewer reads, issuer writes), the learner itself.
    int status = call(keys_[c.write ? "issuer" : "viewer"]);
    EXPECT_TRUE(status >= 200 && status < 300) << "A's key got " << status;
    status = call("", token(learner_token_));
    EXPECT_TRUE(status >= 200 && status < 300) << "the learner got " << status;
  }
  // Recommendations from explicit skills stay public.
  EXPECT_EQ(Do("POST", "/api/v1/recommendations", "", R"({"need":["s:1"]})", "application/json"),
            200);
}

// Witness cosignatures are accepted from anyone, but only when they verify
// with a witness key configured on the log.
TEST_F(Authorization, WitnessCosignaturesArePublicButVerified) {
  TestResponse cp = h_->Call("GET", "/log/checkpoint");
  ASSERT_EQ(cp.status, 200) << cp.body;
  size_t blank = cp.body.find("\n\n");
  ASSERT_NE(blank, std::string::npos);
  const std::string text = cp.body.substr(0, blank + 1);
  const std::string before = Snapshot();
  auto cosignatures = [&] {
    std::string size = text.substr(text.find('\n') + 1);
    size = size.substr(0, size.find('\n'));
    size_t n = 0;
    Status s = h_->store().Read([&](store::Tx& tx) -> Status {
      CREDSTACK_ASSIGN_OR_RETURN(auto all, tx.log().ListCosignatures(std::stoll(size)));
      n = all.size();
      return OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return n;
  };
  // A signature line of a witness this log does not know.
  const std::string forged = text + "\n\xE2\x80\x94 witness.example " +
                             Base64Encode(Bytes(4 + 64, 0x5a)) + "\n";
  TestResponse r = h_->Call("POST", "/log/cosignatures", "", forged, "text/plain");
  EXPECT_EQ(r.status, 403) << r.body;
  // Another log's checkpoint text.
  r = h_->Call("POST", "/log/cosignatures", "", "other.example/log\n1\nAAAA\n\n", "text/plain");
  EXPECT_TRUE(r.status == 400 || r.status == 422) << r.status << " " << r.body;
  EXPECT_EQ(cosignatures(), 0u);
  EXPECT_EQ(Snapshot(), before);
  // The log's own note (no witness signature): accepted, nothing stored.
  r = h_->Call("POST", "/log/cosignatures", "", cp.body, "text/plain");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(cosignatures(), 0u);
}

TEST_F(Authorization, VcApiIssueNeedsAnIssuerKeyOfItsOwnOrganization) {
  std::string vc = R"({"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],
      "type":["VerifiableCredential"],"credentialSubject":{"id":"did:example:x"}}})";
  std::string before = Snapshot();
  EXPECT_EQ(h_->Call("POST", "/credentials/issue", "", vc).status, 401);
  EXPECT_EQ(h_->Call("POST", "/credentials/issue", keys_["viewer"], vc).status, 403);
  EXPECT_EQ(h_->Call("POST", "/credentials/issue", kOperatorToken, vc).status, 403);
  EXPECT_EQ(Snapshot(), before);
  TestResponse ok = h_->Call("POST", "/credentials/issue", keys_["issuer"], vc);
  EXPECT_EQ(ok.status, 201);
  // Signed as organization A (its did:web; A has no did:key).
  EXPECT_NE(ok.body.find("issuers:org-a"), std::string::npos);
}

TEST_F(Authorization, RevokedKeysAreRefused) {
  std::string key = h_->CreateKey(a_, "issuer");
  TestResponse list = h_->Call("GET", "/api/v1/orgs/" + a_.id + "/api-keys", a_.admin_key);
  std::string id;
  json::Value keys = h_->Json(list);
  for (const auto& k : keys.at("apiKeys").as_array()) {
    if (key.rfind(std::string(k.at("prefix").as_string()), 0) == 0) {
      id = std::string(k.at("id").as_string());
    }
  }
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(h_->Call("GET", "/api/v1/orgs/" + a_.id, key).status, 200);
  EXPECT_EQ(h_->Call("DELETE", "/api/v1/orgs/" + a_.id + "/api-keys/" + id, a_.admin_key).status,
            204);
  EXPECT_EQ(h_->Call("GET", "/api/v1/orgs/" + a_.id, key).status, 401);
}

}  // namespace
}  // namespace credstack::service_testing
