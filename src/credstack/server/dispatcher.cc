#include "credstack/server/dispatcher.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <exception>

#include "credstack/server/negotiation.h"

namespace credstack::server {
namespace {

constexpr size_t kMaxRequestIdLength = 64;
constexpr size_t kMaxLoggedPath = 512;

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
              c == ':';
    if (!ok) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

Response UnauthorizedResponse(const Request& req, const Status& s,
                              bool invalid_token) {
  Response r = Dispatcher::ProblemResponse(req, 401, s.message());
  // RFC 6750 §3.
  r.AddHeader("WWW-Authenticate",
              invalid_token ? "Bearer error=\"invalid_token\"" : "Bearer");
  return r;
}

}  // namespace

Dispatcher::Dispatcher(const ServerConfig& config, ServerHooks hooks)
    : config_(config),
      hooks_(std::move(hooks)),
      ip_limiter_(config.ip_rate, hooks_.rate_clock),
      key_limiter_(config.key_rate, hooks_.rate_clock) {
  metrics_ = hooks_.metrics ? hooks_.metrics : std::make_shared<Metrics>();
  if (hooks_.logger) {
    logger_ = hooks_.logger;
  } else {
    Result<LogLevel> level = ParseLogLevel(config.log_level);
    logger_ = std::make_shared<Logger>(level.value_or(LogLevel::kInfo));
  }
  char prefix[32];
  std::snprintf(
      prefix, sizeof prefix, "%x%05x-",
      static_cast<unsigned>(::getpid()) & 0xffff,
      static_cast<unsigned>(
          std::chrono::steady_clock::now().time_since_epoch().count() &
          0xfffff));
  request_id_prefix_ = prefix;
}

Result<std::unique_ptr<Dispatcher>> Dispatcher::Create(
    const ServerConfig& config, Router router, ServerHooks hooks) {
  std::unique_ptr<Dispatcher> d(new Dispatcher(config, std::move(hooks)));
  d->router_ = std::move(router);
  CREDSTACK_RETURN_IF_ERROR(d->AddOperationalRoutes());
  std::vector<std::string> labels;
  for (const auto& r : d->router_.routes()) labels.push_back(r->spec.pattern);
  d->metrics_->SetRoutes(labels);
  d->openapi_json_ =
      json::Serialize(BuildOpenApi(d->router_, d->hooks_.openapi));
  return d;
}

Status Dispatcher::AddOperationalRoutes() {
  CREDSTACK_RETURN_IF_ERROR(router_.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/healthz",
      .handler =
          [](Request&) {
            return Response::Raw(200, "{\"status\":\"ok\"}",
                                 "application/json");
          },
      .summary = "Liveness: the process is up",
      .tag = "operations",
      .rate_limited = false,
  }));
  CREDSTACK_RETURN_IF_ERROR(router_.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/readyz",
      .handler =
          [this](Request& req) {
            if (draining_.load(std::memory_order_relaxed)) {
              return ProblemResponse(req, 503, "the server is shutting down");
            }
            if (hooks_.readiness) {
              Status s = hooks_.readiness();
              if (!s.ok()) {
                Response r = ProblemResponse(req, 503, "not ready");
                r.log_detail = s.ToString();
                return r;
              }
            }
            return Response::Raw(200, "{\"status\":\"ready\"}",
                                 "application/json");
          },
      .summary = "Readiness: dependencies (database) are reachable",
      .tag = "operations",
      .rate_limited = false,
  }));
  CREDSTACK_RETURN_IF_ERROR(router_.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/metrics",
      .handler =
          [this](Request&) {
            return Response::Raw(200, metrics_->Render(),
                                 "text/plain; version=0.0.4; charset=utf-8");
          },
      .summary = "Prometheus metrics",
      .tag = "operations",
      .produces = {"text/plain"},
      .rate_limited = false,
  }));
  CREDSTACK_RETURN_IF_ERROR(router_.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/api/v1/openapi.json",
      .handler =
          [this](Request&) {
            return Response::Raw(200, openapi_json_, "application/json");
          },
      .summary = "This OpenAPI 3.1 document",
      .tag = "operations",
  }));
  if (config_.enable_echo) {
    CREDSTACK_RETURN_IF_ERROR(router_.Add(RouteSpec{
        .method = Method::kPost,
        .pattern = "/debug/echo",
        .handler =
            [](Request& req) {
              std::string_view ct = req.Header("Content-Type");
              return Response::Raw(
                  200, std::string(req.body()),
                  ct.empty() ? "application/octet-stream" : std::string(ct));
            },
        .summary = "Echoes the request body (load tests; --enable-echo)",
        .tag = "operations",
        .produces = {"application/octet-stream"},
        .rate_limited = false,
    }));
  }
  return OkStatus();
}

