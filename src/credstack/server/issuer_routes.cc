#include "credstack/server/issuer_routes.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <utility>

#include "credstack/app/demo.h"
#include "credstack/app/did_documents.h"
#include "credstack/base/uuid.h"
#include "credstack/server/credential_page.h"
#include "credstack/server/logger.h"
#include "credstack/server/negotiation.h"

namespace credstack::server {
namespace {

using app::IssuerServices;
using Services = std::shared_ptr<IssuerServices>;

const std::vector<std::string> kJson = {"application/json"};

// A problem for a failed use case. Messages of the form "$.a.b: ..." name
// the member at fault (RFC 9457 extension members "field" and "errors").
Response Fail(const Status& s, StatusContext ctx = StatusContext::kValidation) {
  Problem p = Problem::FromStatus(s, ctx);
  const std::string& m = s.message();
  if (p.status < 500 && m.rfind("$.", 0) == 0) {
    size_t colon = m.find(": ");
    if (colon != std::string::npos) {
      std::string path = m.substr(0, colon);
      p.field = path.substr(2);
      size_t cut = p.field.find_first_of(".[");
      if (cut != std::string::npos) p.field = p.field.substr(0, cut);
      p.errors.push_back({path, m.substr(colon + 2)});
    }
  }
  Response r = Response::FromProblem(p);
  if (r.status >= 500) r.log_detail = s.ToString();
  return r;
}

// Parses the body as a JSON object (400/413 otherwise).
Result<json::Object> BodyObject(const Request& req) {
  CREDSTACK_ASSIGN_OR_RETURN(json::Value v, ParseJsonBody(req));
  if (!v.is_object()) {
    return InvalidArgumentError("the request body must be a JSON object");
  }
  return std::move(v.as_object());
}

Response BodyFail(const Status& s) {
  return Fail(s, StatusContext::kRequestBody);
}

std::string Actor(const Request& req) {
  const Principal* p = req.principal();
  return p == nullptr ? std::string() : p->key_id;
}

bool IsOperator(const Request& req) {
  const Principal* p = req.principal();
  return p != nullptr && p->key_id == kOperatorKeyId && p->org_id.empty();
}

Response OperatorOnly() {
  return Fail(PermissionDeniedError(
      "only the operator token may manage organizations"));
}

// ?limit= (1..1000, default 100) and ?after=.
struct Page {
  std::string after;
  int64_t limit = 100;
};
Result<Page> PageOf(const Request& req) {
  Page p;
  if (auto a = req.Query("after")) p.after = std::string(*a);
  if (auto l = req.Query("limit")) {
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(l->data(), l->data() + l->size(), v);
    if (ec != std::errc() || ptr != l->data() + l->size() || v < 1 ||
        v > store::kMaxPageSize) {
      return InvalidArgumentError("$.limit: must be an integer 1..1000");
    }
    p.limit = v;
  }
  return p;
}

json::Object KeyJson(const app::PublicKeyInfo& k) {
  json::Object o;
  o["id"] = k.key_id;
  o["verificationMethod"] = k.verification_method;
  o["publicKeyMultibase"] = k.public_key_multibase;
  o["created"] = FormatDateTime(k.created);
  o["active"] = !k.retired.has_value();
  if (k.retired) o["retired"] = FormatDateTime(*k.retired);
  return o;
}

json::Object CredentialSummary(const app::PublicUrls& urls,
                               const store::Credential& c) {
  json::Object o;
  o["id"] = c.id;
  o["url"] = urls.CredentialUrl(app::CredentialUuid(c.id));
  o["achievementId"] = c.achievement_id;
  o["achievementVersion"] = c.achievement_version;
  o["recipientKind"] = store::RecipientKindName(c.recipient_kind);
  o["issued"] = FormatDateTime(c.issued);
  return o;
}

Response WithLocation(Response r, std::string location) {
  r.AddHeader("Location", std::move(location));
  return r;
}

Status AddOrgRoutes(Router& router, const Services& s) {
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kPost,
      .pattern = "/api/v1/orgs",
      .handler =
          [s](Request& req) {
            if (!IsOperator(req)) return OperatorOnly();
            Result<json::Object> body = BodyObject(req);
            if (!body) return BodyFail(body.error());
            auto created = s->orgs->Create(*body, Actor(req));
            if (!created) return Fail(created.error());
            json::Object out;
            out["organization"] = s->orgs->ToJson(created->org);
            json::Object key = app::ApiKeyToJson(created->admin_key.key);
            key["secret"] = created->admin_key.secret;
            out["apiKey"] = std::move(key);
            if (created->did_key) out["didKey"] = *created->did_key;
            return WithLocation(Response::Json(201, out),
                                "/api/v1/orgs/" + created->org.id);
          },
      .policy = Policy::kAdmin,
      .summary = "Create an organization (operator token); returns its first "
                 "admin API key once",
      .tag = "organizations",
      .consumes = kJson,
      .success_status = 201,
      .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(
      RouteSpec{.method = Method::kGet,
                .pattern = "/api/v1/orgs",
                .handler =
                    [s](Request& req) {
                      if (!IsOperator(req)) return OperatorOnly();
                      auto page = PageOf(req);
                      if (!page)
                        return Fail(page.error(), StatusContext::kDefault);
                      auto orgs = s->orgs->List(page->after, page->limit);
                      if (!orgs) return Fail(orgs.error());
                      json::Array list;
                      for (const auto& o : *orgs)
                        list.push_back(s->orgs->ToJson(o));
                      json::Object out;
                      out["organizations"] = std::move(list);
                      return Response::Json(200, out);
                    },
                .policy = Policy::kAdmin,
                .summary = "List organizations (operator token)",
                .tag = "organizations",
                .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(
      RouteSpec{.method = Method::kGet,
                .pattern = "/api/v1/me",
                .handler =
                    [s](Request& req) {
                      const Principal* p = req.principal();
                      json::Object out;
                      out["keyId"] = p->key_id;
                      out["role"] = RoleName(p->role);
                      if (IsOperator(req)) {
                        out["operator"] = true;
                        return Response::Json(200, out);
                      }
                      auto org = s->orgs->Get(p->org_id);
                      if (!org) return Fail(org.error());
                      out["organization"] = s->orgs->ToJson(*org);
                      return Response::Json(200, out);
                    },
                .policy = Policy::kViewer,
                .summary = "Who the API key belongs to (organization and role)",
                .tag = "organizations",
                .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(
      RouteSpec{.method = Method::kGet,
                .pattern = "/api/v1/orgs/{org}",
                .handler =
                    [s](Request& req) {
                      auto org = s->orgs->Get(req.PathParameter("org"));
                      if (!org) return Fail(org.error());
                      return Response::Json(200, s->orgs->ToJson(*org));
                    },
                .policy = Policy::kViewer,
                .summary = "Get an organization and its issuer profile",
                .tag = "organizations",
                .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kPut,
      .pattern = "/api/v1/orgs/{org}",
      .handler =
          [s](Request& req) {
            Result<json::Object> body = BodyObject(req);
            if (!body) return BodyFail(body.error());
            auto org = s->orgs->UpdateProfile(req.PathParameter("org"), *body,
                                              Actor(req));
            if (!org) return Fail(org.error());
            return Response::Json(200, s->orgs->ToJson(*org));
          },
      .policy = Policy::kAdmin,
      .summary = "Replace the organization's profile (new credentials carry "
                 "it; issued ones do not change)",
      .tag = "organizations",
      .consumes = kJson,
      .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/api/v1/orgs/{org}/keys",
      .handler =
          [s](Request& req) {
            std::string_view org_id = req.PathParameter("org");
            auto keys = s->keys->ListKeys(org_id);
            if (!keys) return Fail(keys.error());
            json::Array list;
            for (const auto& k : *keys) list.push_back(KeyJson(k));
            json::Object out;
            out["keys"] = std::move(list);
            return Response::Json(200, out);
          },
      .policy = Policy::kViewer,
      .summary = "List the organization's signing keys (public halves)",
      .tag = "keys",
      .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kPost,
      .pattern = "/api/v1/orgs/{org}/keys/rotate",
      .handler =
          [s](Request& req) {
            auto key = s->keys->Rotate(req.PathParameter("org"), Actor(req));
            if (!key) return Fail(key.error());
            s->documents->Invalidate();
            return Response::Json(201, KeyJson(*key));
          },
      .policy = Policy::kAdmin,
      .summary = "Rotate the signing key: a new key signs new credentials; "
                 "old keys stay in the DID document",
      .tag = "keys",
      .success_status = 201,
      .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kPost,
      .pattern = "/api/v1/orgs/{org}/did-key",
      .handler =
          [s](Request& req) {
            auto did = s->keys->EnableDidKey(req.PathParameter("org"));
            if (!did) return Fail(did.error());
            json::Object out;
            out["did"] = *did;
            return Response::Json(200, out);
          },
      .policy = Policy::kAdmin,
      .summary = "Give the organization a did:key issuer (idempotent)",
      .tag = "keys",
      .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/api/v1/orgs/{org}/api-keys",
      .handler =
          [s](Request& req) {
            auto keys = s->orgs->ListApiKeys(req.PathParameter("org"));
            if (!keys) return Fail(keys.error());
            json::Array list;
            for (const auto& k : *keys) list.push_back(app::ApiKeyToJson(k));
            json::Object out;
            out["apiKeys"] = std::move(list);
            return Response::Json(200, out);
          },
      .policy = Policy::kAdmin,
      .summary = "List API keys (never their secrets)",
      .tag = "api-keys",
      .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kPost,
      .pattern = "/api/v1/orgs/{org}/api-keys",
      .handler =
          [s](Request& req) {
            Result<json::Object> body = BodyObject(req);
            if (!body) return BodyFail(body.error());
            auto role_name = json::GetString(*body, "role");
            if (!role_name) {
              return Fail(InvalidArgumentError(
                  "$.role: required: admin, issuer or viewer"));
            }
            auto role = store::ParseApiKeyRole(*role_name);
            if (!role) {
              return Fail(InvalidArgumentError(
                  "$.role: must be admin, issuer or viewer"));
            }
            auto key = s->orgs->CreateApiKey(req.PathParameter("org"), *role,
                                             Actor(req));
            if (!key) return Fail(key.error());
            json::Object out = app::ApiKeyToJson(key->key);
            out["secret"] = key->secret;
            return Response::Json(201, out);
          },
      .policy = Policy::kAdmin,
      .summary = "Create an API key; the secret is in this response only",
      .tag = "api-keys",
      .consumes = kJson,
      .success_status = 201,
      .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kDelete,
      .pattern = "/api/v1/orgs/{org}/api-keys/{key}",
      .handler =
          [s](Request& req) {
            Status st = s->orgs->RevokeApiKey(
                req.PathParameter("org"), req.PathParameter("key"), Actor(req));
            if (!st.ok()) return Fail(st);
            return Response::NoContent();
          },
      .policy = Policy::kAdmin,
      .summary = "Revoke an API key",
      .tag = "api-keys",
      .produces = {},
      .success_status = 204,
      .blocking = true}));
  return OkStatus();
}

Status AddAchievementRoutes(Router& router, const Services& s) {
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kPost,
      .pattern = "/api/v1/orgs/{org}/achievements",
      .handler =
          [s](Request& req) {
            Result<json::Object> body = BodyObject(req);
            if (!body) return BodyFail(body.error());
            std::string_view org = req.PathParameter("org");
            auto v = s->achievements->Create(org, *body, Actor(req));
            if (!v) return Fail(v.error());
            return WithLocation(Response::Json(201, app::AchievementToJson(*v)),
                                "/api/v1/orgs/" + std::string(org) +
                                    "/achievements/" + v->achievement_id);
          },
      .policy = Policy::kIssuer,
      .summary = "Create an achievement (Open Badges 3.0 Achievement)",
      .tag = "achievements",
      .consumes = kJson,
      .success_status = 201,
      .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(
      RouteSpec{.method = Method::kGet,
                .pattern = "/api/v1/orgs/{org}/achievements",
                .handler =
                    [s](Request& req) {
                      auto page = PageOf(req);
                      if (!page)
                        return Fail(page.error(), StatusContext::kDefault);
                      auto list = s->achievements->List(
                          req.PathParameter("org"), page->after, page->limit);
                      if (!list) return Fail(list.error());
                      json::Array items;
                      for (const auto& v : *list)
                        items.push_back(app::AchievementToJson(v));
                      json::Object out;
                      out["achievements"] = std::move(items);
                      return Response::Json(200, out);
                    },
                .policy = Policy::kViewer,
                .summary = "List achievements (latest versions)",
                .tag = "achievements",
                .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/api/v1/orgs/{org}/achievements/{id}",
      .handler =
          [s](Request& req) {
            std::optional<int64_t> version;
            if (auto q = req.Query("version")) {
              int64_t v = 0;
              auto [ptr, ec] =
                  std::from_chars(q->data(), q->data() + q->size(), v);
              if (ec != std::errc() || ptr != q->data() + q->size() || v < 1) {
                return Fail(
                    InvalidArgumentError("$.version: must be an integer >= 1"),
                    StatusContext::kDefault);
              }
              version = v;
            }
            auto v = s->achievements->Get(req.PathParameter("org"),
                                          req.PathParameter("id"), version);
            if (!v) return Fail(v.error());
            return Response::Json(200, app::AchievementToJson(*v));
          },
      .policy = Policy::kViewer,
      .summary = "Get an achievement (?version=N for an older version)",
      .tag = "achievements",
      .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(
      RouteSpec{.method = Method::kPut,
                .pattern = "/api/v1/orgs/{org}/achievements/{id}",
                .handler =
                    [s](Request& req) {
                      Result<json::Object> body = BodyObject(req);
                      if (!body) return BodyFail(body.error());
                      auto v = s->achievements->Update(req.PathParameter("org"),
                                                       req.PathParameter("id"),
                                                       *body, Actor(req));
                      if (!v) return Fail(v.error());
                      return Response::Json(200, app::AchievementToJson(*v));
                    },
                .policy = Policy::kIssuer,
                .summary = "Edit an achievement: stores a new version; issued "
                           "credentials keep theirs",
                .tag = "achievements",
                .consumes = kJson,
                .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(
      RouteSpec{.method = Method::kGet,
                .pattern = "/api/v1/orgs/{org}/achievements/{id}/versions",
                .handler =
                    [s](Request& req) {
                      auto list = s->achievements->ListVersions(
                          req.PathParameter("org"), req.PathParameter("id"));
                      if (!list) return Fail(list.error());
                      json::Array items;
                      for (const auto& v : *list)
                        items.push_back(app::AchievementToJson(v));
                      json::Object out;
                      out["versions"] = std::move(items);
                      return Response::Json(200, out);
                    },
                .policy = Policy::kViewer,
                .summary = "All versions of an achievement, oldest first",
                .tag = "achievements",
                .blocking = true}));
  return OkStatus();
}

Status AddCredentialRoutes(Router& router, const Services& s) {
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kPost,
      .pattern = "/api/v1/orgs/{org}/credentials",
      .handler =
          [s](Request& req) {
            Result<json::Object> body = BodyObject(req);
            if (!body) return BodyFail(body.error());
            auto r = app::ParseIssueRequest(*body);
            if (!r) return Fail(r.error());
            r->org_id = std::string(req.PathParameter("org"));
            std::string_view header = req.Header("Idempotency-Key");
            if (!header.empty()) {
              if (header.size() > 256) {
                return Fail(InvalidArgumentError(
                    "Idempotency-Key header longer than 256 bytes"));
              }
              if (r->idempotency_key && *r->idempotency_key != header) {
                return Fail(InvalidArgumentError(
                    "$.idempotencyKey: differs from the Idempotency-Key "
                    "header"));
              }
              r->idempotency_key = std::string(header);
            }
            auto issued = s->issuance->Issue(*r);
            if (!issued) return Fail(issued.error());
            Response resp =
                Response::Json(issued->created ? 201 : 200, issued->credential,
                               "application/ld+json");
            resp.AddHeader("Location",
                           s->ctx->urls.CredentialUrl(
                               app::CredentialUuid(issued->record.id)));
            if (!issued->created) resp.AddHeader("Idempotent-Replayed", "true");
            return resp;
          },
      .policy = Policy::kIssuer,
      .summary = "Issue one credential (201; 200 when the idempotency key "
                 "was used before)",
      .tag = "credentials",
      .consumes = kJson,
      .produces = {"application/ld+json"},
      .success_status = 201,
      .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/api/v1/orgs/{org}/credentials",
      .handler =
          [s](Request& req) {
            auto page = PageOf(req);
            if (!page) return Fail(page.error(), StatusContext::kDefault);
            std::vector<store::Credential> list;
            std::string_view org = req.PathParameter("org");
            Status st = s->ctx->store->Read([&](store::Tx& tx) -> Status {
              CREDSTACK_ASSIGN_OR_RETURN(
                  list,
                  tx.credentials().ListByOrg(org, page->after, page->limit));
              return OkStatus();
            });
            if (!st.ok()) return Fail(st);
            json::Array items;
            for (const auto& c : list) {
              items.push_back(CredentialSummary(s->ctx->urls, c));
            }
            json::Object out;
            out["credentials"] = std::move(items);
            return Response::Json(200, out);
          },
      .policy = Policy::kViewer,
      .summary = "List issued credentials (?after=, ?limit=)",
      .tag = "credentials",
      .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/credentials/{id}",
      .handler =
          [s](Request& req) {
            std::string_view uuid = req.PathParameter("id");
            if (!IsUuid(uuid)) {
              return Fail(NotFoundError("no such credential"));
            }
            store::Credential c;
            std::string id = "urn:uuid:" + std::string(uuid);
            Status st = s->ctx->store->Read([&](store::Tx& tx) -> Status {
              CREDSTACK_ASSIGN_OR_RETURN(c, tx.credentials().GetPublic(id));
              return OkStatus();
            });
            if (st.code() == Code::kNotFound) {
              return Fail(NotFoundError("no such credential"));
            }
            if (!st.ok()) return Fail(st);
            std::optional<size_t> pick = NegotiateMediaType(
                req.Header("Accept"),
                {"application/ld+json", "application/json", "text/html"});
            if (req.Query("format") ==
                std::optional<std::string_view>("json")) {
              pick = 1;
            }
            if (!pick) {
              return Response::FromProblem(Problem::ForStatus(
                  406,
                  "not acceptable: offers application/ld+json, "
                  "application/json, text/html"));
            }
            Response r;
            if (*pick == 2) {
              r = Response::Raw(
                  200, RenderCredentialPage(s->ctx->urls, c, s->page_verifier.get()),
                  "text/html; charset=utf-8");
            } else {
              r = Response::Raw(
                  200, c.credential_json,
                  *pick == 0 ? "application/ld+json" : "application/json");
            }
            r.AddHeader("Vary", "Accept");
            r.AddHeader("Cache-Control", "public, max-age=60");
            return r;
          },
      .policy = Policy::kPublic,
      .summary = "A credential's public page: the credential (JSON) or a "
                 "readable page (HTML), by Accept",
      .tag = "credentials",
      .produces = {"application/ld+json", "application/json", "text/html"},
      .blocking = true}));
  return OkStatus();
}

Status AddDidRoutes(Router& router, const Services& s) {
  auto serve = [s](std::string_view url) {
    auto doc = s->documents->Resolve(url);
    if (!doc) {
      return doc.error().code() == Code::kNotFound
                 ? Fail(NotFoundError("no such DID document"))
                 : Fail(doc.error());
    }
    Response r = Response::Json(200, **doc, "application/did+json");
    r.AddHeader("Cache-Control", "public, max-age=300");
    return r;
  };
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/.well-known/did.json",
      .handler = [s,
                  serve](Request&) { return serve(s->ctx->urls.host_did()); },
      .policy = Policy::kPublic,
      .summary = "The host's did:web document",
      .tag = "did",
      .produces = {"application/did+json"}}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/issuers/{slug}/did.json",
      .handler =
          [s, serve](Request& req) {
            return serve(s->ctx->urls.IssuerDid(req.PathParameter("slug")));
          },
      .policy = Policy::kPublic,
      .summary = "An issuer's did:web document: every key, active and "
                 "retired (Multikey)",
      .tag = "did",
      .produces = {"application/did+json"},
      .blocking = true}));
  return OkStatus();
}

// Job-level settings from the query string of an upload.
Result<app::BulkJobOptions> JobOptionsFromQuery(const Request& req) {
  json::Object o;
  for (std::string_view k : {"achievementId", "validFrom", "validUntil",
                             "awardedDate", "cryptosuite"}) {
    if (auto v = req.Query(k)) o[k] = *v;
  }
  if (auto v = req.Query("achievementVersion")) {
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || ptr != v->data() + v->size() || n < 1) {
      return InvalidArgumentError(
          "$.achievementVersion: must be an integer >= 1");
    }
    o["achievementVersion"] = n;
  }
  if (!o.contains("achievementId")) {
    return InvalidArgumentError("$.achievementId: required query parameter");
  }
  return app::BulkJobOptionsFromJson(o);
}

