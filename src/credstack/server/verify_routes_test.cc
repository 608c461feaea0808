#include "credstack/server/verify_routes.h"

#include <gtest/gtest.h>

#include "credstack/server/dispatcher.h"
#include "credstack/vc/testing_util.h"

namespace credstack::server {
namespace {

using vc::testing::TestCredential;
using vc::testing::TestKey;

json::Object Sign(const json::Object& doc, const crypto::Ed25519KeyPair& key,
                  vc::ProofOptions opts = {.cryptosuite = "eddsa-jcs-2022"}) {
  return *vc::AddProof(doc, vc::Signer::ForDidKey(key), opts,
                       {.contexts = ld::ContextStore::Bundled()});
}

class VerifyRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    metrics_ = std::make_shared<Metrics>();
    app::VerificationServiceOptions o;
    o.clock = &clock_;
    o.on_result = [m = metrics_](bool ok) { m->CredentialVerified(ok); };
    Router r;
    ASSERT_TRUE(AddVerifyRoutes(
                    r, std::make_shared<app::VerificationService>(std::move(o)))
                    .ok());
    ServerHooks hooks;
    hooks.metrics = metrics_;
    hooks.logger = std::make_shared<Logger>(LogLevel::kOff);
    d_ = std::move(*Dispatcher::Create(ServerConfig{}, std::move(r), hooks));
  }

  Response Post(std::string target, std::string body,
                std::string content_type = "application/json") {
    Request req;
    HeaderList h{{"Content-Type", content_type}};
    req.set_method(Method::kPost);
    req.set_target(std::move(target));
    req.set_headers(&h);
    req.set_client_ip("127.0.0.1");
    Dispatcher::Prepared p = d_->Prepare(req, !body.empty());
    if (p.early) return *p.early;
    req.set_body(body);
    return d_->Execute(*p.route, req);
  }

  static json::Object Json(const Response& r) {
    Result<json::Value> v = json::Parse(r.body);
    EXPECT_TRUE(v.has_value()) << r.body;
    return v.has_value() && v->is_object() ? v->as_object() : json::Object{};
  }

  FixedClock clock_{*ParseDateTime("2025-01-01T00:00:00Z")};
  std::shared_ptr<Metrics> metrics_;
  std::unique_ptr<Dispatcher> d_;
};

TEST_F(VerifyRoutesTest, ApiVerifyReturnsTheReport) {
  auto key = TestKey(1);
  json::Object vc = Sign(TestCredential(key), key);
  Response r = Post("/api/v1/verify", json::Serialize(vc));
  EXPECT_EQ(r.status, 200);
  json::Object report = Json(r);
  EXPECT_EQ(report.at("verified"), true) << r.body;
  EXPECT_EQ(report.at("checks").as_array()[0].at("name"), "parse");

  vc["name"] = "tampered";
  r = Post("/api/v1/verify", json::Serialize(vc));
  EXPECT_EQ(r.status, 200);
  report = Json(r);
  EXPECT_EQ(report.at("verified"), false);
  EXPECT_FALSE(report.at("errors").as_array().empty());

  r = Post("/api/v1/verify", "{\"@context\": [");
  EXPECT_EQ(r.status, 200);
  report = Json(r);
  EXPECT_EQ(report.at("verified"), false);
  EXPECT_EQ(report.at("checks").as_array()[0].at("ok"), false);

  std::string metrics = metrics_->Render();
  EXPECT_NE(
      metrics.find(
          "credstack_credentials_verified_total{result=\"verified\"} 1\n"),
      std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find(
                "credstack_credentials_verified_total{result=\"failed\"} 2\n"),
            std::string::npos);
}

TEST_F(VerifyRoutesTest, VcApiCredentialsVerify) {
  auto key = TestKey(1);
  json::Object vc = Sign(TestCredential(key), key);
  json::Object body{{"verifiableCredential", vc}, {"options", json::Object{}}};
  Response r = Post("/credentials/verify", json::Serialize(body));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("verified"), true);

  vc["credentialSubject"].as_object()["id"] = "did:example:someone-else";
  body["verifiableCredential"] = vc;
  r = Post("/credentials/verify", json::Serialize(body));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/problem+json");
  json::Object p = Json(r);
  EXPECT_EQ(p.at("verified"), false);
  EXPECT_EQ(p.at("status"), 400);
  ASSERT_FALSE(p.at("errors").as_array().empty());
  EXPECT_EQ(p.at("errors").as_array()[0].at("path"), "proof");

  for (std::string bad :
       {std::string("{}"), std::string("{\"verifiableCredential\": 3}"),
        std::string("[]"), std::string("nope")}) {
    r = Post("/credentials/verify", bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(Json(r).at("verified"), false) << bad;
  }
  r = Post("/credentials/verify",
           std::string(200, '[') + std::string(200, ']'));
  EXPECT_EQ(r.status, 413);
  r = Post("/credentials/verify", "{}", "text/plain");
  EXPECT_EQ(r.status, 415);
}

TEST_F(VerifyRoutesTest, VcApiPresentationsVerifyChecksChallenge) {
  auto issuer = TestKey(1), holder = TestKey(2);
  json::Object vc = Sign(
      TestCredential(issuer, crypto::DidKeyFor(holder.public_key())), issuer);
  json::Object vp;
  vp["@context"] = json::Array{"https://www.w3.org/ns/credentials/v2"};
  vp["type"] = json::Array{"VerifiablePresentation"};
  vp["holder"] = crypto::DidKeyFor(holder.public_key());
  vp["verifiableCredential"] = json::Array{vc};
  json::Object signed_vp = Sign(vp, holder,
                                {.cryptosuite = "eddsa-jcs-2022",
                                 .proof_purpose = "authentication",
                                 .challenge = "c-123",
                                 .domain = "verifier.example"});
  auto request = [&](std::string challenge) {
    json::Object body{
        {"verifiablePresentation", signed_vp},
        {"options", json::Object{{"challenge", challenge},
                                 {"domain", "verifier.example"}}}};
    return Post("/presentations/verify", json::Serialize(body));
  };
  Response r = request("c-123");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("verified"), true);
  r = request("c-999");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Json(r).at("verified"), false);
  r = Post("/presentations/verify",
           "{\"verifiablePresentation\": {}, \"options\": {\"challenge\": 1}}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Json(r).at("field"), "options.challenge");
}

}  // namespace
}  // namespace credstack::server
