// Organizations, signing keys, API keys, achievements and the audit log over
// SqlConn. Tables: docs/formats/schema.md.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "credstack/store/internal/sql_repositories.h"

namespace credstack::store::internal {
namespace {

Status NotFound(std::string_view what, std::string_view id) {
  return NotFoundError(std::string(what) + " \"" + std::string(id) +
                       "\" not found");
}

// ---- row mappers (column order = the SELECT lists below) ----

Organization OrgAt(const SqlResult& r, size_t i) {
  return Organization{.id = r.Text(i, 0),
                      .slug = r.Text(i, 1),
                      .profile_json = r.Text(i, 2),
                      .created = r.Time(i, 3)};
}

SigningKey KeyAt(const SqlResult& r, size_t i) {
  return SigningKey{.key_id = r.Text(i, 0),
                    .org_id = r.Text(i, 1),
                    .verification_method = r.Text(i, 2),
                    .public_key_multibase = r.Text(i, 3),
                    .encrypted_private_key = r.Blob(i, 4),
                    .created = r.Time(i, 5),
                    .retired_at = r.OptTime(i, 6)};
}

Result<ApiKey> ApiKeyAt(const SqlResult& r, size_t i) {
  CREDSTACK_ASSIGN_OR_RETURN(ApiKeyRole role, ParseApiKeyRole(r.Text(i, 2)));
  return ApiKey{.id = r.Text(i, 0),
                .org_id = r.Text(i, 1),
                .role = role,
                .secret_hash = r.Blob(i, 3),
                .prefix = r.Text(i, 4),
                .created = r.Time(i, 5),
                .revoked_at = r.OptTime(i, 6)};
}

AchievementVersion VersionAt(const SqlResult& r, size_t i) {
  return AchievementVersion{.achievement_id = r.Text(i, 0),
                            .org_id = r.Text(i, 1),
                            .version = r.Int(i, 2),
                            .achievement_json = r.Text(i, 3),
                            .created = r.Time(i, 4)};
}

AuditEvent AuditAt(const SqlResult& r, size_t i) {
  return AuditEvent{.id = r.Int(i, 0),
                    .org_id = r.Text(i, 1),
                    .actor = r.Text(i, 2),
                    .action = r.Text(i, 3),
                    .target = r.Text(i, 4),
                    .details_json = r.Text(i, 5),
                    .created = r.Time(i, 6)};
}

}  // namespace

int64_t ClampLimit(int64_t limit) {
  return std::clamp<int64_t>(limit, 1, kMaxPageSize);
}

// ---- organizations ----------------------------------------------------------

Status SqlOrganizationRepository::Insert(const Organization& org) {
  return db_
      .Run(
          "INSERT INTO organizations (id, slug, profile_json, created_us) "
          "VALUES (?, ?, ?, ?)",
          {org.id, org.slug, org.profile_json, org.created.unix_micros})
      .status();
}

Result<Organization> SqlOrganizationRepository::Get(std::string_view id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT id, slug, profile_json, created_us FROM organizations "
              "WHERE id = ?",
              {id}));
  if (r.empty()) return NotFound("organization", id);
  return OrgAt(r, 0);
}

Result<Organization> SqlOrganizationRepository::GetBySlug(
    std::string_view slug) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT id, slug, profile_json, created_us FROM organizations "
              "WHERE slug = ?",
              {slug}));
  if (r.empty()) return NotFound("organization", slug);
  return OrgAt(r, 0);
}

Status SqlOrganizationRepository::UpdateProfile(std::string_view id,
                                                std::string_view profile_json) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("UPDATE organizations SET profile_json = ? WHERE id = ?",
              {profile_json, id}));
  if (r.affected() == 0) return NotFound("organization", id);
  return OkStatus();
}

Result<std::vector<Organization>> SqlOrganizationRepository::List(
    std::string_view after_id, int64_t limit) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT id, slug, profile_json, created_us FROM organizations "
              "WHERE id > ? ORDER BY id LIMIT ?",
              {after_id, ClampLimit(limit)}));
  std::vector<Organization> out;
  for (size_t i = 0; i < r.rows(); ++i) out.push_back(OrgAt(r, i));
  return out;
}

// ---- signing keys -----------------------------------------------------------

#define CREDSTACK_KEY_COLS                                      \
  "key_id, org_id, verification_method, public_key_multibase, " \
  "encrypted_private_key, created_us, retired_us"

Status SqlSigningKeyRepository::Insert(const SigningKey& key) {
  return db_
      .Run("INSERT INTO signing_keys (" CREDSTACK_KEY_COLS
           ") VALUES (?, ?, ?, ?, ?, ?, ?)",
           {key.key_id, key.org_id, key.verification_method,
            key.public_key_multibase, ByteView(key.encrypted_private_key),
            key.created.unix_micros, OptTime(key.retired_at)})
      .status();
}