json::Object RowJson(const store::JobRow& r) {
  json::Object o;
  o["row"] = r.row_number;
  o["rowKey"] = r.client_row_key;
  o["state"] = store::JobRowStateName(r.state);
  if (!r.error.empty()) o["error"] = r.error;
  if (r.credential_id) o["credentialId"] = *r.credential_id;
  return o;
}

Status AddJobRoutes(Router& router, const Services& s) {
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kPost,
      .pattern = "/api/v1/orgs/{org}/jobs",
      .handler =
          [s](Request& req) {
            auto options = JobOptionsFromQuery(req);
            if (!options) return Fail(options.error());
            std::array<char, 64> buf;
            std::string_view mt = MediaTypeOf(req.Header("Content-Type"), buf);
            app::BulkFormat format = mt == "text/csv"
                                         ? app::BulkFormat::kCsv
                                         : app::BulkFormat::kJsonLines;
            auto parsed =
                app::ParseBulkUpload(req.body(), format, s->bulk->limits());
            if (!parsed) return Fail(parsed.error());
            if (parsed->error_count > 0) {
              Problem p = Problem::ForStatus(
                  422, std::to_string(parsed->error_count) +
                           " invalid row(s); nothing was stored");
              p.code = "invalid_argument";
              for (const app::BulkRowError& e : parsed->errors) {
                std::string where = "line " + std::to_string(e.line);
                if (e.column > 0) where += ":" + std::to_string(e.column);
                p.errors.push_back({where, e.message});
              }
              p.extra["invalidRows"] = parsed->error_count;
              return Response::FromProblem(p);
            }
            auto job = s->bulk->Submit(req.PathParameter("org"), *options,
                                       std::move(*parsed), Actor(req));
            if (!job) return Fail(job.error());
            json::Object out = app::BulkJobToJson(job->job);
            out["duplicates"] = job->duplicates;
            return WithLocation(Response::Json(202, out),
                                "/api/v1/jobs/" + job->job.id);
          },
      .policy = Policy::kIssuer,
      .summary = "Bulk issuance: upload recipients (text/csv or "
                 "application/jsonl); ?achievementId=&validFrom=&... apply "
                 "to every row",
      .tag = "jobs",
      .consumes = {"text/csv", "application/jsonl", "application/x-ndjson",
                   "application/x-jsonlines"},
      .success_status = 202,
      .upload = true,
      .blocking = true}));
  auto get_job = [s](Request& req, std::string_view org_id) {
    auto job = s->bulk->Get(org_id, req.PathParameter("job"));
    if (!job) return Fail(job.error());
    return Response::Json(200, app::BulkJobToJson(*job));
  };
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/api/v1/jobs/{job}",
      .handler =
          [get_job](Request& req) {
            // Scoped by the key's organization: another organization's job
            // is "not found".
            return get_job(req, req.principal()->org_id);
          },
      .policy = Policy::kViewer,
      .summary = "A bulk job's status and progress (of the key's organization)",
      .tag = "jobs",
      .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(
      router.Add(RouteSpec{.method = Method::kGet,
                           .pattern = "/api/v1/orgs/{org}/jobs/{job}",
                           .handler =
                               [get_job](Request& req) {
                                 return get_job(req, req.PathParameter("org"));
                               },
                           .policy = Policy::kViewer,
                           .summary = "A bulk job's status and progress",
                           .tag = "jobs",
                           .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/api/v1/orgs/{org}/jobs",
      .handler =
          [s](Request& req) {
            auto page = PageOf(req);
            if (!page) return Fail(page.error(), StatusContext::kDefault);
            std::vector<store::BulkJob> jobs;
            std::string_view org = req.PathParameter("org");
            Status st = s->ctx->store->Read([&](store::Tx& tx) -> Status {
              CREDSTACK_ASSIGN_OR_RETURN(
                  jobs, tx.jobs().ListJobs(org, page->after, page->limit));
              return OkStatus();
            });
            if (!st.ok()) return Fail(st);
            json::Array items;
            for (const auto& j : jobs) items.push_back(app::BulkJobToJson(j));
            json::Object out;
            out["jobs"] = std::move(items);
            return Response::Json(200, out);
          },
      .policy = Policy::kViewer,
      .summary = "List bulk jobs",
      .tag = "jobs",
      .blocking = true}));
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/api/v1/orgs/{org}/jobs/{job}/rows",
      .handler =
          [s](Request& req) {
            std::optional<store::JobRowState> state;
            if (auto q = req.Query("state")) {
              auto st = store::ParseJobRowState(*q);
              if (!st) {
                return Fail(
                    InvalidArgumentError("$.state: pending, issued or failed"),
                    StatusContext::kDefault);
              }
              state = *st;
            }
            int64_t after = 0;
            if (auto q = req.Query("after")) {
              auto [ptr, ec] =
                  std::from_chars(q->data(), q->data() + q->size(), after);
              if (ec != std::errc() || ptr != q->data() + q->size()) {
                return Fail(
                    InvalidArgumentError("$.after: must be a row number"),
                    StatusContext::kDefault);
              }
            }
            auto page = PageOf(req);
            if (!page) return Fail(page.error(), StatusContext::kDefault);
            auto rows = s->bulk->Rows(req.PathParameter("org"),
                                      req.PathParameter("job"), state, after,
                                      page->limit);
            if (!rows) return Fail(rows.error());
            json::Array items;
            for (const auto& r : *rows) items.push_back(RowJson(r));
            json::Object out;
            out["rows"] = std::move(items);
            return Response::Json(200, out);
          },
      .policy = Policy::kViewer,
      .summary = "A bulk job's rows (?state=failed&after=ROW&limit=N)",
      .tag = "jobs",
      .blocking = true}));
  return OkStatus();
}

