#include "credstack/app/status_service.h"

#include <gtest/gtest.h>

#include "credstack/app/status_log_test_util.h"
#include "credstack/status/check.h"
#include "credstack/status/status_checker.h"
#include "credstack/status/status_list.h"
#include "credstack/vc/verify.h"

namespace credstack::app {
namespace {

using testing::CreateList;
using testing::CreateOrg;
using testing::IssueForTest;
using testing::TempDir;

class StatusServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = testing::MakeContext(dir_, clock_);
    CREDSTACK_TEST_OK(CreateOrg(*ctx_->store, "acme"));
    CREDSTACK_TEST_OK(CreateOrg(*ctx_->store, "other"));
    CREDSTACK_TEST_OK(CreateList(*ctx_->store, "acme", "R1", store::StatusPurpose::kRevocation));
    CREDSTACK_TEST_OK(CreateList(*ctx_->store, "acme", "S1", store::StatusPurpose::kSuspension));
    CREDSTACK_TEST_OK(
        CreateList(*ctx_->store, "acme", "M1", store::StatusPurpose::kMessage, 131'072, 2));
    service_ = std::make_shared<StatusService>(ctx_, StatusServiceOptions{.ttl_ms = 60'000});
    resolver_ = std::make_unique<OwnStatusListResolver>(service_);
    service_->AddChangeListener(
        [this](const StatusChangeResult&) { checker_.Invalidate(); });
  }

  json::Value Entry(const std::string& list, store::StatusPurpose purpose, int64_t index,
                    unsigned size = 1) {
    status::StatusEntryOptions o;
    o.purpose = std::string(store::StatusPurposeName(purpose));
    o.index = static_cast<uint64_t>(index);
    o.list_credential = ctx_->urls.StatusListUrl(list);
    o.status_size = size;
    if (size == 2) {
      o.messages = {{0, "pending"}, {1, "accepted"}, {2, "rejected"}, {3, "withdrawn"}};
    }
    auto e = status::BuildStatusListEntry(o);
    EXPECT_TRUE(e.ok());
    return *e;
  }

  // A credential with revocation, suspension and message entries.
  testing::IssuedForTest Issue(int n) {
    json::Array status{Entry("R1", store::StatusPurpose::kRevocation, 1000 + n),
                       Entry("S1", store::StatusPurpose::kSuspension, 2000 + n),
                       Entry("M1", store::StatusPurpose::kMessage, 3000 + n, 2)};
    std::string id = "urn:uuid:00000000-0000-4000-8000-" + std::string(12 - std::to_string(n).size(), '0') +
                     std::to_string(n);
    auto r = IssueForTest(*ctx_, "acme", n,
                          {{.list_id = "R1", .index = 1000 + n, .credential_id = id},
                           {.list_id = "S1", .index = 2000 + n, .credential_id = id},
                           {.list_id = "M1", .index = 3000 + n, .credential_id = id}},
                          json::Value(std::move(status)));
    EXPECT_TRUE(r.ok()) << r.error().message();
    return *r;
  }

  vc::VerificationReport Verify(const json::Value& credential) {
    vc::VerifyOptions o = vc::VerifyOptions::Default(clock_);
    o.resolver = resolver_.get();
    o.status_checker = &checker_;
    return vc::VerifyCredential(credential, o);
  }

  TempDir dir_;
  FixedClock clock_{Timestamp::FromUnixSeconds(1'750'000'000)};
  std::shared_ptr<AppContext> ctx_;
  std::shared_ptr<StatusService> service_;
  std::unique_ptr<OwnStatusListResolver> resolver_;
  status::BitstringStatusChecker checker_;
};

TEST_F(StatusServiceTest, PublishesASignedListThatVerifies) {
  auto p = service_->GetListCredential("R1");
  ASSERT_TRUE(p.ok()) << p.error().message();
  const json::Object& doc = (*p)->document->as_object();
  EXPECT_EQ(json::GetString(doc, "id"), "https://badges.example.edu/status/R1");
  auto signer = ctx_->signers->ActiveSigner("acme");
  EXPECT_EQ(json::GetString(doc, "issuer"), signer->controller);
  const json::Object& subject = doc.at("credentialSubject").as_object();
  EXPECT_EQ(json::GetString(subject, "statusPurpose"), "revocation");
  EXPECT_EQ(json::Serialize(subject.at("ttl")), "60000");
  vc::VerifyOptions o = vc::VerifyOptions::Default(clock_);
  vc::VerificationReport r = vc::VerifyCredential(*(*p)->document, o);
  EXPECT_TRUE(r.verified) << json::Serialize(r.ToJson());
  auto parsed = status::ParseStatusList(*(*p)->document);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->list.bitstring.size(), 131'072u / 8);
}

TEST_F(StatusServiceTest, SameVersionSameBytesAndEtagAcrossInstances) {
  auto a = service_->GetListCredential("R1");
  StatusService second(ctx_, service_->options());  // another node
  auto b = second.GetListCredential("R1");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->etag, (*b)->etag);
  EXPECT_EQ((*a)->body, (*b)->body);
  auto again = service_->GetListCredential("R1");
  EXPECT_EQ(again->get(), a->get());  // cached: not re-signed
  EXPECT_EQ(service_->GetListCredential("nope").status().code(), Code::kNotFound);
}

TEST_F(StatusServiceTest, RevokeSetsTheBitLogsAndAudits) {
  testing::IssuedForTest c = Issue(1);
  auto before = service_->GetListCredential("R1");
  auto r = service_->ChangeStatus({.org_id = "acme",
                                   .credential_id = c.id,
                                   .action = StatusAction::kRevoke,
                                   .reason = "academic misconduct",
                                   .actor = "api-key:k1"});
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(r->index, 1001);
  EXPECT_EQ(r->old_value, 0);
  EXPECT_EQ(r->new_value, 1);
  EXPECT_EQ(r->log_seq, 1);  // after the issued leaf
  auto after = service_->GetListCredential("R1");
  ASSERT_TRUE(after.ok());
  EXPECT_NE((*after)->etag, (*before)->etag);
  auto parsed = status::ParseStatusList(*(*after)->document);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((parsed->list.bitstring[1001 / 8] >> (7 - 1001 % 8)) & 1, 1);
  // The leaf commits to the event.
  Status s = ctx_->store->Read([&](store::Tx& tx) -> Status {
    auto e = tx.log().ReadEntries(1, 1);
    EXPECT_TRUE(e.ok() && e->size() == 1);
    auto ev = DecodeLogLeaf((*e)[0].leaf_data);
    EXPECT_TRUE(ev.ok());
    EXPECT_EQ(ev->type, LogEventType::kRevoked);
    EXPECT_EQ(ev->credential_hash, c.hash);
    auto audit = tx.audit().List("acme", 0, 10);
    EXPECT_TRUE(audit.ok() && audit->size() == 1);
    EXPECT_EQ((*audit)[0].action, "credential.status.revoke");
    return OkStatus();
  });
  CREDSTACK_TEST_OK(s);
  auto view = service_->GetCredentialStatus("acme", c.id);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->events.size(), 1u);
  EXPECT_EQ(view->events[0].reason, "academic misconduct");
  EXPECT_EQ(view->events[0].actor, "api-key:k1");
  // Revocation is not reversible; repeating it changes nothing.
  auto undo = service_->ChangeStatus({.org_id = "acme",
                                      .credential_id = c.id,
                                      .action = StatusAction::kSet,
                                      .purpose = store::StatusPurpose::kRevocation,
                                      .value = 0});
  EXPECT_EQ(undo.status().code(), Code::kFailedPrecondition);
  auto again = service_->ChangeStatus(
      {.org_id = "acme", .credential_id = c.id, .action = StatusAction::kRevoke});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->log_seq, -1);
}

TEST_F(StatusServiceTest, OtherOrganizationCannotChangeIt) {
  testing::IssuedForTest c = Issue(2);
  auto r = service_->ChangeStatus(
      {.org_id = "other", .credential_id = c.id, .action = StatusAction::kRevoke});
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(service_->GetCredentialStatus("other", c.id).status().code(), Code::kNotFound);
}

TEST_F(StatusServiceTest, VerifierSeesRevocationSuspensionAndMessages) {
  testing::IssuedForTest c = Issue(3);
  vc::VerificationReport r = Verify(c.credential);
  ASSERT_TRUE(r.verified) << json::Serialize(r.ToJson());
  EXPECT_NE(r.Find("status")->detail.find("not revoked"), std::string::npos);

  ASSERT_TRUE(service_->ChangeStatus({.org_id = "acme", .credential_id = c.id,
                                      .action = StatusAction::kSuspend, .reason = "inquiry"})
                  .ok());
  r = Verify(c.credential);
  EXPECT_FALSE(r.verified);
  EXPECT_NE(r.Find("status")->detail.find("SUSPENDED"), std::string::npos);

  ASSERT_TRUE(service_->ChangeStatus(
                          {.org_id = "acme", .credential_id = c.id, .action = StatusAction::kUnsuspend})
                  .ok());
  ASSERT_TRUE(service_->ChangeStatus({.org_id = "acme",
                                      .credential_id = c.id,
                                      .action = StatusAction::kSet,
                                      .purpose = store::StatusPurpose::kMessage,
                                      .value = 2})
                  .ok());
  r = Verify(c.credential);
  EXPECT_TRUE(r.verified) << json::Serialize(r.ToJson());
  EXPECT_NE(r.Find("status")->detail.find("message: rejected"), std::string::npos)
      << r.Find("status")->detail;
  EXPECT_EQ(service_->ChangeStatus({.org_id = "acme",
                                    .credential_id = c.id,
                                    .action = StatusAction::kSet,
                                    .purpose = store::StatusPurpose::kMessage,
                                    .value = 4})
                .status()
                .code(),
            Code::kInvalidArgument);

  ASSERT_TRUE(service_->ChangeStatus(
                          {.org_id = "acme", .credential_id = c.id, .action = StatusAction::kRevoke})
                  .ok());
  r = Verify(c.credential);
  EXPECT_FALSE(r.verified);
  EXPECT_NE(r.Find("status")->detail.find("REVOKED"), std::string::npos);
  auto view = service_->GetCredentialStatus("acme", c.id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->events.size(), 4u);
  EXPECT_EQ(view->entries.size(), 3u);
}

TEST(StatusActions, ParseAndNormalize) {
  EXPECT_EQ(*ParseStatusAction("unsuspend"), StatusAction::kUnsuspend);
  EXPECT_FALSE(ParseStatusAction("delete").ok());
  EXPECT_EQ(NormalizeCredentialId("6f1c8b5e-6a43-4c1e-9d8f-2a7e3b9c0d11"),
            "urn:uuid:6f1c8b5e-6a43-4c1e-9d8f-2a7e3b9c0d11");
  EXPECT_EQ(NormalizeCredentialId("urn:uuid:x"), "urn:uuid:x");
}

}  // namespace
}  // namespace credstack::app
