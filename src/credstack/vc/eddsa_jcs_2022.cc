// eddsa-jcs-2022 (Data Integrity EdDSA Cryptosuites v1.0 §3.3).

#include <algorithm>

#include "credstack/crypto/sha.h"
#include "credstack/json/jcs.h"
#include "credstack/vc/cryptosuite.h"

namespace credstack::vc {
namespace {

class EddsaJcs final : public Cryptosuite {
 public:
  std::string_view name() const override { return "eddsa-jcs-2022"; }

  // §3.3.1 step 2.
  void PrepareProof(const json::Object& document, json::Object& proof) const override {
    if (const json::Value* ctx = document.if_contains("@context")) proof["@context"] = *ctx;
  }

  Result<HashData> HashForSigning(const json::Object& document, const json::Object& proof,
                                  const SuiteOptions&) const override {
    return Hash(document, proof, nullptr);
  }

  Result<Candidates> HashForVerification(const json::Object& document, const json::Object& proof,
                                         const SuiteOptions&) const override {
    Candidates out;
    // §3.3.2 step 4: a proof @context must be a prefix of the document's;
    // the unsecured document then takes the proof's @context.
    const json::Value* proof_ctx = proof.if_contains("@context");
    if (proof_ctx) {
      const json::Value* doc_ctx = document.if_contains("@context");
      if (!IsPrefix(*proof_ctx, doc_ctx)) {
        out.why = "proof @context is not a prefix of the document @context";
        return out;
      }
    }
    // Equal contexts (the usual case) need no substitution, and so no copy.
    const json::Value* doc_ctx = document.if_contains("@context");
    bool same = proof_ctx && doc_ctx && *proof_ctx == *doc_ctx;
    CREDSTACK_ASSIGN_OR_RETURN(HashData h, Hash(document, proof, same ? nullptr : proof_ctx));
    out.hashes.push_back(h);
    return out;
  }

 private:
  static bool IsPrefix(const json::Value& proof_ctx, const json::Value* doc_ctx) {
    if (!doc_ctx) return false;
    auto as_list = [](const json::Value& v) {
      std::vector<const json::Value*> l;
      if (v.is_array()) {
        for (const auto& e : v.get_array()) l.push_back(&e);
      } else {
        l.push_back(&v);
      }
      return l;
    };
    auto p = as_list(proof_ctx), d = as_list(*doc_ctx);
    if (p.size() > d.size()) return false;
    for (size_t i = 0; i < p.size(); ++i) {
      if (*p[i] != *d[i]) return false;
    }
    return true;
  }

  // §3.3.3–3.3.5: JCS of the document (without proof; with the proof's
  // @context when given) and of the proof configuration, each SHA-256,
  // proof hash first.
  static Result<HashData> Hash(const json::Object& document, const json::Object& proof,
                               const json::Value* context_override) {
    std::string canonical_doc;
    if (context_override) {
      json::Object copy = document;
      copy.erase("proof");
      copy["@context"] = *context_override;
      CREDSTACK_ASSIGN_OR_RETURN(canonical_doc, json::Canonicalize(copy));
    } else {
      CREDSTACK_ASSIGN_OR_RETURN(canonical_doc, json::CanonicalizeWithout(document, {"proof"}));
    }
    CREDSTACK_ASSIGN_OR_RETURN(std::string canonical_proof,
                               json::CanonicalizeWithout(proof, {"proofValue"}));
    HashData out;
    auto ph = crypto::Sha256(canonical_proof);
    auto dh = crypto::Sha256(canonical_doc);
    std::copy(ph.begin(), ph.end(), out.bytes.begin());
    std::copy(dh.begin(), dh.end(), out.bytes.begin() + 32);
    return out;
  }
};

}  // namespace

const Cryptosuite& EddsaJcs2022() {
  static const EddsaJcs suite;
  return suite;
}

}  // namespace credstack::vc
