// End-to-end tests of the HTTP server over real sockets on 127.0.0.1 with
// an ephemeral port.

#include "credstack/server/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <future>
#include <mutex>
#include <thread>

#include "credstack/server/http_client.h"
#include "credstack/server/testing/http_test_client.h"

namespace credstack::server {
namespace {

using std::chrono::milliseconds;
using testing::Fetch;
using testing::TestClient;
using testing::TestRequest;
using testing::TestResponse;

// Collects log lines so that tests can look at them.
struct LogCapture {
  std::mutex mu;
  std::string text;
  std::shared_ptr<Logger> logger() {
    return std::make_shared<Logger>(LogLevel::kInfo,
                                    [this](std::string_view l) {
                                      std::lock_guard<std::mutex> lock(mu);
                                      text.append(l);
                                    });
  }
  std::string Get() {
    std::lock_guard<std::mutex> lock(mu);
    return text;
  }
};

ServerConfig TestConfig() {
  ServerConfig c;
  c.listen_host = "127.0.0.1";
  c.listen_port = 0;
  c.workers = 2;
  c.blocking_workers = 2;
  c.max_body = 4096;
  c.max_upload = 64 * 1024;
  c.header_timeout = milliseconds(800);
  c.idle_timeout = milliseconds(1500);
  c.body_timeout = milliseconds(2000);
  c.shutdown_timeout = milliseconds(3000);
  c.ip_rate.rate = 0;  // off unless a test turns it on
  c.key_rate.rate = 0;
  return c;
}

Router TestRoutes(std::atomic<int>* slow_started = nullptr) {
  Router r;
  CREDSTACK_CHECK(r.Add({.method = Method::kPost,
                         .pattern = "/json",
                         .handler =
                             [](Request& req) {
                               Result<json::Value> v = ParseJsonBody(req);
                               if (!v.has_value()) {
                                 return Response::FromStatus(
                                     v.error(), StatusContext::kRequestBody);
                               }
                               return Response::Json(200, *v);
                             },
                         .consumes = {"application/json"}})
                      .ok());
  CREDSTACK_CHECK(
      r.Add({.method = Method::kGet,
             .pattern = "/items/{id}",
             .handler =
                 [](Request& req) {
                   return Response::Raw(
                       200, "item " + std::string(req.PathParameter("id")),
                       "text/plain");
                 }})
          .ok());
  CREDSTACK_CHECK(r.Add({.method = Method::kPost,
                         .pattern = "/upload",
                         .handler =
                             [](Request& req) {
                               return Response::Raw(
                                   200, std::to_string(req.body().size()),
                                   "text/plain");
                             },
                         .upload = true,
                         .blocking = true})
                      .ok());
  CREDSTACK_CHECK(r.Add({.method = Method::kGet,
                         .pattern = "/slow",
                         .handler =
                             [slow_started](Request&) {
                               if (slow_started) slow_started->fetch_add(1);
                               std::this_thread::sleep_for(milliseconds(400));
                               return Response::Raw(200, "slow done",
                                                    "text/plain");
                             },
                         .blocking = true})
                      .ok());
  CREDSTACK_CHECK(r.Add({.method = Method::kGet,
                         .pattern = "/limited",
                         .handler =
                             [](Request&) {
                               return Response::Raw(200, "ok", "text/plain");
                             }})
                      .ok());
  CREDSTACK_CHECK(r.Add({.method = Method::kGet,
                         .pattern = "/private",
                         .handler =
                             [](Request& req) {
                               return Response::Raw(
                                   200, req.principal()->org_id, "text/plain");
                             },
                         .policy = Policy::kViewer})
                      .ok());
  return r;
}

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerConfig config = TestConfig(),
                   std::atomic<int>* slow_started = nullptr) {
    ServerHooks hooks;
    hooks.logger = logs_.logger();
    hooks.api_keys = [](const crypto::Sha256Digest& h) -> Result<Principal> {
      if (h == crypto::Sha256(std::string_view("sekrit-key-123"))) {
        return Principal{"key-1", "org-1", Role::kViewer};
      }
      return NotFoundError("no");
    };
    Result<std::unique_ptr<Server>> s =
        Server::Create(config, TestRoutes(slow_started), std::move(hooks));
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    server_ = std::move(*s);
    Status st = server_->Start();
    ASSERT_TRUE(st.ok()) << st.ToString();
    port_ = server_->port();
    ASSERT_NE(port_, 0);
  }

