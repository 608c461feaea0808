#include "credstack/app/urls.h"

#include <gtest/gtest.h>

#include "credstack/vc/verification_method.h"

namespace credstack::app {
namespace {

TEST(PublicUrls, DerivesDidWebThatResolvesBack) {
  auto u = PublicUrls::Create("https://badges.example.edu:8443/");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host_did(), "did:web:badges.example.edu%3A8443");
  EXPECT_EQ(u->IssuerDid("uni"), "did:web:badges.example.edu%3A8443:issuers:uni");
  // The did:web method maps the DID to exactly the URL we serve it at.
  EXPECT_EQ(*vc::DidWebToUrl(u->IssuerDid("uni")), u->IssuerDidDocumentUrl("uni"));
  EXPECT_EQ(*vc::DidWebToUrl(u->host_did()), u->base() + "/.well-known/did.json");
  EXPECT_EQ(u->StatusListUrl("l1"), "https://badges.example.edu:8443/status/l1");
  EXPECT_FALSE(PublicUrls::Create("ftp://x").ok());
  EXPECT_FALSE(PublicUrls::Create("https://").ok());
}

}  // namespace
}  // namespace credstack::app
