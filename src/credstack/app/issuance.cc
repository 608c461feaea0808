#include "credstack/app/issuance.h"

#include <utility>

#include "credstack/app/log_leaf.h"
#include "credstack/base/uuid.h"
#include "credstack/crypto/sha.h"
#include "credstack/tlog/merkle.h"
#include "credstack/vc/open_badges.h"

namespace credstack::app {
namespace {

constexpr size_t kMaxIdempotencyKey = 256;

Status Field(std::string_view path, std::string message) {
  return InvalidArgumentError("$." + std::string(path) + ": " +
                              std::move(message));
}

Result<std::optional<Timestamp>> TimeField(const json::Object& o,
                                           std::string_view key) {
  const json::Value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<Timestamp>();
  if (!v->is_string())
    return Field(key, "must be an RFC 3339 date-time string");
  Result<Timestamp> t = ParseDateTime(v->get_string());
  if (!t.has_value()) return Field(key, t.error().message());
  return std::optional<Timestamp>(*t);
}

Result<std::optional<json::Array>> ArrayOfObjects(const json::Object& o,
                                                  std::string_view key) {
  const json::Value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<json::Array>();
  if (v->is_object()) return std::optional<json::Array>(json::Array{*v});
  if (!v->is_array()) return Field(key, "must be an array of objects");
  for (const json::Value& e : v->get_array()) {
    if (!e.is_object()) return Field(key, "must be an array of objects");
  }
  return std::optional<json::Array>(v->get_array());
}

}  // namespace

std::string_view CredentialUuid(std::string_view id) {
  constexpr std::string_view kPrefix = "urn:uuid:";
  if (id.substr(0, kPrefix.size()) != kPrefix) return {};
  return id.substr(kPrefix.size());
}

Result<IssueRequest> ParseIssueRequest(const json::Object& body) {
  static constexpr std::string_view kKnown[] = {
      "achievementId", "achievementVersion", "recipient",   "validFrom",
      "validUntil",    "awardedDate",        "evidence",    "results",
      "creditsEarned", "idempotencyKey",     "cryptosuite", "rowKey"};
  for (const auto& kv : body) {
    bool known = false;
    for (std::string_view k : kKnown) known = known || kv.key() == k;
    if (!known) return Field(kv.key(), "unknown member");
  }
  IssueRequest r;
  if (auto a = json::GetString(body, "achievementId")) {
    r.achievement_id = std::string(*a);
  } else if (body.contains("achievementId")) {
    return Field("achievementId", "must be a string");
  }
  if (const json::Value* v = body.if_contains("achievementVersion");
      v != nullptr && !v->is_null()) {
    if (!v->is_int64() || v->get_int64() < 1) {
      return Field("achievementVersion", "must be an integer >= 1");
    }
    r.achievement_version = v->get_int64();
  }
  const json::Value* recipient = body.if_contains("recipient");
  if (recipient == nullptr || !recipient->is_string()) {
    return Field("recipient", "required: a DID or an email address");
  }
  r.recipient = std::string(recipient->get_string());
  CREDSTACK_ASSIGN_OR_RETURN(r.valid_from, TimeField(body, "validFrom"));
  CREDSTACK_ASSIGN_OR_RETURN(r.valid_until, TimeField(body, "validUntil"));
  CREDSTACK_ASSIGN_OR_RETURN(r.awarded_date, TimeField(body, "awardedDate"));
  CREDSTACK_ASSIGN_OR_RETURN(r.evidence, ArrayOfObjects(body, "evidence"));
  CREDSTACK_ASSIGN_OR_RETURN(r.results, ArrayOfObjects(body, "results"));
  if (const json::Value* v = body.if_contains("creditsEarned");
      v != nullptr && !v->is_null()) {
    if (!v->is_number() || v->to_number<double>() < 0) {
      return Field("creditsEarned", "must be a number >= 0");
    }
    r.credits_earned = v->to_number<double>();
  }
  if (const json::Value* v = body.if_contains("idempotencyKey");
      v != nullptr && !v->is_null()) {
    if (!v->is_string() || v->get_string().empty() ||
        v->get_string().size() > kMaxIdempotencyKey) {
      return Field("idempotencyKey", "must be a string of 1..256 bytes");
    }
    r.idempotency_key = std::string(v->get_string());
  }
  if (auto s = json::GetString(body, "cryptosuite")) {
    if (*s != "eddsa-rdfc-2022" && *s != "eddsa-jcs-2022") {
      return Field("cryptosuite",
                   "must be \"eddsa-rdfc-2022\" or \"eddsa-jcs-2022\"");
    }
    r.cryptosuite = std::string(*s);
  }
  return r;
}

Result<store::NewLogEntry> IssuedLogEntry(const json::Value& credential,
                                          std::string_view issuer_did,
                                          std::string_view credential_id,
                                          Timestamp now) {
  CREDSTACK_ASSIGN_OR_RETURN(crypto::Sha256Digest hash,
                             CredentialHash(credential));
  Bytes leaf = EncodeLogLeaf(
      LogEvent{.type = LogEventType::kIssued,
               .credential_hash = hash,
               .issuer = std::string(issuer_did),
               .time = Timestamp::FromUnixSeconds(now.unix_seconds())});
  tlog::Hash leaf_hash = tlog::HashLeaf(leaf);
  return store::NewLogEntry{
      .leaf_hash = Bytes(leaf_hash.begin(), leaf_hash.end()),
      .leaf_data = std::move(leaf),
      .subject = std::string(credential_id),
      .created = now};
}

IssuanceService::IssuanceService(std::shared_ptr<const AppContext> ctx,
                                 std::shared_ptr<OrganizationService> orgs,
                                 std::shared_ptr<StatusAllocator> status,
                                 IssuanceOptions options)
    : ctx_(std::move(ctx)),
      orgs_(std::move(orgs)),
      status_(std::move(status)),
      options_(std::move(options)),
      listeners_(
          std::make_shared<IssuedListeners>(options_.on_listener_error)) {}

void IssuanceService::AddIssuedListener(IssuedListener listener) {
  listeners_->Add(std::move(listener));
}

Result<IssuerContext> IssuanceService::LoadIssuer(
    std::string_view org_id) const {
  if (ctx_->signers == nullptr) {
    return FailedPreconditionError("no signing keys configured");
  }
  CREDSTACK_ASSIGN_OR_RETURN(store::Organization org, orgs_->Get(org_id));
  CREDSTACK_ASSIGN_OR_RETURN(vc::Signer signer,
                             ctx_->signers->ActiveSigner(org_id));
  json::Object profile = orgs_->IssuerProfile(org);
  return IssuerContext{.org = std::move(org),
                       .issuer_profile = std::move(profile),
                       .signer = std::move(signer)};
}

Result<store::AchievementVersion> IssuanceService::LoadAchievement(
    std::string_view org_id, std::string_view achievement_id,
    std::optional<int64_t> version) const {
  if (achievement_id.empty()) {
    return InvalidArgumentError("$.achievementId: required");
  }
  store::AchievementVersion out;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    if (version) {
      CREDSTACK_ASSIGN_OR_RETURN(
          out, tx.achievements().GetVersion(org_id, achievement_id, *version));
    } else {
      CREDSTACK_ASSIGN_OR_RETURN(
          out, tx.achievements().GetLatest(org_id, achievement_id));
    }
    return OkStatus();
  }));
  return out;
}

