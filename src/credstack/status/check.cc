#include "credstack/status/check.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace credstack::status {
namespace {

bool HasType(const json::Value& type, std::string_view want) {
  if (type.is_string()) return type.as_string() == want;
  if (type.is_array()) {
    for (const json::Value& t : type.as_array()) {
      if (t.is_string() && t.as_string() == want) return true;
    }
  }
  return false;
}

// A JSON integer >= 0, whatever Boost.JSON stored it as.
std::optional<uint64_t> NonNegativeInteger(const json::Value& v) {
  if (v.is_uint64()) return v.as_uint64();
  if (v.is_int64()) {
    if (v.as_int64() < 0) return std::nullopt;
    return static_cast<uint64_t>(v.as_int64());
  }
  if (v.is_double()) {
    const double d = v.as_double();
    if (d >= 0 && d < 9.007199254740992e15 && std::floor(d) == d) {
      return static_cast<uint64_t>(d);
    }
  }
  return std::nullopt;
}

ParsedEntry EntryProblem(StatusProblem p, std::string detail) {
  ParsedEntry out;
  out.problem = p;
  out.detail = std::move(detail);
  return out;
}

ParsedList ListProblem(StatusProblem p, std::string detail) {
  ParsedList out;
  out.problem = p;
  out.detail = std::move(detail);
  return out;
}

// statusPurpose / statusReference: a string or an array of strings.
bool StringOrStrings(const json::Value& v, std::vector<std::string>& out) {
  if (v.is_string()) {
    if (v.as_string().empty()) return false;
    out.emplace_back(v.as_string());
    return true;
  }
  if (!v.is_array() || v.as_array().empty()) return false;
  for (const json::Value& e : v.as_array()) {
    if (!e.is_string() || e.as_string().empty()) return false;
    out.emplace_back(e.as_string());
  }
  return true;
}

}  // namespace

std::string_view ProblemName(StatusProblem problem) {
  switch (problem) {
    case StatusProblem::kNone:
      return "";
    case StatusProblem::kMalformedValue:
      return "MALFORMED_VALUE_ERROR";
    case StatusProblem::kRange:
      return "RANGE_ERROR";
    case StatusProblem::kStatusRetrieval:
      return "STATUS_RETRIEVAL_ERROR";
    case StatusProblem::kStatusVerification:
      return "STATUS_VERIFICATION_ERROR";
    case StatusProblem::kStatusListLength:
      return "STATUS_LIST_LENGTH_ERROR";
    case StatusProblem::kUnsupportedType:
      return "UNSUPPORTED_STATUS_TYPE";
  }
  return "";
}

std::string ProblemTypeUrl(StatusProblem problem) {
  switch (problem) {
    case StatusProblem::kMalformedValue:
    case StatusProblem::kRange:
      return "https://www.w3.org/TR/vc-data-model#" +
             std::string(ProblemName(problem));
    case StatusProblem::kStatusRetrieval:
    case StatusProblem::kStatusVerification:
    case StatusProblem::kStatusListLength:
      return "https://www.w3.org/ns/credentials/status-list#" +
             std::string(ProblemName(problem));
    default:
      return "";
  }
}

