#pragma once

// Test support for the status and log services: a temporary SQLite store, a
// SignerProvider double (one did:key per organization) and helpers that
// issue credentials the way the issuance service does (credential, status
// allocations and an "issued" leaf in one transaction).

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "credstack/app/app_context.h"
#include "credstack/app/log_leaf.h"
#include "credstack/crypto/sha.h"
#include "credstack/ld/context_store.h"
#include "credstack/store/issuance.h"
#include "credstack/store/store.h"
#include "credstack/tlog/merkle.h"
#include "credstack/vc/data_integrity.h"

namespace credstack::app::testing {

#define CREDSTACK_TEST_OK(expr)                                  \
  do {                                                           \
    ::credstack::Status _s = (expr);                             \
    ASSERT_TRUE(_s.ok()) << #expr << ": " << _s.message();       \
  } while (0)

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("credstack-sl-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_.string(); }
  std::string file(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// One deterministic did:key per organization.
class FakeSigners final : public SignerProvider {
 public:
  Result<vc::Signer> ActiveSigner(std::string_view org_id) const override {
    std::lock_guard lock(mu_);
    auto it = keys_.find(std::string(org_id));
    if (it == keys_.end()) {
      crypto::Ed25519Seed seed = crypto::Sha256("org-key:" + std::string(org_id));
      it = keys_.emplace(std::string(org_id), vc::Signer::ForDidKey(crypto::Ed25519KeyPair::FromSeed(seed)))
               .first;
    }
    return it->second;
  }

 private:
  mutable std::mutex mu_;
  mutable std::map<std::string, vc::Signer> keys_;
};

inline std::shared_ptr<AppContext> MakeContext(const TempDir& dir, const Clock& clock) {
  auto ctx = std::make_shared<AppContext>();
  auto s = store::OpenStore("sqlite://" + dir.file("credstack.db"));
  EXPECT_TRUE(s.ok()) << s.error().message();
  ctx->store = std::shared_ptr<store::Store>(std::move(*s));
  ctx->urls = *PublicUrls::Create("https://badges.example.edu");
  ctx->signers = std::make_shared<FakeSigners>();
  ctx->clock = &clock;
  ctx->suite = vc::MakeSuiteOptions(ld::ContextStore::Bundled());
  return ctx;
}

inline Status CreateOrg(store::Store& s, const std::string& org) {
  return s.Transact([&](store::Tx& tx) {
    return tx.organizations().Insert(store::Organization{
        .id = org, .slug = org, .profile_json = "{}", .created = Timestamp::FromUnixSeconds(1)});
  });
}

inline Status CreateList(store::Store& s, const std::string& org, const std::string& id,
                         store::StatusPurpose purpose, int64_t size = 131'072,
                         int64_t status_size = 1) {
  return s.Transact([&](store::Tx& tx) {
    return tx.status_lists().Create(store::StatusList{
        .id = id,
        .org_id = org,
        .purpose = purpose,
        .size = size,
        .status_size = status_size,
        .bits = Bytes(static_cast<size_t>((size * status_size + 7) / 8), 0),
        .created = Timestamp::FromUnixSeconds(1),
        .updated = Timestamp::FromUnixSeconds(1)});
  });
}

struct IssuedForTest {
  std::string id;
  json::Value credential;
  crypto::Sha256Digest hash{};
};

// Stores a credential of `org` (a plain signed VC 2.0 credential), its
// allocations and its "issued" leaf in one transaction.
inline Result<IssuedForTest> IssueForTest(const AppContext& ctx, const std::string& org, int n,
                                          std::vector<store::StatusAllocation> allocations = {},
                                          json::Value status = nullptr) {
  CREDSTACK_ASSIGN_OR_RETURN(vc::Signer signer, ctx.signers->ActiveSigner(org));
  IssuedForTest out;
  char uuid[40];
  std::snprintf(uuid, sizeof(uuid), "00000000-0000-4000-8000-%012d", n);
  out.id = std::string("urn:uuid:") + uuid;
  json::Object c;
  c["@context"] = json::Array{json::Value("https://www.w3.org/ns/credentials/v2")};
  c["id"] = out.id;
  c["type"] = json::Array{json::Value("VerifiableCredential")};
  c["issuer"] = signer.controller;
  c["validFrom"] = "2025-01-01T00:00:00Z";
  json::Object subject;
  subject["id"] = "did:example:learner" + std::to_string(n);
  c["credentialSubject"] = std::move(subject);
  if (!status.is_null()) c["credentialStatus"] = status;
  vc::ProofOptions po;
  po.created = Timestamp::FromUnixSeconds(1'735'689'600);
  CREDSTACK_ASSIGN_OR_RETURN(json::Object signed_doc, vc::AddProof(c, signer, po, ctx.suite));
  out.credential = json::Value(std::move(signed_doc));
  CREDSTACK_ASSIGN_OR_RETURN(out.hash, CredentialHash(out.credential));
  Bytes leaf = EncodeLogLeaf(LogEvent{.type = LogEventType::kIssued,
                                      .credential_hash = out.hash,
                                      .issuer = signer.controller,
                                      .time = ctx.clock->Now()});
  tlog::Hash lh = tlog::HashLeaf(leaf);
  std::string text = json::Serialize(out.credential);
  crypto::Sha256Digest content = crypto::Sha256(text);
  store::IssueRecord rec;
  rec.credential = store::Credential{.id = out.id,
                                     .org_id = org,
                                     .recipient_kind = store::RecipientKind::kOther,
                                     .recipient_identity = "test",
                                     .credential_json = text,
                                     .content_hash = Bytes(content.begin(), content.end()),
                                     .issued = ctx.clock->Now()};
  rec.allocations = std::move(allocations);
  rec.log_entry = store::NewLogEntry{.leaf_hash = Bytes(lh.begin(), lh.end()),
                                     .leaf_data = std::move(leaf),
                                     .subject = out.id,
                                     .created = ctx.clock->Now()};
  CREDSTACK_RETURN_IF_ERROR(ctx.store->Transact([&](store::Tx& tx) -> Status {
    return store::IssueCredentialTx(tx, rec).status();
  }));
  return out;
}

}  // namespace credstack::app::testing
