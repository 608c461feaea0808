#include "credstack/tlog/note.h"

#include <algorithm>
#include <cstdio>

#include "credstack/base/utf8.h"
#include "credstack/crypto/sha.h"

namespace credstack::tlog {
namespace {

// U+2014 EM DASH, then a space: the start of every signature line.
constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";

bool IsUnicodeSpace(uint32_t cp) {
  // Unicode White_Space (what Go's unicode.IsSpace, used by the reference
  // implementation, accepts).
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// signed-note "Format": valid UTF-8, no ASCII control characters but "\n".
Status CheckNoteChars(std::string_view s, std::string_view what) {
  if (!IsValidUtf8(s))
    return InvalidArgumentError(std::string(what) + ": not UTF-8");
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') {
      return InvalidArgumentError(std::string(what) + ": control character");
    }
  }
  return OkStatus();
}

Status CheckText(std::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return InvalidArgumentError("note text must end with a newline");
  }
  return CheckNoteChars(text, "note text");
}

Status Malformed(std::string why) {
  return InvalidArgumentError("malformed note: " + std::move(why));
}

bool ParseKeyIdHex(std::string_view hex, uint32_t& out) {
  if (hex.size() != 8) return false;
  uint32_t v = 0;
  for (char c : hex) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else {
      return false;
    }
    v = (v << 4) | static_cast<uint32_t>(d);
  }
  out = v;
  return true;
}

std::string KeyIdHex(uint32_t id) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", id);
  return buf;
}

std::string SignatureLine(std::string_view name, uint32_t key_id,
                          ByteView sig) {
  Bytes raw = {static_cast<uint8_t>(key_id >> 24),
               static_cast<uint8_t>(key_id >> 16),
               static_cast<uint8_t>(key_id >> 8), static_cast<uint8_t>(key_id)};
  raw.insert(raw.end(), sig.begin(), sig.end());
  return std::string(kSigPrefix) + std::string(name) + " " + Base64Encode(raw) +
         "\n";
}

}  // namespace

bool IsValidKeyName(std::string_view name) {
  if (name.empty() || !IsValidUtf8(name)) return false;
  for (size_t i = 0; i < name.size();) {
    uint32_t cp = NextCodePoint(name, i);
    if (cp < 0x20 || cp == '+' || IsUnicodeSpace(cp)) return false;
  }
  return true;
}

uint32_t KeyId(std::string_view name, uint8_t sig_type, ByteView public_key) {
  crypto::Sha256Hasher h;
  h.Update(name);
  h.Update("\n");
  h.Update(ByteView(&sig_type, 1));
  h.Update(public_key);
  crypto::Sha256Digest d = h.Finish();
  return (uint32_t{d[0]} << 24) | (uint32_t{d[1]} << 16) |
         (uint32_t{d[2]} << 8) | uint32_t{d[3]};
}

Result<Note> ParseNote(std::string_view msg, const NoteLimits& limits) {
  if (msg.size() > limits.max_size) {
    return ResourceExhaustedError("note larger than " +
                                  std::to_string(limits.max_size) + " bytes");
  }
  CREDSTACK_RETURN_IF_ERROR(CheckNoteChars(msg, "note"));
  // The text is separated from the signatures by the last empty line.
  const size_t split = msg.rfind("\n\n");
  if (split == std::string_view::npos)
    return Malformed("no blank line before signatures");
  Note note;
  note.text = std::string(msg.substr(0, split + 1));
  std::string_view sigs = msg.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n')
    return Malformed("no signature lines");
  while (!sigs.empty()) {
    const size_t nl = sigs.find('\n');
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    if (note.signatures.size() == limits.max_signatures) {
      return ResourceExhaustedError("note has more than " +
                                    std::to_string(limits.max_signatures) +
                                    " signatures");
    }
    if (line.substr(0, kSigPrefix.size()) != kSigPrefix) {
      return Malformed("signature line must start with an em dash and a space");
    }
    line.remove_prefix(kSigPrefix.size());
    const size_t space = line.find(' ');
    if (space == std::string_view::npos)
      return Malformed("signature line without signature");
    std::string_view name = line.substr(0, space);
    std::string_view b64 = line.substr(space + 1);
    if (!IsValidKeyName(name)) return Malformed("invalid key name");
    Result<Bytes> raw = Base64Decode(b64);
    if (!raw.ok() || raw->size() < 5)
      return Malformed("invalid signature encoding");
    NoteSignature sig;
    sig.name = std::string(name);
    sig.key_id = (uint32_t{(*raw)[0]} << 24) | (uint32_t{(*raw)[1]} << 16) |
                 (uint32_t{(*raw)[2]} << 8) | uint32_t{(*raw)[3]};
    sig.signature.assign(raw->begin() + 4, raw->end());
    note.signatures.push_back(std::move(sig));
  }
  return note;
}

