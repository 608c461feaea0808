#pragma once

// `credstack log verify`: recomputes the transparency log from storage and
// reports every inconsistency. Detects an altered leaf (data no longer
// hashing to its recorded leaf hash, or a tree that no longer matches the
// signed checkpoints and stored tiles), a removed leaf (a gap in the
// sequence), reordered leaves (roots and tiles differ), checkpoints that
// are not signed by the log key or do not match the recomputed tree,
// externally known checkpoints the log no longer extends (rollback, fork),
// and issued credentials without an "issued" leaf.

#include <cstdint>
#include <string>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/store/store.h"
#include "credstack/tlog/note.h"

namespace credstack::app {

struct LogAuditOptions {
  // When set, every stored checkpoint must carry its valid signature.
  const tlog::NoteVerifier* log_key = nullptr;
  // Checkpoint notes seen elsewhere (a monitor's or witness's state): each
  // must match the recomputed tree at its size.
  std::vector<std::string> known_checkpoints;
  // Also check that every stored credential has an "issued" leaf.
  bool check_credentials = true;
  // Stop listing after this many problems (the count keeps going).
  size_t max_problems = 100;
};

struct LogAuditReport {
  uint64_t entries = 0;          // sequenced entries read
  uint64_t integrated_size = 0;  // the integrator's published size
  uint64_t checkpoints_checked = 0;
  uint64_t tiles_checked = 0;
  uint64_t credentials_checked = 0;
  uint64_t problem_count = 0;
  std::vector<std::string> problems;

  bool ok() const { return problem_count == 0; }
  std::string Summary() const;
};

// Reads the whole log once (pages of entries; O(tree) hashing). A Status
// only when storage cannot be read; findings go in the report.
Result<LogAuditReport> AuditLog(store::Store& store, const LogAuditOptions& options = {});

}  // namespace credstack::app
