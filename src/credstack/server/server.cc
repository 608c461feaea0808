#include "credstack/server/server.h"

#include <time.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

namespace credstack::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kFirstReadChunk = 4096;
// Bytes read and dropped after an early error response, so that closing the
// socket does not reset the connection before the client has read it.
constexpr size_t kMaxDrain = 256 * 1024;
constexpr std::chrono::seconds kDrainTimeout{2};

// RFC 9110 §5.6.7 IMF-fixdate, formatted once per second per thread.
std::string_view HttpDate() {
  thread_local time_t cached = -1;
  thread_local char buf[40];
  thread_local size_t len = 0;
  time_t now = ::time(nullptr);
  if (now != cached) {
    struct tm t;
    ::gmtime_r(&now, &t);
    len = ::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &t);
    cached = now;
  }
  return {buf, len};
}

// Request header fields through Beast's container.
class BeastHeaders final : public HeaderSource {
 public:
  void Reset(const http::fields* f) { f_ = f; }
  std::string_view Get(std::string_view name) const override {
    if (f_ == nullptr) return {};
    auto it = f_->find(beast::string_view(name.data(), name.size()));
    if (it == f_->end()) return {};
    beast::string_view v = it->value();
    return {v.data(), v.size()};
  }

 private:
  const http::fields* f_ = nullptr;
};

bool IsQuietClose(const beast::error_code& ec) {
  return ec == http::error::end_of_stream ||
         ec == http::error::partial_message || ec == net::error::eof ||
         ec == beast::error::timeout || ec == net::error::operation_aborted ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == ssl::error::stream_truncated || ec == net::error::bad_descriptor;
}

bool IsHttpParseError(const beast::error_code& ec) {
  return ec.category() ==
         http::make_error_code(http::error::bad_target).category();
}

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual std::shared_ptr<SessionBase> Lock() = 0;
  // Called (from any thread) when the server begins shutting down.
  virtual void NotifyShutdown() = 0;
};

}  // namespace

struct Server::Impl {
  ServerConfig config;
  std::unique_ptr<Dispatcher> dispatcher;
  std::atomic<bool> stopping{false};
  std::atomic<size_t> connections{0};
  std::mutex sessions_mu;
  std::unordered_set<SessionBase*> sessions;
  std::optional<ssl::context> tls;
  // Declared after everything sessions touch in their destructors: the
  // io_context (and the pool) destroy pending handlers, and with them the
  // sessions, before the members above go.
  net::io_context ioc;
  std::optional<net::thread_pool> blocking_pool;
  net::strand<net::io_context::executor_type> control{net::make_strand(ioc)};
  tcp::acceptor acceptor{control};
  net::steady_timer accept_retry{control};
  net::steady_timer drain_timer{control};
  std::optional<net::signal_set> signals;
  std::vector<std::thread> threads;
  uint16_t bound_port = 0;
  Clock::time_point shutdown_deadline;
  bool started = false;
  bool waited = false;

  explicit Impl(int workers) : ioc(workers) {}

  void DoAccept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  void BeginShutdown();
  void PollDrain();
  void WaitSignal();
};

namespace {

using Impl = Server::Impl;

// One connection. Derived supplies stream(), lowest(), Begin() and
// CloseStream(); everything else is shared by plain and TLS connections.
template <class Derived>
class Session : public SessionBase,
                public std::enable_shared_from_this<Derived> {
 public:
  Session(Impl& srv, std::string client_ip)
      : srv_(srv), client_ip_(std::move(client_ip)) {
    srv_.connections.fetch_add(1, std::memory_order_relaxed);
    srv_.dispatcher->metrics().AddConnections(1);
  }

  ~Session() override {
    {
      std::lock_guard<std::mutex> lock(srv_.sessions_mu);
      srv_.sessions.erase(this);
    }
    if (in_flight_) srv_.dispatcher->metrics().AddInFlight(-1);
    srv_.dispatcher->metrics().AddConnections(-1);
    srv_.connections.fetch_sub(1, std::memory_order_relaxed);
  }

  std::shared_ptr<SessionBase> Lock() override {
    return this->weak_from_this().lock();
  }

  void NotifyShutdown() override {
    net::post(self().stream().get_executor(),
              [s = this->shared_from_this()] { s->OnShutdownNotice(); });
  }

  void Start() {
    {
      std::lock_guard<std::mutex> lock(srv_.sessions_mu);
      srv_.sessions.insert(this);
    }
    net::dispatch(self().stream().get_executor(),
                  [s = this->shared_from_this()] { s->self().Begin(); });
  }

 protected:
  enum class Phase { kIdle, kHead, kBody, kHandling, kWriting, kClosing };

  Derived& self() { return static_cast<Derived&>(*this); }
  const ServerConfig& config() const { return srv_.config; }

  // Waits for the next request: first for its first byte (keep-alive idle
  // deadline), then for the whole head (header deadline), so that a client
  // trickling bytes is cut off after header_timeout.
  void ReadRequest() {
    if (srv_.stopping.load(std::memory_order_relaxed)) return Close();
    phase_ = Phase::kIdle;
    close_after_ = false;
    route_ = nullptr;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(config().max_header));
    // The route decides the body limit once the head is known (OnHead).
    parser_->body_limit(boost::none);
    if (buffer_.size() > 0) return ReadHead();
    self().lowest().expires_after(config().idle_timeout);
    self().stream().async_read_some(
        buffer_.prepare(kFirstReadChunk),
        [s = this->shared_from_this()](beast::error_code ec, size_t n) {
          s->OnFirstBytes(ec, n);
        });
  }

