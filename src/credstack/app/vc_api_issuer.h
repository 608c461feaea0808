#pragma once

// W3C VC-API issuance (VC-API §3.2.1 "Issue Credential"):
// POST /credentials/issue {credential, options?} → the credential signed by
// the issuer instance. Any VC 2.0 or VC 1.1 credential (not only Open
// Badges); no id required; the same credential may be issued many times.
//
// An issuer instance is an organization: it signs with the organization's
// did:key when it has one (what the W3C suites' verifiers can resolve),
// otherwise with its did:web key. The credential's issuer is set to the
// instance's DID when absent; when present it must be one of the
// organization's DIDs. VC 1.1 credentials get the Data Integrity v2 context
// (and issuanceDate when missing). options.credentialStatus
// {type: BitstringStatusListEntry, statusPurpose} adds a status entry.
// Every issuance is stored and logged like any other; one whose subject
// id is a DID is told to the issued-credential listeners (a learner with
// that DID links it, and its pathways are evaluated).

#include <memory>
#include <string>
#include <string_view>

#include "credstack/app/app_context.h"
#include "credstack/app/issued_listeners.h"
#include "credstack/app/key_service.h"
#include "credstack/app/status_allocation.h"
#include "credstack/json/json.h"
#include "credstack/store/types.h"

namespace credstack::app {

struct VcApiIssueResult {
  json::Value verifiable_credential;
  std::string stored_id;  // urn:uuid of the stored record
};

// Thread-safe.
class VcApiIssuer {
 public:
  VcApiIssuer(std::shared_ptr<const AppContext> ctx,
              std::shared_ptr<KeyService> keys,
              std::shared_ptr<StatusAllocator> status,
              std::function<void(uint64_t)> on_issued = nullptr,
              std::shared_ptr<const IssuedListeners> listeners = nullptr);

  // body is the request: {"credential": {...}, "options": {...}}.
  // kInvalidArgument for a malformed request or a credential that is not
  // valid (the message names the member; never a 5xx for bad input),
  // kPermissionDenied when the credential names another issuer.
  Result<VcApiIssueResult> Issue(std::string_view org_id,
                                 const json::Value& body);

 private:
  std::shared_ptr<const AppContext> ctx_;
  std::shared_ptr<KeyService> keys_;
  std::shared_ptr<StatusAllocator> status_;
  std::function<void(uint64_t)> on_issued_;
  std::shared_ptr<const IssuedListeners> listeners_;  // may be null
};

}  // namespace credstack::app
