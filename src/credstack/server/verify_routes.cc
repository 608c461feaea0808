#include "credstack/server/verify_routes.h"

#include <optional>

namespace credstack::server {
namespace {

constexpr std::string_view kJsonTypes[] = {"application/json",
                                           "application/ld+json"};

std::vector<std::string> JsonTypes() {
  return {std::begin(kJsonTypes), std::end(kJsonTypes)};
}

// A failed verification as problem+json with the report's members.
Response FailedVerification(const Request& req, const json::Value& report,
                            std::string detail) {
  Problem p = Problem::ForStatus(400, std::move(detail));
  p.instance = std::string(req.path());
  const json::Object& r = report.as_object();
  p.extra["verified"] = false;
  if (const json::Value* checks = r.if_contains("checks")) {
    p.extra["checks"] = *checks;
    for (const json::Value& c : checks->as_array()) {
      const json::Object& co = c.as_object();
      const json::Value* ok = co.if_contains("ok");
      if (ok != nullptr && ok->is_bool() && ok->as_bool()) continue;
      auto name = json::GetString(co, "name");
      auto detail_text = json::GetString(co, "detail");
      p.errors.push_back({std::string(name.value_or("")),
                          std::string(detail_text.value_or(""))});
    }
  }
  if (const json::Value* creds = r.if_contains("credentialResults")) {
    p.extra["credentialResults"] = *creds;
  }
  return Response::FromProblem(p);
}

Response BadRequest(const Request& req, std::string detail,
                    std::string field = "") {
  Problem p = Problem::ForStatus(400, std::move(detail));
  p.instance = std::string(req.path());
  p.field = std::move(field);
  p.extra["verified"] = false;
  return Response::FromProblem(p);
}

// The first failed check's detail, for the problem's "detail".
std::string FirstError(const vc::VerificationReport& r) {
  if (!r.errors.empty()) return r.errors.front();
  return "the credential did not verify";
}

// A VC-API request body: a JSON object whose `member` is an object. On
// success `member` points into *body; otherwise the 400/413 to answer.
std::optional<Response> ReadVcApiBody(const Request& req, Result<json::Value>& body,
                                      std::string_view member, const json::Value*& out) {
  if (!body.has_value()) {
    if (body.error().code() == Code::kResourceExhausted) {
      return Response::FromStatus(body.error(), StatusContext::kRequestBody);
    }
    return BadRequest(req, body.error().message());
  }
  const json::Object* o = body->if_object();
  out = o != nullptr ? o->if_contains(member) : nullptr;
  if (out == nullptr || !out->is_object()) {
    return BadRequest(req, std::string(member) + " must be a JSON object", std::string(member));
  }
  return std::nullopt;
}

}  // namespace

Status AddVerifyRoutes(
    Router& router, std::shared_ptr<const app::VerificationService> service) {
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kPost,
      .pattern = "/api/v1/verify",
      .handler =
          [service](Request& req) {
            // Same report as the CLI, whatever the input: a credential that
            // does not verify (or does not parse) is a result, not an error.
            vc::VerificationReport r =
                service->VerifyCredentialText(req.body());
            return Response::Json(200, r.ToJson());
          },
      .policy = Policy::kPublic,
      .summary = "Verify any credential; returns the verification report",
      .tag = "verification",
      .consumes = JsonTypes(),
  }));
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kPost,
      .pattern = "/credentials/verify",
      .handler =
          [service](Request& req) {
            Result<json::Value> body = ParseJsonBody(req);
            const json::Value* vc = nullptr;
            if (auto bad = ReadVcApiBody(req, body, "verifiableCredential", vc)) {
              return std::move(*bad);
            }
            vc::VerificationReport r = service->VerifyCredential(*vc);
            json::Value report = r.ToJson();
            if (!r.verified) {
              return FailedVerification(req, report, FirstError(r));
            }
            return Response::Json(200, report);
          },
      .policy = Policy::kPublic,
      .summary = "W3C VC-API: verify a credential",
      .tag = "vc-api",
      .consumes = JsonTypes(),
  }));
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kPost,
      .pattern = "/presentations/verify",
      .handler =
          [service](Request& req) {
            Result<json::Value> body = ParseJsonBody(req);
            const json::Value* vp = nullptr;
            if (auto bad = ReadVcApiBody(req, body, "verifiablePresentation", vp)) {
              return std::move(*bad);
            }
            const json::Object* o = &body->as_object();
            std::optional<std::string> challenge, domain;
            if (const json::Value* opts = o->if_contains("options")) {
              if (!opts->is_object()) {
                return BadRequest(req, "options must be a JSON object",
                                  "options");
              }
              const json::Object& oo = opts->as_object();
              if (const json::Value* c = oo.if_contains("challenge")) {
                if (!c->is_string()) {
                  return BadRequest(req, "options.challenge must be a string",
                                    "options.challenge");
                }
                challenge = std::string(c->as_string());
              }
              if (const json::Value* d = oo.if_contains("domain")) {
                if (!d->is_string()) {
                  return BadRequest(req, "options.domain must be a string",
                                    "options.domain");
                }
                domain = std::string(d->as_string());
              }
            }
            vc::PresentationReport r =
                service->VerifyPresentation(*vp, challenge, domain);
            json::Value report = r.ToJson();
            if (!r.verified) {
              std::string detail =
                  !r.presentation.errors.empty()
                      ? r.presentation.errors.front()
                      : "an embedded credential did not verify";
              return FailedVerification(req, report, detail);
            }
            return Response::Json(200, report);
          },
      .policy = Policy::kPublic,
      .summary = "W3C VC-API: verify a presentation (authentication proof, "
                 "challenge, domain, every credential)",
      .tag = "vc-api",
      .consumes = JsonTypes(),
  }));
  return OkStatus();
}

}  // namespace credstack::server
