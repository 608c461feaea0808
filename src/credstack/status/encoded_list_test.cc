#include "credstack/status/encoded_list.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "credstack/base/rng.h"

namespace credstack::status {
namespace {

// Raw GZIP of `data` (to build hostile inputs).
Bytes Gzip(ByteView data) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
  Bytes out(deflateBound(&z, static_cast<uLong>(data.size())));
  z.next_in = const_cast<Bytef*>(data.data());
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string U(ByteView gz) {
  return MultibaseEncode(Multibase::kBase64Url, gz);
}

TEST(EncodedList, SpecExampleDecodesToEmpty16KiB) {
  Result<Bytes> bits = DecodeList(
      "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA");
  ASSERT_TRUE(bits.ok()) << bits.status().ToString();
  EXPECT_EQ(bits->size(), 16384u);
  EXPECT_TRUE(std::all_of(bits->begin(), bits->end(),
                          [](uint8_t b) { return b == 0; }));
}

TEST(EncodedList, RoundTripsRandomLists) {
  DeterministicRng rng(5);
  for (int round = 0; round < 8; ++round) {
    Bitstring b =
        *Bitstring::Create(kMinimumEntries << (round % 3), 1 + round % 3);
    for (int i = 0; i < 1000; ++i) {
      const uint64_t index = rng.Uniform(b.entries());
      ASSERT_TRUE(
          b.Set(index, rng.Uniform(uint64_t{1} << b.status_size())).ok());
    }
    Result<std::string> enc = EncodeList(b);
    ASSERT_TRUE(enc.ok());
    EXPECT_EQ((*enc)[0], 'u');
    EXPECT_EQ(enc->find('='), std::string::npos);
    Result<Bytes> dec = DecodeList(*enc);
    ASSERT_TRUE(dec.ok());
    EXPECT_EQ(*dec, b.bytes());
  }
}

TEST(EncodedList, EncodingIsDeterministicGzip) {
  Bitstring b = *Bitstring::Create();
  std::string a = *EncodeList(b);
  EXPECT_EQ(a, *EncodeList(b));
  Bytes gz = *MultibaseDecode(a);
  ASSERT_GE(gz.size(), 10u);
  EXPECT_EQ(gz[0], 0x1f);  // RFC 1952 magic
  EXPECT_EQ(gz[1], 0x8b);
  EXPECT_EQ(gz[4] | gz[5] | gz[6] | gz[7], 0);  // MTIME 0
  EXPECT_LT(a.size(), 100u);  // 16 KB of zeros compresses to tens of bytes
}

TEST(EncodedList, RefusesZipBombs) {
  // 64 MiB of zeros compresses to ~64 KB: refused once inflation passes
  // the 16 MiB default, without allocating the rest.
  Bytes zeros(64 * 1024 * 1024, 0);
  const std::string bomb = U(Gzip(zeros));
  EXPECT_LT(bomb.size(), 200'000u);
  Result<Bytes> r = DecodeList(bomb);
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
  EXPECT_NE(r.status().message().find("more than"), std::string::npos);

  DecodeOptions tight;
  tight.max_decompressed_size = 16384;
  const std::string exact = U(Gzip(Bytes(16384, 0)));
  EXPECT_TRUE(DecodeList(exact, tight).ok());
  EXPECT_EQ(DecodeList(U(Gzip(Bytes(16385, 0))), tight).status().code(),
            Code::kResourceExhausted);
  tight.max_encoded_size = 10;
  EXPECT_EQ(DecodeList(exact, tight).status().code(), Code::kResourceExhausted);
}

TEST(EncodedList, RejectsMalformedInput) {
  const Bytes gz = Gzip(Bytes(16384, 0));
  EXPECT_EQ(DecodeList("").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(DecodeList("u").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(DecodeList("z" + U(gz).substr(1)).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(DecodeList("u" + Base64Encode(gz)).status().code(),
            Code::kInvalidArgument);
  // Truncated, corrupted CRC, trailing garbage, a second member, zlib
  // instead of gzip.
  Bytes truncated(gz.begin(), gz.end() - 5);
  EXPECT_EQ(DecodeList(U(truncated)).status().code(), Code::kInvalidArgument);
  Bytes bad_crc = gz;
  bad_crc[bad_crc.size() - 6] ^= 1;
  EXPECT_EQ(DecodeList(U(bad_crc)).status().code(), Code::kInvalidArgument);
  Bytes trailing = gz;
  trailing.push_back(0);
  EXPECT_EQ(DecodeList(U(trailing)).status().code(), Code::kInvalidArgument);
  Bytes twice = gz;
  twice.insert(twice.end(), gz.begin(), gz.end());
  EXPECT_EQ(DecodeList(U(twice)).status().code(), Code::kInvalidArgument);
  Bytes zlib(compressBound(16));
  uLongf len = zlib.size();
  Bytes sixteen(16, 0);
  compress(zlib.data(), &len, sixteen.data(), sixteen.size());
  zlib.resize(len);
  EXPECT_EQ(DecodeList(U(zlib)).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace credstack::status
