// Issuance throughput of credstack on a JSON Lines file of unsigned
// credentials (bench/compare_reference.sh): each line is parsed, its
// issuer set to a fixed Ed25519 key's did:key, signed with eddsa-rdfc-2022
// (vc::AddProof, as `credstack sign` does) and serialized. Prints one JSON
// line {"issued_per_s", "credentials", "seconds"}; timing covers parse,
// sign and serialize, not reading the file.
//
//   build/bench/vc_issue_bench unsigned.jsonl

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "credstack/crypto/ed25519.h"
#include "credstack/crypto/multikey.h"
#include "credstack/vc/data_integrity.h"

int main(int argc, char** argv) {
  using namespace credstack;
  if (argc != 2) {
    std::fprintf(stderr, "usage: vc_issue_bench UNSIGNED.jsonl\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(std::move(line));
  }
  crypto::Ed25519Seed seed{};
  seed.fill(42);
  auto key = crypto::Ed25519KeyPair::FromSeed(seed);
  vc::Signer signer = vc::Signer::ForDidKey(key);
  vc::SuiteOptions suite{.contexts = ld::ContextStore::Bundled()};
  vc::ProofOptions proof;
  proof.created = *ParseDateTime("2025-01-01T00:00:00Z");
  size_t bytes = 0, failed = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (const std::string& line : lines) {
    auto doc = json::Parse(line);
    if (!doc.ok() || !doc->is_object()) {
      ++failed;
      continue;
    }
    json::Object& o = doc->as_object();
    json::Value& issuer = o["issuer"];
    if (issuer.is_object()) {
      issuer.as_object()["id"] = signer.controller;
    } else {
      issuer = signer.controller;
    }
    auto signed_doc = vc::AddProof(o, signer, proof, suite);
    if (!signed_doc.ok()) {
      ++failed;
      continue;
    }
    bytes += json::Serialize(*signed_doc).size();
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("{\"issued_per_s\":%.1f,\"credentials\":%zu,\"failed\":%zu,\"seconds\":%.3f,\"bytes\":%zu}\n",
              secs > 0 ? static_cast<double>(lines.size() - failed) / secs : 0.0, lines.size(), failed,
              secs, bytes);
  return failed == 0 ? 0 : 1;
}
