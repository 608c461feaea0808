#pragma once

// A JSON Schema validator for the subset of draft 2019-09 that the 1EdTech
// Open Badges 3.0 / CLR 2.0 schemas use: type, enum, const, properties,
// required, additionalProperties, items (schema and tuple forms),
// additionalItems, minItems, maxItems, contains, allOf, anyOf, oneOf, not,
// $ref to "#/$defs/..." or "#/definitions/...", pattern (ECMAScript regex
// subset through std::regex), format (date-time, date, uri).
//
// JSON-LD convention: where a schema requires an array and the instance is
// a single value, the value is validated as a one-element array (OB 3.0
// "unordered set" properties may be written either way).

#include <memory>
#include <string>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/json/json.h"

namespace credstack::json {

struct SchemaError {
  std::string path;     // JSON path in the instance, e.g. "$.issuer.type"
  std::string message;  // what is wrong there
  // True when the value has the right JSON type but matches none of a
  // oneOf of value alternatives (an extensible enumeration: listed values
  // or an extension pattern): a vocabulary problem, not a shape problem.
  bool value_only = false;
};

class Schema {
 public:
  // Compiles a schema document. Fails on unsupported keywords that would
  // change the result ($dynamicRef, patternProperties, ...) or bad regexes.
  static Result<std::shared_ptr<const Schema>> Compile(Value document);

  // Validates instance; returns the errors found (empty when valid), at most
  // max_errors. Thread-safe.
  std::vector<SchemaError> Validate(const Value& instance, size_t max_errors = 20) const;

  ~Schema();

  struct Impl;  // defined in schema.cc

 private:
  explicit Schema(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace credstack::json
