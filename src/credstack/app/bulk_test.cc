// Bulk issuance: upload parsing, jobs run to completion, failed rows,
// resumption after an interrupted run, exactly one credential per row, and
// the issued-credential listeners hearing of every committed credential
// (bulk rows, single and VC-API issuance) once, after the commit.

#include "credstack/app/bulk.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "credstack/app/issuer_services.h"
#include "credstack/app/testing/test_store.h"
#include "credstack/crypto/ed25519.h"
#include "credstack/ld/context_store.h"

namespace credstack::app {
namespace {

using testing::Backend;

TEST(ParseBulkUpload, CsvWithHeaderAliasesAndDerivedKeys) {
  auto r = ParseBulkUpload(
      "Recipient,validUntil,evidenceUrl\r\n"
      "alice@example.org,2030-01-01T00:00:00Z,https://ex.org/e/1\r\n"
      "did:example:bob,,\r\n"
      "alice@example.org,2030-01-01T00:00:00Z,https://ex.org/e/1\r\n",
      BulkFormat::kCsv);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->error_count, 0);
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->duplicates, 1);  // identical content, identical derived key
  EXPECT_EQ(r->rows[0].key.rfind("h:", 0), 0u);
  auto row = json::Parse(r->rows[0].input_json);
  EXPECT_EQ(row->as_object().at("evidence").as_array()[0].as_object().at("id"),
            "https://ex.org/e/1");
  EXPECT_FALSE(row->as_object().contains("rowKey"));
}

TEST(ParseBulkUpload, ReportsBadRowsWithLineNumbers) {
  auto r = ParseBulkUpload(
      "recipient,rowKey,validFrom\n"
      "alice@example.org,1,\n"
      "not-an-address,2,\n"
      "bob@example.org,3,yesterday\n"
      "carol@example.org,4,,extra\n",
      BulkFormat::kCsv);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->error_count, 3);
  ASSERT_EQ(r->errors.size(), 3u);
  EXPECT_EQ(r->errors[0].line, 3);
  EXPECT_NE(r->errors[0].message.find("recipient"), std::string::npos);
  EXPECT_EQ(r->errors[1].line, 4);
  EXPECT_NE(r->errors[1].message.find("validFrom"), std::string::npos);
  EXPECT_EQ(r->errors[2].line, 5);
}

TEST(ParseBulkUpload, RefusesUnusableUploads) {
  EXPECT_EQ(ParseBulkUpload("", BulkFormat::kCsv).status().code(),
            Code::kInvalidArgument);
  auto unknown = ParseBulkUpload("recipient,shoe_size\n", BulkFormat::kCsv);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("shoe_size"), std::string::npos);
  EXPECT_FALSE(
      ParseBulkUpload("email_address\nx@y.z\n", BulkFormat::kCsv).ok());
  BulkLimits small{.max_rows = 2};
  EXPECT_EQ(ParseBulkUpload("recipient\na@b.c\nd@e.f\ng@h.i\n",
                            BulkFormat::kCsv, small)
                .status()
                .code(),
            Code::kResourceExhausted);
  // Invalid UTF-8 is a row error, not a crash.
  auto bad = ParseBulkUpload(std::string("recipient\n\xff\xfe@x.org\n"),
                             BulkFormat::kCsv);
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->error_count, 1);
}

TEST(ParseBulkUpload, JsonLines) {
  auto r = ParseBulkUpload(
      "{\"recipient\":\"a@b.org\",\"rowKey\":\"r1\"}\n"
      "\n"
      "{\"recipient\":\"did:example:x\",\"results\":[{\"type\":[\"Result\"]}]}"
      "\r\n"
      "[1,2]\n"
      "{\"recipient\":\"c@d.org\",\"achievementId\":\"other\"}\n"
      "{broken\n",
      BulkFormat::kJsonLines);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0].key, "r1");
  ASSERT_EQ(r->error_count, 3);
  EXPECT_EQ(r->errors[0].line, 4);
  EXPECT_NE(r->errors[1].message.find("per job"), std::string::npos);
  EXPECT_EQ(r->errors[2].line, 6);
}

class BulkTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<testing::TestDatabase>(GetParam());
    std::string why = db_->Prepare();
    if (!why.empty()) GTEST_SKIP() << why;
    auto store = db_->Open();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ctx_ = std::make_shared<AppContext>();
    ctx_->store = std::shared_ptr<store::Store>(std::move(*store));
    ctx_->urls = *PublicUrls::Create("https://badges.example.edu");
    ctx_->rng = &crypto::SecureRng::Instance();
    ctx_->suite = vc::MakeSuiteOptions(ld::ContextStore::Bundled());
    crypto::SecretBoxKey key{};
    auto services = CreateIssuerServices(
        ctx_,
        IssuerServicesOptions{
            .master_key = std::make_shared<MasterKey>(key),
            .bulk = {.workers = 0, .batch_size = 16, .node_id = "node-a"}});
    ASSERT_TRUE(services.ok());
    s_ = *services;
    json::Object body;
    body["name"] = "ACME";
    body["slug"] = "acme";
    auto org = s_->orgs->Create(body, "t");
    ASSERT_TRUE(org.ok());
    org_ = org->org.id;
    auto a = json::Parse(
        R"({"name":"Bulk Badge","description":"d","criteria":{"narrative":"n"}})");
    auto ach = s_->achievements->Create(org_, a->as_object(), "t");
    ASSERT_TRUE(ach.ok());
    ach_ = ach->achievement_id;
  }

  // Runs `rows` CSV rows on two worker threads and stops them (every
  // listener call has returned then): the job's id and its last state,
  // polled until done (30 s at most).
  std::pair<std::string, store::BulkJob> RunOnWorkers(int rows, int batch_size,
                                                      std::string node_id) {
    BulkService workers(ctx_, s_->issuance,
                        BulkServiceOptions{.workers = 2,
                                           .batch_size = batch_size,
                                           .poll = std::chrono::milliseconds(10),
                                           .node_id = std::move(node_id)});
    EXPECT_TRUE(workers.Start().ok());
    auto job = workers.Submit(org_, BulkJobOptions{.achievement_id = ach_}, Csv(rows),
                              BulkFormat::kCsv, "t");
    EXPECT_TRUE(job.ok());
    if (!job.ok()) return {};
    store::BulkJob state;
    for (int i = 0; i < 600; ++i) {
      state = *workers.Get(org_, job->job.id);
      if (state.status == store::JobStatus::kDone) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    workers.Stop();
    return {job->job.id, state};
  }

  std::string Csv(int n) {
    std::string csv = "recipient,rowKey\n";
    for (int i = 0; i < n; ++i) {
      csv += "learner" + std::to_string(i) + "@example.org,r" +
             std::to_string(i) + "\n";
    }
    return csv;
  }

  int64_t Drain(BulkService& bulk, const std::string& job) {
    int64_t total = 0;
    for (int i = 0; i < 10'000; ++i) {
      auto n = bulk.RunOnce(job);
      EXPECT_TRUE(n.ok()) << n.status().ToString();
      if (!n.ok() || *n == 0) break;
      total += *n;
    }
    return total;
  }

  std::set<std::string> CredentialIds(const std::string& job) {
    std::set<std::string> ids;
    auto rows = s_->bulk->Rows(org_, job, store::JobRowState::kIssued, 0, 1000);
    EXPECT_TRUE(rows.ok());
    for (const auto& r : *rows) ids.insert(*r.credential_id);
    return ids;
  }

  std::unique_ptr<testing::TestDatabase> db_;
  std::shared_ptr<AppContext> ctx_;
  std::shared_ptr<IssuerServices> s_;
  std::string org_;
  std::string ach_;
};

