#include "credstack/status/status_list.h"

#include <gtest/gtest.h>

#include "credstack/status/encoded_list.h"

namespace credstack::status {
namespace {

TEST(StatusHex, FormatAndParse) {
  EXPECT_EQ(FormatStatusHex(0), "0x0");
  EXPECT_EQ(FormatStatusHex(2), "0x2");
  EXPECT_EQ(FormatStatusHex(31), "0x1f");
  EXPECT_EQ(ParseStatusHex("0x1F"), 31u);
  EXPECT_EQ(ParseStatusHex("0x00"), 0u);
  EXPECT_EQ(ParseStatusHex("0x"), std::nullopt);
  EXPECT_EQ(ParseStatusHex("1"), std::nullopt);
  EXPECT_EQ(ParseStatusHex("0xg"), std::nullopt);
  EXPECT_EQ(ParseStatusHex("0x12345678901234567"), std::nullopt);
}

TEST(BuildStatusListCredential, MatchesSpecExampleShape) {
  StatusListCredentialOptions o;
  o.id = "https://example.com/credentials/status/3";
  o.issuer = "did:example:12345";
  o.purposes = {"revocation"};
  o.encoded_list = *EncodeList(*Bitstring::Create());
  o.valid_from = *ParseDateTime("2021-04-05T14:27:40Z");
  Result<json::Value> vc = BuildStatusListCredential(o);
  ASSERT_TRUE(vc.ok()) << vc.status().ToString();
  const std::string want =
      R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":"https://example.com/credentials/status/3",)"
      R"("type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"did:example:12345",)"
      R"("validFrom":"2021-04-05T14:27:40Z","credentialSubject":{"id":"https://example.com/credentials/status/3#list",)"
      R"("type":"BitstringStatusList","statusPurpose":"revocation","encodedList":")" +
      o.encoded_list + R"("}})";
  EXPECT_EQ(json::Serialize(*vc), want);
}

TEST(BuildStatusListCredential, OptionalFields) {
  StatusListCredentialOptions o;
  o.id = "https://issuer.example/status/1";
  o.issuer = json::Object{{"id", "did:web:issuer.example"}, {"name", "Issuer"}};
  o.purposes = {"revocation", "suspension"};
  o.encoded_list = "uAAAA";
  o.ttl_ms = 300000;
  o.valid_until = *ParseDateTime("2030-01-01T00:00:00Z");
  Result<json::Value> vc = BuildStatusListCredential(o);
  ASSERT_TRUE(vc.ok());
  const json::Object& s = vc->at("credentialSubject").as_object();
  EXPECT_EQ(s.at("statusPurpose").as_array().size(), 2u);
  EXPECT_EQ(s.at("ttl").to_number<uint64_t>(), 300000u);
  EXPECT_EQ(vc->at("validUntil").as_string(), "2030-01-01T00:00:00Z");
  EXPECT_EQ(vc->at("issuer").at("id").as_string(), "did:web:issuer.example");
}

TEST(BuildStatusListCredential, RejectsBadOptions) {
  StatusListCredentialOptions o;
  o.id = "https://x/1";
  o.issuer = "did:x";
  o.purposes = {"revocation"};
  o.encoded_list = "uAAAA";
  ASSERT_TRUE(BuildStatusListCredential(o).ok());
  auto bad = o;
  bad.id.clear();
  EXPECT_FALSE(BuildStatusListCredential(bad).ok());
  bad = o;
  bad.purposes.clear();
  EXPECT_FALSE(BuildStatusListCredential(bad).ok());
  bad = o;
  bad.encoded_list = "zAAA";
  EXPECT_FALSE(BuildStatusListCredential(bad).ok());
  bad = o;
  bad.issuer = 5;
  EXPECT_FALSE(BuildStatusListCredential(bad).ok());
  bad = o;
  bad.valid_from = Timestamp::FromUnixSeconds(10);
  bad.valid_until = Timestamp::FromUnixSeconds(5);
  EXPECT_FALSE(BuildStatusListCredential(bad).ok());
}

TEST(BuildStatusListEntry, SimpleEntryMatchesSpecExample) {
  StatusEntryOptions o;
  o.id = "https://example.com/credentials/status/3#94567";
  o.purpose = "revocation";
  o.index = 94567;
  o.list_credential = "https://example.com/credentials/status/3";
  Result<json::Value> e = BuildStatusListEntry(o);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(
      json::Serialize(*e),
      R"({"id":"https://example.com/credentials/status/3#94567","type":"BitstringStatusListEntry",)"
      R"("statusPurpose":"revocation","statusListIndex":"94567",)"
      R"("statusListCredential":"https://example.com/credentials/status/3"})");
  o.id.reset();
  EXPECT_EQ(BuildStatusListEntry(o)->at("id").as_string(),
            "https://example.com/credentials/status/3#94567");
}

TEST(BuildStatusListEntry, MessageEntry) {
  StatusEntryOptions o;
  o.purpose = "message";
  o.index = 492847;
  o.list_credential = "https://example.com/credentials/status/8";
  o.status_size = 2;
  o.messages = {{0, "pending_review"},
                {1, "accepted"},
                {2, "rejected"},
                {3, "undefined"}};
  o.references = {"https://example.org/status-dictionary/"};
  Result<json::Value> e = BuildStatusListEntry(o);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->at("statusSize").to_number<int>(), 2);
  EXPECT_EQ(e->at("statusMessage").as_array()[2].at("status").as_string(),
            "0x2");
  EXPECT_EQ(e->at("statusMessage").as_array()[2].at("message").as_string(),
            "rejected");
  EXPECT_EQ(e->at("statusReference").as_string(),
            "https://example.org/status-dictionary/");
  o.references.push_back("https://example.org/more");
  EXPECT_TRUE(BuildStatusListEntry(o)->at("statusReference").is_array());
  // statusSize 2 needs exactly 4 messages.
  o.messages.pop_back();
  EXPECT_FALSE(BuildStatusListEntry(o).ok());
  o.messages.push_back({4, "too big"});
  EXPECT_FALSE(BuildStatusListEntry(o).ok());
  o.messages.clear();
  EXPECT_FALSE(BuildStatusListEntry(o).ok());
  o.status_size = 0;
  EXPECT_FALSE(BuildStatusListEntry(o).ok());
}

TEST(BuildStatusListEntry, IdMustNotBeTheListUrl) {
  StatusEntryOptions o;
  o.purpose = "revocation";
  o.list_credential = "https://x/1";
  o.id = "https://x/1";
  EXPECT_FALSE(BuildStatusListEntry(o).ok());
}

}  // namespace
}  // namespace credstack::status
