#include "credstack/app/pathway_service.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "credstack/base/bytes.h"
#include "credstack/base/uuid.h"
#include "credstack/crypto/sha.h"
#include "credstack/pathways/json_io.h"

namespace credstack::app {
namespace {

namespace pw = credstack::pathways;

// Pathways whose rules count achievements they do not name (credits or
// hours from any achievement, skills) are indexed under this component, so
// every change evaluates them.
constexpr std::string_view kAnyAchievement = "*";

std::vector<std::string> Components(const pw::Pathway& p) {
  std::set<std::string> out;
  for (const pw::PathwayRule& r : p.rules) {
    switch (r.kind) {
      case pw::PathwayRule::Kind::kAchievement:
        out.insert(r.achievement);
        break;
      case pw::PathwayRule::Kind::kCreditsAtLeast:
      case pw::PathwayRule::Kind::kHoursAtLeast:
        if (r.from_any || r.from.empty())
          out.insert(std::string(kAnyAchievement));
        out.insert(r.from.begin(), r.from.end());
        break;
      case pw::PathwayRule::Kind::kSkills:
        out.insert(std::string(kAnyAchievement));
        break;
      default:
        break;
    }
  }
  return {out.begin(), out.end()};
}

// Set while Award() issues on this thread: the issuance listener then
// hears of the award itself, which Award() links and EvaluateDepth()
// follows up on (bounded by max_award_depth); evaluating it again from the
// listener would nest evaluations without that bound.
thread_local int awarding = 0;

struct AwardingScope {
  AwardingScope() { ++awarding; }
  ~AwardingScope() { --awarding; }
  AwardingScope(const AwardingScope&) = delete;
  AwardingScope& operator=(const AwardingScope&) = delete;
};

std::string_view Uuid(std::string_view id) {
  constexpr std::string_view kPrefix = "urn:uuid:";
  if (id.substr(0, kPrefix.size()) == kPrefix) return id.substr(kPrefix.size());
  return {};
}

}  // namespace

std::string PathwayAwardKey(std::string_view pathway_id,
                            std::string_view learner_id) {
  std::string input(pathway_id);
  input.push_back('\0');
  input.append(learner_id);
  crypto::Sha256Digest d = crypto::Sha256(std::string_view(input));
  return "pathway-award:" + HexEncode(ByteView(d.data(), d.size()));
}

PathwayService::PathwayService(std::shared_ptr<const AppContext> ctx,
                               std::shared_ptr<SkillsService> skills,
                               std::shared_ptr<LearnerService> learners,
                               AwardIssuer issuer,
                               PathwayServiceOptions options)
    : ctx_(std::move(ctx)),
      skills_(std::move(skills)),
      learners_(std::move(learners)),
      issuer_(std::move(issuer)),
      options_(options) {}

Result<store::PathwayRecord> PathwayService::Create(
    std::string_view org_id, const json::Value& definition) {
  if (!definition.is_object()) {
    return InvalidArgumentError("$: a pathway definition must be an object");
  }
  json::Object def = definition.as_object();
  if (!def.contains("id")) def["id"] = "urn:uuid:" + NewUuidV4(*ctx_->rng);
  auto achievement_ref = json::GetString(def, "achievement");
  if (!achievement_ref || achievement_ref->empty()) {
    return InvalidArgumentError(
        "$.achievement: required (the id of the stacked achievement to "
        "award)");
  }
  store::Organization org;
  store::AchievementVersion stacked;
  CREDSTACK_ASSIGN_OR_RETURN(std::shared_ptr<const DeploymentCatalog> catalog,
                             skills_->Catalog(""));
  {
    std::string ref(*achievement_ref);
    std::string store_id = ref;
    if (auto it = catalog->refs.find(ref);
        it != catalog->refs.end() && it->second.org_id == org_id) {
      store_id = it->second.achievement_id;
    }
    Status s = ctx_->store->Read([&](store::Tx& tx) -> Status {
      CREDSTACK_ASSIGN_OR_RETURN(org, tx.organizations().Get(org_id));
      Result<store::AchievementVersion> a =
          tx.achievements().GetLatest(org_id, store_id);
      if (!a.ok() && a.status().code() == Code::kNotFound) {
        return InvalidArgumentError("$.achievement: " + ref +
                                    " is not an achievement of this "
                                    "organization");
      }
      CREDSTACK_ASSIGN_OR_RETURN(stacked, std::move(a));
      return OkStatus();
    });
    CREDSTACK_RETURN_IF_ERROR(s);
  }
  const std::string did = ctx_->urls.IssuerDid(org.slug);
  if (auto owner = json::GetString(def, "owner"); owner && *owner != did) {
    return InvalidArgumentError("$.owner: must be this organization's DID " +
                                did + " (or absent)");
  }
  def["owner"] = did;
  std::string stacked_id = stacked.achievement_id;
  if (auto parsed = json::Parse(stacked.achievement_json);
      parsed.ok() && parsed->is_object()) {
    stacked_id = std::string(
        json::GetString(parsed->as_object(), "id").value_or(stacked_id));
  }
  def["achievement"] = stacked_id;
  const std::string text = json::Serialize(def);
  CREDSTACK_ASSIGN_OR_RETURN(pw::Pathway pathway,
                             pw::ParsePathway(text, options_.parse));
  if (!catalog->catalog) {
    return InvalidArgumentError(
        "$.rule: this deployment has no achievements to stack yet");
  }
  CREDSTACK_RETURN_IF_ERROR(pw::ValidatePathway(pathway, *catalog->catalog,
                                                catalog->framework.get()));
  std::vector<std::string> components = Components(pathway);
  if (std::find(components.begin(), components.end(), stacked_id) !=
      components.end()) {
    return InvalidArgumentError(
        "$.achievement: the pathway's award cannot also be one of its "
        "components");
  }
  store::PathwayRecord record{.id = pathway.id,
                              .org_id = std::string(org_id),
                              .achievement_id = stacked.achievement_id,
                              .definition_json = text,
                              .components = std::move(components),
                              .created = ctx_->clock->Now()};
  record.updated = record.created;
  Status s = ctx_->store->Transact(
      [&](store::Tx& tx) { return tx.pathways().Insert(record); });
  if (s.code() == Code::kAlreadyExists) {
    return AlreadyExistsError("$.id: a pathway " + record.id +
                              " exists already");
  }
  CREDSTACK_RETURN_IF_ERROR(s);
  return record;
}

Result<store::PathwayRecord> PathwayService::Get(std::string_view id) {
  Result<store::PathwayRecord> out = InternalError("not run");
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) {
    out = tx.pathways().Get(id);
    return out.status();
  }));
  return out;
}