TEST_P(BulkTest, JobRunsToCompletionWithOneCredentialPerRow) {
  auto job = s_->bulk->Submit(org_, BulkJobOptions{.achievement_id = ach_},
                              Csv(50), BulkFormat::kCsv, "t");
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->job.total_rows, 50);
  EXPECT_EQ(job->job.status, store::JobStatus::kQueued);
  EXPECT_EQ(Drain(*s_->bulk, job->job.id), 50);
  auto done = s_->bulk->Get(org_, job->job.id);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->status, store::JobStatus::kDone);
  EXPECT_EQ(done->issued_rows, 50);
  EXPECT_EQ(done->failed_rows, 0);
  EXPECT_EQ(CredentialIds(job->job.id).size(), 50u);
  Status s = ctx_->store->Read([&](store::Tx& tx) -> Status {
    EXPECT_EQ(*tx.credentials().CountByOrg(org_), 50);
    EXPECT_EQ(*tx.log().Size(), 50);
    return OkStatus();
  });
  EXPECT_TRUE(s.ok());
}

TEST_P(BulkTest, RowsThatCannotBeIssuedFailAlone) {
  // Every row is valid on its own, but one row's validUntil precedes the
  // job's validFrom.
  std::string csv =
      "recipient,validUntil\n"
      "a@example.org,\n"
      "b@example.org,2029-01-01T00:00:00Z\n"
      "c@example.org,\n";
  auto job = s_->bulk->Submit(
      org_,
      BulkJobOptions{.achievement_id = ach_,
                     .valid_from = *ParseDateTime("2030-01-01T00:00:00Z")},
      csv, BulkFormat::kCsv, "t");
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  Drain(*s_->bulk, job->job.id);
  auto done = s_->bulk->Get(org_, job->job.id);
  EXPECT_EQ(done->status, store::JobStatus::kDone);
  EXPECT_EQ(done->issued_rows, 2);
  EXPECT_EQ(done->failed_rows, 1);
  auto failed =
      s_->bulk->Rows(org_, job->job.id, store::JobRowState::kFailed, 0, 10);
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].row_number, 2);
  EXPECT_NE((*failed)[0].error.find("validUntil"), std::string::npos);
}

TEST_P(BulkTest, InvalidUploadStoresNothing) {
  auto r = s_->bulk->Submit(org_, BulkJobOptions{.achievement_id = ach_},
                            "recipient\nok@example.org\nnope\n",
                            BulkFormat::kCsv, "t");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 3"), std::string::npos);
  auto missing = s_->bulk->Submit(org_, BulkJobOptions{.achievement_id = "x"},
                                  Csv(2), BulkFormat::kCsv, "t");
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  Status s = ctx_->store->Read([&](store::Tx& tx) -> Status {
    EXPECT_TRUE(tx.jobs().ListJobs(org_, "", 10)->empty());
    return OkStatus();
  });
  EXPECT_TRUE(s.ok());
}

