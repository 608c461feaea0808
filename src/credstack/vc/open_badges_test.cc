#include "credstack/vc/open_badges.h"

#include <gtest/gtest.h>

#include "credstack/vc/structure.h"
#include "credstack/vc/testing_util.h"

namespace credstack::vc {
namespace {

TEST(ParseRecipient, AcceptsEmailAndDid) {
  auto e = ParseRecipient("email: Ada@Example.org ");
  ASSERT_FALSE(e.ok());  // a space after the colon is not trimmed inside
  e = ParseRecipient("email:Ada@Example.org");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->kind, Recipient::Kind::kEmail);
  EXPECT_EQ(e->value, "ada@example.org");
  auto d = ParseRecipient("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, Recipient::Kind::kDid);
  EXPECT_FALSE(ParseRecipient("nobody").ok());
  EXPECT_FALSE(ParseRecipient("did:").ok());
  EXPECT_FALSE(ParseRecipient("email:a@b@c").ok());
}

TEST(HashedEmailIdentity, SaltedSha256AndMatching) {
  json::Object id = HashedEmailIdentity("ada@example.org", "s4lt");
  // sha256("ada@example.orgs4lt")
  EXPECT_EQ(id.at("identityHash").as_string().subview(0, 7), "sha256$");
  EXPECT_TRUE(IdentityMatches(id, "ada@example.org"));
  EXPECT_FALSE(IdentityMatches(id, "bob@example.org"));
  EXPECT_NE(HashedEmailIdentity("ada@example.org", "other").at("identityHash"), id.at("identityHash"));
}

TEST(BuildOpenBadgeCredential, EmailNeverAppearsInPlainText) {
  DeterministicRng rng(1);
  auto key = testing::TestKey(1);
  CredentialInput in;
  in.issuer["id"] = crypto::DidKeyFor(key.public_key());
  in.issuer["name"] = "Uni";
  in.achievement = testing::TestAchievement();
  in.recipient = *ParseRecipient("email:ada@example.org");
  in.valid_from = *ParseDateTime("2024-01-01T00:00:00Z");
  auto vc = BuildOpenBadgeCredential(in, rng);
  ASSERT_TRUE(vc.ok()) << vc.error().ToString();
  std::string text = json::Serialize(*vc);
  EXPECT_EQ(text.find("ada@example.org"), std::string::npos);
  const auto& subject = vc->at("credentialSubject").as_object();
  EXPECT_FALSE(subject.contains("id"));
  EXPECT_TRUE(IdentityMatches(subject.at("identifier").as_array()[0].as_object(), "ada@example.org"));
  EXPECT_TRUE(ValidateCredential(*vc).ok()) << ValidateCredential(*vc).Summary();
  EXPECT_TRUE(vc->at("id").as_string().starts_with("urn:uuid:"));
}

TEST(BuildOpenBadgeCredential, RejectsInvertedValidity) {
  DeterministicRng rng(1);
  auto key = testing::TestKey(1);
  CredentialInput in;
  in.issuer["id"] = crypto::DidKeyFor(key.public_key());
  in.achievement = testing::TestAchievement();
  in.recipient = {Recipient::Kind::kDid, "did:example:x"};
  in.valid_from = *ParseDateTime("2024-01-01T00:00:00Z");
  in.valid_until = *ParseDateTime("2023-01-01T00:00:00Z");
  EXPECT_FALSE(BuildOpenBadgeCredential(in, rng).ok());
}

TEST(NormalizeAchievement, FillsDefaultsAndNamesErrors) {
  DeterministicRng rng(1);
  auto a = json::Parse(R"({"name":"N","description":"D","criteria":"Do the thing"})")->as_object();
  auto n = NormalizeAchievement(a, rng);
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_TRUE(n->at("id").as_string().starts_with("urn:uuid:"));
  EXPECT_EQ(n->at("criteria").at("narrative"), "Do the thing");
  auto missing = NormalizeAchievement(json::Parse(R"({"name":"N","criteria":{"narrative":"x"}})")->as_object(), rng);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("$.description"), std::string::npos);
  auto bad_align = NormalizeAchievement(
      json::Parse(R"({"name":"N","description":"D","criteria":{"id":"https://c"},"alignment":[{"targetName":"x"}]})")
          ->as_object(), rng);
  ASSERT_FALSE(bad_align.ok());
  EXPECT_NE(bad_align.error().message().find("$.alignment[0].targetUrl"), std::string::npos);
}

}  // namespace
}  // namespace credstack::vc
