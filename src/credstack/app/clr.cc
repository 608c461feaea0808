#include "credstack/app/clr.h"

#include <set>
#include <utility>

#include "credstack/base/uuid.h"
#include "credstack/pathways/pathway.h"
#include "credstack/vc/data_integrity.h"
#include "credstack/vc/open_badges.h"

namespace credstack::app {
namespace {

constexpr char kVc2Context[] = "https://www.w3.org/ns/credentials/v2";

}  // namespace

Result<json::Value> ExportClr(const AppContext& ctx, const ClrInput& in) {
  if (!in.learner.org_id) {
    return FailedPreconditionError(
        "the learner has no managing organization to issue its CLR");
  }
  if (!ctx.signers) {
    return FailedPreconditionError("no signing keys are configured");
  }
  CREDSTACK_CHECK(in.profile != nullptr);
  store::Organization org;
  CREDSTACK_RETURN_IF_ERROR(ctx.store->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(org, tx.organizations().Get(*in.learner.org_id));
    return OkStatus();
  }));
  CREDSTACK_ASSIGN_OR_RETURN(vc::Signer signer,
                             ctx.signers->ActiveSigner(org.id));
  json::Object issuer{{"id", signer.controller},
                      {"type", json::Array{"Profile"}}};
  if (auto profile = json::Parse(org.profile_json);
      profile.ok() && profile->is_object()) {
    if (auto name = json::GetString(profile->as_object(), "name"))
      issuer["name"] = *name;
  }
  if (!issuer.contains("name")) issuer["name"] = org.slug;

  // CLR 2.0 §4.2 ClrSubject: the credentials, their achievements (each
  // once) and the associations between achievements.
  json::Array credentials, achievements;
  std::set<std::string> achievement_ids;
  for (const CheckedCredential& c : in.profile->credentials) {
    if (!c.verified) continue;
    auto parsed = json::Parse(c.stored.credential_json,
                              json::ParseOptions{.max_size = 16u << 20});
    if (!parsed.ok() || !parsed->is_object()) continue;
    const json::Object& cred = parsed->as_object();
    if (const json::Value* s = cred.if_contains("credentialSubject");
        s && s->is_object()) {
      if (const json::Object* a =
              json::GetObject(s->as_object(), "achievement")) {
        auto id = json::GetString(*a, "id");
        if (id && achievement_ids.insert(std::string(*id)).second)
          achievements.push_back(*a);
      }
    }
    credentials.push_back(std::move(*parsed));
  }
  if (credentials.empty()) {
    return FailedPreconditionError(
        "the learner has no verified credential to put in a CLR");
  }
  json::Array associations;
  for (const store::PathwayRecord& p : in.awarded) {
    Result<pathways::Pathway> parsed =
        pathways::ParsePathway(p.definition_json);
    if (!parsed.ok() || !achievement_ids.count(parsed->achievement)) continue;
    for (const std::string& component : p.components) {
      if (!achievement_ids.count(component)) continue;
      associations.push_back(json::Object{{"type", "Association"},
                                          {"associationType", "isChildOf"},
                                          {"sourceId", component},
                                          {"targetId", parsed->achievement}});
    }
  }
  json::Object subject{{"type", json::Array{"ClrSubject"}}};
  if (in.learner.did) {
    subject["id"] = *in.learner.did;
  } else if (!in.learner.emails.empty()) {
    uint8_t salt_bytes[16];
    ctx.rng->Fill(salt_bytes);
    subject["identifier"] = json::Array{vc::HashedEmailIdentity(
        in.learner.emails.front(),
        HexEncode(ByteView(salt_bytes, sizeof salt_bytes)))};
  }
  subject["verifiableCredential"] = std::move(credentials);
  subject["achievement"] = std::move(achievements);
  if (!associations.empty()) subject["association"] = std::move(associations);

  const Timestamp now = ctx.clock->Now();
  std::string name = "Comprehensive Learner Record";
  if (!in.learner.display_name.empty())
    name += " of " + in.learner.display_name;
  json::Object clr{
      {"@context", json::Array{kVc2Context, kClrContext, vc::kOb3Context}},
      {"id", "urn:uuid:" + NewUuidV4(*ctx.rng)},
      {"type", json::Array{"VerifiableCredential", "ClrCredential"}},
      {"issuer", std::move(issuer)},
      {"validFrom",
       FormatDateTime(Timestamp::FromUnixSeconds(now.unix_micros / 1'000'000))},
      {"name", name},
      {"credentialSubject", std::move(subject)},
      {"credentialSchema",
       json::Array{json::Object{{"id", kClrSchema},
                                {"type", "1EdTechJsonSchemaValidator2019"}}}}};
  vc::ProofOptions proof{
      .created = Timestamp::FromUnixSeconds(now.unix_micros / 1'000'000)};
  Result<json::Object> signed_clr = vc::AddProof(clr, signer, proof, ctx.suite);
  if (!signed_clr.ok() &&
      signed_clr.status().code() == Code::kInvalidArgument) {
    // An embedded credential with terms or contexts RDFC cannot process
    // safely: JCS signs the bytes instead.
    proof.cryptosuite = "eddsa-jcs-2022";
    signed_clr = vc::AddProof(clr, signer, proof, ctx.suite);
  }
  if (!signed_clr.ok())
    return signed_clr.status().WithPrefix("signing the CLR");
  return json::Value(std::move(*signed_clr));
}

}  // namespace credstack::app
