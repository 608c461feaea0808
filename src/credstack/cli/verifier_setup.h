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
  std::shared_ptr<const vc::StatusChecker> status_checker;
  vc::VerifyOptions options;  // points into the members above
};

// Reads every *.json in each dir and serves it under its top-level "id";
// a urls.json {"URL": "file.json"} maps URLs explicitly (as the reference
// verifier's --status-dir does). now: RFC 3339, empty = system clock.
Result<VerifierSetup> MakeVerifierSetup(const std::vector<std::string>& document_dirs,
                                        const std::string& now);

// Loads a directory of documents into resolver (see above).
Status LoadDocumentsDir(const std::string& dir, vc::StaticDocumentResolver& resolver);

}  // namespace credstack::cli
