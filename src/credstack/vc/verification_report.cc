#include "credstack/vc/verification_report.h"

namespace credstack::vc {

void VerificationReport::Add(std::string_view name, bool ok, std::string detail) {
  if (!ok) errors.push_back(std::string(name) + ": " + detail);
  checks.push_back(Check{std::string(name), ok, std::move(detail)});
}

void VerificationReport::Skip(std::string_view name, std::string_view because) {
  checks.push_back(Check{std::string(name), false, "not checked: " + std::string(because)});
}

const Check* VerificationReport::Find(std::string_view name) const {
  for (const auto& c : checks) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

void VerificationReport::Finish() {
  verified = !checks.empty();
  for (const auto& c : checks) verified = verified && c.ok;
}

json::Value VerificationReport::ToJson() const {
  json::Object out;
  out["verified"] = verified;
  if (!id.empty()) out["id"] = id;
  json::Array cs;
  for (const auto& c : checks) {
    json::Object o;
    o["name"] = c.name;
    o["ok"] = c.ok;
    o["detail"] = c.detail;
    cs.push_back(std::move(o));
  }
  out["checks"] = std::move(cs);
  json::Array es;
  for (const auto& e : errors) es.push_back(json::Value(e));
  out["errors"] = std::move(es);
  if (!warnings.empty()) {
    json::Array ws;
    for (const auto& w : warnings) ws.push_back(json::Value(w));
    out["warnings"] = std::move(ws);
  }
  return out;
}

}  // namespace credstack::vc
