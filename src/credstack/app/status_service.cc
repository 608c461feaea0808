#include "credstack/app/status_service.h"

#include <utility>

#include "credstack/app/log_leaf.h"
#include "credstack/crypto/sha.h"
#include "credstack/status/encoded_list.h"
#include "credstack/status/status_list.h"
#include "credstack/tlog/merkle.h"
#include "credstack/vc/data_integrity.h"
#include "credstack/vc/structure.h"

namespace credstack::app {
namespace {

// Bitstring Status List v1.0 §2.1 (statusListIndex), §3.1: entry i
// occupies bits [i*size, (i+1)*size), most significant bit first.
int64_t ReadEntry(const Bytes& bits, int64_t index, int64_t status_size) {
  int64_t value = 0;
  for (int64_t k = index * status_size; k < (index + 1) * status_size; ++k) {
    if (k / 8 >= static_cast<int64_t>(bits.size())) return -1;
    value = (value << 1) | ((bits[k / 8] >> (7 - k % 8)) & 1);
  }
  return value;
}

Timestamp WholeSeconds(Timestamp t) {
  return Timestamp::FromUnixSeconds(t.unix_seconds());
}

std::string Etag(int64_t version, std::string_view verification_method) {
  crypto::Sha256Digest d = crypto::Sha256(verification_method);
  return "\"" + std::to_string(version) + "-" +
         HexEncode(ByteView(d.data(), 4)) + "\"";
}

}  // namespace

Result<StatusAction> ParseStatusAction(std::string_view name) {
  if (name == "revoke") return StatusAction::kRevoke;
  if (name == "suspend") return StatusAction::kSuspend;
  if (name == "unsuspend") return StatusAction::kUnsuspend;
  if (name == "set") return StatusAction::kSet;
  return InvalidArgumentError("action must be revoke, suspend, unsuspend or set, not \"" +
                              std::string(name.substr(0, 40)) + "\"");
}

std::string_view StatusActionName(StatusAction action) {
  switch (action) {
    case StatusAction::kRevoke: return "revoke";
    case StatusAction::kSuspend: return "suspend";
    case StatusAction::kUnsuspend: return "unsuspend";
    case StatusAction::kSet: return "set";
  }
  return "unknown";
}

std::string NormalizeCredentialId(std::string_view id) {
  if (id.find(':') == std::string_view::npos && id.size() == 36) {
    return "urn:uuid:" + std::string(id);
  }
  return std::string(id);
}

json::Value CredentialStatusView::ToJson() const {
  json::Object out;
  out["credentialId"] = credential_id;
  json::Array es;
  for (const CredentialStatusEntry& e : entries) {
    json::Object o;
    o["statusPurpose"] = std::string(store::StatusPurposeName(e.purpose));
    o["statusListCredential"] = e.list_url;
    o["statusListIndex"] = std::to_string(e.index);
    o["statusSize"] = e.status_size;
    o["status"] = status::FormatStatusHex(static_cast<uint64_t>(e.value));
    o["value"] = e.value;
    es.push_back(std::move(o));
  }
  out["entries"] = std::move(es);
  json::Array evs;
  for (const store::StatusEvent& e : events) {
    json::Object o;
    o["id"] = e.id;
    o["statusPurpose"] = std::string(store::StatusPurposeName(e.purpose));
    o["statusListIndex"] = std::to_string(e.index);
    o["oldValue"] = e.old_value;
    o["newValue"] = e.new_value;
    o["reason"] = e.reason;
    o["actor"] = e.actor;
    o["time"] = FormatDateTime(e.created);
    evs.push_back(std::move(o));
  }
  out["events"] = std::move(evs);
  return out;
}

StatusService::StatusService(std::shared_ptr<const AppContext> ctx,
                             StatusServiceOptions options)
    : ctx_(std::move(ctx)), options_(options) {}

void StatusService::AddChangeListener(ChangeListener listener) {
  listeners_.push_back(std::move(listener));
}

Result<std::shared_ptr<const PublishedStatusList>>
StatusService::GetListCredential(std::string_view list_id) const {
  store::StatusList list;
  std::string active_vm;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(list, tx.status_lists().Get(list_id));
    Result<store::SigningKey> key = tx.signing_keys().GetActive(list.org_id);
    if (key.ok()) active_vm = key->verification_method;
    return OkStatus();
  }));
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(list_id);
    // Re-sign only when the list changed or the organization's active key
    // is no longer the one that signed (key rotation).
    if (it != cache_.end() && it->second->version == list.version &&
        (active_vm.empty() || it->second->verification_method == active_vm)) {
      return it->second;
    }
  }
  if (!ctx_->signers) {
    return FailedPreconditionError("no signing keys are configured");
  }
  CREDSTACK_ASSIGN_OR_RETURN(vc::Signer signer,
                             ctx_->signers->StatusListSigner(list));
  CREDSTACK_ASSIGN_OR_RETURN(
      std::string encoded, status::EncodeList(ByteView(list.bits)));
  status::StatusListCredentialOptions o;
  o.id = ctx_->urls.StatusListUrl(list.id);
  o.issuer = json::Value(signer.controller);
  o.purposes = {std::string(store::StatusPurposeName(list.purpose))};
  o.encoded_list = std::move(encoded);
  o.ttl_ms = options_.ttl_ms;
  CREDSTACK_ASSIGN_OR_RETURN(json::Value unsigned_doc,
                             status::BuildStatusListCredential(o));
  // The proof is dated by the list's last change (not "now"), so every node
  // produces the same bytes for the same version and key.
  vc::ProofOptions proof;
  proof.created = WholeSeconds(list.updated);
  CREDSTACK_ASSIGN_OR_RETURN(
      json::Object signed_doc,
      vc::AddProof(unsigned_doc.as_object(), signer, proof, ctx_->suite));
  auto published = std::make_shared<PublishedStatusList>();
  published->list_id = list.id;
  published->url = o.id;
  published->version = list.version;
  published->etag = Etag(list.version, signer.verification_method);
  published->document = std::make_shared<const json::Value>(std::move(signed_doc));
  published->body = json::Serialize(*published->document);
  published->ttl_ms = options_.ttl_ms;
  published->updated = list.updated;
  published->verification_method = signer.verification_method;
  std::lock_guard lock(mu_);
  if (cache_.size() >= options_.max_cached_documents) cache_.clear();
  cache_[list.id] = published;
  return std::shared_ptr<const PublishedStatusList>(published);
}

