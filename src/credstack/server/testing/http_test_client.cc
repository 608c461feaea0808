#include "credstack/server/testing/http_test_client.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <optional>

namespace credstack::server::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

std::string TestResponse::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (beast::iequals(beast::string_view(n.data(), n.size()),
                       beast::string_view(name.data(), name.size()))) {
      return v;
    }
  }
  return {};
}

struct TestClient::Impl {
  net::io_context ioc;
  std::optional<ssl::context> tls_ctx;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  std::chrono::milliseconds timeout;

  beast::tcp_stream& lowest() {
    return tls ? beast::get_lowest_layer(*tls) : *plain;
  }

  // Runs the started async operations to completion.
  void RunAll() {
    ioc.restart();
    ioc.run();
  }

  template <typename Op>
  beast::error_code Do(Op op) {
    beast::error_code result;
    lowest().expires_after(timeout);
    op([&result](beast::error_code ec, auto&&...) { result = ec; });
    RunAll();
    return result;
  }

  template <typename F>
  auto WithStream(F f) {
    if (tls) return f(*tls);
    return f(*plain);
  }
};

TestClient::TestClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TestClient::~TestClient() = default;

static Result<std::unique_ptr<TestClient::Impl>> ConnectImpl(
    uint16_t port, std::chrono::milliseconds timeout) {
  auto impl = std::make_unique<TestClient::Impl>();
  impl->timeout = timeout;
  impl->plain.emplace(impl->ioc);
  tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port);
  beast::error_code result;
  impl->plain->expires_after(timeout);
  impl->plain->async_connect(ep, [&](beast::error_code ec) { result = ec; });
  impl->RunAll();
  if (result) return UnavailableError("connect: " + result.message());
  beast::error_code ec;
  impl->plain->socket().set_option(tcp::no_delay(true), ec);
  return impl;
}

Result<std::unique_ptr<TestClient>> TestClient::Connect(
    uint16_t port, std::chrono::milliseconds timeout) {
  CREDSTACK_ASSIGN_OR_RETURN(std::unique_ptr<Impl> impl,
                             ConnectImpl(port, timeout));
  return std::unique_ptr<TestClient>(new TestClient(std::move(impl)));
}

Result<std::unique_ptr<TestClient>> TestClient::ConnectTls(
    uint16_t port, const std::string& ca_file,
    std::chrono::milliseconds timeout) {
  CREDSTACK_ASSIGN_OR_RETURN(std::unique_ptr<Impl> impl,
                             ConnectImpl(port, timeout));
  impl->tls_ctx.emplace(ssl::context::tls_client);
  beast::error_code ec;
  impl->tls_ctx->load_verify_file(ca_file, ec);
  if (ec) return InvalidArgumentError("load CA: " + ec.message());
  impl->tls_ctx->set_verify_mode(ssl::verify_peer, ec);
  beast::tcp_stream plain = std::move(*impl->plain);
  impl->plain.reset();
  impl->tls.emplace(std::move(plain), *impl->tls_ctx);
  beast::error_code result = impl->Do([&](auto handler) {
    impl->tls->async_handshake(ssl::stream_base::client, handler);
  });
  if (result) return UnavailableError("TLS handshake: " + result.message());
  return std::unique_ptr<TestClient>(new TestClient(std::move(impl)));
}

Status TestClient::Write(std::string_view bytes) {
  beast::error_code result = impl_->Do([&](auto handler) {
    impl_->WithStream([&](auto& s) {
      net::async_write(s, net::buffer(bytes.data(), bytes.size()), handler);
    });
  });
  if (result) return UnavailableError("write: " + result.message());
  return OkStatus();
}

