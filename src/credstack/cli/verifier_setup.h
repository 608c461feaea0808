#pragma once

// Builds VerifyOptions for offline verification from CLI flags: the time,
// the pinned contexts, and documents (status lists, DID documents) read
// from directories.

#include <memory>
#include <string>
#include <vector>

#include "credstack/vc/resolver.h"
#include "credstack/vc/verify.h"

namespace credstack::cli {

struct VerifierSetup {
  std::shared_ptr<vc::StaticDocumentResolver> documents;
  // The documents above, then (online) the network through the allowlist.
  std::shared_ptr<const vc::DocumentResolver> resolver;
  std::shared_ptr<const vc::StatusChecker> status_checker;
  std::shared_ptr<const vc::LogChecker> log_checker;  // null: no "logged" check
  vc::VerifyOptions options;  // points into the members above
};

// Network and transparency-log options of `credstack verify`.
struct VerifierNetwork {
  // Fetch did:web documents and status lists (default: offline, documents
  // only from the directories).
  bool online = false;
  std::vector<std::string> allow_hosts;  // online and empty: any host
  std::vector<std::string> http_hosts;   // fetched over plain http
  // The "logged" check: offline log bundles, trusted log keys (vkeys or
  // files), a trusted-logs file, log URLs to ask (online), and whether a
  // credential not proven logged fails.
  std::vector<std::string> log_bundles;
  std::vector<std::string> log_keys;
  std::string trusted_logs;
  std::vector<std::string> log_servers;
  bool require_logged = false;
};

// Reads every *.json in each dir and serves it under its top-level "id";
// a urls.json {"URL": "file.json"} maps URLs explicitly (as the reference
// verifier's --status-dir does). now: RFC 3339, empty = system clock.
Result<VerifierSetup> MakeVerifierSetup(const std::vector<std::string>& document_dirs,
                                        const std::string& now,
                                        const VerifierNetwork& network = {});

// Loads a directory of documents into resolver (see above).
Status LoadDocumentsDir(const std::string& dir, vc::StaticDocumentResolver& resolver);

}  // namespace credstack::cli