ParsedEntry ParseStatusEntry(const json::Value& value,
                             const CheckOptions& options) {
  if (!value.is_object()) {
    return EntryProblem(StatusProblem::kMalformedValue,
                        "credentialStatus entry is not an object");
  }
  const json::Object& o = value.as_object();
  const json::Value* type = o.if_contains("type");
  if (type == nullptr || !HasType(*type, "BitstringStatusListEntry")) {
    return EntryProblem(
        StatusProblem::kUnsupportedType,
        "credentialStatus entry is not a BitstringStatusListEntry");
  }
  ParsedEntry out;
  StatusEntry& e = out.entry;
  if (const json::Value* id = o.if_contains("id")) {
    if (!id->is_string())
      return EntryProblem(StatusProblem::kMalformedValue, "id is not a string");
    e.id = std::string(id->as_string());
  }
  const auto purpose = json::GetString(o, "statusPurpose");
  if (!purpose || purpose->empty()) {
    return EntryProblem(StatusProblem::kMalformedValue,
                        "statusPurpose must be a string");
  }
  e.purpose = std::string(*purpose);
  // statusListIndex: "an arbitrary size integer greater than or equal to 0,
  // expressed as a string in base 10".
  const json::Value* index = o.if_contains("statusListIndex");
  if (index == nullptr) {
    return EntryProblem(StatusProblem::kMalformedValue,
                        "statusListIndex is missing");
  }
  if (index->is_string()) {
    std::string_view s = index->as_string();
    if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) {
          return c >= '0' && c <= '9';
        })) {
      return EntryProblem(StatusProblem::kMalformedValue,
                          "statusListIndex must be a base-10 integer string");
    }
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), e.index);
    if (ec == std::errc::result_out_of_range) {
      return EntryProblem(StatusProblem::kRange,
                          "statusListIndex beyond any status list");
    }
    if (ec != std::errc() || ptr != s.data() + s.size()) {
      return EntryProblem(StatusProblem::kMalformedValue,
                          "statusListIndex is not an integer");
    }
  } else if (options.allow_numeric_index && NonNegativeInteger(*index)) {
    e.index = *NonNegativeInteger(*index);
  } else {
    return EntryProblem(StatusProblem::kMalformedValue,
                        "statusListIndex must be a string");
  }
  const auto list = json::GetString(o, "statusListCredential");
  if (!list || list->empty()) {
    return EntryProblem(StatusProblem::kMalformedValue,
                        "statusListCredential must be a URL");
  }
  e.list_credential = std::string(*list);
  if (!e.id.empty() && e.id == e.list_credential) {
    return EntryProblem(StatusProblem::kMalformedValue,
                        "id must not be the URL of the status list");
  }
  // statusSize: absent means 1; otherwise an integer greater than zero.
  if (const json::Value* size = o.if_contains("statusSize")) {
    std::optional<uint64_t> n = NonNegativeInteger(*size);
    if (!n || *n == 0) {
      return EntryProblem(StatusProblem::kMalformedValue,
                          "statusSize must be an integer > 0");
    }
    if (*n > kMaxStatusSize) {
      return EntryProblem(StatusProblem::kMalformedValue,
                          "statusSize above " + std::to_string(kMaxStatusSize) +
                              " is not supported");
    }
    e.status_size = static_cast<unsigned>(*n);
  }
  const uint64_t values = uint64_t{1} << e.status_size;
  const json::Value* messages = o.if_contains("statusMessage");
  if (messages == nullptr && e.status_size > 1) {
    return EntryProblem(StatusProblem::kMalformedValue,
                        "statusMessage is required when statusSize > 1");
  }
  if (messages != nullptr) {
    if (!messages->is_array() || messages->as_array().size() != values) {
      return EntryProblem(StatusProblem::kMalformedValue,
                          "statusMessage must be an array of " +
                              std::to_string(values) + " elements");
    }
    for (const json::Value& m : messages->as_array()) {
      if (!m.is_object()) {
        return EntryProblem(StatusProblem::kMalformedValue,
                            "statusMessage element is not an object");
      }
      const auto status = json::GetString(m.as_object(), "status");
      const auto text = json::GetString(m.as_object(), "message");
      std::optional<uint64_t> v =
          status ? ParseStatusHex(*status) : std::nullopt;
      if (!v || !text) {
        return EntryProblem(
            StatusProblem::kMalformedValue,
            "statusMessage elements need a \"0x\" status and a message");
      }
      e.messages.push_back(StatusMessage{*v, std::string(*text)});
    }
  }
  if (const json::Value* refs = o.if_contains("statusReference")) {
    if (!StringOrStrings(*refs, e.references)) {
      return EntryProblem(StatusProblem::kMalformedValue,
                          "statusReference must be a URL or an array of URLs");
    }
  }
  return out;
}

Result<ParsedList> ParseStatusList(const json::Value& value,
                                   const CheckOptions& options) {
  if (!value.is_object()) {
    return ListProblem(StatusProblem::kMalformedValue,
                       "status list credential is not an object");
  }
  const json::Object& o = value.as_object();
  const json::Value* type = o.if_contains("type");
  if (type == nullptr || !HasType(*type, "BitstringStatusListCredential")) {
    return ListProblem(StatusProblem::kMalformedValue,
                       "status list credential type must include "
                       "BitstringStatusListCredential");
  }
  ParsedList out;
  StatusList& list = out.list;
  if (auto id = json::GetString(o, "id")) list.id = std::string(*id);
  for (const char* field : {"validFrom", "validUntil"}) {
    if (const json::Value* v = o.if_contains(field)) {
      Result<Timestamp> t =
          v->is_string()
              ? ParseDateTime(v->as_string())
              : Result<Timestamp>(InvalidArgumentError("not a string"));
      if (!t.ok()) {
        return ListProblem(StatusProblem::kMalformedValue,
                           std::string(field) + " is not a dateTimeStamp");
      }
      (std::string_view(field) == "validFrom" ? list.valid_from
                                              : list.valid_until) = *t;
    }
  }
  // credentialSubject: the BitstringStatusList (an object, or the one such
  // object in an array).
  const json::Object* subject = nullptr;
  if (const json::Value* s = o.if_contains("credentialSubject")) {
    if (s->is_object()) {
      subject = &s->as_object();
    } else if (s->is_array()) {
      for (const json::Value& e : s->as_array()) {
        if (e.is_object() && e.as_object().contains("encodedList")) {
          if (subject != nullptr) {
            return ListProblem(
                StatusProblem::kMalformedValue,
                "credentialSubject holds more than one status list");
          }
          subject = &e.as_object();
        }
      }
    }
  }
  if (subject == nullptr) {
    return ListProblem(StatusProblem::kMalformedValue,
                       "credentialSubject is missing");
  }
  const json::Value* subject_type = subject->if_contains("type");
  if (subject_type == nullptr ||
      !HasType(*subject_type, "BitstringStatusList")) {
    return ListProblem(StatusProblem::kMalformedValue,
                       "credentialSubject.type must be BitstringStatusList");
  }
  const json::Value* purposes = subject->if_contains("statusPurpose");
  if (purposes == nullptr || !StringOrStrings(*purposes, list.purposes)) {
    return ListProblem(
        StatusProblem::kMalformedValue,
        "credentialSubject.statusPurpose must be one or more strings");
  }
  if (const json::Value* ttl = subject->if_contains("ttl")) {
    list.ttl_ms = NonNegativeInteger(*ttl);
    if (!list.ttl_ms) {
      return ListProblem(StatusProblem::kMalformedValue,
                         "credentialSubject.ttl must be an integer");
    }
  }
  const auto encoded = json::GetString(*subject, "encodedList");
  if (!encoded) {
    return ListProblem(StatusProblem::kMalformedValue,
                       "credentialSubject.encodedList is missing");
  }
  // §3.2 step 8: Bitstring Expansion Algorithm.
  Result<Bytes> bits = DecodeList(*encoded, options.decode);
  if (!bits.ok()) {
    if (bits.status().code() == Code::kResourceExhausted) return bits.status();
    return ListProblem(StatusProblem::kMalformedValue, bits.status().message());
  }
  list.bitstring = std::move(*bits);
  return out;
}

