#include "credstack/server/problem.h"

#include <utility>

namespace credstack::server {

Problem Problem::ForStatus(int status, std::string detail) {
  Problem p;
  p.status = status;
  p.title = std::string(ReasonPhrase(status));
  p.detail = std::move(detail);
  return p;
}

Problem Problem::FromStatus(const Status& s, StatusContext ctx) {
  int http = HttpStatusFor(s.code(), ctx);
  Problem p;
  p.status = http;
  p.title = std::string(ReasonPhrase(http));
  p.code = std::string(CodeName(s.code()));
  if (http >= 500) {
    // The message of an internal failure may name files, SQL or hosts.
    p.detail = http == 503   ? "the service is temporarily unavailable"
               : http == 501 ? "this operation is not implemented"
                             : "an internal error occurred";
  } else {
    p.detail = s.message();
  }
  return p;
}

json::Value Problem::ToJson() const {
  json::Object o;
  o["type"] = type;
  o["title"] = title.empty() ? std::string(ReasonPhrase(status)) : title;
  o["status"] = status;
  if (!detail.empty()) o["detail"] = detail;
  if (!instance.empty()) o["instance"] = instance;
  if (!code.empty()) o["code"] = code;
  if (!field.empty()) o["field"] = field;
  if (!errors.empty()) {
    json::Array a;
    a.reserve(errors.size());
    for (const ProblemError& e : errors) {
      json::Object eo;
      eo["path"] = e.path;
      eo["message"] = e.message;
      a.emplace_back(std::move(eo));
    }
    o["errors"] = std::move(a);
  }
  for (const auto& kv : extra) {
    if (!o.contains(kv.key())) o[kv.key()] = kv.value();
  }
  return o;
}

}  // namespace credstack::server
