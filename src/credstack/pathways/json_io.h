#pragma once

// JSON forms of the pathways model, shared by the CLI (--json, snapshots)
// and, later, the HTTP API:
//  * the framework snapshot (docs/formats/framework-snapshot.md): a compact
//    JSON copy of an imported framework that loads much faster than the CSV;
//  * plans (recommendations, pathway completion) and pathway progress.

#include <string_view>

#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/pathways/breadth.h"
#include "credstack/pathways/framework.h"
#include "credstack/pathways/pathway.h"
#include "credstack/pathways/recommender.h"

namespace credstack::pathways {

json::Value FrameworkToJson(const Framework& framework);

struct SnapshotOptions {
  size_t max_bytes = 512u << 20;
};
// Loads a snapshot written by FrameworkToJson. Errors (kInvalidArgument)
// name the JSON path; indices out of range are rejected.
Result<Framework> FrameworkFromJson(std::string_view text,
                                    const SnapshotOptions& options = {});

// {"status", "steps": [{"achievement", "name", "issuer", "hours", "price",
// "credits", "covers": [{"id", "label"?}], "prerequisiteOf"}], "totals",
// "objective", "lowerBound"?, "gap"?, "missingSkills", "untaughtSkills",
// "detail", "source"?}. Skill labels and the source attribution come from
// the framework when given.
json::Value PlanToJson(const Plan& plan, const Framework* framework);

// {"pathway", "satisfied", "rules": [{"path", "type", "name"?, "satisfied",
// "have", "need", "missing", "counted"}]}
json::Value ProgressToJson(const Pathway& pathway,
                           const PathwayProgress& progress);

json::Value BreadthToJson(const BreadthReport& report);

}  // namespace credstack::pathways
