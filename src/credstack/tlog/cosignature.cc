#include "credstack/tlog/cosignature.h"

#include <algorithm>

namespace credstack::tlog {
namespace {

constexpr size_t kCosignatureSize = 8 + 64;

}  // namespace

std::string CosignatureMessage(std::string_view checkpoint_text,
                               uint64_t timestamp) {
  return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" +
         std::string(checkpoint_text);
}

Result<uint64_t> CosignatureTimestamp(ByteView signature) {
  if (signature.size() != kCosignatureSize) {
    return InvalidArgumentError("cosignature: want 72 bytes, got " +
                                std::to_string(signature.size()));
  }
  uint64_t ts = 0;
  for (size_t i = 0; i < 8; ++i) ts = (ts << 8) | signature[i];
  if (ts > static_cast<uint64_t>(INT64_MAX)) {
    return InvalidArgumentError("cosignature: timestamp exceeds 2^63 - 1");
  }
  return ts;
}

CosignatureVerifier::CosignatureVerifier(std::string name,
                                         const crypto::Ed25519PublicKey& key)
    : name_(std::move(name)),
      key_(key),
      key_id_(KeyId(name_, kSigTypeCosignatureV1, key)) {}

Result<std::unique_ptr<CosignatureVerifier>>
CosignatureVerifier::FromVerifierKey(std::string_view vkey) {
  CREDSTACK_ASSIGN_OR_RETURN(VerifierKey key, ParseVerifierKey(vkey));
  if (key.type != kSigTypeCosignatureV1) {
    return InvalidArgumentError(
        "verifier key: not a cosignature/v1 (0x04) key");
  }
  crypto::Ed25519PublicKey pub;
  std::copy(key.public_key.begin(), key.public_key.end(), pub.begin());
  return std::make_unique<CosignatureVerifier>(key.name, pub);
}

bool CosignatureVerifier::Verify(std::string_view text,
                                 ByteView signature) const {
  Result<uint64_t> ts = CosignatureTimestamp(signature);
  if (!ts.ok()) return false;
  crypto::Ed25519Signature sig;
  std::copy(signature.begin() + 8, signature.end(), sig.begin());
  const std::string msg = CosignatureMessage(text, *ts);
  return crypto::Ed25519Verify(key_, AsBytes(msg), sig);
}

std::string CosignatureVerifier::verifier_key() const {
  return FormatVerifierKey(name_, kSigTypeCosignatureV1, key_);
}

CosignatureSigner::CosignatureSigner(std::string name,
                                     crypto::Ed25519KeyPair key,
                                     const Clock& clock)
    : name_(std::move(name)),
      key_(std::move(key)),
      clock_(clock),
      key_id_(KeyId(name_, kSigTypeCosignatureV1, key_.public_key())) {}

Result<Bytes> CosignatureSigner::Sign(std::string_view text) const {
  const int64_t now = clock_.Now().unix_seconds();
  if (now < 0) return FailedPreconditionError("cosignature: clock before 1970");
  return SignAt(text, static_cast<uint64_t>(now));
}

Result<Bytes> CosignatureSigner::SignAt(std::string_view text,
                                        uint64_t timestamp) const {
  if (timestamp > static_cast<uint64_t>(INT64_MAX)) {
    return InvalidArgumentError("cosignature: timestamp exceeds 2^63 - 1");
  }
  // A cosignature is a statement about a checkpoint: refuse anything else.
  CREDSTACK_RETURN_IF_ERROR(ParseCheckpoint(text).status());
  const std::string msg = CosignatureMessage(text, timestamp);
  crypto::Ed25519Signature sig = key_.Sign(AsBytes(msg));
  Bytes out(8);
  for (size_t i = 0; i < 8; ++i)
    out[i] = static_cast<uint8_t>(timestamp >> (56 - 8 * i));
  out.insert(out.end(), sig.begin(), sig.end());
  return out;
}

std::string CosignatureSigner::verifier_key() const {
  return FormatVerifierKey(name_, kSigTypeCosignatureV1, key_.public_key());
}

Result<WitnessPolicy> WitnessPolicy::Create(std::span<const std::string> vkeys,
                                            size_t quorum) {
  WitnessPolicy policy;
  for (const std::string& vkey : vkeys) {
    CREDSTACK_ASSIGN_OR_RETURN(std::unique_ptr<CosignatureVerifier> v,
                               CosignatureVerifier::FromVerifierKey(vkey));
    for (const auto& w : policy.witnesses_) {
      if (w->name() == v->name()) {
        return InvalidArgumentError("witness policy: two keys named " +
                                    v->name());
      }
    }
    policy.witnesses_.push_back(std::move(v));
  }
  if (quorum > policy.witnesses_.size()) {
    return InvalidArgumentError(
        "witness policy: quorum " + std::to_string(quorum) + " exceeds " +
        std::to_string(policy.witnesses_.size()) + " witnesses");
  }
  policy.quorum_ = quorum;
  return policy;
}

std::vector<const NoteVerifier*> WitnessPolicy::verifiers() const {
  std::vector<const NoteVerifier*> out;
  for (const auto& w : witnesses_) out.push_back(w.get());
  return out;
}

Result<CosignedCheckpoint> OpenCosignedCheckpoint(
    std::string_view msg, std::string_view origin, const NoteVerifier& log,
    const WitnessPolicy& policy, std::optional<uint64_t> now_unix,
    uint64_t max_skew_seconds, const NoteLimits& limits) {
  const std::vector<const NoteVerifier*> witnesses = policy.verifiers();
  CREDSTACK_ASSIGN_OR_RETURN(
      OpenedCheckpoint opened,
      OpenCheckpoint(msg, origin, log, witnesses, limits));
  CosignedCheckpoint out;
  out.checkpoint = std::move(opened.checkpoint);
  out.note = std::move(opened.note);
  for (const OpenedNote::Verified& v : out.note.verified) {
    if (v.verifier == &log) continue;
    const NoteSignature& sig = out.note.note.signatures[v.signature];
    CREDSTACK_ASSIGN_OR_RETURN(uint64_t ts,
                               CosignatureTimestamp(sig.signature));
    if (now_unix.has_value() && ts > *now_unix &&
        ts - *now_unix > max_skew_seconds) {
      return UnauthenticatedError("cosignature by " + sig.name +
                                  " is timestamped in the future");
    }
    const bool seen = std::any_of(
        out.cosignatures.begin(), out.cosignatures.end(),
        [&](const WitnessCosignature& c) { return c.name == sig.name; });
    if (!seen) out.cosignatures.push_back(WitnessCosignature{sig.name, ts});
  }
  if (out.cosignatures.size() < policy.quorum()) {
    return UnauthenticatedError(
        "checkpoint: " + std::to_string(out.cosignatures.size()) +
        " of the required " + std::to_string(policy.quorum()) +
        " witness cosignatures");
  }
  return out;
}

}  // namespace credstack::tlog
