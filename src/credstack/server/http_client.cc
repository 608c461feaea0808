#include "credstack/server/http_client.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <memory>
#include <optional>

namespace credstack::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct Target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path;  // origin-form: path and query
};

Result<Target> ParseTarget(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return InvalidArgumentError("malformed URL: " + std::string(url.substr(0, 200)));
  const boost::urls::url_view& u = *parsed;
  Target t;
  std::string scheme(u.scheme());
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme == "https") {
    t.tls = true;
  } else if (scheme != "http") {
    return InvalidArgumentError("only http and https URLs can be fetched");
  }
  if (u.has_userinfo()) return InvalidArgumentError("URLs with user information are refused");
  t.host = std::string(u.encoded_host());
  if (t.host.empty()) return InvalidArgumentError("URL has no host");
  if (!t.host.empty() && t.host.front() == '[' && t.host.back() == ']') {
    t.host = t.host.substr(1, t.host.size() - 2);
  }
  t.port = u.has_port() ? std::string(u.port()) : (t.tls ? "443" : "80");
  t.path = std::string(u.encoded_path());
  if (t.path.empty()) t.path = "/";
  if (u.has_query()) t.path += "?" + std::string(u.encoded_query());
  return t;
}

// One exchange on its own io_context: every step is asynchronous so that the
// whole exchange can be cut off at the deadline (run_for).
template <class Stream>
class Exchange {
 public:
  Exchange(asio::io_context& ioc, Stream& stream, const Target& target,
           http::request<http::string_body> req, size_t max_body)
      : ioc_(ioc), stream_(stream), target_(target), req_(std::move(req)) {
    parser_.body_limit(max_body);
    parser_.header_limit(64 * 1024);
  }

  void Start(std::function<void(std::function<void()>)> handshake) {
    resolver_ = std::make_unique<tcp::resolver>(ioc_);
    resolver_->async_resolve(
        target_.host, target_.port, [this, handshake](beast::error_code ec, tcp::resolver::results_type r) {
          if (ec) return Fail("cannot resolve " + target_.host + ": " + ec.message());
          beast::get_lowest_layer(stream_).async_connect(
              r, [this, handshake](beast::error_code ec2, const tcp::endpoint&) {
                if (ec2) return Fail("cannot connect to " + target_.host + ": " + ec2.message());
                handshake([this] { Write(); });
              });
        });
  }

  void Write() {
    http::async_write(stream_, req_, [this](beast::error_code ec, size_t) {
      if (ec) return Fail("cannot send the request: " + ec.message());
      http::async_read(stream_, buffer_, parser_, [this](beast::error_code ec2, size_t) {
        if (ec2 == http::error::body_limit) {
          too_large_ = true;
          return Fail("response larger than the limit");
        }
        if (ec2) return Fail("cannot read the response: " + ec2.message());
        done_ = true;
      });
    });
  }

  void Fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
  }

  bool done() const { return done_; }
  bool too_large() const { return too_large_; }
  const std::string& error() const { return error_; }
  http::response<http::string_body>& response() { return parser_.get(); }

 private:
  asio::io_context& ioc_;
  Stream& stream_;
  const Target& target_;
  http::request<http::string_body> req_;
  std::unique_ptr<tcp::resolver> resolver_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
  bool done_ = false;
  bool too_large_ = false;
  std::string error_;
};

}  // namespace

std::optional<uint64_t> ParseCacheControlMaxAge(std::string_view v) {
  std::string s(v);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s.find("no-store") != std::string::npos || s.find("no-cache") != std::string::npos) return 0;
  size_t p = s.find("max-age=");
  if (p == std::string::npos) return std::nullopt;
  p += 8;
  uint64_t n = 0;
  size_t digits = 0;
  while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p])) && digits < 12) {
    n = n * 10 + static_cast<uint64_t>(s[p++] - '0');
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  return n;
}

