#pragma once

// Test and benchmark helper: a FileProvider over a directory. Production code
// gets its provider from the CLI; this one exists so that tests can read the
// real data sets. Linked only into tests and benchmarks.

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "credstack/pathways/source.h"

namespace credstack::pathways::testing {

class DirFileProvider final : public FileProvider {
 public:
  explicit DirFileProvider(std::filesystem::path dir) : dir_(std::move(dir)) {}
  Result<std::unique_ptr<ByteSource>> Open(std::string_view name) override {
    auto src = std::make_unique<Source>(dir_ / std::string(name));
    if (!src->in)
      return NotFoundError("cannot open " +
                           (dir_ / std::string(name)).string());
    return std::unique_ptr<ByteSource>(std::move(src));
  }
  bool Has(std::string_view name) override {
    std::error_code ec;
    return std::filesystem::is_regular_file(dir_ / std::string(name), ec);
  }

 private:
  struct Source final : ByteSource {
    explicit Source(const std::filesystem::path& p)
        : in(p, std::ios::binary), src(in) {}
    Result<size_t> Read(std::span<char> out) override { return src.Read(out); }
    std::ifstream in;
    IstreamByteSource src;
  };
  std::filesystem::path dir_;
};

}  // namespace credstack::pathways::testing
