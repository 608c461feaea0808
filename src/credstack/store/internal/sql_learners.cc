// Learners, their credentials, pathways and awards over SqlConn.
// Tables: migration 0004, docs/formats/schema.md.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "credstack/store/internal/sql_repositories.h"
#include "credstack/store/internal/sql_skills.h"

namespace credstack::store {

std::string_view LearnerCredentialSourceName(LearnerCredentialSource s) {
  return s == LearnerCredentialSource::kIssued ? "issued" : "uploaded";
}

}  // namespace credstack::store

namespace credstack::store::internal {
namespace {

#define CREDSTACK_LEARNER_COLS \
  "id, org_id, did, display_name, token_hash, created_us"

Learner LearnerAt(const SqlResult& r, size_t i) {
  return Learner{.id = r.Text(i, 0),
                 .org_id = r.OptText(i, 1),
                 .did = r.OptText(i, 2),
                 .display_name = r.Text(i, 3),
                 .token_hash = r.Blob(i, 4),
                 .created = r.Time(i, 5)};
}

#define CREDSTACK_PATHWAY_COLS \
  "id, org_id, achievement_id, definition_json, created_us, updated_us"

PathwayRecord PathwayAt(const SqlResult& r, size_t i) {
  return PathwayRecord{.id = r.Text(i, 0),
                       .org_id = r.Text(i, 1),
                       .achievement_id = r.Text(i, 2),
                       .definition_json = r.Text(i, 3),
                       .created = r.Time(i, 4),
                       .updated = r.Time(i, 5)};
}

PathwayAward AwardAt(const SqlResult& r, size_t i) {
  return PathwayAward{.pathway_id = r.Text(i, 0),
                      .learner_id = r.Text(i, 1),
                      .credential_id = r.Text(i, 2),
                      .awarded = r.Time(i, 3)};
}

}  // namespace

// ---- learners ---------------------------------------------------------------

Status SqlLearnerRepository::Insert(const Learner& l) {
  CREDSTACK_RETURN_IF_ERROR(
      db_.Run("INSERT INTO learners (" CREDSTACK_LEARNER_COLS
              ") VALUES (?, ?, ?, ?, ?, ?)",
              {l.id, OptText(l.org_id), OptText(l.did), l.display_name,
               ByteView(l.token_hash), l.created.unix_micros})
          .status());
  for (const std::string& email : l.emails) {
    CREDSTACK_RETURN_IF_ERROR(
        db_.Run("INSERT INTO learner_emails (learner_id, email) VALUES (?, ?)",
                {l.id, email})
            .status());
  }
  return OkStatus();
}

Status SqlLearnerRepository::FillEmails(Learner& learner) {
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run("SELECT email FROM learner_emails WHERE "
                                     "learner_id = ? ORDER BY email",
                                     {learner.id}));
  learner.emails.clear();
  for (size_t i = 0; i < r.rows(); ++i) learner.emails.push_back(r.Text(i, 0));
  return OkStatus();
}

Result<Learner> SqlLearnerRepository::One(std::string_view sql, SqlParam param,
                                          std::string_view what) {
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r, db_.Run(sql, {param}));
  if (r.empty()) return NotFoundError(std::string(what));
  Learner l = LearnerAt(r, 0);
  CREDSTACK_RETURN_IF_ERROR(FillEmails(l));
  return l;
}

Result<Learner> SqlLearnerRepository::Get(std::string_view id) {
  return One("SELECT " CREDSTACK_LEARNER_COLS " FROM learners WHERE id = ?", id,
             "learner \"" + std::string(id) + "\" not found");
}

Result<Learner> SqlLearnerRepository::FindByTokenHash(ByteView token_hash) {
  return One("SELECT " CREDSTACK_LEARNER_COLS
             " FROM learners WHERE token_hash = ?",
             token_hash, "no learner with that token");
}

Result<Learner> SqlLearnerRepository::FindByDid(std::string_view did) {
  return One("SELECT " CREDSTACK_LEARNER_COLS " FROM learners WHERE did = ?",
             did, "no learner with that DID");
}

Result<Learner> SqlLearnerRepository::FindByEmail(std::string_view email) {
  return One(
      "SELECT l.id, l.org_id, l.did, l.display_name, l.token_hash, "
      "l.created_us FROM learners l JOIN learner_emails e ON "
      "e.learner_id = l.id WHERE e.email = ?",
      email, "no learner with that email");
}

