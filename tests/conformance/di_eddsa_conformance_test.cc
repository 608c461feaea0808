// W3C vc-di-eddsa test vectors (TestVectors/), eddsa-jcs-2022: canonical
// forms, hashes and proofValue reproduced byte for byte.
#include <gtest/gtest.h>

#include "credstack/crypto/multikey.h"
#include "credstack/crypto/sha.h"
#include "credstack/json/jcs.h"
#include "credstack/vc/data_integrity.h"
#include "credstack/vc/key_file.h"
#include "credstack/vc/verify.h"
#include "tests/testing/conformance.h"

namespace credstack {
namespace {

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

class DiEddsaJcs : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::HaveConformance()) GTEST_SKIP() << "CONFORMANCE DATA ABSENT";
    dir_ = "di-eddsa/TestVectors/eddsa-jcs-2022/";
    unsigned_ = testing::ReadConformanceJson("di-eddsa/TestVectors/unsigned.json");
    config_ = testing::ReadConformanceJson(dir_ + "proofConfigJCS.json");
    auto signer = vc::ParseKeyFile(testing::ReadConformance("di-eddsa/TestVectors/keyPair.json"));
    ASSERT_TRUE(signer.ok()) << signer.error().ToString();
    key_.emplace(signer->key);
  }
  std::string dir_;
  json::Value unsigned_, config_;
  std::optional<crypto::Ed25519KeyPair> key_;
};

TEST_F(DiEddsaJcs, CanonicalFormsAndHashes) {
  std::string canon_doc = *json::Canonicalize(unsigned_);
  EXPECT_EQ(canon_doc, Trimmed(testing::ReadConformance(dir_ + "canonDocJCS.txt")));
  std::string canon_proof = *json::Canonicalize(config_);
  EXPECT_EQ(canon_proof, Trimmed(testing::ReadConformance(dir_ + "proofCanonJCS.txt")));
  EXPECT_EQ(HexEncode(crypto::Sha256(canon_doc)), Trimmed(testing::ReadConformance(dir_ + "docHashJCS.txt")));
  EXPECT_EQ(HexEncode(crypto::Sha256(canon_proof)),
            Trimmed(testing::ReadConformance(dir_ + "proofHashJCS.txt")));
}

TEST_F(DiEddsaJcs, ProofValueReproducedByteForByte) {
  vc::Signer signer = vc::Signer::ForDidKey(*key_);
  vc::ProofOptions po;
  po.cryptosuite = "eddsa-jcs-2022";
  po.created = *ParseDateTime(config_.at("created").as_string());
  auto signed_doc = vc::AddProof(unsigned_.as_object(), signer, po,
                                 {.contexts = ld::ContextStore::Bundled()});
  ASSERT_TRUE(signed_doc.ok()) << signed_doc.error().ToString();
  const auto& proof = signed_doc->at("proof").as_object();
  std::string want_sig = Trimmed(testing::ReadConformance(dir_ + "sigBTC58JCS.txt"));
  EXPECT_EQ(proof.at("proofValue").as_string(), want_sig);
  json::Value expected = testing::ReadConformanceJson(dir_ + "signedJCS.json");
  EXPECT_EQ(*json::Canonicalize(json::Value(*signed_doc)), *json::Canonicalize(expected));
}

TEST_F(DiEddsaJcs, SignedVectorVerifiesAndTamperingFails) {
  json::Value signed_doc = testing::ReadConformanceJson(dir_ + "signedJCS.json");
  vc::ProofVerifyOptions opts;
  opts.suite.contexts = ld::ContextStore::Bundled();
  auto checks = vc::VerifyProofs(signed_doc.as_object(), opts);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_TRUE(checks[0].verified) << checks[0].detail;
  signed_doc.as_object()["credentialSubject"].as_object()["alumniOf"] = "Another School";
  EXPECT_FALSE(vc::VerifyProofs(signed_doc.as_object(), opts)[0].verified);
}

}  // namespace
}  // namespace credstack