// VC-API POST /credentials/issue. Public in the route table because the
// operator may configure an open instance; otherwise an issuer key is
// checked here.
Status AddVcApiIssueRoute(Router& router, const Services& s,
                          std::string open_issuer) {
  return router.Add(RouteSpec{
      .method = Method::kPost,
      .pattern = "/credentials/issue",
      .handler =
          [s, open_issuer](Request& req) {
            std::string org_id;
            if (const Principal* p = req.principal()) {
              if (p->org_id.empty() || p->role < Role::kIssuer) {
                return Fail(PermissionDeniedError(
                    "issuing needs an API key with the issuer role"));
              }
              org_id = p->org_id;
            } else if (!open_issuer.empty()) {
              std::string slug = open_issuer;
              Status st = s->ctx->store->Read([&](store::Tx& tx) -> Status {
                CREDSTACK_ASSIGN_OR_RETURN(store::Organization org,
                                           tx.organizations().GetBySlug(slug));
                org_id = org.id;
                return OkStatus();
              });
              if (!st.ok()) {
                return Fail(FailedPreconditionError(
                    "the open VC-API issuer \"" + slug + "\" does not exist"));
              }
            } else {
              Response r = Fail(UnauthenticatedError(
                  "issuing needs an API key (Authorization: Bearer <key>)"));
              r.AddHeader("WWW-Authenticate", "Bearer");
              return r;
            }
            Result<json::Value> body = ParseJsonBody(req);
            if (!body) return BodyFail(body.error());
            auto issued = s->vc_api->Issue(org_id, *body);
            if (!issued) {
              // Bad input is 400/422, never a 5xx (the W3C suites check).
              Status e = issued.error();
              if (e.code() == Code::kPermissionDenied) {
                e = InvalidArgumentError(e.message());
              }
              return Fail(e);
            }
            json::Object out;
            out["verifiableCredential"] =
                std::move(issued->verifiable_credential);
            return Response::Json(201, out);
          },
      .policy = Policy::kPublic,
      .summary = "W3C VC-API: issue any VC 2.0/1.1 credential "
                 "({credential, options}); needs an issuer API key unless "
                 "an open issuer is configured",
      .tag = "vc-api",
      .consumes = {"application/json", "application/ld+json"},
      .success_status = 201,
      .blocking = true});
}

