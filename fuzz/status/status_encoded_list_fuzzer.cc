// encodedList decoding: never more than the configured bytes, and what
// decodes re-encodes to something that decodes to the same bits. The input
// is tried both as an encodedList string and as raw GZIP bytes.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "credstack/status/check.h"
#include "credstack/status/encoded_list.h"

using namespace credstack;
using namespace credstack::status;

namespace {

void CheckDecoded(std::string_view encoded) {
  DecodeOptions options;
  options.max_decompressed_size = 1 << 20;  // keep each run fast
  Result<Bytes> bits = DecodeList(encoded, options);
  if (!bits.ok()) {
    const Code c = bits.status().code();
    CREDSTACK_CHECK(c == Code::kInvalidArgument ||
                    c == Code::kResourceExhausted);
    return;
  }
  CREDSTACK_CHECK(bits->size() <= options.max_decompressed_size);
  Result<std::string> again = EncodeList(*bits);
  CREDSTACK_CHECK(again.ok());
  Result<Bytes> round = DecodeList(*again, options);
  CREDSTACK_CHECK(round.ok() && *round == *bits);
  // Reading any entry of whatever decoded must be safe.
  if (!bits->empty()) {
    Result<Bitstring> b =
        Bitstring::FromBytes(*bits, 1 + bits->front() % kMaxStatusSize);
    if (b.ok() && b->entries() > 0) (void)b->Get(b->entries() - 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CheckDecoded(std::string_view(reinterpret_cast<const char*>(data), size));
  CheckDecoded(MultibaseEncode(Multibase::kBase64Url, ByteView(data, size)));
  return 0;
}
