#include "credstack/server/api_client.h"

#include <boost/url/parse.hpp>

#include "credstack/server/http_client.h"

namespace credstack::server {

Result<ApiResponse> CallApi(std::string_view base_url, const ApiRequest& request,
                            const ApiClientOptions& options) {
  auto url = boost::urls::parse_absolute_uri(base_url);
  if (!url) return InvalidArgumentError("--server: not a URL: " + std::string(base_url));
  if (url->scheme() != "https" && url->scheme() != "http") {
    return InvalidArgumentError("--server: the URL must be http:// or https://");
  }
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();

  app::HttpFetchRequest fetch;
  fetch.method = request.method;
  fetch.url = base + request.path;
  fetch.headers.emplace_back(
      "Accept", "application/json, application/ld+json, application/problem+json");
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
    fetch.headers.emplace_back("Content-Type", request.content_type);
  }
  for (const auto& h : request.headers) fetch.headers.push_back(h);
  fetch.body = request.body;
  fetch.timeout = options.timeout;
  fetch.max_response_bytes = options.max_response_bytes;

  HttpClient client(HttpClientOptions{.user_agent = "credstack-cli"});
  CREDSTACK_ASSIGN_OR_RETURN(app::HttpFetchResponse res, client.Fetch(fetch));
  return ApiResponse{.status = res.status,
                     .content_type = std::move(res.content_type),
                     .body = std::move(res.body)};
}

}  // namespace credstack::server