TEST_P(BulkTest, ResumesAfterAnInterruptedRunWithoutDuplicates) {
  auto job = s_->bulk->Submit(org_, BulkJobOptions{.achievement_id = ach_},
                              Csv(40), BulkFormat::kCsv, "t");
  ASSERT_TRUE(job.ok());
  // A run that issued one batch, then "crashed" holding a claim.
  ASSERT_EQ(*s_->bulk->RunOnce(job->job.id), 16);
  Timestamp now = ctx_->clock->Now();
  Status claim = ctx_->store->Transact([&](store::Tx& tx) -> Status {
    auto rows = tx.jobs().ClaimRows(job->job.id, "node-a", 16, now,
                                    Timestamp{now.unix_micros + 3'600'000'000});
    EXPECT_EQ(rows->size(), 16u);
    return rows.status();
  });
  ASSERT_TRUE(claim.ok());
  // A restarted node with the same id releases its claims and finishes.
  BulkService restarted(
      ctx_, s_->issuance,
      BulkServiceOptions{.workers = 0, .batch_size = 16, .node_id = "node-a"});
  ASSERT_TRUE(restarted.Start().ok());
  EXPECT_EQ(Drain(restarted, job->job.id), 24);
  auto done = s_->bulk->Get(org_, job->job.id);
  EXPECT_EQ(done->status, store::JobStatus::kDone);
  EXPECT_EQ(done->issued_rows, 40);
  EXPECT_EQ(CredentialIds(job->job.id).size(), 40u);
  // A row issued again (a lost lease) returns the first credential.
  auto row = s_->bulk->Rows(org_, job->job.id, {}, 0, 1);
  IssueRequest again{.org_id = org_,
                     .achievement_id = ach_,
                     .recipient = "learner0@example.org",
                     .idempotency_key = "bulk:" + job->job.id + ":r0"};
  auto replay = s_->issuance->Issue(again);
  ASSERT_TRUE(replay.ok());
  EXPECT_FALSE(replay->created);
  EXPECT_EQ(replay->record.id, *(*row)[0].credential_id);
  Status s = ctx_->store->Read([&](store::Tx& tx) -> Status {
    EXPECT_EQ(*tx.credentials().CountByOrg(org_), 40);
    return OkStatus();
  });
  EXPECT_TRUE(s.ok());
}

TEST_P(BulkTest, WorkerThreadsFinishJobs) {
  auto [job_id, state] = RunOnWorkers(60, 8, "node-w");
  EXPECT_EQ(state.status, store::JobStatus::kDone);
  EXPECT_EQ(state.issued_rows, 60);
  EXPECT_EQ(CredentialIds(job_id).size(), 60u);
}

// What a listener heard: credential id → recipient, and how often.
struct Heard {
  std::mutex mu;
  std::map<std::string, std::string> recipients;
  int64_t events = 0;
  int64_t calls = 0;
  int64_t uncommitted = 0;  // events whose credential was not readable yet
};

IssuedListener Record(std::shared_ptr<const AppContext> ctx, Heard& heard) {
  return [ctx, &heard](std::span<const IssuedEvent> events) -> Status {
    int64_t uncommitted = 0;
    // Another connection must see the credential: the commit came first.
    Status read = ctx->store->Read([&](store::Tx& tx) -> Status {
      for (const IssuedEvent& e : events) {
        if (!tx.credentials().GetPublic(e.credential->id).ok()) ++uncommitted;
      }
      return OkStatus();
    });
    std::lock_guard<std::mutex> lock(heard.mu);
    ++heard.calls;
    heard.uncommitted += uncommitted;
    for (const IssuedEvent& e : events) {
      ++heard.events;
      heard.recipients[e.credential->id] = std::string(e.recipient);
    }
    return read;
  };
}

TEST_P(BulkTest, ListenersHearEachCommittedCredentialOnceWithItsRecipient) {
  Heard heard;
  s_->issuance->AddIssuedListener(Record(ctx_, heard));
  // A failing listener is reported and counted; issuance goes on.
  s_->issuance->AddIssuedListener([](std::span<const IssuedEvent>) {
    return UnavailableError("listener down");
  });

  auto job = s_->bulk->Submit(org_, BulkJobOptions{.achievement_id = ach_},
                              Csv(40), BulkFormat::kCsv, "t");
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(Drain(*s_->bulk, job->job.id), 40);
  auto done = s_->bulk->Get(org_, job->job.id);
  EXPECT_EQ(done->status, store::JobStatus::kDone);
  EXPECT_EQ(done->issued_rows, 40);
  // Batches of 16: one call per committed batch, one event per row.
  EXPECT_EQ(heard.calls, 3);
  EXPECT_EQ(heard.events, 40);
  EXPECT_EQ(heard.uncommitted, 0);
  EXPECT_EQ(s_->issuance->issued_listeners()->failures(), 3u);
  auto rows =
      s_->bulk->Rows(org_, job->job.id, store::JobRowState::kIssued, 0, 1000);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 40u);
  for (const store::JobRow& r : *rows) {
    // Row "rN" was uploaded for learnerN@example.org.
    EXPECT_EQ(heard.recipients[*r.credential_id],
              "learner" + r.client_row_key.substr(1) + "@example.org");
  }

  // A row stored again (a lost lease: the same idempotency key) and an
  // idempotent replay of a single issuance are not heard again.
  IssueRequest again{.org_id = org_,
                     .achievement_id = ach_,
                     .recipient = "learner0@example.org",
                     .idempotency_key = "bulk:" + job->job.id + ":r0"};
  auto replay = s_->issuance->Issue(again);
  ASSERT_TRUE(replay.ok());
  EXPECT_FALSE(replay->created);
  EXPECT_EQ(heard.events, 40);
  IssueRequest single{.org_id = org_,
                      .achievement_id = ach_,
                      .recipient = "did:example:single",
                      .idempotency_key = "single-1"};
  auto one = s_->issuance->Issue(single);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_TRUE(one->created);
  ASSERT_TRUE(s_->issuance->Issue(single).ok());
  EXPECT_EQ(heard.events, 41);
  EXPECT_EQ(heard.recipients[one->record.id], "did:example:single");

  // VC-API: a DID subject is heard (as its recipient); another is not.
  auto vc = [&](const std::string& subject) {
    return s_->vc_api->Issue(org_, *json::Parse(R"({"credential":{"@context":[
            "https://www.w3.org/ns/credentials/v2"],
            "type":["VerifiableCredential"],
            "credentialSubject":)" + subject + "}}"));
  };
  auto to_did = vc(R"({"id":"did:example:vc-subject"})");
  ASSERT_TRUE(to_did.ok()) << to_did.status().ToString();
  EXPECT_EQ(heard.recipients[to_did->stored_id], "did:example:vc-subject");
  auto anonymous = vc(R"({"name":"no id"})");
  ASSERT_TRUE(anonymous.ok()) << anonymous.status().ToString();
  EXPECT_EQ(heard.recipients.count(anonymous->stored_id), 0u);
  EXPECT_EQ(heard.events, 42);
  EXPECT_EQ(heard.uncommitted, 0);
  EXPECT_EQ(s_->issuance->issued_listeners()->failures(), 5u);
}

