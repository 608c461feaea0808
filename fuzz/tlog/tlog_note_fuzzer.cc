// Signed notes and checkpoints: parse -> format round-trips byte-exactly,
// and no input other than the one note this target signed verifies under
// its key (a mutated note never verifies).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "credstack/tlog/checkpoint.h"
#include "credstack/tlog/cosignature.h"
#include "credstack/tlog/note.h"

using namespace credstack;
using namespace credstack::tlog;

namespace {

// The fixed key whose notes the corpus holds (seed 0x01 x 32):
// fuzz/corpus/tlog_note_fuzzer/signed_checkpoint is signed with it.
const Ed25519NoteVerifier& Verifier() {
  static const Ed25519NoteVerifier* v = [] {
    crypto::Ed25519Seed seed;
    seed.fill(0x01);
    return new Ed25519NoteVerifier(
        "example.com/fuzz-log",
        crypto::Ed25519KeyPair::FromSeed(seed).public_key());
  }();
  return *v;
}

constexpr std::string_view kSignedText =
    "example.com/fuzz-log\n42\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view msg(reinterpret_cast<const char*>(data), size);
  Result<Note> note = ParseNote(msg);
  if (note.ok()) {
    CREDSTACK_CHECK(FormatNote(*note) == msg);
    if (Result<Checkpoint> cp = ParseCheckpoint(note->text); cp.ok()) {
      Result<std::string> text = FormatCheckpoint(*cp);
      CREDSTACK_CHECK(text.ok() && *text == note->text);
    }
    for (const NoteSignature& sig : note->signatures) {
      CREDSTACK_CHECK(IsValidKeyName(sig.name));
      (void)CosignatureTimestamp(sig.signature);
    }
  }
  const NoteVerifier* known[] = {&Verifier()};
  if (Result<OpenedNote> opened = OpenNote(msg, known); opened.ok()) {
    CREDSTACK_CHECK(opened->note.text == kSignedText);
  }
  (void)ParseVerifierKey(msg);
  (void)Ed25519NoteSigner::FromSignerKey(msg);
  return 0;
}
