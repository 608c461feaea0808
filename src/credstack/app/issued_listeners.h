#pragma once

// Listeners told about the credentials this deployment issues, after the
// transaction that stored them has committed: single issuance
// (IssuanceService::Issue), every batch of a bulk job (BulkService) and
// VC-API issuance to a DID subject (VcApiIssuer). The pathway service is
// one: it links each credential to the learner its recipient belongs to
// and awards the pathways it completes (server::InstallSkills registers
// it). A listener never fails or undoes an issuance; its errors are
// reported and counted.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/store/types.h"

namespace credstack::app {

// One newly stored credential. Both members borrow from the caller and are
// valid for the duration of the listener call only.
struct IssuedEvent {
  const store::Credential* credential = nullptr;  // as stored; never null
  // The recipient as requested: a DID or an email address (plain, or with
  // "email:"/"mailto:"). For an email only the salted hash is stored, so
  // this is the one place a listener can learn the address.
  std::string_view recipient;
};

// Receives the credentials one transaction stored (one for a single
// issuance, up to a batch for bulk), on the issuing thread, outside any
// transaction. It may issue credentials itself: that nested issuance
// notifies again, on the same thread. Must be thread-safe (bulk workers
// call it concurrently) and should be cheap for recipients it does not
// care about: it runs once per bulk batch.
using IssuedListener = std::function<Status(std::span<const IssuedEvent>)>;

// Thread-safe, including Add() while other threads Notify().
class IssuedListeners {
 public:
  // on_error is told of each failed listener call (e.g. to log it); it may
  // be empty.
  explicit IssuedListeners(
      std::function<void(const Status&)> on_error = nullptr);

  void Add(IssuedListener listener);
  // Whether no listener is registered (callers then skip building events).
  bool empty() const;
  // Calls every listener with the events, in registration order. Errors go
  // to on_error and the failure count; Notify itself cannot fail.
  void Notify(std::span<const IssuedEvent> events) const;
  // Listener calls that returned an error so far.
  uint64_t failures() const { return failures_.load(); }

 private:
  std::function<void(const Status&)> on_error_;
  mutable std::mutex mu_;
  // Replaced, never modified, so Notify runs without holding mu_ (a
  // listener that issues re-enters Notify).
  std::shared_ptr<const std::vector<IssuedListener>> listeners_;  // mu_
  mutable std::atomic<uint64_t> failures_{0};
};

}  // namespace credstack::app
