// Skills frameworks and the achievement alignment index over SqlConn.
// Tables: migration 0004, docs/formats/schema.md.

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "credstack/json/json.h"
#include "credstack/store/internal/sql_repositories.h"
#include "credstack/store/internal/sql_skills.h"

namespace credstack::store::internal {
namespace {

namespace pw = credstack::pathways;

// Rows per batched statement run; bounds the parameter vectors' size.
constexpr size_t kBatchRows = 4096;

// Runs `sql` (width parameters per row) over rows [0, n) produced by
// `fill(i, params)`, in batches.
template <typename Fill>
Status Batch(SqlConn& db, std::string_view sql, size_t width, size_t n,
             Fill fill) {
  std::vector<SqlParam> params;
  params.reserve(std::min(n, kBatchRows) * width);
  for (size_t i = 0; i < n; ++i) {
    fill(i, params);
    if (params.size() >= kBatchRows * width || i + 1 == n) {
      CREDSTACK_RETURN_IF_ERROR(db.RunBatch(sql, params, width).status());
      params.clear();
    }
  }
  return OkStatus();
}

SqlParam Milli(const std::optional<float>& v) {
  if (!v) return SqlParam(nullptr);
  return SqlParam(static_cast<int64_t>(std::llround(*v * 1000.0)));
}

std::optional<float> FromMilli(const SqlResult& r, size_t row, size_t col) {
  if (r.IsNull(row, col)) return std::nullopt;
  return static_cast<float>(static_cast<double>(r.Int(row, col)) / 1000.0);
}

Result<SkillFramework> FrameworkAt(const SqlResult& r, size_t i) {
  return SkillFramework{.id = r.Text(i, 0),
                        .name = r.Text(i, 1),
                        .version = r.Text(i, 2),
                        .attribution = r.Text(i, 3),
                        .format = r.Text(i, 4),
                        .revision = r.Int(i, 5),
                        .imported = r.Time(i, 6),
                        .updated = r.Time(i, 7)};
}

#define CREDSTACK_FRAMEWORK_COLS \
  "id, name, version, attribution, format, revision, imported_us, updated_us"

// Index sets of the concepts named by id in `ids` (for the diff).
std::vector<uint32_t> Indices(const std::vector<std::string>& ids,
                              const auto& find) {
  std::vector<uint32_t> out;
  out.reserve(ids.size());
  for (const std::string& id : ids) {
    auto i = find(id);
    CREDSTACK_CHECK(i.has_value());
    out.push_back(*i);
  }
  return out;
}

// Inserts the concept rows (not relations) of the given indices.
Status InsertConcepts(SqlConn& db, std::string_view fid,
                      const pw::Framework& fw,
                      const std::vector<uint32_t>& groups,
                      const std::vector<uint32_t>& skills,
                      const std::vector<uint32_t>& occupations) {
  CREDSTACK_RETURN_IF_ERROR(
      Batch(db,
            "INSERT INTO skill_groups (framework_id, id, label, code, "
            "description) VALUES (?, ?, ?, ?, ?)",
            5, groups.size(), [&](size_t i, std::vector<SqlParam>& p) {
              const pw::SkillGroup& g = fw.groups()[groups[i]];
              p.insert(p.end(), {fid, g.id, g.label, g.code, g.description});
            }));
  CREDSTACK_RETURN_IF_ERROR(Batch(
      db,
      "INSERT INTO skills (framework_id, id, label, description, "
      "skill_type, reuse_level) VALUES (?, ?, ?, ?, ?, ?)",
      6, skills.size(), [&](size_t i, std::vector<SqlParam>& p) {
        const pw::Skill& s = fw.skills()[skills[i]];
        p.insert(p.end(),
                 {fid, s.id, s.label, s.description, pw::SkillTypeName(s.type),
                  pw::ReuseLevelName(s.reuse)});
      }));
  return Batch(db,
               "INSERT INTO occupations (framework_id, id, label, code, "
               "isco_group, description) VALUES (?, ?, ?, ?, ?, ?)",
               6, occupations.size(), [&](size_t i, std::vector<SqlParam>& p) {
                 const pw::Occupation& o = fw.occupations()[occupations[i]];
                 p.insert(p.end(), {fid, o.id, o.label, o.code, o.isco_group,
                                    o.description});
               });
}

// Inserts the outgoing relations of the given concepts.
Status InsertRelations(SqlConn& db, std::string_view fid,
                       const pw::Framework& fw,
                       const std::vector<uint32_t>& groups,
                       const std::vector<uint32_t>& skills,
                       const std::vector<uint32_t>& occupations) {
  struct Pair {
    uint32_t from, to;
  };
  std::vector<Pair> pairs;
  for (uint32_t g : groups) {
    for (uint32_t b : fw.groups()[g].broader) pairs.push_back({g, b});
  }
  CREDSTACK_RETURN_IF_ERROR(Batch(
      db,
      "INSERT INTO skill_group_broader (framework_id, group_id, broader_id) "
      "VALUES (?, ?, ?)",
      3, pairs.size(), [&](size_t i, std::vector<SqlParam>& p) {
        p.insert(p.end(), {fid, fw.groups()[pairs[i].from].id,
                           fw.groups()[pairs[i].to].id});
      }));
  pairs.clear();
  for (uint32_t s : skills) {
    for (uint32_t g : fw.skills()[s].broader_groups) pairs.push_back({s, g});
  }
  CREDSTACK_RETURN_IF_ERROR(Batch(
      db,
      "INSERT INTO skill_broader_groups (framework_id, skill_id, group_id) "
      "VALUES (?, ?, ?)",
      3, pairs.size(), [&](size_t i, std::vector<SqlParam>& p) {
        p.insert(p.end(), {fid, fw.skills()[pairs[i].from].id,
                           fw.groups()[pairs[i].to].id});
      }));
  pairs.clear();
  for (uint32_t s : skills) {
    for (uint32_t b : fw.skills()[s].broader_skills) pairs.push_back({s, b});
  }
  CREDSTACK_RETURN_IF_ERROR(Batch(
      db,
      "INSERT INTO skill_broader_skills (framework_id, skill_id, broader_id) "
      "VALUES (?, ?, ?)",
      3, pairs.size(), [&](size_t i, std::vector<SqlParam>& p) {
        p.insert(p.end(), {fid, fw.skills()[pairs[i].from].id,
                           fw.skills()[pairs[i].to].id});
      }));
  struct Rel {
    uint32_t occupation;
    const pw::OccupationSkill* rel;
  };
  std::vector<Rel> rels;
  for (uint32_t o : occupations) {
    for (const pw::OccupationSkill& r : fw.occupations()[o].skills) {
      rels.push_back({o, &r});
    }
  }
  return Batch(db,
               "INSERT INTO occupation_skills (framework_id, occupation_id, "
               "skill_id, relation, importance_milli, level_milli) VALUES "
               "(?, ?, ?, ?, ?, ?)",
               6, rels.size(), [&](size_t i, std::vector<SqlParam>& p) {
                 const pw::OccupationSkill& r = *rels[i].rel;
                 p.insert(
                     p.end(),
                     {fid, fw.occupations()[rels[i].occupation].id,
                      fw.skills()[r.skill].id, pw::RelationTypeName(r.relation),
                      Milli(r.importance), Milli(r.level)});
               });
}

// Deletes rows keyed by (framework_id, <column> = id) for each id.
Status DeleteBy(SqlConn& db, std::string_view sql, std::string_view fid,
                const std::vector<std::string>& ids) {
  return Batch(db, sql, 2, ids.size(), [&](size_t i, std::vector<SqlParam>& p) {
    p.insert(p.end(), {fid, std::string_view(ids[i])});
  });
}

std::vector<std::string> Concat(const std::vector<std::string>& a,
                                const std::vector<std::string>& b) {
  std::vector<std::string> out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// Applies a diff between the stored framework and `fw` (docs: "re-import
// updates in place"). Relations of removed and changed concepts go first
// (a concept whose relations point at a removed concept counts as changed,
// so no foreign key is left dangling), then the concept rows.
Status ApplyDiff(SqlConn& db, std::string_view fid, const pw::Framework& fw,
                 const pw::FrameworkDiff& d) {
  const auto occ_gone = Concat(d.removed_occupations, d.changed_occupations);
  const auto skill_gone = Concat(d.removed_skills, d.changed_skills);
  const auto group_gone = Concat(d.removed_groups, d.changed_groups);
  CREDSTACK_RETURN_IF_ERROR(DeleteBy(db,
                                     "DELETE FROM occupation_skills WHERE "
                                     "framework_id = ? AND occupation_id = ?",
                                     fid, occ_gone));
  CREDSTACK_RETURN_IF_ERROR(DeleteBy(db,
                                     "DELETE FROM skill_broader_groups WHERE "
                                     "framework_id = ? AND skill_id = ?",
                                     fid, skill_gone));
  CREDSTACK_RETURN_IF_ERROR(DeleteBy(db,
                                     "DELETE FROM skill_broader_skills WHERE "
                                     "framework_id = ? AND skill_id = ?",
                                     fid, skill_gone));
  CREDSTACK_RETURN_IF_ERROR(DeleteBy(db,
                                     "DELETE FROM skill_group_broader WHERE "
                                     "framework_id = ? AND group_id = ?",
                                     fid, group_gone));
  CREDSTACK_RETURN_IF_ERROR(
      DeleteBy(db, "DELETE FROM occupations WHERE framework_id = ? AND id = ?",
               fid, d.removed_occupations));
  CREDSTACK_RETURN_IF_ERROR(
      DeleteBy(db, "DELETE FROM skills WHERE framework_id = ? AND id = ?", fid,
               d.removed_skills));
  CREDSTACK_RETURN_IF_ERROR(
      DeleteBy(db, "DELETE FROM skill_groups WHERE framework_id = ? AND id = ?",
               fid, d.removed_groups));

  auto find_group = [&](std::string_view id) { return fw.FindGroup(id); };
  auto find_skill = [&](std::string_view id) { return fw.FindSkill(id); };
  auto find_occ = [&](std::string_view id) { return fw.FindOccupation(id); };
  const std::vector<uint32_t> changed_groups =
      Indices(d.changed_groups, find_group);
  const std::vector<uint32_t> changed_skills =
      Indices(d.changed_skills, find_skill);
  const std::vector<uint32_t> changed_occs =
      Indices(d.changed_occupations, find_occ);
  CREDSTACK_RETURN_IF_ERROR(
      Batch(db,
            "UPDATE skill_groups SET label = ?, code = ?, description = ? "
            "WHERE framework_id = ? AND id = ?",
            5, changed_groups.size(), [&](size_t i, std::vector<SqlParam>& p) {
              const pw::SkillGroup& g = fw.groups()[changed_groups[i]];
              p.insert(p.end(), {g.label, g.code, g.description, fid, g.id});
            }));
  CREDSTACK_RETURN_IF_ERROR(Batch(
      db,
      "UPDATE skills SET label = ?, description = ?, skill_type = ?, "
      "reuse_level = ? WHERE framework_id = ? AND id = ?",
      6, changed_skills.size(), [&](size_t i, std::vector<SqlParam>& p) {
        const pw::Skill& s = fw.skills()[changed_skills[i]];
        p.insert(p.end(), {s.label, s.description, pw::SkillTypeName(s.type),
                           pw::ReuseLevelName(s.reuse), fid, s.id});
      }));
  CREDSTACK_RETURN_IF_ERROR(Batch(
      db,
      "UPDATE occupations SET label = ?, code = ?, isco_group = ?, "
      "description = ? WHERE framework_id = ? AND id = ?",
      6, changed_occs.size(), [&](size_t i, std::vector<SqlParam>& p) {
        const pw::Occupation& o = fw.occupations()[changed_occs[i]];
        p.insert(p.end(),
                 {o.label, o.code, o.isco_group, o.description, fid, o.id});
      }));
  const std::vector<uint32_t> added_groups =
      Indices(d.added_groups, find_group);
  const std::vector<uint32_t> added_skills =
      Indices(d.added_skills, find_skill);
  const std::vector<uint32_t> added_occs =
      Indices(d.added_occupations, find_occ);
  CREDSTACK_RETURN_IF_ERROR(
      InsertConcepts(db, fid, fw, added_groups, added_skills, added_occs));
  auto merge = [](std::vector<uint32_t> a, const std::vector<uint32_t>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  return InsertRelations(db, fid, fw, merge(added_groups, changed_groups),
                         merge(added_skills, changed_skills),
                         merge(added_occs, changed_occs));
}

std::vector<uint32_t> AllOf(size_t n) {
  std::vector<uint32_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint32_t>(i);
  return v;
}

}  // namespace

Result<FrameworkImport> SqlSkillFrameworkRepository::Import(
    std::string_view id, const pw::Framework& fw, Timestamp now) {
  if (id.empty()) return InvalidArgumentError("framework id is empty");
  const pw::FrameworkInfo& info = fw.info();
  Result<SkillFramework> existing = Get(id);
  if (!existing.ok() && existing.status().code() != Code::kNotFound) {
    return existing.status();
  }
  if (!existing.ok()) {
    CREDSTACK_RETURN_IF_ERROR(
        db_.Run("INSERT INTO skill_frameworks (" CREDSTACK_FRAMEWORK_COLS
                ") VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
                {id, info.name, info.version, info.attribution, info.format,
                 now.unix_micros, now.unix_micros})
            .status());
    const auto groups = AllOf(fw.groups().size());
    const auto skills = AllOf(fw.skills().size());
    const auto occs = AllOf(fw.occupations().size());
    CREDSTACK_RETURN_IF_ERROR(
        InsertConcepts(db_, id, fw, groups, skills, occs));
    CREDSTACK_RETURN_IF_ERROR(
        InsertRelations(db_, id, fw, groups, skills, occs));
    CREDSTACK_ASSIGN_OR_RETURN(SkillFramework stored, Get(id));
    return FrameworkImport{.framework = std::move(stored), .created = true};
  }
  CREDSTACK_ASSIGN_OR_RETURN(pw::Framework before, Load(id));
  pw::FrameworkDiff diff = pw::DiffFrameworks(before, fw);
  const bool info_changed = existing->name != info.name ||
                            existing->version != info.version ||
                            existing->attribution != info.attribution ||
                            existing->format != info.format;
  if (!diff.empty()) CREDSTACK_RETURN_IF_ERROR(ApplyDiff(db_, id, fw, diff));
  if (!diff.empty() || info_changed) {
    CREDSTACK_RETURN_IF_ERROR(
        db_.Run("UPDATE skill_frameworks SET name = ?, version = ?, "
                "attribution = ?, format = ?, revision = revision + 1, "
                "updated_us = ? WHERE id = ?",
                {info.name, info.version, info.attribution, info.format,
                 now.unix_micros, id})
            .status());
  }
  CREDSTACK_ASSIGN_OR_RETURN(SkillFramework stored, Get(id));
  return FrameworkImport{
      .framework = std::move(stored), .created = false, .diff = diff};
}

Result<SkillFramework> SqlSkillFrameworkRepository::Get(std::string_view id) {
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run("SELECT " CREDSTACK_FRAMEWORK_COLS
                                     " FROM skill_frameworks WHERE id = ?",
                                     {id}));
  if (r.empty()) {
    return NotFoundError("skills framework \"" + std::string(id) +
                         "\" not found");
  }
  return FrameworkAt(r, 0);
}

Result<std::vector<SkillFramework>> SqlSkillFrameworkRepository::List() {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT " CREDSTACK_FRAMEWORK_COLS
                           " FROM skill_frameworks ORDER BY id LIMIT 1000"));
  std::vector<SkillFramework> out;
  for (size_t i = 0; i < r.rows(); ++i) {
    CREDSTACK_ASSIGN_OR_RETURN(SkillFramework f, FrameworkAt(r, i));
    out.push_back(std::move(f));
  }
  return out;
}

