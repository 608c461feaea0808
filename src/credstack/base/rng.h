#pragma once

// The source of randomness. Production code uses crypto::SecureRng
// (libsodium); tests may use a seeded deterministic one.

#include <cstdint>
#include <span>

namespace credstack {

class Rng {
 public:
  virtual ~Rng() = default;
  // Fills out with random bytes. Thread-safety is up to the implementation.
  virtual void Fill(std::span<uint8_t> out) = 0;

  uint64_t NextU64() {
    uint64_t v = 0;
    Fill({reinterpret_cast<uint8_t*>(&v), sizeof v});
    return v;
  }
  // Uniform in [0, bound), bound > 0, without modulo bias.
  uint64_t Uniform(uint64_t bound) {
    uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    for (;;) {
      uint64_t v = NextU64();
      if (v < limit) return v % bound;
    }
  }
};

// splitmix64: deterministic, for tests and reproducible data generation only.
class DeterministicRng final : public Rng {
 public:
  explicit DeterministicRng(uint64_t seed) : state_(seed) {}
  void Fill(std::span<uint8_t> out) override {
    for (size_t i = 0; i < out.size(); i += 8) {
      uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      z ^= z >> 31;
      for (size_t j = 0; j < 8 && i + j < out.size(); ++j) {
        out[i + j] = static_cast<uint8_t>(z >> (8 * j));
      }
    }
  }

 private:
  uint64_t state_;
};

}  // namespace credstack
