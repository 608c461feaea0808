#include "harness.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "credstack/app/own_document_resolver.h"
#include "credstack/app/verification.h"
#include "credstack/crypto/ed25519.h"
#include "credstack/ld/context_store.h"
#include "credstack/server/issuer_routes.h"
#include "credstack/server/store_hooks.h"
#include "credstack/server/verify_routes.h"
#include "credstack/status/encoded_list.h"
#include "credstack/status/status_list.h"
#include "credstack/vc/data_integrity.h"

namespace credstack::service_testing {
namespace {

// Until status lists are published by their own area, tests sign the
// stored lists here so that verification can check status end to end.
// Used only when nothing else serves <base>/status/.
Result<std::shared_ptr<const json::Value>> StatusListFor(
    const std::shared_ptr<app::AppContext>& ctx, std::string_view url) {
  std::string prefix = ctx->urls.StatusListUrl("");
  std::string id(url.substr(prefix.size()));
  store::StatusList list;
  store::Organization org;
  CREDSTACK_RETURN_IF_ERROR(ctx->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(list, tx.status_lists().Get(id));
    CREDSTACK_ASSIGN_OR_RETURN(org, tx.organizations().Get(list.org_id));
    return OkStatus();
  }));
  CREDSTACK_ASSIGN_OR_RETURN(vc::Signer signer, ctx->signers->StatusListSigner(list));
  CREDSTACK_ASSIGN_OR_RETURN(std::string encoded, status::EncodeList(list.bits));
  CREDSTACK_ASSIGN_OR_RETURN(
      json::Value doc,
      status::BuildStatusListCredential(status::StatusListCredentialOptions{
          .id = std::string(url),
          .issuer = json::Value(signer.controller),
          .purposes = {std::string(store::StatusPurposeName(list.purpose))},
          .encoded_list = encoded,
          .valid_from = Timestamp::FromUnixSeconds(1'700'000'000)}));
  CREDSTACK_ASSIGN_OR_RETURN(
      json::Object signed_doc,
      vc::AddProof(doc.as_object(), signer, vc::ProofOptions{}, ctx->suite));
  return std::make_shared<const json::Value>(std::move(signed_doc));
}

}  // namespace

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
  auto services = server::InstallIssuer(config, ctx_, router, hooks);
  if (!services.ok()) return "InstallIssuer: " + services.status().ToString();
  services_ = *services;
  auto probe = ctx_->documents->Resolve(ctx_->urls.StatusListUrl("probe"));
  if (!probe.ok() && probe.status().message() == "not a document of this deployment") {
    auto ctx = ctx_;
    ctx_->documents->AddSource(
        ctx_->urls.StatusListUrl(""),
        [ctx](std::string_view url) { return StatusListFor(ctx, url); },
        /*cacheable=*/false);
  }
  app::VerificationServiceOptions vopts;
  vopts.resolver = ctx_->documents;
  Status s = server::AddVerifyRoutes(
      router, std::make_shared<app::VerificationService>(std::move(vopts)));
  if (!s.ok()) return s.ToString();
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
