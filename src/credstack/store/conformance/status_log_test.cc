// Status lists, status changes and the transparency log.

#include <algorithm>
#include <map>
#include <mutex>
#include <thread>

#include "credstack/store/conformance/conformance.h"
#include "credstack/store/internal/sql_store.h"

namespace credstack::store::testing {
namespace {

template <typename B>
using StatusLogTest = StoreTest<B>;
TYPED_TEST_SUITE(StatusLogTest, Backends, BackendNames);

// One organization, lists L1 (revocation, 16 entries) and M1 (message, 8
// entries of 2 bits), and credentials c0..c(n-1) allocated at index i in L1.
Status SeedLists(Store& s, int credentials) {
  CREDSTACK_RETURN_IF_ERROR(SeedOrg(s, "o1"));
  return s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.status_lists().Create(
        MakeList("o1", "L1", StatusPurpose::kRevocation, 16)));
    CREDSTACK_RETURN_IF_ERROR(tx.status_lists().Create(
        MakeList("o1", "M1", StatusPurpose::kMessage, 8, 2)));
    for (int i = 0; i < credentials; ++i) {
      std::string id = "c" + std::to_string(i);
      CREDSTACK_RETURN_IF_ERROR(
          tx.credentials()
              .Insert(MakeCredential("o1", id, AchId("o1"), std::nullopt))
              .status());
      CREDSTACK_RETURN_IF_ERROR(tx.status_lists().Allocate(
          StatusAllocation{.list_id = "L1", .index = i, .credential_id = id}));
    }
    return OkStatus();
  });
}

StatusChange Change(std::string_view credential, StatusPurpose purpose,
                    int64_t value) {
  return StatusChange{.credential_id = std::string(credential),
                      .purpose = purpose,
                      .new_value = value,
                      .reason = "policy",
                      .actor = "apikey:ak1",
                      .when = T(500)};
}

TYPED_TEST(StatusLogTest, ListsAndAllocations) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedLists(s, 3));
  StatusList bad = MakeList("o1", "bad", StatusPurpose::kRevocation, 16);
  bad.bits.push_back(0);
  EXPECT_EQ(
      s.Transact([&](Tx& tx) { return tx.status_lists().Create(bad); }).code(),
      Code::kInvalidArgument);
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.status_lists().Allocate(
                   {.list_id = "L1", .index = 1, .credential_id = "c2"});
             }).code(),
            Code::kAlreadyExists);
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.status_lists().Allocate(
                   {.list_id = "L1", .index = 16, .credential_id = "c2"});
             }).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.status_lists().Allocate(
                   {.list_id = "nope", .index = 1, .credential_id = "c2"});
             }).code(),
            Code::kNotFound);
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(StatusList l, tx.status_lists().Get("L1"));
    EXPECT_EQ(l.size, 16);
    EXPECT_EQ(l.bits, Bytes(2, 0));
    EXPECT_EQ(l.purpose, StatusPurpose::kRevocation);
    CREDSTACK_ASSIGN_OR_RETURN(auto lists,
                               tx.status_lists().ListByOrg("o1", std::nullopt));
    EXPECT_EQ(lists.size(), 2u);
    CREDSTACK_ASSIGN_OR_RETURN(
        auto messages,
        tx.status_lists().ListByOrg("o1", StatusPurpose::kMessage));
    EXPECT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].status_size, 2);
    CREDSTACK_ASSIGN_OR_RETURN(bool taken,
                               tx.status_lists().IsAllocated("L1", 2));
    EXPECT_TRUE(taken);
    CREDSTACK_ASSIGN_OR_RETURN(bool free,
                               tx.status_lists().IsAllocated("L1", 3));
    EXPECT_FALSE(free);
    CREDSTACK_ASSIGN_OR_RETURN(int64_t n,
                               tx.status_lists().CountAllocations("L1"));
    EXPECT_EQ(n, 3);
    // Indexes 0, 1, 2 of 16: the three most significant bits of byte 0.
    CREDSTACK_ASSIGN_OR_RETURN(Bytes bitmap,
                               tx.status_lists().GetAllocationBitmap("L1"));
    EXPECT_EQ(bitmap, (Bytes{0xe0, 0x00}));
    CREDSTACK_ASSIGN_OR_RETURN(Bytes none,
                               tx.status_lists().GetAllocationBitmap("M1"));
    EXPECT_EQ(none, Bytes(1, 0));  // M1 has 8 entries
    EXPECT_EQ(tx.status_lists().GetAllocationBitmap("nope").status().code(),
              Code::kNotFound);
    return OkStatus();
  }));
}

