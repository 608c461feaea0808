// Credentials, idempotent insert and the issuance unit of work.

#include <atomic>
#include <set>
#include <thread>

#include "credstack/store/conformance/conformance.h"

namespace credstack::store::testing {
namespace {

template <typename B>
using CredentialsTest = StoreTest<B>;
TYPED_TEST_SUITE(CredentialsTest, Backends, BackendNames);

TYPED_TEST(CredentialsTest, InsertGetAndList) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o2"));
  CREDSTACK_ASSERT_OK(s.Transact([](Tx& tx) -> Status {
    for (int i = 0; i < 5; ++i) {
      Credential c = MakeCredential("o1", "urn:uuid:a" + std::to_string(i),
                                    AchId("o1"), std::nullopt);
      if (i == 4) c.recipient_identity = "did:example:bob";
      CREDSTACK_ASSIGN_OR_RETURN(InsertedCredential ins,
                                 tx.credentials().Insert(c));
      EXPECT_TRUE(ins.created);
    }
    // A credential without an achievement (VC-API issuance).
    Credential plain = MakeCredential("o2", "urn:uuid:b0", "", std::nullopt);
    plain.content_hash = Bytes(32, 0xee);
    return tx.credentials().Insert(plain).status();
  }));
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(Credential c,
                               tx.credentials().Get("o1", "urn:uuid:a1"));
    Credential want =
        MakeCredential("o1", "urn:uuid:a1", AchId("o1"), std::nullopt);
    EXPECT_EQ(c.credential_json, want.credential_json);
    EXPECT_EQ(c.content_hash, want.content_hash);
    EXPECT_EQ(c.achievement_id, AchId("o1"));
    EXPECT_EQ(c.achievement_version, 1);
    EXPECT_EQ(c.recipient_kind, RecipientKind::kEmailHash);
    EXPECT_EQ(c.issued, want.issued);
    EXPECT_FALSE(c.idempotency_key.has_value());
    // Organization isolation; public lookup ignores the organization.
    EXPECT_EQ(tx.credentials().Get("o2", "urn:uuid:a1").status().code(),
              Code::kNotFound);
    CREDSTACK_ASSIGN_OR_RETURN(Credential pub,
                               tx.credentials().GetPublic("urn:uuid:a1"));
    EXPECT_EQ(pub.org_id, "o1");
    CREDSTACK_ASSIGN_OR_RETURN(Credential plain,
                               tx.credentials().GetPublic("urn:uuid:b0"));
    EXPECT_TRUE(plain.achievement_id.empty());
    EXPECT_EQ(plain.achievement_version, 0);
    CREDSTACK_ASSIGN_OR_RETURN(auto page,
                               tx.credentials().ListByOrg("o1", "", 3));
    EXPECT_EQ(page.size(), 3u);
    CREDSTACK_ASSIGN_OR_RETURN(
        auto rest, tx.credentials().ListByOrg("o1", page.back().id, 100));
    EXPECT_EQ(rest.size(), 2u);
    CREDSTACK_ASSIGN_OR_RETURN(
        auto bob, tx.credentials().ListByRecipient("did:example:bob", "", 10));
    EXPECT_EQ(bob.size(), 1u);
    CREDSTACK_ASSIGN_OR_RETURN(int64_t n, tx.credentials().CountByOrg("o1"));
    EXPECT_EQ(n, 5);
    CREDSTACK_ASSIGN_OR_RETURN(
        auto by_hash, tx.credentials().FindByContentHash(want.content_hash));
    EXPECT_EQ(by_hash.size(), 5u);  // MakeCredential hashes by id length
    return OkStatus();
  }));
}

TYPED_TEST(CredentialsTest, InsertChecksReferences) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  Credential c = MakeCredential("o1", "urn:uuid:x", AchId("o1"), std::nullopt);
  c.achievement_version = 7;  // no such version
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.credentials().Insert(c).status();
             }).code(),
            Code::kFailedPrecondition);
  Credential orphan = MakeCredential("nope", "urn:uuid:y", "", std::nullopt);
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.credentials().Insert(orphan).status();
             }).code(),
            Code::kFailedPrecondition);
  Credential ok = MakeCredential("o1", "urn:uuid:z", AchId("o1"), std::nullopt);
  CREDSTACK_ASSERT_OK(
      s.Transact([&](Tx& tx) { return tx.credentials().Insert(ok).status(); }));
  // Same id again (no idempotency key): a duplicate id is refused.
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.credentials().Insert(ok).status();
             }).code(),
            Code::kAlreadyExists);
}

