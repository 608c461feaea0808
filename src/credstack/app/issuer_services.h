#pragma once

// The issuer application (issue 4) assembled from an AppContext: keys,
// organizations, achievements, status allocation, issuance and the
// documents we publish. Built once by the server installer (or a test).

#include <functional>
#include <memory>
#include <string>

#include "credstack/app/achievements.h"
#include "credstack/app/app_context.h"
#include "credstack/app/bulk.h"
#include "credstack/app/issuance.h"
#include "credstack/app/key_service.h"
#include "credstack/app/organizations.h"
#include "credstack/app/own_document_resolver.h"
#include "credstack/app/secrets.h"
#include "credstack/app/status_allocation.h"
#include "credstack/app/vc_api_issuer.h"
#include "credstack/app/verification.h"

namespace credstack::app {

struct IssuerServices {
  std::shared_ptr<AppContext> ctx;
  std::shared_ptr<KeyService> keys;
  std::shared_ptr<OwnDocumentResolver> documents;
  std::shared_ptr<OrganizationService> orgs;
  std::shared_ptr<AchievementService> achievements;
  std::shared_ptr<StatusAllocator> status;
  std::shared_ptr<IssuanceService> issuance;
  std::shared_ptr<BulkService> bulk;  // workers not started
  std::shared_ptr<VcApiIssuer> vc_api;
  // Renders the verification result on credential pages; the application
  // installer replaces it with the full verifier (status and log checks,
  // caches invalidated on status changes) before serving.
  std::shared_ptr<const VerificationService> page_verifier;
  // SHA-256 of the operator token (may create organizations).
  crypto::Sha256Digest operator_token_hash{};
};

struct IssuerServicesOptions {
  std::shared_ptr<const MasterKey> master_key;
  crypto::Sha256Digest operator_token_hash{};
  StatusAllocatorOptions status;
  IssuanceOptions issuance;
  BulkServiceOptions bulk;
};

// Builds the services and sets ctx->signers and ctx->documents.
// ctx->store and ctx->rng must be set.
Result<std::shared_ptr<IssuerServices>> CreateIssuerServices(
    std::shared_ptr<AppContext> ctx, IssuerServicesOptions options);

}  // namespace credstack::app
