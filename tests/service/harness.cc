#include "harness.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "credstack/ld/context_store.h"
#include "credstack/server/application.h"
#include "credstack/server/store_hooks.h"

namespace credstack::service_testing {

Harness::~Harness() { Stop(); }

void Harness::Stop() {
  if (server_) {
    server_->Shutdown();
    (void)server_->Wait();
    server_.reset();
  }
  if (services_) services_->bulk->Stop();
}

std::string Harness::Start(server::ServerConfig config) {
  std::string why = db_.Prepare();
  if (!why.empty()) return why;
  auto store = db_.Open();
  if (!store.ok()) return "cannot open the store: " + store.status().ToString();
  ::setenv("CREDSTACK_OPERATOR_TOKEN", kOperatorToken, 1);
  config.listen_host = "127.0.0.1";
  config.listen_port = 0;
  config.data_dir = db_.dir() + "/data";
  config.database_url = db_.location();
  config.ip_rate.rate = 0;
  config.key_rate.rate = 0;
  config.log_level = "off";
  ctx_ = std::make_shared<app::AppContext>();
  ctx_->store = std::shared_ptr<store::Store>(std::move(*store));
  ctx_->urls = *app::PublicUrls::Create("https://badges.test");
  ctx_->rng = &crypto::SecureRng::Instance();
  ctx_->suite = vc::MakeSuiteOptions(ld::ContextStore::Bundled());
  server::Router router;
  server::ServerHooks hooks;
  server::AddStoreHooks(hooks, ctx_->store);
  auto application = server::InstallApplication(config, ctx_, router, hooks);
  if (!application.ok()) return "InstallApplication: " + application.status().ToString();
  services_ = application->issuer;
  auto srv = server::Server::Create(config, std::move(router), std::move(hooks));
  if (!srv.ok()) return srv.status().ToString();
  server_ = std::move(*srv);
  if (Status st = server_->Start(); !st.ok()) return st.ToString();
  port_ = server_->port();
  return "";
}

TestResponse Harness::Call(const std::string& method, const std::string& target,
                           const std::string& key, const std::string& body,
                           const std::string& content_type,
                           std::vector<std::pair<std::string, std::string>> headers) {
  server::testing::TestRequest r;
  r.method = method;
  r.target = target;
  if (!key.empty()) r.headers.emplace_back("Authorization", "Bearer " + key);
  if (!body.empty() || method == "POST" || method == "PUT") {
    r.headers.emplace_back("Content-Type", content_type);
  }
  for (auto& h : headers) r.headers.push_back(std::move(h));
  r.body = body;
  auto res = server::testing::Fetch(port_, r);
  EXPECT_TRUE(res.ok()) << method << " " << target << ": " << res.status().ToString();
  return res.ok() ? *res : TestResponse{};
}

json::Value Harness::Json(const TestResponse& r) {
  auto v = json::Parse(r.body);
  EXPECT_TRUE(v.ok()) << r.body.substr(0, 300);
  return v.ok() ? *v : json::Value(nullptr);
}

Harness::Org Harness::CreateOrg(const std::string& slug) {
  TestResponse r = Call("POST", "/api/v1/orgs", kOperatorToken,
                        R"({"name":"Org )" + slug + R"(","slug":")" + slug +
                            R"(","url":"https://)" + slug + R"(.example"})");
  EXPECT_EQ(r.status, 201) << r.body;
  json::Value v = Json(r);
  if (!v.is_object()) return {};
  return Org{.id = std::string(v.at("organization").at("id").as_string()),
             .slug = slug,
             .admin_key = std::string(v.at("apiKey").at("secret").as_string())};
}

std::string Harness::CreateKey(const Org& org, const std::string& role) {
  TestResponse r = Call("POST", "/api/v1/orgs/" + org.id + "/api-keys", org.admin_key,
                        R"({"role":")" + role + R"("})");
  EXPECT_EQ(r.status, 201) << r.body;
  json::Value v = Json(r);
  return v.is_object() ? std::string(v.at("secret").as_string()) : "";
}

std::string Harness::CreateAchievement(const Org& org, const std::string& name) {
  TestResponse r =
      Call("POST", "/api/v1/orgs/" + org.id + "/achievements", org.admin_key,
           R"({"name":")" + name +
               R"(","description":"Analyses data","criteria":{"narrative":"Pass the exam"},)"
               R"("alignment":[{"targetName":"perform data analysis","targetFramework":"ESCO",)"
               R"("targetUrl":"http://data.europa.eu/esco/skill/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"}]})");
  EXPECT_EQ(r.status, 201) << r.body;
  json::Value v = Json(r);
  return v.is_object() ? std::string(v.at("id").as_string()) : "";
}

}  // namespace credstack::service_testing