Result<std::vector<Learner>> SqlLearnerRepository::List(
    std::string_view after_id, int64_t limit) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT " CREDSTACK_LEARNER_COLS
                           " FROM learners WHERE id > ? ORDER BY id LIMIT ?",
                           {after_id, ClampLimit(limit)}));
  std::vector<Learner> out;
  for (size_t i = 0; i < r.rows(); ++i) {
    Learner l = LearnerAt(r, i);
    CREDSTACK_RETURN_IF_ERROR(FillEmails(l));
    out.push_back(std::move(l));
  }
  return out;
}

Result<bool> SqlLearnerRepository::AddCredential(const LearnerCredential& c) {
  const bool issued = c.source == LearnerCredentialSource::kIssued;
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("INSERT INTO learner_credentials (learner_id, credential_key, "
              "source, credential_id, credential_json, content_hash, issuer, "
              "achievement_id, added_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (learner_id, credential_key) DO UPDATE SET "
              "credential_json = excluded.credential_json, content_hash = "
              "excluded.content_hash, issuer = excluded.issuer, "
              "achievement_id = excluded.achievement_id, added_us = "
              "excluded.added_us WHERE learner_credentials.source = "
              "'uploaded' AND excluded.source = 'uploaded' AND "
              "learner_credentials.content_hash <> excluded.content_hash",
              {c.learner_id, c.credential_key,
               LearnerCredentialSourceName(c.source),
               issued ? OptText(c.credential_id) : SqlParam(nullptr),
               issued ? SqlParam(nullptr)
                      : SqlParam(std::string_view(c.credential_json)),
               ByteView(c.content_hash), c.issuer, c.achievement_id,
               c.added.unix_micros}));
  return r.affected() == 1;
}

Result<std::vector<LearnerCredential>> SqlLearnerRepository::ListCredentials(
    std::string_view learner_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT lc.learner_id, lc.credential_key, lc.source, "
              "lc.credential_id, COALESCE(lc.credential_json, "
              "c.credential_json), lc.content_hash, lc.issuer, "
              "lc.achievement_id, lc.added_us FROM learner_credentials lc "
              "LEFT JOIN credentials c ON c.id = lc.credential_id WHERE "
              "lc.learner_id = ? ORDER BY lc.added_us, lc.credential_key "
              "LIMIT 10000",
              {learner_id}));
  std::vector<LearnerCredential> out;
  out.reserve(r.rows());
  for (size_t i = 0; i < r.rows(); ++i) {
    out.push_back(LearnerCredential{
        .learner_id = r.Text(i, 0),
        .credential_key = r.Text(i, 1),
        .source = r.Text(i, 2) == "issued" ? LearnerCredentialSource::kIssued
                                           : LearnerCredentialSource::kUploaded,
        .credential_id = r.OptText(i, 3),
        .credential_json = r.Text(i, 4),
        .content_hash = r.Blob(i, 5),
        .issuer = r.Text(i, 6),
        .achievement_id = r.Text(i, 7),
        .added = r.Time(i, 8)});
  }
  return out;
}

Result<std::vector<std::string>> SqlLearnerRepository::LearnersWithCredential(
    std::string_view credential_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT DISTINCT learner_id FROM "
                           "learner_credentials WHERE credential_id = ? "
                           "ORDER BY learner_id LIMIT 1000",
                           {credential_id}));
  std::vector<std::string> out;
  for (size_t i = 0; i < r.rows(); ++i) out.push_back(r.Text(i, 0));
  return out;
}

Result<int64_t> SqlLearnerRepository::Count() {
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run("SELECT COUNT(*) FROM learners"));
  return r.Int(0, 0);
}

// ---- pathways ---------------------------------------------------------------

Status SqlPathwayRepository::Insert(const PathwayRecord& p) {
  CREDSTACK_RETURN_IF_ERROR(
      db_.Run("INSERT INTO pathways (" CREDSTACK_PATHWAY_COLS
              ") VALUES (?, ?, ?, ?, ?, ?)",
              {p.id, p.org_id, p.achievement_id, p.definition_json,
               p.created.unix_micros, p.updated.unix_micros})
          .status());
  std::vector<SqlParam> params;
  for (const std::string& a : p.components) {
    params.insert(params.end(), {p.id, std::string_view(a)});
  }
  if (params.empty()) return OkStatus();
  return db_
      .RunBatch(
          "INSERT INTO pathway_components (pathway_id, achievement_id) "
          "VALUES (?, ?) ON CONFLICT (pathway_id, achievement_id) DO "
          "NOTHING",
          params, 2)
      .status();
}

