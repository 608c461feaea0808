#pragma once

// API-key authentication and role/organization authorization.
//
// Clients send `Authorization: Bearer <key>` (RFC 6750 §2.1). The server
// never keeps or logs the key: it hashes it with SHA-256 and asks an
// injected ApiKeyLookup (implemented by the store) for the key record.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/crypto/sha.h"

namespace credstack::server {

// Roles are ordered: admin can do what issuer can, issuer what viewer can.
enum class Role : uint8_t { kViewer = 1, kIssuer = 2, kAdmin = 3 };

// What a route requires.
enum class Policy : uint8_t {
  kPublic = 0,  // anyone; a key, if sent, must be valid
  kViewer,
  kIssuer,
  kAdmin,
};

std::string_view RoleName(Role r);              // "viewer", ...
Result<Role> ParseRole(std::string_view name);  // kInvalidArgument
std::string_view PolicyName(Policy p);          // "public", ...

// The identity behind an API key.
struct Principal {
  std::string key_id;  // public identifier of the key (safe to log)
  std::string org_id;  // the organization the key belongs to
  Role role = Role::kViewer;
};

// Looks an API key up by the SHA-256 of its bytes. Returns kNotFound for an
// unknown or revoked key; other errors (kUnavailable) mean the lookup could
// not be done. Must be thread-safe.
using ApiKeyLookup =
    std::function<Result<Principal>(const crypto::Sha256Digest& key_hash)>;

// Longest accepted API key, in bytes.
inline constexpr size_t kMaxApiKeyLength = 256;

// Extracts the token of an `Authorization: Bearer <token>` header value.
// Fails with kUnauthenticated if the scheme is not Bearer or the token is
// empty, too long or not an RFC 6750 b64token.
Result<std::string_view> ParseBearerToken(std::string_view authorization);

// Hashes the token and looks it up. kUnauthenticated for unknown keys;
// lookup failures other than kNotFound pass through.
Result<Principal> Authenticate(const ApiKeyLookup& lookup,
                               std::string_view authorization);

// Checks an (optional) principal against a route policy:
// kUnauthenticated when a key is required and absent, kPermissionDenied
// when its role is too low.
Status Authorize(Policy policy, const Principal* principal);

// Organization scope: a key of organization A may never act on
// organization B. kPermissionDenied otherwise.
Status CheckOrgScope(const Principal& principal, std::string_view org_id);

}  // namespace credstack::server