std::string Dispatcher::NextRequestId() {
  uint64_t n = request_counter_.fetch_add(1, std::memory_order_relaxed);
  char buf[24];
  int len = std::snprintf(buf, sizeof buf, "%llx",
                          static_cast<unsigned long long>(n));
  std::string id = request_id_prefix_;
  id.append(buf, len > 0 ? static_cast<size_t>(len) : 0);
  return id;
}

Response Dispatcher::ProblemResponse(const Request& req, int status,
                                     std::string detail) {
  Problem p = Problem::ForStatus(status, std::move(detail));
  p.instance = std::string(req.path());
  return Response::FromProblem(p);
}

Dispatcher::Prepared Dispatcher::Prepare(Request& req, bool has_body) {
  Prepared out;
  std::string_view rid = req.Header("X-Request-Id");
  req.set_request_id(IsValidRequestId(rid) ? std::string(rid)
                                           : NextRequestId());
  if (config_.trust_proxy) {
    std::string_view xff = req.Header("X-Forwarded-For");
    if (!xff.empty()) {
      size_t comma = xff.rfind(',');
      std::string_view last =
          Trim(comma == std::string_view::npos ? xff : xff.substr(comma + 1));
      if (!last.empty() && last.size() <= 64) {
        req.set_client_ip(std::string(last));
      }
    }
  }

  Result<std::vector<std::string>> segments = req.ParseTarget(kMaxPathSegments);
  if (!segments.has_value()) {
    out.early = ProblemResponse(req, 400, segments.error().message());
    return out;
  }
  if (req.method() == Method::kOther) {
    // RFC 9110 §9.1: an unrecognized method gets 501.
    out.early = ProblemResponse(req, 501, "unsupported HTTP method");
    return out;
  }
  RouteMatch m = router_.Find(req.method(), *segments);
  switch (m.kind) {
    case RouteMatch::Kind::kNotFound:
      out.early = ProblemResponse(req, 404, "no such resource");
      return out;
    case RouteMatch::Kind::kMethodNotAllowed: {
      Response r = ProblemResponse(
          req, 405,
          std::string(MethodName(req.method())) + " is not allowed here");
      r.AddHeader("Allow", m.allow);
      out.early = std::move(r);
      return out;
    }
    case RouteMatch::Kind::kOptions: {
      Response r = Response::NoContent();
      r.AddHeader("Allow", m.allow);
      out.early = std::move(r);
      return out;
    }
    case RouteMatch::Kind::kFound:
      break;
  }
  const Route& route = *m.route;
  req.set_route(route.spec.pattern);
  req.set_path_params(std::move(m.params));

  // Authentication: a key, when sent, must be valid, even on public routes.
  std::string_view authorization = req.Header("Authorization");
  if (!authorization.empty()) {
    Result<Principal> p = Authenticate(hooks_.api_keys, authorization);
    if (!p.has_value()) {
      if (p.error().code() == Code::kUnauthenticated) {
        out.early = UnauthorizedResponse(req, p.error(), true);
      } else {
        out.early = Response::FromStatus(p.error());
        out.early->log_detail = "API key lookup: " + p.error().ToString();
      }
      return out;
    }
    req.set_principal(std::move(*p));
  }
  if (Status s = Authorize(route.spec.policy, req.principal()); !s.ok()) {
    out.early = s.code() == Code::kUnauthenticated
                    ? UnauthorizedResponse(req, s, false)
                    : ProblemResponse(req, 403, s.message());
    return out;
  }
  if (route.org_scoped && route.spec.policy != Policy::kPublic) {
    Status s = CheckOrgScope(*req.principal(), req.PathParameter("org"));
    if (!s.ok()) {
      out.early = ProblemResponse(req, 403, s.message());
      return out;
    }
  }

  if (route.spec.rate_limited) {
    RateDecision d;
    if (const Principal* p = req.principal()) {
      d = key_limiter_.Acquire(p->key_id);
    } else {
      d = ip_limiter_.Acquire(req.client_ip());
    }
    if (!d.allowed) {
      Response r =
          ProblemResponse(req, 429, "rate limit exceeded; retry later");
      r.AddHeader("Retry-After", std::to_string(d.retry_after_seconds));
      out.early = std::move(r);
      return out;
    }
  }

  if (has_body && !route.spec.consumes.empty()) {
    std::array<char, 128> buf;
    std::string_view mt = MediaTypeOf(req.Header("Content-Type"), buf);
    bool ok = false;
    for (const std::string& c : route.spec.consumes) {
      if (mt == c) ok = true;
    }
    if (!ok) {
      std::string accepted;
      for (const std::string& c : route.spec.consumes) {
        if (!accepted.empty()) accepted += ", ";
        accepted += c;
      }
      Response r = ProblemResponse(
          req, 415,
          mt.empty() ? "missing Content-Type; send " + accepted
                     : "unsupported Content-Type " + std::string(mt) +
                           "; send " + accepted);
      r.AddHeader("Accept-Post", accepted);  // RFC 9110 §15.5.16 hint
      out.early = std::move(r);
      return out;
    }
  }

  out.route = &route;
  out.body_limit = route.spec.max_body != 0 ? route.spec.max_body
                   : route.spec.upload      ? config_.max_upload
                                            : config_.max_body;
  return out;
}

