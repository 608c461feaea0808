// Bulk jobs: rows, claiming, leases, crash recovery.

#include <mutex>
#include <thread>

#include "credstack/store/conformance/conformance.h"

namespace credstack::store::testing {
namespace {

template <typename B>
using JobsTest = StoreTest<B>;
TYPED_TEST_SUITE(JobsTest, Backends, BackendNames);

Status SeedJob(Store& s, std::string_view job_id, int rows) {
  return s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(
        tx.jobs().CreateJob(BulkJob{.id = std::string(job_id),
                                    .org_id = "o1",
                                    .achievement_id = AchId("o1"),
                                    .achievement_version = 1,
                                    .created = T(1),
                                    .updated = T(1)}));
    std::vector<NewJobRow> new_rows;
    for (int i = 1; i <= rows; ++i) {
      new_rows.push_back(NewJobRow{.row_number = i,
                                   .client_row_key = "key" + std::to_string(i),
                                   .recipient_input = R"({"email":"x"})"});
    }
    return tx.jobs().AddRows(job_id, new_rows, T(2)).status();
  });
}

TYPED_TEST(JobsTest, JobsAndRows) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o2"));
  CREDSTACK_ASSERT_OK(SeedJob(s, "j1", 5));
  // Re-uploading rows with known client keys adds only the new ones.
  int64_t added = -1;
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    std::vector<NewJobRow> again = {
        {.row_number = 1, .client_row_key = "key1", .recipient_input = "{}"},
        {.row_number = 6, .client_row_key = "key6", .recipient_input = "{}"}};
    CREDSTACK_ASSIGN_OR_RETURN(added, tx.jobs().AddRows("j1", again, T(3)));
    return OkStatus();
  }));
  EXPECT_EQ(added, 1);
  // A new key on a taken row number is a conflict.
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               std::vector<NewJobRow> clash = {{.row_number = 2,
                                                .client_row_key = "other",
                                                .recipient_input = "{}"}};
               return tx.jobs().AddRows("j1", clash, T(3)).status();
             }).code(),
            Code::kAlreadyExists);
  CREDSTACK_ASSERT_OK(s.Transact([](Tx& tx) {
    return tx.jobs().SetStatus("j1", JobStatus::kRunning, "", T(4));
  }));
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.jobs().SetStatus("nope", JobStatus::kRunning, "",
                                          T(4));
             }).code(),
            Code::kNotFound);
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(BulkJob job, tx.jobs().GetJob("o1", "j1"));
    EXPECT_EQ(job.status, JobStatus::kRunning);
    EXPECT_EQ(job.total_rows, 6);
    EXPECT_EQ(job.updated, T(4));
    EXPECT_EQ(tx.jobs().GetJob("o2", "j1").status().code(), Code::kNotFound);
    CREDSTACK_ASSIGN_OR_RETURN(auto jobs, tx.jobs().ListJobs("o1", "", 10));
    EXPECT_EQ(jobs.size(), 1u);
    CREDSTACK_ASSIGN_OR_RETURN(JobRow row, tx.jobs().GetRow("j1", 3));
    EXPECT_EQ(row.client_row_key, "key3");
    EXPECT_EQ(row.recipient_input, R"({"email":"x"})");
    EXPECT_EQ(row.state, JobRowState::kPending);
    EXPECT_FALSE(row.claimed_by.has_value());
    CREDSTACK_ASSIGN_OR_RETURN(auto rows,
                               tx.jobs().ListRows("j1", std::nullopt, 2, 3));
    EXPECT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].row_number, 3);
    return OkStatus();
  }));
}

