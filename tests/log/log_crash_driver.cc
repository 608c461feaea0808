// Crash-test driver for the transparency log (tests/log/log_crash_test.sh).
//
//   log_crash_driver append DIR   issues credentials in batches (credential,
//                                 log leaf, one transaction each batch) while
//                                 the background integrator publishes
//                                 checkpoints; prints "committed <id>" after
//                                 each commit and copies every checkpoint it
//                                 sees to DIR/published/<size>.note. Runs
//                                 until killed.
//   log_crash_driver check DIR    after the crash: integrates what is left,
//                                 then audits the log against every published
//                                 checkpoint and checks that every committed
//                                 credential (ids on stdin) is stored and has
//                                 an issued leaf. Exit 0 when all holds.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

#include "credstack/app/log_audit.h"
#include "credstack/app/log_key.h"
#include "credstack/app/log_leaf.h"
#include "credstack/app/log_service.h"
#include "credstack/base/uuid.h"
#include "credstack/crypto/ed25519.h"
#include "credstack/crypto/sha.h"
#include "credstack/json/json.h"
#include "credstack/store/issuance.h"
#include "credstack/store/store.h"
#include "credstack/tlog/merkle.h"

namespace fs = std::filesystem;
using namespace credstack;

namespace {

constexpr std::string_view kOrigin = "crash.example/log";

Result<std::shared_ptr<store::Store>> Open(const std::string& dir) {
  CREDSTACK_ASSIGN_OR_RETURN(auto s, store::OpenStore("sqlite://" + dir + "/credstack.db"));
  return std::shared_ptr<store::Store>(std::move(s));
}

Result<std::shared_ptr<app::LogService>> Log(const std::string& dir,
                                             std::shared_ptr<store::Store> s) {
  CREDSTACK_ASSIGN_OR_RETURN(auto key, app::LoadOrCreateLogKey(dir + "/log-key", kOrigin, true));
  app::LogServiceOptions o;
  o.origin = std::string(kOrigin);
  o.batch_entries = 64;
  o.batch_interval = std::chrono::milliseconds(20);
  o.poll_interval = std::chrono::milliseconds(5);
  CREDSTACK_ASSIGN_OR_RETURN(auto log,
                             app::LogService::Create(std::move(s), std::move(key), o,
                                                     SystemClock::Instance()));
  return std::shared_ptr<app::LogService>(std::move(log));
}

int Append(const std::string& dir) {
  auto s = Open(dir);
  if (!s.ok()) return std::fprintf(stderr, "%s\n", s.error().message().c_str()), 2;
  Status org = (*s)->Transact([](store::Tx& tx) {
    Status st = tx.organizations().Insert(
        store::Organization{.id = "org", .slug = "org", .profile_json = "{}"});
    return st.code() == Code::kAlreadyExists ? OkStatus() : st;
  });
  if (!org.ok()) return std::fprintf(stderr, "%s\n", org.message().c_str()), 2;
  auto log = Log(dir, *s);
  if (!log.ok()) return std::fprintf(stderr, "%s\n", log.error().message().c_str()), 2;
  (*log)->Start();
  fs::create_directories(dir + "/published");
  std::thread publisher([log = *log, dir] {
    int64_t last = -1;
    while (true) {
      auto note = log->LatestCheckpoint();
      if (note.ok()) {
        auto first_nl = note->find('\n');
        int64_t size = std::stoll(note->substr(first_nl + 1, note->find('\n', first_nl + 1)));
        if (size != last) {
          std::string tmp = dir + "/published/tmp";
          std::ofstream(tmp) << *note;
          fs::rename(tmp, dir + "/published/" + std::to_string(size) + ".note");
          last = size;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
  });
  publisher.detach();
  auto& rng = crypto::SecureRng::Instance();
  while (true) {
    std::vector<store::IssueRecord> batch;
    int n = 1 + static_cast<int>(rng.Uniform(40));
    for (int i = 0; i < n; ++i) {
      std::string id = "urn:uuid:" + NewUuidV4(rng);
      json::Object c;
      c["id"] = id;
      c["issuer"] = "did:web:crash.example:issuers:org";
      json::Value doc(std::move(c));
      auto hash = app::CredentialHash(doc);
      std::string text = json::Serialize(doc);
      crypto::Sha256Digest content = crypto::Sha256(text);
      Bytes leaf = app::EncodeLogLeaf({.type = app::LogEventType::kIssued,
                                       .credential_hash = *hash,
                                       .issuer = "did:web:crash.example:issuers:org",
                                       .time = SystemClock::Instance().Now()});
      tlog::Hash lh = tlog::HashLeaf(leaf);
      store::IssueRecord r;
      r.credential = store::Credential{.id = id,
                                       .org_id = "org",
                                       .recipient_kind = store::RecipientKind::kOther,
                                       .recipient_identity = "x",
                                       .credential_json = text,
                                       .content_hash = Bytes(content.begin(), content.end()),
                                       .issued = SystemClock::Instance().Now()};
      r.log_entry = {.leaf_hash = Bytes(lh.begin(), lh.end()),
                     .leaf_data = std::move(leaf),
                     .subject = id,
                     .created = SystemClock::Instance().Now()};
      batch.push_back(std::move(r));
    }
    Status st = (*s)->Transact(
        [&](store::Tx& tx) { return store::IssueCredentialsTx(tx, batch).status(); });
    if (!st.ok()) return std::fprintf(stderr, "issue: %s\n", st.message().c_str()), 2;
    std::string out;
    for (const auto& r : batch) out += "committed " + r.credential.id + "\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  }
}

int Check(const std::string& dir) {
  auto s = Open(dir);
  if (!s.ok()) return std::fprintf(stderr, "%s\n", s.error().message().c_str()), 2;
  auto log = Log(dir, *s);
  if (!log.ok()) return std::fprintf(stderr, "%s\n", log.error().message().c_str()), 2;
  if (Status st = (*log)->IntegrateAll(); !st.ok()) {
    return std::fprintf(stderr, "integrate: %s\n", st.message().c_str()), 1;
  }
  app::LogAuditOptions o;
  tlog::Ed25519NoteVerifier key((*log)->signer().name(), (*log)->signer().key_pair().public_key());
  o.log_key = &key;
  size_t published = 0;
  if (fs::exists(dir + "/published")) {
    for (const auto& e : fs::directory_iterator(dir + "/published")) {
      if (e.path().extension() != ".note") continue;
      std::ifstream in(e.path());
      o.known_checkpoints.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      ++published;
    }
  }
  auto report = app::AuditLog(**s, o);
  if (!report.ok()) return std::fprintf(stderr, "audit: %s\n", report.error().message().c_str()), 1;
  for (const auto& p : report->problems) std::fprintf(stderr, "PROBLEM: %s\n", p.c_str());
  // Every credential the driver saw committed is stored (the audit already
  // checked each stored credential has an issued leaf).
  size_t committed = 0, missing = 0;
  std::string line;
  std::set<std::string> ids;
  while (std::getline(std::cin, line)) {
    if (line.rfind("committed ", 0) == 0) ids.insert(line.substr(10));
  }
  Status st = (*s)->Read([&](store::Tx& tx) -> Status {
    for (const std::string& id : ids) {
      ++committed;
      if (!tx.credentials().Get("org", id).ok()) ++missing;
    }
    return OkStatus();
  });
  if (!st.ok()) return 2;
  std::printf("%s; %zu published checkpoints matched; %zu committed credentials, %zu missing\n",
              report->Summary().c_str(), published, committed, missing);
  return report->ok() && missing == 0 && committed > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return std::fprintf(stderr, "usage: log_crash_driver append|check DIR\n"), 2;
  std::string mode = argv[1];
  if (mode == "append") return Append(argv[2]);
  if (mode == "check") return Check(argv[2]);
  return 2;
}
