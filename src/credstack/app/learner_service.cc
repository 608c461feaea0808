#include "credstack/app/learner_service.h"

#include <algorithm>
#include <map>
#include <utility>

#include "credstack/base/bytes.h"
#include "credstack/base/uuid.h"
#include "credstack/crypto/sha.h"

namespace credstack::app {
namespace {

namespace pw = credstack::pathways;

std::string Str(const json::Object& o, std::string_view key) {
  return std::string(json::GetString(o, key).value_or(""));
}

// The first credentialSubject (object, or the first object of an array).
const json::Object* Subject(const json::Object& credential) {
  const json::Value* s = credential.if_contains("credentialSubject");
  if (s == nullptr) return nullptr;
  if (s->is_object()) return &s->as_object();
  if (s->is_array()) {
    for (const json::Value& v : s->as_array()) {
      if (v.is_object()) return &v.as_object();
    }
  }
  return nullptr;
}

std::string ContentKey(ByteView hash) { return "sha256:" + HexEncode(hash); }

Bytes HashOf(std::string_view text) {
  crypto::Sha256Digest d = crypto::Sha256(text);
  return Bytes(d.begin(), d.end());
}

}  // namespace

CredentialFacts ReadCredentialFacts(const json::Object& c) {
  CredentialFacts f;
  f.id = Str(c, "id");
  if (const json::Value* issuer = c.if_contains("issuer")) {
    if (issuer->is_string()) {
      f.issuer = std::string(issuer->as_string());
    } else if (issuer->is_object()) {
      f.issuer = Str(issuer->as_object(), "id");
      f.issuer_name = Str(issuer->as_object(), "name");
    }
  }
  f.date = Str(c, "validFrom");
  if (f.date.empty()) f.date = Str(c, "issuanceDate");
  if (const json::Object* subject = Subject(c)) {
    if (auto awarded = json::GetString(*subject, "awardedDate"))
      f.date = std::string(*awarded);
    if (const json::Object* a = json::GetObject(*subject, "achievement")) {
      pw::Achievement planning = AchievementFromJson(*a, "");
      f.achievement_id = planning.id;
      f.achievement_name = planning.name;
      f.alignment = std::move(planning.alignment);
    }
  }
  return f;
}

bool SubjectIsLearner(const json::Object& credential,
                      const store::Learner& learner) {
  const json::Value* s = credential.if_contains("credentialSubject");
  if (s == nullptr) return false;
  auto one = [&](const json::Value& v) {
    const json::Object* subject = v.if_object();
    if (subject == nullptr) return false;
    if (learner.did && json::GetString(*subject, "id") == *learner.did)
      return true;
    const json::Value* ids = subject->if_contains("identifier");
    if (ids == nullptr) return false;
    auto matches = [&](const json::Value& id) {
      const json::Object* io = id.if_object();
      if (io == nullptr) return false;
      for (const std::string& email : learner.emails) {
        if (vc::IdentityMatches(*io, email)) return true;
      }
      return false;
    };
    if (ids->is_array()) {
      return std::any_of(ids->as_array().begin(), ids->as_array().end(),
                         matches);
    }
    return matches(*ids);
  };
  if (s->is_array()) {
    return std::any_of(s->as_array().begin(), s->as_array().end(), one);
  }
  return one(*s);
}

std::vector<std::string> SkillProfile::SkillIds() const {
  std::vector<std::string> out;
  for (const ProfileSkill& s : skills) out.push_back(s.id);
  return out;
}

LearnerService::LearnerService(
    std::shared_ptr<const AppContext> ctx,
    std::shared_ptr<SkillsService> skills,
    std::shared_ptr<const VerificationService> verifier,
    LearnerServiceOptions options)
    : ctx_(std::move(ctx)),
      skills_(std::move(skills)),
      verifier_(std::move(verifier)),
      options_(options) {}

Result<CreatedLearner> LearnerService::Create(std::string_view org_id,
                                              const NewLearner& input) {
  store::Learner l;
  l.org_id = std::string(org_id);
  if (input.did) {
    if (input.did->rfind("did:", 0) != 0 || input.did->size() > 2048) {
      return InvalidArgumentError("$.did: must be a DID (did:method:...)");
    }
    l.did = *input.did;
  }
  if (input.emails.size() > options_.max_emails) {
    return InvalidArgumentError("$.emails: at most " +
                                std::to_string(options_.max_emails) +
                                " addresses");
  }
  for (size_t i = 0; i < input.emails.size(); ++i) {
    Result<vc::Recipient> r = vc::ParseRecipient("email:" + input.emails[i]);
    if (!r.ok() || r->kind != vc::Recipient::Kind::kEmail) {
      return InvalidArgumentError("$.emails[" + std::to_string(i) +
                                  "]: not an email address");
    }
    if (std::find(l.emails.begin(), l.emails.end(), r->value) ==
        l.emails.end()) {
      l.emails.push_back(r->value);
    }
  }
  if (!l.did && l.emails.empty()) {
    return InvalidArgumentError(
        "$: a learner needs a did or at least one email");
  }
  if (input.display_name.size() > 256) {
    return InvalidArgumentError("$.name: at most 256 bytes");
  }
  l.display_name = input.display_name;
  l.id = NewUuidV4(*ctx_->rng);
  uint8_t secret[32];
  ctx_->rng->Fill(secret);
  std::string token = "lt_" + Base64UrlEncode(ByteView(secret, sizeof secret));
  l.token_hash = HashOf(token);
  l.created = ctx_->clock->Now();
  Status s = ctx_->store->Transact(
      [&](store::Tx& tx) { return tx.learners().Insert(l); });
  if (s.code() == Code::kAlreadyExists) {
    return AlreadyExistsError(
        "the DID or an email already belongs to another learner");
  }
  CREDSTACK_RETURN_IF_ERROR(s);
  CREDSTACK_ASSIGN_OR_RETURN(int64_t linked, SyncIssued(l, true));
  return CreatedLearner{
      .learner = std::move(l), .token = std::move(token), .linked = linked};
}

Result<store::Learner> LearnerService::Get(std::string_view learner_id) {
  Result<store::Learner> out = InternalError("not run");
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) {
    out = tx.learners().Get(learner_id);
    return out.status();
  }));
  return out;
}

