#include "credstack/server/rate_limiter.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace credstack::server {
namespace {

struct FakeTime {
  int64_t nanos = 1'000'000'000;
  RateLimiter::NowFn fn() {
    return [this] { return nanos; };
  }
  void Advance(double seconds) { nanos += static_cast<int64_t>(seconds * 1e9); }
};

TEST(RateLimiter, BurstThenRefusalWithRetryAfter) {
  FakeTime t;
  RateLimiter rl({.rate = 2, .burst = 3}, t.fn());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(rl.Acquire("k").allowed) << i;
  RateDecision d = rl.Acquire("k");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 1);
  // Other keys have their own buckets.
  EXPECT_TRUE(rl.Acquire("other").allowed);
  t.Advance(0.5);  // one token at 2/s
  EXPECT_TRUE(rl.Acquire("k").allowed);
  EXPECT_FALSE(rl.Acquire("k").allowed);
}

TEST(RateLimiter, RetryAfterReflectsSlowRates) {
  FakeTime t;
  RateLimiter rl({.rate = 0.1, .burst = 1}, t.fn());
  EXPECT_TRUE(rl.Acquire("k").allowed);
  RateDecision d = rl.Acquire("k");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 10);
}

TEST(RateLimiter, DisabledAllowsEverything) {
  RateLimiter rl({.rate = 0});
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(rl.Acquire("k").allowed);
  EXPECT_EQ(rl.size(), 0u);
}

TEST(RateLimiter, MemoryIsBounded) {
  FakeTime t;
  RateLimiter rl({.rate = 1, .burst = 1, .max_keys = 160}, t.fn());
  for (int i = 0; i < 100'000; ++i) {
    rl.Acquire("ip-" + std::to_string(i));
  }
  EXPECT_LE(rl.size(), 160u);
}

// Keys landing in the same shard as `key` (the limiter has 16 shards).
std::vector<std::string> SameShard(std::string_view key, int n) {
  std::vector<std::string> out;
  size_t shard = std::hash<std::string_view>()(key) % 16;
  for (int i = 0; static_cast<int>(out.size()) < n; ++i) {
    std::string k = "k" + std::to_string(i);
    if (std::hash<std::string_view>()(k) % 16 == shard) out.push_back(k);
  }
  return out;
}

TEST(RateLimiter, EvictsIdleBucketsBeforeDrainedOnes) {
  FakeTime t;
  // Four buckets per shard.
  RateLimiter rl({.rate = 1, .burst = 5, .max_keys = 64}, t.fn());
  std::vector<std::string> others = SameShard("hot", 4);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(rl.Acquire("hot").allowed);
  for (int i = 0; i < 3; ++i) rl.Acquire(others[i]);
  t.Advance(1.5);         // the others refill to full; "hot" holds 1.5 tokens
  rl.Acquire(others[3]);  // the shard is full: one bucket must go
  // "hot" was least recently used, but it is not idle, so it stays: one
  // token left, not a fresh bucket of five.
  EXPECT_TRUE(rl.Acquire("hot").allowed);
  EXPECT_FALSE(rl.Acquire("hot").allowed);
}

}  // namespace
}  // namespace credstack::server
