#pragma once

// Comprehensive Learner Record 2.0 export (CLR 2.0 §4.1 ClrCredential,
// §4.2 ClrSubject): a learner's verified credentials in one signed
// ClrCredential issued by the organization that manages the learner, with
// the achievements they award and `association` entries (isChildOf) from
// each component of an awarded stackable pathway to the stacked
// achievement. Signed through AppContext::signers (eddsa-rdfc-2022, or
// eddsa-jcs-2022 when an embedded credential uses a context that is not
// bundled), so `credstack verify` checks it like any credential.

#include <string>

#include "credstack/app/app_context.h"
#include "credstack/app/learner_service.h"
#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/store/skills_repositories.h"

namespace credstack::app {

inline constexpr char kClrContext[] =
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json";
inline constexpr char kClrSchema[] =
    "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/"
    "clr_v2p0_clrcredential_schema.json";

struct ClrInput {
  store::Learner learner;
  const SkillProfile* profile = nullptr;  // verified credentials come from it
  std::vector<store::PathwayRecord> awarded;  // pathways awarded to it
};

// Builds and signs the ClrCredential. kFailedPrecondition when the learner
// has no managing organization, no verified credential, or no signing key
// is available.
Result<json::Value> ExportClr(const AppContext& ctx, const ClrInput& input);

}  // namespace credstack::app