TYPED_TEST(StatusLogTest, SetStatusFlipsBitsAndRecordsEvents) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedLists(s, 6));
  CREDSTACK_ASSERT_OK(s.Transact([](Tx& tx) {
    return tx.status_lists().Allocate(
        {.list_id = "M1", .index = 3, .credential_id = "c0"});
  }));
  StatusEvent ev;
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(ev, tx.status_lists().SetStatus(Change(
                                       "c5", StatusPurpose::kRevocation, 1)));
    return OkStatus();
  }));
  EXPECT_EQ(ev.old_value, 0);
  EXPECT_EQ(ev.new_value, 1);
  EXPECT_EQ(ev.index, 5);
  EXPECT_EQ(ev.list_id, "L1");
  // Setting the same value again is recorded but does not change the list.
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(ev, tx.status_lists().SetStatus(Change(
                                       "c5", StatusPurpose::kRevocation, 1)));
    return OkStatus();
  }));
  EXPECT_EQ(ev.old_value, 1);
  // A two-bit message entry.
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) {
    return tx.status_lists()
        .SetStatus(Change("c0", StatusPurpose::kMessage, 2))
        .status();
  }));
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.status_lists()
                   .SetStatus(Change("c0", StatusPurpose::kMessage, 4))
                   .status();
             }).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.status_lists()
                   .SetStatus(Change("c0", StatusPurpose::kSuspension, 1))
                   .status();
             }).code(),
            Code::kNotFound);
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(StatusList l, tx.status_lists().Get("L1"));
    // Bitstring Status List v1.0: index 0 is the most significant bit.
    EXPECT_EQ(l.bits, (Bytes{0x04, 0x00}));
    EXPECT_EQ(l.version, 1);
    EXPECT_EQ(l.updated, T(500));
    CREDSTACK_ASSIGN_OR_RETURN(StatusList m, tx.status_lists().Get("M1"));
    EXPECT_EQ(m.bits, (Bytes{0x02, 0x00}));
    CREDSTACK_ASSIGN_OR_RETURN(int64_t v, tx.status_lists().GetStatus("M1", 3));
    EXPECT_EQ(v, 2);
    CREDSTACK_ASSIGN_OR_RETURN(int64_t r, tx.status_lists().GetStatus("L1", 5));
    EXPECT_EQ(r, 1);
    CREDSTACK_ASSIGN_OR_RETURN(int64_t r4,
                               tx.status_lists().GetStatus("L1", 4));
    EXPECT_EQ(r4, 0);
    CREDSTACK_ASSIGN_OR_RETURN(auto events, tx.status_lists().ListEvents("c5"));
    EXPECT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].reason, "policy");
    EXPECT_EQ(events[0].actor, "apikey:ak1");
    EXPECT_EQ(events[0].purpose, StatusPurpose::kRevocation);
    return OkStatus();
  }));
  // Change + log entry in one transaction; an error afterwards undoes both.
  Status st = s.Transact([](Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(
        tx.status_lists()
            .SetStatus(Change("c1", StatusPurpose::kRevocation, 1))
            .status());
    NewLogEntry e = MakeEntry("c1", 1);
    CREDSTACK_RETURN_IF_ERROR(tx.log().Append(std::span(&e, 1)).status());
    return UnavailableError("signing service went away");
  });
  EXPECT_EQ(st.code(), Code::kUnavailable);
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(int64_t v, tx.status_lists().GetStatus("L1", 1));
    EXPECT_EQ(v, 0);
    CREDSTACK_ASSIGN_OR_RETURN(auto events, tx.status_lists().ListEvents("c1"));
    EXPECT_TRUE(events.empty());
    CREDSTACK_ASSIGN_OR_RETURN(int64_t size, tx.log().Size());
    EXPECT_EQ(size, 0);
    return OkStatus();
  }));
}