Result<pw::Framework> SqlSkillFrameworkRepository::Load(std::string_view id) {
  CREDSTACK_ASSIGN_OR_RETURN(SkillFramework f, Get(id));
  pw::Framework::Builder b(pw::FrameworkInfo{.name = f.name,
                                             .version = f.version,
                                             .attribution = f.attribution,
                                             .format = f.format});
  {
    CREDSTACK_ASSIGN_OR_RETURN(
        SqlResult r, db_.Run("SELECT id, label, code, description FROM "
                             "skill_groups WHERE framework_id = ? ORDER BY id",
                             {id}));
    for (size_t i = 0; i < r.rows(); ++i) {
      b.AddGroup(pw::SkillGroup{.id = r.Text(i, 0),
                                .label = r.Text(i, 1),
                                .code = r.Text(i, 2),
                                .description = r.Text(i, 3)});
    }
  }
  {
    CREDSTACK_ASSIGN_OR_RETURN(
        SqlResult r,
        db_.Run("SELECT id, label, description, skill_type, reuse_level FROM "
                "skills WHERE framework_id = ? ORDER BY id",
                {id}));
    for (size_t i = 0; i < r.rows(); ++i) {
      b.AddSkill(pw::Skill{.id = r.Text(i, 0),
                           .label = r.Text(i, 1),
                           .description = r.Text(i, 2),
                           .type = pw::ParseSkillType(r.Text(i, 3)),
                           .reuse = pw::ParseReuseLevel(r.Text(i, 4))});
    }
  }
  {
    CREDSTACK_ASSIGN_OR_RETURN(
        SqlResult r,
        db_.Run("SELECT id, label, code, isco_group, description FROM "
                "occupations WHERE framework_id = ? ORDER BY id",
                {id}));
    for (size_t i = 0; i < r.rows(); ++i) {
      b.AddOccupation(pw::Occupation{.id = r.Text(i, 0),
                                     .label = r.Text(i, 1),
                                     .code = r.Text(i, 2),
                                     .isco_group = r.Text(i, 3),
                                     .description = r.Text(i, 4)});
    }
  }
  CREDSTACK_RETURN_IF_ERROR(b.IndexConcepts());
  auto missing = [&](std::string_view what, const std::string& ref) {
    return DataLossError("skills framework \"" + std::string(id) + "\": " +
                         std::string(what) + " " + ref + " has no row");
  };
  {
    CREDSTACK_ASSIGN_OR_RETURN(
        SqlResult r,
        db_.Run("SELECT group_id, broader_id FROM skill_group_broader WHERE "
                "framework_id = ?",
                {id}));
    for (size_t i = 0; i < r.rows(); ++i) {
      auto g = b.FindGroup(r.Text(i, 0));
      auto p = b.FindGroup(r.Text(i, 1));
      if (!g || !p) return missing("group", r.Text(i, g ? 1 : 0));
      b.group(*g).broader.push_back(*p);
    }
  }
  {
    CREDSTACK_ASSIGN_OR_RETURN(
        SqlResult r,
        db_.Run("SELECT skill_id, group_id FROM skill_broader_groups WHERE "
                "framework_id = ?",
                {id}));
    for (size_t i = 0; i < r.rows(); ++i) {
      auto s = b.FindSkill(r.Text(i, 0));
      auto g = b.FindGroup(r.Text(i, 1));
      if (!s || !g) return missing("concept", r.Text(i, s ? 1 : 0));
      b.skill(*s).broader_groups.push_back(*g);
    }
  }
  {
    CREDSTACK_ASSIGN_OR_RETURN(
        SqlResult r,
        db_.Run("SELECT skill_id, broader_id FROM skill_broader_skills WHERE "
                "framework_id = ?",
                {id}));
    for (size_t i = 0; i < r.rows(); ++i) {
      auto s = b.FindSkill(r.Text(i, 0));
      auto p = b.FindSkill(r.Text(i, 1));
      if (!s || !p) return missing("skill", r.Text(i, s ? 1 : 0));
      b.skill(*s).broader_skills.push_back(*p);
    }
  }
  {
    CREDSTACK_ASSIGN_OR_RETURN(
        SqlResult r,
        db_.Run("SELECT occupation_id, skill_id, relation, importance_milli, "
                "level_milli FROM occupation_skills WHERE framework_id = ?",
                {id}));
    for (size_t i = 0; i < r.rows(); ++i) {
      auto o = b.FindOccupation(r.Text(i, 0));
      auto s = b.FindSkill(r.Text(i, 1));
      if (!o || !s) return missing("concept", r.Text(i, o ? 1 : 0));
      b.occupation(*o).skills.push_back(pw::OccupationSkill{
          .skill = *s,
          .relation = r.Text(i, 2) == "optional" ? pw::RelationType::kOptional
                                                 : pw::RelationType::kEssential,
          .importance = FromMilli(r, i, 3),
          .level = FromMilli(r, i, 4)});
    }
  }
  return std::move(b).Finish();
}