std::string FormatNote(const Note& note) {
  std::string out = note.text + "\n";
  for (const NoteSignature& s : note.signatures) {
    out += SignatureLine(s.name, s.key_id, s.signature);
  }
  return out;
}

Result<VerifierKey> ParseVerifierKey(std::string_view vkey) {
  // The base64 part may itself contain '+', so split only twice.
  const size_t p1 = vkey.find('+');
  const size_t p2 = p1 == std::string_view::npos ? p1 : vkey.find('+', p1 + 1);
  if (p2 == std::string_view::npos) {
    return InvalidArgumentError("verifier key: want <name>+<key id>+<key>");
  }
  VerifierKey key;
  key.name = std::string(vkey.substr(0, p1));
  if (!IsValidKeyName(key.name))
    return InvalidArgumentError("verifier key: invalid name");
  if (!ParseKeyIdHex(vkey.substr(p1 + 1, p2 - p1 - 1), key.key_id)) {
    return InvalidArgumentError(
        "verifier key: key id must be 8 lowercase hex digits");
  }
  Result<Bytes> raw = Base64Decode(vkey.substr(p2 + 1));
  if (!raw.ok() || raw->empty())
    return InvalidArgumentError("verifier key: bad base64");
  key.type = (*raw)[0];
  key.public_key.assign(raw->begin() + 1, raw->end());
  if (key.type != kSigTypeEd25519 && key.type != kSigTypeCosignatureV1) {
    return InvalidArgumentError("verifier key: unsupported signature type " +
                                std::to_string(key.type));
  }
  if (key.public_key.size() != 32) {
    return InvalidArgumentError("verifier key: Ed25519 key must be 32 bytes");
  }
  if (KeyId(key.name, key.type, key.public_key) != key.key_id) {
    return InvalidArgumentError("verifier key: key id does not match the key");
  }
  return key;
}

std::string FormatVerifierKey(std::string_view name, uint8_t type,
                              ByteView public_key) {
  Bytes raw = {type};
  raw.insert(raw.end(), public_key.begin(), public_key.end());
  return std::string(name) + "+" + KeyIdHex(KeyId(name, type, public_key)) +
         "+" + Base64Encode(raw);
}

Ed25519NoteVerifier::Ed25519NoteVerifier(std::string name,
                                         const crypto::Ed25519PublicKey& key)
    : name_(std::move(name)),
      key_(key),
      key_id_(KeyId(name_, kSigTypeEd25519, key)) {}

Result<std::unique_ptr<Ed25519NoteVerifier>>
Ed25519NoteVerifier::FromVerifierKey(std::string_view vkey) {
  CREDSTACK_ASSIGN_OR_RETURN(VerifierKey key, ParseVerifierKey(vkey));
  if (key.type != kSigTypeEd25519) {
    return InvalidArgumentError("verifier key: not an Ed25519 (0x01) key");
  }
  crypto::Ed25519PublicKey pub;
  std::copy(key.public_key.begin(), key.public_key.end(), pub.begin());
  return std::make_unique<Ed25519NoteVerifier>(key.name, pub);
}

bool Ed25519NoteVerifier::Verify(std::string_view text,
                                 ByteView signature) const {
  if (signature.size() != 64) return false;
  crypto::Ed25519Signature sig;
  std::copy(signature.begin(), signature.end(), sig.begin());
  return crypto::Ed25519Verify(key_, AsBytes(text), sig);
}

std::string Ed25519NoteVerifier::verifier_key() const {
  return FormatVerifierKey(name_, kSigTypeEd25519, key_);
}

Ed25519NoteSigner::Ed25519NoteSigner(std::string name,
                                     crypto::Ed25519KeyPair key)
    : name_(std::move(name)),
      key_(std::move(key)),
      key_id_(KeyId(name_, kSigTypeEd25519, key_.public_key())) {}

