#include "credstack/app/achievements.h"

#include <utility>

#include "credstack/base/uuid.h"
#include "credstack/crypto/ed25519.h"
#include "credstack/vc/data_integrity.h"
#include "credstack/vc/open_badges.h"

namespace credstack::app {
namespace {

// OB 3.0 §B.1.1 Achievement members.
constexpr std::string_view kAchievementMembers[] = {"id",
                                                    "type",
                                                    "alignment",
                                                    "achievementType",
                                                    "creator",
                                                    "creditsAvailable",
                                                    "criteria",
                                                    "description",
                                                    "endorsement",
                                                    "endorsementJwt",
                                                    "fieldOfStudy",
                                                    "humanCode",
                                                    "image",
                                                    "inLanguage",
                                                    "name",
                                                    "otherIdentifier",
                                                    "related",
                                                    "resultDescription",
                                                    "specialization",
                                                    "tag",
                                                    "version"};

Status Field(std::string_view path, std::string message) {
  return InvalidArgumentError("$." + std::string(path) + ": " +
                              std::move(message));
}

Status CheckStringOrArrayOfStrings(const json::Object& a,
                                   std::string_view key) {
  const json::Value* v = a.if_contains(key);
  if (v == nullptr) return OkStatus();
  if (v->is_string()) return OkStatus();
  if (v->is_array()) {
    for (const json::Value& e : v->get_array()) {
      if (!e.is_string()) return Field(key, "must be strings");
    }
    return OkStatus();
  }
  return Field(key, "must be a string or an array of strings");
}

}  // namespace

Result<json::Object> ValidateAchievement(json::Object a, Rng& rng,
                                         const vc::SuiteOptions& suite,
                                         size_t max_bytes) {
  if (json::Serialize(a).size() > max_bytes) {
    return ResourceExhaustedError("achievement larger than " +
                                  std::to_string(max_bytes) + " bytes");
  }
  a.erase("@context");  // the credential supplies the contexts
  for (const auto& kv : a) {
    bool known = false;
    for (std::string_view k : kAchievementMembers)
      known = known || kv.key() == k;
    if (!known) {
      return Field(kv.key(),
                   "not an Open Badges 3.0 Achievement member (OB 3.0 §B.1.1)");
    }
  }
  for (std::string_view key : {"achievementType", "humanCode", "fieldOfStudy",
                               "specialization", "inLanguage", "version"}) {
    const json::Value* v = a.if_contains(key);
    if (v != nullptr && !v->is_string()) return Field(key, "must be a string");
  }
  CREDSTACK_RETURN_IF_ERROR(CheckStringOrArrayOfStrings(a, "tag"));
  if (const json::Value* c = a.if_contains("creditsAvailable")) {
    if (!c->is_number() || c->to_number<double>() < 0) {
      return Field("creditsAvailable", "must be a number >= 0");
    }
  }
  if (const json::Value* img = a.if_contains("image")) {
    if (img->is_string()) {
      json::Object o;
      o["id"] = img->get_string();
      o["type"] = "Image";
      a["image"] = std::move(o);
    } else if (const json::Object* o = img->if_object()) {
      if (!json::GetString(*o, "id")) return Field("image.id", "required URI");
      if (!o->contains("type")) a["image"].as_object()["type"] = "Image";
    } else {
      return Field("image", "must be a URI or an Image object");
    }
  }
  if (const json::Value* rd = a.if_contains("resultDescription")) {
    if (!rd->is_array()) return Field("resultDescription", "must be an array");
    size_t i = 0;
    for (json::Value& e : a["resultDescription"].as_array()) {
      json::Object* o = e.if_object();
      std::string p = "resultDescription[" + std::to_string(i++) + "]";
      if (o == nullptr) return Field(p, "must be an object");
      if (!json::GetString(*o, "name")) return Field(p + ".name", "required");
      if (!json::GetString(*o, "resultType")) {
        return Field(p + ".resultType", "required");
      }
      if (!o->contains("id")) (*o)["id"] = "urn:uuid:" + NewUuidV4(rng);
      if (!o->contains("type")) (*o)["type"] = json::Array{"ResultDescription"};
    }
  }
  CREDSTACK_ASSIGN_OR_RETURN(json::Object normalized,
                             vc::NormalizeAchievement(std::move(a), rng));
  // The definition must be issuable: build and sign a throwaway credential
  // (catches terms the JSON-LD contexts do not define, among others).
  vc::CredentialInput probe;
  probe.issuer["id"] = "did:example:issuer";
  probe.issuer["type"] = json::Array{"Profile"};
  probe.issuer["name"] = "probe";
  probe.achievement = normalized;
  probe.recipient = vc::Recipient{vc::Recipient::Kind::kDid, "did:example:x"};
  probe.valid_from = Timestamp::FromUnixSeconds(1'700'000'000);
  Result<json::Object> unsigned_vc = vc::BuildOpenBadgeCredential(probe, rng);
  if (!unsigned_vc.has_value()) {
    return InvalidArgumentError("achievement cannot be issued: " +
                                unsigned_vc.error().message());
  }
  crypto::Ed25519Seed seed{};
  vc::Signer signer =
      vc::Signer::ForDidKey(crypto::Ed25519KeyPair::FromSeed(seed));
  Result<json::Object> signed_vc =
      vc::AddProof(*unsigned_vc, signer, vc::ProofOptions{}, suite);
  if (!signed_vc.has_value()) {
    return InvalidArgumentError("achievement cannot be signed: " +
                                signed_vc.error().message());
  }
  return normalized;
}

AchievementService::AchievementService(std::shared_ptr<const AppContext> ctx)
    : ctx_(std::move(ctx)) {}

Result<store::AchievementVersion> AchievementService::Create(
    std::string_view org_id, const json::Object& body, std::string_view actor) {
  std::string id = NewUuidV4(*ctx_->rng);
  json::Object input = body;
  if (!input.contains("id")) input["id"] = "urn:uuid:" + id;
  CREDSTACK_ASSIGN_OR_RETURN(
      json::Object a,
      ValidateAchievement(std::move(input), *ctx_->rng, ctx_->suite));
  store::AchievementVersion v{.achievement_id = id,
                              .org_id = std::string(org_id),
                              .version = 1,
                              .achievement_json = json::Serialize(a),
                              .created = ctx_->clock->Now()};
  store::AchievementVersion stored;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Transact([&](store::Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.organizations().Get(org_id).status());
    CREDSTACK_ASSIGN_OR_RETURN(stored, tx.achievements().Create(v));
    return tx.audit()
        .Append(store::AuditEvent{.org_id = std::string(org_id),
                                  .actor = std::string(actor),
                                  .action = "achievement.create",
                                  .target = id,
                                  .details_json = "{}",
                                  .created = v.created})
        .status();
  }));
  return stored;
}

