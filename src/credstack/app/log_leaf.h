#pragma once

// The transparency-log "personality": what one leaf commits to
// (docs/formats/log-leaf.md). A leaf records an event about a credential
// without personal data: the credential's hash, the event, the issuer DID
// and the time. The tlog module hashes leaves (RFC 9162) without knowing
// this format.

#include <cstdint>
#include <string>
#include <string_view>

#include "credstack/base/bytes.h"
#include "credstack/base/status.h"
#include "credstack/base/time.h"
#include "credstack/crypto/sha.h"
#include "credstack/json/json.h"

namespace credstack::app {

enum class LogEventType {
  kIssued,
  kRevoked,
  kSuspended,
  kUnsuspended,
  kStatusMessage,  // a statusPurpose "message" entry changed value
};

std::string_view LogEventName(LogEventType type);  // "issued", "revoked", ...
// "status-message" for kStatusMessage.

struct LogEvent {
  LogEventType type = LogEventType::kIssued;
  crypto::Sha256Digest credential_hash{};  // CredentialHash()
  std::string issuer;                      // the issuer DID
  Timestamp time;                          // whole seconds, UTC
};

// SHA-256 of the RFC 8785 canonical form of the whole credential (proof
// included): independent of key order and whitespace, so a holder can
// compute it from any copy. kInvalidArgument for non-JSON numbers.
Result<crypto::Sha256Digest> CredentialHash(const json::Value& credential);

// "credstack-log/v1\n<event>\n<hex hash>\n<issuer>\n<RFC 3339 time>\n"
Bytes EncodeLogLeaf(const LogEvent& event);

// Strict inverse of EncodeLogLeaf (for log audits and monitors).
Result<LogEvent> DecodeLogLeaf(ByteView leaf);

}  // namespace credstack::app
