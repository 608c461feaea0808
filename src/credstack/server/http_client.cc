#include "credstack/server/http_client.h"

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

struct Target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path;  // path + query
};

Result<Target> ParseTarget(std::string_view url) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u)
    return InvalidArgumentError("not an absolute URL: " + std::string(url));
  Target t;
  if (u->scheme() == "https") {
    t.tls = true;
  } else if (u->scheme() != "http") {
    return InvalidArgumentError("server URL must be http:// or https://");
  }
  t.host = std::string(u->encoded_host());
  if (t.host.empty()) return InvalidArgumentError("server URL has no host");
  if (t.host.size() > 2 && t.host.front() == '[') {
    t.host = t.host.substr(1, t.host.size() - 2);
  }
  t.port = u->has_port() ? std::string(u->port()) : (t.tls ? "443" : "80");
  t.path = std::string(u->encoded_path());
  if (t.path.empty()) t.path = "/";
  if (u->has_query()) t.path += "?" + std::string(u->encoded_query());
  return t;
}

template <typename Stream>
Result<ClientResponse> Exchange(Stream& stream, beast::tcp_stream& lowest,
                                const ClientRequest& r, const Target& t,
                                net::io_context& ioc) {
  http::request<http::string_body> req;
  req.method_string(r.method);
  req.target(t.path);
  req.version(11);
  req.set(http::field::host, t.host);
  req.set(http::field::user_agent, "credstack-cli");
  req.set(http::field::connection, "close");
  for (const auto& [n, v] : r.headers) req.set(n, v);
  req.body() = r.body;
  req.prepare_payload();

  beast::error_code ec;
  lowest.expires_after(r.timeout);
  http::async_write(stream, req, [&](beast::error_code e, size_t) { ec = e; });
  ioc.run();
  ioc.restart();
  if (ec) return UnavailableError("sending the request: " + ec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(r.max_response_bytes);
  lowest.expires_after(r.timeout);
  http::async_read(stream, buffer, parser,
                   [&](beast::error_code e, size_t) { ec = e; });
  ioc.run();
  ioc.restart();
  if (ec) return UnavailableError("reading the response: " + ec.message());
  ClientResponse out;
  const auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) {
    out.headers.emplace_back(std::string(f.name_string()),
                             std::string(f.value()));
  }
  out.body = res.body();
  return out;
}

}  // namespace

std::string ClientResponse::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (beast::iequals(n, name)) return v;
  }
  return {};
}

Result<ClientResponse> HttpFetch(const ClientRequest& r) {
  CREDSTACK_ASSIGN_OR_RETURN(Target t, ParseTarget(r.url));
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  tcp::resolver::results_type endpoints;
  resolver.async_resolve(
      t.host, t.port,
      [&](beast::error_code e, tcp::resolver::results_type res) {
        ec = e;
        endpoints = std::move(res);
      });
  ioc.run();
  ioc.restart();
  if (ec)
    return UnavailableError("cannot resolve " + t.host + ": " + ec.message());
  if (!t.tls) {
    beast::tcp_stream stream(ioc);
    stream.expires_after(r.timeout);
    stream.async_connect(endpoints, [&](beast::error_code e, auto) { ec = e; });
    ioc.run();
    ioc.restart();
    if (ec) {
      return UnavailableError("cannot connect to " + t.host + ":" + t.port +
                              ": " + ec.message());
    }
    return Exchange(stream, stream, r, t, ioc);
  }
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_default_verify_paths(ec);
  ctx.set_verify_mode(ssl::verify_peer, ec);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), t.host.c_str())) {
    return UnavailableError("TLS: cannot set the server name");
  }
  stream.set_verify_callback(ssl::host_name_verification(t.host), ec);
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_after(r.timeout);
  lowest.async_connect(endpoints, [&](beast::error_code e, auto) { ec = e; });
  ioc.run();
  ioc.restart();
  if (ec) {
    return UnavailableError("cannot connect to " + t.host + ":" + t.port +
                            ": " + ec.message());
  }
  lowest.expires_after(r.timeout);
  stream.async_handshake(ssl::stream_base::client,
                         [&](beast::error_code e) { ec = e; });
  ioc.run();
  ioc.restart();
  if (ec)
    return UnavailableError("TLS handshake with " + t.host + ": " +
                            ec.message());
  return Exchange(stream, lowest, r, t, ioc);
}

}  // namespace credstack::server