TYPED_TEST(JobsTest, ClaimLeaseReleaseAndMark) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  CREDSTACK_ASSERT_OK(SeedJob(s, "j1", 10));
  auto claim = [&](std::string_view worker, int64_t n, int64_t now,
                   int64_t until) {
    std::vector<JobRow> rows;
    CREDSTACK_EXPECT_OK(s.Transact([&](Tx& tx) -> Status {
      CREDSTACK_ASSIGN_OR_RETURN(
          rows, tx.jobs().ClaimRows("j1", worker, n, T(now), T(until)));
      return OkStatus();
    }));
    return rows;
  };
  std::vector<JobRow> a = claim("wA", 4, 100, 200);
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].row_number, 1);
  EXPECT_EQ(a[3].row_number, 4);
  EXPECT_EQ(a[0].claimed_by, "wA");
  EXPECT_EQ(a[0].lease_until, T(200));
  std::vector<JobRow> b = claim("wB", 4, 100, 200);
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].row_number, 5);

  // Row 1 issued, row 2 failed.
  CREDSTACK_ASSERT_OK(s.Transact([](Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(
        tx.credentials()
            .Insert(MakeCredential("o1", "urn:uuid:1", AchId("o1"), "j1/key1"))
            .status());
    CREDSTACK_RETURN_IF_ERROR(
        tx.jobs().MarkRowIssued("j1", 1, "urn:uuid:1", T(110)));
    return tx.jobs().MarkRowFailed("j1", 2, "bad email", T(110));
  }));
  // Marking again with the same credential is a no-op; otherwise refused.
  CREDSTACK_ASSERT_OK(s.Transact([](Tx& tx) {
    return tx.jobs().MarkRowIssued("j1", 1, "urn:uuid:1", T(111));
  }));
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.jobs().MarkRowIssued("j1", 2, "urn:uuid:1", T(111));
             }).code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.jobs().MarkRowFailed("j1", 1, "x", T(111));
             }).code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.jobs().MarkRowIssued("j1", 99, "urn:uuid:1", T(111));
             }).code(),
            Code::kNotFound);

  // Worker A crashed: before its lease ends nobody else gets rows 3-4, the
  // unclaimed 9-10 go first; after it ends they are claimable again.
  std::vector<JobRow> c = claim("wC", 10, 150, 300);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].row_number, 9);
  std::vector<JobRow> d =
      claim("wD", 10, 250, 400);  // A's and B's leases ended
  ASSERT_EQ(d.size(), 6u);
  EXPECT_EQ(d[0].row_number, 3);
  EXPECT_EQ(d[0].claimed_by, "wD");
  // D gives its claims back (graceful shutdown).
  int64_t released = 0;
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(released, tx.jobs().ReleaseClaims("j1", "wD"));
    return OkStatus();
  }));
  EXPECT_EQ(released, 6);
  std::vector<JobRow> e = claim("wE", 10, 260, 400);
  EXPECT_EQ(e.size(), 6u);

  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(JobRowCounts counts, tx.jobs().CountRows("j1"));
    EXPECT_EQ(counts.pending, 8);
    EXPECT_EQ(counts.issued, 1);
    EXPECT_EQ(counts.failed, 1);
    CREDSTACK_ASSIGN_OR_RETURN(BulkJob job, tx.jobs().GetJob("o1", "j1"));
    EXPECT_EQ(job.issued_rows, 1);
    EXPECT_EQ(job.failed_rows, 1);
    CREDSTACK_ASSIGN_OR_RETURN(JobRow failed, tx.jobs().GetRow("j1", 2));
    EXPECT_EQ(failed.error, "bad email");
    EXPECT_EQ(failed.state, JobRowState::kFailed);
    CREDSTACK_ASSIGN_OR_RETURN(
        auto issued, tx.jobs().ListRows("j1", JobRowState::kIssued, 0, 10));
    EXPECT_EQ(issued.size(), 1u);
    return OkStatus();
  }));
}

// Several nodes with several threads each claim batches and issue them: no
// row is ever handed to two workers, and every row ends issued once.
TYPED_TEST(JobsTest, ConcurrentClaimingNeverHandsOutARowTwice) {
  CREDSTACK_ASSERT_OK(SeedOrg(this->store(), "o1"));
  constexpr int kRows = 300;
  CREDSTACK_ASSERT_OK(SeedJob(this->store(), "j1", kRows));
  constexpr int kNodes = 3;
  constexpr int kThreadsPerNode = 2;
  std::vector<std::unique_ptr<Store>> nodes;
  for (int i = 0; i < kNodes; ++i) nodes.push_back(this->OpenAnother());
  std::mutex mu;
  std::vector<int> claimed_count(kRows + 1, 0);
  std::vector<std::thread> threads;
  for (int n = 0; n < kNodes; ++n) {
    for (int t = 0; t < kThreadsPerNode; ++t) {
      threads.emplace_back([&, n, t] {
        Store& node = *nodes[n];
        std::string worker = "w" + std::to_string(n) + "." + std::to_string(t);
        for (;;) {
          std::vector<JobRow> rows;
          Status st = node.Transact([&](Tx& tx) -> Status {
            CREDSTACK_ASSIGN_OR_RETURN(
                rows,
                tx.jobs().ClaimRows("j1", worker, 7, T(1000), T(1'000'000)));
            return OkStatus();
          });
          ASSERT_TRUE(st.ok()) << st.ToString();
          if (rows.empty()) return;
          {
            std::lock_guard<std::mutex> lock(mu);
            for (const JobRow& r : rows) ++claimed_count[r.row_number];
          }
          std::vector<IssueRecord> records;
          for (const JobRow& r : rows) {
            IssueRecord rec;
            rec.credential = MakeCredential(
                "o1", "urn:uuid:row" + std::to_string(r.row_number),
                AchId("o1"), "j1/" + r.client_row_key);
            rec.log_entry = MakeEntry("", r.row_number);
            rec.job_row = JobRowRef{.job_id = "j1", .row_number = r.row_number};
            records.push_back(std::move(rec));
          }
          st = node.Transact(
              [&](Tx& tx) { return IssueCredentialsTx(tx, records).status(); });
          ASSERT_TRUE(st.ok()) << st.ToString();
        }
      });
    }
  }
  for (auto& th : threads) th.join();
  for (int r = 1; r <= kRows; ++r) {
    EXPECT_EQ(claimed_count[r], 1) << "row " << r;
  }
  CREDSTACK_ASSERT_OK(this->store().Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(JobRowCounts counts, tx.jobs().CountRows("j1"));
    EXPECT_EQ(counts.issued, kRows);
    EXPECT_EQ(counts.pending, 0);
    CREDSTACK_ASSIGN_OR_RETURN(BulkJob job, tx.jobs().GetJob("o1", "j1"));
    EXPECT_EQ(job.issued_rows, kRows);
    CREDSTACK_ASSIGN_OR_RETURN(int64_t n, tx.credentials().CountByOrg("o1"));
    EXPECT_EQ(n, kRows);
    CREDSTACK_ASSIGN_OR_RETURN(int64_t size, tx.log().Size());
    EXPECT_EQ(size, kRows);
    return OkStatus();
  }));
}

