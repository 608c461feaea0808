// Profiling driver for eddsa-rdfc-2022 verification. Instruction counts
// are stable on a loaded machine, unlike timings:
//
//   valgrind --tool=callgrind --collect-atstart=no --toggle-collect=ProfiledLoop \
//     build/bench/vc_profile verify 200
//   callgrind_annotate --inclusive=yes callgrind.out.<pid>
//
// Stages: verify (text to report), parse, structure, hashdata (the suite's
// toRdf + RDFC-1.0 + SHA-256 of document and proof configuration),
// ed25519. The credential is the first valid public interop fixture; the
// status check is stubbed (the verified list is cached per URL anyway).
// Prints instructions are not counted here: divide callgrind's total by N.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "credstack/crypto/ed25519.h"
#include "credstack/vc/structure.h"
#include "credstack/vc/verify.h"

namespace {

using namespace credstack;

class NoStatus final : public vc::StatusChecker {
 public:
  vc::Check CheckStatus(const json::Object&, const vc::VerifyOptions&) const override {
    return vc::Check{std::string(vc::kCheckStatus), true, "not checked"};
  }
};

std::string FixtureText() {
  std::ifstream in(std::string(CREDSTACK_SOURCE_DIR) + "/../shared/interop/fixtures/fixtures.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    auto v = json::Parse(line);
    if (v.ok() && json::GetString(v->as_object(), "expect") == "valid") {
      return json::Serialize(v->as_object().at("credential"));
    }
  }
  std::fprintf(stderr, "vc_profile: no fixtures\n");
  std::exit(2);
}

volatile size_t sink;

__attribute__((noinline)) void ProfiledLoop(const std::string& stage, int n, const std::string& text,
                                            const vc::VerifyOptions& opts) {
  json::Value doc = *json::Parse(text);
  const json::Object& o = doc.as_object();
  const json::Object& proof = o.at("proof").as_object();
  crypto::Ed25519Seed seed{};
  auto key = crypto::Ed25519KeyPair::FromSeed(seed);
  std::array<uint8_t, 64> msg{};
  auto sig = key.Sign(msg);
  for (int i = 0; i < n; ++i) {
    if (stage == "verify") {
      sink = vc::VerifyCredentialText(text, opts).verified;
    } else if (stage == "parse") {
      sink = json::Parse(text).ok();
    } else if (stage == "structure") {
      sink = vc::ValidateCredential(doc, {.require_proof = false}).ok();
    } else if (stage == "hashdata") {
      sink = vc::EddsaRdfc2022().HashForVerification(o, proof, opts.suite).ok();
    } else if (stage == "ed25519") {
      sink = crypto::Ed25519Verify(key.public_key(), msg, sig);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string stage = argc > 1 ? argv[1] : "verify";
  int n = argc > 2 ? std::atoi(argv[2]) : 100;
  std::string text = FixtureText();
  FixedClock clock(*ParseDateTime("2025-06-01T00:00:00Z"));
  static const NoStatus no_status;
  vc::VerifyOptions opts = vc::VerifyOptions::Default(clock);
  opts.status_checker = &no_status;
  if (!vc::VerifyCredentialText(text, opts).verified) {  // warm-up
    std::fprintf(stderr, "vc_profile: fixture does not verify\n");
    return 1;
  }
  ProfiledLoop(stage, n, text, opts);
  std::printf("%s x %d\n", stage.c_str(), n);
  return 0;
}
