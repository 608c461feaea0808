#pragma once

// The whole application on one router: what `credstack serve` runs and
// what the service tests start in-process. Each area installs its routes
// (and background work) from the shared context, in dependency order:
// issuer (keys, DID documents, issuance), status lists and the
// transparency log, verification, skills and pathways; the bulk workers
// start last, when every issued-credential listener is registered.

#include <memory>

#include "credstack/app/app_context.h"
#include "credstack/app/issuer_services.h"
#include "credstack/app/verification.h"
#include "credstack/base/status.h"
#include "credstack/server/config.h"
#include "credstack/server/dispatcher.h"
#include "credstack/server/router.h"
#include "credstack/server/skills_routes.h"
#include "credstack/server/status_log_routes.h"

namespace credstack::server {

struct Application {
  std::shared_ptr<app::IssuerServices> issuer;
  StatusLogArea status_log;
  std::shared_ptr<app::VerificationService> verifier;
  SkillsServices skills;
};

// ctx needs store, urls, rng and suite; the installers set the rest.
// hooks.api_keys must be set (server::AddStoreHooks). With config.demo the
// demo issuer and the skills demo are seeded (idempotently).
Result<Application> InstallApplication(const ServerConfig& config,
                                       std::shared_ptr<app::AppContext> ctx,
                                       Router& router, ServerHooks& hooks);

}  // namespace credstack::server