// GET /: the home page; lists the demo issuer when there is one.
Status AddHomeRoute(Router& router, const Services& s, std::string demo_slug,
                    std::string demo_source) {
  return router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/",
      .handler =
          [s, demo_slug, demo_source](Request&) {
            std::vector<HomeIssuer> issuers;
            if (!demo_slug.empty()) {
              HomeIssuer h;
              Status st = s->ctx->store->Read([&](store::Tx& tx) -> Status {
                CREDSTACK_ASSIGN_OR_RETURN(store::Organization org,
                                           tx.organizations().GetBySlug(demo_slug));
                json::Object profile = s->orgs->IssuerProfile(org);
                h.name = std::string(json::GetString(profile, "name").value_or(org.slug));
                h.did = s->ctx->urls.IssuerDid(org.slug);
                h.did_document_url = s->ctx->urls.IssuerDidDocumentUrl(org.slug);
                CREDSTACK_ASSIGN_OR_RETURN(auto achievements,
                                           tx.achievements().ListLatest(org.id, "", 50));
                for (const auto& v : achievements) {
                  Result<json::Value> a = json::Parse(v.achievement_json);
                  if (!a.has_value() || !a->is_object()) continue;
                  HomeIssuer::Achievement item;
                  item.name = json::GetString(a->as_object(), "name").value_or("");
                  item.description =
                      json::GetString(a->as_object(), "description").value_or("");
                  if (const json::Array* al = json::GetArray(a->as_object(), "alignment")) {
                    for (const json::Value& e : *al) {
                      if (!e.is_object()) continue;
                      item.skills.emplace_back(
                          json::GetString(e.as_object(), "targetName").value_or(""),
                          json::GetString(e.as_object(), "targetUrl").value_or(""));
                    }
                  }
                  h.achievements.push_back(std::move(item));
                }
                CREDSTACK_ASSIGN_OR_RETURN(auto creds, tx.credentials().ListByOrg(org.id, "", 10));
                for (const auto& c : creds) {
                  h.credential_urls.push_back(
                      s->ctx->urls.CredentialUrl(app::CredentialUuid(c.id)));
                }
                return OkStatus();
              });
              h.source = demo_source;
              if (st.ok()) issuers.push_back(std::move(h));
            }
            return Response::Raw(200, RenderHomePage(s->ctx->urls, issuers),
                                 "text/html; charset=utf-8");
          },
      .policy = Policy::kPublic,
      .summary = "Home page (HTML): the demo issuer, its achievements and links",
      .tag = "web",
      .produces = {"text/html"},
      .blocking = true});
}

}  // namespace

