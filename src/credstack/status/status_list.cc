#include "credstack/status/status_list.h"

#include <cstdio>

#include "credstack/status/bitstring.h"

namespace credstack::status {

std::string FormatStatusHex(uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx",
                static_cast<unsigned long long>(value));
  return buf;
}

std::optional<uint64_t> ParseStatusHex(std::string_view text) {
  if (text.size() < 3 || text.size() > 18 || text[0] != '0' ||
      (text[1] != 'x' && text[1] != 'X')) {
    return std::nullopt;
  }
  uint64_t v = 0;
  for (char c : text.substr(2)) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  return v;
}

Result<json::Value> BuildStatusListCredential(
    const StatusListCredentialOptions& o) {
  if (o.id.empty())
    return InvalidArgumentError("status list credential: empty id");
  if (o.purposes.empty())
    return InvalidArgumentError("status list credential: no purpose");
  for (const std::string& p : o.purposes) {
    if (p.empty())
      return InvalidArgumentError("status list credential: empty purpose");
  }
  if (o.encoded_list.empty() || o.encoded_list[0] != 'u') {
    return InvalidArgumentError(
        "status list credential: encodedList must be multibase 'u'");
  }
  if (!o.issuer.is_string() &&
      !(o.issuer.is_object() && o.issuer.as_object().contains("id"))) {
    return InvalidArgumentError(
        "status list credential: issuer must be a URL or an object with id");
  }
  if (o.valid_from && o.valid_until && *o.valid_until < *o.valid_from) {
    return InvalidArgumentError(
        "status list credential: validUntil before validFrom");
  }
  json::Object subject;
  subject["id"] = o.subject_id.value_or(o.id + "#list");
  subject["type"] = "BitstringStatusList";
  if (o.purposes.size() == 1) {
    subject["statusPurpose"] = o.purposes[0];
  } else {
    json::Array purposes;
    for (const std::string& p : o.purposes) purposes.emplace_back(p);
    subject["statusPurpose"] = std::move(purposes);
  }
  subject["encodedList"] = o.encoded_list;
  if (o.ttl_ms) subject["ttl"] = *o.ttl_ms;

  json::Object vc;
  vc["@context"] = json::Array{std::string(kCredentialsV2Context)};
  vc["id"] = o.id;
  vc["type"] =
      json::Array{"VerifiableCredential", "BitstringStatusListCredential"};
  vc["issuer"] = o.issuer;
  if (o.valid_from) vc["validFrom"] = FormatDateTime(*o.valid_from);
  if (o.valid_until) vc["validUntil"] = FormatDateTime(*o.valid_until);
  vc["credentialSubject"] = std::move(subject);
  return json::Value(std::move(vc));
}

Result<json::Value> BuildStatusListEntry(const StatusEntryOptions& o) {
  if (o.purpose.empty())
    return InvalidArgumentError("status entry: empty statusPurpose");
  if (o.list_credential.empty()) {
    return InvalidArgumentError("status entry: empty statusListCredential");
  }
  if (o.status_size == 0 || o.status_size > kMaxStatusSize) {
    return InvalidArgumentError("status entry: statusSize must be 1.." +
                                std::to_string(kMaxStatusSize));
  }
  const uint64_t values = uint64_t{1} << o.status_size;
  // §2.1 statusSize/statusMessage: more than one bit needs a message per
  // possible value; with one bit the messages are optional.
  if (o.status_size > 1 && o.messages.size() != values) {
    return InvalidArgumentError(
        "status entry: statusSize " + std::to_string(o.status_size) +
        " needs " + std::to_string(values) + " statusMessage entries");
  }
  if (!o.messages.empty() && o.messages.size() != values) {
    return InvalidArgumentError("status entry: statusMessage must have " +
                                std::to_string(values) + " entries");
  }
  const std::string id =
      o.id.value_or(o.list_credential + "#" + std::to_string(o.index));
  if (id == o.list_credential) {
    return InvalidArgumentError(
        "status entry: id must not be the status list URL");
  }
  json::Object entry;
  entry["id"] = id;
  entry["type"] = "BitstringStatusListEntry";
  entry["statusPurpose"] = o.purpose;
  entry["statusListIndex"] = std::to_string(o.index);
  entry["statusListCredential"] = o.list_credential;
  if (o.status_size != 1) entry["statusSize"] = o.status_size;
  if (!o.messages.empty()) {
    json::Array messages;
    for (const StatusMessage& m : o.messages) {
      if (m.status >= values) {
        return InvalidArgumentError("status entry: status message value " +
                                    FormatStatusHex(m.status) +
                                    " exceeds statusSize");
      }
      json::Object e;
      e["status"] = FormatStatusHex(m.status);
      e["message"] = m.message;
      messages.emplace_back(std::move(e));
    }
    entry["statusMessage"] = std::move(messages);
  }
  if (o.references.size() == 1) {
    entry["statusReference"] = o.references[0];
  } else if (!o.references.empty()) {
    json::Array refs;
    for (const std::string& r : o.references) refs.emplace_back(r);
    entry["statusReference"] = std::move(refs);
  }
  return json::Value(std::move(entry));
}

}  // namespace credstack::status
