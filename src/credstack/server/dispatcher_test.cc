#include "credstack/server/dispatcher.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <stdexcept>

namespace credstack::server {
namespace {

// In-memory API keys: "<org>-<role>" for orgs a and b.
ApiKeyLookup TestKeys() {
  auto keys = std::make_shared<std::map<crypto::Sha256Digest, Principal>>();
  for (std::string org : {"a", "b"}) {
    for (Role role : {Role::kViewer, Role::kIssuer, Role::kAdmin}) {
      std::string key = org + "-" + std::string(RoleName(role));
      (*keys)[crypto::Sha256(std::string_view(key))] =
          Principal{"id-" + key, org, role};
    }
  }
  return [keys](const crypto::Sha256Digest& h) -> Result<Principal> {
    auto it = keys->find(h);
    if (it == keys->end()) return NotFoundError("unknown key");
    return it->second;
  };
}

struct Harness {
  std::unique_ptr<Dispatcher> d;
  int handler_calls = 0;

  explicit Harness(ServerConfig config = {}, Router extra = {}) {
    Router r = std::move(extra);
    auto count = [this](Request& req) {
      ++handler_calls;
      return Response::Raw(200, std::string(req.PathParameter("org")),
                           "text/plain");
    };
    EXPECT_TRUE(
        r.Add({.method = Method::kGet, .pattern = "/pub", .handler = count})
            .ok());
    EXPECT_TRUE(r.Add({.method = Method::kGet,
                       .pattern = "/api/v1/orgs/{org}",
                       .handler = count,
                       .policy = Policy::kViewer})
                    .ok());
    EXPECT_TRUE(r.Add({.method = Method::kPost,
                       .pattern = "/api/v1/orgs/{org}/credentials",
                       .handler = count,
                       .policy = Policy::kIssuer,
                       .consumes = {"application/json"}})
                    .ok());
    EXPECT_TRUE(r.Add({.method = Method::kDelete,
                       .pattern = "/api/v1/orgs/{org}",
                       .handler = count,
                       .policy = Policy::kAdmin})
                    .ok());
    EXPECT_TRUE(r.Add({.method = Method::kGet,
                       .pattern = "/throw",
                       .handler = [](Request&) -> Response {
                         throw std::runtime_error("/etc/secret path");
                       }})
                    .ok());
    ServerHooks hooks;
    hooks.api_keys = TestKeys();
    hooks.logger = std::make_shared<Logger>(LogLevel::kOff);
    Result<std::unique_ptr<Dispatcher>> made =
        Dispatcher::Create(config, std::move(r), std::move(hooks));
    EXPECT_TRUE(made.has_value());
    d = std::move(*made);
  }

  // Runs the whole pipeline as the server does.
  Response Run(Method m, std::string target, HeaderList headers = {},
               std::string body = "") {
    Request req;
    req.set_method(m);
    req.set_target(std::move(target));
    req.set_headers(&headers);
    req.set_client_ip("192.0.2.1");
    Dispatcher::Prepared p = d->Prepare(req, !body.empty());
    if (p.early) return std::move(*p.early);
    req.set_body(body);
    return d->Execute(*p.route, req);
  }
};

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const HeaderField& h : r.headers) {
    if (h.name == name) return h.value;
  }
  return {};
}

TEST(Dispatcher, NotFoundMethodNotAllowedAndOptions) {
  Harness h;
  Response r = h.Run(Method::kGet, "/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_NE(r.body.find("\"instance\":\"/nope\""), std::string::npos) << r.body;
  r = h.Run(Method::kPost, "/pub");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(HeaderOf(r, "Allow"), "GET, HEAD, OPTIONS");
  r = h.Run(Method::kOptions, "/api/v1/orgs/a");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(HeaderOf(r, "Allow"), "GET, HEAD, DELETE, OPTIONS");
  r = h.Run(Method::kOther, "/pub");
  EXPECT_EQ(r.status, 501);
  r = h.Run(Method::kGet, "/pub%00");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(h.handler_calls, 0);
}