  void TearDown() override {
    if (server_) {
      server_->Shutdown();
      EXPECT_TRUE(server_->Wait().ok());
    }
  }

  Result<TestResponse> Get(std::string target) {
    return Fetch(port_, {.method = "GET", .target = std::move(target)});
  }

  LogCapture logs_;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
};

TEST_F(ServerTest, HealthzAndRouting) {
  StartServer();
  Result<TestResponse> r = Get("/healthz");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "{\"status\":\"ok\"}");
  EXPECT_EQ(r->Header("Content-Type"), "application/json");
  EXPECT_FALSE(r->Header("Date").empty());
  EXPECT_FALSE(r->Header("X-Request-Id").empty());

  r = Get("/items/a%20b");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->body, "item a b");

  r = Get("/nowhere");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->Header("Content-Type"), "application/problem+json");
  Result<json::Value> p = json::Parse(r->body);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->as_object().at("status").as_int64(), 404);

  r = Fetch(port_, {.method = "DELETE", .target = "/healthz"});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->Header("Allow"), "GET, HEAD, OPTIONS");

  r = Fetch(port_, {.method = "HEAD", .target = "/healthz"});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Content-Length"), "15");
  EXPECT_TRUE(r->body.empty());

  r = Fetch(port_, {.method = "OPTIONS", .target = "/items/1"});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->Header("Allow"), "GET, HEAD, OPTIONS");
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  StartServer();
  auto c = TestClient::Connect(port_);
  ASSERT_TRUE(c.has_value());
  for (int i = 0; i < 20; ++i) {
    Result<TestResponse> r =
        (*c)->Send({.target = "/items/" + std::to_string(i)});
    ASSERT_TRUE(r.has_value()) << i << " " << r.error().ToString();
    EXPECT_EQ(r->body, "item " + std::to_string(i));
    EXPECT_TRUE(r->keep_alive);
  }
  EXPECT_NE(server_->metrics().Render().find("http_connections_open 1\n"),
            std::string::npos);
}

TEST_F(ServerTest, PipelinedRequestsAnswerInOrder) {
  StartServer();
  auto c = TestClient::Connect(port_);
  ASSERT_TRUE(c.has_value());
  std::string wire;
  for (int i = 0; i < 5; ++i) {
    wire += "GET /items/" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }
  // A blocking route in the middle must not reorder responses.
  wire += "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
  wire += "GET /items/last HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_TRUE((*c)->Write(wire).ok());
  for (int i = 0; i < 5; ++i) {
    Result<TestResponse> r = (*c)->Read();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->body, "item " + std::to_string(i));
  }
  Result<TestResponse> up = (*c)->Read();
  ASSERT_TRUE(up.has_value());
  EXPECT_EQ(up->body, "3");
  Result<TestResponse> last = (*c)->Read();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->body, "item last");
}

