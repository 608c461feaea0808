// JSON-LD to RDF followed by RDFC-1.0 reproduces the canonical documents of
// the published eddsa-rdfc-2022 vectors byte for byte: the W3C
// vc-di-eddsa vectors (document and proof configuration) and the Open
// Badges 3.0 vector.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "credstack/ld/jsonld.h"
#include "credstack/ld/rdfc.h"

namespace credstack::ld {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string CanonicalOf(const std::string& json_text) {
  auto doc = json::Parse(json_text);
  EXPECT_TRUE(doc.ok()) << doc.error().ToString();
  if (!doc.ok()) return {};
  JsonLdOptions options;
  options.safe_mode = true;
  auto dataset = ToRdf(*doc, options);
  EXPECT_TRUE(dataset.ok()) << dataset.error().ToString();
  if (!dataset.ok()) return {};
  auto canonical = Canonicalize(*dataset);
  EXPECT_TRUE(canonical.ok()) << canonical.error().ToString();
  return canonical.ok() ? canonical->nquads : std::string();
}

fs::path Conformance() { return fs::path(CREDSTACK_CONFORMANCE_DIR); }

TEST(EddsaRdfcVectors, DiEddsaDocumentAndProofConfig) {
  fs::path dir = Conformance() / "di-eddsa" / "TestVectors";
  if (!fs::exists(dir))
    GTEST_SKIP() << "conformance data not found under " << dir;
  EXPECT_EQ(CanonicalOf(Read(dir / "unsigned.json")),
            Read(dir / "eddsa-rdfc-2022" / "canonDocDataInt.txt"));
  EXPECT_EQ(
      CanonicalOf(Read(dir / "eddsa-rdfc-2022" / "proofConfigDataInt.json")),
      Read(dir / "eddsa-rdfc-2022" / "proofCanonDataInt.txt"));
}

TEST(EddsaRdfcVectors, OpenBadges3) {
  fs::path dir = Conformance() / "ob3" / "test-vectors" / "obv3p0";
  if (!fs::exists(dir))
    GTEST_SKIP() << "conformance data not found under " << dir;
  EXPECT_EQ(CanonicalOf(Read(dir / "credential.json")),
            Read(dir / "document-canon.txt"));
  // The proof configuration is canonicalized with the document's @context
  // (Data Integrity §4.2 / vc-di-eddsa §3.3.5).
  auto options = json::Parse(Read(dir / "proof-options.json"));
  auto credential = json::Parse(Read(dir / "credential.json"));
  ASSERT_TRUE(options.ok() && credential.ok());
  options->as_object()["@context"] = credential->as_object().at("@context");
  EXPECT_EQ(CanonicalOf(json::Serialize(*options)),
            Read(dir / "proof-canon.txt"));
}

}  // namespace
}  // namespace credstack::ld
