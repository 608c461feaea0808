#include "credstack/tlog/cosignature.h"

#include <gtest/gtest.h>

#include "credstack/base/rng.h"

namespace credstack::tlog {
namespace {

crypto::Ed25519KeyPair KeyFromSeed(uint64_t seed) {
  DeterministicRng rng(seed);
  crypto::Ed25519Seed s;
  rng.Fill(s);
  return crypto::Ed25519KeyPair::FromSeed(s);
}

constexpr std::string_view kText =
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/"
    "Xajj7h2fB2MPA3j2jxq2I=\n";

TEST(CosignatureMessage, SpecExample) {
  EXPECT_EQ(
      CosignatureMessage(kText, 1679315147),
      "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
      "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
}

TEST(Cosignature, SignsAndVerifiesWithTimestamp) {
  FixedClock clock(Timestamp::FromUnixSeconds(1'700'000'000));
  CosignatureSigner signer("witness.example/w1", KeyFromSeed(1), clock);
  Result<Bytes> sig = signer.Sign(kText);
  ASSERT_TRUE(sig.ok());
  ASSERT_EQ(sig->size(), 72u);
  EXPECT_EQ(*CosignatureTimestamp(*sig), 1'700'000'000u);
  Result<std::unique_ptr<CosignatureVerifier>> v =
      CosignatureVerifier::FromVerifierKey(signer.verifier_key());
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ((*v)->key_id(), signer.key_id());
  EXPECT_TRUE((*v)->Verify(kText, *sig));
  Bytes later = *sig;
  later[7] ^= 1;  // timestamp is signed
  EXPECT_FALSE((*v)->Verify(kText, later));
  EXPECT_FALSE((*v)->Verify(
      "example.com/x\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
      *sig));
  // Not a checkpoint: refused.
  EXPECT_FALSE(signer.Sign("hello\n").ok());
  EXPECT_FALSE(signer.SignAt(kText, uint64_t{1} << 63).ok());
}

TEST(Cosignature, KeyIdUsesType04) {
  FixedClock clock(Timestamp::FromUnixSeconds(1));
  auto key = KeyFromSeed(2);
  CosignatureSigner cosigner("w", key, clock);
  Ed25519NoteSigner plain("w", key);
  EXPECT_NE(cosigner.key_id(), plain.key_id());
  EXPECT_EQ(cosigner.key_id(), KeyId("w", 0x04, key.public_key()));
  // A 0x01 key is not a cosigner key and vice versa.
  EXPECT_FALSE(CosignatureVerifier::FromVerifierKey(plain.verifier_key()).ok());
  EXPECT_FALSE(
      Ed25519NoteVerifier::FromVerifierKey(cosigner.verifier_key()).ok());
}

TEST(Cosignature, SpecExampleLineCarriesItsTimestamp) {
  // tlog-cosignature example: the witness line's signature starts with the
  // key ID and the timestamp 1679315147 used in the message example.
  const std::string note =
      std::string(kText) +
      "\n\xE2\x80\x94 example.com/behind-the-sofa "
      "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"
      "Zhcyv2q1gGzGku9nTo+zyWE+"
      "xeMcTOAYQ8=\n"
      "\xE2\x80\x94 witness.example.com/w1 "
      "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/"
      "zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+"
      "mbIUBkBIfZ+qnA==\n";
  Result<Note> parsed = ParseNote(note);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->signatures.size(), 2u);
  EXPECT_EQ(parsed->signatures[1].name, "witness.example.com/w1");
  Result<uint64_t> ts = CosignatureTimestamp(parsed->signatures[1].signature);
  ASSERT_TRUE(ts.ok());
  EXPECT_EQ(*ts, 1679315147u);
  EXPECT_EQ(FormatNote(*parsed), note);
}

struct Fixture {
  FixedClock clock{Timestamp::FromUnixSeconds(1'700'000'000)};
  Ed25519NoteSigner log{"example.com/log", KeyFromSeed(100)};
  Ed25519NoteVerifier log_v{"example.com/log", log.key_pair().public_key()};
  std::vector<std::unique_ptr<CosignatureSigner>> witnesses;
  std::vector<std::string> vkeys;
  std::string checkpoint_text;

  Fixture() {
    for (int i = 0; i < 3; ++i) {
      witnesses.push_back(std::make_unique<CosignatureSigner>(
          "w" + std::to_string(i) + ".example", KeyFromSeed(200 + i), clock));
      vkeys.push_back(witnesses.back()->verifier_key());
    }
    Checkpoint cp{.origin = "example.com/log", .size = 5};
    checkpoint_text = *FormatCheckpoint(cp);
  }
  std::string Signed(std::vector<const NoteSigner*> cosigners) {
    cosigners.insert(cosigners.begin(), &log);
    return *SignNote(checkpoint_text, cosigners);
  }
};

TEST(WitnessPolicy, RequiresKOfNDistinctWitnesses) {
  Fixture f;
  Result<WitnessPolicy> policy = WitnessPolicy::Create(f.vkeys, 2);
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();

  std::string two = f.Signed({f.witnesses[0].get(), f.witnesses[2].get()});
  Result<CosignedCheckpoint> ok =
      OpenCosignedCheckpoint(two, "example.com/log", f.log_v, *policy);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_EQ(ok->cosignatures.size(), 2u);
  EXPECT_EQ(ok->cosignatures[0].name, "w0.example");
  EXPECT_EQ(ok->cosignatures[0].timestamp, 1'700'000'000u);

  std::string one = f.Signed({f.witnesses[1].get()});
  EXPECT_EQ(OpenCosignedCheckpoint(one, "example.com/log", f.log_v, *policy)
                .status()
                .code(),
            Code::kUnauthenticated);
  // The same witness twice still counts once.
  std::string dup = f.Signed({f.witnesses[1].get(), f.witnesses[1].get()});
  EXPECT_EQ(OpenCosignedCheckpoint(dup, "example.com/log", f.log_v, *policy)
                .status()
                .code(),
            Code::kUnauthenticated);
  // An unknown witness does not count.
  FixedClock clock(Timestamp::FromUnixSeconds(5));
  CosignatureSigner stranger("w9.example", KeyFromSeed(999), clock);
  std::string with_stranger = f.Signed({f.witnesses[1].get(), &stranger});
  EXPECT_EQ(
      OpenCosignedCheckpoint(with_stranger, "example.com/log", f.log_v, *policy)
          .status()
          .code(),
      Code::kUnauthenticated);
}

TEST(WitnessPolicy, RejectsFutureTimestampsAndBadConfig) {
  Fixture f;
  Result<WitnessPolicy> policy = WitnessPolicy::Create(f.vkeys, 1);
  ASSERT_TRUE(policy.ok());
  std::string msg = f.Signed({f.witnesses[0].get()});
  EXPECT_TRUE(OpenCosignedCheckpoint(msg, "example.com/log", f.log_v, *policy,
                                     1'700'000'000 - 30)
                  .ok());
  EXPECT_EQ(OpenCosignedCheckpoint(msg, "example.com/log", f.log_v, *policy,
                                   1'700'000'000 - 3600)
                .status()
                .code(),
            Code::kUnauthenticated);
  EXPECT_FALSE(WitnessPolicy::Create(f.vkeys, 4).ok());
  std::vector<std::string> same_name = {f.vkeys[0], f.vkeys[0]};
  EXPECT_FALSE(WitnessPolicy::Create(same_name, 1).ok());
  Result<WitnessPolicy> none = WitnessPolicy::Create({}, 0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(
      OpenCosignedCheckpoint(msg, "example.com/log", f.log_v, *none).ok());
}

}  // namespace
}  // namespace credstack::tlog