Result<StatusChangeResult> StatusService::ChangeStatus(
    const StatusChangeRequest& req) {
  store::StatusPurpose purpose;
  int64_t value = 0;
  switch (req.action) {
    case StatusAction::kRevoke:
      purpose = req.purpose.value_or(store::StatusPurpose::kRevocation);
      value = 1;
      break;
    case StatusAction::kSuspend:
      purpose = req.purpose.value_or(store::StatusPurpose::kSuspension);
      value = 1;
      break;
    case StatusAction::kUnsuspend:
      purpose = req.purpose.value_or(store::StatusPurpose::kSuspension);
      value = 0;
      break;
    case StatusAction::kSet:
      if (!req.purpose) return InvalidArgumentError("purpose is required for action set");
      purpose = *req.purpose;
      value = req.value;
      break;
  }
  if ((req.action == StatusAction::kRevoke && purpose != store::StatusPurpose::kRevocation) ||
      ((req.action == StatusAction::kSuspend || req.action == StatusAction::kUnsuspend) &&
       purpose != store::StatusPurpose::kSuspension)) {
    return InvalidArgumentError("action " + std::string(StatusActionName(req.action)) +
                                " does not apply to purpose " +
                                std::string(store::StatusPurposeName(purpose)));
  }
  if (req.reason.size() > 1000) {
    return InvalidArgumentError("reason is longer than 1000 bytes");
  }
  const std::string credential_id = NormalizeCredentialId(req.credential_id);
  const Timestamp now = WholeSeconds(ctx_->clock->Now());
  StatusChangeResult out;
  Status s = ctx_->store->Transact([&](store::Tx& tx) -> Status {
    out = StatusChangeResult{};
    out.credential_id = credential_id;
    out.purpose = purpose;
    CREDSTACK_ASSIGN_OR_RETURN(store::Credential cred,
                               tx.credentials().Get(req.org_id, credential_id));
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::StatusAllocation> allocs,
                               tx.status_lists().AllocationsForCredential(credential_id));
    std::optional<store::StatusList> list;
    for (const store::StatusAllocation& a : allocs) {
      CREDSTACK_ASSIGN_OR_RETURN(store::StatusList l, tx.status_lists().Get(a.list_id));
      if (l.purpose == purpose) {
        out.index = a.index;
        list = std::move(l);
        break;
      }
    }
    if (!list) {
      return NotFoundError("credential " + credential_id + " has no " +
                           std::string(store::StatusPurposeName(purpose)) + " status entry");
    }
    out.list_id = list->id;
    out.list_url = ctx_->urls.StatusListUrl(list->id);
    if (value < 0 || value >= (int64_t{1} << list->status_size)) {
      return InvalidArgumentError("value " + std::to_string(value) + " does not fit statusSize " +
                                  std::to_string(list->status_size));
    }
    out.old_value = ReadEntry(list->bits, out.index, list->status_size);
    out.new_value = value;
    if (out.old_value < 0) return DataLossError("status list " + list->id + " is too short");
    if (out.old_value == value) return OkStatus();
    // Bitstring Status List v1.0 §2.1 statusPurpose "revocation": "This
    // status is not reversible."
    if (purpose == store::StatusPurpose::kRevocation && out.old_value != 0) {
      return FailedPreconditionError("credential " + credential_id +
                                     " is revoked; revocation is not reversible");
    }
    CREDSTACK_ASSIGN_OR_RETURN(
        store::StatusEvent ev,
        tx.status_lists().SetStatus(store::StatusChange{.credential_id = credential_id,
                                                        .purpose = purpose,
                                                        .new_value = value,
                                                        .reason = req.reason,
                                                        .actor = req.actor,
                                                        .when = now}));
    out.event_id = ev.id;
    out.old_value = ev.old_value;
    out.changed = true;
    // The log leaf (docs/formats/log-leaf.md) commits to the event.
    CREDSTACK_ASSIGN_OR_RETURN(json::Value doc, json::Parse(cred.credential_json));
    LogEvent event;
    switch (purpose) {
      case store::StatusPurpose::kRevocation: event.type = LogEventType::kRevoked; break;
      case store::StatusPurpose::kSuspension:
        event.type = value != 0 ? LogEventType::kSuspended : LogEventType::kUnsuspended;
        break;
      case store::StatusPurpose::kMessage: event.type = LogEventType::kStatusMessage; break;
    }
    CREDSTACK_ASSIGN_OR_RETURN(event.credential_hash, CredentialHash(doc));
    event.issuer = doc.is_object() ? vc::IssuerId(doc.as_object()) : "";
    if (event.issuer.empty()) return DataLossError("stored credential has no issuer");
    event.time = now;
    Bytes leaf = EncodeLogLeaf(event);
    tlog::Hash leaf_hash = tlog::HashLeaf(leaf);
    store::NewLogEntry entry{.leaf_hash = Bytes(leaf_hash.begin(), leaf_hash.end()),
                             .leaf_data = std::move(leaf),
                             .subject = credential_id,
                             .created = now};
    CREDSTACK_ASSIGN_OR_RETURN(out.log_seq, tx.log().Append(std::span(&entry, 1)));
    json::Object details;
    details["statusPurpose"] = std::string(store::StatusPurposeName(purpose));
    details["statusListCredential"] = out.list_url;
    details["statusListIndex"] = std::to_string(out.index);
    details["oldValue"] = out.old_value;
    details["newValue"] = out.new_value;
    details["reason"] = req.reason;
    details["logSeq"] = out.log_seq;
    return tx.audit()
        .Append(store::AuditEvent{.org_id = req.org_id,
                                  .actor = req.actor,
                                  .action = "credential.status." +
                                            std::string(StatusActionName(req.action)),
                                  .target = credential_id,
                                  .details_json = json::Serialize(details),
                                  .created = now})
        .status();
  });
  if (!s.ok()) return s;
  if (out.changed) {
    for (const auto& l : listeners_) l(out);
  }
  return out;
}

