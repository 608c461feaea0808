#pragma once

// The one place where a credstack Status Code becomes an HTTP status code
// (STYLE.md, "Errors"). Some codes depend on what failed, so callers name
// the context.

#include <string_view>

#include "credstack/base/status.h"

namespace credstack::server {

enum class StatusContext {
  // InvalidArgument → 400, FailedPrecondition → 409, ResourceExhausted → 413.
  kDefault,
  // Reading the request body: malformed syntax → 400, too large/deep → 413.
  kRequestBody,
  // Semantic validation of a well-formed body: InvalidArgument → 422.
  kValidation,
  // A conditional request (If-Match): FailedPrecondition → 412.
  kConditional,
  // A quota or rate limit: ResourceExhausted → 429.
  kQuota,
};

// InvalidArgument → 400/422, NotFound → 404, AlreadyExists → 409,
// FailedPrecondition → 409/412, Unauthenticated → 401,
// PermissionDenied → 403, ResourceExhausted → 413/429, Unavailable → 503,
// Unimplemented → 501, Internal/DataLoss → 500. kOk → 200.
int HttpStatusFor(Code code, StatusContext ctx = StatusContext::kDefault);

// The RFC 9110 reason phrase ("Not Found"); "Unknown" for unlisted codes.
std::string_view ReasonPhrase(int status);

}  // namespace credstack::server
