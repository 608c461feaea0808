#include "credstack/cli/exit_code.h"

#include <cstdio>

namespace credstack::cli {

int ExitCodeFor(Code code) {
  switch (code) {
    case Code::kOk: return kExitOk;
    case Code::kInvalidArgument:
    case Code::kFailedPrecondition:
    case Code::kAlreadyExists:
    case Code::kResourceExhausted:
    case Code::kDataLoss:
    case Code::kPermissionDenied:
    case Code::kUnauthenticated:
    case Code::kUnimplemented:
      return kExitFailed;
    case Code::kNotFound:
    case Code::kUnavailable:
      return kExitUsage;
    case Code::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

int ReportError(const Status& status) {
  std::fprintf(stderr, "credstack: %s\n", status.message().c_str());
  return ExitCodeFor(status.code());
}

}  // namespace credstack::cli
