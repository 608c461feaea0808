#include "credstack/pathways/csv.h"

#include <algorithm>
#include <cstring>

#include "credstack/base/utf8.h"

namespace credstack::pathways {
namespace {

enum class State { kFieldStart, kUnquoted, kQuoted, kQuotedQuote, kCr };

}  // namespace

CsvReader::CsvReader(ByteSource& source, std::string name, CsvOptions options)
    : source_(source), name_(std::move(name)), options_(options) {
  buffer_.resize(std::max<size_t>(options_.chunk_bytes, 16));
  special_[static_cast<unsigned char>(options_.separator)] = true;
  special_['\n'] = true;
  special_['\r'] = true;
  if (options_.quote != '\0') {
    special_[static_cast<unsigned char>(options_.quote)] = true;
  }
}

Result<bool> CsvReader::Fill() {
  begin_ = 0;
  end_ = 0;
  if (eof_) return false;
  CREDSTACK_ASSIGN_OR_RETURN(size_t n, source_.Read(buffer_));
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ = n;
  return true;
}

Status CsvReader::ErrorAt(CsvPosition pos, std::string_view message) const {
  return InvalidArgumentError(name_ + ":" + std::to_string(pos.line) + ":" +
                              std::to_string(pos.column) + ": " +
                              std::string(message));
}

Status CsvReader::LimitError(CsvPosition pos, std::string_view what) const {
  return ResourceExhaustedError(name_ + ":" + std::to_string(pos.line) + ":" +
                                std::to_string(pos.column) + ": " +
                                std::string(what));
}

Status CsvReader::FieldError(size_t i, std::string_view message) const {
  return ErrorAt(position(i), message);
}

Status CsvReader::RecordError(std::string_view message) const {
  return ErrorAt(record_start_, message);
}

Status CsvReader::Validate() {
  if (!options_.validate_utf8 || IsValidUtf8(record_)) return OkStatus();
  for (size_t i = 0; i < size(); ++i) {
    if (!IsValidUtf8(field(i))) return FieldError(i, "invalid UTF-8");
  }
  return RecordError("invalid UTF-8");
}

Result<bool> CsvReader::Next() {
  if (!started_) {
    started_ = true;
    // Gather at least three bytes so that a byte order mark split across
    // reads is still recognised.
    CREDSTACK_ASSIGN_OR_RETURN(bool more, Fill());
    while (more && end_ < 3) {
      CREDSTACK_ASSIGN_OR_RETURN(
          size_t n, source_.Read(std::span<char>(buffer_).subspan(end_)));
      if (n == 0) {
        eof_ = true;
        break;
      }
      end_ += n;
    }
    if (end_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) {
      begin_ = 3;
    }
  }
  const char sep = options_.separator;
  const char quote = options_.quote;
  for (;;) {
    record_.clear();
    ends_.clear();
    positions_.clear();
    record_start_ = {line_, column_};
    positions_.push_back(record_start_);
    size_t field_begin = 0;
    bool consumed = false;
    State state = State::kFieldStart;
    CsvPosition quote_start;
    bool done = false;

    auto end_field = [&]() -> Status {
      if (record_.size() - field_begin > options_.max_field_bytes) {
        return LimitError(positions_.back(), "field larger than the limit");
      }
      ends_.push_back(static_cast<uint32_t>(record_.size()));
      field_begin = record_.size();
      return OkStatus();
    };
    auto new_field = [&]() -> Status {
      if (ends_.size() >= options_.max_fields) {
        return LimitError({line_, column_}, "more fields than the limit");
      }
      positions_.push_back({line_, column_});
      return OkStatus();
    };

    while (!done) {
      if (begin_ == end_) {
        CREDSTACK_ASSIGN_OR_RETURN(bool more, Fill());
        if (!more) break;
      }
      if (record_.size() > options_.max_record_bytes) {
        return LimitError(record_start_, "record larger than the limit");
      }
      consumed = true;
      if (state == State::kUnquoted || state == State::kQuoted) {
        // Copy a run of ordinary bytes at once.
        const char* p = buffer_.data() + begin_;
        const char* e = buffer_.data() + end_;
        const char* q = p;
        if (state == State::kUnquoted) {
          while (q < e && !special_[static_cast<unsigned char>(*q)]) ++q;
        } else {
          while (q < e && *q != quote && *q != '\n') ++q;
        }
        if (q != p) {
          record_.append(p, q);
          column_ += static_cast<uint64_t>(q - p);
          begin_ += static_cast<size_t>(q - p);
          continue;
        }
      }
      char c = buffer_[begin_++];
      const CsvPosition here{line_, column_};
      if (c == '\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
      switch (state) {
        case State::kFieldStart:
        case State::kUnquoted:
          if (c == sep) {
            CREDSTACK_RETURN_IF_ERROR(end_field());
            CREDSTACK_RETURN_IF_ERROR(new_field());
            state = State::kFieldStart;
          } else if (c == '\n') {
            done = true;
          } else if (c == '\r') {
            state = State::kCr;
          } else if (quote != '\0' && c == quote) {
            if (state == State::kUnquoted) {
              return ErrorAt(here, "quote inside an unquoted field");
            }
            quote_start = here;
            state = State::kQuoted;
          } else {
            record_.push_back(c);
            state = State::kUnquoted;
          }
          break;
        case State::kQuoted:
          if (c == quote) {
            state = State::kQuotedQuote;
          } else {
            record_.push_back(c);
          }
          break;
        case State::kQuotedQuote:
          if (c == quote) {
            record_.push_back(c);
            state = State::kQuoted;
          } else if (c == sep) {
            CREDSTACK_RETURN_IF_ERROR(end_field());
            CREDSTACK_RETURN_IF_ERROR(new_field());
            state = State::kFieldStart;
          } else if (c == '\n') {
            done = true;
          } else if (c == '\r') {
            state = State::kCr;
          } else {
            return ErrorAt(here,
                           "expected a separator or line end after a closing "
                           "quote");
          }
          break;
        case State::kCr:
          if (c != '\n') {
            return ErrorAt(here, "carriage return not followed by line feed");
          }
          done = true;
          break;
      }
    }
    if (!done) {
      // End of input.
      if (!consumed) return false;
      if (state == State::kQuoted) {
        return ErrorAt(quote_start, "unterminated quoted field");
      }
    }
    CREDSTACK_RETURN_IF_ERROR(end_field());
    if (options_.skip_empty_lines && ends_.size() == 1 && record_.empty() &&
        state == State::kFieldStart) {
      if (!done) return false;
      continue;
    }
    if (++records_ > options_.max_records) {
      return LimitError(record_start_, "more records than the limit");
    }
    if (record_.size() > options_.max_record_bytes) {
      return LimitError(record_start_, "record larger than the limit");
    }
    CREDSTACK_RETURN_IF_ERROR(Validate());
    return true;
  }
}

Result<CsvHeader> CsvHeader::Read(CsvReader& reader) {
  CREDSTACK_ASSIGN_OR_RETURN(bool any, reader.Next());
  if (!any)
    return InvalidArgumentError(reader.name() + ": empty file, no header");
  CsvHeader h;
  h.file_ = reader.name();
  h.names_.reserve(reader.size());
  for (size_t i = 0; i < reader.size(); ++i) {
    h.names_.emplace_back(reader.field(i));
  }
  return h;
}

size_t CsvHeader::Find(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return SIZE_MAX;
}

Result<size_t> CsvHeader::Require(std::string_view name) const {
  size_t i = Find(name);
  if (i == SIZE_MAX) {
    return InvalidArgumentError(file_ + ":1: missing column \"" +
                                std::string(name) + "\"");
  }
  return i;
}

}  // namespace credstack::pathways
