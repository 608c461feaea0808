// eddsa-rdfc-2022 test vectors reproduced byte for byte through the public
// vc API: W3C vc-di-eddsa (TestVectors/eddsa-rdfc-2022, employ/) and the
// 1EdTech Open Badges 3.0 / CLR 2.0 vectors (ob3/test-vectors).
#include <gtest/gtest.h>

#include "credstack/crypto/multikey.h"
#include "credstack/crypto/sha.h"
#include "credstack/vc/data_integrity.h"
#include "credstack/vc/key_file.h"
#include "credstack/vc/verify.h"
#include "tests/testing/conformance.h"

namespace credstack {
namespace {

using testing::ReadConformance;
using testing::ReadConformanceJson;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

vc::SuiteOptions Suite() {
  vc::SuiteOptions o = vc::MakeSuiteOptions(ld::ContextStore::Bundled());
  return o;
}

// The proof options of a vector, with created as a Timestamp.
vc::ProofOptions OptionsFrom(const json::Value& config) {
  vc::ProofOptions po;
  po.cryptosuite = "eddsa-rdfc-2022";
  po.created = *ParseDateTime(config.at("created").as_string());
  return po;
}

TEST(RdfcVectors, W3cDataIntegrityVector) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  const std::string dir = "di-eddsa/TestVectors/eddsa-rdfc-2022/";
  auto signer = vc::ParseKeyFile(ReadConformance("di-eddsa/TestVectors/keyPair.json"));
  ASSERT_TRUE(signer.ok());
  json::Value unsigned_doc = ReadConformanceJson("di-eddsa/TestVectors/unsigned.json");
  json::Value config = ReadConformanceJson(dir + "proofConfigDataInt.json");

  // Hash data = proofHash || docHash (vc-di-eddsa §3.2.4).
  json::Object proof = config.as_object();
  proof.erase("@context");
  auto hash = vc::EddsaRdfc2022().HashForSigning(unsigned_doc.as_object(), proof, Suite());
  ASSERT_TRUE(hash.ok()) << hash.error().ToString();
  EXPECT_EQ(HexEncode(hash->bytes), Trim(ReadConformance(dir + "combinedHashDataInt.txt")));

  auto signed_doc = vc::AddProof(unsigned_doc.as_object(), *signer, OptionsFrom(config), Suite());
  ASSERT_TRUE(signed_doc.ok()) << signed_doc.error().ToString();
  EXPECT_EQ(signed_doc->at("proof").at("proofValue").as_string(),
            Trim(ReadConformance(dir + "sigBTC58DataInt.txt")));

  json::Value expected = ReadConformanceJson(dir + "signedDataInt.json");
  vc::ProofVerifyOptions vo;
  vo.suite = Suite();
  auto checks = vc::VerifyProofs(expected.as_object(), vo);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_TRUE(checks[0].verified) << checks[0].detail;
  expected.as_object()["name"] = "Tampered";
  EXPECT_FALSE(vc::VerifyProofs(expected.as_object(), vo)[0].verified);
}

// The employ/ vector's context (citizenship/v4rc1) is not published; its
// canonical forms are, so hashing and signing are checked from them.
TEST(RdfcVectors, W3cEmploymentVectorFromCanonicalForms) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  const std::string dir = "di-eddsa/TestVectors/eddsa-rdfc-2022/employ/";
  auto signer = vc::ParseKeyFile(ReadConformance("di-eddsa/TestVectors/keyPair.json"));
  ASSERT_TRUE(signer.ok());
  std::string doc = ReadConformance(dir + "canonDocDataInt.txt");
  std::string proof = ReadConformance(dir + "proofCanonDataInt.txt");
  EXPECT_EQ(HexEncode(crypto::Sha256(doc)), Trim(ReadConformance(dir + "docHashDataInt.txt")));
  EXPECT_EQ(HexEncode(crypto::Sha256(proof)), Trim(ReadConformance(dir + "proofHashDataInt.txt")));
  Bytes combined;
  for (auto h : {crypto::Sha256(proof), crypto::Sha256(doc)}) combined.insert(combined.end(), h.begin(), h.end());
  EXPECT_EQ(HexEncode(signer->key.Sign(combined)), Trim(ReadConformance(dir + "sigHexDataInt.txt")));
}

class Ob3Vectors : public ::testing::TestWithParam<const char*> {};

TEST_P(Ob3Vectors, ReproduceProofAndVerify) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  const std::string dir = std::string("ob3/test-vectors/") + GetParam() + "/";
  json::Value key = ReadConformanceJson(dir + "keyPair.json");
  auto seed = crypto::DecodeEd25519SecretMultikey(key.at("secretKeyMultibase").as_string());
  ASSERT_TRUE(seed.ok()) << seed.error().ToString();
  auto kp = crypto::Ed25519KeyPair::FromSeed(*seed);
  EXPECT_EQ(HexEncode(kp.public_key()), key.at("publicKeyHex").as_string());
  vc::Signer signer{kp, std::string(key.at("id").as_string()), std::string(key.at("controller").as_string())};

  json::Value credential = ReadConformanceJson(dir + "credential.json");
  json::Value options = ReadConformanceJson(dir + "proof-options.json");
  json::Value hashes = ReadConformanceJson(dir + "hashes-and-signature.json");
  auto hash = vc::EddsaRdfc2022().HashForSigning(credential.as_object(), options.as_object(), Suite());
  ASSERT_TRUE(hash.ok()) << hash.error().ToString();
  EXPECT_EQ(HexEncode(hash->bytes), hashes.at("dataToSignHex").as_string());

  auto signed_doc = vc::AddProof(credential.as_object(), signer, OptionsFrom(options), Suite());
  ASSERT_TRUE(signed_doc.ok()) << signed_doc.error().ToString();
  const json::Value& proof = signed_doc->at("proof");
  EXPECT_EQ(proof.at("proofValue").as_string(), hashes.at("proofValue").as_string());

  // Verify the published signed credential through a controller document
  // for the https issuer, served offline.
  json::Value signed_vector = ReadConformanceJson(dir + "signed-credential.json");
  json::Object controller;
  controller["id"] = key.at("controller");
  json::Object vm;
  vm["id"] = key.at("id");
  vm["type"] = "Multikey";
  vm["controller"] = key.at("controller");
  vm["publicKeyMultibase"] = key.at("publicKeyMultibase");
  controller["verificationMethod"] = json::Array{vm};
  controller["assertionMethod"] = json::Array{key.at("id")};
  vc::StaticDocumentResolver resolver;
  resolver.Add(std::string(key.at("controller").as_string()), json::Value(controller));
  FixedClock clock(*ParseDateTime("2026-01-01T00:00:00Z"));
  vc::VerifyOptions vo = vc::VerifyOptions::Default(clock);
  vo.resolver = &resolver;
  vc::VerificationReport r = vc::VerifyCredential(signed_vector, vo);
  EXPECT_TRUE(r.Find("proof")->ok) << json::Serialize(r.ToJson());
  EXPECT_TRUE(r.Find("issuer")->ok) << json::Serialize(r.ToJson());
}

INSTANTIATE_TEST_SUITE_P(OpenBadgesAndClr, Ob3Vectors, ::testing::Values("obv3p0", "clrv2p0"));

}  // namespace
}  // namespace credstack
