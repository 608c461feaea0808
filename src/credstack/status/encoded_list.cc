#include "credstack/status/encoded_list.h"

#include <zlib.h>

#include <string>

namespace credstack::status {
namespace {

// RAII for a z_stream.
class Inflater {
 public:
  Inflater() = default;
  ~Inflater() {
    if (ok_) inflateEnd(&z_);
  }
  // 16 + MAX_WBITS: GZIP wrapper only (no zlib or raw deflate).
  bool Init() { return ok_ = inflateInit2(&z_, 16 + MAX_WBITS) == Z_OK; }
  z_stream& z() { return z_; }

 private:
  z_stream z_{};
  bool ok_ = false;
};

class Deflater {
 public:
  ~Deflater() {
    if (ok_) deflateEnd(&z_);
  }
  bool Init() {
    // Z_RLE: a status list is long runs of zero bytes; run-length matching
    // compresses it within ~10% of full deflate at a small fraction of the
    // cost (level-9 deflate spends milliseconds on a sparse 16 KB list).
    return ok_ = deflateInit2(&z_, Z_BEST_COMPRESSION, Z_DEFLATED,
                              16 + MAX_WBITS, 9, Z_RLE) == Z_OK;
  }
  z_stream& z() { return z_; }

 private:
  z_stream z_{};
  bool ok_ = false;
};

}  // namespace

Result<std::string> EncodeList(ByteView bitstring) {
  Deflater d;
  if (!d.Init()) return InternalError("zlib: deflateInit2 failed");
  z_stream& z = d.z();
  Bytes out(deflateBound(&z, static_cast<uLong>(bitstring.size())));
  z.next_in = const_cast<Bytef*>(bitstring.data());
  z.avail_in = static_cast<uInt>(bitstring.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END)
    return InternalError("zlib: deflate failed");
  out.resize(z.total_out);
  return MultibaseEncode(Multibase::kBase64Url, out);
}

Result<Bytes> DecodeList(std::string_view encoded_list,
                         const DecodeOptions& options) {
  if (encoded_list.size() > options.max_encoded_size) {
    return ResourceExhaustedError("encodedList longer than " +
                                  std::to_string(options.max_encoded_size) +
                                  " characters");
  }
  if (encoded_list.empty() || encoded_list[0] != 'u') {
    return InvalidArgumentError(
        "encodedList must be multibase base64url ('u' prefix)");
  }
  Result<Bytes> gz = Base64UrlDecode(encoded_list.substr(1));
  if (!gz.ok()) {
    return InvalidArgumentError(
        "encodedList is not base64url without padding: " +
        gz.status().message());
  }
  Inflater inf;
  if (!inf.Init()) return InternalError("zlib: inflateInit2 failed");
  z_stream& z = inf.z();
  z.next_in = gz->data();
  z.avail_in = static_cast<uInt>(gz->size());
  Bytes out;
  // Grow geometrically up to the limit; one byte of headroom past it tells
  // "exactly at the limit" from "over it".
  const size_t limit = options.max_decompressed_size;
  size_t cap = std::min<size_t>(64 * 1024, limit + 1);
  for (;;) {
    out.resize(cap);
    z.next_out = out.data() + z.total_out;
    z.avail_out = static_cast<uInt>(cap - z.total_out);
    const int rc = inflate(&z, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return InvalidArgumentError(
          std::string("encodedList is not valid GZIP data: ") +
          (z.msg ? z.msg : "zlib error"));
    }
    if (z.total_out > limit) {
      return ResourceExhaustedError("encodedList decompresses to more than " +
                                    std::to_string(limit) + " bytes");
    }
    if (z.avail_out == 0) {
      if (cap > limit) {
        return ResourceExhaustedError("encodedList decompresses to more than " +
                                      std::to_string(limit) + " bytes");
      }
      cap = std::min(cap * 2, limit + 1);
      continue;
    }
    if (z.avail_in == 0)
      return InvalidArgumentError("encodedList GZIP data is truncated");
  }
  if (z.total_out > limit) {
    return ResourceExhaustedError("encodedList decompresses to more than " +
                                  std::to_string(limit) + " bytes");
  }
  if (z.avail_in != 0) {
    return InvalidArgumentError("encodedList has data after the GZIP member");
  }
  out.resize(z.total_out);
  return out;
}

}  // namespace credstack::status
