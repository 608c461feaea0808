#include "credstack/server/rate_limiter.h"

#include <cmath>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace credstack::server {
namespace {

constexpr size_t kShards = 16;

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return std::hash<std::string_view>()(s);
  }
};

}  // namespace

struct RateLimiter::Shard {
  struct Bucket {
    double tokens = 0;
    int64_t updated = 0;
    std::list<std::string>::iterator lru;
  };
  std::mutex mu;
  // Most recently used at the front.
  std::list<std::string> lru;
  std::unordered_map<std::string, Bucket, StringHash, std::equal_to<>> buckets;
};

RateLimiter::RateLimiter(RateLimitOptions options, NowFn now)
    : options_(options),
      now_(now ? std::move(now) : NowFn(SteadyNanos)),
      shards_(new Shard[kShards]) {
  if (options_.burst < 1) options_.burst = std::max(1.0, options_.rate);
  if (options_.max_keys < kShards) options_.max_keys = kShards;
}

RateLimiter::~RateLimiter() = default;

RateDecision RateLimiter::Acquire(std::string_view key) {
  if (!enabled()) return {};
  Shard& shard = shards_[std::hash<std::string_view>()(key) % kShards];
  const size_t per_shard = options_.max_keys / kShards;
  int64_t now = now_();
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= per_shard) {
      // A bucket that has refilled completely is the same as a new one, so
      // dropping idle buckets loses nothing; walk from the LRU end.
      size_t scanned = 0;
      for (auto l = shard.lru.end(); l != shard.lru.begin() && scanned < 64;
           ++scanned) {
        --l;
        auto b = shard.buckets.find(*l);
        double refill =
            b->second.tokens +
            static_cast<double>(now - b->second.updated) * 1e-9 * options_.rate;
        if (refill >= options_.burst) {
          shard.buckets.erase(b);
          l = shard.lru.erase(l);
        }
      }
      if (shard.buckets.size() >= per_shard) {
        shard.buckets.erase(shard.lru.back());
        shard.lru.pop_back();
      }
    }
    shard.lru.emplace_front(key);
    it = shard.buckets
             .emplace(std::string(key),
                      Shard::Bucket{options_.burst, now, shard.lru.begin()})
             .first;
  } else {
    shard.lru.splice(shard.lru.begin(), shard.lru, it->second.lru);
  }
  Shard::Bucket& b = it->second;
  double elapsed = static_cast<double>(now - b.updated) * 1e-9;
  if (elapsed > 0) {
    b.tokens = std::min(options_.burst, b.tokens + elapsed * options_.rate);
    b.updated = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return {};
  }
  double wait = (1 - b.tokens) / options_.rate;
  return {false, std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait)))};
}

size_t RateLimiter::size() const {
  size_t n = 0;
  for (size_t i = 0; i < kShards; ++i) {
    std::lock_guard<std::mutex> lock(shards_[i].mu);
    n += shards_[i].buckets.size();
  }
  return n;
}

}  // namespace credstack::server
