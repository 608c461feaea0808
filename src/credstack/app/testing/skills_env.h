#pragma once

// A store-backed AppContext with the skills services for tests: a fresh
// SQLite database in a temporary directory (or a PostgreSQL schema), a
// fixed clock, deterministic randomness, and helpers to add organizations,
// achievements and did:key-signed Open Badges credentials. Linked only into
// tests.

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "credstack/app/app_context.h"
#include "credstack/app/learner_service.h"
#include "credstack/app/pathway_service.h"
#include "credstack/app/skills_service.h"
#include "credstack/app/verification.h"
#include "credstack/base/rng.h"
#include "credstack/base/time.h"
#include "credstack/crypto/ed25519.h"
#include "credstack/json/json.h"
#include "credstack/ld/context_store.h"
#include "credstack/store/store.h"
#include "credstack/vc/data_integrity.h"
#include "credstack/vc/open_badges.h"

namespace credstack::app::testing {

// A thread-safe deterministic Rng (services share one across threads).
class LockedRng final : public Rng {
 public:
  explicit LockedRng(uint64_t seed) : rng_(seed) {}
  void Fill(std::span<uint8_t> out) override {
    std::lock_guard<std::mutex> lock(mu_);
    rng_.Fill(out);
  }

 private:
  std::mutex mu_;
  DeterministicRng rng_;
};

class SkillsEnv {
 public:
  // location: empty for a fresh SQLite file; a postgres:// URL plus schema
  // for PostgreSQL.
  static Result<std::unique_ptr<SkillsEnv>> Create(
      std::string postgres_url = "", std::string postgres_schema = "") {
    auto env = std::unique_ptr<SkillsEnv>(new SkillsEnv());
    std::string location;
    store::StoreOptions options;
    if (postgres_url.empty()) {
      std::string tmpl =
          (std::filesystem::temp_directory_path() / "credstack-skills-XXXXXX")
              .string();
      if (mkdtemp(tmpl.data()) == nullptr) {
        return UnavailableError("mkdtemp failed");
      }
      env->dir_ = tmpl;
      location = "sqlite://" + tmpl + "/test.db";
      options.sqlite_synchronous = store::StoreOptions::Synchronous::kNormal;
    } else {
      location = postgres_url;
      options.postgres_schema = postgres_schema;
    }
    CREDSTACK_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> db,
                               store::OpenStore(location, options));
    auto ctx = std::make_shared<AppContext>();
    ctx->store = std::shared_ptr<store::Store>(std::move(db));
    CREDSTACK_ASSIGN_OR_RETURN(ctx->urls,
                               PublicUrls::Create("https://badges.example"));
    ctx->clock = &env->clock;
    ctx->rng = &env->rng;
    ctx->suite = vc::MakeSuiteOptions(ld::ContextStore::Bundled());
    env->ctx = ctx;
    return env;
  }

  ~SkillsEnv() {
    skills.reset();
    learners.reset();
    pathways.reset();
    ctx.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  // Builds the three services (after ctx is complete). `verifier` defaults
  // to a VerificationService over an empty resolver (did:key only).
  void StartServices(
      std::shared_ptr<const VerificationService> verifier = nullptr,
      AwardIssuer issuer = nullptr) {
    if (!verifier) {
      VerificationServiceOptions o;
      o.clock = &clock;
      verifier = std::make_shared<VerificationService>(std::move(o));
    }
    skills = std::make_shared<SkillsService>(ctx);
    learners = std::make_shared<LearnerService>(ctx, skills, verifier);
    pathways = std::make_shared<PathwayService>(ctx, skills, learners,
                                                std::move(issuer));
  }

  Status AddOrg(const std::string& id, const std::string& name) {
    return ctx->store->Transact([&](store::Tx& tx) {
      return tx.organizations().Insert(
          store::Organization{.id = id,
                              .slug = id,
                              .profile_json = json::Serialize(json::Object{
                                  {"type", "Profile"}, {"name", name}}),
                              .created = clock.Now()});
    });
  }

  // Stores an achievement (version 1) whose Achievement.id is `json_id`.
  Status AddAchievement(const std::string& org, const std::string& id,
                        json::Object achievement) {
    if (!achievement.contains("type"))
      achievement["type"] = json::Array{"Achievement"};
    if (!achievement.contains("description"))
      achievement["description"] = "test achievement";
    if (!achievement.contains("criteria"))
      achievement["criteria"] = json::Object{{"narrative", "pass"}};
    return ctx->store->Transact([&](store::Tx& tx) {
      return tx.achievements()
          .Create(store::AchievementVersion{
              .achievement_id = id,
              .org_id = org,
              .achievement_json = json::Serialize(achievement),
              .created = clock.Now()})
          .status();
    });
  }

  // An OB 3.0 credential for `recipient` (a DID or email) signed by a
  // did:key issuer (no status entry), as an uploaded foreign credential
  // would be.
  Result<json::Object> SignForeign(const json::Object& achievement,
                                   const std::string& recipient,
                                   const vc::Signer& signer) {
    CREDSTACK_ASSIGN_OR_RETURN(vc::Recipient r, vc::ParseRecipient(recipient));
    vc::CredentialInput in{
        .issuer = json::Object{{"id", signer.controller},
                               {"type", json::Array{"Profile"}},
                               {"name", "Foreign Academy"}},
        .achievement = achievement,
        .recipient = r,
        .valid_from = clock.Now()};
    CREDSTACK_ASSIGN_OR_RETURN(json::Object c,
                               vc::BuildOpenBadgeCredential(in, rng));
    return vc::AddProof(c, signer, vc::ProofOptions{.created = clock.Now()},
                        ctx->suite);
  }

  FixedClock clock{Timestamp::FromUnixSeconds(1'750'000'000)};
  LockedRng rng{42};
  std::shared_ptr<AppContext> ctx;
  std::shared_ptr<SkillsService> skills;
  std::shared_ptr<LearnerService> learners;
  std::shared_ptr<PathwayService> pathways;

 private:
  SkillsEnv() = default;
  std::string dir_;
};

}  // namespace credstack::app::testing