  void OnFirstBytes(beast::error_code ec, size_t n) {
    if (ec) return Close();
    buffer_.commit(n);
    ReadHead();
  }

  void ReadHead() {
    phase_ = Phase::kHead;
    self().lowest().expires_after(config().header_timeout);
    http::async_read_header(
        self().stream(), buffer_, *parser_,
        [s = this->shared_from_this()](beast::error_code ec, size_t) {
          s->OnHead(ec);
        });
  }

  void OnHead(beast::error_code ec) {
    if (ec) {
      if (IsQuietClose(ec)) return Close();
      MarkInFlight();
      close_after_ = true;
      if (ec == http::error::header_limit) {
        return RespondWithoutHead(431, "the request head is too large");
      }
      if (IsHttpParseError(ec)) {
        return RespondWithoutHead(400, "malformed HTTP request");
      }
      return Close();
    }
    MarkInFlight();
    auto& head = parser_->get();
    req_.emplace();
    req_->set_method(ParseMethod(std::string_view(
        head.method_string().data(), head.method_string().size())));
    req_->set_target(std::string(head.target().data(), head.target().size()));
    headers_.Reset(&head.base());
    req_->set_headers(&headers_);
    req_->set_client_ip(client_ip_);

    auto content_length = parser_->content_length();
    bool has_body =
        parser_->chunked() || (content_length && *content_length > 0);
    Dispatcher::Prepared p = srv_.dispatcher->Prepare(*req_, has_body);
    if (p.early) {
      // The body (if any) stays unread; the connection cannot be reused.
      if (has_body) close_after_ = true;
      return Respond(std::move(*p.early));
    }
    route_ = p.route;
    if (content_length && *content_length > p.body_limit) {
      close_after_ = true;
      return Respond(Dispatcher::ProblemResponse(
          *req_, 413,
          "the request body is larger than " + std::to_string(p.body_limit) +
              " bytes"));
    }
    parser_->body_limit(p.body_limit);
    if (parser_->is_done()) return Handle();
    std::string_view expect = headers_.Get("Expect");
    if (beast::iequals(beast::string_view(expect.data(), expect.size()),
                       "100-continue")) {
      // RFC 9110 §10.1.1: tell the client to send the body.
      continue_.emplace(http::status::continue_, head.version());
      phase_ = Phase::kWriting;
      self().lowest().expires_after(config().write_timeout);
      return http::async_write(
          self().stream(), *continue_,
          [s = this->shared_from_this()](beast::error_code ec, size_t) {
            if (ec) return s->Close();
            s->ReadBody();
          });
    }
    ReadBody();
  }

  void ReadBody() {
    phase_ = Phase::kBody;
    self().lowest().expires_after(config().body_timeout);
    http::async_read(self().stream(), buffer_, *parser_,
                     [s = this->shared_from_this()](beast::error_code ec,
                                                    size_t) { s->OnBody(ec); });
  }