Result<std::vector<StatusEntry>> IssuanceService::PickEntries(
    std::string_view org_id, size_t n) {
  // OB 3.0 (AchievementCredential JSON schema) allows ONE credentialStatus
  // object, so Open Badges credentials carry a revocation entry only.
  return status_->Pick(org_id, store::StatusPurpose::kRevocation, n);
}

Result<PreparedCredential> IssuanceService::Prepare(
    const IssuerContext& issuer, const store::AchievementVersion& achievement,
    const json::Object& achievement_json, const IssueRequest& request,
    std::span<const StatusEntry> entries, Timestamp now) const {
  CREDSTACK_ASSIGN_OR_RETURN(vc::Recipient recipient,
                             vc::ParseRecipient(request.recipient));
  vc::CredentialInput in;
  in.issuer = issuer.issuer_profile;
  in.achievement = achievement_json;
  in.recipient = recipient;
  in.valid_from = request.valid_from.value_or(
      Timestamp::FromUnixSeconds(now.unix_seconds()));
  in.valid_until = request.valid_until;
  in.awarded_date = request.awarded_date;
  in.credential_id = "urn:uuid:" + NewUuidV4(*ctx_->rng);
  in.evidence = request.evidence;
  in.results = request.results;
  in.credits_earned = request.credits_earned;
  if (entries.size() == 1) {
    in.credential_status = json::Value(status_->EntryJson(entries[0]));
  } else if (!entries.empty()) {
    json::Array status;
    for (const StatusEntry& e : entries)
      status.push_back(status_->EntryJson(e));
    in.credential_status = json::Value(std::move(status));
  }
  CREDSTACK_ASSIGN_OR_RETURN(json::Object unsigned_vc,
                             vc::BuildOpenBadgeCredential(in, *ctx_->rng));
  vc::ProofOptions proof;
  proof.cryptosuite = request.cryptosuite;
  proof.created = Timestamp::FromUnixSeconds(now.unix_seconds());
  CREDSTACK_ASSIGN_OR_RETURN(
      json::Object signed_vc,
      vc::AddProof(unsigned_vc, issuer.signer, proof, ctx_->suite));

  PreparedCredential out;
  out.credential = json::Value(std::move(signed_vc));
  store::Credential& c = out.record.credential;
  c.id = in.credential_id;
  c.org_id = issuer.org.id;
  c.achievement_id = achievement.achievement_id;
  c.achievement_version = achievement.version;
  if (recipient.kind == vc::Recipient::Kind::kDid) {
    c.recipient_kind = store::RecipientKind::kDid;
    c.recipient_identity = recipient.value;
  } else {
    // The salted hash from the credential itself; the email is not kept.
    c.recipient_kind = store::RecipientKind::kEmailHash;
    const json::Object& subject =
        out.credential.as_object().at("credentialSubject").as_object();
    const json::Array* ids = json::GetArray(subject, "identifier");
    if (ids == nullptr || ids->empty() || !(*ids)[0].is_object()) {
      return InternalError("hashed recipient identifier missing");
    }
    c.recipient_identity = std::string(
        json::GetString((*ids)[0].as_object(), "identityHash").value_or(""));
  }
  c.credential_json = json::Serialize(out.credential);
  crypto::Sha256Digest content = crypto::Sha256(c.credential_json);
  c.content_hash = Bytes(content.begin(), content.end());
  c.issued = now;
  c.idempotency_key = request.idempotency_key;
  for (const StatusEntry& e : entries) {
    out.record.allocations.push_back(status_->Allocation(e));
  }
  CREDSTACK_ASSIGN_OR_RETURN(
      out.record.log_entry,
      IssuedLogEntry(
          out.credential,
          std::string(
              json::GetString(issuer.issuer_profile, "id").value_or("")),
          c.id, now));
  return out;
}