// Revocations of different credentials in one list from several nodes at
// once: no update is lost.
TYPED_TEST(StatusLogTest, ConcurrentStatusChangesLoseNoUpdate) {
  CREDSTACK_ASSERT_OK(SeedLists(this->store(), 16));
  constexpr int kNodes = 4;
  std::vector<std::unique_ptr<Store>> nodes;
  for (int i = 0; i < kNodes; ++i) nodes.push_back(this->OpenAnother());
  std::vector<std::thread> threads;
  for (int n = 0; n < kNodes; ++n) {
    threads.emplace_back([&, n] {
      for (int i = n; i < 16; i += kNodes) {
        CREDSTACK_EXPECT_OK(nodes[n]->Transact([&](Tx& tx) {
          return tx.status_lists()
              .SetStatus(Change("c" + std::to_string(i),
                                StatusPurpose::kRevocation, 1))
              .status();
        }));
      }
    });
  }
  for (auto& t : threads) t.join();
  CREDSTACK_ASSERT_OK(this->store().Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(StatusList l, tx.status_lists().Get("L1"));
    EXPECT_EQ(l.bits, (Bytes{0xff, 0xff}));
    EXPECT_EQ(l.version, 16);
    return OkStatus();
  }));
}

TYPED_TEST(StatusLogTest, LogAppendReadAndLookups) {
  Store& s = this->store();
  int64_t first = -1;
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    std::vector<NewLogEntry> batch = {MakeEntry("a", 0), MakeEntry("b", 1),
                                      MakeEntry("", 2)};
    CREDSTACK_ASSIGN_OR_RETURN(first, tx.log().Append(batch));
    return OkStatus();
  }));
  EXPECT_EQ(first, 0);
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    std::vector<NewLogEntry> batch = {MakeEntry("a", 3)};
    CREDSTACK_ASSIGN_OR_RETURN(first, tx.log().Append(batch));
    return OkStatus();
  }));
  EXPECT_EQ(first, 3);
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(int64_t size, tx.log().Size());
    EXPECT_EQ(size, 4);
    CREDSTACK_ASSIGN_OR_RETURN(auto entries, tx.log().ReadEntries(1, 2));
    EXPECT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].seq, 1);
    EXPECT_EQ(entries[0].leaf_hash, MakeEntry("b", 1).leaf_hash);
    EXPECT_EQ(entries[0].leaf_data, MakeEntry("b", 1).leaf_data);
    EXPECT_EQ(entries[0].subject, "b");
    EXPECT_EQ(entries[0].created, T(1'700'000'300));
    CREDSTACK_ASSIGN_OR_RETURN(auto a, tx.log().FindBySubject("a"));
    EXPECT_EQ(a.size(), 2u);
    EXPECT_EQ(a[1].seq, 3);
    CREDSTACK_ASSIGN_OR_RETURN(auto none, tx.log().FindBySubject(""));
    EXPECT_TRUE(none.empty());
    CREDSTACK_ASSIGN_OR_RETURN(
        auto seqs, tx.log().FindByLeafHash(MakeEntry("", 2).leaf_hash));
    EXPECT_EQ(seqs, std::vector<int64_t>{2});
    return OkStatus();
  }));
  // Log rows are append-only, enforced by the database.
  auto* sql = dynamic_cast<internal::SqlStore*>(&s);
  ASSERT_NE(sql, nullptr);
  EXPECT_FALSE(
      sql->ExecScriptForTesting("UPDATE log_entries SET subject = 'x'").ok());
  EXPECT_FALSE(sql->ExecScriptForTesting("DELETE FROM log_entries").ok());
}