Result<std::vector<store::PathwayRecord>> PathwayService::List(
    std::string_view org_id, std::string_view after_id, int64_t limit) {
  Result<std::vector<store::PathwayRecord>> out = InternalError("not run");
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) {
    out = tx.pathways().List(org_id, after_id, limit);
    return out.status();
  }));
  return out;
}

Result<PathwayProgressView> PathwayService::Progress(
    std::string_view learner_id, std::string_view pathway_id,
    const pw::PlanOptions& options) {
  PathwayProgressView v;
  CREDSTACK_ASSIGN_OR_RETURN(v.record, Get(pathway_id));
  CREDSTACK_ASSIGN_OR_RETURN(
      v.pathway, pw::ParsePathway(v.record.definition_json, options_.parse));
  CREDSTACK_ASSIGN_OR_RETURN(SkillProfile profile,
                             learners_->Profile(learner_id));
  CREDSTACK_ASSIGN_OR_RETURN(v.catalog, skills_->Catalog(""));
  if (!v.catalog->catalog) {
    return FailedPreconditionError("the deployment catalog is empty");
  }
  const pw::Catalog& catalog = *v.catalog->catalog;
  for (const std::string& a : profile.achievements) {
    if (catalog.FindAchievement(a)) v.held.push_back(a);
  }
  CREDSTACK_ASSIGN_OR_RETURN(v.progress,
                             pw::EvaluatePathway(v.pathway, v.held, &catalog));
  if (!v.progress.satisfied) {
    CREDSTACK_ASSIGN_OR_RETURN(
        v.finish,
        pw::FinishPathway(v.pathway, catalog, v.catalog->framework.get(),
                          v.held, options));
  }
  Status s = ctx_->store->Read([&](store::Tx& tx) -> Status {
    Result<store::PathwayAward> a =
        tx.pathways().GetAward(pathway_id, learner_id);
    if (a.ok()) v.award = std::move(*a);
    return a.ok() || a.status().code() == Code::kNotFound ? OkStatus()
                                                          : a.status();
  });
  CREDSTACK_RETURN_IF_ERROR(s);
  return v;
}

Result<std::vector<AwardOutcome>> PathwayService::Evaluate(
    std::string_view learner_id, std::span<const std::string> changed) {
  return EvaluateDepth(learner_id, changed, 0);
}

