#pragma once

// Prometheus metrics in the text exposition format (version 0.0.4):
//   http_requests_total{route,method,status}       counter
//   http_request_duration_seconds{route}           histogram
//   http_requests_in_flight                        gauge
//   http_connections_open                          gauge
//   credstack_credentials_issued_total             counter
//   credstack_credentials_verified_total{result}   counter
//   plus gauges read from callbacks at scrape time (database pool, ...).
// Recording is lock-free (relaxed atomics); the hot path never allocates.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace credstack::server {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Declares the route labels; index i is route id i, and one more slot
  // labelled "unmatched" follows for requests no route took. Call once
  // before serving.
  void SetRoutes(const std::vector<std::string>& route_labels);
  size_t unmatched_route() const { return route_count_; }

  // Records one finished request. route: an id from SetRoutes() or
  // unmatched_route(); method: the request method name (static storage).
  void RecordRequest(size_t route, std::string_view method, int status,
                     double seconds);

  void AddInFlight(int64_t delta) {
    in_flight_.fetch_add(delta, std::memory_order_relaxed);
  }
  void AddConnections(int64_t delta) {
    connections_.fetch_add(delta, std::memory_order_relaxed);
  }
  // Use cases call these.
  void CredentialsIssued(uint64_t n = 1) {
    issued_.fetch_add(n, std::memory_order_relaxed);
  }
  void CredentialVerified(bool verified) {
    (verified ? verified_ok_ : verified_failed_)
        .fetch_add(1, std::memory_order_relaxed);
  }

  // A gauge sampled at scrape time, e.g. {"credstack_db_pool_in_use",
  // "Connections in use", fn}. The callback runs on the scraping thread and
  // must be thread-safe. Register before serving.
  struct GaugeCallback {
    std::string name;  // [a-zA-Z_:][a-zA-Z0-9_:]*
    std::string help;
    std::function<double()> read;
  };
  void AddGauge(GaugeCallback gauge);

  // The whole exposition text.
  std::string Render() const;

  // Counter value of http_requests_total for tests; sums methods when
  // method is empty.
  uint64_t RequestCount(size_t route, std::string_view method,
                        int status) const;

  // Upper bounds of the latency buckets, in seconds.
  static constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                        0.025,  0.05,  0.1,    0.25,  0.5,
                                        1,      2.5,   5,      10};
  static constexpr size_t kBucketCount = sizeof(kBuckets) / sizeof(double);

 private:
  struct RouteStats;
  std::vector<std::string> labels_;
  size_t route_count_ = 0;
  std::unique_ptr<RouteStats[]> stats_;
  std::atomic<int64_t> in_flight_{0};
  std::atomic<int64_t> connections_{0};
  std::atomic<uint64_t> issued_{0};
  std::atomic<uint64_t> verified_ok_{0};
  std::atomic<uint64_t> verified_failed_{0};
  mutable std::mutex gauges_mu_;
  std::vector<GaugeCallback> gauges_;
};

}  // namespace credstack::server