EntryCheck CheckEntry(const StatusEntry& entry, const StatusList& list,
                      const CheckOptions& options) {
  EntryCheck out;
  out.entry = entry;
  out.purpose = entry.purpose;
  auto fail = [&](StatusProblem p, std::string detail) {
    out.problem = p;
    out.detail = std::move(detail);
    return out;
  };
  // Step 5.
  if (std::find(list.purposes.begin(), list.purposes.end(), entry.purpose) ==
      list.purposes.end()) {
    return fail(StatusProblem::kStatusVerification,
                "status purpose \"" + entry.purpose +
                    "\" is not a purpose of the list");
  }
  // Step 9.
  const uint64_t bits = uint64_t{list.bitstring.size()} * 8;
  if (bits / entry.status_size < options.minimum_entries) {
    return fail(StatusProblem::kStatusListLength,
                "list has " + std::to_string(bits / entry.status_size) +
                    " entries, fewer than " +
                    std::to_string(options.minimum_entries));
  }
  // Step 10.
  const uint64_t entries = bits / entry.status_size;
  if (entry.index >= entries) {
    return fail(StatusProblem::kRange,
                "statusListIndex " + std::to_string(entry.index) +
                    " is outside the list of " + std::to_string(entries) +
                    " entries");
  }
  Result<uint64_t> value =
      Bitstring::Read(list.bitstring, entry.status_size, entry.index);
  if (!value.ok()) return fail(StatusProblem::kRange, value.status().message());
  // Steps 11-14.
  out.status = *value;
  out.valid = *value == 0;
  if (entry.purpose == "message") {
    if (entry.messages.empty()) {
      if (entry.status_size == 1) out.message = *value ? "set" : "unset";
    } else {
      for (const StatusMessage& m : entry.messages) {
        if (m.status == *value) {
          out.message = m.message;
          break;
        }
      }
    }
  }
  return out;
}

Result<EntryCheck> CheckStatusEntry(const json::Value& entry_json,
                                    const json::Value* list_credential,
                                    const CheckOptions& options) {
  ParsedEntry entry = ParseStatusEntry(entry_json, options);
  EntryCheck out;
  out.entry = entry.entry;
  out.purpose = entry.entry.purpose;
  if (entry.problem != StatusProblem::kNone) {
    out.problem = entry.problem;
    out.detail = entry.detail;
    return out;
  }
  if (list_credential == nullptr) {
    out.problem = StatusProblem::kStatusRetrieval;
    out.detail = "status list " + entry.entry.list_credential +
                 " could not be retrieved";
    return out;
  }
  CREDSTACK_ASSIGN_OR_RETURN(ParsedList list,
                             ParseStatusList(*list_credential, options));
  if (list.problem != StatusProblem::kNone) {
    out.problem = list.problem;
    out.detail = list.detail;
    return out;
  }
  return CheckEntry(entry.entry, list.list, options);
}

Result<std::vector<EntryCheck>> CheckCredentialStatus(
    const json::Value& credential_status, const StatusListLookup& lookup,
    const CheckOptions& options) {
  std::vector<const json::Value*> entries;
  if (credential_status.is_array()) {
    for (const json::Value& e : credential_status.as_array())
      entries.push_back(&e);
  } else {
    entries.push_back(&credential_status);
  }
  std::vector<EntryCheck> out;
  for (const json::Value* e : entries) {
    const json::Value* list = nullptr;
    if (e->is_object()) {
      if (auto url = json::GetString(e->as_object(), "statusListCredential"))
        list = lookup(*url);
    }
    CREDSTACK_ASSIGN_OR_RETURN(EntryCheck check,
                               CheckStatusEntry(*e, list, options));
    out.push_back(std::move(check));
  }
  return out;
}

}  // namespace credstack::status
