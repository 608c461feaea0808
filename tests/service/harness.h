#pragma once

// An in-process `credstack serve` for service tests: the real server
// (Beast, dispatcher, policies), the issuer application and the verifier,
// on an ephemeral port, over SQLite or the ctest-started PostgreSQL.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "credstack/app/issuer_services.h"
#include "credstack/app/testing/test_store.h"
#include "credstack/json/json.h"
#include "credstack/server/server.h"
#include "credstack/server/testing/http_test_client.h"

namespace credstack::service_testing {

using app::testing::Backend;
using server::testing::TestResponse;

inline constexpr char kOperatorToken[] = "op-token-for-service-tests-0001";

class Harness {
 public:
  explicit Harness(Backend backend) : db_(backend) {}
  ~Harness();

  // Empty when running; otherwise why the backend is unavailable (skip).
  std::string Start(server::ServerConfig config = {});
  void Stop();

  uint16_t port() const { return port_; }
  server::Server& srv() { return *server_; }
  std::shared_ptr<app::IssuerServices> services() { return services_; }
  store::Store& store() { return *ctx_->store; }
  const app::PublicUrls& urls() const { return ctx_->urls; }

  TestResponse Call(const std::string& method, const std::string& target,
                    const std::string& key = "", const std::string& body = "",
                    const std::string& content_type = "application/json",
                    std::vector<std::pair<std::string, std::string>> headers = {});
  json::Value Json(const TestResponse& r);

  struct Org {
    std::string id;
    std::string slug;
    std::string admin_key;
  };
  Org CreateOrg(const std::string& slug);
  // An API key of the organization with the role.
  std::string CreateKey(const Org& org, const std::string& role);
  std::string CreateAchievement(const Org& org, const std::string& name);

 private:
  app::testing::TestDatabase db_;
  std::shared_ptr<app::AppContext> ctx_;
  std::shared_ptr<app::IssuerServices> services_;
  std::unique_ptr<server::Server> server_;
  uint16_t port_ = 0;
};

}  // namespace credstack::service_testing
