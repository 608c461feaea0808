// eddsa-rdfc-2022 (Data Integrity EdDSA Cryptosuites v1.0 §3.2): JSON-LD
// to RDF (safe mode), RDFC-1.0, SHA-256.
//
// Cost: the document and the proof configuration are each deserialized to
// RDF once (ld::ToRdfDataset, through views: no copy of the document to
// drop its proof, none of the proof to add the @context) and canonicalized
// once per variant actually needed. The proof configuration shares the
// document's @context, whose processed form the context cache holds.
//
// Variants (docs/decisions/0002-nquads-order.md). The JavaScript stack
// (jsonld.js + rdf-canonize) differs from RDFC-1.0 in two ways that change
// the signed bytes: it sorts N-Quads by UTF-16 code units, and it keeps
// duplicate quads that jsonld.js emits when two JSON-LD values denote one
// literal (e.g. `true` next to {"@value": true, "@type": xsd:boolean}).
// Verification tries the spec's form first, then only the variants that can
// differ for this document. Signing with SuiteOptions::signing_order kUtf16
// (the default) produces exactly rdf-canonize's bytes, duplicates included,
// so that the reference verifier accepts what credstack issues; kCodePoint
// produces RDFC-1.0's.

#include <algorithm>
#include <array>
#include <optional>

#include "credstack/base/scratch.h"
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

constexpr std::string_view kDuplicatesKept = "duplicate quads kept, as rdf-canonize does";

class EddsaRdfc final : public Cryptosuite {
 public:
  std::string_view name() const override { return "eddsa-rdfc-2022"; }

  Result<HashData> HashForSigning(const json::Object& document, const json::Object& proof,
                                  const SuiteOptions& options) const override {
    CREDSTACK_RETURN_IF_ERROR(CheckProofType(proof));
    ThreadScratch<Datasets> scratch;
    Datasets& d = *scratch;
    CREDSTACK_RETURN_IF_ERROR(ToDatasets(document, proof, options, d));
    ld::CanonicalizeOptions co;
    co.order = ToQuadOrder(options.signing_order);
    co.keep_duplicates = options.signing_order == NQuadsOrder::kUtf16;
    CREDSTACK_ASSIGN_OR_RETURN(ld::CanonicalResult config, ld::Canonicalize(d.config, co));
    CREDSTACK_ASSIGN_OR_RETURN(ld::CanonicalResult doc, ld::Canonicalize(d.document, co));
    return Combine(config.nquads, doc.nquads, {});
  }

  // §3.2.2. The candidates, spec form first: code point order without
  // duplicates (RDFC-1.0); then UTF-16 order when it gives other bytes;
  // then both with duplicates kept when there are any. An order is named
  // in the variant only when the two orders really give different bytes.
  Result<Candidates> HashForVerification(const json::Object& document, const json::Object& proof,
                                         const SuiteOptions& options) const override {
    Candidates out;
    CREDSTACK_RETURN_IF_ERROR(CheckProofType(proof));
    ThreadScratch<Datasets> scratch;
    Datasets& d = *scratch;
    CREDSTACK_RETURN_IF_ERROR(ToDatasets(document, proof, options, d));
    CREDSTACK_ASSIGN_OR_RETURN(Canonical cp, ToCanonical(d, ld::QuadOrder::kCodePoint, false));
    bool duplicates = cp.duplicates;
    for (bool keep : {false, true}) {
      if (keep && !duplicates) break;
      Canonical kept;
      if (keep) {
        CREDSTACK_ASSIGN_OR_RETURN(kept, ToCanonical(d, ld::QuadOrder::kCodePoint, true));
      }
      const Canonical& first = keep ? kept : cp;
      std::optional<Canonical> utf16;
      if (cp.orders_may_differ) {
        CREDSTACK_ASSIGN_OR_RETURN(utf16, ToCanonical(d, ld::QuadOrder::kUtf16, keep));
        if (utf16->config == first.config && utf16->document == first.document) utf16.reset();
      }
      const bool differ = utf16.has_value();
      auto variant = [&](ld::QuadOrder order) {
        std::string v = differ ? std::string(OrderName(order)) : "";
        if (keep) v += (v.empty() ? "" : ", ") + std::string(kDuplicatesKept);
        return v;
      };
      CREDSTACK_ASSIGN_OR_RETURN(
          HashData h, Combine(first.config, first.document, variant(ld::QuadOrder::kCodePoint)));
      out.hashes.push_back(std::move(h));
      if (differ) {
        CREDSTACK_ASSIGN_OR_RETURN(
            HashData h16, Combine(utf16->config, utf16->document, variant(ld::QuadOrder::kUtf16)));
        out.hashes.push_back(std::move(h16));
      }
    }
    return out;
  }

 private:
  // The unsecured document (§3.2.3) and the proof configuration (§3.2.5:
  // the proof options without proofValue, with the document's @context) as
  // RDF datasets.
  struct Datasets {
    ld::RdfDataset document;
    ld::RdfDataset config;

    void Clear() {
      document.Clear();
      config.Clear();
    }
    bool Large() const { return document.capacity_bytes() + config.capacity_bytes() > (1u << 20); }
  };
  struct Canonical {
    std::string config, document;
    bool orders_may_differ = false;
    bool duplicates = false;  // either dataset has duplicate quads
  };

  static Result<Canonical> ToCanonical(const Datasets& d, ld::QuadOrder order, bool keep) {
    ld::CanonicalizeOptions co;
    co.order = order;
    co.keep_duplicates = keep;
    CREDSTACK_ASSIGN_OR_RETURN(ld::CanonicalResult c, ld::Canonicalize(d.config, co));
    CREDSTACK_ASSIGN_OR_RETURN(ld::CanonicalResult doc, ld::Canonicalize(d.document, co));
    return Canonical{std::move(c.nquads), std::move(doc.nquads),
                     c.orders_may_differ || doc.orders_may_differ,
                     c.duplicate_quads > 0 || doc.duplicate_quads > 0};
  }

  static Status CheckProofType(const json::Object& proof) {
    auto type = json::GetString(proof, "type");
    auto suite = json::GetString(proof, "cryptosuite");
    if (type != "DataIntegrityProof" || suite != "eddsa-rdfc-2022") {
      return InvalidArgumentError(
          "PROOF_GENERATION_ERROR: proof must be DataIntegrityProof/eddsa-rdfc-2022");
    }
    return OkStatus();
  }

  static Status ToDatasets(const json::Object& document, const json::Object& proof,
                           const SuiteOptions& options, Datasets& out) {
    ld::JsonLdOptions o;
    o.safe_mode = true;  // undefined terms fail instead of vanishing unsigned
    o.loader = options.loader;
    o.cache = options.context_cache;
    static constexpr std::array<std::string_view, 1> kSkipProof = {"proof"};
    static constexpr std::array<std::string_view, 2> kSkipConfig = {"proofValue", "@context"};
    Status st = ld::ToRdfDataset(document, o, {.skip_members = kSkipProof}, out.document);
    if (st.ok()) {
      st = ld::ToRdfDataset(proof, o,
                            {.skip_members = kSkipConfig, .context = document.if_contains("@context")},
                            out.config);
    }
    return st.ok() ? st : st.WithPrefix("JSON-LD");
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