Result<store::Learner> LearnerService::CheckToken(std::string_view learner_id,
                                                  std::string_view token) {
  Result<store::Learner> l = Get(learner_id);
  if (!l.ok() && l.status().code() != Code::kNotFound) return l.status();
  if (l.ok() && !token.empty() &&
      ConstantTimeEquals(HashOf(token), l->token_hash)) {
    return l;
  }
  // Another learner's token authenticates, but not for this learner.
  bool other = false;
  if (!token.empty()) {
    CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
      Result<store::Learner> owner =
          tx.learners().FindByTokenHash(HashOf(token));
      if (!owner.ok() && owner.status().code() != Code::kNotFound) {
        return owner.status();
      }
      other = owner.ok();
      return OkStatus();
    }));
  }
  if (other) {
    return PermissionDeniedError("the learner token is another learner's");
  }
  return UnauthenticatedError("invalid learner token");
}

Result<std::optional<store::Learner>> LearnerService::FindByRecipient(
    const vc::Recipient& recipient) {
  CREDSTACK_ASSIGN_OR_RETURN(std::vector<std::optional<store::Learner>> out,
                             FindByRecipients(std::span(&recipient, 1)));
  return std::move(out[0]);
}

Result<std::vector<std::optional<store::Learner>>>
LearnerService::FindByRecipients(std::span<const vc::Recipient> recipients) {
  std::vector<std::optional<store::Learner>> out(recipients.size());
  if (recipients.empty()) return out;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    out.assign(recipients.size(), std::nullopt);
    for (size_t i = 0; i < recipients.size(); ++i) {
      const vc::Recipient& r = recipients[i];
      Result<store::Learner> l = r.kind == vc::Recipient::Kind::kDid
                                     ? tx.learners().FindByDid(r.value)
                                     : tx.learners().FindByEmail(r.value);
      if (l.ok()) {
        out[i] = std::move(*l);
      } else if (l.status().code() != Code::kNotFound) {
        return l.status();
      }
    }
    return OkStatus();
  }));
  return out;
}

