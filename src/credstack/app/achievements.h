#pragma once

// Achievements (OB 3.0 §B.1.1 Achievement), versioned: editing stores a new
// immutable version; credentials keep the version they were issued with.
// Each definition is checked by vc::NormalizeAchievement, against the
// OB 3.0 member list, and by signing a throwaway credential with it, so a
// definition that could not be issued is refused when it is saved.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/app/app_context.h"
#include "credstack/json/json.h"
#include "credstack/store/types.h"

namespace credstack::app {

// Validates and completes an achievement definition (id urn:uuid when
// absent, type, criteria, alignment types). kInvalidArgument naming the
// member; kResourceExhausted beyond max_bytes of JSON.
Result<json::Object> ValidateAchievement(json::Object input, Rng& rng,
                                         const vc::SuiteOptions& suite,
                                         size_t max_bytes = 256 * 1024);

// Thread-safe.
class AchievementService {
 public:
  explicit AchievementService(std::shared_ptr<const AppContext> ctx);

  // Version 1 of a new achievement. The store id is a new UUID; the JSON
  // id is the client's (a URI) or urn:uuid:<store id>.
  Result<store::AchievementVersion> Create(std::string_view org_id,
                                           const json::Object& body,
                                           std::string_view actor);
  // Version n + 1; the JSON id stays that of version 1.
  Result<store::AchievementVersion> Update(std::string_view org_id,
                                           std::string_view achievement_id,
                                           const json::Object& body,
                                           std::string_view actor);
  // The given version, or the latest.
  Result<store::AchievementVersion> Get(std::string_view org_id,
                                        std::string_view achievement_id,
                                        std::optional<int64_t> version) const;
  Result<std::vector<store::AchievementVersion>> List(std::string_view org_id,
                                                      std::string_view after_id,
                                                      int64_t limit) const;
  Result<std::vector<store::AchievementVersion>> ListVersions(
      std::string_view org_id, std::string_view achievement_id) const;

 private:
  std::shared_ptr<const AppContext> ctx_;
};

// {"id": store id, "version", "created", "achievement": {...}}
json::Object AchievementToJson(const store::AchievementVersion& v);

}  // namespace credstack::app
