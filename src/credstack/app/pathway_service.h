#pragma once

// Stackable pathways end to end (issue 6): definitions owned by an
// organization (docs/formats/pathway.md, validated against the deployment
// catalog), a learner's progress over its verified achievements with the
// cheapest way to finish (pathways::FinishPathway), and the automatic,
// exactly-once award of the stacked credential.
//
// Award: when a learner's verified credentials change (a credential this
// deployment issued to it, singly, in a bulk job or through the VC-API; an
// upload; a status change), the pathways that name the achievements
// involved are evaluated; a satisfied one is awarded by issuing the
// pathway's achievement through the issuance service with the idempotency
// key PathwayAwardKey(pathway, learner), then recording (pathway, learner)
// under its primary key. Racing evaluations on any node (bulk workers run
// several) therefore produce one credential and one award row. The stacked
// credential is an Open Badges 3.0 credential issued by the pathway owner
// whose `evidence` lists the component credentials (docs/skills-api.md).
// A revoked component makes progress drop; the award stays as issued.
// Thread-safe.

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/app/app_context.h"
#include "credstack/app/issued_listeners.h"
#include "credstack/app/learner_service.h"
#include "credstack/app/skills_service.h"
#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/pathways/pathway.h"
#include "credstack/pathways/recommender.h"
#include "credstack/store/skills_repositories.h"
#include "credstack/store/types.h"

namespace credstack::app {

// What the pathway service asks the issuance service for.
struct AwardRequest {
  std::string org_id;          // the pathway owner
  std::string achievement_id;  // the stacked achievement (store id)
  std::string recipient;       // the learner's DID, else its first email
  json::Array evidence;        // OB 3.0 Evidence, one per component
  std::string idempotency_key;
};
// Issues (or, for a known key, returns) the stacked credential. Wired to
// IssuanceService::Issue by the installer.
using AwardIssuer =
    std::function<Result<store::Credential>(const AwardRequest& request)>;

// "pathway-award:" + hex(SHA-256(pathway id || 0x00 || learner id)).
std::string PathwayAwardKey(std::string_view pathway_id,
                            std::string_view learner_id);

struct PathwayServiceOptions {
  // Nested stacks: an award may complete another pathway; bounded.
  int max_award_depth = 4;
  size_t max_pathways_per_evaluation = 1000;
  pathways::PathwayOptions parse;
};

struct PathwayProgressView {
  store::PathwayRecord record;
  pathways::Pathway pathway;
  pathways::PathwayProgress progress;
  std::vector<std::string> held;         // verified achievements counted
  std::optional<pathways::Plan> finish;  // when not satisfied
  std::optional<store::PathwayAward> award;
  std::shared_ptr<const DeploymentCatalog> catalog;
};

struct AwardOutcome {
  std::string pathway_id;
  store::PathwayAward award;
  bool created = false;  // false: awarded before
};

class PathwayService {
 public:
  PathwayService(std::shared_ptr<const AppContext> ctx,
                 std::shared_ptr<SkillsService> skills,
                 std::shared_ptr<LearnerService> learners, AwardIssuer issuer,
                 PathwayServiceOptions options = {});

  // Validates and stores a definition owned by org_id. `achievement` names
  // one of the organization's achievements (store id or Achievement.id);
  // `owner`, when given, must be the organization's DID. kInvalidArgument
  // (naming the JSON path) for a malformed definition, unknown
  // achievements or skills, or a pathway that contains its own award;
  // nothing is stored then.
  Result<store::PathwayRecord> Create(std::string_view org_id,
                                      const json::Value& definition);
  Result<store::PathwayRecord> Get(std::string_view pathway_id);
  Result<std::vector<store::PathwayRecord>> List(std::string_view org_id,
                                                 std::string_view after_id,
                                                 int64_t limit);

  // Progress of a learner over its verified achievements, with the
  // cheapest completion when not satisfied (plan options from `options`).
  Result<PathwayProgressView> Progress(std::string_view learner_id,
                                       std::string_view pathway_id,
                                       const pathways::PlanOptions& options);

  // Evaluates the pathways naming any of `changed` (every pathway when
  // empty) for the learner and awards the satisfied ones, exactly once.
  Result<std::vector<AwardOutcome>> Evaluate(
      std::string_view learner_id, std::span<const std::string> changed);

  // --- Events that change a learner's verified credentials.
  // Credentials this deployment issued (an IssuedListener; registered by
  // server::InstallSkills): links each to the learner its recipient (DID
  // or email) belongs to, if any, and evaluates each such learner once for
  // the achievements it received. All recipients are looked up in one read
  // transaction, an indexed read each, so a bulk batch without learners
  // costs one round trip; the links are stored in one transaction. A
  // credential issued by this service's own award (a nested call on the
  // same thread) is skipped: Award() links it and the evaluation goes on
  // with the next stacking depth. Evaluates every learner, then returns
  // the first error.
  Status OnCredentialsIssued(std::span<const IssuedEvent> issued);
  // One credential: OnCredentialsIssued with one event.
  Status OnCredentialIssued(const store::Credential& credential,
                            std::string_view recipient);
  // A credential's status changed (revoked, suspended, reinstated):
  // evaluates the learners holding it. Progress itself is always computed
  // from credentials that verify now.
  Status OnCredentialStatusChanged(std::string_view credential_id);

 private:
  Result<std::vector<AwardOutcome>> EvaluateDepth(
      std::string_view learner_id, std::span<const std::string> changed,
      int depth);
  Result<AwardOutcome> Award(const store::Learner& learner,
                             const store::PathwayRecord& record,
                             const pathways::Pathway& pathway,
                             const pathways::PathwayProgress& progress,
                             const SkillProfile& profile);

  std::shared_ptr<const AppContext> ctx_;
  std::shared_ptr<SkillsService> skills_;
  std::shared_ptr<LearnerService> learners_;
  AwardIssuer issuer_;
  PathwayServiceOptions options_;
};

// JSON of a stored pathway: {"id","org","achievement","definition",
// "components","created"}.
json::Value PathwayRecordToJson(const store::PathwayRecord& record);
// Progress JSON (pathways::ProgressToJson) + "learner", "finish"?,
// "award"?, "held".
json::Value ProgressViewToJson(const PathwayProgressView& view,
                               std::string_view learner_id);

}  // namespace credstack::app
