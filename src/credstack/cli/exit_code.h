#pragma once

// Process exit codes, decided in one place.
//   0  success (every credential verified)
//   1  a credential did not verify, or the input data is invalid
//   2  usage error, or input that cannot be read
//   3  internal error

#include "credstack/base/status.h"

namespace credstack::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInternal = 3;

// Maps a failure to an exit code and prints "credstack: <message>" on stderr.
int ReportError(const Status& status);

int ExitCodeFor(Code code);

}  // namespace credstack::cli
