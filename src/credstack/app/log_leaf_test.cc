#include "credstack/app/log_leaf.h"

#include <gtest/gtest.h>

namespace credstack::app {
namespace {

TEST(LogLeaf, RoundTripsAndIsStrict) {
  LogEvent e;
  e.type = LogEventType::kRevoked;
  e.credential_hash = crypto::Sha256("credential");
  e.issuer = "did:web:issuer.example:issuers:uni";
  e.time = *ParseDateTime("2026-11-29T10:00:00.75Z");
  Bytes leaf = EncodeLogLeaf(e);
  std::string text(AsChars(leaf));
  EXPECT_EQ(text.substr(0, 25), "credstack-log/v1\nrevoked\n");
  EXPECT_NE(text.find("2026-11-29T10:00:00Z\n"), std::string::npos);  // whole seconds
  auto back = DecodeLogLeaf(leaf);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->type, LogEventType::kRevoked);
  EXPECT_EQ(back->credential_hash, e.credential_hash);
  EXPECT_EQ(back->issuer, e.issuer);
  EXPECT_EQ(EncodeLogLeaf(*back), leaf);
  for (std::string bad : {std::string(""), text.substr(0, text.size() - 1), "credstack-log/v2" + text.substr(16),
                          text + "extra\n"}) {
    EXPECT_FALSE(DecodeLogLeaf(AsBytes(bad)).ok()) << bad;
  }
}

TEST(CredentialHash, IgnoresFormattingNotContent) {
  auto a = json::Parse(R"({"b":1,"a":[1,2]})");
  auto b = json::Parse("{ \"a\" : [1, 2], \"b\" : 1.0 }");
  auto c = json::Parse(R"({"b":1,"a":[2,1]})");
  EXPECT_EQ(*CredentialHash(*a), *CredentialHash(*b));
  EXPECT_NE(*CredentialHash(*a), *CredentialHash(*c));
}

}  // namespace
}  // namespace credstack::app