TEST_F(ServerTest, BodyLimitGives413AndCloses) {
  StartServer();
  auto c = TestClient::Connect(port_);
  ASSERT_TRUE(c.has_value());
  // Announced too large: refused before reading the body.
  ASSERT_TRUE((*c)->Write("POST /json HTTP/1.1\r\nHost: x\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: 100000\r\n\r\n")
                  .ok());
  Result<TestResponse> r = (*c)->Read();
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->Header("Content-Type"), "application/problem+json");
  EXPECT_FALSE(r->keep_alive);
  EXPECT_TRUE((*c)->ReadUntilClose(milliseconds(3000)).closed);

  // Chunked, growing past the limit while being read.
  auto c2 = TestClient::Connect(port_);
  ASSERT_TRUE(c2.has_value());
  std::string chunk(3000, 'x');
  char size_line[16];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  std::string wire =
      "POST /json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) wire += size_line + chunk + "\r\n";
  wire += "0\r\n\r\n";
  ASSERT_TRUE((*c2)->Write(wire).ok());
  r = (*c2)->Read();
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, 413);

  // The upload route has the larger limit.
  r = Fetch(port_, {.method = "POST",
                    .target = "/upload",
                    .body = std::string(50'000, 'u')});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "50000");
}

TEST_F(ServerTest, MalformedHttpGets400AndClose) {
  StartServer();
  for (std::string_view junk :
       {"GARBAGE\r\n\r\n", "GET /healthz HTTP/9.9\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n",
        "POST /json HTTP/1.1\r\nContent-Length: abc\r\n\r\n"}) {
    auto c = TestClient::Connect(port_);
    ASSERT_TRUE(c.has_value());
    ASSERT_TRUE((*c)->Write(junk).ok());
    TestClient::Drained d = (*c)->ReadUntilClose(milliseconds(3000));
    EXPECT_TRUE(d.closed) << junk;
    EXPECT_EQ(d.bytes.rfind("HTTP/1.1 400 ", 0), 0u) << junk << "\n" << d.bytes;
    EXPECT_NE(d.bytes.find("application/problem+json"), std::string::npos);
  }
  // Oversized head: 431.
  auto c = TestClient::Connect(port_);
  ASSERT_TRUE(c.has_value());
  std::string big =
      "GET /healthz HTTP/1.1\r\nX-Big: " + std::string(32 * 1024, 'a') +
      "\r\n\r\n";
  ASSERT_TRUE((*c)->Write(big).ok());
  TestClient::Drained d = (*c)->ReadUntilClose(milliseconds(3000));
  EXPECT_EQ(d.bytes.rfind("HTTP/1.1 431 ", 0), 0u) << d.bytes;
  // And the server still serves.
  Result<TestResponse> r = Get("/healthz");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, BadJsonBodiesGet400Or413ProblemJson) {
  StartServer();
  auto post = [&](std::string body) {
    return Fetch(port_, {.method = "POST",
                         .target = "/json",
                         .headers = {{"Content-Type", "application/json"}},
                         .body = std::move(body)});
  };
  Result<TestResponse> r = post("{\"a\": 1}");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "{\"a\":1}");

  for (std::string bad :
       {std::string("{\"a\": "), std::string("{\"a\":\"\xff\xfe\"}"),
        std::string("[1,]"), std::string("{\"a\":1,\"a\":2}")}) {
    r = post(bad);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_EQ(r->Header("Content-Type"), "application/problem+json");
    Result<json::Value> p = json::Parse(r->body);
    ASSERT_TRUE(p.has_value()) << r->body;
    EXPECT_EQ(p->as_object().at("instance").as_string(), "/json");
  }
  r = post(std::string(1000, '[') + std::string(1000, ']'));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 413);

  r = Fetch(port_, {.method = "POST",
                    .target = "/json",
                    .headers = {{"Content-Type", "text/plain"}},
                    .body = "{}"});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 415);
}