// Every protected route x every key (role, organization) x no key / a bad
// key: denied requests get 401/403 and never reach the handler.
TEST(Dispatcher, AuthorizationMatrix) {
  Harness h;
  struct Case {
    Method m;
    std::string target;
    Policy policy;
  };
  std::vector<Case> cases = {
      {Method::kGet, "/api/v1/orgs/a", Policy::kViewer},
      {Method::kPost, "/api/v1/orgs/a/credentials", Policy::kIssuer},
      {Method::kDelete, "/api/v1/orgs/a", Policy::kAdmin},
  };
  for (const Case& c : cases) {
    int before = h.handler_calls;
    EXPECT_EQ(h.Run(c.m, c.target).status, 401) << c.target;
    Response bad = h.Run(c.m, c.target, {{"Authorization", "Bearer nope"}});
    EXPECT_EQ(bad.status, 401);
    EXPECT_EQ(HeaderOf(bad, "WWW-Authenticate"),
              "Bearer error=\"invalid_token\"");
    EXPECT_EQ(h.handler_calls, before);
    for (std::string org : {"a", "b"}) {
      for (Role role : {Role::kViewer, Role::kIssuer, Role::kAdmin}) {
        std::string key = org + "-" + std::string(RoleName(role));
        HeaderList hdrs{{"Authorization", "Bearer " + key},
                        {"Content-Type", "application/json"}};
        int calls = h.handler_calls;
        Response r =
            h.Run(c.m, c.target, hdrs, c.m == Method::kPost ? "{}" : "");
        bool role_ok = static_cast<int>(role) >= static_cast<int>(c.policy);
        bool allowed = role_ok && org == "a";
        EXPECT_EQ(r.status, allowed ? 200 : 403) << c.target << " " << key;
        EXPECT_EQ(h.handler_calls, calls + (allowed ? 1 : 0));
      }
    }
  }
  // Public routes accept anonymous requests but not invalid keys.
  EXPECT_EQ(h.Run(Method::kGet, "/pub").status, 200);
  EXPECT_EQ(
      h.Run(Method::kGet, "/pub", {{"Authorization", "Bearer nope"}}).status,
      401);
  EXPECT_EQ(h.Run(Method::kGet, "/pub", {{"Authorization", "Bearer b-viewer"}})
                .status,
            200);
}

TEST(Dispatcher, UnsupportedMediaType) {
  Harness h;
  HeaderList hdrs{{"Authorization", "Bearer a-issuer"},
                  {"Content-Type", "text/plain"}};
  Response r = h.Run(Method::kPost, "/api/v1/orgs/a/credentials", hdrs, "x");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(HeaderOf(r, "Accept-Post"), "application/json");
  HeaderList ok{{"Authorization", "Bearer a-issuer"},
                {"Content-Type", "Application/JSON; charset=utf-8"}};
  EXPECT_EQ(h.Run(Method::kPost, "/api/v1/orgs/a/credentials", ok, "{}").status,
            200);
}

TEST(Dispatcher, RateLimitsPublicRoutesPerIpAndKeysPerKey) {
  ServerConfig c;
  c.ip_rate = {.rate = 1, .burst = 2};
  c.key_rate = {.rate = 1, .burst = 3};
  Harness h(c);
  EXPECT_EQ(h.Run(Method::kGet, "/pub").status, 200);
  EXPECT_EQ(h.Run(Method::kGet, "/pub").status, 200);
  Response r = h.Run(Method::kGet, "/pub");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(HeaderOf(r, "Retry-After"), "1");
  // Operational routes are never limited.
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(h.Run(Method::kGet, "/healthz").status, 200);
  HeaderList key{{"Authorization", "Bearer a-viewer"}};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(h.Run(Method::kGet, "/api/v1/orgs/a", key).status, 200);
  }
  EXPECT_EQ(h.Run(Method::kGet, "/api/v1/orgs/a", key).status, 429);
  // Another key has its own bucket.
  EXPECT_EQ(h.Run(Method::kGet, "/api/v1/orgs/a",
                  {{"Authorization", "Bearer a-admin"}})
                .status,
            200);
}