Result<app::HttpFetchResponse> HttpClient::Fetch(const app::HttpFetchRequest& request) const {
  CREDSTACK_ASSIGN_OR_RETURN(Target target, ParseTarget(request.url));
  http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) return InvalidArgumentError("unknown HTTP method");
  http::request<http::string_body> req{verb, target.path, 11};
  std::string host_header = target.host;
  if ((target.tls && target.port != "443") || (!target.tls && target.port != "80")) {
    host_header += ":" + target.port;
  }
  req.set(http::field::host, host_header);
  req.set(http::field::user_agent, options_.user_agent);
  req.set(http::field::connection, "close");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  if (!request.body.empty() || verb == http::verb::post || verb == http::verb::put) {
    req.body() = request.body;
    req.prepare_payload();
  }

  asio::io_context ioc;
  std::optional<Exchange<beast::tcp_stream>> plain_exchange;
  std::optional<Exchange<beast::ssl_stream<beast::tcp_stream>>> tls_exchange;
  std::unique_ptr<asio::ssl::context> ssl_ctx;
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  if (target.tls) {
    ssl_ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    beast::error_code ec;
    if (options_.verify_tls) {
      if (options_.ca_file.empty()) {
        ssl_ctx->set_default_verify_paths(ec);
      } else {
        ssl_ctx->load_verify_file(options_.ca_file, ec);
      }
      if (ec) return UnavailableError("cannot load TLS trust store: " + ec.message());
      ssl_ctx->set_verify_mode(asio::ssl::verify_peer, ec);
    } else {
      ssl_ctx->set_verify_mode(asio::ssl::verify_none, ec);
    }
    tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, *ssl_ctx);
    if (!SSL_set_tlsext_host_name(tls->native_handle(), target.host.c_str())) {
      return UnavailableError("cannot set TLS server name");
    }
    if (options_.verify_tls) {
      tls->set_verify_callback(asio::ssl::host_name_verification(target.host), ec);
    }
    tls_exchange.emplace(ioc, *tls, target, std::move(req), request.max_response_bytes);
    auto* ex = &*tls_exchange;
    auto* stream = tls.get();
    tls_exchange->Start([ex, stream](std::function<void()> next) {
      stream->async_handshake(asio::ssl::stream_base::client, [ex, next](beast::error_code ec2) {
        if (ec2) {
          std::string why = "TLS handshake failed: " + ec2.message();
          // What a plain http server answers to a ClientHello.
          if (ec2.category() == asio::error::get_ssl_category() &&
              ERR_GET_REASON(static_cast<unsigned long>(ec2.value())) ==
                  SSL_R_WRONG_VERSION_NUMBER) {
            why += "; the server seems to speak plain http, not https";
          }
          return ex->Fail(why);
        }
        next();
      });
    });
  } else {
    plain = std::make_unique<beast::tcp_stream>(ioc);
    plain_exchange.emplace(ioc, *plain, target, std::move(req), request.max_response_bytes);
    plain_exchange->Start([](std::function<void()> next) { next(); });
  }
  ioc.run_for(request.timeout);
  const bool done = target.tls ? tls_exchange->done() : plain_exchange->done();
  const bool too_large = target.tls ? tls_exchange->too_large() : plain_exchange->too_large();
  std::string error = target.tls ? tls_exchange->error() : plain_exchange->error();
  if (!done) {
    ioc.stop();
    if (too_large) {
      return ResourceExhaustedError(request.url + ": response larger than " +
                                    std::to_string(request.max_response_bytes) + " bytes");
    }
    if (error.empty()) error = "timed out after " + std::to_string(request.timeout.count()) + " ms";
    return UnavailableError(request.url + ": " + error);
  }
  http::response<http::string_body>& res =
      target.tls ? tls_exchange->response() : plain_exchange->response();
  app::HttpFetchResponse out;
  out.status = static_cast<int>(res.result_int());
  out.content_type = std::string(res[http::field::content_type]);
  out.etag = std::string(res[http::field::etag]);
  if (auto cc = res[http::field::cache_control]; !cc.empty()) {
    out.max_age_seconds = ParseCacheControlMaxAge(cc);
  }
  out.body = std::move(res.body());
  return out;
}

}  // namespace credstack::server
