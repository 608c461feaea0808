#pragma once

// The issuer API (issue 4) on the server's Router:
//   POST/GET /api/v1/orgs                       operator token only
//   GET/PUT  /api/v1/orgs/{org}                  viewer / admin
//   GET      /api/v1/orgs/{org}/keys             viewer
//   POST     /api/v1/orgs/{org}/keys/rotate      admin
//   POST     /api/v1/orgs/{org}/did-key          admin
//   GET/POST /api/v1/orgs/{org}/api-keys         admin
//   DELETE   /api/v1/orgs/{org}/api-keys/{key}   admin
//   POST/GET /api/v1/orgs/{org}/achievements     issuer / viewer
//   GET/PUT  /api/v1/orgs/{org}/achievements/{id}   viewer / issuer
//   GET      /api/v1/orgs/{org}/achievements/{id}/versions  viewer
//   POST/GET /api/v1/orgs/{org}/credentials      issuer / viewer
//   GET      /credentials/{id}                   public, JSON or HTML
//   GET      /.well-known/did.json, /issuers/{slug}/did.json  public
//   POST/GET /api/v1/orgs/{org}/jobs, GET /api/v1/orgs/{org}/jobs/{job}[/rows],
//   GET      /api/v1/jobs/{job}                  bulk issuance (issuer/viewer)
//   POST     /credentials/issue                  W3C VC-API (issuer key, or
//                                                the open issuer instance)
// Errors are problem+json (docs/server.md).

#include <memory>

#include "credstack/app/app_context.h"
#include "credstack/app/issuer_services.h"
#include "credstack/app/verification.h"
#include "credstack/server/config.h"
#include "credstack/server/dispatcher.h"
#include "credstack/server/router.h"

namespace credstack::server {

// key_id of the operator's principal (it has no organization).
inline constexpr std::string_view kOperatorKeyId = "operator";

// Adds the routes above. verifier (may be null) renders the verification
// result on credential pages. vc_api_open_issuer (an organization slug, or
// empty) lets POST /credentials/issue sign as it without an API key.
Status AddIssuerRoutes(
    Router& router, std::shared_ptr<app::IssuerServices> services,
    std::shared_ptr<const app::VerificationService> verifier,
    std::string vc_api_open_issuer = "");

// What `credstack serve` calls once: loads the master key and operator
// token (config.master_key_file / CREDSTACK_MASTER_KEY /
// CREDSTACK_OPERATOR_TOKEN / the data directory), builds the issuer
// services from ctx (setting ctx->signers and ctx->documents), lets the
// operator token authenticate next to API keys (hooks.api_keys must be set
// already), counts issuance in hooks.metrics and adds the routes. Warnings
// (a generated master key must be backed up, a failed issued-credential
// listener) go to hooks.logger or stderr. The bulk workers are not started:
// the caller starts them (services->bulk->Start()) once its listeners are
// registered.
Result<std::shared_ptr<app::IssuerServices>> InstallIssuer(
    const ServerConfig& config, std::shared_ptr<app::AppContext> ctx,
    Router& router, ServerHooks& hooks);

}  // namespace credstack::server