TYPED_TEST(StatusLogTest, TilesCheckpointsAndIntegration) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(s.Transact([](Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.log().PutTile("tile/0/000", Bytes{1, 2, 3}));
    CREDSTACK_RETURN_IF_ERROR(tx.log().PutTile("tile/0/000", Bytes{1, 2, 3}));
    CREDSTACK_RETURN_IF_ERROR(tx.log().PutTile("tile/0/001.p/5", Bytes{}));
    CREDSTACK_RETURN_IF_ERROR(tx.log().PutCheckpoint(
        {.size = 3, .note = "origin\n3\nroot\n", .created = T(1)}));
    return tx.log().PutCheckpoint(
        {.size = 7, .note = "origin\n7\nroot\n", .created = T(2)});
  }));
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.log().PutTile("tile/0/000", Bytes{9});
             }).code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.log().PutCheckpoint(
                   {.size = 3, .note = "forged", .created = T(3)});
             }).code(),
            Code::kFailedPrecondition);
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(Bytes tile, tx.log().GetTile("tile/0/000"));
    EXPECT_EQ(tile, (Bytes{1, 2, 3}));
    CREDSTACK_ASSIGN_OR_RETURN(Bytes empty, tx.log().GetTile("tile/0/001.p/5"));
    EXPECT_TRUE(empty.empty());
    EXPECT_EQ(tx.log().GetTile("tile/1/000").status().code(), Code::kNotFound);
    CREDSTACK_ASSIGN_OR_RETURN(Checkpoint latest, tx.log().LatestCheckpoint());
    EXPECT_EQ(latest.size, 7);
    EXPECT_EQ(latest.note, "origin\n7\nroot\n");
    CREDSTACK_ASSIGN_OR_RETURN(Checkpoint three, tx.log().GetCheckpoint(3));
    EXPECT_EQ(three.created, T(1));
    EXPECT_EQ(tx.log().GetCheckpoint(4).status().code(), Code::kNotFound);
    CREDSTACK_ASSIGN_OR_RETURN(IntegrationState st, tx.log().GetIntegration());
    EXPECT_EQ(st.size, 0);
    return OkStatus();
  }));
  CREDSTACK_ASSERT_OK(s.Transact([](Tx& tx) -> Status {
    std::vector<NewLogEntry> batch = {MakeEntry("", 0), MakeEntry("", 1)};
    return tx.log().Append(batch).status();
  }));
  // Compare-and-set: only one integrator moves from a given size.
  CREDSTACK_ASSERT_OK(s.Transact([](Tx& tx) {
    return tx.log().AdvanceIntegration(0, {.size = 2, .state = Bytes{7}});
  }));
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.log().AdvanceIntegration(
                   0, {.size = 1, .state = Bytes{8}});
             }).code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.log().AdvanceIntegration(
                   2, {.size = 3, .state = Bytes{8}});
             }).code(),
            Code::kInvalidArgument);  // beyond the sequenced entries
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(IntegrationState st, tx.log().GetIntegration());
    EXPECT_EQ(st.size, 2);
    EXPECT_EQ(st.state, Bytes{7});
    return OkStatus();
  }));
}

// Several nodes (separate connections), several threads each, appending
// batches at once: sequence numbers are unique, dense and gap-free, and each
// entry is stored under the number its append returned.
TYPED_TEST(StatusLogTest, ConcurrentAppendsFromSeveralNodesAreDense) {
  constexpr int kNodes = 4;
  constexpr int kThreadsPerNode = 2;
  constexpr int kAppends = 15;
  std::vector<std::unique_ptr<Store>> nodes;
  for (int i = 0; i < kNodes; ++i) nodes.push_back(this->OpenAnother());
  std::mutex mu;
  std::map<int64_t, std::string> expected;  // seq -> subject
  std::vector<std::thread> threads;
  for (int n = 0; n < kNodes; ++n) {
    for (int t = 0; t < kThreadsPerNode; ++t) {
      threads.emplace_back([&, n, t] {
        for (int a = 0; a < kAppends; ++a) {
          std::vector<NewLogEntry> batch;
          const int count = 1 + (a + t) % 4;
          for (int k = 0; k < count; ++k) {
            batch.push_back(
                MakeEntry("n" + std::to_string(n) + "t" + std::to_string(t) +
                              "a" + std::to_string(a) + "k" + std::to_string(k),
                          a));
          }
          int64_t first = -1;
          Status st = nodes[n]->Transact([&](Tx& tx) -> Status {
            CREDSTACK_ASSIGN_OR_RETURN(first, tx.log().Append(batch));
            return OkStatus();
          });
          ASSERT_TRUE(st.ok()) << st.ToString();
          std::lock_guard<std::mutex> lock(mu);
          for (int k = 0; k < count; ++k) {
            bool fresh = expected.emplace(first + k, batch[k].subject).second;
            EXPECT_TRUE(fresh)
                << "sequence number " << first + k << " handed out twice";
          }
        }
      });
    }
  }
  for (auto& th : threads) th.join();
  const int64_t total = static_cast<int64_t>(expected.size());
  ASSERT_GT(total, 0);
  EXPECT_EQ(expected.begin()->first, 0);
  EXPECT_EQ(expected.rbegin()->first, total - 1);  // dense: no gaps
  CREDSTACK_ASSERT_OK(this->store().Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(int64_t size, tx.log().Size());
    EXPECT_EQ(size, total);
    int64_t next = 0;
    while (next < total) {
      CREDSTACK_ASSIGN_OR_RETURN(auto entries,
                                 tx.log().ReadEntries(next, 1000));
      if (entries.empty()) break;
      for (const LogEntry& e : entries) {
        EXPECT_EQ(e.seq, next);
        EXPECT_EQ(e.subject, expected[e.seq]);
        ++next;
      }
    }
    EXPECT_EQ(next, total);
    return OkStatus();
  }));
}

}  // namespace
}  // namespace credstack::store::testing

