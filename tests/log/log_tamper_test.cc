// Tamper tests: someone with write access to the database edits, deletes or
// reorders stored leaves, rolls the log back or forks it. `credstack log
// verify` (AuditLog), `credstack log monitor` (CheckAdvance against its last
// trusted checkpoint) and the verifier (LogChecker requiring the "logged"
// check, with a witness) each detect it. The tampering is done with the
// sqlite3 command-line tool, as an attacker would (triggers dropped).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "credstack/app/log_audit.h"
#include "credstack/app/log_checker.h"
#include "credstack/app/log_monitor.h"
#include "credstack/app/log_service.h"
#include "credstack/app/status_log_test_util.h"
#include "credstack/tlog/checkpoint.h"
#include "credstack/tlog/cosignature.h"

namespace credstack::app {
namespace {

using testing::TempDir;

constexpr std::string_view kOrigin = "badges.example.edu/log";

bool HaveSqlite3() { return std::system("sqlite3 -version > /dev/null 2>&1") == 0; }

void Sql(const std::string& db, const std::string& sql) {
  std::string cmd = "sqlite3 '" + db + "' \"" + sql + "\"";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

std::string HexBlob(ByteView b) { return "X'" + HexEncode(b) + "'"; }

class TamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveSqlite3()) GTEST_SKIP() << "sqlite3 command-line tool not installed";
    ctx_ = testing::MakeContext(dir_, clock_);
    CREDSTACK_TEST_OK(testing::CreateOrg(*ctx_->store, "acme"));
    log_ = MakeLog(ctx_->store);
    for (int i = 0; i < 20; ++i) creds_.push_back(*testing::IssueForTest(*ctx_, "acme", i));
    ASSERT_TRUE(log_->IntegrateOnce(10).ok());
    ASSERT_TRUE(log_->IntegrateOnce(10).ok());
    Sql(db(), "VACUUM INTO '" + dir_.file("backup20.db") + "'");  // a copy at size 20
    for (int i = 20; i < 40; ++i) creds_.push_back(*testing::IssueForTest(*ctx_, "acme", i));
    CREDSTACK_TEST_OK(log_->IntegrateAll());
    // A monitor trusts checkpoint 40; a witness cosigned it.
    monitor_state_ = *log_->LatestCheckpoint();
    const tlog::NoteSigner* ws[] = {&witness_};
    ASSERT_TRUE(log_->AddCosignatures(*tlog::AddSignatures(*tlog::ParseNote(monitor_state_), ws)).ok());
    ASSERT_TRUE(Audit(*ctx_->store).ok());
    ASSERT_TRUE(Logged(log_, 7).ok) << Logged(log_, 7).detail;
    ASSERT_TRUE(Logged(log_, 30).ok);
  }

  std::string db() const { return dir_.file("credstack.db"); }

  std::shared_ptr<LogService> MakeLog(std::shared_ptr<store::Store> s) {
    LogServiceOptions o;
    o.origin = std::string(kOrigin);
    o.witness_keys = {witness_.verifier_key()};
    auto key = std::make_unique<tlog::Ed25519NoteSigner>(std::string(kOrigin), log_key_);
    auto log = LogService::Create(std::move(s), std::move(key), o, clock_);
    EXPECT_TRUE(log.ok());
    return std::shared_ptr<LogService>(std::move(*log));
  }

  std::shared_ptr<store::Store> OpenAt(const std::string& path) {
    auto s = store::OpenStore("sqlite://" + path);
    EXPECT_TRUE(s.ok());
    return std::shared_ptr<store::Store>(std::move(*s));
  }

  // `credstack log verify` with the monitor's checkpoint as known state.
  LogAuditReport Audit(store::Store& s, bool with_known = true) {
    tlog::Ed25519NoteVerifier key(std::string(kOrigin), log_key_.public_key());
    LogAuditOptions o{.log_key = &key};
    if (with_known) o.known_checkpoints = {monitor_state_};
    auto r = AuditLog(s, o);
    EXPECT_TRUE(r.ok());
    return *r;
  }

