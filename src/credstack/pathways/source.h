#pragma once

// Byte and file sources handed to the pathways parsers by their caller. The
// pathways module does no I/O itself: the CLI (or a test) opens files and
// passes them in through these small interfaces, so parsing stays
// deterministic and testable on in-memory data.

#include <cstddef>
#include <istream>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "credstack/base/status.h"

namespace credstack::pathways {

// A forward-only stream of bytes. Not thread-safe.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills a prefix of out and returns its length; 0 means end of input.
  // Errors (kUnavailable, kDataLoss ...) come from the underlying medium.
  virtual Result<size_t> Read(std::span<char> out) = 0;
};

// Reads from a string_view owned by the caller, which must outlive it.
class StringByteSource final : public ByteSource {
 public:
  explicit StringByteSource(std::string_view data) : data_(data) {}
  Result<size_t> Read(std::span<char> out) override;

 private:
  std::string_view data_;
};

// Reads from a std::istream owned by the caller (e.g. an std::ifstream the
// CLI opened). A stream in the bad() state reports kDataLoss.
class IstreamByteSource final : public ByteSource {
 public:
  explicit IstreamByteSource(std::istream& in) : in_(in) {}
  Result<size_t> Read(std::span<char> out) override;

 private:
  std::istream& in_;
};

// Supplies the named files of a data set (e.g. "skills_en.csv") to an
// importer. Implementations: the CLI's directory provider, and
// MemoryFileProvider for tests.
class FileProvider {
 public:
  virtual ~FileProvider() = default;
  // Opens a file of the set. kNotFound when the set has no such file.
  virtual Result<std::unique_ptr<ByteSource>> Open(std::string_view name) = 0;
  // True when the set has the file (used for optional files).
  virtual bool Has(std::string_view name) = 0;
};

// Files held in memory, keyed by name. Thread-compatible.
class MemoryFileProvider final : public FileProvider {
 public:
  void Add(std::string name, std::string contents) {
    files_[std::move(name)] = std::move(contents);
  }
  Result<std::unique_ptr<ByteSource>> Open(std::string_view name) override;
  bool Has(std::string_view name) override;

 private:
  std::map<std::string, std::string, std::less<>> files_;
};

}  // namespace credstack::pathways