Response Dispatcher::Execute(const Route& route, Request& req) {
  Response r;
  // The per-request wrapper: the only place besides main() that catches
  // everything (STYLE.md, "Errors").
  try {
    r = route.spec.handler(req);
  } catch (const std::exception& e) {
    r = ProblemResponse(req, 500, "an internal error occurred");
    r.log_detail = std::string("handler threw: ") + e.what();
  } catch (...) {
    r = ProblemResponse(req, 500, "an internal error occurred");
    r.log_detail = "handler threw a non-standard exception";
  }
  if (r.status < 100 || r.status > 599) {
    r = ProblemResponse(req, 500, "an internal error occurred");
    r.log_detail = "handler returned an invalid status";
  }
  if (r.content_type == kProblemContentType && r.body.size() > 2 &&
      r.body.find("\"instance\"") == std::string::npos) {
    // Problems built from a Status lack the instance; add the path.
    Result<json::Value> v = json::Parse(r.body);
    if (v.has_value() && v->is_object()) {
      v->as_object()["instance"] = std::string(req.path());
      r.body = json::Serialize(*v);
    }
  }
  return r;
}

void Dispatcher::Record(const Request& req, const Route* route, int status,
                        std::chrono::steady_clock::duration elapsed,
                        size_t bytes_in, size_t bytes_out,
                        std::string_view log_detail) {
  double seconds = std::chrono::duration<double>(elapsed).count();
  metrics_->RecordRequest(route ? route->id : metrics_->unmatched_route(),
                          MethodName(req.method()), status, seconds);
  if (status >= 500 && logger_->Enabled(LogLevel::kError)) {
    logger_->Error("request failed",
                   {{"request_id", req.request_id()},
                    {"route", route ? std::string_view(route->spec.pattern)
                                    : std::string_view("unmatched")},
                    {"status", status},
                    {"detail", log_detail}});
  }
  if (!logger_->Enabled(LogLevel::kInfo)) return;
  // Never the query: it is not ours to log.
  std::string_view path = req.path().empty() ? req.target() : req.path();
  path = path.substr(0, path.find('?'));
  if (path.size() > kMaxLoggedPath) path = path.substr(0, kMaxLoggedPath);
  const Principal* p = req.principal();
  logger_->Info(
      "request",
      {{"request_id", req.request_id()},
       {"method", MethodName(req.method())},
       {"path", path},
       {"route", route ? std::string_view(route->spec.pattern)
                       : std::string_view("unmatched")},
       {"status", status},
       {"duration_ms", seconds * 1000},
       {"bytes_in", static_cast<uint64_t>(bytes_in)},
       {"bytes_out", static_cast<uint64_t>(bytes_out)},
       {"client_ip", req.client_ip()},
       {"key_id", p ? std::string_view(p->key_id) : std::string_view()}});
}

}  // namespace credstack::server
