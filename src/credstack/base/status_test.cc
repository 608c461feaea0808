#include "credstack/base/status.h"

#include <gtest/gtest.h>

namespace credstack {
namespace {

Result<int> Half(int x) {
  if (x % 2) return InvalidArgumentError("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  CREDSTACK_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

Status CheckEven(int x) {
  CREDSTACK_RETURN_IF_ERROR(Half(x).error());
  return OkStatus();
}

TEST(Result, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.error().ToString(), "invalid_argument: odd");
  EXPECT_TRUE(CheckEven(2).ok());
  EXPECT_FALSE(CheckEven(3).ok());
}

TEST(Status, WithPrefix) {
  EXPECT_EQ(NotFoundError("x").WithPrefix("key").message(), "key: x");
  EXPECT_TRUE(OkStatus().WithPrefix("key").ok());
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  Result<int> r = InternalError("boom");
  EXPECT_DEATH((void)r.value(), "boom");
}

}  // namespace
}  // namespace credstack
