// Open Badges 3.0: the spec's examples and the 1EdTech validator's
// fixtures (../shared/conformance/ob3).
#include <gtest/gtest.h>

#include <filesystem>

#include "credstack/vc/structure.h"
#include "credstack/vc/verify.h"
#include "tests/testing/conformance.h"

namespace credstack {
namespace {

namespace fs = std::filesystem;

TEST(Ob3Conformance, SpecExamplesValidate) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  int n = 0;
  for (const auto& e : fs::directory_iterator(testing::ConformanceDir() / "ob3/examples")) {
    json::Value doc = testing::ReadConformanceJson(fs::relative(e.path(), testing::ConformanceDir()));
    if (!doc.is_object()) continue;
    auto r = vc::ValidateCredential(doc);
    EXPECT_TRUE(r.ok()) << e.path().filename() << ": " << r.Summary();
    ++n;
  }
  std::printf("OB 3.0 spec examples validated: %d\n", n);
  EXPECT_EQ(n, 7);
}

TEST(Ob3Conformance, ValidatorValidFixturesValidate) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  int n = 0;
  for (const char* name : {"simple.json", "complete.json", "simple-context-alias.json",
                           "simple-context-version.json", "simple-did-key-method.json",
                           "simple-did-web-method.json", "simple-multiple-proofs.json",
                           "endorsement-valid.json", "credential-status-revoked.json",
                           "simple_v1.json", "complete_v1.json", "simple-eddsa-2022.json"}) {
    json::Value doc = testing::ReadConformanceJson(std::string("ob3/validator-fixtures/ob30/") + name);
    auto r = vc::ValidateCredential(doc);
    EXPECT_TRUE(r.ok()) << name << ": " << r.Summary();
    ++n;
  }
  json::Value vector = testing::ReadConformanceJson("ob3/test-vectors/obv3p0/signed-credential.json");
  EXPECT_TRUE(vc::ValidateCredential(vector).ok()) << vc::ValidateCredential(vector).Summary();
  std::printf("OB 3.0 validator valid fixtures validated: %d (+1 test vector)\n", n);
}

// Every simple-err-* fixture must fail verification, for its own reason.
TEST(Ob3Conformance, ValidatorErrorFixturesFail) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  FixedClock clock(*ParseDateTime("2026-11-29T00:00:00Z"));
  vc::VerifyOptions opts = vc::VerifyOptions::Default(clock);
  int n = 0;
  for (const auto& e : fs::directory_iterator(testing::ConformanceDir() / "ob3/validator-fixtures/ob30")) {
    std::string name = e.path().filename();
    if (name.rfind("simple-err-", 0) != 0 || e.path().extension() != ".json") continue;
    auto r = vc::VerifyCredentialText(testing::ReadFile(e.path()), opts);
    EXPECT_FALSE(r.verified) << name;
    ASSERT_FALSE(r.errors.empty()) << name;
    ++n;
  }
  std::printf("OB 3.0 validator error fixtures rejected: %d\n", n);
  EXPECT_EQ(n, 19);
}

// The schema alone already rejects the fixtures whose names say a field has
// the wrong type.
TEST(Ob3Conformance, TypeErrorFixturesFailStructure) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  for (const char* name :
       {"simple-err-type.json", "simple-err-credential-subject-type.json",
        "simple-err-credential-subject-identifier-type.json",
        "simple-err-credential-subject-profile-type.json", "simple-err-credential-subject-result-type.json",
        "simple-err-credential-subject-achievement-result-description-type.json",
        "simple-err-evidence-type.json", "simple-err-issuer-type.json",
        "simple-err-issuer-otheridentifier-type.json", "simple-err-issuer-parentorg-type.json",
        "simple-err-issuer.json", "simple-err-context.json"}) {
    json::Value doc = testing::ReadConformanceJson(std::string("ob3/validator-fixtures/ob30/") + name);
    EXPECT_FALSE(vc::ValidateCredential(doc, {.require_open_badge = true}).ok()) << name;
  }
}

}  // namespace
}  // namespace credstack
