#include "credstack/vc/verify.h"

#include <gtest/gtest.h>

#include "credstack/vc/testing_util.h"

namespace credstack::vc {
namespace {

using testing::TestCredential;
using testing::TestKey;

VerifyOptions Opts(std::string_view now = "2025-01-01T00:00:00Z") {
  FixedClock clock(*ParseDateTime(now));
  return VerifyOptions::Default(clock);
}

json::Object Sign(const json::Object& doc, const crypto::Ed25519KeyPair& key) {
  return *AddProof(doc, Signer::ForDidKey(key), {.cryptosuite = "eddsa-jcs-2022"},
                   {.contexts = ld::ContextStore::Bundled()});
}

const Check& Get(const VerificationReport& r, std::string_view name) {
  const Check* c = r.Find(name);
  EXPECT_NE(c, nullptr) << name;
  static Check missing;
  return c ? *c : missing;
}

TEST(VerifyCredential, ValidCredentialPassesEveryCheck) {
  auto key = TestKey(1);
  auto r = VerifyCredential(json::Value(Sign(TestCredential(key), key)), Opts());
  EXPECT_TRUE(r.verified) << json::Serialize(r.ToJson());
  for (auto name : {kCheckStructure, kCheckContext, kCheckProof, kCheckIssuer, kCheckValidity, kCheckStatus}) {
    EXPECT_TRUE(Get(r, name).ok) << name;
  }
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.id, "urn:uuid:2f1f7b0e-1a7c-4e1e-9d51-0d3c9a7b6e11");
}

TEST(VerifyCredential, ValidityWindowUsesNow) {
  auto key = TestKey(1);
  json::Value vc(Sign(TestCredential(key), key));
  auto early = VerifyCredential(vc, Opts("2023-06-01T00:00:00Z"));
  EXPECT_FALSE(early.verified);
  EXPECT_FALSE(Get(early, kCheckValidity).ok);
  EXPECT_TRUE(Get(early, kCheckProof).ok);
  auto late = VerifyCredential(vc, Opts("2031-01-01T00:00:00Z"));
  EXPECT_FALSE(Get(late, kCheckValidity).ok);
  EXPECT_NE(Get(late, kCheckValidity).detail.find("expired"), std::string::npos);
}

TEST(VerifyCredential, KeyNotControlledByIssuerFailsIssuerCheck) {
  auto issuer = TestKey(1), other = TestKey(2);
  auto r = VerifyCredential(json::Value(Sign(TestCredential(issuer), other)), Opts());
  EXPECT_FALSE(r.verified);
  EXPECT_TRUE(Get(r, kCheckProof).ok);  // a valid signature...
  EXPECT_FALSE(Get(r, kCheckIssuer).ok);  // ...by someone else
}

TEST(VerifyCredential, MissingProofAndUnknownContext) {
  auto key = TestKey(1);
  json::Object unsigned_vc = TestCredential(key);
  auto r = VerifyCredential(json::Value(unsigned_vc), Opts());
  EXPECT_FALSE(Get(r, kCheckProof).ok);
  json::Object odd = Sign(TestCredential(key), key);
  odd["@context"].as_array().push_back("https://example.com/my-context");
  auto r2 = VerifyCredential(json::Value(odd), Opts());
  EXPECT_FALSE(Get(r2, kCheckContext).ok);
  EXPECT_NE(Get(r2, kCheckContext).detail.find("pinned"), std::string::npos);
}

TEST(VerifyCredential, StatusWithoutSourceIsNotASilentPass) {
  auto key = TestKey(1);
  json::Object vc = TestCredential(key);
  vc["credentialStatus"] = json::Parse(R"({"id":"https://example.com/status/1#5",
    "type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"5",
    "statusListCredential":"https://example.com/status/1"})")->as_object();
  auto r = VerifyCredential(json::Value(Sign(vc, key)), Opts());
  EXPECT_FALSE(r.verified);
  EXPECT_FALSE(Get(r, kCheckStatus).ok);
  EXPECT_TRUE(Get(r, kCheckProof).ok);
}

TEST(VerifyCredentialText, ReportsParseErrors) {
  auto r = VerifyCredentialText("{\"a\":", Opts());
  EXPECT_FALSE(r.verified);
  EXPECT_FALSE(Get(r, kCheckParse).ok);
  auto j = r.ToJson();
  EXPECT_EQ(j.at("verified"), false);
  EXPECT_EQ(j.at("checks").as_array()[0].at("name"), "parse");
}

TEST(VerifyPresentation, ChecksChallengeAndEmbeddedCredentials) {
  auto issuer = TestKey(1), holder = TestKey(2);
  json::Object vc = Sign(TestCredential(issuer, crypto::DidKeyFor(holder.public_key())), issuer);
  json::Object vp;
  vp["@context"] = json::Array{"https://www.w3.org/ns/credentials/v2"};
  vp["type"] = json::Array{"VerifiablePresentation"};
  vp["holder"] = crypto::DidKeyFor(holder.public_key());
  vp["verifiableCredential"] = json::Array{vc};
  auto signed_vp = AddProof(vp, Signer::ForDidKey(holder),
                            {.cryptosuite = "eddsa-jcs-2022", .proof_purpose = "authentication",
                             .challenge = "c-123", .domain = "verifier.example"},
                            {.contexts = ld::ContextStore::Bundled()});
  ASSERT_TRUE(signed_vp.ok());
  auto opts = Opts();
  opts.challenge = "c-123";
  opts.domain = "verifier.example";
  auto ok = VerifyPresentation(json::Value(*signed_vp), opts);
  EXPECT_TRUE(ok.verified) << json::Serialize(ok.ToJson());
  opts.challenge = "c-999";
  EXPECT_FALSE(VerifyPresentation(json::Value(*signed_vp), opts).verified);
  opts.challenge = "c-123";
  (*signed_vp)["verifiableCredential"].as_array()[0].as_object()["name"] = "changed";
  auto tampered = VerifyPresentation(json::Value(*signed_vp), opts);
  EXPECT_FALSE(tampered.verified);
}

}  // namespace
}  // namespace credstack::vc
