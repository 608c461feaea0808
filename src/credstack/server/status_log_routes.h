#pragma once

// HTTP routes of the status-list and transparency-log area
// (docs/status-log-api.md), and the installer `credstack serve` calls:
//
//   GET  /status/{list}                          signed status list credential
//   POST /status/{list}/publish                  VC-API suite hook (no-op: 204)
//   GET  /api/v1/orgs/{org}/credentials/{id}/status   entries and history
//   POST /api/v1/orgs/{org}/credentials/{id}/status   revoke/suspend/...
//   POST /credentials/status                     VC-API status update
//   GET  /log/checkpoint                         latest signed checkpoint
//   GET  /log/tile/...                           C2SP tiles, entry bundles
//   GET  /log/proof/inclusion?hash=H[&size=N]    a log bundle
//   GET  /log/proof/consistency?from=A&to=B
//   POST /log/cosignatures                       witness cosignatures

#include <memory>

#include "credstack/app/app_context.h"
#include "credstack/app/document_resolver.h"
#include "credstack/app/log_checker.h"
#include "credstack/app/log_service.h"
#include "credstack/app/status_service.h"
#include "credstack/server/config.h"
#include "credstack/server/dispatcher.h"
#include "credstack/server/router.h"
#include "credstack/vc/resolver.h"
#include "credstack/vc/verify.h"

namespace credstack::server {

Status AddStatusRoutes(Router& router, std::shared_ptr<app::StatusService> status);
Status AddLogRoutes(Router& router, std::shared_ptr<app::LogService> log);

// What the installer built, for the verification service.
struct StatusLogArea {
  std::shared_ptr<app::StatusService> status;
  std::shared_ptr<app::LogService> log;
  // Own documents (ctx->documents: our DID documents, to which our status
  // lists are added; both from the store), then foreign ones over HTTPS per
  // --resolver-allow-hosts.
  std::shared_ptr<const vc::DocumentResolver> resolver;
  std::shared_ptr<const vc::StatusChecker> status_checker;
  std::shared_ptr<const vc::LogChecker> log_checker;
};

// Builds the status service, the log service (log key from
// --log-key-file, created on first start; background integrator started),
// the resolver chain and the checkers, and adds the routes above. Run after
// the issuer area's installer (which sets ctx->documents).
Result<StatusLogArea> AddStatusLogRoutes(const ServerConfig& config, Router& router,
                                         ServerHooks& hooks,
                                         std::shared_ptr<const app::AppContext> ctx);

}  // namespace credstack::server
