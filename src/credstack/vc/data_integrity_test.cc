#include "credstack/vc/data_integrity.h"

#include <gtest/gtest.h>

#include "credstack/crypto/multikey.h"
#include "credstack/vc/testing_util.h"

namespace credstack::vc {
namespace {

using testing::TestCredential;
using testing::TestKey;

SuiteOptions Suite() { return {.contexts = ld::ContextStore::Bundled()}; }

ProofVerifyOptions VerifyOpts() {
  ProofVerifyOptions o;
  o.now = *ParseDateTime("2025-01-01T00:00:00Z");
  o.suite = Suite();
  return o;
}

json::Object Signed(const json::Object& doc, const crypto::Ed25519KeyPair& key,
                    ProofOptions po = {.cryptosuite = "eddsa-jcs-2022"}) {
  auto s = AddProof(doc, Signer::ForDidKey(key), po, Suite());
  EXPECT_TRUE(s.ok()) << s.error().ToString();
  return *s;
}

TEST(AddProof, JcsRoundTripAndProofShape) {
  auto key = TestKey(1);
  json::Object vc = Signed(TestCredential(key), key);
  const auto& proof = vc.at("proof").as_object();
  EXPECT_EQ(proof.at("type"), "DataIntegrityProof");
  EXPECT_EQ(proof.at("cryptosuite"), "eddsa-jcs-2022");
  EXPECT_EQ(proof.at("proofPurpose"), "assertionMethod");
  EXPECT_TRUE(proof.contains("@context"));  // §3.3.1 step 2
  auto checks = VerifyProofs(vc, VerifyOpts());
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_TRUE(checks[0].verified) << checks[0].detail;
  EXPECT_EQ(checks[0].key->controller, crypto::DidKeyFor(key.public_key()));
}

TEST(VerifyProofs, DetectsTampering) {
  auto key = TestKey(1);
  json::Object vc = Signed(TestCredential(key), key);
  json::Object tampered = vc;
  tampered["name"] = "Data Analysis 102";
  auto checks = VerifyProofs(tampered, VerifyOpts());
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_FALSE(checks[0].verified);
  EXPECT_NE(checks[0].detail.find("signature does not verify"), std::string::npos);

  json::Object bad_value = vc;
  std::string pv(bad_value["proof"].as_object()["proofValue"].as_string());
  pv[10] = pv[10] == 'a' ? 'b' : 'a';
  bad_value["proof"].as_object()["proofValue"] = pv;
  EXPECT_FALSE(VerifyProofs(bad_value, VerifyOpts())[0].verified);
}

TEST(VerifyProofs, ChecksPurposeChallengeDomainAndSuite) {
  auto key = TestKey(2);
  json::Object vc = Signed(TestCredential(key), key,
                           {.cryptosuite = "eddsa-jcs-2022", .proof_purpose = "authentication",
                            .challenge = "abc", .domain = "example.org"});
  auto opts = VerifyOpts();
  EXPECT_FALSE(VerifyProofs(vc, opts)[0].verified);  // purpose mismatch
  opts.expected_purpose = "authentication";
  opts.challenge = "abc";
  opts.domain = "example.org";
  EXPECT_TRUE(VerifyProofs(vc, opts)[0].verified);
  opts.challenge = "xyz";
  EXPECT_FALSE(VerifyProofs(vc, opts)[0].verified);

  json::Object unknown = vc;
  unknown["proof"].as_object()["cryptosuite"] = "ecdsa-rdfc-2019";
  auto c = VerifyProofs(unknown, VerifyOpts());
  EXPECT_FALSE(c[0].verified);
  EXPECT_FALSE(c[0].known_type);
  EXPECT_NE(c[0].detail.find("unknown cryptosuite"), std::string::npos);
}

TEST(AddProof, SecondProofMakesAProofSet) {
  auto a = TestKey(3), b = TestKey(4);
  json::Object doc = TestCredential(a);
  json::Object one = Signed(doc, a);
  json::Object two = Signed(one, b);
  ASSERT_TRUE(two.at("proof").is_array());
  EXPECT_EQ(two.at("proof").as_array().size(), 2u);
  auto checks = VerifyProofs(two, VerifyOpts());
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_TRUE(checks[0].verified) << checks[0].detail;
  EXPECT_TRUE(checks[1].verified) << checks[1].detail;
}

TEST(AddProof, RejectsUnknownSuite) {
  auto key = TestKey(1);
  auto r = AddProof(TestCredential(key), Signer::ForDidKey(key), {.cryptosuite = "nope"}, Suite());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace credstack::vc
