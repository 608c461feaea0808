// Hostile input against the issuer API: oversized bodies, malformed JSON,
// deep nesting, invalid UTF-8, bad CSV rows, slow clients. Each gets a
// clear problem+json answer (or a closed connection for a stalled client),
// and the server keeps serving everyone else.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "harness.h"

namespace credstack::service_testing {
namespace {

class Hostile : public ::testing::Test {
 protected:
  void SetUp() override {
    h_ = std::make_unique<Harness>(Backend::kSqlite);
    server::ServerConfig config;
    config.max_body = 64 * 1024;
    config.max_upload = 256 * 1024;
    config.header_timeout = std::chrono::milliseconds(500);
    config.body_timeout = std::chrono::milliseconds(500);
    std::string why = h_->Start(config);
    if (!why.empty()) GTEST_SKIP() << why;
    org_ = h_->CreateOrg("acme");
    ach_ = h_->CreateAchievement(org_, "Badge");
  }

  void ExpectProblem(const TestResponse& r, int status, const std::string& needle) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << r.body;
    EXPECT_NE(r.body.find(needle), std::string::npos) << r.body;
  }
  void ExpectAlive() {
    EXPECT_EQ(h_->Call("GET", "/healthz").status, 200);
    EXPECT_EQ(h_->Call("GET", "/api/v1/orgs/" + org_.id, org_.admin_key).status, 200);
  }
  std::string Issue() { return "/api/v1/orgs/" + org_.id + "/credentials"; }

