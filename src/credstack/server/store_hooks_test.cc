#include "credstack/server/store_hooks.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace credstack::server {
namespace {

class StoreHooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("credstack_store_hooks_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Result<std::unique_ptr<store::Store>> s =
        store::OpenStore((dir_ / "credstack.db").string());
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
    Timestamp now = Timestamp::FromUnixSeconds(1'700'000'000);
    ASSERT_TRUE(store_
                    ->Transact([&](store::Tx& tx) -> Status {
                      for (std::string org : {"org-a", "org-b"}) {
                        CREDSTACK_RETURN_IF_ERROR(tx.organizations().Insert(
                            {org, org + "-slug", "{\"name\":\"x\"}", now}));
                      }
                      for (auto [id, secret, revoked] :
                           {std::tuple{"k1", "good-secret", false},
                            std::tuple{"k2", "revoked-secret", true}}) {
                        crypto::Sha256Digest h =
                            crypto::Sha256(std::string_view(secret));
                        store::ApiKey k;
                        k.id = id;
                        k.org_id = "org-a";
                        k.role = store::ApiKeyRole::kIssuer;
                        k.secret_hash = Bytes(h.begin(), h.end());
                        k.prefix = std::string(secret).substr(0, 4);
                        k.created = now;
                        if (revoked) k.revoked_at = now;
                        CREDSTACK_RETURN_IF_ERROR(tx.api_keys().Insert(k));
                      }
                      return OkStatus();
                    })
                    .ok());

    Router r;
    ASSERT_TRUE(r.Add({.method = Method::kGet,
                       .pattern = "/api/v1/orgs/{org}",
                       .handler =
                           [](Request& req) {
                             return Response::Raw(
                                 200,
                                 std::string(RoleName(req.principal()->role)),
                                 "text/plain");
                           },
                       .policy = Policy::kIssuer})
                    .ok());
    ServerHooks hooks;
    hooks.logger = std::make_shared<Logger>(LogLevel::kOff);
    AddStoreHooks(hooks, store_);
    d_ = std::move(*Dispatcher::Create(ServerConfig{}, std::move(r), hooks));
  }

  void TearDown() override {
    d_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Response Get(std::string target, std::string authorization = "") {
    Request req;
    HeaderList h;
    if (!authorization.empty()) h.Add("Authorization", authorization);
    req.set_target(std::move(target));
    req.set_headers(&h);
    req.set_client_ip("127.0.0.1");
    Dispatcher::Prepared p = d_->Prepare(req, false);
    if (p.early) return *p.early;
    return d_->Execute(*p.route, req);
  }

  std::filesystem::path dir_;
  std::shared_ptr<store::Store> store_;
  std::unique_ptr<Dispatcher> d_;
};

TEST_F(StoreHooksTest, ApiKeysComeFromTheStore) {
  Response r = Get("/api/v1/orgs/org-a", "Bearer good-secret");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "issuer");
  EXPECT_EQ(Get("/api/v1/orgs/org-b", "Bearer good-secret").status, 403);
  EXPECT_EQ(Get("/api/v1/orgs/org-a", "Bearer revoked-secret").status, 401);
  EXPECT_EQ(Get("/api/v1/orgs/org-a", "Bearer unknown").status, 401);
  EXPECT_EQ(Get("/api/v1/orgs/org-a").status, 401);
}

TEST_F(StoreHooksTest, ReadinessAndPoolGauges) {
  EXPECT_EQ(Get("/readyz").status, 200);
  Response m = Get("/metrics");
  EXPECT_NE(m.body.find("# TYPE credstack_db_connections_open gauge\n"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("credstack_db_transactions_committed "),
            std::string::npos);
}

}  // namespace
}  // namespace credstack::server