  void OnBody(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      close_after_ = true;
      return Respond(Dispatcher::ProblemResponse(
          *req_, 413, "the request body is too large"));
    }
    if (ec) {
      if (IsQuietClose(ec)) return Close();
      close_after_ = true;
      return Respond(Dispatcher::ProblemResponse(
          *req_, 400, "malformed HTTP request body"));
    }
    Handle();
  }

  void Handle() {
    phase_ = Phase::kHandling;
    req_->set_body(parser_->get().body());
    if (route_->spec.blocking && srv_.blocking_pool) {
      net::post(*srv_.blocking_pool, [s = this->shared_from_this()] {
        Response r = s->srv_.dispatcher->Execute(*s->route_, *s->req_);
        net::post(
            s->self().stream().get_executor(),
            [s, r = std::move(r)]() mutable { s->Respond(std::move(r)); });
      });
      return;
    }
    Respond(srv_.dispatcher->Execute(*route_, *req_));
  }

  // An error found before a usable request head existed.
  void RespondWithoutHead(int status, std::string detail) {
    req_.emplace();
    req_->set_target("");
    req_->set_client_ip(client_ip_);
    head_usable_ = false;
    Problem p = Problem::ForStatus(status, std::move(detail));
    Respond(Response::FromProblem(p));
  }

  void Respond(Response r) {
    unsigned version = 11;
    bool client_keep_alive = false;
    bool head_request = false;
    if (head_usable_ && parser_ && parser_->is_header_done()) {
      version = parser_->get().version();
      client_keep_alive = parser_->get().keep_alive();
      head_request = req_->method() == Method::kHead;
    }
    head_usable_ = true;
    bool keep_alive = client_keep_alive && !close_after_ &&
                      !srv_.stopping.load(std::memory_order_relaxed);
    if (!keep_alive) close_after_ = true;

    res_ = {};
    res_.version(version);
    res_.result(static_cast<unsigned>(r.status));
    res_.set(http::field::date, HttpDate());
    res_.set(http::field::server, "credstack");
    if (!r.content_type.empty()) {
      res_.set(http::field::content_type, r.content_type);
    }
    if (!req_->request_id().empty()) {
      res_.set("X-Request-Id", req_->request_id());
    }
    for (HeaderField& h : r.headers) res_.insert(h.name, h.value);
    size_t body_size = r.body.size();
    bool bodiless = r.status < 200 || r.status == 204 || r.status == 304;
    if (!bodiless) res_.content_length(body_size);
    if (!head_request && !bodiless) res_.body() = std::move(r.body);
    res_.keep_alive(keep_alive);

    srv_.dispatcher->Record(*req_, route_, r.status, Clock::now() - t0_,
                            req_->body().size(), head_request ? 0 : body_size,
                            r.log_detail);

    phase_ = Phase::kWriting;
    self().lowest().expires_after(config().write_timeout);
    http::async_write(self().stream(), res_,
                      [s = this->shared_from_this()](
                          beast::error_code ec, size_t) { s->OnWrite(ec); });
  }

  void OnWrite(beast::error_code ec) {
    if (in_flight_) {
      in_flight_ = false;
      srv_.dispatcher->metrics().AddInFlight(-1);
    }
    if (ec) return Close();
    if (close_after_) return Close(/*linger=*/true);
    ReadRequest();
  }

  void OnShutdownNotice() {
    // Requests whose head has not fully arrived are not in flight: drop
    // them. In-flight ones finish and then close (Respond sees stopping).
    if (phase_ == Phase::kIdle || phase_ == Phase::kHead) {
      beast::error_code ec;
      self().lowest().socket().cancel(ec);
    } else {
      close_after_ = true;
    }
  }

  // linger: a response was just sent and the client may still be sending;
  // close gently so that it can read the response.
  void Close(bool linger = false) {
    if (phase_ == Phase::kClosing) return;
    phase_ = Phase::kClosing;
    self().CloseStream(linger);
  }

  void MarkInFlight() {
    t0_ = Clock::now();
    if (!in_flight_) {
      in_flight_ = true;
      srv_.dispatcher->metrics().AddInFlight(1);
    }
  }

  Impl& srv_;
  std::string client_ip_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  http::response<http::string_body> res_;
  std::optional<Request> req_;
  BeastHeaders headers_;
  const Route* route_ = nullptr;
  Phase phase_ = Phase::kIdle;
  bool close_after_ = false;
  bool head_usable_ = true;
  bool in_flight_ = false;
  Clock::time_point t0_;
};

class PlainSession final : public Session<PlainSession> {
 public:
  PlainSession(Impl& srv, tcp::socket socket, std::string ip)
      : Session(srv, std::move(ip)), stream_(std::move(socket)) {}

  beast::tcp_stream& stream() { return stream_; }
  beast::tcp_stream& lowest() { return stream_; }
  void Begin() { ReadRequest(); }

