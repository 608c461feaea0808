#include "credstack/app/document_resolver.h"

#include <gtest/gtest.h>

#include <atomic>

namespace credstack::app {
namespace {

class FakeFetcher final : public HttpFetcher {
 public:
  Result<HttpFetchResponse> Fetch(const HttpFetchRequest& r) const override {
    ++calls;
    last_url = r.url;
    if (r.url.find("missing") != std::string::npos) return HttpFetchResponse{.status = 404};
    if (r.url.find("/big") != std::string::npos) return ResourceExhaustedError("too large");
    return HttpFetchResponse{.status = 200, .body = body, .max_age_seconds = max_age};
  }
  mutable std::atomic<int> calls{0};
  mutable std::string last_url;
  std::string body = R"({"id":"x"})";
  std::optional<uint64_t> max_age;
};

TEST(DidWebUrl, FollowsTheMethodSpec) {
  EXPECT_EQ(*DidWebUrl("did:web:example.com"), "https://example.com/.well-known/did.json");
  EXPECT_EQ(*DidWebUrl("did:web:example.com%3A8443:issuers:acme"),
            "https://example.com:8443/issuers/acme/did.json");
  EXPECT_FALSE(DidWebUrl("did:web:exa mple.com").ok());
  EXPECT_FALSE(DidWebUrl("did:web:example.com:..:x").ok());
  EXPECT_FALSE(DidWebUrl("did:key:z6Mk").ok());
  EXPECT_EQ(*UrlHost("https://Example.com:8443/x"), "example.com:8443");
  EXPECT_FALSE(UrlHost("https://user@example.com/").ok());
  EXPECT_FALSE(UrlHost("ftp://example.com/").ok());
}

TEST(ForeignDocumentResolver, OfflineNeverFetches) {
  auto fetcher = std::make_shared<FakeFetcher>();
  auto docs = std::make_shared<vc::StaticDocumentResolver>();
  docs->Add("https://issuer.example/status/1", json::Value(json::Object{{"id", "s"}}));
  FixedClock clock(Timestamp::FromUnixSeconds(1000));
  ForeignDocumentResolver r({.offline = true, .allowed_hosts = {"*"}}, docs, fetcher, clock);
  EXPECT_TRUE(r.Resolve("https://issuer.example/status/1").ok());
  EXPECT_EQ(r.Resolve("https://issuer.example/status/2").status().code(), Code::kNotFound);
  EXPECT_EQ(fetcher->calls, 0);
}

TEST(ForeignDocumentResolver, AllowlistSchemesAndLimits) {
  auto fetcher = std::make_shared<FakeFetcher>();
  FixedClock clock(Timestamp::FromUnixSeconds(1000));
  ForeignDocumentResolver r(
      {.offline = false, .allowed_hosts = {"issuer.example", "*.uni.edu", "127.0.0.1"},
       .http_hosts = {"127.0.0.1:9000"}},
      nullptr, fetcher, clock);
  EXPECT_TRUE(r.Resolve("https://issuer.example/status/1").ok());
  EXPECT_TRUE(r.Resolve("https://badges.uni.edu/status/1").ok());
  EXPECT_EQ(r.Resolve("https://uni.edu.evil.com/status/1").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(r.Resolve("https://evil.com/x").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(r.Resolve("http://issuer.example/x").status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(r.Resolve("did:web:127.0.0.1%3A9000:issuers:acme").ok());
  EXPECT_EQ(fetcher->last_url, "http://127.0.0.1:9000/issuers/acme/did.json");
  EXPECT_EQ(r.Resolve("https://issuer.example/missing").status().code(), Code::kNotFound);
  EXPECT_EQ(r.Resolve("https://issuer.example/big").status().code(), Code::kResourceExhausted);
  EXPECT_EQ(r.Resolve("did:example:123").status().code(), Code::kNotFound);
}

TEST(ForeignDocumentResolver, CacheHonoursTtlAndValidUntil) {
  auto fetcher = std::make_shared<FakeFetcher>();
  fetcher->body =
      R"({"id":"https://i.example/status/1","validUntil":"1970-01-01T00:30:00Z",)"
      R"("credentialSubject":{"ttl":60000}})";
  FixedClock clock(Timestamp::FromUnixSeconds(1000));
  ForeignDocumentResolver r({.offline = false, .allowed_hosts = {"i.example"}}, nullptr, fetcher,
                            clock);
  ASSERT_TRUE(r.Resolve("https://i.example/status/1").ok());
  ASSERT_TRUE(r.Resolve("https://i.example/status/1").ok());
  EXPECT_EQ(fetcher->calls, 1);
  clock.Set(Timestamp::FromUnixSeconds(1059));
  ASSERT_TRUE(r.Resolve("https://i.example/status/1").ok());
  EXPECT_EQ(fetcher->calls, 1);
  clock.Set(Timestamp::FromUnixSeconds(1061));  // ttl 60 s passed
  ASSERT_TRUE(r.Resolve("https://i.example/status/1").ok());
  EXPECT_EQ(fetcher->calls, 2);
  EXPECT_EQ(r.stats().cache_hits, 2u);
  // validUntil caps the ttl: 30 minutes after the epoch is in 700 s, so a
  // ttl of one day is cut there.
  ForeignResolverOptions o{.offline = false};
  json::Value doc = *json::Parse(
      R"({"validUntil":"1970-01-01T00:30:00Z","credentialSubject":{"ttl":86400000}})");
  EXPECT_EQ(DocumentTtlMs(doc, std::nullopt, Timestamp::FromUnixSeconds(1100), o), 700'000u);
  EXPECT_EQ(DocumentTtlMs(json::Value(json::Object{}), 30, Timestamp{}, o), 30'000u);
  EXPECT_EQ(DocumentTtlMs(json::Value(json::Object{}), std::nullopt, Timestamp{}, o),
            o.default_ttl_ms);
}

}  // namespace
}  // namespace credstack::app