TEST(Dispatcher, HandlerExceptionsBecomeOpaque500) {
  Harness h;
  Response r = h.Run(Method::kGet, "/throw");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(r.body.find("secret"), std::string::npos) << r.body;
  EXPECT_NE(r.log_detail.find("/etc/secret"), std::string::npos);
}

TEST(Dispatcher, RequestIds) {
  Harness h;
  Request req;
  HeaderList hdrs{{"X-Request-Id", "abc-123"}};
  req.set_target("/pub");
  req.set_headers(&hdrs);
  h.d->Prepare(req, false);
  EXPECT_EQ(req.request_id(), "abc-123");
  Request req2;
  HeaderList evil{{"X-Request-Id", "a\"b\nc"}};
  req2.set_target("/pub");
  req2.set_headers(&evil);
  h.d->Prepare(req2, false);
  EXPECT_NE(req2.request_id(), "a\"b\nc");
  EXPECT_FALSE(req2.request_id().empty());
}

TEST(Dispatcher, ReadyzFollowsHookAndDraining) {
  ServerConfig c;
  Router r;
  ServerHooks hooks;
  bool db_up = true;
  hooks.readiness = [&db_up] {
    return db_up ? OkStatus() : UnavailableError("db at 10.0.0.5 down");
  };
  hooks.logger = std::make_shared<Logger>(LogLevel::kOff);
  auto d = std::move(*Dispatcher::Create(c, std::move(r), std::move(hooks)));
  auto get = [&](std::string target) {
    Request req;
    HeaderList none;
    req.set_target(std::move(target));
    req.set_headers(&none);
    Dispatcher::Prepared p = d->Prepare(req, false);
    return p.early ? *p.early : d->Execute(*p.route, req);
  };
  EXPECT_EQ(get("/readyz").status, 200);
  db_up = false;
  Response down = get("/readyz");
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.body.find("10.0.0.5"), std::string::npos);
  db_up = true;
  d->SetDraining();
  EXPECT_EQ(get("/readyz").status, 503);
  EXPECT_EQ(get("/healthz").status, 200);
}

// The OpenAPI document lists exactly the registered routes.
TEST(OpenApi, DocumentMatchesRouteTable) {
  ServerConfig c;
  c.enable_echo = true;
  Harness h(c);
  Result<json::Value> doc = json::Parse(h.d->openapi_json());
  ASSERT_TRUE(doc.has_value());
  const json::Object& o = doc->as_object();
  EXPECT_EQ(o.at("openapi").as_string(), "3.1.0");
  std::set<std::pair<std::string, std::string>> documented, registered;
  for (const auto& path : o.at("paths").as_object()) {
    for (const auto& op : path.value().as_object()) {
      documented.insert({std::string(op.key()), std::string(path.key())});
      const json::Object& opo = op.value().as_object();
      // Path parameters are declared.
      std::set<std::string> declared;
      if (const json::Value* ps = opo.if_contains("parameters")) {
        for (const auto& p : ps->as_array()) {
          declared.insert(std::string(p.as_object().at("name").as_string()));
        }
      }
      std::string_view pattern = path.key();
      size_t n = 0;
      for (size_t i = pattern.find('{'); i != std::string_view::npos;
           i = pattern.find('{', i + 1)) {
        ++n;
        std::string name(pattern.substr(i + 1, pattern.find('}', i) - i - 1));
        EXPECT_TRUE(declared.count(name)) << pattern << " " << name;
      }
      EXPECT_EQ(declared.size(), n) << pattern;
      EXPECT_TRUE(opo.contains("responses"));
    }
  }
  for (const auto& r : h.d->router().routes()) {
    std::string m(MethodName(r->spec.method));
    for (char& ch : m) ch = static_cast<char>(std::tolower(ch));
    registered.insert({m, r->spec.pattern});
  }
  EXPECT_EQ(documented, registered);
  EXPECT_TRUE(registered.count({"get", "/api/v1/openapi.json"}));
  EXPECT_TRUE(registered.count({"post", "/debug/echo"}));
  EXPECT_TRUE(registered.count({"get", "/metrics"}));
}

}  // namespace
}  // namespace credstack::server
