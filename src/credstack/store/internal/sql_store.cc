#include "credstack/store/internal/sql_store.h"

namespace credstack::store::internal {
namespace {
thread_local bool in_transaction = false;
}  // namespace

TxScope::TxScope() : outer_(!in_transaction) { in_transaction = true; }
TxScope::~TxScope() {
  if (outer_) in_transaction = false;
}

Status TxScope::CheckNotNested() {
  if (in_transaction) {
    return FailedPreconditionError(
        "store: Transact/Read called inside another transaction's callback");
  }
  return OkStatus();
}

}  // namespace credstack::store::internal
