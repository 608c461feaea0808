#include "credstack/vc/data_integrity.h"

#include "credstack/crypto/multikey.h"

namespace credstack::vc {
namespace {

std::vector<const json::Object*> ProofObjects(const json::Object& document, bool& malformed) {
  std::vector<const json::Object*> out;
  malformed = false;
  const json::Value* p = document.if_contains("proof");
  if (!p) return out;
  auto add = [&](const json::Value& v) {
    if (const auto* o = v.if_object()) {
      out.push_back(o);
    } else {
      malformed = true;
    }
  };
  if (p->is_array()) {
    for (const auto& e : p->get_array()) add(e);
  } else {
    add(*p);
  }
  return out;
}

ProofCheck VerifyOne(const json::Object& document, const json::Object& proof,
                     const ProofVerifyOptions& opt) {
  ProofCheck out;
  auto fail = [&](std::string why) {
    out.verified = false;
    out.detail = std::move(why);
    return out;
  };
  auto type = json::GetString(proof, "type");
  if (!type) return fail("proof has no type");
  if (*type != "DataIntegrityProof") {
    out.known_type = false;
    return fail("proof type \"" + std::string(type->substr(0, 60)) + "\" is not supported");
  }
  auto suite_name = json::GetString(proof, "cryptosuite");
  if (!suite_name) return fail("DataIntegrityProof has no cryptosuite");
  out.cryptosuite = std::string(*suite_name);
  const Cryptosuite* suite = FindCryptosuite(*suite_name);
  if (!suite) {
    out.known_type = false;
    return fail("unknown cryptosuite \"" + std::string(suite_name->substr(0, 60)) + "\"");
  }
  // VC-DI §4.3 step 7/8: purpose, domain, challenge.
  auto purpose = json::GetString(proof, "proofPurpose");
  if (!purpose) return fail("proof has no proofPurpose");
  if (*purpose != opt.expected_purpose) {
    return fail("proofPurpose is \"" + std::string(purpose->substr(0, 60)) + "\", expected \"" +
                opt.expected_purpose + "\"");
  }
  if (opt.domain) {
    const json::Value* d = proof.if_contains("domain");
    bool match = d && ((d->is_string() && d->get_string() == *opt.domain) ||
                       (d->is_array() && std::any_of(d->get_array().begin(), d->get_array().end(),
                                                     [&](const json::Value& e) {
                                                       return e.is_string() &&
                                                              e.get_string() == *opt.domain;
                                                     })));
    if (!match) return fail("proof domain does not match the expected domain");
  }
  if (opt.challenge && json::GetString(proof, "challenge") != *opt.challenge) {
    return fail("proof challenge does not match the expected challenge");
  }
  if (auto created = json::GetString(proof, "created")) {
    if (!ParseDateTime(*created).ok()) return fail("proof created is not a valid dateTimeStamp");
  } else if (proof.contains("created")) {
    return fail("proof created must be a string");
  }
  if (auto expires = json::GetString(proof, "expires")) {
    auto t = ParseDateTime(*expires);
    if (!t.ok()) return fail("proof expires is not a valid dateTimeStamp");
    if (*t < opt.now) return fail("proof expired at " + std::string(*expires));
  }
  auto value = json::GetString(proof, "proofValue");
  if (!value) return fail("proof has no proofValue");
  if (value->empty() || (*value)[0] != 'z') return fail("proofValue must be multibase base58btc ('z')");
  auto sig_bytes = MultibaseDecode(*value);
  if (!sig_bytes.ok() || sig_bytes->size() != 64) return fail("proofValue is not a 64-byte Ed25519 signature");
  auto vm = json::GetString(proof, "verificationMethod");
  if (!vm) return fail("proof has no verificationMethod");
  auto key = ResolveVerificationMethod(*vm, opt.resolver);
  if (!key.ok()) return fail("verification method: " + key.error().message());
  out.key = *key;
  auto candidates = suite->HashForVerification(document, proof, opt.suite);
  if (!candidates.ok()) return fail(candidates.error().message());
  if (candidates->hashes.empty()) return fail(candidates->why);
  crypto::Ed25519Signature sig;
  std::copy(sig_bytes->begin(), sig_bytes->end(), sig.begin());
  for (const HashData& h : candidates->hashes) {
    if (crypto::Ed25519Verify(key->public_key, h.bytes, sig)) {
      out.verified = true;
      out.detail = h.variant;
      return out;
    }
  }
  return fail("signature does not verify (" + std::string(*suite_name) + ", key " +
              crypto::EncodeEd25519PublicMultikey(key->public_key).substr(0, 16) + "…)");
}

}  // namespace

std::string_view DefaultCryptosuite() { return EddsaRdfc2022().name(); }

Signer Signer::ForDidKey(const crypto::Ed25519KeyPair& key) {
  return Signer{key, crypto::DidKeyVerificationMethodFor(key.public_key()),
                crypto::DidKeyFor(key.public_key())};
}

Result<json::Object> AddProof(const json::Object& document, const Signer& signer,
                              const ProofOptions& options, const SuiteOptions& suite_options) {
  std::string_view suite_name =
      options.cryptosuite.empty() ? DefaultCryptosuite() : std::string_view(options.cryptosuite);
  const Cryptosuite* suite = FindCryptosuite(suite_name);
  if (!suite) {
    return InvalidArgumentError("unknown cryptosuite \"" + std::string(suite_name) +
                                "\" (supported: eddsa-rdfc-2022, eddsa-jcs-2022)");
  }
  // VC-DI §2.1 proof options; members in a stable, conventional order.
  json::Object proof;
  if (options.id) proof["id"] = *options.id;
  proof["type"] = "DataIntegrityProof";
  proof["cryptosuite"] = suite->name();
  if (options.created) proof["created"] = FormatDateTime(*options.created);
  if (options.expires) proof["expires"] = FormatDateTime(*options.expires);
  proof["verificationMethod"] = signer.verification_method;
  proof["proofPurpose"] = options.proof_purpose;
  if (options.challenge) proof["challenge"] = *options.challenge;
  if (options.domain) proof["domain"] = *options.domain;
  if (options.previous_proof) proof["previousProof"] = *options.previous_proof;
  suite->PrepareProof(document, proof);
  CREDSTACK_ASSIGN_OR_RETURN(HashData hash, suite->HashForSigning(document, proof, suite_options));
  crypto::Ed25519Signature sig = signer.key.Sign(hash.bytes);
  proof["proofValue"] = MultibaseEncode(Multibase::kBase58Btc, sig);

  json::Object out = document;
  if (json::Value* existing = out.if_contains("proof")) {
    json::Array set;
    if (existing->is_array()) {
      set = existing->get_array();
    } else {
      set.push_back(*existing);
    }
    set.push_back(std::move(proof));
    *existing = std::move(set);
  } else {
    out["proof"] = std::move(proof);
  }
  return out;
}

std::vector<ProofCheck> VerifyProofs(const json::Object& document,
                                     const ProofVerifyOptions& options) {
  bool malformed = false;
  std::vector<ProofCheck> out;
  for (const json::Object* p : ProofObjects(document, malformed)) {
    out.push_back(VerifyOne(document, *p, options));
  }
  if (malformed) {
    ProofCheck bad;
    bad.detail = "proof must be an object or an array of objects";
    out.push_back(bad);
  }
  return out;
}

}  // namespace credstack::vc