// A crash between claiming and issuing leaves rows pending (untouched
// except for the lease); after the lease a new worker issues them, and a
// worker that re-issues a row already committed gets the same credential.
TYPED_TEST(JobsTest, ResumesAfterACrashWithoutDuplicates) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  CREDSTACK_ASSERT_OK(SeedJob(s, "j1", 4));
  std::vector<JobRow> rows;
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(
        rows, tx.jobs().ClaimRows("j1", "dead", 4, T(10), T(20)));
    return OkStatus();
  }));
  ASSERT_EQ(rows.size(), 4u);
  auto record_for = [](int64_t row, std::string_view id) {
    IssueRecord rec;
    rec.credential =
        MakeCredential("o1", id, AchId("o1"), "j1/key" + std::to_string(row));
    rec.log_entry = MakeEntry("", row);
    rec.job_row = JobRowRef{.job_id = "j1", .row_number = row};
    return rec;
  };
  // The dead worker committed row 1 before dying; rows 2-4 never committed.
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) {
    return IssueCredentialTx(tx, record_for(1, "urn:uuid:first")).status();
  }));
  // The rescuer, after the lease, sees rows 2-4 only.
  auto rescuer = this->OpenAnother();
  ASSERT_NE(rescuer, nullptr);
  std::vector<JobRow> again;
  CREDSTACK_ASSERT_OK(rescuer->Transact([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(
        again, tx.jobs().ClaimRows("j1", "rescuer", 10, T(30), T(40)));
    return OkStatus();
  }));
  ASSERT_EQ(again.size(), 3u);
  EXPECT_EQ(again[0].row_number, 2);
  std::vector<IssueRecord> records;
  for (const JobRow& r : again) {
    records.push_back(
        record_for(r.row_number, "urn:uuid:r" + std::to_string(r.row_number)));
  }
  // Replaying row 1 (e.g. the dead worker's batch) converges too.
  records.push_back(record_for(1, "urn:uuid:replayed"));
  Result<std::vector<IssueOutcome>> out = InternalError("unset");
  CREDSTACK_ASSERT_OK(rescuer->Transact([&](Tx& tx) {
    out = IssueCredentialsTx(tx, records);
    return out.status();
  }));
  EXPECT_FALSE(out->back().created);
  EXPECT_EQ(out->back().credential.id, "urn:uuid:first");
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(JobRowCounts counts, tx.jobs().CountRows("j1"));
    EXPECT_EQ(counts.issued, 4);
    CREDSTACK_ASSIGN_OR_RETURN(int64_t n, tx.credentials().CountByOrg("o1"));
    EXPECT_EQ(n, 4);
    CREDSTACK_ASSIGN_OR_RETURN(int64_t size, tx.log().Size());
    EXPECT_EQ(size, 4);
    CREDSTACK_ASSIGN_OR_RETURN(BulkJob job, tx.jobs().GetJob("o1", "j1"));
    EXPECT_EQ(job.issued_rows, 4);
    return OkStatus();
  }));
}

}  // namespace
}  // namespace credstack::store::testing