TYPED_TEST(CredentialsTest, InsertIsIdempotentByOrgAndKey) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o2"));
  InsertedCredential first, second, other_org;
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(
        first, tx.credentials().Insert(
                   MakeCredential("o1", "urn:uuid:1", AchId("o1"), "k")));
    return OkStatus();
  }));
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(
        second, tx.credentials().Insert(
                    MakeCredential("o1", "urn:uuid:2", AchId("o1"), "k")));
    CREDSTACK_ASSIGN_OR_RETURN(
        other_org, tx.credentials().Insert(
                       MakeCredential("o2", "urn:uuid:3", AchId("o2"), "k")));
    return OkStatus();
  }));
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.credential.id, "urn:uuid:1");
  EXPECT_EQ(second.credential.idempotency_key, "k");
  EXPECT_TRUE(other_org.created);  // the key is per organization
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(int64_t n, tx.credentials().CountByOrg("o1"));
    EXPECT_EQ(n, 1);
    CREDSTACK_ASSIGN_OR_RETURN(
        Credential c, tx.credentials().FindByIdempotencyKey("o1", "k"));
    EXPECT_EQ(c.id, "urn:uuid:1");
    EXPECT_EQ(tx.credentials().GetPublic("urn:uuid:2").status().code(),
              Code::kNotFound);
    return OkStatus();
  }));
}

// N threads on N nodes insert the same idempotency key at once: exactly one
// row, and every caller gets that row back.
TYPED_TEST(CredentialsTest, ConcurrentIdempotentInsertStoresOneRow) {
  CREDSTACK_ASSERT_OK(SeedOrg(this->store(), "o1"));
  constexpr int kThreads = 8;
  constexpr int kRounds = 10;
  std::vector<std::unique_ptr<Store>> nodes;
  for (int i = 0; i < kThreads; ++i) nodes.push_back(this->OpenAnother());
  // returned[i][round]: the credential thread i got back (a retried
  // callback overwrites its earlier attempt).
  std::vector<std::vector<std::string>> returned(
      kThreads, std::vector<std::string>(kRounds));
  std::vector<std::vector<int>> created(kThreads, std::vector<int>(kRounds));
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < kRounds; ++round) {
        Credential c = MakeCredential(
            "o1",
            "urn:uuid:t" + std::to_string(i) + "r" + std::to_string(round),
            AchId("o1"), "key-" + std::to_string(round));
        Status st = nodes[i]->Transact([&](Tx& tx) -> Status {
          CREDSTACK_ASSIGN_OR_RETURN(InsertedCredential ins,
                                     tx.credentials().Insert(c));
          created[i][round] = ins.created ? 1 : 0;
          returned[i][round] = ins.credential.id;
          return OkStatus();
        });
        EXPECT_TRUE(st.ok()) << st.ToString();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int round = 0; round < kRounds; ++round) {
    int creators = 0;
    std::set<std::string> ids;
    for (int i = 0; i < kThreads; ++i) {
      creators += created[i][round];
      ids.insert(returned[i][round]);
    }
    EXPECT_EQ(creators, 1) << "round " << round;
    EXPECT_EQ(ids.size(), 1u) << "round " << round;
  }
  CREDSTACK_ASSERT_OK(this->store().Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(int64_t n, tx.credentials().CountByOrg("o1"));
    EXPECT_EQ(n, kRounds);
    return OkStatus();
  }));
}

TYPED_TEST(CredentialsTest, TransactionRollsBackEverythingOnError) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  Status st = s.Transact([](Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.organizations().Insert(MakeOrg("o2")));
    CREDSTACK_RETURN_IF_ERROR(
        tx.credentials()
            .Insert(MakeCredential("o1", "urn:uuid:r", AchId("o1"), "k"))
            .status());
    NewLogEntry e = MakeEntry("s", 1);
    CREDSTACK_RETURN_IF_ERROR(tx.log().Append(std::span(&e, 1)).status());
    return InvalidArgumentError("caller changed its mind");
  });
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_EQ(st.message(), "caller changed its mind");
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    EXPECT_EQ(tx.organizations().Get("o2").status().code(), Code::kNotFound);
    EXPECT_EQ(tx.credentials().GetPublic("urn:uuid:r").status().code(),
              Code::kNotFound);
    CREDSTACK_ASSIGN_OR_RETURN(int64_t size, tx.log().Size());
    EXPECT_EQ(size, 0);
    return OkStatus();
  }));
  // A failed statement rolls back the statements before it, too.
  st = s.Transact([](Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.organizations().Insert(MakeOrg("o3")));
    return tx.organizations().Insert(MakeOrg("o3"));
  });
  EXPECT_EQ(st.code(), Code::kAlreadyExists);
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    EXPECT_EQ(tx.organizations().Get("o3").status().code(), Code::kNotFound);
    return OkStatus();
  }));
}

IssueRecord Record(std::string_view org, std::string_view id,
                   std::optional<std::string> key, std::string_view list,
                   int64_t index) {
  IssueRecord r;
  r.credential = MakeCredential(org, id, AchId(org), std::move(key));
  if (!list.empty()) {
    r.allocations.push_back(
        StatusAllocation{.list_id = std::string(list), .index = index});
  }
  r.log_entry = MakeEntry("", index);
  return r;
}

