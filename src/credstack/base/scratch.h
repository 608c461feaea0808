#pragma once

// Per-thread reusable buffers for hot paths (canonicalization, JSON-LD to
// RDF, proof hashing), so that verifying a typical credential allocates
// almost nothing. ThreadScratch<T> lends this thread's T, or a fresh T when
// the thread's one is already lent (re-entry). T needs Clear(), which
// empties it but keeps its capacity, and Large(), true when it holds so
// much memory that keeping it would pin one huge document's worth.

#include <optional>

namespace credstack {

template <typename T>
class ThreadScratch {
 public:
  ThreadScratch() {
    Slot& s = ThisThread();
    if (s.in_use) {
      own_.emplace();
      t_ = &*own_;
    } else {
      s.in_use = true;
      t_ = &s.value;
    }
  }
  ~ThreadScratch() {
    if (own_) return;
    t_->Clear();
    if (t_->Large()) *t_ = T();
    ThisThread().in_use = false;
  }
  ThreadScratch(const ThreadScratch&) = delete;
  ThreadScratch& operator=(const ThreadScratch&) = delete;

  T& operator*() const { return *t_; }
  T* operator->() const { return t_; }

 private:
  struct Slot {
    T value;
    bool in_use = false;
  };
  static Slot& ThisThread() {
    thread_local Slot slot;
    return slot;
  }
  T* t_ = nullptr;
  std::optional<T> own_;
};

}  // namespace credstack
