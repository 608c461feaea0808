#include "credstack/base/status.h"

namespace credstack {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid_argument";
    case Code::kNotFound: return "not_found";
    case Code::kAlreadyExists: return "already_exists";
    case Code::kFailedPrecondition: return "failed_precondition";
    case Code::kUnauthenticated: return "unauthenticated";
    case Code::kPermissionDenied: return "permission_denied";
    case Code::kResourceExhausted: return "resource_exhausted";
    case Code::kUnavailable: return "unavailable";
    case Code::kDataLoss: return "data_loss";
    case Code::kUnimplemented: return "unimplemented";
    case Code::kInternal: return "internal";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(CodeName(code_));
  out += ": ";
  out += message_;
  return out;
}

Status Status::WithPrefix(std::string_view prefix) const {
  if (ok()) return *this;
  std::string m(prefix);
  m += ": ";
  m += message_;
  return Status(code_, std::move(m));
}

Status InvalidArgumentError(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
Status NotFoundError(std::string m) { return {Code::kNotFound, std::move(m)}; }
Status AlreadyExistsError(std::string m) { return {Code::kAlreadyExists, std::move(m)}; }
Status FailedPreconditionError(std::string m) { return {Code::kFailedPrecondition, std::move(m)}; }
Status UnauthenticatedError(std::string m) { return {Code::kUnauthenticated, std::move(m)}; }
Status PermissionDeniedError(std::string m) { return {Code::kPermissionDenied, std::move(m)}; }
Status ResourceExhaustedError(std::string m) { return {Code::kResourceExhausted, std::move(m)}; }
Status UnavailableError(std::string m) { return {Code::kUnavailable, std::move(m)}; }
Status DataLossError(std::string m) { return {Code::kDataLoss, std::move(m)}; }
Status UnimplementedError(std::string m) { return {Code::kUnimplemented, std::move(m)}; }
Status InternalError(std::string m) { return {Code::kInternal, std::move(m)}; }

void CheckFailed(const char* file, int line, const char* expr,
                 std::string_view message) {
  std::fprintf(stderr, "credstack: CHECK failed at %s:%d: %s %.*s\n", file,
               line, expr, static_cast<int>(message.size()), message.data());
  std::abort();
}

}  // namespace credstack