// A listener may issue from inside its call (pathway awards do): the nested
// issuance is heard on the same thread, with no lock held and no loop.
TEST_P(BulkTest, ListenerMayIssueFromInsideItsCall) {
  std::mutex mu;
  std::vector<std::string> heard;
  s_->issuance->AddIssuedListener([&](std::span<const IssuedEvent> events) {
    for (const IssuedEvent& e : events) {
      {
        std::lock_guard<std::mutex> lock(mu);
        heard.emplace_back(e.recipient);
      }
      if (e.recipient != "learner3@example.org") continue;
      // A follow-up credential for that one recipient, exactly once.
      CREDSTACK_RETURN_IF_ERROR(
          s_->issuance
              ->Issue({.org_id = org_,
                       .achievement_id = ach_,
                       .recipient = "did:example:follow-up",
                       .idempotency_key = "follow-up"})
              .status());
    }
    return OkStatus();
  });
  store::BulkJob state = RunOnWorkers(20, 4, "node-n").second;
  EXPECT_EQ(state.status, store::JobStatus::kDone);
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(heard.size(), 21u);
  EXPECT_EQ(std::count(heard.begin(), heard.end(), "did:example:follow-up"), 1);
  EXPECT_EQ(s_->issuance->issued_listeners()->failures(), 0u);
  Status s = ctx_->store->Read([&](store::Tx& tx) -> Status {
    EXPECT_EQ(*tx.credentials().CountByOrg(org_), 21);
    return OkStatus();
  });
  EXPECT_TRUE(s.ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, BulkTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         [](const auto& info) {
                           return info.param == Backend::kSqlite ? "Sqlite"
                                                                 : "Postgres";
                         });

}  // namespace
}  // namespace credstack::app
