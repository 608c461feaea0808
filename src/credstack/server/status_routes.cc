// Status list publishing and status changes (docs/status-log-api.md).
#include <string>

#include "credstack/server/status_log_routes.h"
#include "credstack/status/status_list.h"

namespace credstack::server {
namespace {

Response Problem422(const Request& req, std::string detail, std::string field) {
  Problem p = Problem::ForStatus(422, std::move(detail));
  p.instance = std::string(req.path());
  p.field = std::move(field);
  p.code = "invalid_argument";
  return Response::FromProblem(p);
}

std::string Actor(const Request& req) {
  const Principal* p = req.principal();
  return p ? "api-key:" + p->key_id : "anonymous";
}

json::Value ChangeJson(const app::StatusChangeResult& r) {
  json::Object o;
  o["credentialId"] = r.credential_id;
  o["statusPurpose"] = std::string(store::StatusPurposeName(r.purpose));
  o["statusListCredential"] = r.list_url;
  o["statusListIndex"] = std::to_string(r.index);
  o["oldValue"] = r.old_value;
  o["newValue"] = r.new_value;
  o["changed"] = r.changed;
  if (r.event_id >= 0) o["eventId"] = r.event_id;
  if (r.log_seq >= 0) o["logIndex"] = r.log_seq;
  return o;
}

Response ChangeResponse(const Result<app::StatusChangeResult>& r) {
  if (!r.ok()) return Response::FromStatus(r.error(), StatusContext::kValidation);
  return Response::Json(200, ChangeJson(*r));
}

// {"action": "revoke"|"suspend"|"unsuspend"|"set", "purpose"?, "value"?,
//  "reason"?}
Result<app::StatusChangeRequest> ParseChange(const json::Object& body) {
  app::StatusChangeRequest c;
  auto action = json::GetString(body, "action");
  if (!action) return InvalidArgumentError("action is required");
  CREDSTACK_ASSIGN_OR_RETURN(c.action, app::ParseStatusAction(*action));
  if (const json::Value* p = body.if_contains("purpose")) {
    if (!p->is_string()) return InvalidArgumentError("purpose must be a string");
    CREDSTACK_ASSIGN_OR_RETURN(store::StatusPurpose purpose,
                               store::ParseStatusPurpose(p->get_string()));
    c.purpose = purpose;
  }
  if (const json::Value* v = body.if_contains("value")) {
    if (v->is_int64()) {
      c.value = v->as_int64();
    } else if (v->is_string()) {
      auto parsed = status::ParseStatusHex(v->get_string());
      if (!parsed || *parsed > 0xffff) return InvalidArgumentError("value must be 0x<hex>");
      c.value = static_cast<int64_t>(*parsed);
    } else {
      return InvalidArgumentError("value must be an integer or \"0x<hex>\"");
    }
  }
  if (const json::Value* r = body.if_contains("reason")) {
    if (!r->is_string()) return InvalidArgumentError("reason must be a string");
    c.reason = std::string(r->get_string());
  }
  return c;
}

}  // namespace

Status AddStatusRoutes(Router& router, std::shared_ptr<app::StatusService> status) {
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/status/{list}",
      .handler =
          [status](Request& req) {
            auto p = status->GetListCredential(req.PathParameter("list"));
            if (!p.ok()) return Response::FromStatus(p.error());
            const app::PublishedStatusList& list = **p;
            Response r;
            std::string cache = "public, max-age=" + std::to_string(list.ttl_ms / 1000);
            if (req.Header("If-None-Match") == list.etag) {
              r.status = 304;
            } else {
              r = Response::Raw(200, list.body, "application/vc+ld+json");
              if (req.Header("Accept").find("application/json") != std::string_view::npos &&
                  req.Header("Accept").find("ld+json") == std::string_view::npos) {
                r.content_type = "application/json";
              }
            }
            r.AddHeader("ETag", list.etag);
            r.AddHeader("Cache-Control", cache);
            r.AddHeader("Last-Modified", FormatDateTime(list.updated));
            return r;
          },
      .policy = Policy::kPublic,
      .summary = "The signed BitstringStatusListCredential of a status list",
      .tag = "status",
      .produces = {"application/vc+ld+json", "application/json"},
      .blocking = true}));

  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kPost,
      .pattern = "/status/{list}/publish",
      .handler =
          [status](Request& req) {
            // Lists are re-published as soon as they change; this endpoint
            // (driven by the W3C suite's helpers) only checks access.
            const Principal* who = req.principal();
            std::string org;
            Status s = status->context().store->Read([&](store::Tx& tx) -> Status {
              CREDSTACK_ASSIGN_OR_RETURN(store::StatusList l,
                                         tx.status_lists().Get(req.PathParameter("list")));
              org = l.org_id;
              return OkStatus();
            });
            if (!s.ok()) return Response::FromStatus(s);
            if (Status scope = CheckOrgScope(*who, org); !scope.ok()) {
              return Response::FromStatus(scope);
            }
            return Response::NoContent();
          },
      .policy = Policy::kIssuer,
      .summary = "Publish a status list now (no-op: lists publish on change)",
      .tag = "status",
      .consumes = {"application/json"},
      .produces = {},
      .success_status = 204,
      .blocking = true}));

  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/api/v1/orgs/{org}/credentials/{id}/status",
      .handler =
          [status](Request& req) {
            auto v = status->GetCredentialStatus(req.PathParameter("org"), req.PathParameter("id"));
            if (!v.ok()) return Response::FromStatus(v.error());
            return Response::Json(200, v->ToJson());
          },
      .policy = Policy::kViewer,
      .summary = "A credential's status entries and status history",
      .tag = "status",
      .blocking = true}));

  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kPost,
      .pattern = "/api/v1/orgs/{org}/credentials/{id}/status",
      .handler =
          [status](Request& req) {
            Result<json::Value> body = ParseJsonBody(req);
            if (!body.ok()) return Response::FromStatus(body.error(), StatusContext::kRequestBody);
            if (!body->is_object()) return Problem422(req, "body must be a JSON object", "");
            auto change = ParseChange(body->as_object());
            if (!change.ok()) return Problem422(req, change.error().message(), "");
            change->org_id = std::string(req.PathParameter("org"));
            change->credential_id = std::string(req.PathParameter("id"));
            change->actor = Actor(req);
            return ChangeResponse(status->ChangeStatus(*change));
          },
      .policy = Policy::kIssuer,
      .summary = "Revoke, suspend, unsuspend or set the status of a credential",
      .tag = "status",
      .consumes = {"application/json"},
      .blocking = true}));

  // W3C VC-API "Update Status": {credentialId, credentialStatus: {type,
  // statusPurpose, status?}} (object or array). status false/0 clears the
  // entry (suspension only), a number or "0x.." sets a message value,
  // otherwise the entry is set.
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kPost,
      .pattern = "/credentials/status",
      .handler =
          [status](Request& req) {
            Result<json::Value> body = ParseJsonBody(req);
            if (!body.ok()) return Response::FromStatus(body.error(), StatusContext::kRequestBody);
            const json::Object* o = body->if_object();
            auto id = o ? json::GetString(*o, "credentialId") : std::nullopt;
            if (!id) return Problem422(req, "credentialId is required", "credentialId");
            const json::Value* cs = o->if_contains("credentialStatus");
            if (!cs || !(cs->is_object() || cs->is_array())) {
              return Problem422(req, "credentialStatus is required", "credentialStatus");
            }
            auto org = status->CredentialOrg(*id);
            if (!org.ok()) return Response::FromStatus(org.error());
            if (Status scope = CheckOrgScope(*req.principal(), *org); !scope.ok()) {
              // Do not reveal another organization's credential.
              return Response::FromStatus(NotFoundError("no such credential"));
            }
            std::vector<const json::Value*> items;
            if (cs->is_array()) {
              for (const json::Value& v : cs->get_array()) items.push_back(&v);
            } else {
              items.push_back(cs);
            }
            json::Array results;
            for (const json::Value* item : items) {
              const json::Object* io = item->if_object();
              auto purpose_name = io ? json::GetString(*io, "statusPurpose") : std::nullopt;
              if (!purpose_name) return Problem422(req, "statusPurpose is required", "statusPurpose");
              auto purpose = store::ParseStatusPurpose(*purpose_name);
              if (!purpose.ok()) return Problem422(req, purpose.error().message(), "statusPurpose");
              app::StatusChangeRequest c;
              c.org_id = *org;
              c.credential_id = std::string(*id);
              c.purpose = *purpose;
              c.actor = Actor(req);
              c.reason = std::string(json::GetString(*o, "reason").value_or("VC-API status update"));
              const json::Value* st = io->if_contains("status");
              bool clear = st && ((st->is_bool() && !st->as_bool()) ||
                                  (st->is_int64() && st->as_int64() == 0));
              if (*purpose == store::StatusPurpose::kMessage) {
                c.action = app::StatusAction::kSet;
                if (st && st->is_int64()) c.value = st->as_int64();
                if (st && st->is_string()) {
                  auto v = status::ParseStatusHex(st->get_string());
                  if (!v) return Problem422(req, "status must be 0x<hex>", "status");
                  c.value = static_cast<int64_t>(*v);
                }
              } else if (*purpose == store::StatusPurpose::kRevocation) {
                if (clear) return Problem422(req, "revocation is not reversible", "status");
                c.action = app::StatusAction::kRevoke;
              } else {
                c.action = clear ? app::StatusAction::kUnsuspend : app::StatusAction::kSuspend;
              }
              auto r = status->ChangeStatus(c);
              if (!r.ok()) return Response::FromStatus(r.error(), StatusContext::kValidation);
              results.push_back(ChangeJson(*r));
            }
            json::Object out;
            out["credentialId"] = std::string(*id);
            out["results"] = std::move(results);
            return Response::Json(200, out);
          },
      .policy = Policy::kIssuer,
      .summary = "VC-API: update a credential's status",
      .tag = "vc-api",
      .consumes = {"application/json"},
      .blocking = true}));
  return OkStatus();
}

}  // namespace credstack::server
