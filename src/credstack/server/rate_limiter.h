#pragma once

// Token-bucket rate limiting keyed by API key id or client IP, with a hard
// bound on memory: each of the shards holds at most max_keys / shards
// buckets and evicts idle (full) buckets, then the least recently used one.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

namespace credstack::server {

struct RateLimitOptions {
  // Sustained requests per second; 0 disables the limiter.
  double rate = 0;
  // Bucket size: requests allowed in a burst.
  double burst = 0;
  // Most buckets kept in memory (roughly 100 bytes each).
  size_t max_keys = 100'000;
};

struct RateDecision {
  bool allowed = true;
  // When refused: seconds until one token is available (Retry-After,
  // RFC 9110 §10.2.3), at least 1.
  int64_t retry_after_seconds = 0;
};

class RateLimiter {
 public:
  // Monotonic time in nanoseconds; tests pass a fake.
  using NowFn = std::function<int64_t()>;

  explicit RateLimiter(RateLimitOptions options, NowFn now = nullptr);
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  bool enabled() const { return options_.rate > 0; }
  // Takes one token from key's bucket. Thread-safe.
  RateDecision Acquire(std::string_view key);
  // Buckets currently held (for tests and metrics).
  size_t size() const;

 private:
  struct Shard;
  RateLimitOptions options_;
  NowFn now_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace credstack::server
