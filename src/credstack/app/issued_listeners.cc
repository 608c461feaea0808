#include "credstack/app/issued_listeners.h"

#include <utility>

namespace credstack::app {

IssuedListeners::IssuedListeners(std::function<void(const Status&)> on_error)
    : on_error_(std::move(on_error)),
      listeners_(std::make_shared<const std::vector<IssuedListener>>()) {}

void IssuedListeners::Add(IssuedListener listener) {
  std::lock_guard<std::mutex> lock(mu_);
  auto next = std::make_shared<std::vector<IssuedListener>>(*listeners_);
  next->push_back(std::move(listener));
  listeners_ = std::move(next);
}

bool IssuedListeners::empty() const {
  std::lock_guard<std::mutex> lock(mu_);
  return listeners_->empty();
}

void IssuedListeners::Notify(std::span<const IssuedEvent> events) const {
  if (events.empty()) return;
  std::shared_ptr<const std::vector<IssuedListener>> listeners;
  {
    std::lock_guard<std::mutex> lock(mu_);
    listeners = listeners_;
  }
  for (const IssuedListener& l : *listeners) {
    Status s = l(events);
    if (s.ok()) continue;
    failures_.fetch_add(1);
    if (on_error_) on_error_(s);
  }
}

}  // namespace credstack::app
