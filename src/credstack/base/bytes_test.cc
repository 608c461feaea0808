#include "credstack/base/bytes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace credstack {
namespace {

TEST(Hex, RoundTrips) {
  Bytes b = {0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(HexEncode(b), "0001abff");
  EXPECT_EQ(*HexDecode("0001ABff"), b);
}

TEST(Hex, RejectsOddLengthAndBadDigits) {
  EXPECT_FALSE(HexDecode("abc").ok());
  EXPECT_FALSE(HexDecode("zz").ok());
}

TEST(Base64, Rfc4648Vectors) {
  // RFC 4648 §10.
  const char* in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* std_out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  const char* url_out[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(Base64Encode(AsBytes(in[i])), std_out[i]);
    EXPECT_EQ(Base64UrlEncode(AsBytes(in[i])), url_out[i]);
    EXPECT_EQ(AsChars(*Base64Decode(std_out[i])), in[i]);
    EXPECT_EQ(AsChars(*Base64UrlDecode(url_out[i])), in[i]);
  }
}

TEST(Base64, RejectsNonCanonical) {
  EXPECT_FALSE(Base64Decode("Zh==").ok());   // stray bits
  EXPECT_FALSE(Base64Decode("Zg=").ok());    // bad padding length
  EXPECT_FALSE(Base64UrlDecode("Zg==").ok());  // padding not allowed
  EXPECT_FALSE(Base64UrlDecode("Z+8").ok());   // std alphabet char
  EXPECT_FALSE(Base64UrlDecode("Z").ok());     // truncated
}

TEST(Base58, KnownValues) {
  EXPECT_EQ(Base58BtcEncode(AsBytes("Hello World!")), "2NEpo7TZRRrLZSi2U");
  EXPECT_EQ(Base58BtcEncode(Bytes{0, 0, 1}), "112");
  EXPECT_EQ(*Base58BtcDecode("112"), (Bytes{0, 0, 1}));
  EXPECT_EQ(AsChars(*Base58BtcDecode("2NEpo7TZRRrLZSi2U")), "Hello World!");
  EXPECT_FALSE(Base58BtcDecode("0OIl").ok());
}

// The textbook digit-by-digit conversion, as the oracle for the limb-based
// one in bytes.cc.
std::string NaiveBase58(const Bytes& data) {
  static constexpr char kAlphabet[] =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  size_t zeros = 0;
  while (zeros < data.size() && data[zeros] == 0) ++zeros;
  std::vector<uint8_t> digits;  // least significant first
  for (size_t i = zeros; i < data.size(); ++i) {
    uint32_t carry = data[i];
    for (uint8_t& d : digits) {
      carry += static_cast<uint32_t>(d) << 8;
      d = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    for (; carry != 0; carry /= 58) digits.push_back(static_cast<uint8_t>(carry % 58));
  }
  std::string out(zeros, '1');
  for (size_t i = digits.size(); i-- > 0;) out += kAlphabet[digits[i]];
  return out;
}

TEST(Base58, MatchesTheDigitByDigitConversionAndRoundTrips) {
  std::mt19937 rng(58);
  for (int n = 0; n < 3000; ++n) {
    Bytes data(rng() % 80);
    for (uint8_t& b : data) b = static_cast<uint8_t>(rng());
    // Leading zero bytes, all-zero and 0xff runs are the edge cases.
    size_t lead = rng() % 4;
    for (size_t i = 0; i < lead && i < data.size(); ++i) data[i] = 0;
    if (n % 97 == 0) std::fill(data.begin(), data.end(), n % 2 ? 0x00 : 0xff);
    std::string text = Base58BtcEncode(data);
    ASSERT_EQ(text, NaiveBase58(data)) << HexEncode(data);
    Result<Bytes> back = Base58BtcDecode(text);
    ASSERT_TRUE(back.ok()) << text;
    ASSERT_EQ(*back, data) << text;
  }
}

TEST(Multibase, DecodesBothPrefixes) {
  EXPECT_EQ(AsChars(*MultibaseDecode("zStV1DL6CwTryKyV")), "hello world");
  EXPECT_EQ(AsChars(*MultibaseDecode("uaGVsbG8gd29ybGQ")), "hello world");
  EXPECT_FALSE(MultibaseDecode("mAAAA").ok());
  EXPECT_FALSE(MultibaseDecode("").ok());
}

TEST(Multicodec, Ed25519PubHeader) {
  Bytes key(32, 7);
  Bytes wrapped = MulticodecWrap(0xed, key);
  ASSERT_EQ(wrapped.size(), 34u);
  EXPECT_EQ(wrapped[0], 0xed);
  EXPECT_EQ(wrapped[1], 0x01);
  auto mc = MulticodecUnwrap(wrapped);
  ASSERT_TRUE(mc.ok());
  EXPECT_EQ(mc->code, 0xedu);
  EXPECT_EQ(mc->payload, key);
  EXPECT_EQ(MulticodecWrap(0x1300, Bytes{})[0], 0x80);
  EXPECT_FALSE(MulticodecUnwrap(Bytes{0x80}).ok());
}

TEST(ConstantTimeEquals, Works) {
  EXPECT_TRUE(ConstantTimeEquals(AsBytes("abc"), AsBytes("abc")));
  EXPECT_FALSE(ConstantTimeEquals(AsBytes("abc"), AsBytes("abd")));
  EXPECT_FALSE(ConstantTimeEquals(AsBytes("abc"), AsBytes("ab")));
}

}  // namespace
}  // namespace credstack