Result<FrameworkCounts> SqlSkillFrameworkRepository::Count(
    std::string_view id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run(
          "SELECT (SELECT COUNT(*) FROM skills WHERE framework_id = ?), "
          "(SELECT COUNT(*) FROM skill_groups WHERE framework_id = ?), "
          "(SELECT COUNT(*) FROM occupations WHERE framework_id = ?), "
          "(SELECT COUNT(*) FROM occupation_skills WHERE framework_id = ?), "
          "(SELECT COUNT(*) FROM skill_group_broader WHERE framework_id = ?) "
          "+ (SELECT COUNT(*) FROM skill_broader_groups WHERE framework_id = "
          "?) + (SELECT COUNT(*) FROM skill_broader_skills WHERE "
          "framework_id = ?)",
          {id, id, id, id, id, id, id}));
  return FrameworkCounts{.skills = r.Int(0, 0),
                         .groups = r.Int(0, 1),
                         .occupations = r.Int(0, 2),
                         .occupation_skills = r.Int(0, 3),
                         .broader = r.Int(0, 4)};
}

Status SqlSkillFrameworkRepository::IndexAchievement(
    std::span<const AchievementSkill> skills) {
  if (skills.empty()) return OkStatus();
  return Batch(db_,
               "INSERT INTO achievement_skills (achievement_id, version, "
               "skill_id, target_name) VALUES (?, ?, ?, ?) ON CONFLICT "
               "(achievement_id, version, skill_id) DO NOTHING",
               4, skills.size(), [&](size_t i, std::vector<SqlParam>& p) {
                 const AchievementSkill& s = skills[i];
                 p.insert(p.end(), {s.achievement_id, s.version, s.skill_id,
                                    s.target_name});
               });
}