  // `credstack log monitor`: the log's latest checkpoint against the state.
  AdvanceKind Monitor(const std::shared_ptr<LogService>& log) {
    tlog::Ed25519NoteVerifier key(std::string(kOrigin), log_key_.public_key());
    auto latest = log->LatestCheckpoint();
    EXPECT_TRUE(latest.ok());
    auto adv = CheckAdvance(monitor_state_, *latest, key, [&](uint64_t a, uint64_t b) {
      return log->ProveConsistency(a, b).has_value()
                 ? Result<std::vector<tlog::Hash>>(log->ProveConsistency(a, b)->proof)
                 : Result<std::vector<tlog::Hash>>(log->ProveConsistency(a, b).status());
    });
    EXPECT_TRUE(adv.ok()) << adv.error().message();
    return adv->kind;
  }

  // The verifier, requiring the logged check and one witness.
  vc::Check Logged(const std::shared_ptr<LogService>& log, int i) {
    LogCheckerOptions o;
    EXPECT_TRUE(o.trusted.AddKey(tlog::Ed25519NoteVerifier(std::string(kOrigin), log_key_.public_key())
                                     .verifier_key())
                    .ok());
    std::vector<std::string> w = {witness_.verifier_key()};
    o.trusted.witnesses = *tlog::WitnessPolicy::Create(w, 1);
    o.required = true;
    o.sources.push_back(std::make_shared<LocalLogProofSource>(log));
    return LogChecker(o).CheckLogged(creds_[i].credential.as_object(),
                                     vc::VerifyOptions::Default(clock_));
  }

