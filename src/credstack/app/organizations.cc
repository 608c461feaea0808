#include "credstack/app/organizations.h"

#include <cctype>
#include <utility>

#include "credstack/base/bytes.h"
#include "credstack/base/utf8.h"
#include "credstack/base/uuid.h"
#include "credstack/crypto/sha.h"

namespace credstack::app {
namespace {

constexpr size_t kMaxText = 2000;
constexpr size_t kMaxUrl = 2048;

Status Field(std::string_view field, std::string message) {
  return InvalidArgumentError("$." + std::string(field) + ": " +
                              std::move(message));
}

bool LooksLikeUrl(std::string_view s) {
  return (s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0) &&
         s.size() > 8 && s.size() <= kMaxUrl &&
         s.find_first_of(" \t\r\n<>\"") == std::string_view::npos;
}

bool LooksLikeEmail(std::string_view s) {
  size_t at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() &&
         s.find('@', at + 1) == std::string_view::npos && s.size() <= 254 &&
         s.find_first_of(" \t\r\n<>,;\"") == std::string_view::npos;
}

Result<std::string> TextField(const json::Object& o, std::string_view key,
                              bool required, size_t max = kMaxText) {
  const json::Value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) return Field(key, "required");
    return std::string();
  }
  if (!v->is_string()) return Field(key, "must be a string");
  std::string_view s = v->get_string();
  if (required && s.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Field(key, "must not be empty");
  }
  if (s.size() > max) {
    return Field(key, "longer than " + std::to_string(max) + " bytes");
  }
  return std::string(s);
}

}  // namespace

bool IsValidSlug(std::string_view slug) {
  if (slug.empty() || slug.size() > 64) return false;
  if (slug.front() == '-' || slug.back() == '-') return false;
  for (char c : slug) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  return true;
}

std::string SlugFromName(std::string_view name) {
  std::string out;
  bool dash = false;
  for (unsigned char c : name) {
    if (std::isalnum(c) && c < 0x80) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += static_cast<char>(std::tolower(c));
    } else {
      dash = true;
    }
    if (out.size() >= 48) break;
  }
  return out;
}

Result<json::Object> NormalizeProfile(const json::Object& in) {
  static constexpr std::string_view kKnown[] = {
      "name",  "url",  "email",  "description", "image",
      "phone", "slug", "didKey", "type",        "id"};
  for (const auto& kv : in) {
    bool known = false;
    for (std::string_view k : kKnown) known = known || kv.key() == k;
    if (!known) {
      return Field(kv.key(),
                   "unknown member (allowed: name, url, email, description, "
                   "image, phone)");
    }
  }
  json::Object p;
  p["type"] = json::Array{"Profile"};
  CREDSTACK_ASSIGN_OR_RETURN(std::string name,
                             TextField(in, "name", true, 200));
  p["name"] = name;
  CREDSTACK_ASSIGN_OR_RETURN(std::string url, TextField(in, "url", false));
  if (!url.empty()) {
    if (!LooksLikeUrl(url)) return Field("url", "must be an http(s) URL");
    p["url"] = url;
  }
  CREDSTACK_ASSIGN_OR_RETURN(std::string email,
                             TextField(in, "email", false, 254));
  if (!email.empty()) {
    if (!LooksLikeEmail(email))
      return Field("email", "must be an email address");
    p["email"] = email;
  }
  CREDSTACK_ASSIGN_OR_RETURN(std::string phone,
                             TextField(in, "phone", false, 64));
  if (!phone.empty()) p["phone"] = phone;
  CREDSTACK_ASSIGN_OR_RETURN(std::string description,
                             TextField(in, "description", false));
  if (!description.empty()) p["description"] = description;
  if (const json::Value* image = in.if_contains("image");
      image != nullptr && !image->is_null()) {
    // OB 3.0 §B.1.13 Image: an object with id (URI) and type "Image", or a
    // plain URI.
    if (image->is_string()) {
      std::string_view u = image->get_string();
      if (!LooksLikeUrl(u) && u.rfind("data:image/", 0) != 0) {
        return Field("image", "must be an http(s) or data:image URL");
      }
      json::Object img;
      img["id"] = u;
      img["type"] = "Image";
      p["image"] = std::move(img);
    } else if (const json::Object* o = image->if_object()) {
      auto id = json::GetString(*o, "id");
      if (!id || (!LooksLikeUrl(*id) && id->rfind("data:image/", 0) != 0)) {
        return Field("image.id", "must be an http(s) or data:image URL");
      }
      json::Object img;
      img["id"] = *id;
      img["type"] = "Image";
      if (auto caption = json::GetString(*o, "caption"))
        img["caption"] = *caption;
      p["image"] = std::move(img);
    } else {
      return Field("image", "must be a URL or an Image object");
    }
  }
  return p;
}

