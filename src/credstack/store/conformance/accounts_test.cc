// Organizations, signing keys, API keys, achievements and the audit log.

#include <atomic>
#include <thread>

#include "credstack/store/conformance/conformance.h"
#include "credstack/store/internal/sql_store.h"

namespace credstack::store::testing {
namespace {

template <typename B>
using AccountsTest = StoreTest<B>;
TYPED_TEST_SUITE(AccountsTest, Backends, BackendNames);

TYPED_TEST(AccountsTest, OrganizationCrud) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(s.Transact(
      [](Tx& tx) { return tx.organizations().Insert(MakeOrg("o1")); }));
  CREDSTACK_ASSERT_OK(s.Transact(
      [](Tx& tx) { return tx.organizations().Insert(MakeOrg("o2")); }));
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(Organization o, tx.organizations().Get("o1"));
    EXPECT_EQ(o.slug, "slug-o1");
    EXPECT_EQ(o.profile_json, MakeOrg("o1").profile_json);
    EXPECT_EQ(o.created, T(1'700'000'000));
    CREDSTACK_ASSIGN_OR_RETURN(Organization by_slug,
                               tx.organizations().GetBySlug("slug-o2"));
    EXPECT_EQ(by_slug.id, "o2");
    EXPECT_EQ(tx.organizations().Get("nope").status().code(), Code::kNotFound);
    CREDSTACK_ASSIGN_OR_RETURN(auto all, tx.organizations().List("", 10));
    EXPECT_EQ(all.size(), 2u);
    CREDSTACK_ASSIGN_OR_RETURN(auto after, tx.organizations().List("o1", 10));
    EXPECT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].id, "o2");
    CREDSTACK_ASSIGN_OR_RETURN(auto one, tx.organizations().List("", 1));
    EXPECT_EQ(one.size(), 1u);
    return OkStatus();
  }));
  CREDSTACK_ASSERT_OK(s.Transact([](Tx& tx) {
    return tx.organizations().UpdateProfile("o1", R"({"name":"new"})");
  }));
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.organizations().UpdateProfile("nope", "{}");
             }).code(),
            Code::kNotFound);
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(Organization o, tx.organizations().Get("o1"));
    EXPECT_EQ(o.profile_json, R"({"name":"new"})");
    return OkStatus();
  }));
}

TYPED_TEST(AccountsTest, OrganizationIdAndSlugAreUnique) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(s.Transact(
      [](Tx& tx) { return tx.organizations().Insert(MakeOrg("o1")); }));
  Organization same_id = MakeOrg("o1");
  same_id.slug = "other";
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.organizations().Insert(same_id);
             }).code(),
            Code::kAlreadyExists);
  Organization same_slug = MakeOrg("o2");
  same_slug.slug = "slug-o1";
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.organizations().Insert(same_slug);
             }).code(),
            Code::kAlreadyExists);
}

SigningKey Key(std::string_view org, std::string_view id, int64_t at) {
  return SigningKey{
      .key_id = std::string(id),
      .org_id = std::string(org),
      .verification_method = "did:web:example.com#" + std::string(id),
      .public_key_multibase = "z6Mk" + std::string(id),
      .encrypted_private_key = Bytes{1, 2, 3, 0, 255},
      .created = T(at)};
}

TYPED_TEST(AccountsTest, SigningKeyRotation) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  CREDSTACK_ASSERT_OK(s.Transact(
      [](Tx& tx) { return tx.signing_keys().Insert(Key("o1", "k1", 10)); }));
  // A second active key is refused by the partial unique index.
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.signing_keys().Insert(Key("o1", "k2", 20));
             }).code(),
            Code::kAlreadyExists);
  std::string retired;
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(retired,
                               tx.signing_keys().Rotate(Key("o1", "k2", 20)));
    return OkStatus();
  }));
  EXPECT_EQ(retired, "k1");
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(SigningKey active,
                               tx.signing_keys().GetActive("o1"));
    EXPECT_EQ(active.key_id, "k2");
    EXPECT_TRUE(active.active());
    CREDSTACK_ASSIGN_OR_RETURN(SigningKey old,
                               tx.signing_keys().Get("o1", "k1"));
    EXPECT_FALSE(old.active());
    EXPECT_EQ(old.retired_at, T(20));
    EXPECT_EQ(old.encrypted_private_key, (Bytes{1, 2, 3, 0, 255}));
    CREDSTACK_ASSIGN_OR_RETURN(
        SigningKey by_vm,
        tx.signing_keys().FindByVerificationMethod("did:web:example.com#k1"));
    EXPECT_EQ(by_vm.key_id, "k1");
    CREDSTACK_ASSIGN_OR_RETURN(auto all, tx.signing_keys().ListByOrg("o1"));
    EXPECT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].key_id, "k1");
    EXPECT_EQ(tx.signing_keys().Get("o2", "k1").status().code(),
              Code::kNotFound);
    return OkStatus();
  }));
  // Rotation is atomic: a failing insert (duplicate key id) keeps k2 active.
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.signing_keys().Rotate(Key("o1", "k1", 30)).status();
             }).code(),
            Code::kAlreadyExists);
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(SigningKey active,
                               tx.signing_keys().GetActive("o1"));
    EXPECT_EQ(active.key_id, "k2");
    return OkStatus();
  }));
}

