#include "credstack/server/application.h"

#include "credstack/app/demo.h"
#include "credstack/app/skills_demo.h"
#include "credstack/server/issuer_routes.h"
#include "credstack/server/verify_routes.h"

namespace credstack::server {
namespace {

// The skills half of the demo: the ESCO subset, planning attributes and a
// stackable pathway of the demo issuer (created by InstallIssuer).
Status SeedSkillsDemo(const Application& a, const app::AppContext& ctx) {
  Result<store::Organization> org = InternalError("not read");
  CREDSTACK_RETURN_IF_ERROR(ctx.store->Read([&](store::Tx& tx) {
    org = tx.organizations().GetBySlug(app::DemoOrganizationSlug());
    return org.status();
  }));
  return app::SeedSkillsDemo(*a.skills.skills, *a.skills.pathways,
                             *a.issuer->achievements, org->id)
      .status();
}

}  // namespace

Result<Application> InstallApplication(const ServerConfig& config,
                                       std::shared_ptr<app::AppContext> ctx,
                                       Router& router, ServerHooks& hooks) {
  Application a;
  CREDSTACK_ASSIGN_OR_RETURN(a.issuer, InstallIssuer(config, ctx, router, hooks));
  CREDSTACK_ASSIGN_OR_RETURN(a.status_log, AddStatusLogRoutes(config, router, hooks, ctx));

  app::VerificationServiceOptions options;
  options.resolver = a.status_log.resolver;
  options.status_checker = a.status_log.status_checker;
  options.log_checker = a.status_log.log_checker;
  if (hooks.metrics) {
    options.on_result = [metrics = hooks.metrics](bool verified) {
      metrics->CredentialVerified(verified);
    };
  }
  a.verifier = std::make_shared<app::VerificationService>(std::move(options));
  CREDSTACK_RETURN_IF_ERROR(AddVerifyRoutes(router, a.verifier));
  a.issuer->page_verifier = a.verifier;

  CREDSTACK_ASSIGN_OR_RETURN(a.skills, InstallSkills(ctx, a.issuer, a.verifier, router));
  if (config.demo) CREDSTACK_RETURN_IF_ERROR(SeedSkillsDemo(a, *ctx));

  // A status change (revoke, suspend, unsuspend) re-evaluates the pathways
  // that count the credential; the change itself is already committed.
  a.status_log.status->AddChangeListener(
      [pathways = a.skills.pathways](const app::StatusChangeResult& change) {
        if (!change.changed) return;
        Status st = pathways->OnCredentialStatusChanged(change.credential_id);
        (void)st;  // progress is recomputed on read; awards stay as issued
      });
  // Bulk workers run for the life of the services (the routes own them).
  // Unfinished jobs resume now, after every issued-credential listener
  // (InstallSkills) is registered, so that no row misses one.
  CREDSTACK_RETURN_IF_ERROR(a.issuer->bulk->Start());
  return a;
}

}  // namespace credstack::server