Result<std::unique_ptr<Ed25519NoteSigner>> Ed25519NoteSigner::FromSignerKey(
    std::string_view skey) {
  constexpr std::string_view kPrefix = "PRIVATE+KEY+";
  if (skey.substr(0, kPrefix.size()) != kPrefix) {
    return InvalidArgumentError("signer key: must start with PRIVATE+KEY+");
  }
  std::string_view rest = skey.substr(kPrefix.size());
  const size_t p1 = rest.find('+');
  const size_t p2 = p1 == std::string_view::npos ? p1 : rest.find('+', p1 + 1);
  if (p2 == std::string_view::npos) {
    return InvalidArgumentError(
        "signer key: want PRIVATE+KEY+<name>+<key id>+<key>");
  }
  std::string name(rest.substr(0, p1));
  if (!IsValidKeyName(name))
    return InvalidArgumentError("signer key: invalid name");
  uint32_t key_id = 0;
  if (!ParseKeyIdHex(rest.substr(p1 + 1, p2 - p1 - 1), key_id)) {
    return InvalidArgumentError(
        "signer key: key id must be 8 lowercase hex digits");
  }
  Result<Bytes> raw = Base64Decode(rest.substr(p2 + 1));
  if (!raw.ok() || raw->size() != 33 || (*raw)[0] != kSigTypeEd25519) {
    if (raw.ok()) crypto::SecureWipe(*raw);
    return InvalidArgumentError(
        "signer key: want base64(0x01 || 32-byte seed)");
  }
  crypto::Ed25519Seed seed;
  std::copy(raw->begin() + 1, raw->end(), seed.begin());
  crypto::SecureWipe(*raw);
  auto signer = std::make_unique<Ed25519NoteSigner>(
      std::move(name), crypto::Ed25519KeyPair::FromSeed(seed));
  crypto::SecureWipe(seed);
  if (signer->key_id() != key_id) {
    return InvalidArgumentError("signer key: key id does not match the key");
  }
  return signer;
}

Result<Bytes> Ed25519NoteSigner::Sign(std::string_view text) const {
  CREDSTACK_RETURN_IF_ERROR(CheckText(text));
  crypto::Ed25519Signature sig = key_.Sign(AsBytes(text));
  return Bytes(sig.begin(), sig.end());
}

std::string Ed25519NoteSigner::signer_key() const {
  Bytes raw = {kSigTypeEd25519};
  raw.insert(raw.end(), key_.seed().begin(), key_.seed().end());
  std::string out = "PRIVATE+KEY+" + name_ + "+" + KeyIdHex(key_id_) + "+" +
                    Base64Encode(raw);
  crypto::SecureWipe(raw);
  return out;
}

std::string Ed25519NoteSigner::verifier_key() const {
  return FormatVerifierKey(name_, kSigTypeEd25519, key_.public_key());
}

Result<std::string> AddSignatures(const Note& note,
                                  std::span<const NoteSigner* const> signers) {
  CREDSTACK_RETURN_IF_ERROR(CheckText(note.text));
  Note out = note;
  for (const NoteSigner* signer : signers) {
    if (!IsValidKeyName(signer->name())) {
      return InvalidArgumentError("signer has an invalid key name");
    }
    CREDSTACK_ASSIGN_OR_RETURN(Bytes sig, signer->Sign(note.text));
    out.signatures.push_back(
        NoteSignature{signer->name(), signer->key_id(), std::move(sig)});
  }
  if (out.signatures.empty())
    return InvalidArgumentError("a note needs a signature");
  return FormatNote(out);
}

Result<std::string> SignNote(std::string_view text,
                             std::span<const NoteSigner* const> signers) {
  return AddSignatures(Note{std::string(text), {}}, signers);
}

Result<OpenedNote> OpenNote(std::string_view msg,
                            std::span<const NoteVerifier* const> known,
                            const NoteLimits& limits) {
  OpenedNote opened;
  CREDSTACK_ASSIGN_OR_RETURN(opened.note, ParseNote(msg, limits));
  for (size_t i = 0; i < opened.note.signatures.size(); ++i) {
    const NoteSignature& sig = opened.note.signatures[i];
    auto it =
        std::find_if(known.begin(), known.end(), [&](const NoteVerifier* v) {
          return v->key_id() == sig.key_id && v->name() == sig.name;
        });
    if (it == known.end()) continue;  // unknown keys are ignored
    if (!(*it)->Verify(opened.note.text, sig.signature)) {
      return UnauthenticatedError("note: signature by " + sig.name +
                                  " does not verify");
    }
    opened.verified.push_back(OpenedNote::Verified{i, *it});
  }
  if (opened.verified.empty()) {
    return UnauthenticatedError("note: no signature by a known key");
  }
  return opened;
}

}  // namespace credstack::tlog