  // Half-closes, then reads and drops what the client still sends (up to
  // kMaxDrain, kDrainTimeout) so that the last response is not lost to a
  // TCP reset (RFC 9112 §9.6).
  void CloseStream(bool linger) {
    beast::error_code ec;
    if (!linger) {
      stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_.socket().close(ec);
      return;
    }
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
      stream_.socket().close(ec);
      return;
    }
    drain_.reset(new char[16 * 1024]);
    stream_.expires_after(kDrainTimeout);
    Drain();
  }

 private:
  void Drain() {
    stream_.async_read_some(
        net::buffer(drain_.get(), 16 * 1024),
        [s = shared_from_this()](beast::error_code ec, size_t n) {
          s->drained_ += n;
          if (ec || s->drained_ > kMaxDrain) {
            beast::error_code ignored;
            s->stream_.socket().close(ignored);
            return;
          }
          s->Drain();
        });
  }

  beast::tcp_stream stream_;
  std::unique_ptr<char[]> drain_;
  size_t drained_ = 0;
};

class TlsSession final : public Session<TlsSession> {
 public:
  TlsSession(Impl& srv, tcp::socket socket, std::string ip)
      : Session(srv, std::move(ip)), stream_(std::move(socket), *srv.tls) {}

  beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void Begin() {
    phase_ = Phase::kHead;
    lowest().expires_after(config().header_timeout);
    stream_.async_handshake(ssl::stream_base::server,
                            [s = shared_from_this()](beast::error_code ec) {
                              if (ec) return s->Close();
                              s->ReadRequest();
                            });
  }

  void CloseStream(bool linger) {
    if (!linger) {
      beast::error_code ignored;
      lowest().socket().close(ignored);
      return;
    }
    lowest().expires_after(kDrainTimeout);
    stream_.async_shutdown([s = shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      s->lowest().socket().close(ignored);
    });
  }

 private:
  beast::ssl_stream<beast::tcp_stream> stream_;
};

// Over the connection cap: a fixed 503, then close.
void Reject(tcp::socket socket) {
  static constexpr std::string_view kBusy =
      "HTTP/1.1 503 Service Unavailable\r\n"
      "Content-Type: application/problem+json\r\n"
      "Connection: close\r\nRetry-After: 1\r\nContent-Length: 105\r\n\r\n"
      "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":"
      "503,\"detail\":\"too many open connections\"}";
  auto s = std::make_shared<tcp::socket>(std::move(socket));
  net::async_write(*s, net::buffer(kBusy.data(), kBusy.size()),
                   [s](beast::error_code, size_t) {
                     beast::error_code ec;
                     s->shutdown(tcp::socket::shutdown_both, ec);
                     s->close(ec);
                   });
}

}  // namespace

void Impl::DoAccept() {
  acceptor.async_accept(net::make_strand(ioc),
                        [this](beast::error_code ec, tcp::socket socket) {
                          OnAccept(ec, std::move(socket));
                        });
}

void Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
  if (ec) {
    // EMFILE and friends: back off instead of spinning.
    dispatcher->logger().Warn("accept failed", {{"error", ec.message()}});
    accept_retry.expires_after(std::chrono::milliseconds(100));
    accept_retry.async_wait([this](beast::error_code e) {
      if (!e && !stopping.load()) DoAccept();
    });
    return;
  }
  beast::error_code opt_ec;
  socket.set_option(tcp::no_delay(true), opt_ec);
  auto remote = socket.remote_endpoint(opt_ec);
  std::string ip = opt_ec ? std::string() : remote.address().to_string();
  if (connections.load(std::memory_order_relaxed) >= config.max_connections) {
    if (tls) {
      socket.close(opt_ec);
    } else {
      Reject(std::move(socket));
    }
  } else if (tls) {
    std::make_shared<TlsSession>(*this, std::move(socket), std::move(ip))
        ->Start();
  } else {
    std::make_shared<PlainSession>(*this, std::move(socket), std::move(ip))
        ->Start();
  }
  DoAccept();
}

void Impl::BeginShutdown() {
  dispatcher->logger().Info(
      "shutting down",
      {{"open_connections", static_cast<uint64_t>(connections.load())}});
  dispatcher->SetDraining();
  beast::error_code ec;
  acceptor.close(ec);
  accept_retry.cancel();
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard<std::mutex> lock(sessions_mu);
    for (SessionBase* s : sessions) {
      if (auto p = s->Lock()) live.push_back(std::move(p));
    }
  }
  for (auto& s : live) s->NotifyShutdown();
  live.clear();
  shutdown_deadline = Clock::now() + config.shutdown_timeout;
  PollDrain();
}

void Impl::PollDrain() {
  if (connections.load() == 0) {
    if (signals) signals->cancel();
    return;  // nothing left: the io_context runs out of work
  }
  if (Clock::now() >= shutdown_deadline) {
    dispatcher->logger().Warn(
        "shutdown deadline passed; closing remaining connections",
        {{"open_connections", static_cast<uint64_t>(connections.load())}});
    ioc.stop();
    return;
  }
  drain_timer.expires_after(std::chrono::milliseconds(20));
  drain_timer.async_wait([this](beast::error_code e) {
    if (!e) PollDrain();
  });
}

