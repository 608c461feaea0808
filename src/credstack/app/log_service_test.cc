#include "credstack/app/log_service.h"

#include <gtest/gtest.h>

#include <thread>

#include "credstack/app/log_audit.h"
#include "credstack/app/log_checker.h"
#include "credstack/app/log_monitor.h"
#include "credstack/app/status_log_test_util.h"
#include "credstack/tlog/checkpoint.h"
#include "credstack/tlog/proof.h"
#include "credstack/tlog/testing/reference.h"

namespace credstack::app {
namespace {

using testing::CreateOrg;
using testing::IssueForTest;
using testing::TempDir;

std::unique_ptr<tlog::Ed25519NoteSigner> LogKey(std::string name = "badges.example.edu/log") {
  return std::make_unique<tlog::Ed25519NoteSigner>(
      name, crypto::Ed25519KeyPair::FromSeed(crypto::Sha256("log-key:" + name)));
}

class LogServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = testing::MakeContext(dir_, clock_);
    CREDSTACK_TEST_OK(CreateOrg(*ctx_->store, "acme"));
    log_ = MakeLog();
  }

  std::shared_ptr<LogService> MakeLog(LogServiceOptions o = {}) {
    o.origin = "badges.example.edu/log";
    auto log = LogService::Create(ctx_->store, LogKey(), std::move(o), clock_);
    EXPECT_TRUE(log.ok()) << log.error().message();
    return std::shared_ptr<LogService>(std::move(*log));
  }

  std::vector<testing::IssuedForTest> IssueMany(int from, int n) {
    std::vector<testing::IssuedForTest> out;
    for (int i = from; i < from + n; ++i) {
      auto c = IssueForTest(*ctx_, "acme", i);
      EXPECT_TRUE(c.ok()) << c.error().message();
      out.push_back(std::move(*c));
    }
    return out;
  }

  tlog::Checkpoint Latest() {
    auto note = log_->LatestCheckpoint();
    EXPECT_TRUE(note.ok());
    tlog::Ed25519NoteVerifier v(log_->signer().name(), log_->signer().key_pair().public_key());
    auto opened = tlog::OpenCheckpoint(*note, log_->origin(), v);
    EXPECT_TRUE(opened.ok()) << opened.error().message();
    return opened->checkpoint;
  }

  TempDir dir_;
  FixedClock clock_{Timestamp::FromUnixSeconds(1'750'000'000)};
  std::shared_ptr<AppContext> ctx_;
  std::shared_ptr<LogService> log_;
};

TEST_F(LogServiceTest, IntegratesIntoSignedCheckpointsMatchingTheReference) {
  CREDSTACK_TEST_OK(log_->EnsureCheckpoint());
  EXPECT_EQ(Latest().size, 0u);
  EXPECT_EQ(Latest().root, tlog::EmptyRoot());
  auto creds = IssueMany(0, 300);
  auto r = log_->IntegrateOnce(100);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->old_size, 0);
  EXPECT_EQ(r->new_size, 100);
  CREDSTACK_TEST_OK(log_->IntegrateAll());
  tlog::Checkpoint cp = Latest();
  EXPECT_EQ(cp.size, 300u);
  // The root equals the RFC 9162 reference over the stored leaves.
  std::vector<Bytes> leaves;
  CREDSTACK_TEST_OK(ctx_->store->Read([&](store::Tx& tx) -> Status {
    for (int64_t i = 0; i < 300; i += 100) {
      auto e = tx.log().ReadEntries(i, 100);
      for (auto& x : *e) leaves.push_back(x.leaf_data);
    }
    // Tiles and entry bundles in the C2SP layout.
    auto tile = tx.log().GetTile("tile/0/000");
    EXPECT_TRUE(tile.ok() && tile->size() == 8192);
    auto partial = tx.log().GetTile("tile/0/001.p/44");
    EXPECT_TRUE(partial.ok() && partial->size() == 44 * 32);
    auto bundle = tx.log().GetTile("tile/entries/001.p/44");
    EXPECT_TRUE(bundle.ok());
    auto entries = tlog::ParseEntryBundle(*bundle);
    EXPECT_TRUE(entries.ok() && entries->size() == 44);
    return OkStatus();
  }));
  std::vector<tlog::Hash> hashes;
  for (const Bytes& l : leaves) hashes.push_back(tlog::HashLeaf(l));
  EXPECT_EQ(cp.root, tlog::testing::ReferenceRoot(hashes));
  // Inclusion proofs by credential hash, against the latest and an older
  // checkpoint.
  for (int i : {0, 1, 99, 100, 255, 256, 299}) {
    auto p = log_->ProveInclusion(creds[i].hash);
    ASSERT_TRUE(p.ok()) << p.error().message();
    EXPECT_EQ(p->leaf_index, static_cast<uint64_t>(i));
    CREDSTACK_TEST_OK(tlog::VerifyInclusion(p->leaf_index, p->tree_size, tlog::HashLeaf(p->leaf),
                                            p->proof, cp.root));
  }
  auto old = log_->ProveInclusion(creds[5].hash, 100);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->tree_size, 100u);
  EXPECT_EQ(log_->ProveInclusion(creds[150].hash, 100).status().code(), Code::kNotFound);
  // Consistency between the checkpoints.
  auto cp100 = log_->CheckpointAt(100);
  ASSERT_TRUE(cp100.ok());
  auto c = log_->ProveConsistency(100, 300);
  ASSERT_TRUE(c.ok());
  tlog::Checkpoint older = *tlog::ParseCheckpoint(tlog::ParseNote(*cp100)->text);
  CREDSTACK_TEST_OK(tlog::VerifyConsistency(100, 300, c->proof, older.root, cp.root));
  EXPECT_EQ(log_->ProveConsistency(100, 301).status().code(), Code::kNotFound);
  // The audit agrees with everything stored.
  tlog::Ed25519NoteVerifier v(log_->signer().name(), log_->signer().key_pair().public_key());
  auto audit = AuditLog(*ctx_->store, {.log_key = &v});
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(audit->ok()) << (audit->problems.empty() ? "" : audit->problems[0]);
  EXPECT_EQ(audit->credentials_checked, 300u);
  EXPECT_EQ(audit->checkpoints_checked, 3u);  // sizes 0, 100, 300
}