Result<TestResponse> TestClient::Read(bool head_request) {
  http::response_parser<http::string_body> parser;
  parser.skip(head_request);
  parser.body_limit(64 * 1024 * 1024);
  beast::error_code result = impl_->Do([&](auto handler) {
    impl_->WithStream(
        [&](auto& s) { http::async_read(s, impl_->buffer, parser, handler); });
  });
  if (result) return UnavailableError("read: " + result.message());
  const auto& msg = parser.get();
  TestResponse r;
  r.status = static_cast<int>(msg.result_int());
  for (const auto& f : msg) {
    r.headers.emplace_back(std::string(f.name_string()),
                           std::string(f.value()));
  }
  r.body = msg.body();
  r.keep_alive = msg.keep_alive();
  return r;
}

Result<TestResponse> TestClient::Send(const TestRequest& req) {
  std::string wire =
      req.method + " " + req.target + " HTTP/1.1\r\nHost: test\r\n";
  bool has_length = false;
  for (const auto& [n, v] : req.headers) {
    wire += n + ": " + v + "\r\n";
    if (beast::iequals(beast::string_view(n.data(), n.size()),
                       "content-length") ||
        beast::iequals(beast::string_view(n.data(), n.size()),
                       "transfer-encoding")) {
      has_length = true;
    }
  }
  if (!has_length && (!req.body.empty() || req.method == "POST")) {
    wire += "Content-Length: " + std::to_string(req.body.size()) + "\r\n";
  }
  if (req.close) wire += "Connection: close\r\n";
  wire += "\r\n";
  wire += req.body;
  CREDSTACK_RETURN_IF_ERROR(Write(wire));
  return Read(req.method == "HEAD");
}

TestClient::Drained TestClient::ReadUntilClose(
    std::chrono::milliseconds timeout) {
  Drained out;
  auto data = impl_->buffer.data();
  out.bytes.assign(static_cast<const char*>(data.data()), data.size());
  impl_->buffer.consume(impl_->buffer.size());
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char chunk[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    size_t got = 0;
    beast::error_code result;
    // A timer that cancels the read, unlike tcp_stream's own timeout,
    // leaves the connection open.
    impl_->lowest().expires_never();
    net::steady_timer timer(impl_->ioc);
    timer.expires_at(deadline);
    timer.async_wait([this](beast::error_code ec) {
      if (!ec) {
        beast::error_code ignored;
        impl_->lowest().socket().cancel(ignored);
      }
    });
    impl_->WithStream([&](auto& s) {
      s.async_read_some(net::buffer(chunk),
                        [&](beast::error_code ec, size_t n) {
                          result = ec;
                          got = n;
                          timer.cancel();
                        });
    });
    impl_->RunAll();
    out.bytes.append(chunk, got);
    if (result == net::error::operation_aborted) break;
    if (result) {
      out.closed = true;
      break;
    }
  }
  return out;
}

Result<TestResponse> Fetch(uint16_t port, const TestRequest& req) {
  CREDSTACK_ASSIGN_OR_RETURN(std::unique_ptr<TestClient> c,
                             TestClient::Connect(port));
  return c->Send(req);
}

Status WriteSelfSignedCert(const std::string& cert_path,
                           const std::string& key_path) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (key == nullptr) return InternalError("EVP_EC_gen failed");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(
      name, "CN", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name,
                                            "DNS:localhost,IP:127.0.0.1");
  X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, &ctx, NID_basic_constraints,
                                           "critical,CA:TRUE");
  X509_add_ext(cert, san, -1);
  X509_add_ext(cert, bc, -1);
  X509_EXTENSION_free(san);
  X509_EXTENSION_free(bc);
  bool ok = X509_sign(cert, key, EVP_sha256()) > 0;
  FILE* cf = ok ? std::fopen(cert_path.c_str(), "wb") : nullptr;
  FILE* kf = ok ? std::fopen(key_path.c_str(), "wb") : nullptr;
  ok =
      cf != nullptr && kf != nullptr && PEM_write_X509(cf, cert) == 1 &&
      PEM_write_PrivateKey(kf, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  if (cf) std::fclose(cf);
  if (kf) std::fclose(kf);
  X509_free(cert);
  EVP_PKEY_free(key);
  return ok ? OkStatus() : InternalError("writing the test certificate failed");
}

}  // namespace credstack::server::testing
