#pragma once

// Public verification endpoints:
//   POST /api/v1/verify          a credential → 200 with the report that
//                                `credstack verify --json` prints
//   POST /credentials/verify     W3C VC-API {verifiableCredential, options}
//   POST /presentations/verify   W3C VC-API {verifiablePresentation,
//                                options: {challenge, domain}}
// The VC-API endpoints answer 200 when verified and 400 otherwise; a 400
// is problem+json that also carries "verified": false, "checks" and
// "errors" [{path: check name, message}]. Bad input never gives a 5xx.

#include <memory>

#include "credstack/app/verification.h"
#include "credstack/server/router.h"

namespace credstack::server {

Status AddVerifyRoutes(Router& router,
                       std::shared_ptr<const app::VerificationService> service);

}  // namespace credstack::server