TEST_F(LogServiceTest, TwoIntegratorsRaceSafelyWhileEntriesArrive) {
  auto other = MakeLog();
  std::atomic<bool> done{false};
  auto integrate = [&](LogService& l) {
    while (!done) {
      auto r = l.IntegrateOnce(7);
      ASSERT_TRUE(r.ok()) << r.error().message();
    }
  };
  std::thread t1(integrate, std::ref(*log_));
  std::thread t2(integrate, std::ref(*other));
  IssueMany(0, 200);
  done = true;
  t1.join();
  t2.join();
  CREDSTACK_TEST_OK(log_->IntegrateAll());
  CREDSTACK_TEST_OK(other->IntegrateAll());
  EXPECT_EQ(Latest().size, 200u);
  auto audit = AuditLog(*ctx_->store);
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(audit->ok()) << (audit->problems.empty() ? "" : audit->problems[0]);
}

TEST_F(LogServiceTest, WitnessCosignaturesAreStoredAndServed) {
  tlog::CosignatureSigner witness("witness.example",
                                  crypto::Ed25519KeyPair::FromSeed(crypto::Sha256("w1")), clock_);
  tlog::CosignatureSigner stranger("stranger.example",
                                   crypto::Ed25519KeyPair::FromSeed(crypto::Sha256("w2")), clock_);
  LogServiceOptions o;
  o.witness_keys = {witness.verifier_key()};
  auto log = MakeLog(o);
  IssueMany(0, 10);
  CREDSTACK_TEST_OK(log->IntegrateAll());
  auto note = log->LatestCheckpoint();
  ASSERT_TRUE(note.ok());
  const tlog::NoteSigner* ws[] = {&witness};
  auto cosigned = tlog::AddSignatures(*tlog::ParseNote(*note), ws);
  ASSERT_TRUE(cosigned.ok());
  auto stored = log->AddCosignatures(*cosigned);
  ASSERT_TRUE(stored.ok()) << stored.error().message();
  EXPECT_EQ(*stored, 1u);
  const tlog::NoteSigner* ss[] = {&stranger};
  EXPECT_EQ(log->AddCosignatures(*tlog::AddSignatures(*tlog::ParseNote(*note), ss)).status().code(),
            Code::kPermissionDenied);
  // Served with the checkpoint; a verifier requiring 1 of 1 accepts it.
  auto served = log->LatestCheckpoint();
  ASSERT_TRUE(served.ok());
  std::vector<std::string> keys = {witness.verifier_key()};
  auto policy = tlog::WitnessPolicy::Create(keys, 1);
  ASSERT_TRUE(policy.ok());
  tlog::Ed25519NoteVerifier v(log->signer().name(), log->signer().key_pair().public_key());
  auto opened = tlog::OpenCosignedCheckpoint(*served, log->origin(), v, *policy);
  ASSERT_TRUE(opened.ok()) << opened.error().message();
  EXPECT_EQ(opened->cosignatures.size(), 1u);
}

