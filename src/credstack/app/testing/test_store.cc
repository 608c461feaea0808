#include "credstack/app/testing/test_store.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

namespace credstack::app::testing {

TestDatabase::~TestDatabase() {
  if (dir_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string TestDatabase::Prepare() {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / "credstack-app-XXXXXX")
          .string();
  if (mkdtemp(tmpl.data()) == nullptr) return "mkdtemp failed";
  dir_ = tmpl;
  if (backend_ == Backend::kSqlite) {
    location_ = "sqlite://" + dir_ + "/test.db";
    return "";
  }
  if (const char* skip = std::getenv("CREDSTACK_SKIP_POSTGRES");
      skip && std::string(skip) == "1") {
    return "PostgreSQL tests disabled by CREDSTACK_SKIP_POSTGRES=1";
  }
  std::string url;
  if (const char* u = std::getenv("CREDSTACK_TEST_POSTGRES_URL"); u && *u) {
    url = u;
  } else if (const char* f = std::getenv("CREDSTACK_TEST_POSTGRES_URL_FILE");
             f && *f) {
    std::ifstream in(f);
    std::getline(in, url);
    if (url == "skip") return "PostgreSQL test server disabled";
  }
  if (url.empty()) {
    return "no PostgreSQL test server (run through ctest, or set "
           "CREDSTACK_TEST_POSTGRES_URL)";
  }
  static std::atomic<int> counter{0};
  std::random_device rd;
  schema_ = "app_t" + std::to_string(getpid()) + "_" +
            std::to_string(counter.fetch_add(1)) + "_" +
            std::to_string(rd() % 100000);
  location_ = url;
  return "";
}

Result<std::unique_ptr<store::Store>> TestDatabase::Open(
    store::StoreOptions options) const {
  options.postgres_schema = schema_;
  return store::OpenStore(location_, options);
}

}  // namespace credstack::app::testing
