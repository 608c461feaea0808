#pragma once

// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the note text
// origin / tree size / base64 root hash / extension lines, and helpers to
// sign and open checkpoint notes. Format: docs/formats/checkpoint.md.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/tlog/merkle.h"
#include "credstack/tlog/note.h"

namespace credstack::tlog {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
  // Opaque, non-empty lines after the root (NOT RECOMMENDED by the spec).
  std::vector<std::string> extensions;

  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// Parses checkpoint note text (the body, including its final newline).
// Strict, so FormatCheckpoint(ParseCheckpoint(t)) == t: non-empty origin,
// decimal size without leading zeros (uint64), canonical base64 of exactly
// 32 bytes, non-empty extension lines, valid note text. kInvalidArgument
// otherwise. Does not check signatures; see OpenCheckpoint().
Result<Checkpoint> ParseCheckpoint(std::string_view text);

// The note text of a checkpoint. kInvalidArgument for an empty origin or
// extension line, or one containing a newline or control character.
Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint);

// Formats and signs: the whole signed note.
Result<std::string> SignCheckpoint(const Checkpoint& checkpoint,
                                   std::span<const NoteSigner* const> signers);

struct OpenedCheckpoint {
  Checkpoint checkpoint;
  OpenedNote note;
};

// Opens a signed checkpoint note: verifies it against the log's verifier
// (which must have signed; other known verifiers, such as witnesses, are
// checked too when listed in `others`), parses the body and checks that
// the origin is `origin`. kUnauthenticated if the log's signature is
// missing or bad, kInvalidArgument if malformed or the origin differs.
Result<OpenedCheckpoint> OpenCheckpoint(
    std::string_view msg, std::string_view origin, const NoteVerifier& log,
    std::span<const NoteVerifier* const> others = {},
    const NoteLimits& limits = {});

}  // namespace credstack::tlog