TEST_F(ServerTest, SlowClientIsCutOffWhileOthersAreServed) {
  StartServer();
  auto slow = TestClient::Connect(port_);
  ASSERT_TRUE(slow.has_value());
  std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ";
  auto start = std::chrono::steady_clock::now();
  bool cut = false;
  int served = 0;
  // Trickle one byte every 100 ms; the head deadline is 800 ms.
  for (int i = 0; i < 40 && !cut; ++i) {
    std::string byte = i < static_cast<int>(head.size())
                           ? head.substr(static_cast<size_t>(i), 1)
                           : std::string("a");
    if (!(*slow)->Write(byte).ok()) {
      cut = true;
      break;
    }
    Result<TestResponse> other = Get("/healthz");
    if (other.has_value() && other->status == 200) ++served;
    TestClient::Drained d = (*slow)->ReadUntilClose(milliseconds(100));
    if (d.closed) cut = true;
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(cut);
  EXPECT_LT(elapsed, std::chrono::seconds(3));
  EXPECT_GE(served, 3);
}

TEST_F(ServerTest, IdleKeepAliveConnectionsAreClosed) {
  ServerConfig c = TestConfig();
  c.idle_timeout = milliseconds(300);
  StartServer(c);
  auto client = TestClient::Connect(port_);
  ASSERT_TRUE(client.has_value());
  ASSERT_TRUE((*client)->Send({.target = "/healthz"}).has_value());
  TestClient::Drained d = (*client)->ReadUntilClose(milliseconds(2000));
  EXPECT_TRUE(d.closed);
}

TEST_F(ServerTest, ExpectContinue) {
  StartServer();
  auto c = TestClient::Connect(port_);
  ASSERT_TRUE(c.has_value());
  ASSERT_TRUE((*c)->Write("POST /upload HTTP/1.1\r\nHost: x\r\n"
                          "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n")
                  .ok());
  Result<TestResponse> cont = (*c)->Read();
  ASSERT_TRUE(cont.has_value());
  EXPECT_EQ(cont->status, 100);
  ASSERT_TRUE((*c)->Write("hello").ok());
  Result<TestResponse> r = (*c)->Read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->body, "5");
}

TEST_F(ServerTest, RateLimitGives429WithRetryAfter) {
  ServerConfig c = TestConfig();
  c.ip_rate = {.rate = 0.5, .burst = 3};
  StartServer(c);
  for (int i = 0; i < 3; ++i) {
    Result<TestResponse> r = Get("/limited");
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 200) << i;
  }
  Result<TestResponse> r = Get("/limited");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(r->Header("Retry-After"), "2");
  EXPECT_EQ(r->Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(Get("/healthz")->status, 200);
}

TEST_F(ServerTest, MetricsCountRequests) {
  StartServer();
  for (int i = 0; i < 7; ++i) ASSERT_EQ(Get("/items/x")->status, 200);
  for (int i = 0; i < 2; ++i) ASSERT_EQ(Get("/missing")->status, 404);
  Result<TestResponse> m = Get("/metrics");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->Header("Content-Type"),
            "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(
      m->body.find("http_requests_total{route=\"/items/{id}\",method=\"GET\","
                   "status=\"200\"} 7\n"),
      std::string::npos)
      << m->body;
  EXPECT_NE(
      m->body.find("http_requests_total{route=\"unmatched\",method=\"GET\","
                   "status=\"404\"} 2\n"),
      std::string::npos);
  EXPECT_NE(
      m->body.find(
          "http_request_duration_seconds_count{route=\"/items/{id}\"} 7\n"),
      std::string::npos);
  EXPECT_NE(m->body.find("http_requests_in_flight 1\n"), std::string::npos);
}

TEST_F(ServerTest, AccessLogIsJsonAndHasNoSecrets) {
  StartServer();
  Result<TestResponse> r =
      Fetch(port_, {.target = "/private?token=hunter2",
                    .headers = {{"Authorization", "Bearer sekrit-key-123"}}});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "org-1");
  r = Fetch(port_, {.target = "/private",
                    .headers = {{"Authorization", "Bearer wrong-key-456"}}});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(r->Header("WWW-Authenticate"), "Bearer error=\"invalid_token\"");
  server_->Shutdown();
  ASSERT_TRUE(server_->Wait().ok());
  std::string logs = logs_.Get();
  EXPECT_EQ(logs.find("sekrit"), std::string::npos);
  EXPECT_EQ(logs.find("wrong-key"), std::string::npos);
  EXPECT_EQ(logs.find("hunter2"), std::string::npos);
  EXPECT_NE(logs.find("\"key_id\":\"key-1\""), std::string::npos) << logs;
  size_t lines = 0;
  for (size_t pos = 0; pos < logs.size();) {
    size_t nl = logs.find('\n', pos);
    ASSERT_NE(nl, std::string::npos);
    Result<json::Value> v =
        json::Parse(std::string_view(logs).substr(pos, nl - pos));
    EXPECT_TRUE(v.has_value()) << logs.substr(pos, nl - pos);
    ++lines;
    pos = nl + 1;
  }
  EXPECT_GE(lines, 3u);
}