Result<std::vector<AwardOutcome>> PathwayService::EvaluateDepth(
    std::string_view learner_id, std::span<const std::string> changed,
    int depth) {
  store::Learner learner;
  std::vector<store::PathwayRecord> records;
  std::set<std::string> awarded;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(learner, tx.learners().Get(learner_id));
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::PathwayAward> awards,
                               tx.pathways().ListAwards(learner_id));
    for (const store::PathwayAward& a : awards) awarded.insert(a.pathway_id);
    std::vector<std::string> ids;
    if (changed.empty()) {
      CREDSTACK_ASSIGN_OR_RETURN(
          records,
          tx.pathways().List(
              "", "",
              static_cast<int64_t>(options_.max_pathways_per_evaluation)));
      return OkStatus();
    }
    std::vector<std::string> keys(changed.begin(), changed.end());
    keys.emplace_back(kAnyAchievement);
    CREDSTACK_ASSIGN_OR_RETURN(ids, tx.pathways().Mentioning(keys));
    for (const std::string& id : ids) {
      if (records.size() >= options_.max_pathways_per_evaluation) break;
      CREDSTACK_ASSIGN_OR_RETURN(store::PathwayRecord p, tx.pathways().Get(id));
      records.push_back(std::move(p));
    }
    return OkStatus();
  }));
  std::erase_if(records, [&](const store::PathwayRecord& r) {
    return awarded.count(r.id) > 0;
  });
  std::vector<AwardOutcome> out;
  if (records.empty()) return out;
  CREDSTACK_ASSIGN_OR_RETURN(SkillProfile profile,
                             learners_->Profile(learner_id));
  CREDSTACK_ASSIGN_OR_RETURN(std::shared_ptr<const DeploymentCatalog> catalog,
                             skills_->Catalog(""));
  if (!catalog->catalog) return out;
  std::vector<std::string> next;
  for (const store::PathwayRecord& r : records) {
    CREDSTACK_ASSIGN_OR_RETURN(
        pw::Pathway pathway,
        pw::ParsePathway(r.definition_json, options_.parse));
    CREDSTACK_ASSIGN_OR_RETURN(
        pw::PathwayProgress progress,
        pw::EvaluatePathway(pathway, profile.achievements, &*catalog->catalog));
    if (!progress.satisfied) continue;
    CREDSTACK_ASSIGN_OR_RETURN(AwardOutcome award,
                               Award(learner, r, pathway, progress, profile));
    if (award.created) next.push_back(pathway.achievement);
    out.push_back(std::move(award));
  }
  // A stacked credential may itself complete a larger stack.
  if (!next.empty() && depth + 1 < options_.max_award_depth) {
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<AwardOutcome> more,
                               EvaluateDepth(learner_id, next, depth + 1));
    for (AwardOutcome& a : more) out.push_back(std::move(a));
  }
  return out;
}

Result<AwardOutcome> PathwayService::Award(const store::Learner& learner,
                                           const store::PathwayRecord& record,
                                           const pw::Pathway& pathway,
                                           const pw::PathwayProgress& progress,
                                           const SkillProfile& profile) {
  if (!issuer_) {
    return FailedPreconditionError("pathway awards need an issuance service");
  }
  std::set<std::string> counted;
  for (const pw::RuleProgress& r : progress.rules) {
    counted.insert(r.counted.begin(), r.counted.end());
  }
  // OB 3.0 §B.1.x Evidence: one entry per component credential, pointing
  // at its public URL (ours) or its id (uploaded).
  AwardRequest req{.org_id = record.org_id,
                   .achievement_id = record.achievement_id,
                   .idempotency_key = PathwayAwardKey(record.id, learner.id)};
  for (const CheckedCredential& c : profile.credentials) {
    if (!c.verified || !counted.count(c.facts.achievement_id)) continue;
    std::string url = c.stored.credential_key;
    if (c.stored.credential_id) {
      std::string_view uuid = Uuid(*c.stored.credential_id);
      if (!uuid.empty()) url = ctx_->urls.CredentialUrl(uuid);
    }
    std::string name = c.facts.achievement_name.empty()
                           ? c.facts.achievement_id
                           : c.facts.achievement_name;
    req.evidence.push_back(json::Object{
        {"id", url},
        {"type", json::Array{"Evidence"}},
        {"name", name},
        {"description", "Component credential of the stacked pathway " +
                            (pathway.name.empty() ? pathway.id : pathway.name) +
                            " (achievement " + c.facts.achievement_id +
                            ", issued by " + c.facts.issuer + ")"}});
    counted.erase(c.facts.achievement_id);  // one credential per component
  }
  if (learner.did) {
    req.recipient = *learner.did;
  } else if (!learner.emails.empty()) {
    req.recipient = learner.emails.front();
  } else {
    return FailedPreconditionError("learner " + learner.id +
                                   " has no identity to award to");
  }
  Result<store::Credential> issued = [&] {
    AwardingScope scope;
    return issuer_(req);
  }();
  CREDSTACK_ASSIGN_OR_RETURN(store::Credential credential, std::move(issued));
  AwardOutcome out{.pathway_id = record.id};
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Transact([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(
        store::RecordedAward r,
        tx.pathways().RecordAward({.pathway_id = record.id,
                                   .learner_id = learner.id,
                                   .credential_id = credential.id,
                                   .awarded = ctx_->clock->Now()}));
    out.award = std::move(r.award);
    out.created = r.created;
    return OkStatus();
  }));
  // The stacked credential is the learner's too.
  CREDSTACK_RETURN_IF_ERROR(
      learners_->LinkIssued(learner, credential).status());
  return out;
}

