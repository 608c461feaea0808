#pragma once

// Skills frameworks, the deployment's planning catalog and learning-path
// recommendations (issue 6), over the store:
//  * frameworks (ESCO, O*NET) are imported into the store in one
//    transaction (a re-import updates in place) and held in memory per
//    node, reloaded when their revision changes;
//  * the catalog is every organization's latest achievement versions,
//    read as docs/formats/catalog.md entries (OB 3.0 Achievement JSON with
//    the planning members hours, price, credits, level, prerequisites),
//    rebuilt when the number of achievement versions changes. Entries that
//    do not fit (alignments to skills outside the framework, unknown or
//    cyclic prerequisites, bad costs) are repaired and reported as warnings
//    instead of breaking every plan: validate achievements when they are
//    written with ValidateAchievementPlanning();
//  * recommendations run pathways::Recommend over that catalog (plus an
//    optional uploaded catalog) and answer the plan JSON.
// Thread-safe.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/app/app_context.h"
#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/pathways/catalog.h"
#include "credstack/pathways/framework.h"
#include "credstack/pathways/recommender.h"
#include "credstack/store/skills_repositories.h"

namespace credstack::app {

struct SkillsServiceOptions {
  // The framework used when a request names none (falls back to the only,
  // or the first, stored framework).
  std::string default_framework = "esco";
  size_t max_search_results = 100;
  // Upper bound on a request's exact-solver budget.
  std::chrono::milliseconds max_time_budget{10'000};
  pathways::CatalogOptions catalog;
};

// The deployment catalog as planned over, with where its entries live.
struct DeploymentCatalog {
  std::shared_ptr<const pathways::Framework> framework;  // may be null
  std::string framework_id;
  std::optional<pathways::Catalog> catalog;  // unset when there are none
  // The repaired entries as catalog JSON, for merging an uploaded catalog.
  json::Array achievements_json;
  json::Array issuers_json;
  // Catalog achievement id (the OB 3.0 Achievement.id) -> store ids.
  struct StoreRef {
    std::string org_id;
    std::string achievement_id;
    int64_t version = 0;
  };
  std::map<std::string, StoreRef, std::less<>> refs;
  std::vector<std::string> warnings;  // repairs made, "achievement X: ..."
  int64_t achievement_versions = 0;
  int64_t framework_revision = 0;
  std::string planning_revision;
};

struct RecommendInput {
  std::vector<std::string> have;  // skill ids or labels
  std::vector<std::string> have_achievements;
  std::string target;  // occupation id, code or label
  std::vector<std::string> need;
  bool include_optional = false;
  std::string framework;          // empty: default
  pathways::PlanOptions options;  // prefer_pathway is set from the id below
  std::string prefer_pathway;     // a stored pathway id
  // An extra catalog (docs/formats/catalog.md) planned over together with
  // the deployment's achievements.
  std::optional<json::Value> catalog;
};

class SkillsService {
 public:
  SkillsService(std::shared_ptr<const AppContext> ctx,
                SkillsServiceOptions options = {});

  const AppContext& context() const { return *ctx_; }
  const SkillsServiceOptions& options() const { return options_; }

  // --- Frameworks
  // Stores the framework under id in one transaction (all or nothing).
  Result<store::FrameworkImport> ImportFramework(
      std::string_view id, const pathways::Framework& framework);
  Result<std::vector<store::SkillFramework>> ListFrameworks();
  // The id that `requested` resolves to (the default when empty).
  // kNotFound when the store has no (such) framework.
  Result<std::string> ResolveFrameworkId(std::string_view requested);
  // The framework, loaded once per node and revision.
  Result<std::shared_ptr<const pathways::Framework>> Framework(
      std::string_view id);

  // --- Lookup (case-insensitive substring of the label, or exact id/code),
  // best matches first: exact, then prefix, then substring.
  Result<std::vector<uint32_t>> SearchSkills(const pathways::Framework& fw,
                                             std::string_view q,
                                             size_t limit) const;
  Result<std::vector<uint32_t>> SearchOccupations(const pathways::Framework& fw,
                                                  std::string_view q,
                                                  size_t limit) const;

  // --- Planning attributes (docs/formats/catalog.md: hours, price,
  // currency, credits, level, prerequisites) of one of the organization's
  // achievements, kept beside its Achievement JSON. `achievement_id` is the
  // store id or the Achievement.id. Checked against the deployment catalog
  // first: kInvalidArgument naming the member for wrong types, negative
  // amounts, unknown members, unknown or cyclic prerequisites; nothing is
  // stored then.
  Result<store::AchievementPlanning> SetPlanning(
      std::string_view org_id, std::string_view achievement_id,
      const json::Value& planning);
  Result<store::AchievementPlanning> GetPlanning(
      std::string_view org_id, std::string_view achievement_id);

  // --- Catalog
  // The deployment catalog for a framework ("" = default; planned without a
  // framework when the store has none).
  Result<std::shared_ptr<const DeploymentCatalog>> Catalog(
      std::string_view framework);

  // --- Recommendations: the plan JSON (pathways::PlanToJson) plus
  // "target", "framework" and "source" (the attribution). Errors:
  // kInvalidArgument for unknown skills/occupations/achievements, an empty
  // or invalid catalog (naming the JSON path); an infeasible target is a
  // plan, not an error.
  Result<json::Value> Recommend(const RecommendInput& input);

 private:
  std::shared_ptr<const AppContext> ctx_;
  SkillsServiceOptions options_;
  std::mutex mu_;
  struct CachedFramework {
    int64_t revision = 0;
    std::shared_ptr<const pathways::Framework> framework;
  };
  std::map<std::string, CachedFramework, std::less<>> frameworks_;  // mu_
  std::map<std::string, std::shared_ptr<const DeploymentCatalog>, std::less<>>
      catalogs_;  // mu_
};

// Checks an achievement's planning members (docs/formats/catalog.md)
// against the deployment catalog before it is stored: alignments resolve to
// framework skills, prerequisites name existing achievements without a
// cycle, costs are non-negative. Errors (kInvalidArgument) name the JSON
// path. `achievement` is the OB 3.0 Achievement JSON.
Status ValidateAchievementPlanning(const DeploymentCatalog& catalog,
                                   const json::Object& achievement);

json::Value PlanningToJson(const store::AchievementPlanning& planning);

// The planning view of an OB 3.0 Achievement (catalog.md members), lenient:
// missing or mistyped members read as absent.
pathways::Achievement AchievementFromJson(const json::Object& achievement,
                                          std::string fallback_id);

}  // namespace credstack::app
