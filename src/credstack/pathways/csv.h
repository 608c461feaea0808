#pragma once

// A streaming CSV reader following RFC 4180 (section 2): fields separated by
// commas, records by CRLF (a bare LF is accepted too), fields optionally
// enclosed in double quotes, a double quote inside a quoted field escaped by
// doubling it, and quoted fields that may hold separators and line breaks.
// A leading UTF-8 byte order mark is skipped. With quote = '\0' it reads
// plain tab-separated text such as the O*NET database files.
//
// The reader owns one record buffer that it reuses: the string_views it hands
// out stay valid until the next call to Next(), and no allocation happens
// per field once the buffers have grown to the largest record.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/pathways/source.h"

namespace credstack::pathways {

struct CsvOptions {
  char separator = ',';
  // The quote character; '\0' disables quoting (tab-separated text).
  char quote = '"';
  // Largest field after unquoting; larger ones fail with kResourceExhausted.
  size_t max_field_bytes = 1 << 20;
  // Largest record (sum of its fields).
  size_t max_record_bytes = 4 << 20;
  // Most fields in one record.
  size_t max_fields = 1024;
  // Most records (including the header) in one input.
  uint64_t max_records = 20'000'000;
  // Skip lines that are completely empty instead of returning a record with
  // one empty field.
  bool skip_empty_lines = true;
  // Reject records that are not well-formed UTF-8.
  bool validate_utf8 = true;
  // Bytes requested from the source per read.
  size_t chunk_bytes = 1 << 16;
};

// Where a field starts: 1-based line and 1-based byte column.
struct CsvPosition {
  uint64_t line = 0;
  uint64_t column = 0;
};

class CsvReader {
 public:
  // name is used in error messages ("skills_en.csv:12:5: ...").
  // source must outlive the reader.
  CsvReader(ByteSource& source, std::string name, CsvOptions options = {});

  // Reads the next record. Returns false at the end of the input.
  // Errors: kInvalidArgument for malformed input (message
  // "name:line:column: what"), kResourceExhausted when a limit is hit, or
  // the source's own error.
  Result<bool> Next();

  // The current record (valid until the next call to Next()).
  size_t size() const { return ends_.size(); }
  std::string_view field(size_t i) const {
    size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(record_).substr(begin, ends_[i] - begin);
  }
  // field(i), or "" when the record is shorter (ragged rows).
  std::string_view field_or_empty(size_t i) const {
    return i < size() ? field(i) : std::string_view();
  }
  CsvPosition position(size_t i) const {
    return i < positions_.size() ? positions_[i] : record_start_;
  }
  // 1-based number of the current record (the header is record 1).
  uint64_t record_number() const { return records_; }
  const std::string& name() const { return name_; }

  // kInvalidArgument "name:line:column: message" pointing at field i.
  Status FieldError(size_t i, std::string_view message) const;
  // kInvalidArgument "name:line:column: message" pointing at the record.
  Status RecordError(std::string_view message) const;

 private:
  Result<bool> Fill();
  Status ErrorAt(CsvPosition pos, std::string_view message) const;
  Status LimitError(CsvPosition pos, std::string_view what) const;
  Status Validate();

  ByteSource& source_;
  std::string name_;
  CsvOptions options_;
  std::vector<char> buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  bool started_ = false;
  uint64_t line_ = 1;
  uint64_t column_ = 1;
  uint64_t records_ = 0;
  bool special_[256] = {};

  std::string record_;
  std::vector<uint32_t> ends_;
  std::vector<CsvPosition> positions_;
  CsvPosition record_start_;
};

// Column lookup by header name for a CSV file whose first record names the
// columns.
class CsvHeader {
 public:
  // Reads the header record from reader. An empty input is an error.
  static Result<CsvHeader> Read(CsvReader& reader);
  // The column index of name, or kInvalidArgument naming the file and the
  // missing column.
  Result<size_t> Require(std::string_view name) const;
  // The column index of name, or SIZE_MAX when absent.
  size_t Find(std::string_view name) const;
  size_t size() const { return names_.size(); }

 private:
  std::string file_;
  std::vector<std::string> names_;
};

}  // namespace credstack::pathways
