#pragma once

// Strict JSON (RFC 8259 / I-JSON RFC 7493) through Boost.JSON: bounded size
// and nesting depth, well-formed UTF-8, no comments, no trailing commas, no
// duplicate member names. The only module that includes Boost.JSON's parser;
// the rest of the code uses boost::json::value as the document type.

#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "credstack/base/status.h"

namespace credstack::json {

using Value = boost::json::value;
using Object = boost::json::object;
using Array = boost::json::array;

struct ParseOptions {
  // Largest accepted document in bytes (credentials may embed data: images).
  size_t max_size = 4 * 1024 * 1024;
  // Deepest accepted nesting of arrays and objects.
  size_t max_depth = 64;
  // RFC 8785 §3.1 requires I-JSON, which forbids duplicate names.
  bool allow_duplicate_keys = false;
  // The value's memory comes from blocks owned by the value (a monotonic
  // arena): faster to build, to walk and to free, for documents that are
  // read rather than edited (copies into it grow the arena).
  bool arena = false;
};

// Parses exactly one JSON text. Errors: kInvalidArgument (syntax, with byte
// offset, line and column; duplicate key, with its JSON path; invalid
// UTF-8), kResourceExhausted (size or depth limit).
Result<Value> Parse(std::string_view text, const ParseOptions& options = {});

// Compact serialization (Boost.JSON's); not canonical. Use Canonicalize()
// from jcs.h where bytes must be reproducible.
std::string Serialize(const Value& v);

// Human-friendly serialization with two-space indentation, keys in
// insertion order, and a trailing newline.
std::string SerializePretty(const Value& v);

// Convenience accessors returning nullptr when absent or of another type.
const Object* GetObject(const Object& o, std::string_view key);
const Array* GetArray(const Object& o, std::string_view key);
// The string member, or an empty optional when absent or not a string.
std::optional<std::string_view> GetString(const Object& o, std::string_view key);

// A JSON path for error messages, e.g. "$.credentialSubject.achievement".
class Path {
 public:
  Path() = default;
  Path Key(std::string_view key) const;
  Path Index(size_t i) const;
  const std::string& str() const { return s_; }

 private:
  explicit Path(std::string s) : s_(std::move(s)) {}
  std::string s_ = "$";
};

// The JSON type name of v: "object", "array", "string", "number", "boolean",
// "null".
std::string_view TypeName(const Value& v);

}  // namespace credstack::json
