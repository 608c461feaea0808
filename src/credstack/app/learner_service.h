#pragma once

// Learners and their verified skill profile (issue 6).
//
// A learner is known by a DID and/or email addresses (unique across
// learners) and is managed by the organization that created it; an access
// token, returned once at creation, lets the learner act for itself
// (docs/skills-api.md, "Access"). The learner's credentials are those this
// deployment issued to one of its identities (linked when issued, and on
// creation by the DID index and by matching emails against OB 3.0
// IdentityObject hashes with vc::IdentityMatches) plus the credentials it
// uploads, from any issuer, whose subject is the learner.
//
// The skill profile counts only credentials that verify now (proof, status,
// issuer, validity: the VerificationService pipeline), so a revoked or
// tampered credential contributes nothing. Each skill lists its sources:
// credential, issuer, achievement and date. Thread-safe.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/app/app_context.h"
#include "credstack/app/skills_service.h"
#include "credstack/app/verification.h"
#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/pathways/breadth.h"
#include "credstack/pathways/catalog.h"
#include "credstack/store/skills_repositories.h"
#include "credstack/store/types.h"
#include "credstack/vc/open_badges.h"
#include "credstack/vc/verification_report.h"

namespace credstack::app {

struct LearnerServiceOptions {
  // Credentials scanned for email matches when a learner is created (the
  // hashes are salted per credential, so this is a linear scan).
  int64_t max_email_scan = 200'000;
  size_t max_emails = 16;
  size_t max_credential_bytes = 1 << 20;
};

struct NewLearner {
  std::optional<std::string> did;
  std::vector<std::string> emails;
  std::string display_name;
};

struct CreatedLearner {
  store::Learner learner;
  std::string token;   // shown once; only its hash is stored
  int64_t linked = 0;  // credentials of this deployment linked at creation
};

// What a credential says, as far as the skill profile cares.
struct CredentialFacts {
  std::string id;
  std::string issuer;
  std::string issuer_name;
  std::string achievement_id;
  std::string achievement_name;
  std::string date;  // awardedDate, else validFrom, else issuanceDate
  std::vector<pathways::Alignment> alignment;
};
// Lenient: absent members read as empty.
CredentialFacts ReadCredentialFacts(const json::Object& credential);

// Whether the credential's subject is the learner: credentialSubject.id is
// the learner's DID, or an identifier IdentityObject matches one of its
// emails (OB 3.0 §B.1.x IdentityObject, vc::IdentityMatches).
bool SubjectIsLearner(const json::Object& credential,
                      const store::Learner& learner);

struct CheckedCredential {
  store::LearnerCredential stored;
  CredentialFacts facts;
  bool verified = false;
  std::vector<std::string> errors;  // why not, when not verified
};

struct SkillSource {
  std::string credential;  // credential key (its id)
  std::string issuer;
  std::string issuer_name;
  std::string achievement;
  std::string achievement_name;
  std::string date;
};

struct ProfileSkill {
  std::string id;
  std::string label;          // from the framework, else the targetName
  bool in_framework = false;  // resolves to a framework skill
  std::vector<SkillSource> sources;
};

struct SkillProfile {
  std::string learner_id;
  std::shared_ptr<const pathways::Framework> framework;  // may be null
  std::string framework_id;
  std::vector<CheckedCredential> credentials;
  std::vector<ProfileSkill> skills;       // by id
  std::vector<std::string> achievements;  // verified, sorted, unique
  // Skill ids of `skills` (for the recommender and breadth).
  std::vector<std::string> SkillIds() const;
};

struct UploadResult {
  store::LearnerCredential stored;
  bool created = false;  // false: the learner already had it
  vc::VerificationReport report;
};

class LearnerService {
 public:
  LearnerService(std::shared_ptr<const AppContext> ctx,
                 std::shared_ptr<SkillsService> skills,
                 std::shared_ptr<const VerificationService> verifier,
                 LearnerServiceOptions options = {});

  // Creates a learner managed by org_id and links the credentials this
  // deployment already issued to it. kInvalidArgument for a learner
  // without identities or with a malformed one, kAlreadyExists when the DID
  // or an email belongs to another learner.
  Result<CreatedLearner> Create(std::string_view org_id,
                                const NewLearner& input);
  Result<store::Learner> Get(std::string_view learner_id);
  // kUnauthenticated unless token is the learner's access token;
  // kPermissionDenied for another learner's token.
  Result<store::Learner> CheckToken(std::string_view learner_id,
                                    std::string_view token);
  // The learner a recipient (DID or plain email) belongs to, if any.
  Result<std::optional<store::Learner>> FindByRecipient(
      const vc::Recipient& recipient);
  // The same for many recipients in one read transaction (an indexed
  // lookup each): out[i] belongs to recipients[i].
  Result<std::vector<std::optional<store::Learner>>> FindByRecipients(
      std::span<const vc::Recipient> recipients);

  // Stores an uploaded credential (any issuer). kInvalidArgument when it is
  // not a JSON object or its subject is not the learner. The verification
  // report is returned but does not decide the upload: a credential that
  // does not verify is kept and contributes nothing.
  Result<UploadResult> Upload(std::string_view learner_id,
                              std::string_view credential_text);
  // Links a credential issued by this deployment. Returns false when it was
  // linked already.
  Result<bool> LinkIssued(const store::Learner& learner,
                          const store::Credential& credential);
  // Links many, links[i].credential to links[i].learner, in one
  // transaction (one commit for a bulk batch). Returns the links in order,
  // each with the achievement its credential awards; one that existed
  // already stays as it was.
  struct IssuedLink {
    const store::Learner* learner = nullptr;
    const store::Credential* credential = nullptr;
  };
  Result<std::vector<store::LearnerCredential>> LinkIssued(
      std::span<const IssuedLink> links);
  // Links credentials this deployment issued to the learner's DID (index
  // lookup) and, when scan_emails, to its emails (a bounded scan).
  Result<int64_t> SyncIssued(const store::Learner& learner, bool scan_emails);

  // Verifies every credential of the learner and derives the skills.
  Result<SkillProfile> Profile(std::string_view learner_id,
                               std::string_view framework = "");
  // Checks one stored credential now.
  CheckedCredential Check(const store::LearnerCredential& stored) const;

  const VerificationService& verifier() const { return *verifier_; }

 private:
  // The learner_credentials row linking an issued credential.
  Result<store::LearnerCredential> IssuedLinkRecord(
      const store::Learner& learner, const store::Credential& credential) const;

  std::shared_ptr<const AppContext> ctx_;
  std::shared_ptr<SkillsService> skills_;
  std::shared_ptr<const VerificationService> verifier_;
  LearnerServiceOptions options_;
};

json::Value SkillProfileToJson(const SkillProfile& profile);

}  // namespace credstack::app
