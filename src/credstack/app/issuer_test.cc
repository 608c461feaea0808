// The issuer application on both store backends: organizations and keys,
// DID documents, achievements, issuance (idempotency, status allocation,
// log leaves), key rotation.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "credstack/app/issuer_services.h"
#include "credstack/app/log_leaf.h"
#include "credstack/app/testing/test_store.h"
#include "credstack/app/verification.h"
#include "credstack/crypto/ed25519.h"
#include "credstack/ld/context_store.h"
#include "credstack/tlog/merkle.h"
#include "credstack/vc/open_badges.h"

namespace credstack::app {
namespace {

using testing::Backend;

json::Object AchievementBody(std::string name = "Data Analysis") {
  Result<json::Value> v = json::Parse(R"({
    "name": ")" + name + R"(",
    "description": "Analyses data sets",
    "criteria": {"narrative": "Pass the assessment"},
    "achievementType": "Competency",
    "creditsAvailable": 2,
    "alignment": [{"targetName": "analyse data",
                   "targetUrl": "http://data.europa.eu/esco/skill/3f4e0ba2-2e2b-4b33-8b0f-c1b2c2a0a6a2",
                   "targetFramework": "ESCO", "targetType": "ext:ESCO"}]
  })");
  return v->as_object();
}

class IssuerTest : public ::testing::TestWithParam<Backend> {
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
    ctx_->clock = &clock_;
    ctx_->rng = &crypto::SecureRng::Instance();
    ctx_->suite = vc::MakeSuiteOptions(ld::ContextStore::Bundled());
    crypto::SecretBoxKey key{};
    key[0] = 7;
    auto services = CreateIssuerServices(
        ctx_,
        IssuerServicesOptions{.master_key = std::make_shared<MasterKey>(key),
                              .status = {.list_size = 64}});
    ASSERT_TRUE(services.ok()) << services.status().ToString();
    s_ = *services;
  }

  CreatedOrganization MakeOrg(std::string slug) {
    json::Object body;
    body["name"] = "Org " + slug;
    body["slug"] = slug;
    body["url"] = "https://" + slug + ".example";
    auto org = s_->orgs->Create(body, "test");
    EXPECT_TRUE(org.ok()) << org.status().ToString();
    return *org;
  }

  vc::VerificationReport Verify(const json::Value& credential) {
    VerificationServiceOptions o;
    o.clock = &clock_;
    o.resolver = s_->documents;
    VerificationService v(std::move(o));
    return v.VerifyCredential(credential);
  }

  static bool CheckOk(const vc::VerificationReport& r, std::string_view name) {
    const vc::Check* c = r.Find(name);
    return c != nullptr && c->ok;
  }

  FixedClock clock_{*ParseDateTime("2026-03-01T10:00:00Z")};
  std::unique_ptr<testing::TestDatabase> db_;
  std::shared_ptr<AppContext> ctx_;
  std::shared_ptr<IssuerServices> s_;
};

TEST_P(IssuerTest, CreatesOrganizationWithKeyAndAdminApiKey) {
  CreatedOrganization org = MakeOrg("acme");
  EXPECT_EQ(org.issuer_did, "did:web:badges.example.edu:issuers:acme");
  EXPECT_EQ(org.admin_key.key.role, store::ApiKeyRole::kAdmin);
  EXPECT_EQ(org.admin_key.secret.rfind("csk_", 0), 0u);
  // Only the hash is stored.
  Status s = ctx_->store->Read([&](store::Tx& tx) -> Status {
    auto k =
        tx.api_keys().FindBySecretHash(crypto::Sha256(org.admin_key.secret));
    EXPECT_TRUE(k.ok());
    EXPECT_EQ(k->org_id, org.org.id);
    return OkStatus();
  });
  EXPECT_TRUE(s.ok());
  // Slug taken.
  json::Object dup;
  dup["name"] = "Other";
  dup["slug"] = "acme";
  EXPECT_EQ(s_->orgs->Create(dup, "t").status().code(), Code::kAlreadyExists);
  // Bad profile fields name the member.
  json::Object bad;
  bad["name"] = "X";
  bad["email"] = "not-an-email";
  auto r = s_->orgs->Create(bad, "t");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("$.email"), std::string::npos);
}

