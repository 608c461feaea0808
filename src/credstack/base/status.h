#pragma once

// Status and Result<T>: the one error-handling approach of credstack.
// Functions that can fail return one of these; our APIs never throw.
// Result<T> borrows std::expected's member names so that a later move to
// C++23 is an alias change.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace credstack {

// A small closed set of failure kinds. HTTP statuses and exit codes are
// derived from these in exactly one place each.
enum class Code {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kUnauthenticated,
  kPermissionDenied,
  kResourceExhausted,
  kUnavailable,
  kDataLoss,
  kUnimplemented,
  kInternal,
};

// Returns the stable lower_snake name of a code, e.g. "invalid_argument".
std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message)
      : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid_argument: message".
  std::string ToString() const;

  // Returns a copy whose message is "prefix: message".
  Status WithPrefix(std::string_view prefix) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status AlreadyExistsError(std::string message);
Status FailedPreconditionError(std::string message);
Status UnauthenticatedError(std::string message);
Status PermissionDeniedError(std::string message);
Status ResourceExhaustedError(std::string message);
Status UnavailableError(std::string message);
Status DataLossError(std::string message);
Status UnimplementedError(std::string message);
Status InternalError(std::string message);

[[noreturn]] void CheckFailed(const char* file, int line, const char* expr,
                              std::string_view message);

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : v_(value) {}  // NOLINT: implicit by design
  Result(T&& value) : v_(std::move(value)) {}  // NOLINT
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    if (std::get<Status>(v_).ok()) {
      CheckFailed(__FILE__, __LINE__, "!status.ok()",
                  "Result constructed from an OK status");
    }
  }
  template <typename U>
    requires std::is_constructible_v<T, U&&> &&
             (!std::is_same_v<std::decay_t<U>, T>) &&
             (!std::is_same_v<std::decay_t<U>, Status>)
  Result(U&& value) : v_(T(std::forward<U>(value))) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  bool ok() const { return has_value(); }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<T>(Checked()); }
  const T& value() const& { return std::get<T>(Checked()); }
  T&& value() && { return std::get<T>(std::move(Checked())); }

  // The failure; an OK status when there is a value.
  Status error() const {
    return has_value() ? OkStatus() : std::get<Status>(v_);
  }
  Status status() const { return error(); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  T value_or(T fallback) const& {
    return has_value() ? std::get<T>(v_) : std::move(fallback);
  }

 private:
  std::variant<T, Status>& Checked() {
    if (!has_value()) {
      CheckFailed(__FILE__, __LINE__, "has_value()",
                  std::get<Status>(v_).ToString());
    }
    return v_;
  }
  const std::variant<T, Status>& Checked() const {
    return const_cast<Result*>(this)->Checked();
  }

  std::variant<T, Status> v_;
};

}  // namespace credstack

#define CREDSTACK_CHECK(cond)                                           \
  do {                                                                  \
    if (!(cond)) ::credstack::CheckFailed(__FILE__, __LINE__, #cond, ""); \
  } while (0)

#define CREDSTACK_CHECK_MSG(cond, msg)                                     \
  do {                                                                     \
    if (!(cond)) ::credstack::CheckFailed(__FILE__, __LINE__, #cond, msg); \
  } while (0)

#define CREDSTACK_RETURN_IF_ERROR(expr)           \
  do {                                            \
    ::credstack::Status credstack_status_ = (expr); \
    if (!credstack_status_.ok()) return credstack_status_; \
  } while (0)

#define CREDSTACK_CONCAT_INNER_(a, b) a##b
#define CREDSTACK_CONCAT_(a, b) CREDSTACK_CONCAT_INNER_(a, b)

// CREDSTACK_ASSIGN_OR_RETURN(T x, ExprReturningResult());
#define CREDSTACK_ASSIGN_OR_RETURN(lhs, rexpr)                            \
  CREDSTACK_ASSIGN_OR_RETURN_IMPL_(                                       \
      CREDSTACK_CONCAT_(credstack_result_, __LINE__), lhs, rexpr)
#define CREDSTACK_ASSIGN_OR_RETURN_IMPL_(result, lhs, rexpr) \
  auto result = (rexpr);                                    \
  if (!result.has_value()) return result.error();           \
  lhs = std::move(result).value()
