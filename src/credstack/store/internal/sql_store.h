#pragma once

// What both SQL backends share beyond Store: a hook for tests and the guard
// against nested transactions. Internal to store/.

#include <string_view>

#include "credstack/base/status.h"
#include "credstack/store/store.h"

namespace credstack::store::internal {

class SqlStore : public Store {
 public:
  // Runs raw SQL (one or more statements) outside any repository, in its own
  // transaction. For tests only (e.g. faking a newer schema version).
  virtual Status ExecScriptForTesting(std::string_view sql) = 0;
};

// Marks the current thread as inside a Transact/Read callback of some store
// for its lifetime. A nested call on the same thread would deadlock on
// SQLite's writer or exhaust the PostgreSQL pool, so it fails instead.
class TxScope {
 public:
  TxScope();
  ~TxScope();
  TxScope(const TxScope&) = delete;
  TxScope& operator=(const TxScope&) = delete;
  // kFailedPrecondition when the thread is already inside a callback.
  static Status CheckNotNested();

 private:
  bool outer_;
};

}  // namespace credstack::store::internal