Result<UploadResult> LearnerService::Upload(std::string_view learner_id,
                                            std::string_view text) {
  if (text.size() > options_.max_credential_bytes) {
    return ResourceExhaustedError(
        "credential larger than " +
        std::to_string(options_.max_credential_bytes) + " bytes");
  }
  CREDSTACK_ASSIGN_OR_RETURN(store::Learner learner, Get(learner_id));
  CREDSTACK_ASSIGN_OR_RETURN(json::Value parsed, json::Parse(text));
  if (!parsed.is_object()) {
    return InvalidArgumentError("$: a credential must be a JSON object");
  }
  const json::Object& c = parsed.as_object();
  if (!SubjectIsLearner(c, learner)) {
    return InvalidArgumentError(
        "$.credentialSubject: the subject is not this learner (neither its "
        "DID nor one of its email addresses)");
  }
  CredentialFacts facts = ReadCredentialFacts(c);
  Bytes hash = HashOf(text);
  UploadResult out;
  out.report = verifier_->VerifyCredentialText(text);
  out.stored = store::LearnerCredential{
      .learner_id = learner.id,
      .credential_key = facts.id.empty() ? ContentKey(hash) : facts.id,
      .source = store::LearnerCredentialSource::kUploaded,
      .credential_json = std::string(text),
      .content_hash = hash,
      .issuer = facts.issuer,
      .achievement_id = facts.achievement_id,
      .added = ctx_->clock->Now()};
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Transact([&](store::Tx& tx) -> Status {
    // A copy of a credential this deployment issued links to the stored
    // one, so that its revocation finds the learner.
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::Credential> ours,
                               tx.credentials().FindByContentHash(hash));
    if (!ours.empty()) {
      out.stored.source = store::LearnerCredentialSource::kIssued;
      out.stored.credential_id = ours.front().id;
    }
    CREDSTACK_ASSIGN_OR_RETURN(out.created,
                               tx.learners().AddCredential(out.stored));
    return OkStatus();
  }));
  return out;
}

Result<bool> LearnerService::LinkIssued(const store::Learner& learner,
                                        const store::Credential& credential) {
  CREDSTACK_ASSIGN_OR_RETURN(store::LearnerCredential link,
                             IssuedLinkRecord(learner, credential));
  bool created = false;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Transact([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(created, tx.learners().AddCredential(link));
    return OkStatus();
  }));
  return created;
}

Result<std::vector<store::LearnerCredential>> LearnerService::LinkIssued(
    std::span<const IssuedLink> links) {
  std::vector<store::LearnerCredential> out;
  out.reserve(links.size());
  for (const IssuedLink& l : links) {
    CREDSTACK_ASSIGN_OR_RETURN(store::LearnerCredential link,
                               IssuedLinkRecord(*l.learner, *l.credential));
    out.push_back(std::move(link));
  }
  if (out.empty()) return out;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Transact([&](store::Tx& tx) -> Status {
    for (const store::LearnerCredential& link : out) {
      CREDSTACK_RETURN_IF_ERROR(tx.learners().AddCredential(link).status());
    }
    return OkStatus();
  }));
  return out;
}

