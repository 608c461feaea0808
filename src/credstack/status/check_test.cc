#include "credstack/status/check.h"

#include <gtest/gtest.h>

namespace credstack::status {
namespace {

constexpr const char* kList = "https://issuer.example/status/1";

json::Value ListCredential(const Bitstring& bits,
                           std::vector<std::string> purposes) {
  StatusListCredentialOptions o;
  o.id = kList;
  o.issuer = "did:example:issuer";
  o.purposes = std::move(purposes);
  o.encoded_list = *EncodeList(bits);
  o.ttl_ms = 60000;
  return *BuildStatusListCredential(o);
}

json::Value Entry(uint64_t index, std::string purpose = "revocation") {
  StatusEntryOptions o;
  o.purpose = std::move(purpose);
  o.index = index;
  o.list_credential = kList;
  return *BuildStatusListEntry(o);
}

TEST(CheckStatusEntry, RevokedAndValid) {
  Bitstring bits = *Bitstring::Create();
  ASSERT_TRUE(bits.Set(42, 1).ok());
  json::Value list = ListCredential(bits, {"revocation"});
  Result<EntryCheck> revoked = CheckStatusEntry(Entry(42), &list);
  ASSERT_TRUE(revoked.ok());
  EXPECT_TRUE(revoked->ok()) << revoked->detail;
  EXPECT_EQ(revoked->status, 1u);
  EXPECT_FALSE(revoked->valid);
  EXPECT_EQ(revoked->purpose, "revocation");
  Result<EntryCheck> fine = CheckStatusEntry(Entry(43), &list);
  ASSERT_TRUE(fine.ok());
  EXPECT_TRUE(fine->ok());
  EXPECT_TRUE(fine->valid);
  EXPECT_EQ(fine->message, std::nullopt);
}

TEST(CheckStatusEntry, SpecErrors) {
  Bitstring bits = *Bitstring::Create();
  json::Value list = ListCredential(bits, {"revocation"});
  // Step 4: no list.
  EXPECT_EQ(CheckStatusEntry(Entry(1), nullptr)->problem,
            StatusProblem::kStatusRetrieval);
  // Step 5: purpose mismatch.
  EXPECT_EQ(CheckStatusEntry(Entry(1, "suspension"), &list)->problem,
            StatusProblem::kStatusVerification);
  // Step 10: index beyond the list.
  EXPECT_EQ(CheckStatusEntry(Entry(131072), &list)->problem,
            StatusProblem::kRange);
  json::Value huge = Entry(0);
  huge.as_object()["statusListIndex"] = "99999999999999999999999";
  EXPECT_EQ(CheckStatusEntry(huge, &list)->problem, StatusProblem::kRange);
  // Step 9: a list shorter than 131,072 entries.
  json::Value short_list = list;
  short_list.at("credentialSubject").as_object()["encodedList"] =
      *EncodeList(Bytes(1024, 0));
  Result<EntryCheck> too_short = CheckStatusEntry(Entry(1), &short_list);
  EXPECT_EQ(too_short->problem, StatusProblem::kStatusListLength);
  EXPECT_EQ(ProblemName(too_short->problem), "STATUS_LIST_LENGTH_ERROR");
  EXPECT_EQ(
      ProblemTypeUrl(too_short->problem),
      "https://www.w3.org/ns/credentials/status-list#STATUS_LIST_LENGTH_ERROR");
  // statusSize 2 halves the entries: 16 KB is too short for it.
  json::Value two_bit = Entry(1);
  two_bit.as_object()["statusSize"] = 2;
  two_bit.as_object()["statusMessage"] =
      json::Array{json::Object{{"status", "0x0"}, {"message", "a"}},
                  json::Object{{"status", "0x1"}, {"message", "b"}},
                  json::Object{{"status", "0x2"}, {"message", "c"}},
                  json::Object{{"status", "0x3"}, {"message", "d"}}};
  EXPECT_EQ(CheckStatusEntry(two_bit, &list)->problem,
            StatusProblem::kStatusListLength);
}

TEST(CheckStatusEntry, MalformedEntries) {
  Bitstring bits = *Bitstring::Create();
  json::Value list = ListCredential(bits, {"revocation"});
  auto problem = [&](std::function<void(json::Object&)> edit) {
    json::Value e = Entry(7);
    edit(e.as_object());
    return CheckStatusEntry(e, &list)->problem;
  };
  EXPECT_EQ(problem([](json::Object& o) { o["type"] = "StatusList2021Entry"; }),
            StatusProblem::kUnsupportedType);
  EXPECT_EQ(problem([](json::Object& o) { o.erase("statusPurpose"); }),
            StatusProblem::kMalformedValue);
  EXPECT_EQ(problem([](json::Object& o) { o["statusListIndex"] = "-1"; }),
            StatusProblem::kMalformedValue);
  EXPECT_EQ(problem([](json::Object& o) { o["statusListIndex"] = "1e3"; }),
            StatusProblem::kMalformedValue);
  EXPECT_EQ(problem([](json::Object& o) { o["statusListIndex"] = ""; }),
            StatusProblem::kMalformedValue);
  EXPECT_EQ(problem([](json::Object& o) { o["statusListIndex"] = -3; }),
            StatusProblem::kMalformedValue);
  EXPECT_EQ(problem([](json::Object& o) { o.erase("statusListCredential"); }),
            StatusProblem::kMalformedValue);
  EXPECT_EQ(problem([](json::Object& o) { o["id"] = kList; }),
            StatusProblem::kMalformedValue);
  EXPECT_EQ(problem([](json::Object& o) { o["statusSize"] = 0; }),
            StatusProblem::kMalformedValue);
  EXPECT_EQ(problem([](json::Object& o) { o["statusSize"] = 2; }),
            StatusProblem::kMalformedValue);  // no statusMessage
  EXPECT_EQ(
      problem([](json::Object& o) { o["statusMessage"] = json::Array{}; }),
      StatusProblem::kMalformedValue);
  EXPECT_EQ(problem([](json::Object& o) { o["statusReference"] = 5; }),
            StatusProblem::kMalformedValue);
  // A JSON number index is accepted by default (1EdTech fixtures), refused
  // when strict.
  EXPECT_EQ(problem([](json::Object& o) { o["statusListIndex"] = 7; }),
            StatusProblem::kNone);
  json::Value numeric = Entry(7);
  numeric.as_object()["statusListIndex"] = 7;
  CheckOptions strict;
  strict.allow_numeric_index = false;
  EXPECT_EQ(CheckStatusEntry(numeric, &list, strict)->problem,
            StatusProblem::kMalformedValue);
  EXPECT_EQ(CheckStatusEntry(json::Value("x"), &list)->problem,
            StatusProblem::kMalformedValue);
}

TEST(CheckStatusEntry, MalformedLists) {
  Bitstring bits = *Bitstring::Create();
  auto problem = [&](std::function<void(json::Object&)> edit) {
    json::Value list = ListCredential(bits, {"revocation"});
    edit(list.as_object());
    return CheckStatusEntry(Entry(1), &list)->problem;
  };
  EXPECT_EQ(problem([](json::Object&) {}), StatusProblem::kNone);
  EXPECT_EQ(
      problem([](json::Object& o) { o["type"] = "VerifiableCredential"; }),
      StatusProblem::kMalformedValue);
  EXPECT_EQ(problem([](json::Object& o) { o.erase("credentialSubject"); }),
            StatusProblem::kMalformedValue);
  EXPECT_EQ(problem([](json::Object& o) {
              o["credentialSubject"].as_object()["type"] = "X";
            }),
            StatusProblem::kMalformedValue);
  EXPECT_EQ(problem([](json::Object& o) {
              o["credentialSubject"].as_object()["encodedList"] = "u!!";
            }),
            StatusProblem::kMalformedValue);
  EXPECT_EQ(problem([](json::Object& o) {
              o["credentialSubject"].as_object().erase("statusPurpose");
            }),
            StatusProblem::kMalformedValue);
  EXPECT_EQ(problem([](json::Object& o) { o["validUntil"] = "tomorrow"; }),
            StatusProblem::kMalformedValue);
  EXPECT_EQ(problem([](json::Object& o) {
              o["credentialSubject"].as_object()["ttl"] = "1";
            }),
            StatusProblem::kMalformedValue);
}

TEST(CheckStatusEntry, ZipBombIsAResourceError) {
  json::Value list = ListCredential(*Bitstring::Create(), {"revocation"});
  CheckOptions options;
  options.decode.max_decompressed_size = 1000;
  Result<EntryCheck> r = CheckStatusEntry(Entry(1), &list, options);
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
}

TEST(CheckStatusEntry, MessagePurposeWithTwoBits) {
  Bitstring bits = *Bitstring::Create(kMinimumEntries, 2);
  ASSERT_TRUE(bits.Set(5, 2).ok());
  json::Value list = ListCredential(bits, {"message"});
  StatusEntryOptions o;
  o.purpose = "message";
  o.index = 5;
  o.list_credential = kList;
  o.status_size = 2;
  o.messages = {{0, "pending_review"},
                {1, "accepted"},
                {2, "rejected"},
                {3, "undefined"}};
  json::Value entry = *BuildStatusListEntry(o);
  Result<EntryCheck> r = CheckStatusEntry(entry, &list);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->ok()) << r->detail;
  EXPECT_EQ(r->status, 2u);
  EXPECT_FALSE(r->valid);
  EXPECT_EQ(r->message, "rejected");
  EXPECT_EQ(r->entry.references.size(), 0u);
}

TEST(CheckStatusEntry, OneBitMessageDefaults) {
  Bitstring bits = *Bitstring::Create();
  ASSERT_TRUE(bits.Set(3, 1).ok());
  json::Value list = ListCredential(bits, {"message"});
  EXPECT_EQ(CheckStatusEntry(Entry(3, "message"), &list)->message, "set");
  EXPECT_EQ(CheckStatusEntry(Entry(4, "message"), &list)->message, "unset");
}

TEST(CheckCredentialStatus, ArrayOfEntriesAgainstSeveralLists) {
  Bitstring revoked = *Bitstring::Create();
  ASSERT_TRUE(revoked.Set(10, 1).ok());
  json::Value both = ListCredential(revoked, {"revocation", "suspension"});
  json::Array status{Entry(10), Entry(11, "suspension")};
  json::Value other = Entry(1);
  other.as_object()["statusListCredential"] = "https://elsewhere.example/list";
  other.as_object()["id"] = "https://elsewhere.example/list#1";
  status.push_back(other);
  status.push_back(json::Object{{"type", "RefreshService2020"}});
  auto lookup = [&](std::string_view url) -> const json::Value* {
    return url == kList ? &both : nullptr;
  };
  Result<std::vector<EntryCheck>> r = CheckCredentialStatus(status, lookup);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 4u);
  EXPECT_TRUE((*r)[0].ok());
  EXPECT_FALSE((*r)[0].valid);
  EXPECT_TRUE((*r)[1].ok());
  EXPECT_TRUE((*r)[1].valid);
  EXPECT_EQ((*r)[2].problem, StatusProblem::kStatusRetrieval);
  EXPECT_EQ((*r)[3].problem, StatusProblem::kUnsupportedType);
}

TEST(ParseStatusList, ExposesCachingFields) {
  StatusListCredentialOptions o;
  o.id = kList;
  o.issuer = "did:example:issuer";
  o.purposes = {"revocation"};
  o.encoded_list = *EncodeList(*Bitstring::Create());
  o.ttl_ms = 1234;
  o.valid_from = Timestamp::FromUnixSeconds(100);
  o.valid_until = Timestamp::FromUnixSeconds(200);
  Result<ParsedList> p = ParseStatusList(*BuildStatusListCredential(o));
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->problem, StatusProblem::kNone) << p->detail;
  EXPECT_EQ(p->list.ttl_ms, 1234u);
  EXPECT_EQ(p->list.valid_from, Timestamp::FromUnixSeconds(100));
  EXPECT_EQ(p->list.valid_until, Timestamp::FromUnixSeconds(200));
  EXPECT_EQ(p->list.bitstring.size(), 16384u);
  EXPECT_EQ(p->list.id, kList);
}

}  // namespace
}  // namespace credstack::status
