#pragma once

// C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys: key
// names and IDs, verifier keys (vkeys), signer keys, signing, and opening a
// note against a set of known verifiers. Formats: docs/formats/checkpoint.md.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/base/bytes.h"
#include "credstack/base/status.h"
#include "credstack/crypto/ed25519.h"

namespace credstack::tlog {

// signed-note "Signature types".
inline constexpr uint8_t kSigTypeEd25519 = 0x01;
inline constexpr uint8_t kSigTypeCosignatureV1 = 0x04;

struct NoteLimits {
  // Largest accepted note in bytes (checkpoints with many cosignatures are a
  // few KB).
  size_t max_size = 64 * 1024;
  // signed-note: verifiers MUST accept at least 16 signatures.
  size_t max_signatures = 100;
};

// One signature line: "— <name> base64(key ID || signature)".
struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  Bytes signature;  // the bytes after the key ID
};

// A parsed note; nothing verified.
struct Note {
  std::string text;  // includes the final newline
  std::vector<NoteSignature> signatures;
};

// True for a valid key name: non-empty UTF-8 without Unicode spaces, '+' or
// control characters.
bool IsValidKeyName(std::string_view name);

// SHA-256(name || "\n" || type || public key)[:4] as a big-endian uint32.
uint32_t KeyId(std::string_view name, uint8_t sig_type, ByteView public_key);

// Splits a signed note into text and signature lines. Checks the structure
// (UTF-8, no control characters but newline, blank line before the
// signatures, "— name base64" lines with at least 5 decoded bytes, valid
// names) but no signature. kInvalidArgument if malformed, kResourceExhausted
// past the limits.
Result<Note> ParseNote(std::string_view msg, const NoteLimits& limits = {});

// Serializes text (must end in "\n") followed by the signature lines.
std::string FormatNote(const Note& note);

// Something that checks one key's signatures.
class NoteVerifier {
 public:
  virtual ~NoteVerifier() = default;
  virtual const std::string& name() const = 0;
  virtual uint32_t key_id() const = 0;
  // `signature` excludes the 4-byte key ID.
  virtual bool Verify(std::string_view text, ByteView signature) const = 0;
};

// Something that signs note text with one key.
class NoteSigner {
 public:
  virtual ~NoteSigner() = default;
  virtual const std::string& name() const = 0;
  virtual uint32_t key_id() const = 0;
  // The signature bytes (without key ID). Fails if the text is not
  // acceptable to this signer (e.g. a cosigner given a non-checkpoint).
  virtual Result<Bytes> Sign(std::string_view text) const = 0;
};

// A parsed verifier key "<name>+<hex key ID>+base64(type || key)".
struct VerifierKey {
  std::string name;
  uint32_t key_id = 0;
  uint8_t type = 0;
  Bytes public_key;
};
// Strict: valid name, 8 lowercase hex digits, canonical base64, a 32-byte
// key for types 0x01 and 0x04, and the key ID must match the key.
Result<VerifierKey> ParseVerifierKey(std::string_view vkey);
std::string FormatVerifierKey(std::string_view name, uint8_t type,
                              ByteView public_key);

class Ed25519NoteVerifier final : public NoteVerifier {
 public:
  Ed25519NoteVerifier(std::string name, const crypto::Ed25519PublicKey& key);
  // From a vkey of type 0x01. kInvalidArgument otherwise.
  static Result<std::unique_ptr<Ed25519NoteVerifier>> FromVerifierKey(
      std::string_view vkey);

  const std::string& name() const override { return name_; }
  uint32_t key_id() const override { return key_id_; }
  bool Verify(std::string_view text, ByteView signature) const override;
  const crypto::Ed25519PublicKey& public_key() const { return key_; }
  std::string verifier_key() const;

 private:
  std::string name_;
  crypto::Ed25519PublicKey key_;
  uint32_t key_id_;
};

class Ed25519NoteSigner final : public NoteSigner {
 public:
  Ed25519NoteSigner(std::string name, crypto::Ed25519KeyPair key);
  // From "PRIVATE+KEY+<name>+<hex key ID>+base64(0x01 || seed)"; the key ID
  // must match the derived public key.
  static Result<std::unique_ptr<Ed25519NoteSigner>> FromSignerKey(
      std::string_view skey);

  const std::string& name() const override { return name_; }
  uint32_t key_id() const override { return key_id_; }
  Result<Bytes> Sign(std::string_view text) const override;
  // The signer key string (a secret) and the matching verifier key.
  std::string signer_key() const;
  std::string verifier_key() const;
  const crypto::Ed25519KeyPair& key_pair() const { return key_; }

 private:
  std::string name_;
  crypto::Ed25519KeyPair key_;
  uint32_t key_id_;
};

// Appends each signer's signature line to the note text. The text must be
// valid note text (UTF-8, ends in "\n", no control characters).
Result<std::string> SignNote(std::string_view text,
                             std::span<const NoteSigner* const> signers);
// Signs and also keeps the signatures already on `note`.
Result<std::string> AddSignatures(const Note& note,
                                  std::span<const NoteSigner* const> signers);

struct OpenedNote {
  Note note;
  // For each signature that verified: its index in note.signatures and the
  // verifier that accepted it. Signatures by unknown keys are kept in
  // note.signatures but not listed here.
  struct Verified {
    size_t signature = 0;
    const NoteVerifier* verifier = nullptr;
  };
  std::vector<Verified> verified;
};

// Parses and verifies a note (signed-note "Signatures"): signatures whose
// (name, key ID) match a known verifier must verify, else the whole note is
// rejected (kUnauthenticated); unknown signatures are ignored; at least one
// known signature must verify (else kUnauthenticated).
Result<OpenedNote> OpenNote(std::string_view msg,
                            std::span<const NoteVerifier* const> known,
                            const NoteLimits& limits = {});

}  // namespace credstack::tlog
