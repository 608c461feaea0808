#pragma once

// Building the unsigned JSON of Bitstring Status List v1.0 documents:
// the BitstringStatusListCredential (§2.2) an issuer publishes and the
// BitstringStatusListEntry (§2.1) each issued credential carries as
// `credentialStatus`. Signing is the vc module's job.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/base/time.h"
#include "credstack/json/json.h"

namespace credstack::status {

inline constexpr std::string_view kCredentialsV2Context =
    "https://www.w3.org/ns/credentials/v2";

// One element of statusMessage: {"status": "0x<hex>", "message": ...}.
struct StatusMessage {
  uint64_t status = 0;
  std::string message;
  friend bool operator==(const StatusMessage&, const StatusMessage&) = default;
};

// "0x" + lowercase hex without leading zeros ("0x0", "0x1f").
std::string FormatStatusHex(uint64_t value);
// Inverse; accepts upper or lower case, rejects an empty or over-long
// number. std::nullopt if malformed.
std::optional<uint64_t> ParseStatusHex(std::string_view text);

struct StatusListCredentialOptions {
  // The credential's id: the URL entries put in statusListCredential.
  std::string id;
  // A string (URL/DID) or an object with an "id".
  json::Value issuer;
  // One purpose is written as a string, several as an array.
  std::vector<std::string> purposes;
  // From EncodeList().
  std::string encoded_list;
  // credentialSubject.id; defaults to id + "#list".
  std::optional<std::string> subject_id;
  std::optional<Timestamp> valid_from;
  std::optional<Timestamp> valid_until;
  // credentialSubject.ttl in milliseconds.
  std::optional<uint64_t> ttl_ms;
};

// The unsigned BitstringStatusListCredential (VC 2.0 context). Fails with
// kInvalidArgument for an empty id, purpose or encodedList, an issuer that
// is neither a string nor an object, or validUntil before validFrom.
Result<json::Value> BuildStatusListCredential(
    const StatusListCredentialOptions& options);

struct StatusEntryOptions {
  // Entry id; defaults to list_credential + "#" + index. Must differ from
  // list_credential (§2.1 id).
  std::optional<std::string> id;
  std::string purpose;
  uint64_t index = 0;
  std::string list_credential;
  // Written only when not 1 (§2.1 statusSize: absent means 1).
  unsigned status_size = 1;
  // Required with exactly 2^status_size elements when status_size > 1;
  // optional (2 elements) when 1.
  std::vector<StatusMessage> messages;
  // statusReference: one URL is written as a string, several as an array.
  std::vector<std::string> references;
};

// The BitstringStatusListEntry object; statusListIndex is a base-10
// string. kInvalidArgument when the options break a §2.1 MUST.
Result<json::Value> BuildStatusListEntry(const StatusEntryOptions& options);

}  // namespace credstack::status
