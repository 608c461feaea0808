#pragma once

// A small blocking HTTP/1.1 client for tests (Beast underneath, every
// operation bounded by a timeout). Linked only into tests.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "credstack/base/status.h"

namespace credstack::server::testing {

struct TestResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = false;

  // The first header with this name (case-insensitive), or "".
  std::string Header(std::string_view name) const;
};

struct TestRequest {
  std::string method = "GET";
  std::string target = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;  // send Connection: close
};

class TestClient {
 public:
  // Plain TCP to 127.0.0.1:port. With tls, the server certificate must be
  // signed by (or be) the PEM file `ca_file`.
  static Result<std::unique_ptr<TestClient>> Connect(
      uint16_t port,
      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  static Result<std::unique_ptr<TestClient>> ConnectTls(
      uint16_t port, const std::string& ca_file,
      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  ~TestClient();

  // Sends one request and reads one response on this connection.
  Result<TestResponse> Send(const TestRequest& req);
  // Writes raw bytes.
  Status Write(std::string_view bytes);
  // Reads one response (e.g. after raw writes); head_request: the
  // response to a HEAD request has no body whatever its Content-Length.
  Result<TestResponse> Read(bool head_request = false);
  // Reads until the server closes the connection or the timeout passes;
  // returns the bytes and whether the close was seen.
  struct Drained {
    std::string bytes;
    bool closed = false;
  };
  Drained ReadUntilClose(std::chrono::milliseconds timeout);

  struct Impl;

 private:
  explicit TestClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One request on a fresh connection.
Result<TestResponse> Fetch(uint16_t port, const TestRequest& req);

// Writes a throwaway self-signed P-256 certificate for 127.0.0.1/localhost
// and its key as PEM files.
Status WriteSelfSignedCert(const std::string& cert_path,
                           const std::string& key_path);

}  // namespace credstack::server::testing
