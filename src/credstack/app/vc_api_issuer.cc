#include "credstack/app/vc_api_issuer.h"

#include <utility>

#include "credstack/app/issuance.h"
#include "credstack/base/uuid.h"
#include "credstack/crypto/sha.h"
#include "credstack/store/issuance.h"
#include "credstack/vc/data_integrity.h"
#include "credstack/vc/structure.h"

namespace credstack::app {
namespace {

constexpr std::string_view kVc1Context =
    "https://www.w3.org/2018/credentials/v1";
constexpr std::string_view kVc2Context = "https://www.w3.org/ns/credentials/v2";
constexpr std::string_view kDataIntegrityV2 =
    "https://w3id.org/security/data-integrity/v2";

Status Bad(std::string message) {
  return InvalidArgumentError(std::move(message));
}

bool ContextHas(const json::Value& ctx, std::string_view url) {
  if (ctx.is_string()) return ctx.get_string() == url;
  if (ctx.is_array()) {
    for (const json::Value& c : ctx.get_array()) {
      if (c.is_string() && c.get_string() == url) return true;
    }
  }
  return false;
}

std::string_view FirstContext(const json::Value& ctx) {
  if (ctx.is_string()) return ctx.get_string();
  if (ctx.is_array() && !ctx.get_array().empty() &&
      ctx.get_array()[0].is_string()) {
    return ctx.get_array()[0].get_string();
  }
  return {};
}

}  // namespace

VcApiIssuer::VcApiIssuer(std::shared_ptr<const AppContext> ctx,
                         std::shared_ptr<KeyService> keys,
                         std::shared_ptr<StatusAllocator> status,
                         std::function<void(uint64_t)> on_issued,
                         std::shared_ptr<const IssuedListeners> listeners)
    : ctx_(std::move(ctx)),
      keys_(std::move(keys)),
      status_(std::move(status)),
      on_issued_(std::move(on_issued)),
      listeners_(std::move(listeners)) {}

Result<VcApiIssueResult> VcApiIssuer::Issue(std::string_view org_id,
                                            const json::Value& body) {
  const json::Object* req = body.if_object();
  if (req == nullptr) return Bad("the request body must be a JSON object");
  const json::Value* cv = req->if_contains("credential");
  if (cv == nullptr || !cv->is_object()) {
    return Bad("$.credential: required JSON object");
  }
  json::Object credential = cv->get_object();
  json::Object options;
  if (const json::Value* o = req->if_contains("options"); o && !o->is_null()) {
    if (!o->is_object()) return Bad("$.options: must be a JSON object");
    options = o->get_object();
  }

  // The instance's signer: the organization's did:key, else its did:web.
  Result<vc::Signer> signer = keys_->DidKeySigner(org_id);
  ListIssuer list_issuer = ListIssuer::kDidKey;
  if (!signer.has_value()) {
    list_issuer = ListIssuer::kDidWeb;
    if (signer.error().code() != Code::kNotFound) return signer.error();
    signer = keys_->ActiveSigner(org_id);
    if (!signer.has_value()) return signer.error();
  }
  const std::string& issuer_did = signer->controller;

  // VC DM 2.0 §4.7 issuer: set it when absent; refuse another issuer.
  json::Value* issuer = credential.if_contains("issuer");
  if (issuer == nullptr || issuer->is_null()) {
    credential["issuer"] = issuer_did;
  } else if (issuer->is_string()) {
    if (issuer->get_string() != issuer_did) {
      return PermissionDeniedError(
          "$.credential.issuer: \"" + std::string(issuer->get_string()) +
          "\" is not this issuer instance (" + issuer_did + ")");
    }
  } else if (json::Object* io = issuer->if_object()) {
    const json::Value* id = io->if_contains("id");
    if (id == nullptr) {
      (*io)["id"] = issuer_did;
    } else if (!id->is_string() || id->get_string() != issuer_did) {
      return PermissionDeniedError(
          "$.credential.issuer.id: is not this issuer instance (" + issuer_did +
          ")");
    }
  } else {
    return Bad("$.credential.issuer: must be a URL or an object with an id");
  }

  const json::Value* ctxv = credential.if_contains("@context");
  if (ctxv == nullptr) return Bad("$.credential.@context: required");
  Timestamp now = ctx_->clock->Now();
  if (FirstContext(*ctxv) == kVc1Context) {
    // VC 1.1 has no Data Integrity terms of its own.
    if (!ContextHas(*ctxv, kDataIntegrityV2)) {
      json::Array ctx =
          ctxv->is_array() ? ctxv->get_array() : json::Array{*ctxv};
      ctx.push_back(json::Value(kDataIntegrityV2));
      credential["@context"] = std::move(ctx);
    }
    if (!credential.contains("issuanceDate")) {
      credential["issuanceDate"] =
          FormatDateTime(Timestamp::FromUnixSeconds(now.unix_seconds()));
    }
  } else if (FirstContext(*ctxv) != kVc2Context) {
    return Bad("$.credential.@context: the first context must be " +
               std::string(kVc2Context) + " or " + std::string(kVc1Context));
  }

  // options.credentialStatus (VC-API; Bitstring Status List v1.0 §2.1).
  std::optional<StatusEntry> entry;
  if (const json::Value* cs = options.if_contains("credentialStatus");
      cs && !cs->is_null()) {
    const json::Object* o = cs->if_object();
    if (o == nullptr)
      return Bad("$.options.credentialStatus: must be an object");
    auto type = json::GetString(*o, "type");
    if (type && *type != "BitstringStatusListEntry") {
      return Bad(
          "$.options.credentialStatus.type: only BitstringStatusListEntry "
          "is supported");
    }
    auto purpose_name =
        json::GetString(*o, "statusPurpose").value_or("revocation");
    Result<store::StatusPurpose> purpose =
        store::ParseStatusPurpose(purpose_name);
    if (!purpose.has_value() || *purpose == store::StatusPurpose::kMessage) {
      return Bad(
          "$.options.credentialStatus.statusPurpose: revocation or "
          "suspension");
    }
    if (credential.contains("credentialStatus")) {
      return Bad(
          "$.credential.credentialStatus: already present; omit it or "
          "options.credentialStatus");
    }
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<StatusEntry> picked,
                               status_->Pick(org_id, *purpose, 1, list_issuer));
    entry = picked[0];
  }

