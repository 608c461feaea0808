#include "credstack/ld/context_store.h"

#include <gtest/gtest.h>

namespace credstack::ld {
namespace {

TEST(ContextStore, BundlesTheCredentialContexts) {
  auto store = ContextStore::Bundled();
  for (const char* url : {"https://www.w3.org/ns/credentials/v2",
                          "https://www.w3.org/2018/credentials/v1",
                          "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                          "https://w3id.org/security/data-integrity/v2"}) {
    auto doc = store->Load(url);
    ASSERT_TRUE(doc.ok()) << url;
    EXPECT_TRUE(doc->bundled);
    EXPECT_TRUE(doc->document->as_object().contains("@context")) << url;
  }
  EXPECT_GE(store->Urls().size(), 23u);
}

TEST(ContextStore, RefusesUnknownAndPinnedReplacement) {
  ContextStore store;
  auto missing = store.Load("https://example.com/ctx");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), Code::kNotFound);
  EXPECT_EQ(store.Add("https://www.w3.org/ns/credentials/v2", R"({"@context":{}})").code(),
            Code::kAlreadyExists);
  EXPECT_FALSE(store.Add("https://example.com/bad", "{").ok());
  EXPECT_FALSE(store.Add("https://example.com/no-context", "{}").ok());
  ASSERT_TRUE(store.Add("https://example.com/ctx", R"({"@context":{"a":"https://a/"}})").ok());
  EXPECT_TRUE(store.Load("https://example.com/ctx").ok());
}

}  // namespace
}  // namespace credstack::ld