TYPED_TEST(CredentialsTest, IssueCredentialTxStoresAllOrNothing) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  CREDSTACK_ASSERT_OK(s.Transact([](Tx& tx) {
    return tx.status_lists().Create(
        MakeList("o1", "L1", StatusPurpose::kRevocation, 1024));
  }));
  Result<IssueOutcome> out = InternalError("unset");
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) {
    out = IssueCredentialTx(tx, Record("o1", "urn:uuid:1", "k1", "L1", 17));
    return out.status();
  }));
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->created);
  EXPECT_EQ(out->log_seq, 0);

  // Same idempotency key: the first credential, nothing new stored.
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) {
    out = IssueCredentialTx(tx, Record("o1", "urn:uuid:2", "k1", "L1", 18));
    return out.status();
  }));
  EXPECT_FALSE(out->created);
  EXPECT_EQ(out->credential.id, "urn:uuid:1");
  EXPECT_EQ(out->log_seq, -1);

  // Index 17 is taken: the whole issuance rolls back.
  Status st = s.Transact([&](Tx& tx) {
    return IssueCredentialTx(tx, Record("o1", "urn:uuid:3", "k3", "L1", 17))
        .status();
  });
  EXPECT_EQ(st.code(), Code::kAlreadyExists);
  // Out of range index.
  st = s.Transact([&](Tx& tx) {
    return IssueCredentialTx(tx, Record("o1", "urn:uuid:4", "k4", "L1", 1024))
        .status();
  });
  EXPECT_EQ(st.code(), Code::kInvalidArgument);

  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(int64_t n, tx.credentials().CountByOrg("o1"));
    EXPECT_EQ(n, 1);
    EXPECT_EQ(tx.credentials().GetPublic("urn:uuid:3").status().code(),
              Code::kNotFound);
    CREDSTACK_ASSIGN_OR_RETURN(int64_t size, tx.log().Size());
    EXPECT_EQ(size, 1);
    CREDSTACK_ASSIGN_OR_RETURN(auto entries,
                               tx.log().FindBySubject("urn:uuid:1"));
    EXPECT_EQ(entries.size(), 1u);
    CREDSTACK_ASSIGN_OR_RETURN(
        auto allocs, tx.status_lists().AllocationsForCredential("urn:uuid:1"));
    EXPECT_EQ(allocs.size(), 1u);
    EXPECT_EQ(allocs[0].index, 17);
    CREDSTACK_ASSIGN_OR_RETURN(int64_t count,
                               tx.status_lists().CountAllocations("L1"));
    EXPECT_EQ(count, 1);
    return OkStatus();
  }));
}

TYPED_TEST(CredentialsTest, BatchIssuanceMarksJobRowsAndSequencesTheLog) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  constexpr int kRows = 50;
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.status_lists().Create(
        MakeList("o1", "L1", StatusPurpose::kRevocation, 1024)));
    CREDSTACK_RETURN_IF_ERROR(
        tx.jobs().CreateJob(BulkJob{.id = "j1",
                                    .org_id = "o1",
                                    .achievement_id = AchId("o1"),
                                    .achievement_version = 1,
                                    .created = T(1),
                                    .updated = T(1)}));
    std::vector<NewJobRow> rows;
    for (int i = 0; i < kRows; ++i) {
      rows.push_back(NewJobRow{.row_number = i + 1,
                               .client_row_key = "row" + std::to_string(i),
                               .recipient_input = "{}"});
    }
    return tx.jobs().AddRows("j1", rows, T(2)).status();
  }));
  std::vector<IssueRecord> records;
  for (int i = 0; i < kRows; ++i) {
    IssueRecord r = Record("o1", "urn:uuid:" + std::to_string(i),
                           "j1/row" + std::to_string(i), "L1", i);
    r.job_row = JobRowRef{.job_id = "j1", .row_number = i + 1};
    records.push_back(std::move(r));
  }
  // The same key twice in one batch stores it once.
  records.push_back(records[3]);
  Result<std::vector<IssueOutcome>> out = InternalError("unset");
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) {
    out = IssueCredentialsTx(tx, records);
    return out.status();
  }));
  ASSERT_EQ(out->size(), records.size());
  for (int i = 0; i < kRows; ++i) {
    EXPECT_TRUE((*out)[i].created);
    EXPECT_EQ((*out)[i].log_seq, i);
  }
  EXPECT_FALSE(out->back().created);
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(BulkJob job, tx.jobs().GetJob("o1", "j1"));
    EXPECT_EQ(job.total_rows, kRows);
    EXPECT_EQ(job.issued_rows, kRows);
    CREDSTACK_ASSIGN_OR_RETURN(JobRowCounts counts, tx.jobs().CountRows("j1"));
    EXPECT_EQ(counts.issued, kRows);
    EXPECT_EQ(counts.pending, 0);
    CREDSTACK_ASSIGN_OR_RETURN(JobRow row, tx.jobs().GetRow("j1", 4));
    EXPECT_EQ(row.credential_id, "urn:uuid:3");
    CREDSTACK_ASSIGN_OR_RETURN(int64_t size, tx.log().Size());
    EXPECT_EQ(size, kRows);
    return OkStatus();
  }));
}

}  // namespace
}  // namespace credstack::store::testing