TEST_P(IssuerTest, DidDocumentListsActiveAndRetiredKeys) {
  CreatedOrganization org = MakeOrg("acme");
  auto doc = s_->documents->Resolve(org.issuer_did);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const json::Object& d = (*doc)->as_object();
  EXPECT_EQ(d.at("id").as_string(), org.issuer_did);
  ASSERT_EQ(d.at("verificationMethod").as_array().size(), 1u);
  EXPECT_EQ(d.at("assertionMethod").as_array()[0].as_string(),
            org.issuer_did + "#key-1");
  auto rotated = s_->keys->Rotate(org.org.id, "test");
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  EXPECT_EQ(rotated->verification_method, org.issuer_did + "#key-2");
  s_->documents->Invalidate();
  doc = s_->documents->Resolve(
      "https://badges.example.edu/issuers/acme/did.json");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)->as_object().at("verificationMethod").as_array().size(), 2u);
  auto signer = s_->keys->ActiveSigner(org.org.id);
  ASSERT_TRUE(signer.ok());
  EXPECT_EQ(signer->verification_method, org.issuer_did + "#key-2");
  EXPECT_EQ(s_->documents->Resolve("did:web:badges.example.edu:issuers:nobody")
                .status()
                .code(),
            Code::kNotFound);
  EXPECT_EQ(s_->documents->Resolve("did:web:elsewhere.example").status().code(),
            Code::kNotFound);
}

TEST_P(IssuerTest, DidKeyIssuerIsIdempotent) {
  CreatedOrganization org = MakeOrg("acme");
  auto did = s_->keys->EnableDidKey(org.org.id);
  ASSERT_TRUE(did.ok()) << did.status().ToString();
  EXPECT_EQ(did->rfind("did:key:z6Mk", 0), 0u);
  EXPECT_EQ(*s_->keys->EnableDidKey(org.org.id), *did);
  auto signer = s_->keys->DidKeySigner(org.org.id);
  ASSERT_TRUE(signer.ok());
  EXPECT_EQ(signer->controller, *did);
}

TEST_P(IssuerTest, AchievementsAreValidatedAndVersioned) {
  CreatedOrganization org = MakeOrg("acme");
  auto v1 = s_->achievements->Create(org.org.id, AchievementBody(), "t");
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  EXPECT_EQ(v1->version, 1);
  auto v2 = s_->achievements->Update(org.org.id, v1->achievement_id,
                                     AchievementBody("Data Analysis II"), "t");
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->version, 2);
  auto a1 = json::Parse(v1->achievement_json);
  auto a2 = json::Parse(v2->achievement_json);
  EXPECT_EQ(a1->as_object().at("id"), a2->as_object().at("id"));
  auto latest = s_->achievements->Get(org.org.id, v1->achievement_id, {});
  EXPECT_EQ(latest->version, 2);

  json::Object unknown = AchievementBody();
  unknown["hours"] = 3;
  auto r = s_->achievements->Create(org.org.id, unknown, "t");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("$.hours"), std::string::npos);
  json::Object no_name = AchievementBody();
  no_name.erase("name");
  EXPECT_EQ(s_->achievements->Create(org.org.id, no_name, "t").status().code(),
            Code::kInvalidArgument);
  json::Object bad_alignment = AchievementBody();
  bad_alignment["alignment"] = json::Array{json::Object{{"targetName", "x"}}};
  EXPECT_EQ(
      s_->achievements->Create(org.org.id, bad_alignment, "t").status().code(),
      Code::kInvalidArgument);
  // Another organization cannot see it.
  CreatedOrganization other = MakeOrg("other");
  EXPECT_EQ(s_->achievements->Get(other.org.id, v1->achievement_id, {})
                .status()
                .code(),
            Code::kNotFound);
}