Status SqlPathwayRepository::FillComponents(PathwayRecord& p) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT achievement_id FROM pathway_components "
                           "WHERE pathway_id = ? ORDER BY achievement_id",
                           {p.id}));
  p.components.clear();
  for (size_t i = 0; i < r.rows(); ++i) p.components.push_back(r.Text(i, 0));
  return OkStatus();
}

Result<PathwayRecord> SqlPathwayRepository::Get(std::string_view id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT " CREDSTACK_PATHWAY_COLS " FROM pathways WHERE id = ?",
              {id}));
  if (r.empty())
    return NotFoundError("pathway \"" + std::string(id) + "\" not found");
  PathwayRecord p = PathwayAt(r, 0);
  CREDSTACK_RETURN_IF_ERROR(FillComponents(p));
  return p;
}

Result<std::vector<PathwayRecord>> SqlPathwayRepository::List(
    std::string_view org_id, std::string_view after_id, int64_t limit) {
  Result<SqlResult> r =
      org_id.empty()
          ? db_.Run("SELECT " CREDSTACK_PATHWAY_COLS
                    " FROM pathways WHERE id > ? ORDER BY id LIMIT ?",
                    {after_id, ClampLimit(limit)})
          : db_.Run("SELECT " CREDSTACK_PATHWAY_COLS
                    " FROM pathways WHERE org_id = ? AND id > ? ORDER BY id "
                    "LIMIT ?",
                    {org_id, after_id, ClampLimit(limit)});
  if (!r.ok()) return r.status();
  std::vector<PathwayRecord> out;
  for (size_t i = 0; i < r->rows(); ++i) {
    PathwayRecord p = PathwayAt(*r, i);
    CREDSTACK_RETURN_IF_ERROR(FillComponents(p));
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<std::string>> SqlPathwayRepository::Mentioning(
    std::span<const std::string> achievement_ids) {
  std::vector<std::string> out;
  for (const std::string& a : achievement_ids) {
    CREDSTACK_ASSIGN_OR_RETURN(
        SqlResult r, db_.Run("SELECT pathway_id FROM pathway_components "
                             "WHERE achievement_id = ? LIMIT 1000",
                             {a}));
    for (size_t i = 0; i < r.rows(); ++i) out.push_back(r.Text(i, 0));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<RecordedAward> SqlPathwayRepository::RecordAward(const PathwayAward& a) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("INSERT INTO pathway_awards (pathway_id, learner_id, "
              "credential_id, awarded_us) VALUES (?, ?, ?, ?) ON CONFLICT "
              "(pathway_id, learner_id) DO NOTHING",
              {a.pathway_id, a.learner_id, a.credential_id,
               a.awarded.unix_micros}));
  if (r.affected() == 1) return RecordedAward{.award = a, .created = true};
  CREDSTACK_ASSIGN_OR_RETURN(PathwayAward existing,
                             GetAward(a.pathway_id, a.learner_id));
  return RecordedAward{.award = std::move(existing), .created = false};
}

Result<PathwayAward> SqlPathwayRepository::GetAward(
    std::string_view pathway_id, std::string_view learner_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT pathway_id, learner_id, credential_id, awarded_us FROM "
              "pathway_awards WHERE pathway_id = ? AND learner_id = ?",
              {pathway_id, learner_id}));
  if (r.empty()) return NotFoundError("no award for that pathway and learner");
  return AwardAt(r, 0);
}

Result<std::vector<PathwayAward>> SqlPathwayRepository::ListAwards(
    std::string_view learner_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT pathway_id, learner_id, credential_id, awarded_us FROM "
              "pathway_awards WHERE learner_id = ? ORDER BY pathway_id "
              "LIMIT 1000",
              {learner_id}));
  std::vector<PathwayAward> out;
  for (size_t i = 0; i < r.rows(); ++i) out.push_back(AwardAt(r, i));
  return out;
}

Result<int64_t> SqlPathwayRepository::Count() {
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run("SELECT COUNT(*) FROM pathways"));
  return r.Int(0, 0);
}

}  // namespace credstack::store::internal
