#pragma once

// Data Integrity cryptosuites (VC Data Integrity 1.0 §3, vc-di-eddsa §3):
// each turns a document and its proof configuration into the bytes to sign
// ("hash data"). Signing and signature checking are common (Ed25519) and
// live in data_integrity.cc.

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/ld/context_store.h"
#include "credstack/ld/jsonld.h"

namespace credstack::vc {

// How canonical N-Quads are sorted (eddsa-rdfc-2022 only). RDFC-1.0 says
// code point order; the JavaScript reference stack (rdf-canonize) sorts by
// UTF-16 code units. They differ only when an astral character meets one in
// U+E000..U+FFFF. See docs/decisions/0002-nquads-order.md.
enum class NQuadsOrder { kCodePoint, kUtf16 };

struct SuiteOptions {
  std::shared_ptr<const ld::ContextStore> contexts;  // never null
  // JSON-LD context loading for eddsa-rdfc-2022: null means the bundled
  // contexts and the process-wide processed-context cache. Set both (see
  // MakeSuiteOptions) when `contexts` holds operator-added documents.
  std::shared_ptr<const ld::DocumentLoader> loader;
  std::shared_ptr<ld::ContextCache> context_cache;
  // The order used when creating proofs; verification tries both.
  NQuadsOrder signing_order = NQuadsOrder::kUtf16;
};

// Suite options over a context store: the bundled one, or one with
// operator-added contexts (then with its own loader and cache).
SuiteOptions MakeSuiteOptions(std::shared_ptr<const ld::ContextStore> contexts);

struct HashData {
  std::array<uint8_t, 64> bytes{};  // proofConfigHash || transformedDocumentHash
  std::string variant;              // e.g. "utf16-order"; empty when unique
};

class Cryptosuite {
 public:
  virtual ~Cryptosuite() = default;
  virtual std::string_view name() const = 0;

  // Adjusts a new proof before hashing (eddsa-jcs-2022 §3.3.1 step 2 copies
  // the document's @context into the proof).
  virtual void PrepareProof(const json::Object& document, json::Object& proof) const {
    (void)document;
    (void)proof;
  }

  // The hash data for creating a proof. `document` is the secured or
  // unsecured document: its top-level "proof" member is ignored. `proof` is
  // the proof options without proofValue.
  virtual Result<HashData> HashForSigning(const json::Object& document, const json::Object& proof,
                                          const SuiteOptions& options) const = 0;

  // The candidate hash data for verifying `proof` (without proofValue) over
  // `document` (top-level "proof" ignored): more than one when the
  // ecosystem's variants give different bytes. An empty vector means the
  // proof fails a suite precondition; `why` then says which.
  struct Candidates {
    std::vector<HashData> hashes;
    std::string why;
  };
  virtual Result<Candidates> HashForVerification(const json::Object& document,
                                                 const json::Object& proof,
                                                 const SuiteOptions& options) const = 0;
};

// The suites credstack knows, by cryptosuite name; nullptr when unknown.
const Cryptosuite* FindCryptosuite(std::string_view name);
std::vector<std::string_view> CryptosuiteNames();

// Suite singletons (defined in their own files).
const Cryptosuite& EddsaJcs2022();
const Cryptosuite& EddsaRdfc2022();

}  // namespace credstack::vc
