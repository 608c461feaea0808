#include "credstack/cli/api_call.h"

#include <cctype>
#include <cstdlib>

namespace credstack::cli {
namespace {

Code CodeFor(int http_status) {
  switch (http_status) {
    case 401: return Code::kUnauthenticated;
    case 403: return Code::kPermissionDenied;
    case 404: return Code::kNotFound;
    case 409: return Code::kAlreadyExists;
    default: return http_status >= 500 ? Code::kUnavailable : Code::kInvalidArgument;
  }
}

}  // namespace

Result<json::Value> CallJson(std::string_view base_url, const server::ApiRequest& request,
                             const server::ApiClientOptions& options) {
  CREDSTACK_ASSIGN_OR_RETURN(server::ApiResponse res,
                             server::CallApi(base_url, request, options));
  Result<json::Value> doc =
      json::Parse(res.body, json::ParseOptions{.max_size = options.max_response_bytes});
  if (res.status >= 200 && res.status < 300) {
    if (!doc.has_value()) {
      return DataLossError("the server answered " + std::to_string(res.status) +
                           " with a body that is not JSON");
    }
    return doc;
  }
  std::string msg = "server answered " + std::to_string(res.status);
  if (doc.has_value() && doc->is_object()) {
    const json::Object& p = doc->as_object();
    if (auto d = json::GetString(p, "detail")) msg += ": " + std::string(*d);
    if (const json::Array* errs = json::GetArray(p, "errors")) {
      for (const json::Value& e : *errs) {
        if (!e.is_object()) continue;
        const json::Object& o = e.as_object();
        msg += "\n  " + std::string(json::GetString(o, "path").value_or("")) + ": " +
               std::string(json::GetString(o, "message").value_or(""));
      }
    }
  }
  return Status(CodeFor(res.status), msg);
}

std::string FlagOrEnv(const std::string& value, const char* env) {
  if (!value.empty()) return value;
  const char* v = std::getenv(env);
  return v == nullptr ? std::string() : std::string(v);
}

std::string PercentEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace credstack::cli