Result<std::vector<AchievementSkill>>
SqlSkillFrameworkRepository::AchievementsTeaching(std::string_view skill_id,
                                                  int64_t limit) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT achievement_id, version, skill_id, target_name FROM "
              "achievement_skills WHERE skill_id = ? ORDER BY achievement_id, "
              "version LIMIT ?",
              {skill_id, ClampLimit(limit)}));
  std::vector<AchievementSkill> out;
  for (size_t i = 0; i < r.rows(); ++i) {
    out.push_back(AchievementSkill{.achievement_id = r.Text(i, 0),
                                   .version = r.Int(i, 1),
                                   .skill_id = r.Text(i, 2),
                                   .target_name = r.Text(i, 3)});
  }
  return out;
}

Result<int64_t> SqlSkillFrameworkRepository::AchievementVersionCount() {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT COUNT(*) FROM achievement_versions"));
  return r.Int(0, 0);
}

namespace {

int64_t ToMilli(double v) {
  return static_cast<int64_t>(std::llround(v * 1000));
}
double FromMilliD(int64_t v) { return static_cast<double>(v) / 1000.0; }

std::string PrerequisitesJson(const std::vector<std::string>& ids) {
  json::Array a;
  for (const std::string& id : ids) a.push_back(json::Value(id));
  return json::Serialize(a);
}

// The stored array (written by PrerequisitesJson); anything else reads as
// empty.
std::vector<std::string> ParsePrerequisites(const std::string& text) {
  std::vector<std::string> out;
  Result<json::Value> v = json::Parse(text);
  if (!v.ok() || !v->is_array()) return out;
  for (const json::Value& e : v->as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
  }
  return out;
}

AchievementPlanning PlanningAt(const SqlResult& r, size_t i) {
  AchievementPlanning p{.achievement_id = r.Text(i, 0),
                        .hours = FromMilliD(r.Int(i, 1)),
                        .price = FromMilliD(r.Int(i, 2)),
                        .currency = r.Text(i, 3)};
  if (!r.IsNull(i, 4)) p.credits = FromMilliD(r.Int(i, 4));
  if (!r.IsNull(i, 5)) p.level = r.Int(i, 5);
  p.prerequisites = ParsePrerequisites(r.Text(i, 6));
  p.updated = r.Time(i, 7);
  return p;
}

#define CREDSTACK_PLANNING_COLS                                         \
  "achievement_id, hours_milli, price_milli, currency, credits_milli, " \
  "level, prerequisites_json, updated_us"

}  // namespace

