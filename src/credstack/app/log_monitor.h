#pragma once

// Monitors and witnesses (`credstack log monitor`, `credstack witness`):
// given the last trusted checkpoint and a new one, decide whether the log
// only grew (RFC 9162 §2.1.4 consistency proof), stayed the same, was
// rolled back, or forked; and fetch checkpoints and proofs from a log over
// HTTP.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/app/http_fetcher.h"
#include "credstack/base/status.h"
#include "credstack/tlog/checkpoint.h"
#include "credstack/tlog/merkle.h"
#include "credstack/tlog/note.h"

namespace credstack::app {

enum class AdvanceKind {
  kFirst,      // nothing trusted yet: trust on first use
  kUnchanged,  // same size and root
  kAdvanced,   // larger and consistent
  kRollback,   // smaller tree than the trusted one
  kFork,       // same size with another root, or not consistent
};
std::string_view AdvanceKindName(AdvanceKind k);

struct CheckpointAdvance {
  AdvanceKind kind = AdvanceKind::kFirst;
  tlog::Checkpoint trusted;  // when there was one
  tlog::Checkpoint latest;
  std::string detail;
  bool alert() const { return kind == AdvanceKind::kRollback || kind == AdvanceKind::kFork; }
};

using ConsistencyFn =
    std::function<Result<std::vector<tlog::Hash>>(uint64_t from, uint64_t to)>;

// Opens `latest_note` with the log key (kUnauthenticated if it is not
// validly signed) and compares it with `trusted_note` (empty: none).
Result<CheckpointAdvance> CheckAdvance(std::string_view trusted_note, std::string_view latest_note,
                                       const tlog::NoteVerifier& log_key,
                                       const ConsistencyFn& consistency);

// GET <log_url>/checkpoint.
Result<std::string> FetchCheckpoint(const HttpFetcher& http, std::string_view log_url);
// GET <log_url>/proof/consistency?from=A&to=B.
Result<std::vector<tlog::Hash>> FetchConsistencyProof(const HttpFetcher& http,
                                                      std::string_view log_url, uint64_t from,
                                                      uint64_t to);

}  // namespace credstack::app
