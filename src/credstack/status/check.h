#pragma once

// Checking a credential's status against Bitstring Status List
// credentials: §3.2 Validate Algorithm. The caller fetches the list
// credentials and verifies their proofs (steps 4's STATUS_RETRIEVAL_ERROR and
// STATUS_VERIFICATION_ERROR for proofs are the caller's); this code does the
// rest. A credential whose status is bad is an outcome, not an error:
// problems are reported per entry with the spec's error names; a Status is
// returned only when a limit is hit (kResourceExhausted).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/base/bytes.h"
#include "credstack/base/status.h"
#include "credstack/base/time.h"
#include "credstack/json/json.h"
#include "credstack/status/bitstring.h"
#include "credstack/status/encoded_list.h"
#include "credstack/status/status_list.h"

namespace credstack::status {

// The errors of §3.5 and the VC Data Model that §3 raises.
enum class StatusProblem {
  kNone,
  kMalformedValue,      // MALFORMED_VALUE_ERROR (VC DM 2.0)
  kRange,               // RANGE_ERROR (VC DM 2.0), §3.2 step 10
  kStatusRetrieval,     // STATUS_RETRIEVAL_ERROR, §3.2 step 4
  kStatusVerification,  // STATUS_VERIFICATION_ERROR, §3.2 steps 4-5
  kStatusListLength,    // STATUS_LIST_LENGTH_ERROR, §3.2 step 9
  kUnsupportedType,     // not a BitstringStatusListEntry (no spec error)
};
// "STATUS_LIST_LENGTH_ERROR" etc.; "" for kNone.
std::string_view ProblemName(StatusProblem problem);
// The problem-details type URL (§3.5: status-list# prefix; VC DM errors
// under https://www.w3.org/TR/vc-data-model#).
std::string ProblemTypeUrl(StatusProblem problem);

// A parsed BitstringStatusListEntry (§2.1).
struct StatusEntry {
  std::string id;
  std::string purpose;
  uint64_t index = 0;
  std::string list_credential;
  unsigned status_size = 1;
  std::vector<StatusMessage> messages;  // empty when absent
  std::vector<std::string> references;
};

// A parsed BitstringStatusListCredential (§2.2), with its list decoded.
struct StatusList {
  std::string id;
  std::vector<std::string> purposes;
  Bytes bitstring;
  std::optional<uint64_t> ttl_ms;
  std::optional<Timestamp> valid_from;
  std::optional<Timestamp> valid_until;
};

struct CheckOptions {
  // §3.2 step 2 minimumNumberOfEntries.
  uint64_t minimum_entries = kMinimumEntries;
  // §2.1 requires statusListIndex as a base-10 string; the 1EdTech
  // validator's fixtures (and some issuers) use a JSON number. Accept a
  // non-negative integer number when true.
  bool allow_numeric_index = true;
  DecodeOptions decode;
};

struct ParsedEntry {
  StatusProblem problem = StatusProblem::kNone;
  std::string detail;
  StatusEntry entry;
};
// Parses one credentialStatus entry. kUnsupportedType for another status
// type, kMalformedValue (kRange for an index beyond 2^64) when a §2.1 MUST
// is broken.
ParsedEntry ParseStatusEntry(const json::Value& entry,
                             const CheckOptions& options = {});

struct ParsedList {
  StatusProblem problem = StatusProblem::kNone;
  std::string detail;
  StatusList list;
};
// Parses a (verified) status list credential and decodes its encodedList.
// kMalformedValue when a §2.2 MUST is broken or the list does not decode;
// Status kResourceExhausted past options.decode limits.
Result<ParsedList> ParseStatusList(const json::Value& list_credential,
                                   const CheckOptions& options = {});

// The outcome for one entry: §3.2 steps 11-15 result, or the problem.
struct EntryCheck {
  StatusProblem problem = StatusProblem::kNone;
  std::string detail;
  StatusEntry entry;
  std::string purpose;
  uint64_t status = 0;
  bool valid = false;  // status == 0
  // For purpose "message": the statusMessage text for the value ("set" /
  // "unset" for one bit without statusMessage).
  std::optional<std::string> message;

  bool ok() const { return problem == StatusProblem::kNone; }
};

// §3.2 steps 5, 7-15 for a parsed entry against a parsed list.
EntryCheck CheckEntry(const StatusEntry& entry, const StatusList& list,
                      const CheckOptions& options = {});

// Parses the entry and the list credential and checks. A null
// list_credential (could not be dereferenced) gives kStatusRetrieval.
Result<EntryCheck> CheckStatusEntry(const json::Value& entry,
                                    const json::Value* list_credential,
                                    const CheckOptions& options = {});

// Looks up a status list credential by URL; nullptr when unavailable.
using StatusListLookup =
    std::function<const json::Value*(std::string_view url)>;

// Checks a credential's `credentialStatus` value (an object or an array of
// them), one EntryCheck per entry, in order. Entries of other types come
// back as kUnsupportedType.
Result<std::vector<EntryCheck>> CheckCredentialStatus(
    const json::Value& credential_status, const StatusListLookup& lookup,
    const CheckOptions& options = {});

}  // namespace credstack::status
