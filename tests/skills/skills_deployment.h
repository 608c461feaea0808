#pragma once

// A complete in-process deployment for the skills end-to-end tests: the
// store (SQLite or PostgreSQL), the issuer services (keys, organizations,
// achievements, IssuanceService), the verification pipeline over our own
// documents, and the skills, learner and pathway services wired the way
// `credstack serve` wires them.
//
// Status lists: until the status-list publisher of issue 5 is on main, the
// deployment publishes each list as a signed BitstringStatusListCredential
// from the store's bits here (never cached, so a revocation is seen at
// once). Revocation in the tests flips the bit through the store's
// StatusListRepository::SetStatus.

#include <memory>
#include <string>

#include "credstack/app/issuer_services.h"
#include "credstack/app/testing/test_store.h"
#include "credstack/app/verification.h"
#include "credstack/base/rng.h"
#include "credstack/base/time.h"
#include "credstack/crypto/ed25519.h"
#include "credstack/ld/context_store.h"
#include "credstack/server/skills_routes.h"
#include "credstack/status/encoded_list.h"
#include "credstack/status/status_checker.h"
#include "credstack/status/status_list.h"
#include "credstack/vc/data_integrity.h"

namespace credstack::skills_testing {

class Deployment {
 public:
  // Empty when ready; otherwise why not (skip).
  std::string Start(app::testing::Backend backend,
                    const Clock* clock = nullptr) {
    db_ = std::make_unique<app::testing::TestDatabase>(backend);
    std::string why = db_->Prepare();
    if (!why.empty()) return why;
    auto store = db_->Open();
    if (!store.ok()) return "FAIL: " + store.status().ToString();
    ctx = std::make_shared<app::AppContext>();
    ctx->store = std::shared_ptr<store::Store>(std::move(*store));
    ctx->urls = *app::PublicUrls::Create("https://badges.example.edu");
    if (clock) ctx->clock = clock;
    ctx->rng = &crypto::SecureRng::Instance();
    ctx->suite = vc::MakeSuiteOptions(ld::ContextStore::Bundled());
    crypto::SecretBoxKey key{};
    key[0] = 9;
    auto services = app::CreateIssuerServices(
        ctx, app::IssuerServicesOptions{
                 .master_key = std::make_shared<app::MasterKey>(key)});
    if (!services.ok()) return "FAIL: " + services.status().ToString();
    issuer = *services;
    PublishStatusLists();
    app::VerificationServiceOptions vo;
    vo.clock = ctx->clock;
    vo.resolver = ctx->documents;
    // A revocation must show at once (the server would invalidate the
    // checker's cache when its own lists change).
    status_checker = std::make_shared<status::BitstringStatusChecker>(
        status::StatusCheckerOptions{.default_ttl_ms = 0});
    vo.status_checker = status_checker;
    verifier = std::make_shared<app::VerificationService>(std::move(vo));
    return "";
  }

  // The skills services as `credstack serve` builds them, the pathway
  // service listening to every credential issuer->issuance issues (single
  // and bulk).
  void StartSkills() {
    skills.skills = std::make_shared<app::SkillsService>(ctx);
    skills.learners = std::make_shared<app::LearnerService>(
        ctx, skills.skills, verifier);
    skills.pathways = std::make_shared<app::PathwayService>(
        ctx, skills.skills, skills.learners,
        server::IssueAwardsWith(issuer->issuance));
    server::ListenForIssuedCredentials(*issuer->issuance, skills.pathways);
  }

  std::shared_ptr<app::AppContext> ctx;
  std::shared_ptr<app::IssuerServices> issuer;
  std::shared_ptr<app::VerificationService> verifier;
  std::shared_ptr<status::BitstringStatusChecker> status_checker;
  server::SkillsServices skills;

 private:
  void PublishStatusLists() {
    // Weak: ctx owns the resolver that holds this source.
    std::weak_ptr<app::AppContext> weak_ctx = ctx;
    const std::string prefix = ctx->urls.StatusListUrl("");
    ctx->documents->AddSource(
        prefix,
        [weak_ctx, prefix](std::string_view url)
            -> Result<std::shared_ptr<const json::Value>> {
          std::shared_ptr<app::AppContext> c = weak_ctx.lock();
          if (!c) return UnavailableError("the deployment is gone");
          std::string list_id(url.substr(prefix.size()));
          store::StatusList list;
          store::Organization org;
          CREDSTACK_RETURN_IF_ERROR(c->store->Read([&](store::Tx& tx) -> Status {
            CREDSTACK_ASSIGN_OR_RETURN(list, tx.status_lists().Get(list_id));
            CREDSTACK_ASSIGN_OR_RETURN(org,
                                       tx.organizations().Get(list.org_id));
            return OkStatus();
          }));
          CREDSTACK_ASSIGN_OR_RETURN(vc::Signer signer,
                                     c->signers->ActiveSigner(org.id));
          CREDSTACK_ASSIGN_OR_RETURN(std::string encoded,
                                     status::EncodeList(list.bits));
          CREDSTACK_ASSIGN_OR_RETURN(
              json::Value unsigned_list,
              status::BuildStatusListCredential(
                  {.id = std::string(url),
                   .issuer = json::Value(signer.controller),
                   .purposes = {std::string(
                       store::StatusPurposeName(list.purpose))},
                   .encoded_list = encoded,
                   .valid_from = list.created}));
          CREDSTACK_ASSIGN_OR_RETURN(
              json::Object signed_list,
              vc::AddProof(unsigned_list.as_object(), signer,
                           vc::ProofOptions{.created = list.created}, c->suite));
          return std::make_shared<const json::Value>(std::move(signed_list));
        },
        /*cacheable=*/false);
  }

  std::unique_ptr<app::testing::TestDatabase> db_;
};

}  // namespace credstack::skills_testing