Status PathwayService::OnCredentialIssued(const store::Credential& credential,
                                          std::string_view recipient) {
  IssuedEvent event{.credential = &credential, .recipient = recipient};
  return OnCredentialsIssued(std::span(&event, 1));
}

Status PathwayService::OnCredentialsIssued(
    std::span<const IssuedEvent> issued) {
  if (awarding > 0) return OkStatus();
  std::vector<vc::Recipient> recipients;
  std::vector<const store::Credential*> credentials;
  for (const IssuedEvent& e : issued) {
    Result<vc::Recipient> r = vc::ParseRecipient(e.recipient);
    if (!r.ok()) continue;  // not a learner identity we index
    recipients.push_back(std::move(*r));
    credentials.push_back(e.credential);
  }
  if (recipients.empty()) return OkStatus();
  CREDSTACK_ASSIGN_OR_RETURN(std::vector<std::optional<store::Learner>> found,
                             learners_->FindByRecipients(recipients));
  std::vector<LearnerService::IssuedLink> links;
  for (size_t i = 0; i < found.size(); ++i) {
    if (found[i])
      links.push_back({.learner = &*found[i], .credential = credentials[i]});
  }
  if (links.empty()) return OkStatus();
  // One transaction for the whole batch: with SQLite every commit is an
  // fsync, and a bulk job may be addressed to learners only.
  CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::LearnerCredential> linked,
                             learners_->LinkIssued(links));
  // Each learner is evaluated once, for every achievement it received.
  std::map<std::string, std::vector<std::string>> changed;
  for (const store::LearnerCredential& l : linked) {
    std::vector<std::string>& achievements = changed[l.learner_id];
    if (!l.achievement_id.empty() &&
        std::find(achievements.begin(), achievements.end(), l.achievement_id) ==
            achievements.end()) {
      achievements.push_back(l.achievement_id);
    }
  }
  Status first = OkStatus();
  for (const auto& [learner_id, achievements] : changed) {
    if (achievements.empty()) continue;
    Status s = Evaluate(learner_id, achievements).status();
    if (!s.ok() && first.ok()) first = s;  // the other learners still count
  }
  return first;
}

Status PathwayService::OnCredentialStatusChanged(
    std::string_view credential_id) {
  std::vector<std::pair<std::string, std::string>> affected;
  CREDSTACK_RETURN_IF_ERROR(ctx_->store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(
        std::vector<std::string> learners,
        tx.learners().LearnersWithCredential(credential_id));
    for (const std::string& l : learners) {
      CREDSTACK_ASSIGN_OR_RETURN(auto creds, tx.learners().ListCredentials(l));
      for (const store::LearnerCredential& c : creds) {
        if (c.credential_id == credential_id && !c.achievement_id.empty())
          affected.emplace_back(l, c.achievement_id);
      }
    }
    return OkStatus();
  }));
  for (const auto& [learner, achievement] : affected) {
    std::vector<std::string> changed = {achievement};
    CREDSTACK_RETURN_IF_ERROR(Evaluate(learner, changed).status());
  }
  return OkStatus();
}

json::Value PathwayRecordToJson(const store::PathwayRecord& r) {
  json::Value definition = json::Parse(r.definition_json).value_or(nullptr);
  json::Array components;
  for (const std::string& c : r.components)
    components.push_back(json::Value(c));
  return json::Object{{"id", r.id},
                      {"org", r.org_id},
                      {"achievement", r.achievement_id},
                      {"definition", std::move(definition)},
                      {"components", std::move(components)},
                      {"created", FormatDateTime(r.created)}};
}

json::Value ProgressViewToJson(const PathwayProgressView& v,
                               std::string_view learner_id) {
  json::Value out = pw::ProgressToJson(v.pathway, v.progress);
  json::Object& o = out.as_object();
  o["learner"] = learner_id;
  json::Array held;
  for (const std::string& h : v.held) held.push_back(json::Value(h));
  o["held"] = std::move(held);
  if (v.finish)
    o["finish"] = pw::PlanToJson(*v.finish, v.catalog->framework.get());
  if (v.award) {
    o["award"] = json::Object{{"credential", v.award->credential_id},
                              {"awarded", FormatDateTime(v.award->awarded)}};
  }
  if (v.catalog->framework)
    o["source"] = v.catalog->framework->info().attribution;
  return out;
}

}  // namespace credstack::app