TYPED_TEST(AccountsTest, ConcurrentRotationsKeepOneActiveKey) {
  CREDSTACK_ASSERT_OK(SeedOrg(this->store(), "o1"));
  constexpr int kThreads = 4;
  std::vector<std::unique_ptr<Store>> nodes;
  for (int i = 0; i < kThreads; ++i) nodes.push_back(this->OpenAnother());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < 5; ++j) {
        std::string id = "k" + std::to_string(i) + "_" + std::to_string(j);
        Status st = nodes[i]->Transact([&](Tx& tx) {
          return tx.signing_keys().Rotate(Key("o1", id, 100 + j)).status();
        });
        if (st.ok()) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  CREDSTACK_ASSERT_OK(this->store().Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(auto keys, tx.signing_keys().ListByOrg("o1"));
    int active = 0;
    for (const SigningKey& k : keys) active += k.active() ? 1 : 0;
    EXPECT_EQ(active, 1);
    EXPECT_EQ(static_cast<int>(keys.size()), ok.load());
    return OkStatus();
  }));
  EXPECT_GT(ok.load(), 0);
}

TYPED_TEST(AccountsTest, ApiKeys) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  ApiKey key{.id = "ak1",
             .org_id = "o1",
             .role = ApiKeyRole::kIssuer,
             .secret_hash = Bytes(32, 7),
             .prefix = "cs_ab",
             .created = T(5)};
  CREDSTACK_ASSERT_OK(
      s.Transact([&](Tx& tx) { return tx.api_keys().Insert(key); }));
  ApiKey same_hash = key;
  same_hash.id = "ak2";
  EXPECT_EQ(s.Transact([&](Tx& tx) {
               return tx.api_keys().Insert(same_hash);
             }).code(),
            Code::kAlreadyExists);
  ApiKey bad_hash = key;
  bad_hash.id = "ak3";
  bad_hash.secret_hash = Bytes(5, 1);
  EXPECT_EQ(
      s.Transact([&](Tx& tx) { return tx.api_keys().Insert(bad_hash); }).code(),
      Code::kInvalidArgument);
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(ApiKey found,
                               tx.api_keys().FindBySecretHash(Bytes(32, 7)));
    EXPECT_EQ(found.id, "ak1");
    EXPECT_EQ(found.role, ApiKeyRole::kIssuer);
    EXPECT_EQ(found.prefix, "cs_ab");
    EXPECT_FALSE(found.revoked_at.has_value());
    EXPECT_EQ(tx.api_keys().FindBySecretHash(Bytes(32, 8)).status().code(),
              Code::kNotFound);
    return OkStatus();
  }));
  EXPECT_EQ(s.Transact([](Tx& tx) {
               return tx.api_keys().Revoke("other-org", "ak1", T(9));
             }).code(),
            Code::kNotFound);
  CREDSTACK_ASSERT_OK(s.Transact(
      [](Tx& tx) { return tx.api_keys().Revoke("o1", "ak1", T(9)); }));
  CREDSTACK_ASSERT_OK(s.Transact(
      [](Tx& tx) { return tx.api_keys().Revoke("o1", "ak1", T(99)); }));
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(auto keys, tx.api_keys().ListByOrg("o1"));
    EXPECT_EQ(keys.size(), 1u);
    EXPECT_EQ(keys[0].revoked_at, T(9));  // the first revocation stays
    return OkStatus();
  }));
}