Status SqlSkillFrameworkRepository::PutPlanning(const AchievementPlanning& p) {
  if (!(p.hours >= 0) || !(p.price >= 0) || (p.credits && !(*p.credits >= 0))) {
    return InvalidArgumentError("planning amounts must be non-negative");
  }
  const std::string pre = PrerequisitesJson(p.prerequisites);
  return db_
      .Run("INSERT INTO achievement_planning (" CREDSTACK_PLANNING_COLS
           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (achievement_id) DO "
           "UPDATE SET hours_milli = excluded.hours_milli, price_milli = "
           "excluded.price_milli, currency = excluded.currency, credits_milli "
           "= excluded.credits_milli, level = excluded.level, "
           "prerequisites_json = excluded.prerequisites_json, updated_us = "
           "excluded.updated_us, revision = achievement_planning.revision + 1",
           {p.achievement_id, ToMilli(p.hours), ToMilli(p.price), p.currency,
            p.credits ? SqlParam(ToMilli(*p.credits)) : SqlParam(nullptr),
            p.level ? SqlParam(*p.level) : SqlParam(nullptr), pre,
            p.updated.unix_micros})
      .status();
}

Result<AchievementPlanning> SqlSkillFrameworkRepository::GetPlanning(
    std::string_view achievement_id) {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r,
      db_.Run("SELECT " CREDSTACK_PLANNING_COLS
              " FROM achievement_planning WHERE achievement_id = ?",
              {achievement_id}));
  if (r.empty()) return NotFoundError("no planning attributes");
  return PlanningAt(r, 0);
}

Result<std::vector<AchievementPlanning>>
SqlSkillFrameworkRepository::ListPlanning() {
  CREDSTACK_ASSIGN_OR_RETURN(SqlResult r,
                             db_.Run("SELECT " CREDSTACK_PLANNING_COLS
                                     " FROM achievement_planning ORDER BY "
                                     "achievement_id LIMIT 10000000"));
  std::vector<AchievementPlanning> out;
  out.reserve(r.rows());
  for (size_t i = 0; i < r.rows(); ++i) out.push_back(PlanningAt(r, i));
  return out;
}

Result<std::string> SqlSkillFrameworkRepository::PlanningRevision() {
  CREDSTACK_ASSIGN_OR_RETURN(
      SqlResult r, db_.Run("SELECT COUNT(*), CAST(COALESCE(SUM(revision), 0) AS BIGINT) "
                           "FROM achievement_planning"));
  return std::to_string(r.Int(0, 0)) + ":" + std::to_string(r.Int(0, 1));
}

}  // namespace credstack::store::internal