  vc::ProofOptions proof;
  if (auto suite = json::GetString(options, "cryptosuite")) {
    if (*suite != "eddsa-rdfc-2022" && *suite != "eddsa-jcs-2022") {
      return Bad("$.options.cryptosuite: eddsa-rdfc-2022 or eddsa-jcs-2022");
    }
    proof.cryptosuite = std::string(*suite);
  }
  if (auto type = json::GetString(options, "type");
      type && *type != "DataIntegrityProof") {
    return Bad("$.options.type: only DataIntegrityProof is supported");
  }
  proof.created = Timestamp::FromUnixSeconds(now.unix_seconds());

  for (int attempt = 0; attempt < 5; ++attempt) {
    json::Object doc = credential;
    if (entry) doc["credentialStatus"] = status_->EntryJson(*entry);
    vc::StructureResult check = vc::ValidateCredential(json::Value(doc));
    if (!check.ok()) {
      return Bad("$.credential: not a valid verifiable credential: " +
                 check.Summary());
    }
    Result<json::Object> signed_doc =
        vc::AddProof(doc, *signer, proof, ctx_->suite);
    if (!signed_doc.has_value()) {
      if (signed_doc.error().code() == Code::kResourceExhausted) {
        return signed_doc.error();
      }
      return Bad("$.credential: cannot be signed: " +
                 signed_doc.error().message());
    }
    json::Value signed_vc(std::move(*signed_doc));

    store::IssueRecord record;
    store::Credential& c = record.credential;
    c.id = "urn:uuid:" + NewUuidV4(*ctx_->rng);
    c.org_id = std::string(org_id);
    c.recipient_kind = store::RecipientKind::kOther;
    if (const json::Object* subject =
            json::GetObject(signed_vc.as_object(), "credentialSubject")) {
      if (auto sid = json::GetString(*subject, "id");
          sid && sid->rfind("did:", 0) == 0) {
        c.recipient_kind = store::RecipientKind::kDid;
        c.recipient_identity = std::string(*sid);
      }
    }
    c.credential_json = json::Serialize(signed_vc);
    crypto::Sha256Digest content = crypto::Sha256(c.credential_json);
    c.content_hash = Bytes(content.begin(), content.end());
    c.issued = now;
    if (entry) record.allocations.push_back(status_->Allocation(*entry));
    CREDSTACK_ASSIGN_OR_RETURN(
        record.log_entry, IssuedLogEntry(signed_vc, issuer_did, c.id, now));
    Status s = ctx_->store->Transact([&](store::Tx& tx) -> Status {
      return store::IssueCredentialTx(tx, record).status();
    });
    if (s.code() == Code::kAlreadyExists && entry) {
      status_->Refresh(org_id);
      CREDSTACK_ASSIGN_OR_RETURN(std::vector<StatusEntry> picked,
                                 status_->Pick(org_id, entry->purpose, 1, list_issuer));
      entry = picked[0];
      continue;
    }
    CREDSTACK_RETURN_IF_ERROR(s);
    if (on_issued_) on_issued_(1);
    // Only a DID subject names a recipient a learner can be found by (no
    // email is ever given to this endpoint).
    if (listeners_ && c.recipient_kind == store::RecipientKind::kDid) {
      IssuedEvent event{.credential = &c, .recipient = c.recipient_identity};
      listeners_->Notify(std::span(&event, 1));
    }
    return VcApiIssueResult{std::move(signed_vc), c.id};
  }
  return UnavailableError("status index allocation kept conflicting");
}

}  // namespace credstack::app
