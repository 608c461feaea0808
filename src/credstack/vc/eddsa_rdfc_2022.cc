// eddsa-rdfc-2022 (Data Integrity EdDSA Cryptosuites v1.0 §3.2): JSON-LD
// to RDF (safe mode), RDFC-1.0, SHA-256.

#include <algorithm>
#include <optional>

#include "credstack/crypto/sha.h"
#include "credstack/ld/jsonld.h"
#include "credstack/ld/rdfc.h"
#include "credstack/vc/cryptosuite.h"

namespace credstack::vc {
namespace {

ld::QuadOrder ToQuadOrder(NQuadsOrder o) {
  return o == NQuadsOrder::kUtf16 ? ld::QuadOrder::kUtf16 : ld::QuadOrder::kCodePoint;
}

std::string_view OrderName(ld::QuadOrder o) {
  return o == ld::QuadOrder::kUtf16 ? "UTF-16 code unit order" : "code point order";
}

class EddsaRdfc final : public Cryptosuite {
 public:
  std::string_view name() const override { return "eddsa-rdfc-2022"; }

  Result<HashData> HashForSigning(const json::Object& document, const json::Object& proof,
                                  const SuiteOptions& options) const override {
    ld::QuadOrder order = ToQuadOrder(options.signing_order);
    CREDSTACK_ASSIGN_OR_RETURN(Canonical doc, CanonicalDocument(document, options, order));
    CREDSTACK_ASSIGN_OR_RETURN(Canonical config, CanonicalProofConfig(document, proof, options, order));
    return Combine(config.nquads, doc.nquads, {});
  }

  // §3.2.2. Verification tries code point order (RDFC-1.0) and, only when
  // the dataset can sort differently, the UTF-16 order of the JavaScript
  // stack (docs/decisions/0002-nquads-order.md).
  Result<Candidates> HashForVerification(const json::Object& document, const json::Object& proof,
                                         const SuiteOptions& options) const override {
    Candidates out;
    CREDSTACK_ASSIGN_OR_RETURN(Canonical doc,
                               CanonicalDocument(document, options, ld::QuadOrder::kCodePoint));
    CREDSTACK_ASSIGN_OR_RETURN(
        Canonical config, CanonicalProofConfig(document, proof, options, ld::QuadOrder::kCodePoint));
    bool may_differ = doc.orders_may_differ || config.orders_may_differ;
    std::optional<Canonical> doc16, config16;
    if (may_differ) {
      CREDSTACK_ASSIGN_OR_RETURN(doc16, CanonicalDocument(document, options, ld::QuadOrder::kUtf16));
      CREDSTACK_ASSIGN_OR_RETURN(config16,
                                 CanonicalProofConfig(document, proof, options, ld::QuadOrder::kUtf16));
    }
    // Name the order only when the two really give different bytes.
    bool differ = may_differ && (doc16->nquads != doc.nquads || config16->nquads != config.nquads);
    CREDSTACK_ASSIGN_OR_RETURN(
        HashData first, Combine(config.nquads, doc.nquads,
                                differ ? std::string(OrderName(ld::QuadOrder::kCodePoint)) : ""));
    out.hashes.push_back(first);
    if (differ) {
      CREDSTACK_ASSIGN_OR_RETURN(HashData second,
                                 Combine(config16->nquads, doc16->nquads,
                                         std::string(OrderName(ld::QuadOrder::kUtf16))));
      out.hashes.push_back(second);
    }
    return out;
  }

 private:
  struct Canonical {
    std::string nquads;
    bool orders_may_differ = false;
  };

  static ld::JsonLdOptions JsonLd(const SuiteOptions& options) {
    ld::JsonLdOptions o;
    o.safe_mode = true;  // undefined terms fail instead of vanishing unsigned
    o.loader = options.loader;
    o.cache = options.context_cache;
    return o;
  }

  static Result<Canonical> ToCanonical(const json::Value& doc, const SuiteOptions& options,
                                       ld::QuadOrder order) {
    auto dataset = ld::ToRdf(doc, JsonLd(options));
    if (!dataset.ok()) return dataset.error().WithPrefix("JSON-LD");
    ld::CanonicalizeOptions co;
    co.order = order;
    CREDSTACK_ASSIGN_OR_RETURN(ld::CanonicalResult c, ld::Canonicalize(*dataset, co));
    return Canonical{std::move(c.nquads), c.orders_may_differ};
  }

  // §3.2.3: the document without its proof.
  static Result<Canonical> CanonicalDocument(const json::Object& document,
                                             const SuiteOptions& options, ld::QuadOrder order) {
    if (!document.contains("proof")) return ToCanonical(json::Value(document), options, order);
    json::Object unsecured;
    unsecured.reserve(document.size());
    for (const auto& kv : document) {
      if (kv.key() != "proof") unsecured.emplace(kv.key(), kv.value());
    }
    return ToCanonical(json::Value(std::move(unsecured)), options, order);
  }

  // §3.2.5: the proof options (without proofValue) with the document's
  // @context.
  static Result<Canonical> CanonicalProofConfig(const json::Object& document,
                                                const json::Object& proof,
                                                const SuiteOptions& options, ld::QuadOrder order) {
    auto type = json::GetString(proof, "type");
    auto suite = json::GetString(proof, "cryptosuite");
    if (type != "DataIntegrityProof" || suite != "eddsa-rdfc-2022") {
      return InvalidArgumentError("PROOF_GENERATION_ERROR: proof must be DataIntegrityProof/eddsa-rdfc-2022");
    }
    json::Object config;
    for (const auto& kv : proof) {
      if (kv.key() != "proofValue" && kv.key() != "@context") config.emplace(kv.key(), kv.value());
    }
    if (const json::Value* ctx = document.if_contains("@context")) config["@context"] = *ctx;
    return ToCanonical(json::Value(std::move(config)), options, order);
  }

  static Result<HashData> Combine(std::string_view canonical_config, std::string_view canonical_doc,
                                  std::string variant) {
    HashData out;
    auto ph = crypto::Sha256(canonical_config);
    auto dh = crypto::Sha256(canonical_doc);
    std::copy(ph.begin(), ph.end(), out.bytes.begin());
    std::copy(dh.begin(), dh.end(), out.bytes.begin() + 32);
    out.variant = std::move(variant);
    return out;
  }
};

}  // namespace

const Cryptosuite& EddsaRdfc2022() {
  static const EddsaRdfc suite;
  return suite;
}

}  // namespace credstack::vc
