#include "credstack/tlog/note.h"

#include <gtest/gtest.h>

#include "credstack/base/rng.h"

namespace credstack::tlog {
namespace {

// golang.org/x/mod/sumdb/note test key.
constexpr std::string_view kPeterSkey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+"
    "Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kPeterVkey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

crypto::Ed25519KeyPair KeyFromSeed(uint64_t seed) {
  DeterministicRng rng(seed);
  crypto::Ed25519Seed s;
  rng.Fill(s);
  return crypto::Ed25519KeyPair::FromSeed(s);
}

TEST(KeyName, Rules) {
  EXPECT_TRUE(IsValidKeyName("example.com/log42"));
  EXPECT_TRUE(IsValidKeyName("caf\xC3\xA9"));
  EXPECT_FALSE(IsValidKeyName(""));
  EXPECT_FALSE(IsValidKeyName("a b"));
  EXPECT_FALSE(IsValidKeyName("a+b"));
  EXPECT_FALSE(IsValidKeyName("a\tb"));
  EXPECT_FALSE(
      IsValidKeyName("a\xC2\xA0"
                     "b"));  // U+00A0
  EXPECT_FALSE(
      IsValidKeyName("a\xE3\x80\x80"
                     "b"));  // U+3000
  EXPECT_FALSE(IsValidKeyName("\xFF"));
}

TEST(VerifierKey, ParsesAndFormats) {
  Result<VerifierKey> key = ParseVerifierKey(kPeterVkey);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->name, "PeterNeumann");
  EXPECT_EQ(key->key_id, 0xc74f20a3u);
  EXPECT_EQ(key->type, kSigTypeEd25519);
  EXPECT_EQ(FormatVerifierKey(key->name, key->type, key->public_key),
            kPeterVkey);
}

TEST(VerifierKey, RejectsMalformedKeys) {
  for (std::string_view bad :
       {"PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeuman+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+AhpcQcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10",
        "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3", "", "+c74f20a3+AA==",
        "Peter "
        "Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"}) {
    EXPECT_FALSE(ParseVerifierKey(bad).ok()) << bad;
  }
}

TEST(SignerKey, RoundTrip) {
  Result<std::unique_ptr<Ed25519NoteSigner>> signer =
      Ed25519NoteSigner::FromSignerKey(kPeterSkey);
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_EQ((*signer)->signer_key(), kPeterSkey);
  EXPECT_EQ((*signer)->verifier_key(), kPeterVkey);
  EXPECT_FALSE(Ed25519NoteSigner::FromSignerKey(
                   "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+"
                   "Y7hfZx09iUvxdXHKDFz")
                   .ok());
  EXPECT_FALSE(Ed25519NoteSigner::FromSignerKey(kPeterVkey).ok());
}

TEST(SignNote, SignsAndOpens) {
  Ed25519NoteSigner signer("example.com/log", KeyFromSeed(1));
  Ed25519NoteVerifier verifier("example.com/log",
                               signer.key_pair().public_key());
  const NoteSigner* signers[] = {&signer};
  Result<std::string> msg = SignNote("hello\nworld\n", signers);
  ASSERT_TRUE(msg.ok());
  EXPECT_EQ(msg->substr(0, 13), "hello\nworld\n\n");
  const NoteVerifier* known[] = {&verifier};
  Result<OpenedNote> opened = OpenNote(*msg, known);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->note.text, "hello\nworld\n");
  ASSERT_EQ(opened->verified.size(), 1u);
  EXPECT_EQ(opened->verified[0].verifier, &verifier);
  // Parse -> format is byte-exact.
  Result<Note> parsed = ParseNote(*msg);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(FormatNote(*parsed), *msg);
}

TEST(SignNote, RejectsBadText) {
  Ed25519NoteSigner signer("k", KeyFromSeed(1));
  const NoteSigner* signers[] = {&signer};
  EXPECT_FALSE(SignNote("no newline", signers).ok());
  EXPECT_FALSE(SignNote("", signers).ok());
  EXPECT_FALSE(SignNote("tab\there\n", signers).ok());
  EXPECT_FALSE(SignNote("bad \xFF utf8\n", signers).ok());
  EXPECT_FALSE(SignNote("ok\n", {}).ok());
}