Result<std::string> SqlSigningKeyRepository::Rotate(const SigningKey& new_key) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult retired,
      db_.Run("UPDATE signing_keys SET retired_us = ? "
              "WHERE org_id = ? AND retired_us IS NULL RETURNING key_id",
              {new_key.created.unix_micros, new_key.org_id}));
  SigningKey active = new_key;
  active.retired_at.reset();
  CREDSTACK_RETURN_IF_ERROR(Insert(active));
  return retired.empty() ? std::string() : retired.Text(0, 0);
}

Result<SigningKey> SqlSigningKeyRepository::GetActive(std::string_view org_id) {
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run("SELECT " CREDSTACK_KEY_COLS
                                     " FROM signing_keys WHERE org_id = ? AND "
                                     "retired_us IS NULL",
                                     {org_id}));
  if (r.empty()) return NotFound("active signing key of organization", org_id);
  return KeyAt(r, 0);
}

Result<SigningKey> SqlSigningKeyRepository::Get(std::string_view org_id,
                                                std::string_view key_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT " CREDSTACK_KEY_COLS
                           " FROM signing_keys WHERE org_id = ? AND key_id = ?",
                           {org_id, key_id}));
  if (r.empty()) return NotFound("signing key", key_id);
  return KeyAt(r, 0);
}

Result<SigningKey> SqlSigningKeyRepository::FindByVerificationMethod(
    std::string_view verification_method) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT " CREDSTACK_KEY_COLS
                           " FROM signing_keys WHERE verification_method = ?",
                           {verification_method}));
  if (r.empty()) return NotFound("verification method", verification_method);
  return KeyAt(r, 0);
}

Result<std::vector<SigningKey>> SqlSigningKeyRepository::ListByOrg(
    std::string_view org_id) {
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run("SELECT " CREDSTACK_KEY_COLS
                                     " FROM signing_keys WHERE org_id = ? "
                                     "ORDER BY created_us, key_id",
                                     {org_id}));
  std::vector<SigningKey> out;
  for (size_t i = 0; i < r.rows(); ++i) out.push_back(KeyAt(r, i));
  return out;
}

#undef CREDSTACK_KEY_COLS

// ---- API keys ---------------------------------------------------------------

#define CREDSTACK_API_KEY_COLS \
  "id, org_id, role, secret_hash, prefix, created_us, revoked_us"

Status SqlApiKeyRepository::Insert(const ApiKey& key) {
  return db_
      .Run("INSERT INTO api_keys (" CREDSTACK_API_KEY_COLS
           ") VALUES (?, ?, ?, ?, ?, ?, ?)",
           {key.id, key.org_id, ApiKeyRoleName(key.role),
            ByteView(key.secret_hash), key.prefix, key.created.unix_micros,
            OptTime(key.revoked_at)})
      .status();
}

Result<ApiKey> SqlApiKeyRepository::FindBySecretHash(ByteView secret_hash) {
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run("SELECT " CREDSTACK_API_KEY_COLS
                                     " FROM api_keys WHERE secret_hash = ?",
                                     {secret_hash}));
  if (r.empty()) return NotFoundError("no API key with that secret");
  return ApiKeyAt(r, 0);
}

Result<std::vector<ApiKey>> SqlApiKeyRepository::ListByOrg(
    std::string_view org_id) {
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run("SELECT " CREDSTACK_API_KEY_COLS
                                     " FROM api_keys WHERE org_id = ? "
                                     "ORDER BY created_us, id",
                                     {org_id}));
  std::vector<ApiKey> out;
  for (size_t i = 0; i < r.rows(); ++i) {
    CREDSTACK_ASSIGN_OR_RETURN(ApiKey key, ApiKeyAt(r, i));
    out.push_back(std::move(key));
  }
  return out;
}

Status SqlApiKeyRepository::Revoke(std::string_view org_id, std::string_view id,
                                   Timestamp when) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("UPDATE api_keys SET revoked_us = COALESCE(revoked_us, ?) "
              "WHERE org_id = ? AND id = ?",
              {when.unix_micros, org_id, id}));
  if (r.affected() == 0) return NotFound("API key", id);
  return OkStatus();
}

#undef CREDSTACK_API_KEY_COLS

// ---- achievements -----------------------------------------------------------

#define CREDSTACK_VERSION_SELECT                                       \
  "SELECT v.achievement_id, a.org_id, v.version, v.achievement_json, " \
  "v.created_us FROM achievement_versions v "                          \
  "JOIN achievements a ON a.id = v.achievement_id "

