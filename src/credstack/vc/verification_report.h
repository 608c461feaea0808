#pragma once

// The result of verifying a credential or presentation: a list of named
// checks, each passed or failed with a human-readable detail. A credential
// that fails verification is a report with verified == false, not an error.

#include <string>
#include <string_view>
#include <vector>

#include "credstack/json/json.h"

namespace credstack::vc {

// Names of the checks, in pipeline order (docs/architecture.md).
inline constexpr std::string_view kCheckParse = "parse";
inline constexpr std::string_view kCheckStructure = "structure";
inline constexpr std::string_view kCheckContext = "context";
inline constexpr std::string_view kCheckProof = "proof";
inline constexpr std::string_view kCheckIssuer = "issuer";
inline constexpr std::string_view kCheckValidity = "validity";
inline constexpr std::string_view kCheckStatus = "status";
inline constexpr std::string_view kCheckLogged = "logged";

struct Check {
  std::string name;
  bool ok = false;
  std::string detail;
};

struct VerificationReport {
  bool verified = false;
  std::string id;  // the credential's id, when it has one
  std::vector<Check> checks;
  // One line per failed check ("proof: signature does not verify").
  std::vector<std::string> errors;
  // Notes that do not affect `verified` (e.g. an ignored unknown proof type).
  std::vector<std::string> warnings;

  void Add(std::string_view name, bool ok, std::string detail);
  // Records a check that could not run because an earlier one failed.
  void Skip(std::string_view name, std::string_view because);
  const Check* Find(std::string_view name) const;
  // Sets verified = every check ok (and at least one check present).
  void Finish();

  // {"verified":bool,"id"?,"checks":[{"name","ok","detail"}],"errors":[...],"warnings"?}
  json::Value ToJson() const;
};

}  // namespace credstack::vc
