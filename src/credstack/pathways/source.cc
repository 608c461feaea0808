#include "credstack/pathways/source.h"

#include <algorithm>
#include <cstring>

namespace credstack::pathways {

Result<size_t> StringByteSource::Read(std::span<char> out) {
  size_t n = std::min(out.size(), data_.size());
  std::memcpy(out.data(), data_.data(), n);
  data_.remove_prefix(n);
  return n;
}

Result<size_t> IstreamByteSource::Read(std::span<char> out) {
  if (out.empty()) return size_t{0};
  in_.read(out.data(), static_cast<std::streamsize>(out.size()));
  if (in_.bad()) return DataLossError("read failed");
  return static_cast<size_t>(in_.gcount());
}

Result<std::unique_ptr<ByteSource>> MemoryFileProvider::Open(
    std::string_view name) {
  auto it = files_.find(name);
  if (it == files_.end()) {
    return NotFoundError("no file named " + std::string(name));
  }
  return std::unique_ptr<ByteSource>(
      std::make_unique<StringByteSource>(it->second));
}

bool MemoryFileProvider::Has(std::string_view name) {
  return files_.find(name) != files_.end();
}

}  // namespace credstack::pathways
