#pragma once

// File and stream helpers for commands: bounded reads, "-" for stdin,
// private (0600) file creation.

#include <string>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/json/json.h"

namespace credstack::cli {

inline constexpr size_t kMaxInputBytes = 64 * 1024 * 1024;

// Reads a whole file ("-" = stdin). kNotFound if it cannot be opened,
// kResourceExhausted beyond max_bytes.
Result<std::string> ReadInput(std::string_view path, size_t max_bytes = kMaxInputBytes);

// Reads and parses a JSON file; errors are prefixed with the path.
Result<json::Value> ReadJsonFile(std::string_view path, const json::ParseOptions& options = {});

// Creates path with mode 0600, failing with kAlreadyExists if it exists
// (never overwrites a key). Writes atomically (temp file + rename).
Status WritePrivateFile(const std::string& path, std::string_view content);

// Writes to stdout in full.
void WriteStdout(std::string_view s);

}  // namespace credstack::cli
