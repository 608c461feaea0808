#include "credstack/status/status_checker.h"

#include <gtest/gtest.h>

#include "credstack/crypto/multikey.h"
#include "credstack/status/bitstring.h"
#include "credstack/status/encoded_list.h"
#include "credstack/status/status_list.h"
#include "credstack/vc/data_integrity.h"

namespace credstack::status {
namespace {

constexpr char kListUrl[] = "https://issuer.example/status/revocation/1";

crypto::Ed25519KeyPair Key(uint8_t n) {
  crypto::Ed25519Seed seed{};
  seed.fill(n);
  return crypto::Ed25519KeyPair::FromSeed(seed);
}

vc::SuiteOptions Suite() { return {.contexts = ld::ContextStore::Bundled()}; }

json::Value SignedList(const crypto::Ed25519KeyPair& key, std::vector<uint64_t> revoked,
                       std::optional<uint64_t> ttl = std::nullopt) {
  auto bits = Bitstring::Create(kMinimumEntries, 1);
  for (uint64_t i : revoked) EXPECT_TRUE(bits->Set(i, 1).ok());
  StatusListCredentialOptions o;
  o.id = kListUrl;
  o.issuer = json::Value(crypto::DidKeyFor(key.public_key()));
  o.purposes = {"revocation"};
  o.encoded_list = *EncodeList(*bits);
  o.valid_from = *ParseDateTime("2024-01-01T00:00:00Z");
  o.ttl_ms = ttl;
  auto list = BuildStatusListCredential(o);
  EXPECT_TRUE(list.ok()) << list.error().ToString();
  auto signed_list = vc::AddProof(list->as_object(), vc::Signer::ForDidKey(key),
                                  {.cryptosuite = "eddsa-jcs-2022"}, Suite());
  EXPECT_TRUE(signed_list.ok()) << signed_list.error().ToString();
  return json::Value(*signed_list);
}

json::Object Credential(const crypto::Ed25519KeyPair& key, uint64_t index) {
  json::Object vc;
  vc["@context"] = json::Array{"https://www.w3.org/ns/credentials/v2"};
  vc["type"] = json::Array{"VerifiableCredential"};
  vc["issuer"] = crypto::DidKeyFor(key.public_key());
  vc["credentialSubject"] = json::Object{{"id", "did:example:learner"}};
  vc["credentialStatus"] = *BuildStatusListEntry(
      {.purpose = "revocation", .index = index, .list_credential = kListUrl});
  return *vc::AddProof(vc, vc::Signer::ForDidKey(key), {.cryptosuite = "eddsa-jcs-2022"}, Suite());
}

vc::VerifyOptions Opts(const vc::DocumentResolver* resolver, const vc::StatusChecker* checker,
                       std::string_view now = "2025-01-01T00:00:00Z") {
  FixedClock clock(*ParseDateTime(now));
  auto o = vc::VerifyOptions::Default(clock);
  o.resolver = resolver;
  o.status_checker = checker;
  return o;
}

TEST(BitstringStatusChecker, ReportsRevokedAndNotRevoked) {
  auto key = Key(1);
  vc::StaticDocumentResolver resolver;
  resolver.Add(kListUrl, SignedList(key, {42}));
  BitstringStatusChecker checker;
  auto ok = vc::VerifyCredential(json::Value(Credential(key, 7)), Opts(&resolver, &checker));
  EXPECT_TRUE(ok.verified) << json::Serialize(ok.ToJson());
  EXPECT_NE(ok.Find("status")->detail.find("not revoked"), std::string::npos);
  auto revoked = vc::VerifyCredential(json::Value(Credential(key, 42)), Opts(&resolver, &checker));
  EXPECT_FALSE(revoked.verified);
  EXPECT_FALSE(revoked.Find("status")->ok);
  EXPECT_NE(revoked.Find("status")->detail.find("REVOKED"), std::string::npos);
  EXPECT_TRUE(revoked.Find("proof")->ok);
}

TEST(BitstringStatusChecker, MissingListIsNotASilentPass) {
  auto key = Key(1);
  vc::StaticDocumentResolver empty;
  BitstringStatusChecker checker;
  auto r = vc::VerifyCredential(json::Value(Credential(key, 7)), Opts(&empty, &checker));
  EXPECT_FALSE(r.verified);
  EXPECT_NE(r.Find("status")->detail.find("STATUS_RETRIEVAL_ERROR"), std::string::npos);
}

TEST(BitstringStatusChecker, ListFromAnotherIssuerOrTamperedIsRejected) {
  auto key = Key(1), other = Key(2);
  vc::StaticDocumentResolver resolver;
  resolver.Add(kListUrl, SignedList(other, {}));
  BitstringStatusChecker checker;
  auto r = vc::VerifyCredential(json::Value(Credential(key, 7)), Opts(&resolver, &checker));
  EXPECT_FALSE(r.Find("status")->ok);
  EXPECT_NE(r.Find("status")->detail.find("not by the credential's issuer"), std::string::npos);

  json::Value tampered = SignedList(key, {7});
  tampered.as_object()["credentialSubject"].as_object()["encodedList"] =
      SignedList(key, {}).at("credentialSubject").at("encodedList");
  vc::StaticDocumentResolver r2;
  r2.Add(kListUrl, tampered);
  BitstringStatusChecker fresh;
  auto t = vc::VerifyCredential(json::Value(Credential(key, 7)), Opts(&r2, &fresh));
  EXPECT_FALSE(t.Find("status")->ok);
  EXPECT_NE(t.Find("status")->detail.find("STATUS_VERIFICATION_ERROR"), std::string::npos);
}

TEST(BitstringStatusChecker, CacheHonoursTtl) {
  auto key = Key(1);
  auto resolver = std::make_shared<vc::StaticDocumentResolver>();
  resolver->Add(kListUrl, SignedList(key, {}, /*ttl=*/60'000));
  BitstringStatusChecker checker;
  json::Value vc(Credential(key, 9));
  EXPECT_TRUE(vc::VerifyCredential(vc, Opts(resolver.get(), &checker, "2025-01-01T00:00:00Z")).verified);
  resolver->Add(kListUrl, SignedList(key, {9}, 60'000));  // revoked upstream
  // Within the ttl the cached list is used...
  EXPECT_TRUE(vc::VerifyCredential(vc, Opts(resolver.get(), &checker, "2025-01-01T00:00:30Z")).verified);
  // ...after it, the new list is fetched.
  EXPECT_FALSE(vc::VerifyCredential(vc, Opts(resolver.get(), &checker, "2025-01-01T00:01:01Z")).verified);
}

}  // namespace
}  // namespace credstack::status
