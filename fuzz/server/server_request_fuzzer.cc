// Input: "METHOD TARGET\nAuthorization\nContent-Type\nAccept" (missing
// lines are absent headers). Properties beyond not crashing: a request is
// either routed, with non-empty, NUL-free, valid UTF-8 parameters, or
// answered early with one of the statuses the pipeline can produce, always
// as problem+json (or 204 for OPTIONS).
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "credstack/base/utf8.h"
#include "credstack/server/dispatcher.h"
#include "credstack/server/negotiation.h"

namespace {

using namespace credstack;
using namespace credstack::server;

Dispatcher& TheDispatcher() {
  static Dispatcher* d = [] {
    Router r;
    auto h = [](Request&) { return Response::NoContent(); };
    CREDSTACK_CHECK(r.Add({.method = Method::kGet,
                           .pattern = "/api/v1/orgs/{org}",
                           .handler = h,
                           .policy = Policy::kViewer})
                        .ok());
    CREDSTACK_CHECK(r.Add({.method = Method::kPost,
                           .pattern = "/api/v1/orgs/{org}/achievements/{id}",
                           .handler = h,
                           .policy = Policy::kIssuer,
                           .consumes = {"application/json"}})
                        .ok());
    CREDSTACK_CHECK(r.Add({.method = Method::kPost,
                           .pattern = "/api/v1/verify",
                           .handler = h,
                           .consumes = {"application/json"}})
                        .ok());
    CREDSTACK_CHECK(r.Add({.method = Method::kGet,
                           .pattern = "/credentials/{id}",
                           .handler = h})
                        .ok());
    ServerConfig c;
    ServerHooks hooks;
    hooks.logger = std::make_shared<Logger>(LogLevel::kOff);
    hooks.api_keys = [](const crypto::Sha256Digest& h) -> Result<Principal> {
      if (h[0] == 0) return Principal{"k", "acme", Role::kAdmin};
      return NotFoundError("no");
    };
    return Dispatcher::Create(c, std::move(r), std::move(hooks))->release();
  }();
  return *d;
}

std::string_view NextLine(std::string_view& s) {
  size_t nl = s.find('\n');
  std::string_view line = s.substr(0, nl);
  s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view request_line = NextLine(in);
  size_t sp = request_line.find(' ');
  HeaderList headers;
  std::string_view auth = NextLine(in), ctype = NextLine(in),
                   accept = NextLine(in);
  if (!auth.empty()) headers.Add("Authorization", std::string(auth));
  if (!ctype.empty()) headers.Add("Content-Type", std::string(ctype));
  if (!accept.empty()) headers.Add("Accept", std::string(accept));

  Request req;
  req.set_method(ParseMethod(request_line.substr(0, sp)));
  req.set_target(sp == std::string_view::npos
                     ? std::string()
                     : std::string(request_line.substr(sp + 1)));
  req.set_headers(&headers);
  req.set_client_ip("127.0.0.1");
  Dispatcher::Prepared p = TheDispatcher().Prepare(req, !ctype.empty());
  if (p.route != nullptr) {
    for (const PathParam& param : req.path_params()) {
      if (param.value.empty() || param.value.find('\0') != std::string::npos ||
          !IsValidUtf8(param.value)) {
        std::abort();
      }
    }
  } else {
    if (!p.early) std::abort();
    int s = p.early->status;
    bool known = s == 204 || s == 400 || s == 401 || s == 403 || s == 404 ||
                 s == 405 || s == 415 || s == 429 || s == 501 || s == 503;
    if (!known) std::abort();
    if (s != 204 && p.early->content_type != "application/problem+json")
      std::abort();
  }
  constexpr std::string_view kOffers[] = {"application/ld+json",
                                          "application/json", "text/html"};
  auto pick = NegotiateMediaType(accept, kOffers);
  if (pick && *pick >= 3) std::abort();
  return 0;
}