void Impl::WaitSignal() {
  signals->async_wait([this](beast::error_code ec, int signo) {
    if (ec) return;
    if (stopping.exchange(true)) {
      dispatcher->logger().Warn("second signal; stopping now",
                                {{"signal", signo}});
      ioc.stop();
      return;
    }
    dispatcher->logger().Info("signal received", {{"signal", signo}});
    // Re-arm first: PollDrain() cancels the wait once everything is closed.
    WaitSignal();
    BeginShutdown();
  });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<Server>> Server::Create(ServerConfig config,
                                               Router router,
                                               ServerHooks hooks) {
  CREDSTACK_RETURN_IF_ERROR(FinalizeConfig(config));
  auto impl = std::make_unique<Impl>(config.workers);
  CREDSTACK_ASSIGN_OR_RETURN(
      impl->dispatcher,
      Dispatcher::Create(config, std::move(router), std::move(hooks)));
  impl->config = std::move(config);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::~Server() {
  if (impl_->started && !impl_->waited) {
    Shutdown();
    (void)Wait();
  }
}

Dispatcher& Server::dispatcher() { return *impl_->dispatcher; }

uint16_t Server::port() const { return impl_->bound_port; }

Status Server::Start(bool handle_signals) {
  Impl& s = *impl_;
  if (s.started) return FailedPreconditionError("server already started");
  const ServerConfig& c = s.config;
  if (!c.tls_cert.empty()) {
    s.tls.emplace(ssl::context::tls_server);
    beast::error_code ec;
    s.tls->set_options(ssl::context::default_workarounds |
                           ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                           ssl::context::single_dh_use,
                       ec);
    s.tls->use_certificate_chain_file(c.tls_cert, ec);
    if (ec) {
      return InvalidArgumentError("tls-cert: cannot load " + c.tls_cert + ": " +
                                  ec.message());
    }
    s.tls->use_private_key_file(c.tls_key, ssl::context::pem, ec);
    if (ec) {
      return InvalidArgumentError("tls-key: cannot load " + c.tls_key + ": " +
                                  ec.message());
    }
  }

  beast::error_code ec;
  std::string host = c.listen_host == "localhost" ? "127.0.0.1" : c.listen_host;
  net::ip::address addr = net::ip::make_address(host, ec);
  if (ec) {
    return InvalidArgumentError("listen: '" + c.listen_host +
                                "' is not an IP address or localhost");
  }
  tcp::endpoint ep(addr, c.listen_port);
  std::string where = c.listen_host + ":" + std::to_string(c.listen_port);
  s.acceptor.open(ep.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(ep, ec);
  if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return UnavailableError("cannot listen on " + where + ": " + ec.message());
  }
  s.bound_port = s.acceptor.local_endpoint(ec).port();

  if (handle_signals) {
    s.signals.emplace(s.control, SIGINT, SIGTERM);
    s.WaitSignal();
  }
  s.blocking_pool.emplace(static_cast<size_t>(c.blocking_workers));
  net::dispatch(s.control, [&s] { s.DoAccept(); });
  s.started = true;
  s.threads.reserve(static_cast<size_t>(c.workers));
  for (int i = 0; i < c.workers; ++i) {
    s.threads.emplace_back([&s] { s.ioc.run(); });
  }
  s.dispatcher->logger().Info("listening",
                              {{"address", s.config.listen_host},
                               {"port", static_cast<int64_t>(s.bound_port)},
                               {"tls", s.tls.has_value()},
                               {"workers", s.config.workers}});
  return OkStatus();
}

void Server::Shutdown() {
  Impl& s = *impl_;
  if (!s.started) return;
  if (s.stopping.exchange(true)) return;
  net::post(s.control, [&s] { s.BeginShutdown(); });
}

Status Server::Wait() {
  Impl& s = *impl_;
  if (!s.started) return FailedPreconditionError("server not started");
  if (s.waited) return OkStatus();
  for (std::thread& t : s.threads) t.join();
  s.threads.clear();
  if (s.blocking_pool) s.blocking_pool->join();
  s.waited = true;
  s.dispatcher->logger().Info("stopped");
  return OkStatus();
}

Status Server::Run() {
  CREDSTACK_RETURN_IF_ERROR(Start(/*handle_signals=*/true));
  return Wait();
}

}  // namespace credstack::server
