#include "credstack/server/auth.h"

#include <string>

namespace credstack::server {
namespace {

bool IsB64TokenChar(char c) {
  // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" /
  // "+" / "/" ) *"="
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
         c == '~' || c == '+' || c == '/';
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kViewer:
      return "viewer";
    case Role::kIssuer:
      return "issuer";
    case Role::kAdmin:
      return "admin";
  }
  return "viewer";
}

Result<Role> ParseRole(std::string_view name) {
  if (name == "viewer") return Role::kViewer;
  if (name == "issuer") return Role::kIssuer;
  if (name == "admin") return Role::kAdmin;
  return InvalidArgumentError("unknown role '" + std::string(name) +
                              "' (expected admin, issuer or viewer)");
}

std::string_view PolicyName(Policy p) {
  switch (p) {
    case Policy::kPublic:
      return "public";
    case Policy::kViewer:
      return "viewer";
    case Policy::kIssuer:
      return "issuer";
    case Policy::kAdmin:
      return "admin";
  }
  return "public";
}

Result<std::string_view> ParseBearerToken(std::string_view authorization) {
  // RFC 9110 §11.4: auth-scheme is case-insensitive, then 1*SP.
  size_t sp = authorization.find(' ');
  if (sp == std::string_view::npos ||
      !EqualsIgnoreCase(authorization.substr(0, sp), "bearer")) {
    return UnauthenticatedError(
        "the Authorization header must use the Bearer scheme");
  }
  std::string_view token = authorization.substr(sp);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return UnauthenticatedError("empty bearer token");
  if (token.size() > kMaxApiKeyLength) {
    return UnauthenticatedError("bearer token too long");
  }
  size_t i = 0;
  while (i < token.size() && IsB64TokenChar(token[i])) ++i;
  while (i < token.size() && token[i] == '=') ++i;
  if (i != token.size() || token.front() == '=') {
    return UnauthenticatedError("malformed bearer token");
  }
  return token;
}

Result<Principal> Authenticate(const ApiKeyLookup& lookup,
                               std::string_view authorization) {
  CREDSTACK_ASSIGN_OR_RETURN(std::string_view token,
                             ParseBearerToken(authorization));
  if (!lookup) return UnauthenticatedError("API keys are not configured");
  Result<Principal> p = lookup(crypto::Sha256(token));
  if (!p.has_value()) {
    if (p.error().code() == Code::kNotFound ||
        p.error().code() == Code::kUnauthenticated) {
      return UnauthenticatedError("invalid or revoked API key");
    }
    return p.error();
  }
  return p;
}

Status Authorize(Policy policy, const Principal* principal) {
  if (policy == Policy::kPublic) return OkStatus();
  if (principal == nullptr) {
    return UnauthenticatedError(
        "this operation needs an API key (Authorization: Bearer <key>)");
  }
  Role need = policy == Policy::kAdmin    ? Role::kAdmin
              : policy == Policy::kIssuer ? Role::kIssuer
                                          : Role::kViewer;
  if (static_cast<int>(principal->role) < static_cast<int>(need)) {
    return PermissionDeniedError("this operation needs the " +
                                 std::string(RoleName(need)) + " role");
  }
  return OkStatus();
}

Status CheckOrgScope(const Principal& principal, std::string_view org_id) {
  if (principal.org_id.empty() || principal.org_id != org_id) {
    return PermissionDeniedError(
        "this API key does not belong to the organization");
  }
  return OkStatus();
}

}  // namespace credstack::server
