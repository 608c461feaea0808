// eddsa-rdfc-2022 against credentials signed by the JavaScript reference
// stack where it departs from RDFC-1.0: duplicate quads
// (testdata/eddsa-rdfc-2022/js-duplicate-quads.json, made by
// scripts/gen-duplicate-quads-vector.mjs with the pinned jsonld.js and
// rdf-canonize), and what credstack signs.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "credstack/ld/jsonld.h"
#include "credstack/ld/rdfc.h"
#include "credstack/vc/cryptosuite.h"
#include "credstack/vc/testing_util.h"
#include "credstack/vc/verify.h"

namespace credstack::vc {
namespace {

json::Value ReadVector(const std::string& name) {
  std::ifstream in(std::string(CREDSTACK_SOURCE_DIR) + "/testdata/eddsa-rdfc-2022/" + name);
  std::ostringstream ss;
  ss << in.rdbuf();
  auto v = json::Parse(ss.str());
  EXPECT_TRUE(v.ok()) << name;
  return v.ok() ? std::move(*v) : json::Value();
}

VerifyOptions Options(const Clock& clock) { return VerifyOptions::Default(clock); }

TEST(EddsaRdfc2022, VerifiesJsSignedCredentialWithDuplicateQuads) {
  json::Value vc = ReadVector("js-duplicate-quads.json");
  ASSERT_TRUE(vc.is_object());
  // jsonld.js's dataset (our compat toRdf reproduces it) has duplicates.
  ld::JsonLdOptions o;
  o.safe_mode = true;
  const std::string_view skip[] = {"proof"};
  auto d = ld::ToRdfDataset(vc, o, {.skip_members = skip});
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_EQ(d->CountDuplicates(), 2u);

  FixedClock clock(*ParseDateTime("2025-01-01T00:00:00Z"));
  VerificationReport r = VerifyCredential(vc, Options(clock));
  const Check* proof = r.Find(kCheckProof);
  ASSERT_NE(proof, nullptr);
  EXPECT_TRUE(proof->ok) << proof->detail;
  EXPECT_NE(proof->detail.find("duplicate quads kept"), std::string::npos) << proof->detail;
  EXPECT_TRUE(r.verified);

  // The spec form (a set) is tried first and is a different hash: the
  // candidates hold both.
  const json::Object& doc = vc.as_object();
  auto c = EddsaRdfc2022().HashForVerification(doc, doc.at("proof").as_object(),
                                               {.contexts = ld::ContextStore::Bundled()});
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->hashes.size(), 2u);
  EXPECT_EQ(c->hashes[0].variant, "");
  EXPECT_NE(c->hashes[0].bytes, c->hashes[1].bytes);
}

TEST(EddsaRdfc2022, TamperedDuplicateValueFails) {
  json::Value vc = ReadVector("js-duplicate-quads.json");
  ASSERT_TRUE(vc.is_object());
  // Dropping one of the two equal values leaves the same RDF set but not
  // the same list: the set form does not match the signature, and the
  // list form no longer exists.
  json::Array& flags = vc.as_object()["https://example.org/extraFlag"].as_array();
  flags.erase(flags.begin());
  FixedClock clock(*ParseDateTime("2025-01-01T00:00:00Z"));
  VerificationReport r = VerifyCredential(vc, Options(clock));
  EXPECT_FALSE(r.Find(kCheckProof)->ok);
}

TEST(EddsaRdfc2022, SigningKeepsDuplicatesOnlyInUtf16Mode) {
  auto key = testing::TestKey(3);
  json::Object vc = testing::TestCredential(key);
  json::Array flags;
  flags.push_back(true);
  json::Object typed;
  typed["@value"] = true;
  typed["@type"] = "http://www.w3.org/2001/XMLSchema#boolean";
  flags.push_back(std::move(typed));
  vc["https://example.org/flag"] = std::move(flags);
  json::Object proof;
  proof["type"] = "DataIntegrityProof";
  proof["cryptosuite"] = "eddsa-rdfc-2022";
  proof["created"] = "2024-01-01T00:00:00Z";
  proof["verificationMethod"] = Signer::ForDidKey(key).verification_method;
  proof["proofPurpose"] = "assertionMethod";
  SuiteOptions js{.contexts = ld::ContextStore::Bundled()};  // kUtf16: as rdf-canonize
  SuiteOptions spec = js;
  spec.signing_order = NQuadsOrder::kCodePoint;  // RDFC-1.0
  auto h_js = EddsaRdfc2022().HashForSigning(vc, proof, js);
  auto h_spec = EddsaRdfc2022().HashForSigning(vc, proof, spec);
  ASSERT_TRUE(h_js.ok() && h_spec.ok());
  EXPECT_NE(h_js->bytes, h_spec->bytes);
  // Verification accepts both.
  auto c = EddsaRdfc2022().HashForVerification(vc, proof, js);
  ASSERT_TRUE(c.ok());
  auto has = [&](const HashData& h) {
    return std::any_of(c->hashes.begin(), c->hashes.end(),
                       [&](const HashData& x) { return x.bytes == h.bytes; });
  };
  EXPECT_TRUE(has(*h_js));
  EXPECT_TRUE(has(*h_spec));
}

}  // namespace
}  // namespace credstack::vc
