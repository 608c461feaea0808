#pragma once

// Structural validation of credentials: the VC Data Model (1.1 or 2.0,
// chosen by the first @context) and, for credentials typed
// OpenBadgeCredential / AchievementCredential / EndorsementCredential, the
// 1EdTech Open Badges 3.0 JSON Schemas (bundled). Errors name the JSON path.

#include <string>
#include <vector>

#include "credstack/json/json.h"

namespace credstack::vc {

inline constexpr char kVc2Context[] = "https://www.w3.org/ns/credentials/v2";
inline constexpr char kVc1Context[] = "https://www.w3.org/2018/credentials/v1";

enum class VcVersion { kUnknown, kV1, kV2 };

struct StructureError {
  std::string path;
  std::string message;
};

struct StructureResult {
  VcVersion version = VcVersion::kUnknown;
  bool open_badge = false;  // typed OpenBadgeCredential/AchievementCredential
  std::vector<StructureError> errors;
  // Vocabulary problems that do not break the structure, e.g. an Open
  // Badges alignment targetType outside the 1EdTech enumeration.
  std::vector<StructureError> warnings;
  bool ok() const { return errors.empty(); }
  // "path: message; path: message" (at most a few, for reports).
  std::string Summary(size_t max = 5) const;
};

struct StructureOptions {
  bool require_proof = false;  // verification requires one; issuing forbids checking it
  // Apply the bundled OB 3.0 schemas to Open Badges credentials.
  bool open_badges_schema = true;
  // Fail unless typed OpenBadgeCredential/AchievementCredential (as an
  // Open Badges validator does).
  bool require_open_badge = false;
};

// Validates a verifiable credential document.
StructureResult ValidateCredential(const json::Value& doc, const StructureOptions& options = {});

// Validates a verifiable presentation (VC DM 2.0 §4.13).
StructureResult ValidatePresentation(const json::Value& doc, const StructureOptions& options = {});

// True when the type member (string or array) contains t.
bool HasType(const json::Object& o, std::string_view t);

// The issuer's id: `issuer` as a string, or its `id` member; "" when absent.
std::string IssuerId(const json::Object& credential);

}  // namespace credstack::vc
