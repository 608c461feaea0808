#include "credstack/vc/structure.h"

#include <gtest/gtest.h>

#include "credstack/vc/testing_util.h"

namespace credstack::vc {
namespace {

bool HasErrorAt(const StructureResult& r, std::string_view path) {
  for (const auto& e : r.errors) {
    if (e.path == path) return true;
  }
  return false;
}

TEST(ValidateCredential, AcceptsBuiltOpenBadge) {
  auto r = ValidateCredential(json::Value(testing::TestCredential(testing::TestKey(1))));
  EXPECT_TRUE(r.ok()) << r.Summary();
  EXPECT_TRUE(r.open_badge);
  EXPECT_EQ(r.version, VcVersion::kV2);
}

TEST(ValidateCredential, NamesPathsOfProblems) {
  json::Object vc = testing::TestCredential(testing::TestKey(1));
  vc["validFrom"] = "yesterday";
  vc["credentialSubject"].as_object()["achievement"].as_object().erase("name");
  vc["issuer"].as_object()["id"] = "not a url";
  auto r = ValidateCredential(json::Value(vc));
  EXPECT_TRUE(HasErrorAt(r, "$.validFrom")) << r.Summary();
  EXPECT_TRUE(HasErrorAt(r, "$.credentialSubject.achievement.name")) << r.Summary();
  EXPECT_TRUE(HasErrorAt(r, "$.issuer.id")) << r.Summary();
}

TEST(ValidateCredential, GenericVcRules) {
  auto v = json::Parse(R"({"@context":["https://www.w3.org/ns/credentials/v2"],
    "type":["VerifiableCredential"],"issuer":"did:example:1","credentialSubject":{"name":"x"}})");
  EXPECT_TRUE(ValidateCredential(*v).ok());
  auto no_type = json::Parse(R"({"@context":["https://www.w3.org/ns/credentials/v2"],
    "type":["Other"],"issuer":"did:example:1","credentialSubject":{}})");
  auto r = ValidateCredential(*no_type);
  EXPECT_TRUE(HasErrorAt(r, "$.type"));
  EXPECT_TRUE(HasErrorAt(r, "$.credentialSubject"));
  auto wrong_ctx = json::Parse(R"({"@context":["https://example.com/ctx"],"type":"VerifiableCredential",
    "issuer":"did:example:1","credentialSubject":{"id":"did:example:2"}})");
  EXPECT_TRUE(HasErrorAt(ValidateCredential(*wrong_ctx), "$[\"@context\"][0]") ||
              HasErrorAt(ValidateCredential(*wrong_ctx), "$.@context[0]"));
  auto v1 = json::Parse(R"({"@context":["https://www.w3.org/2018/credentials/v1"],
    "type":["VerifiableCredential"],"issuer":"did:example:1","credentialSubject":{"id":"did:example:2"}})");
  EXPECT_TRUE(HasErrorAt(ValidateCredential(*v1), "$.issuanceDate"));
  EXPECT_FALSE(ValidateCredential(json::Value("str")).ok());
}

}  // namespace
}  // namespace credstack::vc