Status AddIssuerRoutes(Router& router, std::shared_ptr<IssuerServices> services,
                       std::shared_ptr<const app::VerificationService> verifier,
                       std::string vc_api_open_issuer) {
  CREDSTACK_RETURN_IF_ERROR(AddOrgRoutes(router, services));
  CREDSTACK_RETURN_IF_ERROR(AddAchievementRoutes(router, services));
  if (verifier) services->page_verifier = std::move(verifier);
  CREDSTACK_RETURN_IF_ERROR(AddCredentialRoutes(router, services));
  CREDSTACK_RETURN_IF_ERROR(AddDidRoutes(router, services));
  CREDSTACK_RETURN_IF_ERROR(AddJobRoutes(router, services));
  CREDSTACK_RETURN_IF_ERROR(
      AddVcApiIssueRoute(router, services, std::move(vc_api_open_issuer)));
  return OkStatus();
}

Result<std::shared_ptr<app::IssuerServices>> InstallIssuer(
    const ServerConfig& config, std::shared_ptr<app::AppContext> ctx,
    Router& router, ServerHooks& hooks) {
  if (!hooks.logger) {
    Result<LogLevel> level = ParseLogLevel(config.log_level);
    hooks.logger = std::make_shared<Logger>(level.value_or(LogLevel::kInfo));
  }
  if (!hooks.metrics) hooks.metrics = std::make_shared<Metrics>();
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return v == nullptr ? std::string() : std::string(v);
  };
  bool postgres = store::IsPostgresLocation(config.database_url);
  if (!config.data_dir.empty()) {
    // Generated secrets live here: owner-only.
    std::error_code ec;
    if (std::filesystem::create_directories(config.data_dir, ec)) {
      std::filesystem::permissions(config.data_dir,
                                   std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::replace, ec);
    }
  }
  app::SecretSources sources{.key_file = config.master_key_file,
                             .env_key = env("CREDSTACK_MASTER_KEY"),
                             .env_token = env("CREDSTACK_OPERATOR_TOKEN"),
                             .data_dir = config.data_dir};
  CREDSTACK_ASSIGN_OR_RETURN(app::LoadedMasterKey master,
                             app::LoadMasterKey(sources, *ctx->rng));
  if (master.origin == "generated") {
    hooks.logger->Warn(
        "generated a new master key; back it up: without it the issuer keys "
        "cannot be used",
        {{"path", master.path}});
  }
  if (postgres &&
      (master.origin == "generated" || master.origin == "data-dir")) {
    hooks.logger->Warn(
        "the master key is in this node's data directory; every node sharing "
        "the database needs the same key (--master-key-file or "
        "CREDSTACK_MASTER_KEY)",
        {{"path", master.path}});
  }
  CREDSTACK_ASSIGN_OR_RETURN(app::OperatorToken token,
                             app::LoadOperatorToken(sources, *ctx->rng));
  if (token.origin == "generated") {
    hooks.logger->Info("generated the operator token (creates organizations)",
                       {{"path", token.path}});
  }
  CREDSTACK_ASSIGN_OR_RETURN(std::string node_id,
                             app::LoadNodeId(config.data_dir, *ctx->rng));
  std::shared_ptr<Metrics> metrics = hooks.metrics;
  std::shared_ptr<Logger> logger = hooks.logger;
  // Bulk workers: two per core, so one signs while the other waits for its
  // commit (docs/benchmarks.md, issuer service).
  int workers = static_cast<int>(std::thread::hardware_concurrency());
  workers = std::clamp(workers * 2, 2, 16);
  app::IssuerServicesOptions options{
      .master_key = master.key,
      .operator_token_hash = token.hash,
      .issuance = {
          .on_issued = [metrics](uint64_t n) { metrics->CredentialsIssued(n); },
          // The credentials are issued; only what a listener does
          // with them (learners, pathway awards) failed.
          .on_listener_error =
              [logger](const Status& s) {
                logger->Warn("issued-credential listener failed",
                             {{"error", s.ToString()}});
              }},
      .bulk = {.workers = workers, .node_id = node_id}};
  CREDSTACK_ASSIGN_OR_RETURN(
      std::shared_ptr<app::IssuerServices> services,
      app::CreateIssuerServices(ctx, std::move(options)));

  // The operator token authenticates like an API key without organization.
  ApiKeyLookup keys = hooks.api_keys;
  crypto::Sha256Digest operator_hash = token.hash;
  hooks.api_keys = [keys, operator_hash](
                       const crypto::Sha256Digest& hash) -> Result<Principal> {
    if (hash == operator_hash) {
      return Principal{std::string(kOperatorKeyId), "", Role::kAdmin};
    }
    if (!keys) return NotFoundError("unknown API key");
    return keys(hash);
  };

  app::VerificationServiceOptions vopts;
  vopts.resolver = services->documents;
  auto verifier = std::make_shared<app::VerificationService>(std::move(vopts));
  CREDSTACK_RETURN_IF_ERROR(
      AddIssuerRoutes(router, services, verifier, config.vc_api_open_issuer));
  std::string demo_slug;
  std::string demo_source;
  if (config.demo) {
    CREDSTACK_ASSIGN_OR_RETURN(app::DemoInfo demo,
                               app::SetUpDemo(*services, config.data_dir));
    demo_slug = demo.org.slug;
    demo_source = demo.source;
    const std::string& base = ctx->urls.base();
    std::string banner =
        "\ncredstack demo is ready\n"
        "  open            " + base + "/\n"
        "  issuer          " + demo.issuer_did + "\n"
        "  organization    " + demo.org.id + "\n"
        "  API key         " + demo.api_key + "  (issuer role; kept in " +
        config.data_dir + "/demo.key)\n"
        "  sample          " + (demo.sample_credentials.empty() ? std::string("-")
                                : ctx->urls.CredentialUrl(app::CredentialUuid(
                                      demo.sample_credentials[0]))) + "\n"
        "  try             curl -s -H 'Authorization: Bearer " + demo.api_key + "' " +
        base + "/api/v1/orgs/" + demo.org.id + "/achievements\n"
        "  skills          " + demo.source + "\n\n";
    std::fputs(banner.c_str(), stdout);
    std::fflush(stdout);
  }
  CREDSTACK_RETURN_IF_ERROR(
      AddHomeRoute(router, services, std::move(demo_slug), std::move(demo_source)));
  // The bulk workers start once the application is assembled
  // (InstallApplication): a resumed job's rows must reach every
  // issued-credential listener.
  return services;
}

}  // namespace credstack::server
