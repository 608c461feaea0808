#pragma once

// Helpers shared by the vc tests.

#include <string>

#include "credstack/base/rng.h"
#include "credstack/crypto/ed25519.h"
#include "credstack/crypto/multikey.h"
#include "credstack/json/json.h"
#include "credstack/vc/data_integrity.h"
#include "credstack/vc/open_badges.h"

namespace credstack::vc::testing {

inline crypto::Ed25519KeyPair TestKey(uint8_t n) {
  crypto::Ed25519Seed seed{};
  seed.fill(n);
  return crypto::Ed25519KeyPair::FromSeed(seed);
}

inline json::Object TestAchievement() {
  auto v = json::Parse(R"({
    "id": "https://example.edu/achievements/data-101",
    "type": ["Achievement"],
    "name": "Data Analysis 101",
    "description": "Cleans, explores and visualises tabular data.",
    "criteria": {"narrative": "Passed the final project with a score of at least 70%."},
    "alignment": [{"type": ["Alignment"], "targetName": "analyse big data",
                   "targetUrl": "http://data.europa.eu/esco/skill/a9f4f0a2-6a2c-45a1-8e1b-0b0f4f2ce7a2",
                   "targetFramework": "ESCO", "targetType": "ceasn:Competency"}],
    "creditsAvailable": 2.5
  })");
  return v->as_object();
}

// An unsigned OB 3.0 credential issued by key to a DID subject.
inline json::Object TestCredential(const crypto::Ed25519KeyPair& key, std::string subject = "did:example:learner") {
  DeterministicRng rng(7);
  json::Object issuer;
  issuer["id"] = crypto::DidKeyFor(key.public_key());
  issuer["type"] = json::Array{"Profile"};
  issuer["name"] = "Example University";
  CredentialInput in;
  in.issuer = issuer;
  in.achievement = TestAchievement();
  in.recipient = {Recipient::Kind::kDid, std::move(subject)};
  in.valid_from = *ParseDateTime("2024-01-01T00:00:00Z");
  in.valid_until = *ParseDateTime("2030-01-01T00:00:00Z");
  in.credential_id = "urn:uuid:2f1f7b0e-1a7c-4e1e-9d51-0d3c9a7b6e11";
  return *BuildOpenBadgeCredential(in, rng);
}

}  // namespace credstack::vc::testing
