#include "credstack/server/auth.h"

#include <gtest/gtest.h>

#include "credstack/server/http.h"
#include "credstack/server/http_status.h"
#include "credstack/server/logger.h"
#include "credstack/server/problem.h"

namespace credstack::server {
namespace {

TEST(ParseBearerToken, AcceptsRfc6750Tokens) {
  EXPECT_EQ(*ParseBearerToken("Bearer abc.DEF-123_~+/=="), "abc.DEF-123_~+/==");
  EXPECT_EQ(*ParseBearerToken("bearer   tok  "), "tok");
}

TEST(ParseBearerToken, RejectsEverythingElse) {
  for (std::string_view bad :
       {"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer a b", "Bearer =abc",
        "Bearer ab=c", "Token abc", "Bearerabc", "Bearer a\"b"}) {
    EXPECT_EQ(ParseBearerToken(bad).error().code(), Code::kUnauthenticated)
        << bad;
  }
  std::string huge = "Bearer " + std::string(kMaxApiKeyLength + 1, 'a');
  EXPECT_FALSE(ParseBearerToken(huge).has_value());
}

TEST(Authenticate, LooksUpTheSha256OfTheKey) {
  crypto::Sha256Digest seen{};
  ApiKeyLookup lookup =
      [&](const crypto::Sha256Digest& h) -> Result<Principal> {
    seen = h;
    if (h == crypto::Sha256(std::string_view("good-key"))) {
      return Principal{"key1", "org1", Role::kIssuer};
    }
    return NotFoundError("no key");
  };
  Result<Principal> p = Authenticate(lookup, "Bearer good-key");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->org_id, "org1");
  EXPECT_EQ(seen, crypto::Sha256(std::string_view("good-key")));
  EXPECT_EQ(Authenticate(lookup, "Bearer bad-key").error().code(),
            Code::kUnauthenticated);
  ApiKeyLookup down = [](const crypto::Sha256Digest&) -> Result<Principal> {
    return UnavailableError("db down");
  };
  EXPECT_EQ(Authenticate(down, "Bearer k").error().code(), Code::kUnavailable);
  EXPECT_EQ(Authenticate(nullptr, "Bearer k").error().code(),
            Code::kUnauthenticated);
}

TEST(Authorize, RolesAreOrdered) {
  Principal viewer{"k", "o", Role::kViewer};
  Principal issuer{"k", "o", Role::kIssuer};
  Principal admin{"k", "o", Role::kAdmin};
  EXPECT_TRUE(Authorize(Policy::kPublic, nullptr).ok());
  EXPECT_EQ(Authorize(Policy::kViewer, nullptr).code(), Code::kUnauthenticated);
  EXPECT_TRUE(Authorize(Policy::kViewer, &viewer).ok());
  EXPECT_EQ(Authorize(Policy::kIssuer, &viewer).code(),
            Code::kPermissionDenied);
  EXPECT_TRUE(Authorize(Policy::kIssuer, &issuer).ok());
  EXPECT_TRUE(Authorize(Policy::kIssuer, &admin).ok());
  EXPECT_EQ(Authorize(Policy::kAdmin, &issuer).code(), Code::kPermissionDenied);
  EXPECT_TRUE(Authorize(Policy::kAdmin, &admin).ok());
}

TEST(CheckOrgScope, OnlyTheKeysOwnOrganization) {
  Principal p{"k", "org-a", Role::kAdmin};
  EXPECT_TRUE(CheckOrgScope(p, "org-a").ok());
  EXPECT_EQ(CheckOrgScope(p, "org-b").code(), Code::kPermissionDenied);
  EXPECT_EQ(CheckOrgScope(p, "").code(), Code::kPermissionDenied);
  EXPECT_EQ(CheckOrgScope(Principal{"k", "", Role::kAdmin}, "").code(),
            Code::kPermissionDenied);
}

TEST(HttpStatusFor, MapsEveryCode) {
  EXPECT_EQ(HttpStatusFor(Code::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(Code::kInvalidArgument, StatusContext::kValidation),
            422);
  EXPECT_EQ(HttpStatusFor(Code::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(Code::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(Code::kFailedPrecondition), 409);
  EXPECT_EQ(
      HttpStatusFor(Code::kFailedPrecondition, StatusContext::kConditional),
      412);
  EXPECT_EQ(HttpStatusFor(Code::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(Code::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(Code::kResourceExhausted), 413);
  EXPECT_EQ(HttpStatusFor(Code::kResourceExhausted, StatusContext::kQuota),
            429);
  EXPECT_EQ(HttpStatusFor(Code::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(Code::kUnimplemented), 501);
  EXPECT_EQ(HttpStatusFor(Code::kInternal), 500);
  EXPECT_EQ(HttpStatusFor(Code::kDataLoss), 500);
  EXPECT_EQ(ReasonPhrase(413), "Content Too Large");
}

TEST(Problem, FromStatusHidesInternalMessages) {
  Problem p = Problem::FromStatus(
      InternalError("open /var/lib/credstack/db.sqlite: EACCES"));
  EXPECT_EQ(p.status, 500);
  std::string body = json::Serialize(p.ToJson());
  EXPECT_EQ(body.find("/var/lib"), std::string::npos) << body;
  EXPECT_NE(body.find("\"code\":\"internal\""), std::string::npos);

  Response r = Response::FromStatus(InternalError("secret detail"));
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
  EXPECT_NE(r.log_detail.find("secret detail"), std::string::npos);
}

TEST(Problem, SerializesRfc9457MembersAndExtensions) {
  Problem p = Problem::FromStatus(InvalidArgumentError("name is required"),
                                  StatusContext::kValidation);
  p.field = "name";
  p.errors.push_back({"$.name", "required"});
  p.instance = "/api/v1/orgs";
  json::Value v = p.ToJson();
  const json::Object& o = v.as_object();
  EXPECT_EQ(o.at("type").as_string(), "about:blank");
  EXPECT_EQ(o.at("title").as_string(), "Unprocessable Content");
  EXPECT_EQ(o.at("status").as_int64(), 422);
  EXPECT_EQ(o.at("detail").as_string(), "name is required");
  EXPECT_EQ(o.at("instance").as_string(), "/api/v1/orgs");
  EXPECT_EQ(o.at("field").as_string(), "name");
  EXPECT_EQ(o.at("errors").as_array()[0].as_object().at("path").as_string(),
            "$.name");
}

TEST(Logger, WritesOneValidJsonObjectPerLine) {
  std::vector<std::string> lines;
  Logger log(LogLevel::kInfo,
             [&](std::string_view l) { lines.emplace_back(l); });
  log.Debug("hidden");
  log.Info("hello \"world\"\n", {{"n", 3}, {"ok", true}, {"bad", "\xff\x01"}});
  ASSERT_EQ(lines.size(), 1u);
  ASSERT_EQ(lines[0].back(), '\n');
  EXPECT_EQ(lines[0].find('\n'), lines[0].size() - 1);
  Result<json::Value> v = json::Parse(lines[0]);
  ASSERT_TRUE(v.has_value()) << lines[0];
  const json::Object& o = v->as_object();
  EXPECT_EQ(o.at("level").as_string(), "info");
  EXPECT_EQ(o.at("msg").as_string(), "hello \"world\"\n");
  EXPECT_EQ(o.at("n").as_int64(), 3);
  EXPECT_EQ(o.at("bad").as_string(), "\xef\xbf\xbd\x01");
  EXPECT_FALSE(ParseLogLevel("loud").has_value());
}

TEST(Request, ParseTargetDecodes) {
  Request r;
  r.set_target("/api/v1/orgs/a%20b/x%2Fy?q=1+2&empty&k=%C3%A9");
  Result<std::vector<std::string>> segs = r.ParseTarget(32);
  ASSERT_TRUE(segs.has_value());
  ASSERT_EQ(segs->size(), 5u);
  EXPECT_EQ((*segs)[3], "a b");
  EXPECT_EQ((*segs)[4], "x/y");
  EXPECT_EQ(r.path(), "/api/v1/orgs/a%20b/x%2Fy");
  EXPECT_EQ(*r.Query("q"), "1 2");
  EXPECT_EQ(*r.Query("empty"), "");
  EXPECT_EQ(*r.Query("k"), "\xc3\xa9");
  EXPECT_FALSE(r.Query("missing").has_value());
}

TEST(Request, ParseTargetRejectsHostileInput) {
  for (std::string_view t :
       {"/a%00b", "/a%ffb", "/x?q=%c3", "http://h/a", "*", "/a b", "/%zz"}) {
    Request r;
    r.set_target(std::string(t));
    EXPECT_FALSE(r.ParseTarget(32).has_value()) << t;
  }
  Request deep;
  std::string t;
  for (int i = 0; i < 40; ++i) t += "/a";
  deep.set_target(t);
  EXPECT_FALSE(deep.ParseTarget(32).has_value());
}

}  // namespace
}  // namespace credstack::server