Result<CredentialStatusView> StatusService::GetCredentialStatus(
    std::string_view org_id, std::string_view credential_id) const {
  CredentialStatusView view;
  view.credential_id = NormalizeCredentialId(credential_id);
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    view.entries.clear();
    CREDSTACK_RETURN_IF_ERROR(tx.credentials().Get(org_id, view.credential_id).status());
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::StatusAllocation> allocs,
                               tx.status_lists().AllocationsForCredential(view.credential_id));
    for (const store::StatusAllocation& a : allocs) {
      CREDSTACK_ASSIGN_OR_RETURN(store::StatusList l, tx.status_lists().Get(a.list_id));
      view.entries.push_back(CredentialStatusEntry{
          .list_id = l.id,
          .list_url = ctx_->urls.StatusListUrl(l.id),
          .index = a.index,
          .purpose = l.purpose,
          .status_size = l.status_size,
          .value = ReadEntry(l.bits, a.index, l.status_size)});
    }
    CREDSTACK_ASSIGN_OR_RETURN(view.events, tx.status_lists().ListEvents(view.credential_id));
    return OkStatus();
  }));
  return view;
}

Result<std::string> StatusService::CredentialOrg(std::string_view credential_id) const {
  std::string org;
  std::string id = NormalizeCredentialId(credential_id);
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(store::Credential c, tx.credentials().GetPublic(id));
    org = c.org_id;
    return OkStatus();
  }));
  return org;
}

OwnStatusListResolver::OwnStatusListResolver(std::shared_ptr<const StatusService> service)
    : service_(std::move(service)),
      prefix_(service_->context().urls.StatusListUrl("")) {}

Result<std::shared_ptr<const json::Value>> OwnStatusListResolver::Resolve(
    std::string_view url) const {
  if (url.size() <= prefix_.size() || url.substr(0, prefix_.size()) != prefix_) {
    return NotFoundError("not a status list of this deployment: " +
                         std::string(url.substr(0, 200)));
  }
  std::string_view id = url.substr(prefix_.size());
  if (id.find_first_of("/?#") != std::string_view::npos) {
    return NotFoundError("not a status list URL: " + std::string(url.substr(0, 200)));
  }
  CREDSTACK_ASSIGN_OR_RETURN(std::shared_ptr<const PublishedStatusList> p,
                             service_->GetListCredential(id));
  return p->document;
}

}  // namespace credstack::app
