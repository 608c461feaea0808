// Per-request costs of the HTTP pipeline without sockets (wrk measures the
// rest; see docs/benchmarks.md).
#include <benchmark/benchmark.h>

#include "credstack/server/dispatcher.h"
#include "credstack/server/negotiation.h"

namespace credstack::server {
namespace {

Router ApiLikeRouter() {
  Router r;
  auto h = [](Request&) { return Response::NoContent(); };
  for (std::string p :
       {"/api/v1/orgs", "/api/v1/orgs/{org}", "/api/v1/orgs/{org}/keys",
        "/api/v1/orgs/{org}/achievements",
        "/api/v1/orgs/{org}/achievements/{id}",
        "/api/v1/orgs/{org}/credentials", "/api/v1/orgs/{org}/bulk",
        "/api/v1/jobs/{id}", "/api/v1/verify", "/credentials/issue",
        "/credentials/verify", "/presentations/verify", "/credentials/{id}",
        "/issuers/{id}/did.json", "/.well-known/did.json"}) {
    CREDSTACK_CHECK(
        r.Add({.method = Method::kGet, .pattern = p, .handler = h}).ok());
    CREDSTACK_CHECK(
        r.Add({.method = Method::kPost, .pattern = p, .handler = h}).ok());
  }
  return r;
}

void BM_RouterFind(benchmark::State& state) {
  Router r = ApiLikeRouter();
  std::vector<std::string> segs = {"api",  "v1",           "orgs",
                                   "acme", "achievements", "a1"};
  for (auto _ : state) {
    RouteMatch m = r.Find(Method::kGet, segs);
    benchmark::DoNotOptimize(m.route);
  }
}
BENCHMARK(BM_RouterFind);

void BM_ParseTarget(benchmark::State& state) {
  for (auto _ : state) {
    Request req;
    req.set_target("/api/v1/orgs/acme%20inc/achievements/a1?page=2&limit=50");
    auto segs = req.ParseTarget(kMaxPathSegments);
    benchmark::DoNotOptimize(segs);
  }
}
BENCHMARK(BM_ParseTarget);

// Prepare + Execute + Record for GET /healthz, access log off.
void BM_DispatchHealthz(benchmark::State& state) {
  ServerConfig c;
  ServerHooks hooks;
  hooks.logger = std::make_shared<Logger>(LogLevel::kWarn);
  auto d = std::move(*Dispatcher::Create(c, ApiLikeRouter(), std::move(hooks)));
  HeaderList headers{{"Host", "localhost"}, {"Accept", "*/*"}};
  for (auto _ : state) {
    Request req;
    req.set_method(Method::kGet);
    req.set_target("/healthz");
    req.set_headers(&headers);
    req.set_client_ip("127.0.0.1");
    Dispatcher::Prepared p = d->Prepare(req, false);
    Response r = d->Execute(*p.route, req);
    d->Record(req, p.route, r.status, std::chrono::microseconds(10), 0,
              r.body.size(), r.log_detail);
    benchmark::DoNotOptimize(r.body);
  }
}
BENCHMARK(BM_DispatchHealthz);

// The same with the access log line formatted (written to a null sink).
void BM_DispatchHealthzWithAccessLog(benchmark::State& state) {
  ServerConfig c;
  ServerHooks hooks;
  hooks.logger = std::make_shared<Logger>(
      LogLevel::kInfo,
      [](std::string_view l) { benchmark::DoNotOptimize(l.data()); });
  auto d = std::move(*Dispatcher::Create(c, ApiLikeRouter(), std::move(hooks)));
  HeaderList headers{{"Host", "localhost"}};
  for (auto _ : state) {
    Request req;
    req.set_method(Method::kGet);
    req.set_target("/healthz");
    req.set_headers(&headers);
    req.set_client_ip("127.0.0.1");
    Dispatcher::Prepared p = d->Prepare(req, false);
    Response r = d->Execute(*p.route, req);
    d->Record(req, p.route, r.status, std::chrono::microseconds(10), 0,
              r.body.size(), r.log_detail);
  }
}
BENCHMARK(BM_DispatchHealthzWithAccessLog);

void BM_NegotiateMediaType(benchmark::State& state) {
  constexpr std::string_view kOffers[] = {"application/ld+json",
                                          "application/json", "text/html"};
  std::string_view accept =
      "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  for (auto _ : state) {
    benchmark::DoNotOptimize(NegotiateMediaType(accept, kOffers));
  }
}
BENCHMARK(BM_NegotiateMediaType);

}  // namespace
}  // namespace credstack::server
