#include "credstack/vc/verification_method.h"

#include <gtest/gtest.h>

#include "credstack/crypto/multikey.h"
#include "credstack/vc/testing_util.h"

namespace credstack::vc {
namespace {

TEST(DidWebToUrl, FollowsTheMethodSpec) {
  EXPECT_EQ(*DidWebToUrl("did:web:example.com"), "https://example.com/.well-known/did.json");
  EXPECT_EQ(*DidWebToUrl("did:web:example.com:issuers:42"), "https://example.com/issuers/42/did.json");
  EXPECT_EQ(*DidWebToUrl("did:web:localhost%3A8443"), "https://localhost:8443/.well-known/did.json");
  EXPECT_FALSE(DidWebToUrl("did:web:").ok());
  EXPECT_FALSE(DidWebToUrl("did:web:a::b").ok());
  EXPECT_FALSE(DidWebToUrl("did:web:a/b").ok());
}

TEST(ResolveVerificationMethod, DidWebThroughResolver) {
  auto key = testing::TestKey(9);
  std::string mk = crypto::EncodeEd25519PublicMultikey(key.public_key());
  auto doc = json::Parse(R"({"@context":["https://www.w3.org/ns/did/v1"],"id":"did:web:example.com",
    "verificationMethod":[{"id":"did:web:example.com#key-1","type":"Multikey",
      "controller":"did:web:example.com","publicKeyMultibase":")" + mk + R"("}],
    "assertionMethod":["#key-1"]})");
  ASSERT_TRUE(doc.ok());
  StaticDocumentResolver resolver;
  resolver.Add("did:web:example.com", *doc);
  auto k = ResolveVerificationMethod("did:web:example.com#key-1", &resolver);
  ASSERT_TRUE(k.ok()) << k.error().ToString();
  EXPECT_EQ(k->controller, "did:web:example.com");
  EXPECT_EQ(k->public_key, key.public_key());
  EXPECT_TRUE(k->assertion_method);
  EXPECT_FALSE(k->authentication);
  EXPECT_EQ(ResolveVerificationMethod("did:web:example.com#key-2", &resolver).error().code(),
            Code::kNotFound);
  EXPECT_EQ(ResolveVerificationMethod("did:web:other.com#key-1", &resolver).error().code(),
            Code::kNotFound);
  EXPECT_EQ(ResolveVerificationMethod("did:web:example.com#key-1", nullptr).error().code(),
            Code::kUnavailable);
}

TEST(ResolveVerificationMethod, RejectsUnsupportedForms) {
  EXPECT_EQ(ResolveVerificationMethod("did:example:123#k", nullptr).error().code(), Code::kUnimplemented);
  EXPECT_EQ(ResolveVerificationMethod("xxx:z6Mk#z6Mk", nullptr).error().code(), Code::kUnimplemented);
  EXPECT_EQ(ResolveVerificationMethod("z6MkrvfzkMnvCroEUP2DVc9SHPE48", nullptr).error().code(),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace credstack::vc