OrganizationService::OrganizationService(std::shared_ptr<const AppContext> ctx,
                                         std::shared_ptr<KeyService> keys)
    : ctx_(std::move(ctx)), keys_(std::move(keys)) {}

CreatedApiKey OrganizationService::NewApiKey(std::string_view org_id,
                                             store::ApiKeyRole role) const {
  std::array<uint8_t, 24> raw;
  ctx_->rng->Fill(raw);
  std::string secret = "csk_" + HexEncode(raw);
  crypto::SecureWipe(raw);
  crypto::Sha256Digest hash = crypto::Sha256(secret);
  CreatedApiKey out;
  out.key = store::ApiKey{.id = "key_" + NewUuidV4(*ctx_->rng).substr(0, 8) +
                                NewUuidV4(*ctx_->rng).substr(24),
                          .org_id = std::string(org_id),
                          .role = role,
                          .secret_hash = Bytes(hash.begin(), hash.end()),
                          .prefix = secret.substr(0, 12),
                          .created = ctx_->clock->Now()};
  out.secret = std::move(secret);
  return out;
}

Result<CreatedOrganization> OrganizationService::Create(
    const json::Object& body, std::string_view actor) {
  CREDSTACK_ASSIGN_OR_RETURN(json::Object profile, NormalizeProfile(body));
  std::string slug;
  if (const json::Value* s = body.if_contains("slug"); s && !s->is_null()) {
    if (!s->is_string() || !IsValidSlug(s->get_string())) {
      return Field("slug",
                   "must be 1..64 characters of a-z, 0-9 and '-', not "
                   "starting or ending with '-'");
    }
    slug = std::string(s->get_string());
  } else {
    slug = SlugFromName(profile["name"].get_string());
    if (!IsValidSlug(slug)) {
      return Field("slug", "cannot derive a slug from the name; give one");
    }
  }
  bool want_did_key = false;
  if (const json::Value* d = body.if_contains("didKey"); d && !d->is_null()) {
    if (!d->is_bool()) return Field("didKey", "must be a boolean");
    want_did_key = d->get_bool();
  }
  CreatedOrganization out;
  out.org = store::Organization{.id = NewUuidV4(*ctx_->rng),
                                .slug = slug,
                                .profile_json = json::Serialize(profile),
                                .created = ctx_->clock->Now()};
  out.issuer_did = ctx_->urls.IssuerDid(slug);
  out.admin_key = NewApiKey(out.org.id, store::ApiKeyRole::kAdmin);
  Status s = ctx_->store->Transact([&](store::Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.organizations().Insert(out.org));
    CREDSTACK_RETURN_IF_ERROR(keys_->CreateOrgKey(tx, out.org));
    CREDSTACK_RETURN_IF_ERROR(tx.api_keys().Insert(out.admin_key.key));
    json::Object details;
    details["slug"] = slug;
    return tx.audit()
        .Append(store::AuditEvent{.org_id = out.org.id,
                                  .actor = std::string(actor),
                                  .action = "org.create",
                                  .target = out.org.id,
                                  .details_json = json::Serialize(details),
                                  .created = out.org.created})
        .status();
  });
  if (s.code() == Code::kAlreadyExists) {
    return AlreadyExistsError("an organization with slug \"" + slug +
                              "\" already exists");
  }
  CREDSTACK_RETURN_IF_ERROR(s);
  if (want_did_key) {
    CREDSTACK_ASSIGN_OR_RETURN(std::string did,
                               keys_->EnableDidKey(out.org.id));
    out.did_key = std::move(did);
  }
  return out;
}

Result<store::Organization> OrganizationService::Get(
    std::string_view org_id) const {
  store::Organization org;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(org, tx.organizations().Get(org_id));
    return OkStatus();
  }));
  return org;
}