  std::unique_ptr<Harness> h_;
  Harness::Org org_;
  std::string ach_;
};

TEST_F(Hostile, OversizedBodies) {
  std::string big = R"({"recipient":")" + std::string(100'000, 'a') + R"("})";
  ExpectProblem(h_->Call("POST", Issue(), org_.admin_key, big), 413, "");
  std::string csv = "recipient\n";
  while (csv.size() < 300'000) csv += "someone@example.org\n";
  ExpectProblem(h_->Call("POST", "/api/v1/orgs/" + org_.id + "/jobs?achievementId=" + ach_,
                         org_.admin_key, csv, "text/csv"),
                413, "");
  ExpectAlive();
}

TEST_F(Hostile, MalformedJsonAndWrongTypes) {
  ExpectProblem(h_->Call("POST", Issue(), org_.admin_key, "{\"recipient\": "), 400, "JSON");
  ExpectProblem(h_->Call("POST", Issue(), org_.admin_key, "[1,2]"), 400, "object");
  ExpectProblem(h_->Call("POST", Issue(), org_.admin_key, R"({"recipient":7})"), 422,
                "recipient");
  ExpectProblem(h_->Call("POST", Issue(), org_.admin_key,
                         R"({"achievementId":")" + ach_ + R"(","recipient":"a@b.org","x":1})"),
                422, "\"field\":\"x\"");
  ExpectProblem(h_->Call("POST", Issue(), org_.admin_key, R"({"recipient":"a@b.org"})", "text/plain"),
                415, "Content-Type");
  ExpectProblem(h_->Call("POST", "/api/v1/orgs/" + org_.id + "/achievements", org_.admin_key,
                         R"({"name":"n","description":"d","criteria":{"narrative":"c"},"hours":3})"),
                422, "hours");
  ExpectAlive();
}

TEST_F(Hostile, DeepNesting) {
  std::string deep = R"({"achievementId":")" + ach_ + R"(","recipient":"a@b.org","evidence":)";
  for (int i = 0; i < 5000; ++i) deep += "[";
  for (int i = 0; i < 5000; ++i) deep += "]";
  deep += "}";
  TestResponse r = h_->Call("POST", Issue(), org_.admin_key, deep);
  EXPECT_TRUE(r.status == 413 || r.status == 400) << r.status;
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  // Deep but within limits in a JSONL row: a clear row error.
  std::string row = R"({"recipient":"a@b.org","evidence":[)";
  for (int i = 0; i < 40; ++i) row += "[";
  for (int i = 0; i < 40; ++i) row += "]";
  row += "]}\n";
  ExpectProblem(h_->Call("POST", "/api/v1/orgs/" + org_.id + "/jobs?achievementId=" + ach_,
                         org_.admin_key, row, "application/jsonl"),
                422, "line 1");
  ExpectAlive();
}

TEST_F(Hostile, InvalidUtf8) {
  std::string bad = "{\"achievementId\":\"" + ach_ + "\",\"recipient\":\"\xff\xfe@x.org\"}";
  ExpectProblem(h_->Call("POST", Issue(), org_.admin_key, bad), 400, "invalid JSON");
  ExpectProblem(h_->Call("POST", "/api/v1/orgs/" + org_.id + "/jobs?achievementId=" + ach_,
                         org_.admin_key, "recipient\n\xc3\x28@x.org\n", "text/csv"),
                422, "line");
  TestResponse path = h_->Call("GET", "/credentials/%ff%fe");
  EXPECT_EQ(path.status, 400);
  ExpectAlive();
}

TEST_F(Hostile, BadCsvRowsAreReportedWithLineNumbersAndNothingIsStored) {
  std::string csv =
      "recipient,validUntil\n"
      "good@example.org,\n"
      "\"unterminated@example.org,\n";
  TestResponse r = h_->Call("POST", "/api/v1/orgs/" + org_.id + "/jobs?achievementId=" + ach_,
                            org_.admin_key, csv, "text/csv");
  ExpectProblem(r, 422, "invalid row");
  csv = "recipient,validUntil\ngood@example.org,\nnope,\nx@y.org,tomorrow\n";
  r = h_->Call("POST", "/api/v1/orgs/" + org_.id + "/jobs?achievementId=" + ach_,
               org_.admin_key, csv, "text/csv");
  ExpectProblem(r, 422, "line 3");
  EXPECT_NE(r.body.find("line 4"), std::string::npos);
  ExpectProblem(h_->Call("POST", "/api/v1/orgs/" + org_.id + "/jobs?achievementId=" + ach_,
                         org_.admin_key, "name,shoe\nx,y\n", "text/csv"),
                422, "unknown column");
  ExpectProblem(h_->Call("POST", "/api/v1/orgs/" + org_.id + "/jobs", org_.admin_key,
                         "recipient\na@b.org\n", "text/csv"),
                422, "achievementId");
  TestResponse jobs = h_->Call("GET", "/api/v1/orgs/" + org_.id + "/jobs", org_.admin_key);
  json::Value list = h_->Json(jobs);
  EXPECT_TRUE(list.at("jobs").as_array().empty());
  ExpectAlive();
}

TEST_F(Hostile, SlowClientsAreCutOffWhileOthersAreServed) {
  // Several clients send half a request head and stall.
  std::vector<std::unique_ptr<server::testing::TestClient>> stalled;
  for (int i = 0; i < 8; ++i) {
    auto c = server::testing::TestClient::Connect(h_->port());
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->Write("POST " + Issue() + " HTTP/1.1\r\nHost: x\r\nContent-Le").ok());
    stalled.push_back(std::move(*c));
  }
  // A slow body: the head promises more than arrives.
  auto slow = server::testing::TestClient::Connect(h_->port());
  ASSERT_TRUE(slow.ok());
  ASSERT_TRUE((*slow)->Write("POST " + Issue() +
                             " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + org_.admin_key +
                             "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
                  .ok());
  // Others are served meanwhile.
  for (int i = 0; i < 5; ++i) ExpectAlive();
  // The stalled connections are closed after the timeouts.
  for (auto& c : stalled) {
    auto drained = c->ReadUntilClose(std::chrono::seconds(5));
    EXPECT_TRUE(drained.closed);
  }
  auto drained = (*slow)->ReadUntilClose(std::chrono::seconds(5));
  EXPECT_TRUE(drained.closed);
  ExpectAlive();
}

TEST_F(Hostile, BadFramingAndHugeHeaders) {
  // A request head beyond the limit: 431, problem+json.
  ExpectProblem(h_->Call("GET", "/api/v1/orgs/" + org_.id, org_.admin_key, "", "",
                         {{"X-Padding", std::string(64 * 1024, 'p')}}),
                431, "");
  // A chunked body that grows past the limit: 413.
  auto c = server::testing::TestClient::Connect(h_->port());
  ASSERT_TRUE(c.ok());
  std::string head = "POST " + Issue() + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                     org_.admin_key +
                     "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  ASSERT_TRUE((*c)->Write(head).ok());
  std::string chunk(16 * 1024, ' ');
  for (int i = 0; i < 6; ++i) {
    if (!(*c)->Write("4000\r\n" + chunk + "\r\n").ok()) break;
  }
  auto r = (*c)->Read();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectProblem(*r, 413, "");
  // Garbage instead of a request line: 400 and the connection closes.
  auto g = server::testing::TestClient::Connect(h_->port());
  ASSERT_TRUE(g.ok());
  ASSERT_TRUE((*g)->Write("\x16\x03\x01 not http at all\r\n\r\n").ok());
  auto drained = (*g)->ReadUntilClose(std::chrono::seconds(5));
  EXPECT_TRUE(drained.closed);
  EXPECT_NE(drained.bytes.find(" 400 "), std::string::npos) << drained.bytes.substr(0, 200);
  // Public verification of garbage: a 4xx answer or a report, never 5xx.
  for (const std::string& body : {std::string("{"), std::string("\xff\xfe"),
                                  std::string(3000, '[') + std::string(3000, ']'),
                                  std::string(R"({"@context":7})")}) {
    int status = h_->Call("POST", "/api/v1/verify", "", body).status;
    EXPECT_TRUE(status == 200 || (status >= 400 && status < 500)) << status;
  }
  ExpectAlive();
}

TEST_F(Hostile, OthersAreServedDuringAnAttack) {
  std::atomic<bool> stop{false};
  std::atomic<int> server_errors{0};
  std::vector<std::thread> attackers;
  for (int t = 0; t < 3; ++t) {
    attackers.emplace_back([&, t] {
      std::string bodies[] = {"{", "\xc3\x28", std::string(5000, '['), "[]",
                              R"({"recipient":7})"};
      for (int i = 0; !stop.load(); ++i) {
        server::testing::TestRequest req;
        req.method = "POST";
        req.target = Issue();
        req.headers = {{"Authorization", "Bearer " + org_.admin_key},
                       {"Content-Type", "application/json"}};
        req.body = bodies[(i + t) % 5];
        auto r = server::testing::Fetch(h_->port(), req);
        if (r.ok() && r->status >= 500) ++server_errors;
      }
    });
  }
  int issued = 0;
  for (int i = 0; i < 20; ++i) {
    TestResponse r = h_->Call("POST", Issue(), org_.admin_key,
                              R"({"achievementId":")" + ach_ + R"(","recipient":"did:example:)" +
                                  std::to_string(i) + R"("})");
    if (r.status == 201) ++issued;
  }
  stop = true;
  for (auto& t : attackers) t.join();
  EXPECT_EQ(issued, 20);
  EXPECT_EQ(server_errors.load(), 0);
  ExpectAlive();
}

}  // namespace
}  // namespace credstack::service_testing
