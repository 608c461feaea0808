#include "credstack/vc/open_badges.h"

#include <algorithm>
#include <cctype>

#include "credstack/base/uuid.h"
#include "credstack/crypto/sha.h"
#include "credstack/vc/structure.h"

namespace credstack::vc {
namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool LooksLikeEmail(std::string_view s) {
  size_t at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() &&
         s.find('@', at + 1) == std::string_view::npos &&
         s.find_first_of(" \t\r\n<>,;\"") == std::string_view::npos && s.size() <= 254;
}

}  // namespace

Result<Recipient> ParseRecipient(std::string_view text) {
  std::string t = Trim(text);
  if (t.rfind("did:", 0) == 0) {
    if (t.size() < 8 || t.find(':', 4) == std::string::npos || t.size() > 2048) {
      return InvalidArgumentError("recipient: malformed DID \"" + t.substr(0, 80) + "\"");
    }
    return Recipient{Recipient::Kind::kDid, t};
  }
  if (t.rfind("email:", 0) == 0 || t.rfind("mailto:", 0) == 0) t = t.substr(t.find(':') + 1);
  if (!LooksLikeEmail(t)) {
    return InvalidArgumentError("recipient: expected email:ADDRESS or a DID, got \"" +
                                t.substr(0, 80) + "\"");
  }
  std::transform(t.begin(), t.end(), t.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return Recipient{Recipient::Kind::kEmail, t};
}

json::Object HashedEmailIdentity(std::string_view email, std::string_view salt) {
  std::string input(email);
  input += salt;
  json::Object id;
  id["type"] = "IdentityObject";
  id["hashed"] = true;
  id["identityHash"] = "sha256$" + HexEncode(crypto::Sha256(input));
  id["identityType"] = "emailAddress";
  id["salt"] = std::string(salt);
  return id;
}

bool IdentityMatches(const json::Object& identity_object, std::string_view identity) {
  auto hash = json::GetString(identity_object, "identityHash");
  if (!hash) return false;
  const json::Value* hashed = identity_object.if_contains("hashed");
  if (hashed && hashed->is_bool() && !hashed->get_bool()) return *hash == identity;
  std::string input(identity);
  input += json::GetString(identity_object, "salt").value_or("");
  return *hash == "sha256$" + HexEncode(crypto::Sha256(input));
}

Result<json::Object> NormalizeAchievement(json::Object a, Rng& rng) {
  json::Path root;
  if (!a.contains("id")) a["id"] = "urn:uuid:" + NewUuidV4(rng);
  auto id = json::GetString(a, "id");
  if (!id || id->find(':') == std::string_view::npos) {
    return InvalidArgumentError(root.Key("id").str() + ": must be a URI");
  }
  if (!a.contains("type")) {
    a["type"] = json::Array{"Achievement"};
  } else if (!HasType(a, "Achievement")) {
    return InvalidArgumentError(root.Key("type").str() + ": must include \"Achievement\"");
  }
  for (std::string_view key : {"name", "description"}) {
    auto v = json::GetString(a, key);
    if (!v || Trim(*v).empty()) {
      return InvalidArgumentError(root.Key(key).str() + ": required non-empty string");
    }
  }
  const json::Object* criteria = json::GetObject(a, "criteria");
  if (!criteria) {
    if (auto narrative = json::GetString(a, "criteria")) {
      json::Object c;
      c["narrative"] = *narrative;
      a["criteria"] = std::move(c);
    } else {
      return InvalidArgumentError(root.Key("criteria").str() +
                                  ": required object with \"narrative\" and/or \"id\"");
    }
  } else if (!criteria->contains("narrative") && !criteria->contains("id")) {
    return InvalidArgumentError(root.Key("criteria").str() + ": needs \"narrative\" or \"id\"");
  }
  if (const json::Value* al = a.if_contains("alignment")) {
    if (!al->is_array()) return InvalidArgumentError(root.Key("alignment").str() + ": must be an array");
    for (size_t i = 0; i < al->get_array().size(); ++i) {
      const auto* o = al->get_array()[i].if_object();
      json::Path p = root.Key("alignment").Index(i);
      if (!o) return InvalidArgumentError(p.str() + ": must be an object");
      if (!json::GetString(*o, "targetName")) {
        return InvalidArgumentError(p.Key("targetName").str() + ": required string");
      }
      if (!json::GetString(*o, "targetUrl")) {
        return InvalidArgumentError(p.Key("targetUrl").str() + ": required URL");
      }
    }
    // OB 3.0 Alignment objects are typed.
    for (auto& e : a["alignment"].as_array()) {
      auto& o = e.as_object();
      if (!o.contains("type")) o["type"] = json::Array{"Alignment"};
    }
  }
  if (const json::Value* c = a.if_contains("creditsAvailable"); c && !c->is_number()) {
    return InvalidArgumentError(root.Key("creditsAvailable").str() + ": must be a number");
  }
  // Conventional member order: id and type first.
  json::Object ordered;
  ordered["id"] = a["id"];
  ordered["type"] = a["type"];
  for (const auto& kv : a) {
    if (kv.key() != "id" && kv.key() != "type") ordered[kv.key()] = kv.value();
  }
  return ordered;
}

Result<json::Object> BuildOpenBadgeCredential(const CredentialInput& in, Rng& rng) {
  auto issuer_id = json::GetString(in.issuer, "id");
  if (!issuer_id) return InvalidArgumentError("issuer profile needs an id (the issuer's DID)");
  json::Object issuer;
  issuer["id"] = *issuer_id;
  issuer["type"] = in.issuer.contains("type") ? in.issuer.at("type") : json::Array{"Profile"};
  for (const auto& kv : in.issuer) {
    if (kv.key() != "id" && kv.key() != "type") issuer[kv.key()] = kv.value();
  }

  json::Object subject;
  subject["type"] = json::Array{"AchievementSubject"};
  if (in.recipient.kind == Recipient::Kind::kDid) {
    subject["id"] = in.recipient.value;
  } else {
    std::array<uint8_t, 16> salt;
    rng.Fill(salt);
    subject["identifier"] = json::Array{HashedEmailIdentity(in.recipient.value, HexEncode(salt))};
  }
  subject["achievement"] = in.achievement;
  if (in.results) subject["result"] = *in.results;
  if (in.credits_earned) subject["creditsEarned"] = *in.credits_earned;

  json::Object vc;
  vc["@context"] = json::Array{kVc2Context, kOb3Context};
  vc["id"] = in.credential_id.empty() ? "urn:uuid:" + NewUuidV4(rng) : in.credential_id;
  vc["type"] = json::Array{"VerifiableCredential", "OpenBadgeCredential"};
  if (auto name = json::GetString(in.achievement, "name")) vc["name"] = *name;
  vc["issuer"] = std::move(issuer);
  vc["validFrom"] = FormatDateTime(in.valid_from);
  if (in.valid_until) {
    if (*in.valid_until <= in.valid_from) {
      return InvalidArgumentError("validUntil must be later than validFrom");
    }
    vc["validUntil"] = FormatDateTime(*in.valid_until);
  }
  if (in.awarded_date) vc["awardedDate"] = FormatDateTime(*in.awarded_date);
  vc["credentialSubject"] = std::move(subject);
  if (in.evidence) vc["evidence"] = *in.evidence;
  if (in.credential_status) vc["credentialStatus"] = *in.credential_status;

  StructureResult check = ValidateCredential(vc);
  if (!check.ok()) return InvalidArgumentError("credential would be invalid: " + check.Summary());
  return vc;
}

}  // namespace credstack::vc