Result<AchievementVersion> SqlAchievementRepository::Create(
    const AchievementVersion& first) {
  CREDSTACK_RETURN_IF_ERROR(
      db_.Run("INSERT INTO achievements (id, org_id, latest_version, "
              "created_us) VALUES (?, ?, 1, ?)",
              {first.achievement_id, first.org_id, first.created.unix_micros})
          .status());
  CREDSTACK_RETURN_IF_ERROR(
      db_.Run("INSERT INTO achievement_versions (achievement_id, version, "
              "achievement_json, created_us) VALUES (?, 1, ?, ?)",
              {first.achievement_id, first.achievement_json,
               first.created.unix_micros})
          .status());
  AchievementVersion stored = first;
  stored.version = 1;
  return stored;
}

Result<AchievementVersion> SqlAchievementRepository::AddVersion(
    std::string_view org_id, std::string_view achievement_id,
    std::string_view json, Timestamp created) {
  // The UPDATE locks the achievement row (PostgreSQL) or runs under the one
  // writer (SQLite), so concurrent edits get consecutive versions; the
  // primary key (achievement_id, version) backs that up.
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("UPDATE achievements SET latest_version = latest_version + 1 "
              "WHERE id = ? AND org_id = ? RETURNING latest_version",
              {achievement_id, org_id}));
  if (r.empty()) return NotFound("achievement", achievement_id);
  int64_t version = r.Int(0, 0);
  CREDSTACK_RETURN_IF_ERROR(
      db_.Run("INSERT INTO achievement_versions (achievement_id, version, "
              "achievement_json, created_us) VALUES (?, ?, ?, ?)",
              {achievement_id, version, json, created.unix_micros})
          .status());
  return AchievementVersion{.achievement_id = std::string(achievement_id),
                            .org_id = std::string(org_id),
                            .version = version,
                            .achievement_json = std::string(json),
                            .created = created};
}

Result<AchievementVersion> SqlAchievementRepository::GetVersion(
    std::string_view org_id, std::string_view achievement_id, int64_t version) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run(CREDSTACK_VERSION_SELECT
              "WHERE a.org_id = ? AND v.achievement_id = ? AND v.version = ?",
              {org_id, achievement_id, version}));
  if (r.empty()) {
    return NotFoundError("achievement \"" + std::string(achievement_id) +
                         "\" version " + std::to_string(version) +
                         " not found");
  }
  return VersionAt(r, 0);
}

Result<AchievementVersion> SqlAchievementRepository::GetLatest(
    std::string_view org_id, std::string_view achievement_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run(CREDSTACK_VERSION_SELECT
                           "WHERE a.org_id = ? AND v.achievement_id = ? AND "
                           "v.version = a.latest_version",
                           {org_id, achievement_id}));
  if (r.empty()) return NotFound("achievement", achievement_id);
  return VersionAt(r, 0);
}

Result<std::vector<AchievementVersion>> SqlAchievementRepository::ListVersions(
    std::string_view org_id, std::string_view achievement_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run(CREDSTACK_VERSION_SELECT
              "WHERE a.org_id = ? AND v.achievement_id = ? ORDER BY v.version",
              {org_id, achievement_id}));
  if (r.empty()) return NotFound("achievement", achievement_id);
  std::vector<AchievementVersion> out;
  for (size_t i = 0; i < r.rows(); ++i) out.push_back(VersionAt(r, i));
  return out;
}

Result<std::vector<AchievementVersion>> SqlAchievementRepository::ListLatest(
    std::string_view org_id, std::string_view after_id, int64_t limit) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run(CREDSTACK_VERSION_SELECT
                           "WHERE a.org_id = ? AND a.id > ? AND "
                           "v.version = a.latest_version ORDER BY a.id LIMIT ?",
                           {org_id, after_id, ClampLimit(limit)}));
  std::vector<AchievementVersion> out;
  for (size_t i = 0; i < r.rows(); ++i) out.push_back(VersionAt(r, i));
  return out;
}

#undef CREDSTACK_VERSION_SELECT

// ---- audit ------------------------------------------------------------------

Result<int64_t> SqlAuditRepository::Append(const AuditEvent& event) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run(
          "INSERT INTO audit_events (org_id, actor, action, target, "
          "details_json, created_us) VALUES (?, ?, ?, ?, ?, ?) "
          "RETURNING id",
          {event.org_id, event.actor, event.action, event.target,
           event.details_json.empty() ? std::string_view("{}")
                                      : std::string_view(event.details_json),
           event.created.unix_micros}));
  return r.Int(0, 0);
}

Result<std::vector<AuditEvent>> SqlAuditRepository::List(
    std::string_view org_id, int64_t after_id, int64_t limit) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT id, org_id, actor, action, target, details_json, "
              "created_us FROM audit_events WHERE org_id = ? AND id > ? "
              "ORDER BY id LIMIT ?",
              {org_id, after_id, ClampLimit(limit)}));
  std::vector<AuditEvent> out;
  for (size_t i = 0; i < r.rows(); ++i) out.push_back(AuditAt(r, i));
  return out;
}

}  // namespace credstack::store::internal