TEST_F(LogServiceTest, LogCheckerAcceptsProofsAndRejectsForgeries) {
  auto creds = IssueMany(0, 20);
  CREDSTACK_TEST_OK(log_->IntegrateAll());
  auto absent = IssueForTest(*ctx_, "acme", 99);  // sequenced, not yet integrated
  ASSERT_TRUE(absent.ok());
  LogCheckerOptions o;
  CREDSTACK_TEST_OK(o.trusted.AddKey(log_->verifier_key()));
  o.sources.push_back(std::make_shared<LocalLogProofSource>(log_));
  LogChecker informational(o);
  o.required = true;
  LogChecker required(o);
  vc::VerifyOptions vo = vc::VerifyOptions::Default(clock_);
  vc::Check ok = required.CheckLogged(creds[7].credential.as_object(), vo);
  EXPECT_TRUE(ok.ok) << ok.detail;
  EXPECT_NE(ok.detail.find("leaf 7"), std::string::npos);
  vc::Check info = informational.CheckLogged(absent->credential.as_object(), vo);
  EXPECT_TRUE(info.ok);
  EXPECT_NE(info.detail.find("not logged (informational)"), std::string::npos);
  vc::Check missing = required.CheckLogged(absent->credential.as_object(), vo);
  EXPECT_FALSE(missing.ok);
  EXPECT_NE(missing.detail.find("NOT LOGGED"), std::string::npos);

  // A bundle round-trips through JSON; altered evidence never passes.
  auto bundle = LocalLogProofSource(log_).Find(creds[3].hash, creds[3].credential.as_object());
  ASSERT_TRUE(bundle.ok());
  auto round = LogBundle::FromJson(bundle->ToJson());
  ASSERT_TRUE(round.ok());
  std::string detail;
  CREDSTACK_TEST_OK(required.VerifyBundle(*round, creds[3].hash, "", &detail));
  EXPECT_FALSE(required.VerifyBundle(*round, creds[4].hash, "", &detail).ok());
  LogBundle bad = *round;
  bad.inclusion_proof[0][0] ^= 1;
  EXPECT_EQ(required.VerifyBundle(bad, creds[3].hash, "", &detail).code(), Code::kUnauthenticated);
  bad = *round;
  bad.leaf_index ^= 1;
  EXPECT_EQ(required.VerifyBundle(bad, creds[3].hash, "", &detail).code(), Code::kUnauthenticated);
  bad = *round;
  bad.checkpoint[bad.checkpoint.find('\n') + 1] ^= 1;  // size line
  EXPECT_FALSE(required.VerifyBundle(bad, creds[3].hash, "", &detail).ok());
  // A checkpoint signed by another key for the same origin.
  tlog::Ed25519NoteSigner impostor("badges.example.edu/log", crypto::Ed25519KeyPair::Generate());
  const tlog::NoteSigner* is[] = {&impostor};
  bad = *round;
  bad.checkpoint = *tlog::SignNote(tlog::ParseNote(round->checkpoint)->text, is);
  EXPECT_EQ(required.VerifyBundle(bad, creds[3].hash, "", &detail).code(), Code::kUnauthenticated);
  // Witnesses required but absent.
  tlog::CosignatureSigner w("w", crypto::Ed25519KeyPair::Generate(), clock_);
  LogCheckerOptions wo;
  CREDSTACK_TEST_OK(wo.trusted.AddKey(log_->verifier_key()));
  std::vector<std::string> wk = {w.verifier_key()};
  wo.trusted.witnesses = *tlog::WitnessPolicy::Create(wk, 1);
  LogChecker with_witness(wo);
  EXPECT_EQ(with_witness.VerifyBundle(*round, creds[3].hash, "", &detail).code(),
            Code::kUnauthenticated);
}

TEST_F(LogServiceTest, MonitorDetectsRollbackAndFork) {
  IssueMany(0, 5);
  CREDSTACK_TEST_OK(log_->IntegrateAll());
  std::string n5 = *log_->LatestCheckpoint();
  IssueMany(5, 5);
  CREDSTACK_TEST_OK(log_->IntegrateAll());
  std::string n10 = *log_->LatestCheckpoint();
  tlog::Ed25519NoteVerifier v(log_->signer().name(), log_->signer().key_pair().public_key());
  ConsistencyFn proofs = [&](uint64_t a, uint64_t b) -> Result<std::vector<tlog::Hash>> {
    CREDSTACK_ASSIGN_OR_RETURN(ConsistencyProofResult r, log_->ProveConsistency(a, b));
    return r.proof;
  };
  EXPECT_EQ(CheckAdvance("", n5, v, proofs)->kind, AdvanceKind::kFirst);
  EXPECT_EQ(CheckAdvance(n5, n10, v, proofs)->kind, AdvanceKind::kAdvanced);
  EXPECT_EQ(CheckAdvance(n10, n10, v, proofs)->kind, AdvanceKind::kUnchanged);
  EXPECT_EQ(CheckAdvance(n10, n5, v, proofs)->kind, AdvanceKind::kRollback);
  // A fork: the log key signs another tree of size 10.
  tlog::Checkpoint forged = *tlog::ParseCheckpoint(tlog::ParseNote(n10)->text);
  forged.root[0] ^= 1;
  const tlog::NoteSigner* ls[] = {&log_->signer()};
  std::string forked = *tlog::SignCheckpoint(forged, ls);
  EXPECT_EQ(CheckAdvance(n10, forked, v, proofs)->kind, AdvanceKind::kFork);
  EXPECT_EQ(CheckAdvance(n5, forked, v, proofs)->kind, AdvanceKind::kFork);
  tlog::Ed25519NoteVerifier other("badges.example.edu/log", crypto::Ed25519KeyPair::Generate().public_key());
  EXPECT_EQ(CheckAdvance(n5, n10, other, proofs).status().code(), Code::kUnauthenticated);
}

}  // namespace
}  // namespace credstack::app
