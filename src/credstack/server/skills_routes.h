#pragma once

// HTTP routes of the skills area (issue 6), documented in
// docs/skills-api.md:
//   GET  /api/v1/frameworks                         public
//   POST /api/v1/frameworks/{framework}             admin (snapshot upload)
//   GET  /api/v1/skills?q=&framework=&limit=        public
//   GET  /api/v1/skills/{skill}                     public
//   GET  /api/v1/occupations?q=&framework=&limit=   public
//   GET  /api/v1/occupations/{occupation}           public
//   POST /api/v1/recommendations                    public (learner: its token
//                                                   or its org's key)
//   POST /api/v1/learners                           issuer
//   GET  /api/v1/learners/{learner}                 learner token / org key
//   POST /api/v1/learners/{learner}/credentials     learner token / org issuer
//   GET  /api/v1/learners/{learner}/skills          learner token / org key
//   GET  /api/v1/learners/{learner}/breadth         learner token / org key
//   GET  /api/v1/learners/{learner}/pathways/{pathway}  progress
//   POST /api/v1/learners/{learner}/evaluate        re-check pathway awards
//   GET  /api/v1/learners/{learner}/clr             signed CLR 2.0
//   POST /api/v1/orgs/{org}/pathways                issuer
//   GET  /api/v1/orgs/{org}/pathways                viewer
//   GET  /api/v1/pathways/{pathway}                 public
// Responses that carry ESCO data name "ESCO, European Commission" in
// "source".

#include <memory>

#include "credstack/app/issuer_services.h"
#include "credstack/app/learner_service.h"
#include "credstack/app/pathway_service.h"
#include "credstack/app/skills_service.h"
#include "credstack/server/router.h"

namespace credstack::server {

// The header a learner sends its access token in (API keys use
// Authorization: Bearer).
inline constexpr char kLearnerTokenHeader[] = "X-Learner-Token";

struct SkillsServices {
  std::shared_ptr<app::SkillsService> skills;
  std::shared_ptr<app::LearnerService> learners;
  std::shared_ptr<app::PathwayService> pathways;
};

Status AddSkillsRoutes(Router& router, SkillsServices services);

// What `credstack serve` calls once, after InstallIssuer: builds the skills
// services over ctx (pathway awards issue through issuer->issuance), adds
// the routes above, and makes the pathway service a listener of every
// credential the issuer services issue (ListenForIssuedCredentials).
Result<SkillsServices> InstallSkills(
    std::shared_ptr<app::AppContext> ctx,
    std::shared_ptr<app::IssuerServices> issuer,
    std::shared_ptr<const app::VerificationService> verifier, Router& router);

// Registers pathways->OnCredentialsIssued as an issued-credential listener
// of `issuance`: single issuance, every bulk batch and VC-API issuance to a
// DID then link the credential to its learner and award the pathways it
// completes. Holds the pathway service weakly; failures are reported
// through IssuanceOptions::on_listener_error and never fail an issuance.
void ListenForIssuedCredentials(app::IssuanceService& issuance,
                                std::shared_ptr<app::PathwayService> pathways);

// The AwardIssuer over the issuance service: issues the pathway's
// achievement with the evidence and idempotency key of the request.
app::AwardIssuer IssueAwardsWith(std::shared_ptr<app::IssuanceService> issuance);

}  // namespace credstack::server
