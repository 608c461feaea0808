#include "credstack/server/api_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <optional>

namespace credstack::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

template <typename Stream>
Result<ApiResponse> Exchange(Stream& stream, beast::tcp_stream& lowest,
                             net::io_context& ioc,
                             http::request<http::string_body>& req,
                             const ApiClientOptions& options) {
  beast::error_code result;
  lowest.expires_after(options.timeout);
  http::async_write(stream, req,
                    [&](beast::error_code ec, size_t) { result = ec; });
  ioc.restart();
  ioc.run();
  if (result) return UnavailableError("sending the request: " + result.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(options.max_response_bytes);
  lowest.expires_after(options.timeout);
  http::async_read(stream, buffer, parser,
                   [&](beast::error_code ec, size_t) { result = ec; });
  ioc.restart();
  ioc.run();
  if (result) return UnavailableError("reading the response: " + result.message());
  const auto& res = parser.get();
  ApiResponse out;
  out.status = static_cast<int>(res.result_int());
  out.content_type = std::string(res[http::field::content_type]);
  out.body = res.body();
  return out;
}

}  // namespace

Result<ApiResponse> CallApi(std::string_view base_url, const ApiRequest& request,
                            const ApiClientOptions& options) {
  auto url = boost::urls::parse_absolute_uri(base_url);
  if (!url) return InvalidArgumentError("--server: not a URL: " + std::string(base_url));
  const bool tls = url->scheme() == "https";
  if (!tls && url->scheme() != "http") {
    return InvalidArgumentError("--server: the URL must be http:// or https://");
  }
  std::string host(url->host());
  std::string port = url->has_port() ? std::string(url->port()) : (tls ? "443" : "80");
  std::string prefix(url->path());
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  auto endpoints = resolver.resolve(host, port, ec);
  if (ec) return UnavailableError("cannot resolve " + host + ": " + ec.message());
  http::request<http::string_body> req;
  req.method_string(request.method);
  req.target(prefix + request.path);
  req.version(11);
  req.set(http::field::host, host);
  req.set(http::field::user_agent, "credstack-cli");
  req.set(http::field::accept, "application/json, application/ld+json, application/problem+json");
  req.set(http::field::connection, "close");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
    req.set(http::field::content_type, request.content_type);
    req.body() = request.body;
  }
  req.prepare_payload();
  beast::error_code result;
  if (!tls) {
    beast::tcp_stream stream(ioc);
    stream.expires_after(options.timeout);
    stream.async_connect(endpoints, [&](beast::error_code e, const auto&) { result = e; });
    ioc.run();
    if (result) return UnavailableError("cannot connect to " + std::string(base_url) + ": " + result.message());
    return Exchange(stream, stream, ioc, req, options);
  }
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_default_verify_paths(ec);
  ctx.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str())) {
    return UnavailableError("TLS: cannot set the server name");
  }
  stream.set_verify_callback(ssl::host_name_verification(host));
  beast::get_lowest_layer(stream).expires_after(options.timeout);
  beast::get_lowest_layer(stream).async_connect(
      endpoints, [&](beast::error_code e, const auto&) { result = e; });
  ioc.run();
  if (result) return UnavailableError("cannot connect to " + std::string(base_url) + ": " + result.message());
  stream.async_handshake(ssl::stream_base::client, [&](beast::error_code e) { result = e; });
  ioc.restart();
  ioc.run();
  if (result) return UnavailableError("TLS handshake: " + result.message());
  return Exchange(stream, beast::get_lowest_layer(stream), ioc, req, options);
}

}  // namespace credstack::server