TEST_F(ServerTest, ConnectionCapAnswers503) {
  ServerConfig c = TestConfig();
  c.max_connections = 2;
  StartServer(c);
  auto a = TestClient::Connect(port_);
  auto b = TestClient::Connect(port_);
  ASSERT_TRUE(a.has_value() && b.has_value());
  // Make sure both are accepted before the third arrives.
  ASSERT_EQ((*a)->Send({.target = "/healthz"})->status, 200);
  ASSERT_EQ((*b)->Send({.target = "/healthz"})->status, 200);
  auto third = TestClient::Connect(port_);
  ASSERT_TRUE(third.has_value());
  TestClient::Drained d = (*third)->ReadUntilClose(milliseconds(2000));
  EXPECT_EQ(d.bytes.rfind("HTTP/1.1 503 ", 0), 0u) << d.bytes;
  EXPECT_TRUE(d.closed);
  a->reset();
  // Once a slot frees up, new connections are served again.
  Result<TestResponse> r = Status(InternalError("not tried"));
  for (int i = 0; i < 50; ++i) {
    r = Get("/healthz");
    if (r.has_value() && r->status == 200) break;
    std::this_thread::sleep_for(milliseconds(20));
  }
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, GracefulShutdownFinishesInFlightRequest) {
  std::atomic<int> slow_started{0};
  StartServer(TestConfig(), &slow_started);
  auto idle = TestClient::Connect(port_);
  ASSERT_TRUE(idle.has_value());
  ASSERT_EQ((*idle)->Send({.target = "/healthz"})->status, 200);

  auto pending =
      std::async(std::launch::async, [this] { return Get("/slow"); });
  while (slow_started.load() == 0) std::this_thread::sleep_for(milliseconds(5));
  auto t0 = std::chrono::steady_clock::now();
  server_->Shutdown();
  Result<TestResponse> r = pending.get();
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "slow done");
  EXPECT_FALSE(r->keep_alive);
  EXPECT_TRUE(server_->Wait().ok());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  // The idle keep-alive connection was closed, and nobody is listening.
  EXPECT_TRUE((*idle)->ReadUntilClose(milliseconds(500)).closed);
  EXPECT_FALSE(TestClient::Connect(port_, milliseconds(500)).has_value());
  server_.reset();
}

TEST_F(ServerTest, ShutdownDeadlineStopsStuckRequests) {
  ServerConfig c = TestConfig();
  c.shutdown_timeout = milliseconds(100);
  std::atomic<int> slow_started{0};
  StartServer(c, &slow_started);
  auto pending =
      std::async(std::launch::async, [this] { return Get("/slow"); });
  while (slow_started.load() == 0) std::this_thread::sleep_for(milliseconds(5));
  auto t0 = std::chrono::steady_clock::now();
  server_->Shutdown();
  EXPECT_TRUE(server_->Wait().ok());
  // Wait() also joins the blocking pool, so the 400 ms handler bounds it.
  EXPECT_LT(std::chrono::steady_clock::now() - t0, milliseconds(1500));
  server_.reset();                          // closes the abandoned connection
  EXPECT_FALSE(pending.get().has_value());  // abandoned, not answered
}

TEST(ServerSignals, SigtermShutsDownGracefully) {
  ServerConfig c = TestConfig();
  ServerHooks hooks;
  hooks.logger = std::make_shared<Logger>(LogLevel::kOff);
  auto s = Server::Create(c, TestRoutes(), std::move(hooks));
  ASSERT_TRUE(s.has_value());
  Server& server = **s;
  std::promise<Status> done;
  ASSERT_TRUE(server.Start(/*handle_signals=*/true).ok());
  std::thread waiter([&] { done.set_value(server.Wait()); });
  ASSERT_EQ(Fetch(server.port(), {.target = "/healthz"})->status, 200);
  // With no connection left, nothing but the signal wait keeps the server
  // alive: the shutdown must cancel it.
  while (server.metrics().Render().find("http_connections_open 0\n") ==
         std::string::npos) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  std::raise(SIGTERM);
  auto f = done.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_TRUE(f.get().ok());
  waiter.join();
}

