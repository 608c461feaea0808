#pragma once

// Building Open Badges 3.0 credentials (OB 3.0 §8 data model:
// OpenBadgeCredential, AchievementSubject, Achievement, Profile,
// IdentityObject) from an achievement definition and a recipient.

#include <optional>
#include <string>
#include <string_view>

#include "credstack/base/rng.h"
#include "credstack/base/time.h"
#include "credstack/json/json.h"

namespace credstack::vc {

inline constexpr char kOb3Context[] = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

struct Recipient {
  enum class Kind { kDid, kEmail };
  Kind kind = Kind::kDid;
  std::string value;  // the DID, or the normalized (trimmed, lowercased) email
};

// "email:ADDR", a bare address containing '@', or a DID ("did:…").
Result<Recipient> ParseRecipient(std::string_view text);

// OB 3.0 IdentityObject with a salted hash: identityHash =
// "sha256$" + hex(SHA-256(identity || salt)), as OB 2.0/3.0 define it.
json::Object HashedEmailIdentity(std::string_view email, std::string_view salt);
// True when identity (e.g. a learner's email) matches the IdentityObject.
bool IdentityMatches(const json::Object& identity_object, std::string_view identity);

// Checks and completes an Achievement definition: id (urn:uuid when
// absent), type ["Achievement"], name, description, criteria (narrative or
// id). Errors name the JSON path ("$.criteria: ...").
Result<json::Object> NormalizeAchievement(json::Object achievement, Rng& rng);

struct CredentialInput {
  json::Object issuer;       // OB 3.0 Profile; must have "id" (the signer's DID)
  json::Object achievement;  // normalized achievement
  Recipient recipient;
  Timestamp valid_from;
  std::optional<Timestamp> valid_until;
  std::optional<Timestamp> awarded_date;
  std::string credential_id;  // empty: urn:uuid:<random>
  std::optional<json::Array> evidence;
  std::optional<json::Array> results;
  std::optional<double> credits_earned;
  std::optional<json::Value> credential_status;  // BitstringStatusListEntry
};

// The unsigned OpenBadgeCredential (VC 2.0 + OB 3.0.3 contexts).
Result<json::Object> BuildOpenBadgeCredential(const CredentialInput& input, Rng& rng);

}  // namespace credstack::vc