TEST(OpenNote, UnknownIgnoredKnownMustVerify) {
  Ed25519NoteSigner a("a.example", KeyFromSeed(1));
  Ed25519NoteSigner b("b.example", KeyFromSeed(2));
  Ed25519NoteVerifier va("a.example", a.key_pair().public_key());
  Ed25519NoteVerifier vb("b.example", b.key_pair().public_key());
  const NoteSigner* both[] = {&a, &b};
  Result<std::string> msg = SignNote("text\n", both);
  ASSERT_TRUE(msg.ok());

  const NoteVerifier* only_a[] = {&va};
  Result<OpenedNote> opened = OpenNote(*msg, only_a);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->verified.size(), 1u);
  EXPECT_EQ(opened->note.signatures.size(), 2u);

  EXPECT_EQ(
      OpenNote(*msg, std::span<const NoteVerifier* const>()).status().code(),
      Code::kUnauthenticated);

  // Same name, different key: its ID differs, so the signature is unknown.
  Ed25519NoteVerifier other_a("a.example", b.key_pair().public_key());
  const NoteVerifier* wrong[] = {&other_a};
  EXPECT_EQ(OpenNote(*msg, wrong).status().code(), Code::kUnauthenticated);

  // A known key's bad signature rejects the whole note.
  std::string tampered = *msg;
  tampered[0] = 'T';
  const NoteVerifier* ab[] = {&va, &vb};
  EXPECT_EQ(OpenNote(tampered, ab).status().code(), Code::kUnauthenticated);
}

TEST(ParseNote, RejectsMalformedNotes) {
  const std::string sig = "\xE2\x80\x94 k AAAAAAE=\n";  // 5 bytes
  EXPECT_TRUE(ParseNote("t\n\n" + sig).ok());
  for (const std::string& bad : std::vector<std::string>{
           "t\n" + sig,                         // no blank line
           "t\n\n",                             // no signatures
           "t\n\n\xE2\x80\x94 k AAAAAAE=",      // no final newline
           "t\n\n- k AAAAAAE=\n",               // not an em dash
           "t\n\n\xE2\x80\x94k AAAAAAE=\n",     // no space after dash
           "t\n\n\xE2\x80\x94 k\n",             // no signature
           "t\n\n\xE2\x80\x94 k AAAAAA==\n",    // 4 bytes only
           "t\n\n\xE2\x80\x94 k AAAAAAE\n",     // bad padding
           "t\n\n\xE2\x80\x94 k+x AAAAAAE=\n",  // '+' in name
           "t\n\n\xE2\x80\x94  AAAAAAE=\n",     // empty name
           "t\r\n\n" + sig,                     // control character
           "t\xC3\n\n" + sig,                   // invalid UTF-8
           "t\n\n" + sig + "\n"}) {             // trailing blank line
    EXPECT_FALSE(ParseNote(bad).ok()) << bad;
  }
}

TEST(ParseNote, EnforcesLimits) {
  std::string msg = "t\n\n";
  for (int i = 0; i < 17; ++i) msg += "\xE2\x80\x94 k AAAAAAE=\n";
  EXPECT_TRUE(ParseNote(msg).ok());  // at least 16 must be accepted
  NoteLimits limits;
  limits.max_signatures = 16;
  EXPECT_EQ(ParseNote(msg, limits).status().code(), Code::kResourceExhausted);
  limits = NoteLimits();
  limits.max_size = 10;
  EXPECT_EQ(ParseNote(msg, limits).status().code(), Code::kResourceExhausted);
}

TEST(ParseNote, TextMayContainBlankLines) {
  Ed25519NoteSigner signer("k", KeyFromSeed(3));
  Ed25519NoteVerifier verifier("k", signer.key_pair().public_key());
  const NoteSigner* signers[] = {&signer};
  Result<std::string> msg = SignNote("a\n\nb\n\n", signers);
  ASSERT_TRUE(msg.ok());
  const NoteVerifier* known[] = {&verifier};
  Result<OpenedNote> opened = OpenNote(*msg, known);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->note.text, "a\n\nb\n\n");
}

}  // namespace
}  // namespace credstack::tlog
