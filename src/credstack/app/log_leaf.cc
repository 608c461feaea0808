#include "credstack/app/log_leaf.h"

#include <algorithm>

#include "credstack/json/jcs.h"

namespace credstack::app {
namespace {

constexpr std::string_view kHeader = "credstack-log/v1";

}  // namespace

std::string_view LogEventName(LogEventType type) {
  switch (type) {
    case LogEventType::kIssued: return "issued";
    case LogEventType::kRevoked: return "revoked";
    case LogEventType::kSuspended: return "suspended";
    case LogEventType::kUnsuspended: return "unsuspended";
    case LogEventType::kStatusMessage: return "status-message";
  }
  return "unknown";
}

Result<crypto::Sha256Digest> CredentialHash(const json::Value& credential) {
  CREDSTACK_ASSIGN_OR_RETURN(std::string canonical, json::Canonicalize(credential));
  return crypto::Sha256(canonical);
}

Bytes EncodeLogLeaf(const LogEvent& e) {
  std::string text(kHeader);
  text += '\n';
  text += LogEventName(e.type);
  text += '\n';
  text += HexEncode(e.credential_hash);
  text += '\n';
  text += e.issuer;
  text += '\n';
  Timestamp whole{e.time.unix_seconds() * 1'000'000};
  text += FormatDateTime(whole);
  text += '\n';
  return Bytes(text.begin(), text.end());
}

Result<LogEvent> DecodeLogLeaf(ByteView leaf) {
  std::string_view text = AsChars(leaf);
  if (text.size() > 4096) return InvalidArgumentError("log leaf too large");
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return InvalidArgumentError("log leaf: missing final newline");
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  if (lines.size() != 5 || lines[0] != kHeader) {
    return InvalidArgumentError("log leaf: expected " + std::string(kHeader) + " and 4 lines");
  }
  LogEvent e;
  bool known = false;
  for (auto t : {LogEventType::kIssued, LogEventType::kRevoked, LogEventType::kSuspended,
                 LogEventType::kUnsuspended, LogEventType::kStatusMessage}) {
    if (lines[1] == LogEventName(t)) {
      e.type = t;
      known = true;
    }
  }
  if (!known) return InvalidArgumentError("log leaf: unknown event \"" + std::string(lines[1]) + "\"");
  auto hash = HexDecode(lines[2]);
  if (!hash.ok() || hash->size() != 32 || lines[2] != HexEncode(*hash)) {
    return InvalidArgumentError("log leaf: hash must be 64 lowercase hex digits");
  }
  std::copy(hash->begin(), hash->end(), e.credential_hash.begin());
  if (lines[3].empty() || lines[3].find(':') == std::string_view::npos) {
    return InvalidArgumentError("log leaf: issuer must be a DID or URL");
  }
  e.issuer = std::string(lines[3]);
  CREDSTACK_ASSIGN_OR_RETURN(e.time, ParseDateTime(lines[4]));
  if (FormatDateTime(e.time) != lines[4]) return InvalidArgumentError("log leaf: time not canonical");
  return e;
}

}  // namespace credstack::app
