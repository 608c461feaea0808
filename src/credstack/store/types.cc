#include "credstack/store/types.h"

#include <array>
#include <string>
#include <utility>

namespace credstack::store {
namespace {

template <typename E, size_t N>
Result<E> ParseName(const std::array<std::pair<E, std::string_view>, N>& names,
                    std::string_view what, std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return InvalidArgumentError("unknown " + std::string(what) + " \"" +
                              std::string(text) + "\"");
}

template <typename E, size_t N>
std::string_view NameOf(
    const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  CREDSTACK_CHECK_MSG(false, "enum value without a name");
}

constexpr std::array<std::pair<ApiKeyRole, std::string_view>, 3> kRoles = {{
    {ApiKeyRole::kAdmin, "admin"},
    {ApiKeyRole::kIssuer, "issuer"},
    {ApiKeyRole::kViewer, "viewer"},
}};
constexpr std::array<std::pair<RecipientKind, std::string_view>, 3> kKinds = {{
    {RecipientKind::kDid, "did"},
    {RecipientKind::kEmailHash, "email_hash"},
    {RecipientKind::kOther, "other"},
}};
constexpr std::array<std::pair<JobStatus, std::string_view>, 4> kJobStatuses = {
    {
        {JobStatus::kQueued, "queued"},
        {JobStatus::kRunning, "running"},
        {JobStatus::kDone, "done"},
        {JobStatus::kFailed, "failed"},
    }};
constexpr std::array<std::pair<JobRowState, std::string_view>, 3> kRowStates = {
    {
        {JobRowState::kPending, "pending"},
        {JobRowState::kIssued, "issued"},
        {JobRowState::kFailed, "failed"},
    }};
// Bitstring Status List v1.0 §2.1, statusPurpose.
constexpr std::array<std::pair<StatusPurpose, std::string_view>, 3> kPurposes =
    {{
        {StatusPurpose::kRevocation, "revocation"},
        {StatusPurpose::kSuspension, "suspension"},
        {StatusPurpose::kMessage, "message"},
    }};

}  // namespace

std::string_view ApiKeyRoleName(ApiKeyRole role) {
  return NameOf(kRoles, role);
}
Result<ApiKeyRole> ParseApiKeyRole(std::string_view name) {
  return ParseName(kRoles, "API key role", name);
}
std::string_view RecipientKindName(RecipientKind kind) {
  return NameOf(kKinds, kind);
}
Result<RecipientKind> ParseRecipientKind(std::string_view name) {
  return ParseName(kKinds, "recipient kind", name);
}
std::string_view JobStatusName(JobStatus status) {
  return NameOf(kJobStatuses, status);
}
Result<JobStatus> ParseJobStatus(std::string_view name) {
  return ParseName(kJobStatuses, "job status", name);
}
std::string_view JobRowStateName(JobRowState state) {
  return NameOf(kRowStates, state);
}
Result<JobRowState> ParseJobRowState(std::string_view name) {
  return ParseName(kRowStates, "job row state", name);
}
std::string_view StatusPurposeName(StatusPurpose purpose) {
  return NameOf(kPurposes, purpose);
}
Result<StatusPurpose> ParseStatusPurpose(std::string_view name) {
  return ParseName(kPurposes, "status purpose", name);
}

}  // namespace credstack::store