Result<store::LearnerCredential> LearnerService::IssuedLinkRecord(
    const store::Learner& learner, const store::Credential& credential) const {
  auto parsed = json::Parse(credential.credential_json,
                            json::ParseOptions{.max_size = 16u << 20});
  if (!parsed.ok() || !parsed->is_object()) {
    return DataLossError("stored credential " + credential.id +
                         " is not a JSON object");
  }
  CredentialFacts facts = ReadCredentialFacts(parsed->as_object());
  return store::LearnerCredential{
      .learner_id = learner.id,
      .credential_key = facts.id.empty() ? credential.id : facts.id,
      .source = store::LearnerCredentialSource::kIssued,
      .credential_id = credential.id,
      .content_hash = credential.content_hash,
      .issuer = facts.issuer,
      .achievement_id = facts.achievement_id,
      .added = ctx_->clock->Now()};
}

Result<int64_t> LearnerService::SyncIssued(const store::Learner& learner,
                                           bool scan_emails) {
  std::vector<store::Credential> found;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    if (learner.did) {
      std::string after;
      while (true) {
        CREDSTACK_ASSIGN_OR_RETURN(
            std::vector<store::Credential> page,
            tx.credentials().ListByRecipient(*learner.did, after, 1000));
        if (page.empty()) break;
        after = page.back().id;
        for (store::Credential& c : page) found.push_back(std::move(c));
      }
    }
    if (!scan_emails || learner.emails.empty()) return OkStatus();
    int64_t scanned = 0;
    std::string after_org;
    while (scanned < options_.max_email_scan) {
      CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::Organization> orgs,
                                 tx.organizations().List(after_org, 1000));
      if (orgs.empty()) break;
      after_org = orgs.back().id;
      for (const store::Organization& org : orgs) {
        std::string after;
        while (scanned < options_.max_email_scan) {
          CREDSTACK_ASSIGN_OR_RETURN(
              std::vector<store::Credential> page,
              tx.credentials().ListByOrg(org.id, after, 1000));
          if (page.empty()) break;
          after = page.back().id;
          for (store::Credential& c : page) {
            ++scanned;
            if (c.recipient_kind != store::RecipientKind::kEmailHash) continue;
            auto parsed = json::Parse(
                c.credential_json, json::ParseOptions{.max_size = 16u << 20});
            if (!parsed.ok() || !parsed->is_object()) continue;
            if (SubjectIsLearner(parsed->as_object(), learner))
              found.push_back(std::move(c));
          }
        }
      }
    }
    return OkStatus();
  }));
  if (found.empty()) return 0;
  // Only what is not linked yet (reads are cheap, writes are fsyncs).
  std::vector<std::string> known;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::LearnerCredential> links,
                               tx.learners().ListCredentials(learner.id));
    for (const store::LearnerCredential& l : links) {
      if (l.credential_id) known.push_back(*l.credential_id);
    }
    return OkStatus();
  }));
  std::sort(known.begin(), known.end());
  int64_t linked = 0;
  for (const store::Credential& c : found) {
    if (std::binary_search(known.begin(), known.end(), c.id)) continue;
    CREDSTACK_ASSIGN_OR_RETURN(bool created, LinkIssued(learner, c));
    linked += created ? 1 : 0;
  }
  return linked;
}

CheckedCredential LearnerService::Check(
    const store::LearnerCredential& stored) const {
  CheckedCredential out;
  out.stored = stored;
  vc::VerificationReport r =
      verifier_->VerifyCredentialText(stored.credential_json);
  out.verified = r.verified;
  out.errors = std::move(r.errors);
  auto parsed = json::Parse(stored.credential_json,
                            json::ParseOptions{.max_size = 16u << 20});
  if (parsed.ok() && parsed->is_object()) {
    out.facts = ReadCredentialFacts(parsed->as_object());
  } else {
    out.verified = false;
  }
  return out;
}

