#include "credstack/server/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace credstack::server {
namespace {

bool Contains(const std::string& text, std::string_view needle) {
  return text.find(needle) != std::string::npos;
}

TEST(Metrics, CountsByRouteMethodAndStatus) {
  Metrics m;
  m.SetRoutes({"/healthz", "/api/v1/orgs/{org}"});
  m.RecordRequest(0, "GET", 200, 0.0004);
  m.RecordRequest(0, "GET", 200, 0.003);
  m.RecordRequest(1, "POST", 409, 0.02);
  m.RecordRequest(m.unmatched_route(), "GET", 404, 0.0001);
  EXPECT_EQ(m.RequestCount(0, "GET", 200), 2u);
  EXPECT_EQ(m.RequestCount(1, "POST", 409), 1u);
  EXPECT_EQ(m.RequestCount(1, "GET", 409), 0u);
  std::string text = m.Render();
  EXPECT_TRUE(Contains(text,
                       "http_requests_total{route=\"/"
                       "healthz\",method=\"GET\",status=\"200\"} 2\n"))
      << text;
  EXPECT_TRUE(Contains(text,
                       "http_requests_total{route=\"/api/v1/orgs/{org}\","
                       "method=\"POST\",status=\"409\"} 1\n"));
  EXPECT_TRUE(Contains(text,
                       "http_requests_total{route=\"unmatched\",method=\"GET\","
                       "status=\"404\"} 1\n"));
  // Histogram buckets are cumulative.
  EXPECT_TRUE(Contains(text,
                       "http_request_duration_seconds_bucket{route=\"/"
                       "healthz\",le=\"0.0005\"} 1\n"));
  EXPECT_TRUE(Contains(text,
                       "http_request_duration_seconds_bucket{route=\"/"
                       "healthz\",le=\"0.005\"} 2\n"));
  EXPECT_TRUE(Contains(text,
                       "http_request_duration_seconds_bucket{route=\"/"
                       "healthz\",le=\"+Inf\"} 2\n"));
  EXPECT_TRUE(Contains(
      text, "http_request_duration_seconds_count{route=\"/healthz\"} 2\n"));
  EXPECT_TRUE(
      Contains(text, "# TYPE http_request_duration_seconds histogram\n"));
}

TEST(Metrics, ApplicationCountersAndGauges) {
  Metrics m;
  m.CredentialsIssued(3);
  m.CredentialVerified(true);
  m.CredentialVerified(false);
  m.CredentialVerified(false);
  m.AddInFlight(2);
  m.AddGauge(
      {"credstack_db_pool_in_use", "Connections in use", [] { return 7.0; }});
  std::string text = m.Render();
  EXPECT_TRUE(Contains(text, "credstack_credentials_issued_total 3\n")) << text;
  EXPECT_TRUE(Contains(
      text, "credstack_credentials_verified_total{result=\"verified\"} 1\n"));
  EXPECT_TRUE(Contains(
      text, "credstack_credentials_verified_total{result=\"failed\"} 2\n"));
  EXPECT_TRUE(Contains(text, "http_requests_in_flight 2\n"));
  EXPECT_TRUE(Contains(
      text,
      "# TYPE credstack_db_pool_in_use gauge\ncredstack_db_pool_in_use 7\n"));
}

TEST(Metrics, ConcurrentRecordingLosesNothing) {
  Metrics m;
  m.SetRoutes({"/a"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m, t] {
      for (int i = 0; i < 10000; ++i) {
        m.RecordRequest(0, t % 2 ? "GET" : "POST", 200 + (i % 3), 0.001);
      }
    });
  }
  for (auto& t : threads) t.join();
  uint64_t total = 0;
  for (int s = 200; s < 203; ++s) total += m.RequestCount(0, "", s);
  EXPECT_EQ(total, 40000u);
  EXPECT_TRUE(Contains(
      m.Render(), "http_request_duration_seconds_count{route=\"/a\"} 40000\n"));
}

TEST(Metrics, LabelValuesAreEscaped) {
  Metrics m;
  m.SetRoutes({"/x\"y\\z"});
  m.RecordRequest(0, "GET", 200, 0);
  EXPECT_TRUE(Contains(m.Render(), "route=\"/x\\\"y\\\\z\""));
}

}  // namespace
}  // namespace credstack::server