TEST(ServerStart, ReportsBindFailures) {
  ServerHooks hooks;
  hooks.logger = std::make_shared<Logger>(LogLevel::kOff);
  auto first = Server::Create(TestConfig(), Router(), hooks);
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE((*first)->Start().ok());
  ServerConfig c = TestConfig();
  c.listen_port = (*first)->port();
  auto second = Server::Create(c, Router(), hooks);
  ASSERT_TRUE(second.has_value());
  Status st = (*second)->Start();
  EXPECT_EQ(st.code(), Code::kUnavailable);
  c.listen_host = "not-an-ip";
  auto third = Server::Create(c, Router(), hooks);
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ((*third)->Start().code(), Code::kInvalidArgument);
}

TEST(HttpClientTls, NamesAPlainHttpServerBehindAnHttpsUrl) {
  ServerHooks hooks;
  hooks.logger = std::make_shared<Logger>(LogLevel::kOff);
  auto s = Server::Create(TestConfig(), TestRoutes(), std::move(hooks));
  ASSERT_TRUE(s.has_value());
  ASSERT_TRUE((*s)->Start().ok());
  HttpClient client;
  auto r = client.Fetch(
      {.url = "https://127.0.0.1:" + std::to_string((*s)->port()) + "/items/x"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("the server seems to speak plain http"), std::string::npos)
      << r.error().ToString();
  auto plain = client.Fetch({.url = "http://127.0.0.1:" + std::to_string((*s)->port()) + "/items/x"});
  ASSERT_TRUE(plain.ok()) << plain.error().ToString();
  EXPECT_EQ(plain->status, 200);
}

TEST(ServerTls, RoundTripOverHttps) {
  std::string dir = ::testing::TempDir();
  std::string cert = dir + "/credstack_test_cert.pem";
  std::string key = dir + "/credstack_test_key.pem";
  ASSERT_TRUE(testing::WriteSelfSignedCert(cert, key).ok());
  ServerConfig c = TestConfig();
  c.tls_cert = cert;
  c.tls_key = key;
  ServerHooks hooks;
  hooks.logger = std::make_shared<Logger>(LogLevel::kOff);
  auto s = Server::Create(c, TestRoutes(), std::move(hooks));
  ASSERT_TRUE(s.has_value());
  ASSERT_TRUE((*s)->Start().ok());
  auto client = TestClient::ConnectTls((*s)->port(), cert);
  ASSERT_TRUE(client.has_value()) << client.error().ToString();
  for (int i = 0; i < 3; ++i) {
    Result<TestResponse> r = (*client)->Send({.target = "/items/tls"});
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "item tls");
  }
  Result<TestResponse> j =
      (*client)->Send({.method = "POST",
                       .target = "/json",
                       .headers = {{"Content-Type", "application/json"}},
                       .body = "[1,2]"});
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->body, "[1,2]");
  // Plain HTTP to the TLS port does not get an answer.
  auto plain = TestClient::Connect((*s)->port());
  ASSERT_TRUE(plain.has_value());
  ASSERT_TRUE((*plain)->Write("GET /healthz HTTP/1.1\r\n\r\n").ok());
  TestClient::Drained d = (*plain)->ReadUntilClose(milliseconds(2000));
  EXPECT_EQ(d.bytes.find("200 OK"), std::string::npos);
  // Bad key files are reported at start.
  ServerConfig bad = TestConfig();
  bad.tls_cert = cert;
  bad.tls_key = dir + "/missing.pem";
  auto b = Server::Create(bad, Router(), {});
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ((*b)->Start().code(), Code::kInvalidArgument);
  std::remove(cert.c_str());
  std::remove(key.c_str());
}

}  // namespace
}  // namespace credstack::server
