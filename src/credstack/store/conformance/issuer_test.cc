// Issuer settings (migration 0002): did:key issuers and bulk job options.

#include "credstack/store/conformance/conformance.h"

namespace credstack::store::testing {
namespace {

template <typename B>
using IssuerSettingsTest = StoreTest<B>;
TYPED_TEST_SUITE(IssuerSettingsTest, Backends, BackendNames);

OrgDidKey MakeDidKey(std::string_view org_id, std::string_view did) {
  return OrgDidKey{.org_id = std::string(org_id),
                   .did = std::string(did),
                   .public_key_multibase = "z6MkTest",
                   .encrypted_private_key = Bytes{1, 2, 3},
                   .created = T(1'700'000'100)};
}

TYPED_TEST(IssuerSettingsTest, DidKeyPerOrganization) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o2"));
  CREDSTACK_ASSERT_OK(s.Transact([](Tx& tx) {
    return tx.issuer().InsertDidKey(MakeDidKey("o1", "did:key:z6Mk1"));
  }));
  // One per organization, one organization per DID, known organizations only.
  EXPECT_EQ(
      s.Transact([](Tx& tx) {
         return tx.issuer().InsertDidKey(MakeDidKey("o1", "did:key:z6Mk2"));
       }).code(),
      Code::kAlreadyExists);
  EXPECT_EQ(
      s.Transact([](Tx& tx) {
         return tx.issuer().InsertDidKey(MakeDidKey("o2", "did:key:z6Mk1"));
       }).code(),
      Code::kAlreadyExists);
  EXPECT_EQ(
      s.Transact([](Tx& tx) {
         return tx.issuer().InsertDidKey(MakeDidKey("zz", "did:key:z6Mk3"));
       }).code(),
      Code::kFailedPrecondition);
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(OrgDidKey k, tx.issuer().GetDidKey("o1"));
    EXPECT_EQ(k.did, "did:key:z6Mk1");
    EXPECT_EQ(k.encrypted_private_key, (Bytes{1, 2, 3}));
    EXPECT_EQ(k.created, T(1'700'000'100));
    CREDSTACK_ASSIGN_OR_RETURN(OrgDidKey by_did,
                               tx.issuer().FindDidKey("did:key:z6Mk1"));
    EXPECT_EQ(by_did.org_id, "o1");
    EXPECT_EQ(tx.issuer().GetDidKey("o2").status().code(), Code::kNotFound);
    return OkStatus();
  }));
}

TYPED_TEST(IssuerSettingsTest, JobOptionsAndUnfinishedJobs) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o2"));
  auto job = [](std::string id, std::string org, JobStatus st) {
    return BulkJob{.id = std::move(id),
                   .org_id = org,
                   .achievement_id = AchId(org),
                   .achievement_version = 1,
                   .status = st,
                   .created = T(1'700'000'000),
                   .updated = T(1'700'000'000)};
  };
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(
        tx.jobs().CreateJob(job("j1", "o1", JobStatus::kQueued)));
    CREDSTACK_RETURN_IF_ERROR(
        tx.jobs().CreateJob(job("j2", "o2", JobStatus::kRunning)));
    CREDSTACK_RETURN_IF_ERROR(
        tx.jobs().CreateJob(job("j3", "o1", JobStatus::kDone)));
    return tx.issuer().PutJobOptions("j1", R"({"validFrom":"x"})");
  }));
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.issuer().PutJobOptions("j1", "{}");
             }).code(),
            Code::kAlreadyExists);
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(std::string o, tx.issuer().GetJobOptions("j1"));
    EXPECT_EQ(o, R"({"validFrom":"x"})");
    EXPECT_EQ(tx.issuer().GetJobOptions("j2").status().code(), Code::kNotFound);
    EXPECT_EQ(*tx.issuer().JobOrganization("j2"), "o2");
    EXPECT_EQ(tx.issuer().JobOrganization("zz").status().code(),
              Code::kNotFound);
    CREDSTACK_ASSIGN_OR_RETURN(auto jobs,
                               tx.issuer().ListUnfinishedJobs("", 10));
    EXPECT_EQ(jobs.size(), 2u);
    EXPECT_EQ(jobs[0].job_id, "j1");
    EXPECT_EQ(jobs[1].org_id, "o2");
    CREDSTACK_ASSIGN_OR_RETURN(auto after,
                               tx.issuer().ListUnfinishedJobs("j1", 10));
    EXPECT_EQ(after.size(), 1u);
    return OkStatus();
  }));
}

}  // namespace
}  // namespace credstack::store::testing