TEST_P(IssuerTest, IssuesSignedCredentialWithStatusAndLogLeaf) {
  CreatedOrganization org = MakeOrg("acme");
  auto ach = s_->achievements->Create(org.org.id, AchievementBody(), "t");
  ASSERT_TRUE(ach.ok());
  IssueRequest req{.org_id = org.org.id,
                   .achievement_id = ach->achievement_id,
                   .recipient = "Learner@Example.org"};
  auto issued = s_->issuance->Issue(req);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_TRUE(issued->created);
  const json::Object& vc = issued->credential.as_object();
  EXPECT_EQ(vc.at("issuer").as_object().at("id").as_string(), org.issuer_did);
  // The email is hashed, never stored or embedded in clear.
  EXPECT_EQ(issued->record.credential_json.find("learner@example.org"),
            std::string::npos);
  EXPECT_EQ(issued->record.recipient_kind, store::RecipientKind::kEmailHash);
  EXPECT_EQ(issued->record.recipient_identity.rfind("sha256$", 0), 0u);
  EXPECT_TRUE(vc::IdentityMatches(vc.at("credentialSubject")
                                      .as_object()
                                      .at("identifier")
                                      .as_array()[0]
                                      .as_object(),
                                  "learner@example.org"));
  // One revocation entry (OB 3.0 allows a single credentialStatus object).
  const json::Object& status = vc.at("credentialStatus").as_object();
  EXPECT_EQ(status.at("type").as_string(), "BitstringStatusListEntry");
  EXPECT_EQ(status.at("statusPurpose").as_string(), "revocation");
  EXPECT_EQ(
      std::string(status.at("statusListCredential").as_string()).substr(0, 34),
      "https://badges.example.edu/status/");
  // Signed with eddsa-rdfc-2022 by key-1, and the signature verifies
  // through our own did:web document.
  EXPECT_EQ(vc.at("proof").as_object().at("cryptosuite").as_string(),
            "eddsa-rdfc-2022");
  vc::VerificationReport report = Verify(issued->credential);
  EXPECT_TRUE(CheckOk(report, "proof")) << json::Serialize(report.ToJson());
  EXPECT_TRUE(CheckOk(report, "issuer")) << json::Serialize(report.ToJson());
  EXPECT_TRUE(CheckOk(report, "validity"));
  // Credential, allocations and log leaf are stored together.
  Status s = ctx_->store->Read([&](store::Tx& tx) -> Status {
    auto allocs = tx.status_lists().AllocationsForCredential(issued->record.id);
    EXPECT_EQ(allocs->size(), 1u);
    auto entries = tx.log().FindBySubject(issued->record.id);
    EXPECT_EQ(entries->size(), 1u);
    auto event = DecodeLogLeaf((*entries)[0].leaf_data);
    EXPECT_TRUE(event.ok());
    EXPECT_EQ(event->type, LogEventType::kIssued);
    EXPECT_EQ(event->issuer, org.issuer_did);
    EXPECT_EQ(event->credential_hash, *CredentialHash(issued->credential));
    tlog::Hash h = tlog::HashLeaf((*entries)[0].leaf_data);
    EXPECT_EQ(Bytes(h.begin(), h.end()), (*entries)[0].leaf_hash);
    return OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_P(IssuerTest, IdempotencyKeyIssuesExactlyOnceUnderConcurrency) {
  CreatedOrganization org = MakeOrg("acme");
  auto ach = s_->achievements->Create(org.org.id, AchievementBody(), "t");
  ASSERT_TRUE(ach.ok());
  IssueRequest req{.org_id = org.org.id,
                   .achievement_id = ach->achievement_id,
                   .recipient = "did:example:learner",
                   .idempotency_key = "order-17"};
  std::vector<std::string> ids(6);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < ids.size(); ++i) {
    threads.emplace_back([&, i] {
      auto r = s_->issuance->Issue(req);
      if (r.ok()) ids[i] = r->record.id;
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  Status s = ctx_->store->Read([&](store::Tx& tx) -> Status {
    EXPECT_EQ(*tx.credentials().CountByOrg(org.org.id), 1);
    EXPECT_EQ(*tx.log().Size(), 1);
    return OkStatus();
  });
  EXPECT_TRUE(s.ok());
  auto again = s_->issuance->Issue(req);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
}

TEST_P(IssuerTest, StatusIndexesAreDistinctAndNewListsAreCreatedWhenFull) {
  // list_size is 64 in this fixture: 100 credentials need two lists.
  CreatedOrganization org = MakeOrg("acme");
  auto ach = s_->achievements->Create(org.org.id, AchievementBody(), "t");
  ASSERT_TRUE(ach.ok());
  IssueRequest req{.org_id = org.org.id,
                   .achievement_id = ach->achievement_id,
                   .recipient = "did:example:learner",
                   .cryptosuite = "eddsa-jcs-2022"};
  std::set<std::string> entries;
  for (int i = 0; i < 100; ++i) {
    auto r = s_->issuance->Issue(req);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const json::Object& e =
        r->credential.as_object().at("credentialStatus").as_object();
    EXPECT_TRUE(entries.insert(std::string(e.at("id").as_string())).second);
  }
  EXPECT_EQ(entries.size(), 100u);
  Status s = ctx_->store->Read([&](store::Tx& tx) -> Status {
    auto lists = tx.status_lists().ListByOrg(org.org.id,
                                             store::StatusPurpose::kRevocation);
    EXPECT_EQ(lists->size(), 2u);
    return OkStatus();
  });
  EXPECT_TRUE(s.ok());
}

TEST_P(IssuerTest, RotationKeepsOldCredentialsVerifying) {
  CreatedOrganization org = MakeOrg("acme");
  auto ach = s_->achievements->Create(org.org.id, AchievementBody(), "t");
  ASSERT_TRUE(ach.ok());
  IssueRequest req{.org_id = org.org.id,
                   .achievement_id = ach->achievement_id,
                   .recipient = "did:example:learner"};
  auto before = s_->issuance->Issue(req);
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(s_->keys->Rotate(org.org.id, "t").ok());
  s_->documents->Invalidate();
  auto after = s_->issuance->Issue(req);
  ASSERT_TRUE(after.ok());
  auto vm = [](const json::Value& c) {
    return std::string(c.as_object()
                           .at("proof")
                           .as_object()
                           .at("verificationMethod")
                           .as_string());
  };
  EXPECT_EQ(vm(before->credential), org.issuer_did + "#key-1");
  EXPECT_EQ(vm(after->credential), org.issuer_did + "#key-2");
  for (const auto* c : {&before->credential, &after->credential}) {
    vc::VerificationReport r = Verify(*c);
    EXPECT_TRUE(CheckOk(r, "proof")) << json::Serialize(r.ToJson());
    EXPECT_TRUE(CheckOk(r, "issuer")) << json::Serialize(r.ToJson());
  }
  // Editing the achievement leaves issued credentials as they were.
  ASSERT_TRUE(s_->achievements
                  ->Update(org.org.id, ach->achievement_id,
                           AchievementBody("Renamed"), "t")
                  .ok());
  Status s = ctx_->store->Read([&](store::Tx& tx) -> Status {
    auto c = tx.credentials().Get(org.org.id, before->record.id);
    EXPECT_EQ(c->achievement_version, 1);
    EXPECT_EQ(c->credential_json, before->record.credential_json);
    return OkStatus();
  });
  EXPECT_TRUE(s.ok());
}

TEST_P(IssuerTest, RejectsBadIssueRequests) {
  CreatedOrganization org = MakeOrg("acme");
  auto ach = s_->achievements->Create(org.org.id, AchievementBody(), "t");
  ASSERT_TRUE(ach.ok());
  auto parse = [](std::string_view text) {
    return ParseIssueRequest(json::Parse(text)->as_object());
  };
  EXPECT_FALSE(parse(R"({"achievementId":"x"})").ok());
  EXPECT_FALSE(parse(R"({"recipient":"a@b.c","validFrom":"yesterday"})").ok());
  EXPECT_FALSE(parse(R"({"recipient":"a@b.c","surprise":1})").ok());
  EXPECT_FALSE(parse(R"({"recipient":"a@b.c","cryptosuite":"rsa"})").ok());
  IssueRequest bad{.org_id = org.org.id,
                   .achievement_id = ach->achievement_id,
                   .recipient = "not a recipient"};
  EXPECT_EQ(s_->issuance->Issue(bad).status().code(), Code::kInvalidArgument);
  IssueRequest missing{.org_id = org.org.id,
                       .achievement_id = "nope",
                       .recipient = "did:example:x"};
  EXPECT_EQ(s_->issuance->Issue(missing).status().code(), Code::kNotFound);
  IssueRequest dates{.org_id = org.org.id,
                     .achievement_id = ach->achievement_id,
                     .recipient = "did:example:x",
                     .valid_from = *ParseDateTime("2026-01-02T00:00:00Z"),
                     .valid_until = *ParseDateTime("2026-01-01T00:00:00Z")};
  EXPECT_EQ(s_->issuance->Issue(dates).status().code(), Code::kInvalidArgument);
}

TEST(Secrets, PrivateFilesAppearWholeAndAreNeverReplaced) {
  testing::TestDatabase tmp(Backend::kSqlite);
  ASSERT_EQ(tmp.Prepare(), "");
  std::string path = tmp.dir() + "/secret";
  // A crashed run of this process left its temporary file behind.
  std::string leftover = path + ".tmp." + std::to_string(::getpid());
  { std::ofstream(leftover) << "PARTIAL"; }
  ASSERT_TRUE(CreatePrivateFile(path, "whole secret\n").ok());
  EXPECT_EQ(*ReadPrivateFile(path, 1024), "whole secret\n");
  EXPECT_FALSE(std::filesystem::exists(leftover));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // A second writer loses and the first content stays.
  EXPECT_EQ(CreatePrivateFile(path, "other").code(), Code::kAlreadyExists);
  EXPECT_EQ(*ReadPrivateFile(path, 1024), "whole secret\n");
  // Only the file itself is left in the directory.
  size_t entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(tmp.dir())) {
    entries += e.path().filename().string().rfind("secret", 0) == 0;
  }
  EXPECT_EQ(entries, 1u);
}

TEST(Secrets, GeneratesPrivateMasterKeyAndRefusesReadableFiles) {
  testing::TestDatabase tmp(Backend::kSqlite);
  ASSERT_EQ(tmp.Prepare(), "");
  DeterministicRng rng(1);
  SecretSources src{.data_dir = tmp.dir()};
  auto first = LoadMasterKey(src, rng);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->origin, "generated");
  auto second = LoadMasterKey(src, rng);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->origin, "data-dir");
  EXPECT_EQ(first->key->key(), second->key->key());
  std::string path = tmp.dir() + "/wide.key";
  ASSERT_TRUE(CreatePrivateFile(path, std::string(64, 'a')).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  EXPECT_EQ(LoadMasterKey(SecretSources{.key_file = path}, rng).status().code(),
            Code::kPermissionDenied);
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  auto from_file = LoadMasterKey(SecretSources{.key_file = path}, rng);
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(from_file->key->key()[0], 0xaa);
  EXPECT_EQ(LoadMasterKey(SecretSources{.env_key = "abc"}, rng).status().code(),
            Code::kInvalidArgument);
  auto token = LoadOperatorToken(src, rng);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->origin, "generated");
  EXPECT_EQ(LoadOperatorToken(src, rng)->hash, token->hash);
}

INSTANTIATE_TEST_SUITE_P(Backends, IssuerTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         [](const auto& info) {
                           return info.param == Backend::kSqlite ? "Sqlite"
                                                                 : "Postgres";
                         });

}  // namespace
}  // namespace credstack::app