namespace credstack::store::testing {
namespace {

template <typename B>
using LogIndexTest = StoreTest<B>;
TYPED_TEST_SUITE(LogIndexTest, Backends, BackendNames);

// Migration 0003: the credential-hash index, checkpoint listing and
// witness cosignatures.
TYPED_TEST(LogIndexTest, CredentialIndexCheckpointsAndCosignatures) {
  Store& s = this->store();
  Bytes h1(32, 1), h2(32, 2);
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    std::vector<NewLogEntry> e(3, NewLogEntry{.leaf_hash = Bytes(32, 9), .leaf_data = Bytes{1},
                                              .created = T(1)});
    CREDSTACK_RETURN_IF_ERROR(tx.log().Append(e).status());
    std::vector<CredentialLogRef> refs = {{h1, 0}, {h2, 1}, {h1, 2}};
    CREDSTACK_RETURN_IF_ERROR(tx.log().IndexCredentialHashes(refs));
    // Indexing again is harmless.
    CREDSTACK_RETURN_IF_ERROR(tx.log().IndexCredentialHashes(refs));
    for (int64_t size : {0, 2, 3}) {
      CREDSTACK_RETURN_IF_ERROR(tx.log().PutCheckpoint(
          Checkpoint{.size = size, .note = "n" + std::to_string(size), .created = T(2)}));
    }
    return OkStatus();
  }));
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    auto seqs = tx.log().FindByCredentialHash(h1);
    EXPECT_TRUE(seqs.ok());
    EXPECT_EQ(*seqs, (std::vector<int64_t>{0, 2}));
    EXPECT_TRUE(tx.log().FindByCredentialHash(Bytes(32, 7))->empty());
    auto cps = tx.log().ListCheckpoints(0, 10);
    EXPECT_TRUE(cps.ok());
    EXPECT_EQ(cps->size(), 2u);
    EXPECT_EQ((*cps)[0].size, 2);
    EXPECT_EQ(tx.log().ListCheckpoints(-1, 10)->size(), 3u);
    return OkStatus();
  }));
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.log().IndexCredentialHashes(
                   std::vector<CredentialLogRef>{{Bytes(3, 1), 0}});
             }).code(),
            Code::kInvalidArgument);
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.log().PutCosignature(
        Cosignature{.size = 3, .witness = "w", .key_id = 7, .line = "— w AAAA\n", .created = T(3)}));
    // The first cosignature per witness key is kept.
    return tx.log().PutCosignature(
        Cosignature{.size = 3, .witness = "w", .key_id = 7, .line = "— w BBBB\n", .created = T(4)});
  }));
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.log().PutCosignature(
                   Cosignature{.size = 5, .witness = "w", .key_id = 7, .line = "x", .created = T(3)});
             }).code(),
            Code::kFailedPrecondition);
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    auto cs = tx.log().ListCosignatures(3);
    EXPECT_TRUE(cs.ok());
    EXPECT_EQ(cs->size(), 1u);
    EXPECT_EQ((*cs)[0].line, "— w AAAA\n");
    EXPECT_TRUE(tx.log().ListCosignatures(2)->empty());
    return OkStatus();
  }));
}

}  // namespace
}  // namespace credstack::store::testing