Result<SkillProfile> LearnerService::Profile(std::string_view learner_id,
                                             std::string_view framework) {
  CREDSTACK_ASSIGN_OR_RETURN(store::Learner learner, Get(learner_id));
  if (learner.did)
    CREDSTACK_RETURN_IF_ERROR(SyncIssued(learner, false).status());
  SkillProfile p;
  p.learner_id = learner.id;
  Result<std::string> fid = skills_->ResolveFrameworkId(framework);
  if (fid.ok()) {
    p.framework_id = *fid;
    CREDSTACK_ASSIGN_OR_RETURN(p.framework, skills_->Framework(*fid));
  } else if (!framework.empty() || fid.status().code() != Code::kNotFound) {
    return fid.status();
  }
  std::vector<store::LearnerCredential> stored;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(stored,
                               tx.learners().ListCredentials(learner.id));
    return OkStatus();
  }));
  std::map<std::string, ProfileSkill> skills;
  const pw::Framework* fw = p.framework.get();
  for (const store::LearnerCredential& s : stored) {
    CheckedCredential c = Check(s);
    if (c.verified) {
      if (!c.facts.achievement_id.empty())
        p.achievements.push_back(c.facts.achievement_id);
      for (const pw::Alignment& al : c.facts.alignment) {
        Result<std::string> id = pw::ResolveAlignment(al, fw);
        bool in_framework = id.ok() && fw != nullptr;
        if (!id.ok()) {
          // Outside the framework: kept under its own URL or code.
          Result<std::string> raw = pw::ResolveAlignment(al, nullptr);
          if (!raw.ok()) continue;
          id = std::move(raw);
        }
        ProfileSkill& ps = skills[*id];
        if (ps.id.empty()) {
          ps.id = *id;
          ps.in_framework = in_framework;
          ps.label = al.target_name;
          if (in_framework) ps.label = fw->skills()[*fw->FindSkill(*id)].label;
        }
        ps.sources.push_back(
            SkillSource{.credential = s.credential_key,
                        .issuer = c.facts.issuer,
                        .issuer_name = c.facts.issuer_name,
                        .achievement = c.facts.achievement_id,
                        .achievement_name = c.facts.achievement_name,
                        .date = c.facts.date});
      }
    }
    p.credentials.push_back(std::move(c));
  }
  for (auto& [id, s] : skills) p.skills.push_back(std::move(s));
  std::sort(p.achievements.begin(), p.achievements.end());
  p.achievements.erase(
      std::unique(p.achievements.begin(), p.achievements.end()),
      p.achievements.end());
  return p;
}

json::Value SkillProfileToJson(const SkillProfile& p) {
  json::Array skills;
  for (const ProfileSkill& s : p.skills) {
    json::Array sources;
    for (const SkillSource& src : s.sources) {
      json::Object o{{"credential", src.credential},
                     {"issuer", src.issuer},
                     {"achievement", src.achievement},
                     {"date", src.date}};
      if (!src.issuer_name.empty()) o["issuerName"] = src.issuer_name;
      if (!src.achievement_name.empty())
        o["achievementName"] = src.achievement_name;
      sources.push_back(std::move(o));
    }
    skills.push_back(json::Object{{"id", s.id},
                                  {"label", s.label},
                                  {"inFramework", s.in_framework},
                                  {"sources", std::move(sources)}});
  }
  json::Array credentials;
  for (const CheckedCredential& c : p.credentials) {
    json::Array errors;
    for (const std::string& e : c.errors) errors.push_back(json::Value(e));
    credentials.push_back(json::Object{
        {"id", c.stored.credential_key},
        {"source", store::LearnerCredentialSourceName(c.stored.source)},
        {"issuer", c.facts.issuer},
        {"achievement", c.facts.achievement_id},
        {"verified", c.verified},
        {"errors", std::move(errors)}});
  }
  json::Array achievements;
  for (const std::string& a : p.achievements)
    achievements.push_back(json::Value(a));
  json::Object o{{"learner", p.learner_id},
                 {"skills", std::move(skills)},
                 {"achievements", std::move(achievements)},
                 {"credentials", std::move(credentials)}};
  if (p.framework) {
    o["framework"] = json::Object{{"id", p.framework_id},
                                  {"name", p.framework->info().name},
                                  {"version", p.framework->info().version}};
    o["source"] = p.framework->info().attribution;
  }
  return o;
}

}  // namespace credstack::app
