#pragma once

// A CSV file opened from a FileProvider with its header read. Internal to
// the importers.

#include <charconv>
#include <memory>
#include <string>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/pathways/csv.h"
#include "credstack/pathways/framework.h"
#include "credstack/pathways/source.h"

namespace credstack::pathways::internal {

struct CsvFile {
  std::unique_ptr<ByteSource> source;
  std::unique_ptr<CsvReader> reader;
  CsvHeader header;

  static Result<std::unique_ptr<CsvFile>> Open(FileProvider& files,
                                               std::string_view name,
                                               const CsvOptions& options) {
    auto f = std::make_unique<CsvFile>();
    CREDSTACK_ASSIGN_OR_RETURN(f->source, files.Open(name));
    f->reader =
        std::make_unique<CsvReader>(*f->source, std::string(name), options);
    CREDSTACK_ASSIGN_OR_RETURN(f->header, CsvHeader::Read(*f->reader));
    return f;
  }
  Result<bool> Next() { return reader->Next(); }
  std::string_view operator[](size_t i) const {
    return reader->field_or_empty(i);
  }
  // "file:line" of the current record, for warnings.
  std::string Where() const {
    return reader->name() + ":" + std::to_string(reader->position(0).line);
  }
};

// Records a dangling reference: an error in strict mode, else a warning.
inline Status Dangling(const CsvFile& f, size_t column, std::string_view what,
                       std::string_view id, bool strict,
                       ImportWarnings& warnings) {
  std::string msg =
      std::string(what) + " " + std::string(id) + " is not defined";
  if (strict) return f.reader->FieldError(column, msg);
  warnings.Add(f.Where() + ": " + msg + "; skipped");
  return OkStatus();
}

inline std::optional<float> ParseFloat(std::string_view s) {
  float v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace credstack::pathways::internal
