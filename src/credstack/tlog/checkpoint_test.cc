#include "credstack/tlog/checkpoint.h"

#include <gtest/gtest.h>

#include "credstack/base/rng.h"

namespace credstack::tlog {
namespace {

constexpr std::string_view kSpecText =
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/"
    "Xajj7h2fB2MPA3j2jxq2I=\n";

crypto::Ed25519KeyPair KeyFromSeed(uint64_t seed) {
  DeterministicRng rng(seed);
  crypto::Ed25519Seed s;
  rng.Fill(s);
  return crypto::Ed25519KeyPair::FromSeed(s);
}

TEST(ParseCheckpoint, SpecExample) {
  Result<Checkpoint> cp = ParseCheckpoint(kSpecText);
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  EXPECT_EQ(cp->origin, "example.com/behind-the-sofa");
  EXPECT_EQ(cp->size, 20852163u);
  EXPECT_EQ(Base64Encode(cp->root),
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
  EXPECT_TRUE(cp->extensions.empty());
  Result<std::string> text = FormatCheckpoint(*cp);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, kSpecText);
}

TEST(ParseCheckpoint, ExtensionLinesRoundTrip) {
  const std::string text = std::string(kSpecText) + "ext one\n\xE2\x98\x83\n";
  Result<Checkpoint> cp = ParseCheckpoint(text);
  ASSERT_TRUE(cp.ok());
  ASSERT_EQ(cp->extensions.size(), 2u);
  EXPECT_EQ(cp->extensions[0], "ext one");
  EXPECT_EQ(*FormatCheckpoint(*cp), text);
}

TEST(ParseCheckpoint, Rejects) {
  const std::string root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
  for (const std::string& bad : std::vector<std::string>{
           "", "o\n1\n" + root,      // no final newline
           "o\n1\n",                 // no root
           "\n1\n" + root + "\n",    // empty origin
           "o\n01\n" + root + "\n",  // leading zero
           "o\n+1\n" + root + "\n", "o\n-1\n" + root + "\n",
           "o\n\n" + root + "\n",
           "o\n18446744073709551616\n" + root + "\n",  // 2^64
           "o\n1 \n" + root + "\n",
           "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",  // no padding
           "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\n",  // 31 bytes
           "o\n1\n" + root + "\n\n",      // empty extension line
           "o\n1\n" + root + "\nx\ty\n",  // control character
       }) {
    EXPECT_FALSE(ParseCheckpoint(bad).ok()) << bad;
  }
  EXPECT_TRUE(ParseCheckpoint("o\n0\n" + root + "\n").ok());
  Result<Checkpoint> max =
      ParseCheckpoint("o\n18446744073709551615\n" + root + "\n");
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->size, UINT64_MAX);
}

TEST(FormatCheckpoint, RejectsUnencodableFields) {
  Checkpoint cp{.origin = "a\nb", .size = 1};
  EXPECT_FALSE(FormatCheckpoint(cp).ok());
  cp.origin = "";
  EXPECT_FALSE(FormatCheckpoint(cp).ok());
  cp.origin = "o";
  cp.extensions = {""};
  EXPECT_FALSE(FormatCheckpoint(cp).ok());
}

TEST(OpenCheckpoint, VerifiesLogSignatureAndOrigin) {
  Ed25519NoteSigner log("example.com/log", KeyFromSeed(10));
  Ed25519NoteVerifier log_v("example.com/log", log.key_pair().public_key());
  Ed25519NoteSigner other("example.com/other", KeyFromSeed(11));
  Ed25519NoteVerifier other_v("example.com/other",
                              other.key_pair().public_key());
  Checkpoint cp{.origin = "example.com/log", .size = 42};
  cp.root[0] = 7;
  const NoteSigner* signers[] = {&log};
  Result<std::string> msg = SignCheckpoint(cp, signers);
  ASSERT_TRUE(msg.ok());
  Result<OpenedCheckpoint> opened =
      OpenCheckpoint(*msg, "example.com/log", log_v);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->checkpoint, cp);
  EXPECT_EQ(
      OpenCheckpoint(*msg, "example.com/elsewhere", log_v).status().code(),
      Code::kInvalidArgument);
  // Signed by someone else only.
  const NoteSigner* wrong[] = {&other};
  Result<std::string> msg2 = SignCheckpoint(cp, wrong);
  ASSERT_TRUE(msg2.ok());
  const NoteVerifier* others[] = {&other_v};
  EXPECT_EQ(
      OpenCheckpoint(*msg2, "example.com/log", log_v, others).status().code(),
      Code::kUnauthenticated);
}

}  // namespace
}  // namespace credstack::tlog
