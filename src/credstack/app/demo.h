#pragma once

// `credstack serve --demo true` (make run): on start-up, idempotently, a
// demo organization with a did:web issuer, achievements aligned to real
// ESCO skills (data/demo/achievements.json, compiled in; "ESCO, European
// Commission"), an issuer API key (kept in DATA/demo.key so every start
// prints the same one) and a few issued sample credentials.

#include <string>
#include <vector>

#include "credstack/app/issuer_services.h"
#include "credstack/base/status.h"

namespace credstack::app {

struct DemoInfo {
  store::Organization org;
  std::string issuer_did;
  std::string api_key;  // issuer role
  std::vector<store::AchievementVersion> achievements;
  std::vector<std::string> sample_credentials;  // urn:uuid ids
  std::string source;  // attribution of the skills data
};

// data_dir: where demo.key lives (empty: a new key each start).
Result<DemoInfo> SetUpDemo(IssuerServices& services, const std::string& data_dir);

// The embedded demo data (JSON text).
std::string_view DemoData();

// The demo organization's slug (from the embedded data).
std::string DemoOrganizationSlug();

}  // namespace credstack::app
