#pragma once

// RFC 8785 JSON Canonicalization Scheme.

#include <initializer_list>
#include <string>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/json/json.h"

namespace credstack::json {

// Returns the canonical UTF-8 form of v (RFC 8785 §3.2): no whitespace,
// object members sorted by UTF-16 code units, ECMAScript string escaping and
// number serialization. Integers beyond 2^53 are treated as the IEEE-754
// doubles they denote in I-JSON. Fails with kInvalidArgument on NaN or
// infinity (which Boost.JSON can hold but JSON cannot express).
Result<std::string> Canonicalize(const Value& v);

// Canonicalizes object o as if the members named in skip were absent (used
// to canonicalize a secured document without its "proof" without copying).
Result<std::string> CanonicalizeWithout(const Object& o, std::initializer_list<std::string_view> skip);

// Appends the ECMAScript Number::toString form of d (ECMA-262 §6.1.6.1.20),
// as RFC 8785 §3.2.2.3 requires. d must be finite.
void AppendEcmaNumber(double d, std::string& out);

// Appends v in member order (not sorted), with the same string and number
// forms as Canonicalize(). Fails only on NaN/infinity.
Status AppendJson(const Value& v, std::string& out);

// Appends s as a JSON string literal with RFC 8785 §3.2.2.2 escaping.
void AppendJcsString(std::string_view s, std::string& out);

}  // namespace credstack::json