  TempDir dir_;
  FixedClock clock_{Timestamp::FromUnixSeconds(1'750'000'000)};
  crypto::Ed25519KeyPair log_key_ = crypto::Ed25519KeyPair::FromSeed(crypto::Sha256("tamper-log"));
  tlog::CosignatureSigner witness_{"witness.example",
                                   crypto::Ed25519KeyPair::FromSeed(crypto::Sha256("tamper-w")),
                                   clock_};
  std::shared_ptr<AppContext> ctx_;
  std::shared_ptr<LogService> log_;
  std::vector<testing::IssuedForTest> creds_;
  std::string monitor_state_;
};

bool Mentions(const LogAuditReport& r, std::string_view text) {
  for (const std::string& p : r.problems) {
    if (p.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST_F(TamperTest, EditedLeaf) {
  Sql(db(), "DROP TRIGGER log_entries_append_only; UPDATE log_entries SET leaf_data = "
            "CAST(replace(CAST(leaf_data AS TEXT), '2025-', '2024-') AS BLOB) WHERE seq = 7;");
  LogAuditReport audit = Audit(*ctx_->store);
  EXPECT_TRUE(Mentions(audit, "entry 7 was altered")) << audit.Summary();
  vc::Check c = Logged(MakeLog(ctx_->store), 7);
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.detail.find("does not verify"), std::string::npos) << c.detail;
  // The published tree itself is intact until someone re-signs (next test).
  EXPECT_EQ(Monitor(MakeLog(ctx_->store)), AdvanceKind::kUnchanged);
}

TEST_F(TamperTest, EditedLeafWithRewrittenHistory) {
  // An attacker with the database and the log key edits leaf 7, fixes its
  // hash and rebuilds and re-signs the whole tree.
  auto ev = DecodeLogLeaf(EncodeLogLeaf({.type = LogEventType::kIssued,
                                         .credential_hash = creds_[7].hash,
                                         .issuer = "did:example:forged",
                                         .time = clock_.Now()}));
  Bytes leaf = EncodeLogLeaf(*ev);
  tlog::Hash h = tlog::HashLeaf(leaf);
  Sql(db(), "DROP TRIGGER log_entries_append_only; UPDATE log_entries SET leaf_data = " +
                HexBlob(leaf) + ", leaf_hash = " + HexBlob(h) +
                " WHERE seq = 7; DELETE FROM log_cosignatures; DELETE FROM log_checkpoints; "
                "DELETE FROM log_tiles; DELETE FROM log_credential_index; "
                "UPDATE log_integration SET size = 0, state = x'';");
  auto rewritten = MakeLog(ctx_->store);
  CREDSTACK_TEST_OK(rewritten->IntegrateAll());
  // Storage is self-consistent now; only the monitor's memory shows the
  // fork, and the log verify run given that checkpoint.
  EXPECT_TRUE(Audit(*ctx_->store, /*with_known=*/false).ok());
  LogAuditReport audit = Audit(*ctx_->store);
  EXPECT_TRUE(Mentions(audit, "FORK: two checkpoints of size 40")) << audit.Summary();
  EXPECT_EQ(Monitor(rewritten), AdvanceKind::kFork);
  vc::Check c = Logged(rewritten, 3);  // no witness cosigned the new tree
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.detail.find("witness cosignatures"), std::string::npos) << c.detail;
}

TEST_F(TamperTest, DeletedLeaf) {
  Sql(db(), "DROP TRIGGER log_entries_no_delete; DELETE FROM log_credential_index WHERE seq = 7; "
            "DELETE FROM log_entries WHERE seq = 7;");
  LogAuditReport audit = Audit(*ctx_->store);
  EXPECT_TRUE(Mentions(audit, "entry 7 is missing")) << audit.Summary();
  EXPECT_TRUE(Mentions(audit, "has no issued leaf")) << audit.Summary();
  vc::Check c = Logged(MakeLog(ctx_->store), 7);
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.detail.find("NOT LOGGED"), std::string::npos) << c.detail;
}

TEST_F(TamperTest, ReorderedLeaves) {
  Sql(db(), "DROP TRIGGER log_entries_append_only; "
            "UPDATE log_entries SET seq = 1000000 WHERE seq = 3; "
            "UPDATE log_entries SET seq = 3 WHERE seq = 4; "
            "UPDATE log_entries SET seq = 4 WHERE seq = 1000000;");
  LogAuditReport audit = Audit(*ctx_->store);
  EXPECT_TRUE(Mentions(audit, "does not match the tree recomputed")) << audit.Summary();
  EXPECT_TRUE(Mentions(audit, "differs from the tree recomputed")) << audit.Summary();
  vc::Check c = Logged(MakeLog(ctx_->store), 3);
  EXPECT_FALSE(c.ok) << c.detail;
}

TEST_F(TamperTest, RolledBack) {
  auto old = OpenAt(dir_.file("backup20.db"));
  auto old_log = MakeLog(old);
  LogAuditReport audit = Audit(*old);
  EXPECT_TRUE(Mentions(audit, "ROLLBACK")) << audit.Summary();
  EXPECT_EQ(Monitor(old_log), AdvanceKind::kRollback);
  vc::Check c = Logged(old_log, 30);
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.detail.find("NOT LOGGED"), std::string::npos) << c.detail;
}

TEST_F(TamperTest, Forked) {
  // From the copy at size 20, other entries take the place of 20..39 and
  // the tree is signed with the log key.
  auto fork_ctx = std::make_shared<AppContext>(*ctx_);
  fork_ctx->store = OpenAt(dir_.file("backup20.db"));
  for (int i = 100; i < 125; ++i) ASSERT_TRUE(testing::IssueForTest(*fork_ctx, "acme", i).ok());
  auto fork_log = MakeLog(fork_ctx->store);
  CREDSTACK_TEST_OK(fork_log->IntegrateAll());
  EXPECT_EQ(Monitor(fork_log), AdvanceKind::kFork);
  LogAuditReport audit = Audit(*fork_ctx->store);
  EXPECT_TRUE(Mentions(audit, "known checkpoint of size 40 does not match")) << audit.Summary();
  EXPECT_FALSE(Logged(fork_log, 30).ok);
  EXPECT_FALSE(Logged(fork_log, 5).ok);  // the forked checkpoint has no witness
}

}  // namespace
}  // namespace credstack::app
