// credstack issue ... / credstack sign ...
#include "credstack/base/uuid.h"
#include "credstack/cli/client_commands.h"
#include "credstack/cli/commands.h"
#include "credstack/cli/exit_code.h"
#include "credstack/cli/io.h"
#include "credstack/crypto/ed25519.h"
#include "credstack/vc/data_integrity.h"
#include "credstack/vc/key_file.h"
#include "credstack/vc/open_badges.h"
#include "credstack/vc/structure.h"

namespace credstack::cli {
namespace {

inline constexpr char kDataIntegrityV2[] =
    "https://w3id.org/security/data-integrity/v2";

struct SignArgs {
  std::string key_file;
  std::string suite;
  std::string input = "-";
};

struct IssueArgs {
  std::string key_file;
  std::string achievement_file;
  std::string recipient;
  std::string suite;
  std::string valid_from;
  std::string valid_until;
  std::string issuer_name = "credstack issuer";
  std::string issuer_url;
  std::string issuer_profile;
  std::string evidence_file;
  std::string id;
  std::string server;
  std::string idempotency_key;
};

Result<vc::Signer> LoadSigner(const std::string& path) {
  CREDSTACK_ASSIGN_OR_RETURN(std::string text, ReadInput(path, 64 * 1024));
  auto signer = vc::ParseKeyFile(text);
  if (!signer.ok()) return signer.error().WithPrefix(path);
  return signer;
}

Result<Timestamp> TimeArg(const std::string& value, const char* flag) {
  auto t = ParseDateTime(value, {.require_offset = false});
  if (!t.ok())
    return InvalidArgumentError(std::string(flag) + ": " + t.error().message());
  return t;
}

vc::SuiteOptions Suite() { return {.contexts = ld::ContextStore::Bundled()}; }

Status RunIssue(const IssueArgs& a) {
  CREDSTACK_ASSIGN_OR_RETURN(vc::Signer signer, LoadSigner(a.key_file));
  CREDSTACK_ASSIGN_OR_RETURN(json::Value achievement_doc,
                             ReadJsonFile(a.achievement_file));
  if (!achievement_doc.is_object()) {
    return InvalidArgumentError(a.achievement_file +
                                ": an achievement must be a JSON object");
  }
  crypto::SecureRng& rng = crypto::SecureRng::Instance();
  auto achievement = vc::NormalizeAchievement(achievement_doc.as_object(), rng);
  if (!achievement.ok())
    return achievement.error().WithPrefix(a.achievement_file);
  CREDSTACK_ASSIGN_OR_RETURN(vc::Recipient recipient,
                             vc::ParseRecipient(a.recipient));

  vc::CredentialInput in;
  if (!a.issuer_profile.empty()) {
    CREDSTACK_ASSIGN_OR_RETURN(json::Value profile,
                               ReadJsonFile(a.issuer_profile));
    if (!profile.is_object())
      return InvalidArgumentError(a.issuer_profile + ": must be an object");
    in.issuer = profile.as_object();
  } else {
    in.issuer["type"] = json::Array{"Profile"};
    in.issuer["name"] = a.issuer_name;
    if (!a.issuer_url.empty()) in.issuer["url"] = a.issuer_url;
  }
  if (auto id = json::GetString(in.issuer, "id");
      id && *id != signer.controller) {
    return InvalidArgumentError("issuer profile id " + std::string(*id) +
                                " does not match the key's controller " +
                                signer.controller);
  }
  in.issuer["id"] = signer.controller;
  in.achievement = std::move(*achievement);
  in.recipient = recipient;
  Timestamp now = SystemClock::Instance().Now();
  now.unix_micros -= now.unix_micros % 1'000'000;  // whole seconds
  in.valid_from = now;
  if (!a.valid_from.empty()) {
    CREDSTACK_ASSIGN_OR_RETURN(in.valid_from,
                               TimeArg(a.valid_from, "--valid-from"));
  }
  if (!a.valid_until.empty()) {
    CREDSTACK_ASSIGN_OR_RETURN(Timestamp until,
                               TimeArg(a.valid_until, "--valid-until"));
    in.valid_until = until;
  }
  in.awarded_date = in.valid_from;
  in.credential_id = a.id.empty() ? "urn:uuid:" + NewUuidV4(rng) : a.id;
  if (!a.evidence_file.empty()) {
    CREDSTACK_ASSIGN_OR_RETURN(json::Value ev, ReadJsonFile(a.evidence_file));
    if (ev.is_object()) ev = json::Array{ev};
    if (!ev.is_array())
      return InvalidArgumentError(a.evidence_file +
                                  ": evidence must be an object or array");
    in.evidence = ev.as_array();
  }
  CREDSTACK_ASSIGN_OR_RETURN(json::Object credential,
                             vc::BuildOpenBadgeCredential(in, rng));
  vc::ProofOptions po;
  po.cryptosuite = a.suite;
  po.created = now;
  CREDSTACK_ASSIGN_OR_RETURN(json::Object signed_vc,
                             vc::AddProof(credential, signer, po, Suite()));
  WriteStdout(json::SerializePretty(json::Value(std::move(signed_vc))));
  return OkStatus();
}

Status RunSign(const SignArgs& a) {
  CREDSTACK_ASSIGN_OR_RETURN(vc::Signer signer, LoadSigner(a.key_file));
  CREDSTACK_ASSIGN_OR_RETURN(json::Value doc, ReadJsonFile(a.input));
  if (!doc.is_object())
    return InvalidArgumentError("a credential must be a JSON object");
  json::Object& o = doc.as_object();
  // The issuer is the key's controller: set it when absent, insist when
  // present.
  json::Value* issuer = o.if_contains("issuer");
  if (!issuer) {
    o["issuer"] = signer.controller;
  } else {
    std::string_view id =
        issuer->is_string() ? std::string_view(issuer->get_string())
        : issuer->is_object()
            ? json::GetString(issuer->get_object(), "id").value_or("")
            : std::string_view();
    if (id != signer.controller) {
      return InvalidArgumentError(
          "the credential's issuer \"" + std::string(id) +
          "\" is not the key's controller " + signer.controller);
    }
  }
  vc::StructureResult structure = vc::ValidateCredential(doc);
  if (!structure.ok())
    return InvalidArgumentError("not a valid credential: " +
                                structure.Summary());
  // VC 1.1 has no Data Integrity terms: add the context (as VC-API issuers do).
  if (structure.version == vc::VcVersion::kV1) {
    json::Value& ctx = o["@context"];
    bool has = false;
    for (const auto& c : ctx.as_array())
      has = has || (c.is_string() && c.get_string() == kDataIntegrityV2);
    if (!has) ctx.as_array().push_back(kDataIntegrityV2);
  }
  vc::ProofOptions po;
  po.cryptosuite = a.suite;
  Timestamp now = SystemClock::Instance().Now();
  now.unix_micros -= now.unix_micros % 1'000'000;
  po.created = now;
  CREDSTACK_ASSIGN_OR_RETURN(json::Object signed_vc,
                             vc::AddProof(o, signer, po, Suite()));
  WriteStdout(json::SerializePretty(json::Value(std::move(signed_vc))));
  return OkStatus();
}

}  // namespace

void AddIssueCommands(CLI::App& app) {
  auto args = std::make_shared<IssueArgs>();
  auto* issue = app.add_subcommand(
      "issue",
      "Issue a signed Open Badges 3.0 credential for an achievement (printed "
      "to stdout); "
      "offline with a key file, or through a server with --server");
  issue
      ->add_option("--key", args->key_file,
                   "Issuer key file (from `credstack keys new`); with "
                   "--server: an API key")
      ->required();
  issue
      ->add_option("--achievement", args->achievement_file,
                   "Achievement JSON (OB 3.0 Achievement: name, description, "
                   "criteria, ...); "
                   "with --server: the achievement id")
      ->required();
  issue->add_option(
      "--server", args->server,
      "Issue through this credstack server (base URL) instead of offline");
  issue->add_option("--idempotency-key", args->idempotency_key,
                    "With --server: issue at most once for this key");
  issue
      ->add_option("--recipient", args->recipient,
                   "email:ADDRESS (stored as a salted hash) or a DID")
      ->required();
  issue->add_option(
      "--suite", args->suite,
      "eddsa-rdfc-2022 (default when available) or eddsa-jcs-2022");
  issue->add_option("--valid-from", args->valid_from,
                    "RFC 3339 time (default: now)");
  issue->add_option("--valid-until", args->valid_until, "RFC 3339 expiry time");
  issue->add_option("--issuer-name", args->issuer_name, "Issuer Profile name")
      ->capture_default_str();
  issue->add_option("--issuer-url", args->issuer_url, "Issuer Profile url");
  issue->add_option("--issuer-profile", args->issuer_profile,
                    "Issuer Profile JSON file");
  issue->add_option("--evidence", args->evidence_file,
                    "Evidence JSON (object or array)");
  issue->add_option("--id", args->id,
                    "Credential id (default: urn:uuid:random)");
  issue->callback([args] {
    Status s = args->server.empty()
                   ? RunIssue(*args)
                   : RunRemoteIssue(RemoteIssueArgs{
                         .server = args->server,
                         .key = args->key_file,
                         .achievement = args->achievement_file,
                         .recipient = args->recipient,
                         .valid_from = args->valid_from,
                         .valid_until = args->valid_until,
                         .suite = args->suite,
                         .idempotency_key = args->idempotency_key});
    if (!s.ok()) ExitCode() = ReportError(s);
  });

  auto sargs = std::make_shared<SignArgs>();
  auto* sign = app.add_subcommand(
      "sign",
      "Add a Data Integrity proof to an unsigned VC 2.0 or 1.1 credential");
  sign->add_option("--key", sargs->key_file, "Key file")->required();
  sign->add_option(
      "--suite", sargs->suite,
      "eddsa-rdfc-2022 (default when available) or eddsa-jcs-2022");
  sign->add_option("input", sargs->input,
                   "Credential JSON file, or - for stdin")
      ->capture_default_str();
  sign->callback([sargs] {
    Status s = RunSign(*sargs);
    if (!s.ok()) ExitCode() = ReportError(s);
  });
}

}  // namespace credstack::cli