TYPED_TEST(AccountsTest, AchievementVersionsAreImmutableAndConsecutive) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o2"));
  const std::string ach = AchId("o1");
  CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(
        AchievementVersion v2,
        tx.achievements().AddVersion("o1", ach, R"({"name":"v2"})", T(50)));
    EXPECT_EQ(v2.version, 2);
    return OkStatus();
  }));
  // Another organization cannot edit it.
  EXPECT_EQ(
      s.Transact([&](Tx& tx) {
         return tx.achievements().AddVersion("o2", ach, "{}", T(51)).status();
       }).code(),
      Code::kNotFound);
  EXPECT_EQ(
      s.Transact([&](Tx& tx) {
         return tx.achievements().Create(MakeAchievement("o1", ach)).status();
       }).code(),
      Code::kAlreadyExists);
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(AchievementVersion v1,
                               tx.achievements().GetVersion("o1", ach, 1));
    EXPECT_EQ(v1.achievement_json, MakeAchievement("o1", ach).achievement_json);
    CREDSTACK_ASSIGN_OR_RETURN(AchievementVersion latest,
                               tx.achievements().GetLatest("o1", ach));
    EXPECT_EQ(latest.version, 2);
    EXPECT_EQ(latest.achievement_json, R"({"name":"v2"})");
    EXPECT_EQ(tx.achievements().GetLatest("o2", ach).status().code(),
              Code::kNotFound);
    EXPECT_EQ(tx.achievements().GetVersion("o1", ach, 3).status().code(),
              Code::kNotFound);
    CREDSTACK_ASSIGN_OR_RETURN(auto versions,
                               tx.achievements().ListVersions("o1", ach));
    EXPECT_EQ(versions.size(), 2u);
    CREDSTACK_ASSIGN_OR_RETURN(auto latest_all,
                               tx.achievements().ListLatest("o1", "", 100));
    EXPECT_EQ(latest_all.size(), 1u);
    EXPECT_EQ(latest_all[0].version, 2);
    return OkStatus();
  }));
  // Concurrent editors on several nodes get consecutive versions.
  constexpr int kThreads = 4;
  constexpr int kEdits = 5;
  std::vector<std::unique_ptr<Store>> nodes;
  for (int i = 0; i < kThreads; ++i) nodes.push_back(this->OpenAnother());
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < kEdits; ++j) {
        CREDSTACK_EXPECT_OK(nodes[i]->Transact([&](Tx& tx) {
          return tx.achievements().AddVersion("o1", ach, "{}", T(60)).status();
        }));
      }
    });
  }
  for (auto& t : threads) t.join();
  CREDSTACK_ASSERT_OK(s.Read([&](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(auto versions,
                               tx.achievements().ListVersions("o1", ach));
    EXPECT_EQ(versions.size(), size_t{2 + kThreads * kEdits});
    for (size_t i = 0; i < versions.size(); ++i) {
      EXPECT_EQ(versions[i].version, static_cast<int64_t>(i + 1));
    }
    return OkStatus();
  }));
}

TYPED_TEST(AccountsTest, AchievementVersionRowsRefuseUpdates) {
  Store& s = this->store();
  CREDSTACK_ASSERT_OK(SeedOrg(s, "o1"));
  auto* sql = dynamic_cast<internal::SqlStore*>(&s);
  ASSERT_NE(sql, nullptr);
  Status st = sql->ExecScriptForTesting(
      "UPDATE achievement_versions SET achievement_json = 'x'");
  EXPECT_FALSE(st.ok());
  st = sql->ExecScriptForTesting("DELETE FROM achievement_versions");
  EXPECT_FALSE(st.ok());
}

TYPED_TEST(AccountsTest, AuditLog) {
  Store& s = this->store();
  for (int i = 0; i < 3; ++i) {
    CREDSTACK_ASSERT_OK(s.Transact([&](Tx& tx) {
      return tx.audit()
          .Append(AuditEvent{.org_id = i < 2 ? "o1" : "o2",
                             .actor = "apikey:ak1",
                             .action = "credential.revoke",
                             .target = "urn:uuid:" + std::to_string(i),
                             .details_json = R"({"reason":"x"})",
                             .created = T(i)})
          .status();
    }));
  }
  CREDSTACK_ASSERT_OK(s.Read([](Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(auto events, tx.audit().List("o1", 0, 100));
    EXPECT_EQ(events.size(), 2u);
    EXPECT_LT(events[0].id, events[1].id);
    EXPECT_EQ(events[1].target, "urn:uuid:1");
    EXPECT_EQ(events[0].details_json, R"({"reason":"x"})");
    CREDSTACK_ASSIGN_OR_RETURN(auto rest,
                               tx.audit().List("o1", events[0].id, 100));
    EXPECT_EQ(rest.size(), 1u);
    return OkStatus();
  }));
}

}  // namespace
}  // namespace credstack::store::testing