Result<IssuedCredential> IssuanceService::Issue(const IssueRequest& request) {
  // An idempotent replay answers without signing anything.
  if (request.idempotency_key) {
    std::optional<store::Credential> existing;
    CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
      Result<store::Credential> c = tx.credentials().FindByIdempotencyKey(
          request.org_id, *request.idempotency_key);
      if (c.has_value()) existing = std::move(*c);
      return c.has_value() || c.error().code() == Code::kNotFound ? OkStatus()
                                                                  : c.error();
    }));
    if (existing) {
      CREDSTACK_ASSIGN_OR_RETURN(json::Value cred,
                                 json::Parse(existing->credential_json));
      return IssuedCredential{std::move(*existing), std::move(cred), false};
    }
  }
  CREDSTACK_ASSIGN_OR_RETURN(IssuerContext issuer, LoadIssuer(request.org_id));
  CREDSTACK_ASSIGN_OR_RETURN(
      store::AchievementVersion achievement,
      LoadAchievement(request.org_id, request.achievement_id,
                      request.achievement_version));
  CREDSTACK_ASSIGN_OR_RETURN(json::Value achievement_json,
                             json::Parse(achievement.achievement_json));
  if (!achievement_json.is_object()) {
    return DataLossError("stored achievement is not a JSON object");
  }
  Status last = OkStatus();
  for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
    Timestamp now = ctx_->clock->Now();
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<StatusEntry> entries,
                               PickEntries(request.org_id, 1));
    CREDSTACK_ASSIGN_OR_RETURN(
        PreparedCredential prepared,
        Prepare(issuer, achievement, achievement_json.as_object(), request,
                entries, now));
    Result<store::IssueOutcome> out = InternalError("unset");
    Status s = ctx_->store->Transact([&](store::Tx& tx) -> Status {
      out = store::IssueCredentialTx(tx, prepared.record);
      return out.status();
    });
    if (s.code() == Code::kAlreadyExists) {
      // A status index was taken by a concurrent issuer: reload and retry.
      status_->Refresh(request.org_id);
      last = s;
      continue;
    }
    CREDSTACK_RETURN_IF_ERROR(s);
    if (!out->created) {
      CREDSTACK_ASSIGN_OR_RETURN(json::Value cred,
                                 json::Parse(out->credential.credential_json));
      return IssuedCredential{std::move(out->credential), std::move(cred),
                              false};
    }
    if (options_.on_issued) options_.on_issued(1);
    // Committed: listeners may now read it, link it, even issue on top of
    // it (a pathway award re-enters Issue on this thread).
    IssuedEvent event{.credential = &out->credential,
                      .recipient = request.recipient};
    listeners_->Notify(std::span(&event, 1));
    return IssuedCredential{std::move(out->credential),
                            std::move(prepared.credential), true};
  }
  return UnavailableError("status index allocation kept conflicting: " +
                          last.message());
}

}  // namespace credstack::app