Result<std::vector<store::Organization>> OrganizationService::List(
    std::string_view after_id, int64_t limit) const {
  std::vector<store::Organization> out;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(out, tx.organizations().List(after_id, limit));
    return OkStatus();
  }));
  return out;
}

Result<store::Organization> OrganizationService::UpdateProfile(
    std::string_view org_id, const json::Object& body, std::string_view actor) {
  if (body.contains("slug")) {
    return Field("slug", "cannot be changed (it is part of the issuer DID)");
  }
  CREDSTACK_ASSIGN_OR_RETURN(json::Object profile, NormalizeProfile(body));
  store::Organization org;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Transact([&](store::Tx& tx) -> Status {
    std::string text = json::Serialize(profile);
    CREDSTACK_RETURN_IF_ERROR(tx.organizations().UpdateProfile(org_id, text));
    CREDSTACK_ASSIGN_OR_RETURN(org, tx.organizations().Get(org_id));
    return tx.audit()
        .Append(store::AuditEvent{.org_id = std::string(org_id),
                                  .actor = std::string(actor),
                                  .action = "org.update",
                                  .target = std::string(org_id),
                                  .details_json = "{}",
                                  .created = ctx_->clock->Now()})
        .status();
  }));
  return org;
}

Result<CreatedApiKey> OrganizationService::CreateApiKey(
    std::string_view org_id, store::ApiKeyRole role, std::string_view actor) {
  CreatedApiKey key = NewApiKey(org_id, role);
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Transact([&](store::Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.organizations().Get(org_id).status());
    CREDSTACK_RETURN_IF_ERROR(tx.api_keys().Insert(key.key));
    json::Object details;
    details["role"] = ApiKeyRoleName(role);
    return tx.audit()
        .Append(store::AuditEvent{.org_id = std::string(org_id),
                                  .actor = std::string(actor),
                                  .action = "api_key.create",
                                  .target = key.key.id,
                                  .details_json = json::Serialize(details),
                                  .created = key.key.created})
        .status();
  }));
  return key;
}

Result<std::vector<store::ApiKey>> OrganizationService::ListApiKeys(
    std::string_view org_id) const {
  std::vector<store::ApiKey> out;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(out, tx.api_keys().ListByOrg(org_id));
    return OkStatus();
  }));
  return out;
}

Status OrganizationService::RevokeApiKey(std::string_view org_id,
                                         std::string_view key_id,
                                         std::string_view actor) {
  return ctx_->store->Transact([&](store::Tx& tx) -> Status {
    Timestamp now = ctx_->clock->Now();
    CREDSTACK_RETURN_IF_ERROR(tx.api_keys().Revoke(org_id, key_id, now));
    return tx.audit()
        .Append(store::AuditEvent{.org_id = std::string(org_id),
                                  .actor = std::string(actor),
                                  .action = "api_key.revoke",
                                  .target = std::string(key_id),
                                  .details_json = "{}",
                                  .created = now})
        .status();
  });
}

json::Object OrganizationService::IssuerProfile(
    const store::Organization& org) const {
  json::Object out;
  out["id"] = ctx_->urls.IssuerDid(org.slug);
  Result<json::Value> stored = json::Parse(org.profile_json);
  if (stored.has_value() && stored->is_object()) {
    for (const auto& kv : stored->get_object()) {
      if (kv.key() != "id") out[kv.key()] = kv.value();
    }
  }
  if (!out.contains("type")) out["type"] = json::Array{"Profile"};
  return out;
}

json::Object OrganizationService::ToJson(const store::Organization& org) const {
  json::Object o;
  o["id"] = org.id;
  o["slug"] = org.slug;
  o["did"] = ctx_->urls.IssuerDid(org.slug);
  o["didDocument"] = ctx_->urls.IssuerDidDocumentUrl(org.slug);
  o["profile"] = IssuerProfile(org);
  o["created"] = FormatDateTime(org.created);
  return o;
}

json::Object ApiKeyToJson(const store::ApiKey& key) {
  json::Object o;
  o["id"] = key.id;
  o["role"] = store::ApiKeyRoleName(key.role);
  o["prefix"] = key.prefix;
  o["created"] = FormatDateTime(key.created);
  if (key.revoked_at) o["revoked"] = FormatDateTime(*key.revoked_at);
  return o;
}

}  // namespace credstack::app
