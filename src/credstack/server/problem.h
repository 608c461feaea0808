#pragma once

// RFC 9457 problem details: every error response of the server is one of
// these, serialized as application/problem+json.

#include <string>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/json/json.h"
#include "credstack/server/http_status.h"

namespace credstack::server {

inline constexpr std::string_view kProblemContentType =
    "application/problem+json";

// One entry of the "errors" extension: which part of the input is wrong.
struct ProblemError {
  std::string path;     // a JSON path ("$.recipient.email"), a field or row
  std::string message;  // human-readable
};

struct Problem {
  // RFC 9457 §3.1. "about:blank" means the HTTP status says it all; the
  // "code" extension then carries credstack's error code.
  std::string type = "about:blank";
  std::string title;  // defaults to the status' reason phrase
  int status = 500;
  std::string detail;
  std::string instance;  // the request path, set by the server if empty
  // Extensions (RFC 9457 §3.2), omitted when empty.
  std::string code;   // CodeName(), e.g. "invalid_argument"
  std::string field;  // the one field at fault
  std::vector<ProblemError> errors;
  json::Object extra;  // any further members

  // A problem for `status` with the given detail.
  static Problem ForStatus(int status, std::string detail);
  // Maps s per HttpStatusFor(). For 5xx codes the detail is a fixed generic
  // sentence: messages of internal failures never reach clients.
  static Problem FromStatus(const Status& s,
                            StatusContext ctx = StatusContext::kDefault);

  json::Value ToJson() const;
};

}  // namespace credstack::server
