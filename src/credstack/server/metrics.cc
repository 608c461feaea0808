#include "credstack/server/metrics.h"

#include <charconv>
#include <cmath>

namespace credstack::server {
namespace {

// Enough distinct (method, status) pairs per route; more are folded into
// the last slot's status "other".
constexpr size_t kSlots = 24;
constexpr std::string_view kMethods[] = {"GET",   "HEAD",   "POST",    "PUT",
                                         "PATCH", "DELETE", "OPTIONS", "OTHER"};

uint32_t MethodIndex(std::string_view m) {
  for (uint32_t i = 0; i < std::size(kMethods); ++i) {
    if (kMethods[i] == m) return i;
  }
  return std::size(kMethods) - 1;
}

void AppendEscapedLabel(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

// Shortest text that reads back as v ("0.0005", not "0.00050000000000000001").
void AppendDouble(std::string& out, double v) {
  char buf[400];  // fixed notation of any double fits
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  if (ec == std::errc()) out.append(buf, static_cast<size_t>(end - buf));
}

}  // namespace

struct Metrics::RouteStats {
  // key = method_index << 16 | status; 0 = free slot.
  std::atomic<uint32_t> keys[kSlots] = {};
  std::atomic<uint64_t> counts[kSlots] = {};
  std::atomic<uint64_t> buckets[kBucketCount + 1] = {};  // last: +Inf
  std::atomic<uint64_t> sum_nanos{0};
  std::atomic<uint64_t> count{0};
};

Metrics::Metrics() { SetRoutes({}); }
Metrics::~Metrics() = default;

void Metrics::SetRoutes(const std::vector<std::string>& route_labels) {
  labels_ = route_labels;
  labels_.push_back("unmatched");
  route_count_ = route_labels.size();
  stats_.reset(new RouteStats[labels_.size()]);
}

void Metrics::RecordRequest(size_t route, std::string_view method, int status,
                            double seconds) {
  if (route > route_count_) route = route_count_;
  RouteStats& s = stats_[route];
  uint32_t key =
      (MethodIndex(method) << 16) |
      static_cast<uint32_t>(status > 0 && status < 1000 ? status : 0);
  key |= 1u << 31;  // never 0
  size_t i = 0;
  for (; i < kSlots; ++i) {
    uint32_t k = s.keys[i].load(std::memory_order_acquire);
    if (k == key) break;
    if (k == 0) {
      uint32_t expected = 0;
      if (s.keys[i].compare_exchange_strong(expected, key,
                                            std::memory_order_acq_rel) ||
          expected == key) {
        break;
      }
    }
  }
  if (i == kSlots) i = kSlots - 1;  // overflow: counted in the last slot
  s.counts[i].fetch_add(1, std::memory_order_relaxed);

  size_t b = 0;
  while (b < kBucketCount && seconds > kBuckets[b]) ++b;
  s.buckets[b].fetch_add(1, std::memory_order_relaxed);
  s.sum_nanos.fetch_add(static_cast<uint64_t>(std::llround(seconds * 1e9)),
                        std::memory_order_relaxed);
  s.count.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::AddGauge(GaugeCallback gauge) {
  std::lock_guard<std::mutex> lock(gauges_mu_);
  gauges_.push_back(std::move(gauge));
}

uint64_t Metrics::RequestCount(size_t route, std::string_view method,
                               int status) const {
  if (route > route_count_) return 0;
  const RouteStats& s = stats_[route];
  uint64_t total = 0;
  for (size_t i = 0; i < kSlots; ++i) {
    uint32_t k = s.keys[i].load(std::memory_order_acquire);
    if (k == 0) continue;
    if (static_cast<int>(k & 0xffff) != status) continue;
    if (!method.empty() && ((k >> 16) & 0x7fff) != MethodIndex(method)) {
      continue;
    }
    total += s.counts[i].load(std::memory_order_relaxed);
  }
  return total;
}

std::string Metrics::Render() const {
  std::string out;
  out.reserve(4096);
  out +=
      "# HELP http_requests_total HTTP requests by route, method and status.\n"
      "# TYPE http_requests_total counter\n";
  for (size_t r = 0; r < labels_.size(); ++r) {
    const RouteStats& s = stats_[r];
    for (size_t i = 0; i < kSlots; ++i) {
      uint32_t k = s.keys[i].load(std::memory_order_acquire);
      if (k == 0) continue;
      out += "http_requests_total{route=\"";
      AppendEscapedLabel(out, labels_[r]);
      out += "\",method=\"";
      out += kMethods[std::min<size_t>((k >> 16) & 0x7fff, 7)];
      out += "\",status=\"";
      out += std::to_string(k & 0xffff);
      out += "\"} ";
      out += std::to_string(s.counts[i].load(std::memory_order_relaxed));
      out += '\n';
    }
  }
  out +=
      "# HELP http_request_duration_seconds Time from request head to "
      "response, by route.\n"
      "# TYPE http_request_duration_seconds histogram\n";
  for (size_t r = 0; r < labels_.size(); ++r) {
    const RouteStats& s = stats_[r];
    uint64_t count = s.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    std::string label = "route=\"";
    AppendEscapedLabel(label, labels_[r]);
    label += '"';
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBucketCount; ++b) {
      cumulative += s.buckets[b].load(std::memory_order_relaxed);
      out += "http_request_duration_seconds_bucket{" + label + ",le=\"";
      if (b == kBucketCount) {
        out += "+Inf";
      } else {
        AppendDouble(out, kBuckets[b]);
      }
      out += "\"} " + std::to_string(cumulative) + '\n';
    }
    out += "http_request_duration_seconds_sum{" + label + "} ";
    AppendDouble(
        out, static_cast<double>(s.sum_nanos.load(std::memory_order_relaxed)) *
                 1e-9);
    out += "\nhttp_request_duration_seconds_count{" + label + "} " +
           std::to_string(count) + '\n';
  }
  out +=
      "# HELP http_requests_in_flight Requests being handled.\n"
      "# TYPE http_requests_in_flight gauge\n"
      "http_requests_in_flight " +
      std::to_string(in_flight_.load(std::memory_order_relaxed)) +
      "\n# HELP http_connections_open Open client connections.\n"
      "# TYPE http_connections_open gauge\n"
      "http_connections_open " +
      std::to_string(connections_.load(std::memory_order_relaxed)) +
      "\n# HELP credstack_credentials_issued_total Credentials issued.\n"
      "# TYPE credstack_credentials_issued_total counter\n"
      "credstack_credentials_issued_total " +
      std::to_string(issued_.load(std::memory_order_relaxed)) +
      "\n# HELP credstack_credentials_verified_total Credentials verified, "
      "by result.\n"
      "# TYPE credstack_credentials_verified_total counter\n"
      "credstack_credentials_verified_total{result=\"verified\"} " +
      std::to_string(verified_ok_.load(std::memory_order_relaxed)) +
      "\ncredstack_credentials_verified_total{result=\"failed\"} " +
      std::to_string(verified_failed_.load(std::memory_order_relaxed)) + "\n";
  std::lock_guard<std::mutex> lock(gauges_mu_);
  for (const GaugeCallback& g : gauges_) {
    double v = g.read ? g.read() : 0;
    out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name +
           " gauge\n" + g.name + " ";
    if (std::isnan(v)) {
      out += "NaN";
    } else {
      AppendDouble(out, v);
    }
    out += '\n';
  }
  return out;
}

}  // namespace credstack::server
