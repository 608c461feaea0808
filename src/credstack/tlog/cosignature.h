#pragma once

// C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), the Ed25519
// "cosignature/v1" type (signature type 0x04): witnesses' timestamped
// signatures on checkpoints, and a "k of n named witnesses" policy.
// Format: docs/formats/checkpoint.md.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/base/time.h"
#include "credstack/crypto/ed25519.h"
#include "credstack/tlog/checkpoint.h"
#include "credstack/tlog/note.h"

namespace credstack::tlog {

// tlog-cosignature "Ed25519 signed message": "cosignature/v1\n",
// "time <timestamp>\n", then the checkpoint note text.
std::string CosignatureMessage(std::string_view checkpoint_text,
                               uint64_t timestamp);

// The timestamp of a cosignature (the signature bytes after the key ID:
// timestamp u64 big-endian || Ed25519 signature). kInvalidArgument unless
// 72 bytes with a timestamp <= 2^63 - 1.
Result<uint64_t> CosignatureTimestamp(ByteView signature);

class CosignatureVerifier final : public NoteVerifier {
 public:
  CosignatureVerifier(std::string name, const crypto::Ed25519PublicKey& key);
  // From a vkey of type 0x04.
  static Result<std::unique_ptr<CosignatureVerifier>> FromVerifierKey(
      std::string_view vkey);

  const std::string& name() const override { return name_; }
  uint32_t key_id() const override { return key_id_; }
  bool Verify(std::string_view text, ByteView signature) const override;
  std::string verifier_key() const;

 private:
  std::string name_;
  crypto::Ed25519PublicKey key_;
  uint32_t key_id_;
};

// A witness's cosigning key. Sign() only accepts checkpoint text and stamps
// the time from the clock (whole seconds).
class CosignatureSigner final : public NoteSigner {
 public:
  CosignatureSigner(std::string name, crypto::Ed25519KeyPair key,
                    const Clock& clock);

  const std::string& name() const override { return name_; }
  uint32_t key_id() const override { return key_id_; }
  Result<Bytes> Sign(std::string_view text) const override;
  // Signs with an explicit timestamp (seconds since the epoch).
  Result<Bytes> SignAt(std::string_view text, uint64_t timestamp) const;
  std::string verifier_key() const;

 private:
  std::string name_;
  crypto::Ed25519KeyPair key_;
  const Clock& clock_;
  uint32_t key_id_;
};

// Trusted witnesses and how many of them must cosign.
class WitnessPolicy {
 public:
  // From cosigner vkeys (type 0x04). Fails with kInvalidArgument for a bad
  // key, two keys with one name, or quorum > number of witnesses.
  static Result<WitnessPolicy> Create(std::span<const std::string> vkeys,
                                      size_t quorum);
  size_t quorum() const { return quorum_; }
  std::vector<const NoteVerifier*> verifiers() const;

 private:
  std::vector<std::shared_ptr<const CosignatureVerifier>> witnesses_;
  size_t quorum_ = 0;
};

struct WitnessCosignature {
  std::string name;
  uint64_t timestamp = 0;
};

struct CosignedCheckpoint {
  Checkpoint checkpoint;
  OpenedNote note;
  // Valid cosignatures by distinct policy witnesses.
  std::vector<WitnessCosignature> cosignatures;
};

// Opens a checkpoint signed by the log and checks the witness policy: at
// least quorum() distinct named witnesses have valid cosignatures (a bad
// cosignature by a known witness rejects the note). With now_unix set,
// cosignatures timestamped after it (plus max_skew_seconds) are rejected.
// kUnauthenticated if the quorum is not met.
Result<CosignedCheckpoint> OpenCosignedCheckpoint(
    std::string_view msg, std::string_view origin, const NoteVerifier& log,
    const WitnessPolicy& policy,
    std::optional<uint64_t> now_unix = std::nullopt,
    uint64_t max_skew_seconds = 60, const NoteLimits& limits = {});

}  // namespace credstack::tlog