Result<store::AchievementVersion> AchievementService::Update(
    std::string_view org_id, std::string_view achievement_id,
    const json::Object& body, std::string_view actor) {
  // The JSON id is fixed by version 1.
  CREDSTACK_ASSIGN_OR_RETURN(store::AchievementVersion first,
                             Get(org_id, achievement_id, 1));
  CREDSTACK_ASSIGN_OR_RETURN(json::Value first_json,
                             json::Parse(first.achievement_json));
  json::Object input = body;
  input["id"] = first_json.as_object()["id"];
  CREDSTACK_ASSIGN_OR_RETURN(
      json::Object a,
      ValidateAchievement(std::move(input), *ctx_->rng, ctx_->suite));
  std::string text = json::Serialize(a);
  Timestamp now = ctx_->clock->Now();
  store::AchievementVersion stored;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Transact([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(stored, tx.achievements().AddVersion(
                                           org_id, achievement_id, text, now));
    json::Object details;
    details["version"] = stored.version;
    return tx.audit()
        .Append(store::AuditEvent{.org_id = std::string(org_id),
                                  .actor = std::string(actor),
                                  .action = "achievement.update",
                                  .target = std::string(achievement_id),
                                  .details_json = json::Serialize(details),
                                  .created = now})
        .status();
  }));
  return stored;
}

Result<store::AchievementVersion> AchievementService::Get(
    std::string_view org_id, std::string_view achievement_id,
    std::optional<int64_t> version) const {
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

Result<std::vector<store::AchievementVersion>> AchievementService::List(
    std::string_view org_id, std::string_view after_id, int64_t limit) const {
  std::vector<store::AchievementVersion> out;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(
        out, tx.achievements().ListLatest(org_id, after_id, limit));
    return OkStatus();
  }));
  return out;
}

Result<std::vector<store::AchievementVersion>> AchievementService::ListVersions(
    std::string_view org_id, std::string_view achievement_id) const {
  std::vector<store::AchievementVersion> out;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(
        out, tx.achievements().ListVersions(org_id, achievement_id));
    if (out.empty()) {
      return NotFoundError("achievement \"" + std::string(achievement_id) +
                           "\" not found");
    }
    return OkStatus();
  }));
  return out;
}

json::Object AchievementToJson(const store::AchievementVersion& v) {
  json::Object o;
  o["id"] = v.achievement_id;
  o["version"] = v.version;
  o["created"] = FormatDateTime(v.created);
  Result<json::Value> a = json::Parse(v.achievement_json);
  o["achievement"] = a.has_value() ? *a : json::Value(nullptr);
  return o;
}

}  // namespace credstack::app
