#pragma once

// The HTTP/1.1 server: Boost.Beast over Asio, optionally TLS (OpenSSL via
// Beast's ssl_stream).
//
//  - a small pool of I/O threads runs one io_context; each connection is
//    served on its own strand, requests in order (pipelining-safe);
//  - bounded request head and body, per-phase deadlines (head, body, write,
//    keep-alive idle) so that slow clients are cut off;
//  - a cap on concurrent connections (503 beyond);
//  - routes marked `blocking` run on a separate worker pool;
//  - graceful shutdown: stop accepting, close idle connections, let
//    in-flight requests finish (up to shutdown_timeout), then return.

#include <cstdint>
#include <memory>

#include "credstack/base/status.h"
#include "credstack/server/config.h"
#include "credstack/server/dispatcher.h"
#include "credstack/server/router.h"

namespace credstack::server {

class Server {
 public:
  // Registers the operational routes next to `router`'s. Fails on a route
  // clash or an inconsistent config. Does not bind yet.
  static Result<std::unique_ptr<Server>> Create(ServerConfig config,
                                                Router router,
                                                ServerHooks hooks = {});
  // Shuts down and waits if still running.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads TLS files, binds and listens on config.listen_host:listen_port,
  // starts the threads and returns. With handle_signals, SIGTERM and SIGINT
  // trigger Shutdown() (a second signal stops at once). kUnavailable when
  // the address cannot be bound, kInvalidArgument for bad TLS files.
  Status Start(bool handle_signals = false);
  // The bound port (useful with port 0); valid after Start().
  uint16_t port() const;

  // Begins a graceful shutdown. Thread-safe, idempotent, returns at once.
  void Shutdown();
  // Blocks until every thread has finished (after Shutdown() or a signal).
  Status Wait();
  // Start(true) + Wait(): serves until SIGTERM/SIGINT, returns OK after a
  // graceful shutdown.
  Status Run();

  Dispatcher& dispatcher();
  Metrics& metrics() { return dispatcher().metrics(); }
  Logger& logger() { return dispatcher().logger(); }

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace credstack::server
