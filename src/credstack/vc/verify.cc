#include "credstack/vc/verify.h"

#include "credstack/vc/data_integrity.h"
#include "credstack/vc/structure.h"

namespace credstack::vc {
namespace {

void CheckContexts(const json::Object& o, const VerifyOptions& opt, VerificationReport& r) {
  const json::Value* ctx = o.if_contains("@context");
  if (!ctx) {
    r.Add(kCheckContext, false, "no @context");
    return;
  }
  std::vector<const json::Value*> list;
  if (ctx->is_array()) {
    for (const auto& e : ctx->get_array()) list.push_back(&e);
  } else {
    list.push_back(ctx);
  }
  size_t inline_count = 0;
  for (const json::Value* e : list) {
    if (e->is_string()) {
      if (!opt.suite.contexts->Contains(e->get_string())) {
        r.Add(kCheckContext, false,
              "context " + std::string(e->get_string().subview(0, 200)) +
                  " is not in the pinned set (credstack never fetches contexts)");
        return;
      }
    } else if (e->is_object()) {
      ++inline_count;
    } else {
      r.Add(kCheckContext, false, "@context entries must be URLs or objects");
      return;
    }
  }
  std::string detail = std::to_string(list.size() - inline_count) + " pinned context(s)";
  if (inline_count) detail += " and " + std::to_string(inline_count) + " inline";
  r.Add(kCheckContext, true, detail);
}

// VC DM 2.0 §4.9 (validFrom/validUntil), VC 1.1 §4.6/4.7.
void CheckValidity(const json::Object& o, VcVersion version, const VerifyOptions& opt,
                   VerificationReport& r) {
  const char* from_key = version == VcVersion::kV1 ? "issuanceDate" : "validFrom";
  const char* until_key = version == VcVersion::kV1 ? "expirationDate" : "validUntil";
  std::string now = FormatDateTime(opt.now);
  ParseTimeOptions pto{.require_offset = version != VcVersion::kV1};
  if (auto from = json::GetString(o, from_key)) {
    auto t = ParseDateTime(*from, pto);
    if (!t.ok()) {
      r.Add(kCheckValidity, false, std::string(from_key) + " is not a valid date-time");
      return;
    }
    if (opt.now < *t) {
      r.Add(kCheckValidity, false,
            "not yet valid: " + std::string(from_key) + " " + std::string(*from) + " is after " + now);
      return;
    }
  }
  if (auto until = json::GetString(o, until_key)) {
    auto t = ParseDateTime(*until, pto);
    if (!t.ok()) {
      r.Add(kCheckValidity, false, std::string(until_key) + " is not a valid date-time");
      return;
    }
    if (*t < opt.now) {
      r.Add(kCheckValidity, false, "expired: " + std::string(until_key) + " " +
                                       std::string(*until) + " is before " + now);
      return;
    }
  }
  r.Add(kCheckValidity, true, "valid at " + now);
}

}  // namespace

VerifyOptions VerifyOptions::Default(const Clock& clock) {
  VerifyOptions o;
  o.now = clock.Now();
  o.suite.contexts = ld::ContextStore::Bundled();
  return o;
}

VerificationReport VerifyCredential(const json::Value& credential, const VerifyOptions& opt) {
  VerificationReport r;
  const json::Object* o = credential.if_object();
  if (!o) {
    r.Add(kCheckStructure, false, "a credential must be a JSON object");
    r.Finish();
    return r;
  }
  r.id = std::string(json::GetString(*o, "id").value_or(""));

  StructureResult structure =
      ValidateCredential(credential, {.require_proof = false,
                                      .open_badges_schema = opt.open_badges_schema});
  r.Add(kCheckStructure, structure.ok(),
        structure.ok() ? (structure.version == VcVersion::kV1 ? "VC 1.1" : "VC 2.0") +
                             std::string(structure.open_badge ? ", Open Badges 3.0" : "")
                       : structure.Summary());

  for (const auto& w : structure.warnings) r.warnings.push_back(w.path + ": " + w.message);
  CheckContexts(*o, opt, r);
  bool contexts_ok = r.Find(kCheckContext)->ok;

  // proof + issuer
  std::string issuer = IssuerId(*o);
  if (!o->contains("proof")) {
    r.Add(kCheckProof, false, "the credential has no proof (it is not signed)");
    r.Skip(kCheckIssuer, "no proof");
  } else if (!contexts_ok && !o->contains("@context")) {
    r.Skip(kCheckProof, "no @context");
    r.Skip(kCheckIssuer, "no proof checked");
  } else {
    ProofVerifyOptions po;
    po.expected_purpose = opt.expected_purpose;
    po.challenge = opt.challenge;
    po.domain = opt.domain;
    po.resolver = opt.resolver;
    po.now = opt.now;
    po.suite = opt.suite;
    std::vector<ProofCheck> proofs = VerifyProofs(*o, po);
    const ProofCheck* good = nullptr;
    const ProofCheck* bad = nullptr;
    size_t unknown = 0;
    for (const auto& p : proofs) {
      if (p.verified) {
        if (!good) good = &p;
      } else if (!p.known_type && proofs.size() > 1) {
        ++unknown;
        r.warnings.push_back("ignored proof: " + p.detail);
      } else if (!bad) {
        bad = &p;
      }
    }
    if (bad) {
      r.Add(kCheckProof, false, bad->detail);
    } else if (!good) {
      r.Add(kCheckProof, false, proofs.empty() ? "no proof" : proofs.front().detail);
    } else {
      std::string detail = good->cryptosuite + " signature verified";
      if (!good->detail.empty()) detail += " (" + good->detail + ")";
      if (proofs.size() - unknown > 1) detail += "; " + std::to_string(proofs.size() - unknown) + " proofs";
      r.Add(kCheckProof, true, detail);
    }
    // issuer: every verified proof's key is controlled by the issuer.
    if (!good) {
      r.Skip(kCheckIssuer, "no verified proof");
    } else if (issuer.empty()) {
      r.Add(kCheckIssuer, false, "the credential has no issuer id");
    } else if (good->key->controller != issuer) {
      r.Add(kCheckIssuer, false,
            "verification method " + good->key->id + " is controlled by " + good->key->controller +
                ", not by the issuer " + issuer);
    } else if (!good->key->assertion_method) {
      r.Add(kCheckIssuer, false,
            "the issuer's DID document does not list " + good->key->id + " under assertionMethod");
    } else {
      r.Add(kCheckIssuer, true, "signed by the issuer " + issuer);
    }
  }

  CheckValidity(*o, structure.version, opt, r);

  if (o->contains("credentialStatus")) {
    if (opt.status_checker) {
      r.checks.push_back(opt.status_checker->CheckStatus(*o, opt));
      if (!r.checks.back().ok) r.errors.push_back("status: " + r.checks.back().detail);
    } else {
      r.Add(kCheckStatus, false,
            "credentialStatus present but no status source is configured (offline: pass the "
            "status list credential, e.g. --status-dir)");
    }
  } else {
    r.Add(kCheckStatus, true, "no credentialStatus");
  }
  if (opt.log_checker) {
    r.checks.push_back(opt.log_checker->CheckLogged(*o, opt));
    if (!r.checks.back().ok) r.errors.push_back("logged: " + r.checks.back().detail);
  }
  r.Finish();
  return r;
}

VerificationReport VerifyCredentialText(std::string_view text, const VerifyOptions& opt) {
  json::ParseOptions parse = opt.parse;
  parse.arena = true;  // read, never edited
  auto doc = json::Parse(text, parse);
  if (!doc.ok()) {
    VerificationReport r;
    r.Add(kCheckParse, false, doc.error().message());
    r.Finish();
    return r;
  }
  VerificationReport r = VerifyCredential(*doc, opt);
  r.checks.insert(r.checks.begin(), Check{std::string(kCheckParse), true, "well-formed JSON"});
  return r;
}

json::Value PresentationReport::ToJson() const {
  json::Value out = presentation.ToJson();
  auto& o = out.as_object();
  o["verified"] = verified;
  json::Array creds;
  for (const auto& c : credentials) creds.push_back(c.ToJson());
  o["credentialResults"] = std::move(creds);
  return out;
}

PresentationReport VerifyPresentation(const json::Value& presentation, const VerifyOptions& opt,
                                      bool allow_unsigned) {
  PresentationReport out;
  VerificationReport& r = out.presentation;
  const json::Object* o = presentation.if_object();
  StructureResult structure = ValidatePresentation(presentation);
  r.Add(kCheckStructure, structure.ok(), structure.ok() ? "verifiable presentation" : structure.Summary());
  if (!o) {
    r.Finish();
    return out;
  }
  r.id = std::string(json::GetString(*o, "id").value_or(""));
  CheckContexts(*o, opt, r);
  if (!o->contains("proof")) {
    r.Add(kCheckProof, allow_unsigned, allow_unsigned ? "unsigned presentation accepted"
                                                      : "the presentation has no proof");
  } else {
    ProofVerifyOptions po;
    po.expected_purpose = "authentication";
    po.challenge = opt.challenge;
    po.domain = opt.domain;
    po.resolver = opt.resolver;
    po.now = opt.now;
    po.suite = opt.suite;
    std::vector<ProofCheck> proofs = VerifyProofs(*o, po);
    const ProofCheck* bad = nullptr;
    for (const auto& p : proofs) {
      if (!p.verified && !bad) bad = &p;
    }
    if (bad || proofs.empty()) {
      r.Add(kCheckProof, false, bad ? bad->detail : "no proof");
    } else {
      const json::Value* holder = o->if_contains("holder");
      std::string holder_id = holder && holder->is_string() ? std::string(holder->get_string())
                              : holder && holder->is_object()
                                  ? std::string(json::GetString(holder->get_object(), "id").value_or(""))
                                  : std::string();
      if (!holder_id.empty() && proofs.front().key->controller != holder_id) {
        r.Add(kCheckProof, false, "presentation signed by " + proofs.front().key->controller +
                                      ", not by the holder " + holder_id);
      } else if (!proofs.front().key->authentication) {
        r.Add(kCheckProof, false, "key is not listed under authentication");
      } else {
        r.Add(kCheckProof, true, "authentication proof verified (challenge/domain checked)");
      }
    }
  }
  bool all = true;
  if (const json::Value* vcs = o->if_contains("verifiableCredential")) {
    VerifyOptions copt = opt;
    copt.challenge.reset();
    copt.domain.reset();
    auto one = [&](const json::Value& v) {
      out.credentials.push_back(VerifyCredential(v, copt));
      all = all && out.credentials.back().verified;
    };
    if (vcs->is_array()) {
      for (const auto& v : vcs->get_array()) one(v);
    } else {
      one(*vcs);
    }
    r.Add("credentials", all, std::to_string(out.credentials.size()) + " credential(s)" +
                                  (all ? " verified" : ", not all verified"));
  }
  r.Finish();
  out.verified = r.verified;
  return out;
}

}  // namespace credstack::vc
