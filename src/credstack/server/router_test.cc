#include "credstack/server/router.h"

#include <gtest/gtest.h>

namespace credstack::server {
namespace {

Handler Named(std::string name) {
  return [name](Request&) { return Response::Raw(200, name, "text/plain"); };
}

std::vector<std::string> Segs(std::initializer_list<const char*> s) {
  return std::vector<std::string>(s.begin(), s.end());
}

Router MakeRouter() {
  Router r;
  EXPECT_TRUE(r.Add({.method = Method::kGet,
                     .pattern = "/api/v1/orgs/{org}",
                     .handler = Named("org")})
                  .ok());
  EXPECT_TRUE(r.Add({.method = Method::kPut,
                     .pattern = "/api/v1/orgs/{org}",
                     .handler = Named("put-org")})
                  .ok());
  EXPECT_TRUE(r.Add({.method = Method::kGet,
                     .pattern = "/api/v1/orgs/{org}/achievements/{id}",
                     .handler = Named("achievement")})
                  .ok());
  EXPECT_TRUE(r.Add({.method = Method::kGet,
                     .pattern = "/api/v1/orgs/mine",
                     .handler = Named("mine")})
                  .ok());
  EXPECT_TRUE(
      r.Add({.method = Method::kGet, .pattern = "/", .handler = Named("root")})
          .ok());
  return r;
}

TEST(Router, MatchesParametersInOrder) {
  Router r = MakeRouter();
  RouteMatch m = r.Find(
      Method::kGet, Segs({"api", "v1", "orgs", "acme", "achievements", "a/b"}));
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route->spec.pattern, "/api/v1/orgs/{org}/achievements/{id}");
  ASSERT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params[0].name, "org");
  EXPECT_EQ(m.params[0].value, "acme");
  EXPECT_EQ(m.params[1].name, "id");
  EXPECT_EQ(m.params[1].value, "a/b");
  EXPECT_TRUE(m.route->org_scoped);
}

TEST(Router, LiteralBeatsParameter) {
  Router r = MakeRouter();
  RouteMatch m = r.Find(Method::kGet, Segs({"api", "v1", "orgs", "mine"}));
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route->spec.pattern, "/api/v1/orgs/mine");
  // The literal branch has no PUT; the parameter branch does.
  m = r.Find(Method::kPut, Segs({"api", "v1", "orgs", "mine"}));
  ASSERT_EQ(m.kind, RouteMatch::Kind::kMethodNotAllowed);
}

TEST(Router, BacktracksFromLiteralToParameter) {
  Router r;
  ASSERT_TRUE(r.Add({.pattern = "/a/b/c", .handler = Named("abc")}).ok());
  ASSERT_TRUE(r.Add({.pattern = "/a/{x}/d", .handler = Named("axd")}).ok());
  RouteMatch m = r.Find(Method::kGet, Segs({"a", "b", "d"}));
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route->spec.pattern, "/a/{x}/d");
  EXPECT_EQ(m.params[0].value, "b");
}

TEST(Router, RootAndNotFound) {
  Router r = MakeRouter();
  EXPECT_EQ(r.Find(Method::kGet, {}).kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(r.Find(Method::kGet, Segs({"nope"})).kind,
            RouteMatch::Kind::kNotFound);
  EXPECT_EQ(r.Find(Method::kGet, Segs({"api", "v1", "orgs"})).kind,
            RouteMatch::Kind::kNotFound);
  // Parameters never match an empty segment ("/api/v1/orgs/").
  EXPECT_EQ(r.Find(Method::kGet, Segs({"api", "v1", "orgs", ""})).kind,
            RouteMatch::Kind::kNotFound);
  // A trailing slash is a different resource.
  EXPECT_EQ(r.Find(Method::kGet, Segs({"api", "v1", "orgs", "x", ""})).kind,
            RouteMatch::Kind::kNotFound);
}

TEST(Router, MethodNotAllowedListsAllow) {
  Router r = MakeRouter();
  RouteMatch m = r.Find(Method::kDelete, Segs({"api", "v1", "orgs", "x"}));
  ASSERT_EQ(m.kind, RouteMatch::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD, PUT, OPTIONS");
}

TEST(Router, HeadFallsBackToGetAndOptionsIsAutomatic) {
  Router r = MakeRouter();
  RouteMatch m = r.Find(Method::kHead, Segs({"api", "v1", "orgs", "x"}));
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route->spec.method, Method::kGet);
  m = r.Find(Method::kOptions, Segs({"api", "v1", "orgs", "x"}));
  ASSERT_EQ(m.kind, RouteMatch::Kind::kOptions);
  EXPECT_EQ(m.allow, "GET, HEAD, PUT, OPTIONS");
  EXPECT_EQ(r.Find(Method::kOther, Segs({"api", "v1", "orgs", "x"})).kind,
            RouteMatch::Kind::kMethodNotAllowed);
}

TEST(Router, RejectsBadPatterns) {
  Router r = MakeRouter();
  EXPECT_EQ(r.Add({.pattern = "no-slash", .handler = Named("x")}).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(r.Add({.pattern = "/a//b", .handler = Named("x")}).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(r.Add({.pattern = "/a/x{y}", .handler = Named("x")}).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(r.Add({.pattern = "/a/{}", .handler = Named("x")}).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(r.Add({.pattern = "/a/{x-y}", .handler = Named("x")}).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(r.Add({.pattern = "/a/{x}/{x}", .handler = Named("x")}).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(r.Add({.pattern = "/a", .handler = nullptr}).code(),
            Code::kInvalidArgument);
  // Another name at a position that already has {org}.
  EXPECT_EQ(r.Add({.pattern = "/api/v1/orgs/{other}/x", .handler = Named("x")})
                .code(),
            Code::kInvalidArgument);
  EXPECT_EQ(r.Add({.method = Method::kGet,
                   .pattern = "/api/v1/orgs/{org}",
                   .handler = Named("dup")})
                .code(),
            Code::kAlreadyExists);
  // A failed Add leaves the table unchanged.
  EXPECT_EQ(r.routes().size(), 5u);
}

}  // namespace
}  // namespace credstack::server
