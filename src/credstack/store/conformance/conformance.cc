#include "credstack/store/conformance/conformance.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "credstack/store/internal/sql_store.h"

namespace credstack::store::testing {

// ---- SQLite -----------------------------------------------------------------

std::string SqliteBackend::Prepare() {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / "credstack-store-XXXXXX")
          .string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    return "no temporary directory";
  }
  dir_ = tmpl;
  path_ = dir_ + "/test.db";
  return "";
}

Result<std::unique_ptr<Store>> SqliteBackend::Open(StoreOptions options) {
  return OpenStore(location(), options);
}

void SqliteBackend::Cleanup() {
  if (dir_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

// ---- PostgreSQL -------------------------------------------------------------

std::string PostgresBackend::Prepare() {
  if (const char* skip = std::getenv("CREDSTACK_SKIP_POSTGRES");
      skip && std::string(skip) == "1") {
    return "PostgreSQL tests disabled by CREDSTACK_SKIP_POSTGRES=1";
  }
  if (const char* url = std::getenv("CREDSTACK_TEST_POSTGRES_URL");
      url && *url) {
    url_ = url;
  } else if (const char* file = std::getenv("CREDSTACK_TEST_POSTGRES_URL_FILE");
             file && *file) {
    // Set by the ctest fixture: the server must be there, so a missing URL
    // is a failure, not a skip.
    std::ifstream in(file);
    std::getline(in, url_);
    if (url_ == "skip") {
      return "PostgreSQL test server disabled (CREDSTACK_SKIP_POSTGRES=1 when "
             "the fixture ran)";
    }
    if (url_.empty()) {
      ADD_FAILURE() << "no PostgreSQL URL in " << file
                    << " (did the postgres_server_start fixture fail?)";
      return "no URL";
    }
  } else {
    return "CREDSTACK_TEST_POSTGRES_URL is not set; set it to a postgres:// "
           "URL (or run ctest, whose fixture starts a server) to run the "
           "PostgreSQL conformance tests";
  }
  static std::atomic<int> counter{0};
  std::random_device rd;
  schema_ = "t" + std::to_string(getpid()) + "_" + std::to_string(counter++) +
            "_" + std::to_string(rd() % 1000000);
  return "";
}

Result<std::unique_ptr<Store>> PostgresBackend::Open(StoreOptions options) {
  options.postgres_schema = schema_;
  return OpenStore(url_, options);
}

void PostgresBackend::Cleanup() {
  if (schema_.empty()) return;
  StoreOptions options;
  Result<std::unique_ptr<Store>> s = OpenStore(url_, options);
  if (!s.ok()) return;
  auto* sql = dynamic_cast<internal::SqlStore*>(s->get());
  if (sql)
    (void)sql->ExecScriptForTesting("DROP SCHEMA " + schema_ + " CASCADE");
}

// ---- data -------------------------------------------------------------------

Timestamp T(int64_t seconds) { return Timestamp::FromUnixSeconds(seconds); }

Organization MakeOrg(std::string_view id) {
  return Organization{.id = std::string(id),
                      .slug = "slug-" + std::string(id),
                      .profile_json = R"({"type":["Profile"],"name":"Org )" +
                                      std::string(id) + R"("})",
                      .created = T(1'700'000'000)};
}

AchievementVersion MakeAchievement(std::string_view org_id,
                                   std::string_view id) {
  return AchievementVersion{
      .achievement_id = std::string(id),
      .org_id = std::string(org_id),
      .achievement_json = R"({"type":["Achievement"],"name":"v1"})",
      .created = T(1'700'000'100)};
}

Credential MakeCredential(std::string_view org_id, std::string_view id,
                          std::string_view achievement_id,
                          std::optional<std::string> idempotency_key) {
  std::string json = R"({"id":")" + std::string(id) + R"("})";
  return Credential{.id = std::string(id),
                    .org_id = std::string(org_id),
                    .achievement_id = std::string(achievement_id),
                    .achievement_version = achievement_id.empty() ? 0 : 1,
                    .recipient_kind = RecipientKind::kEmailHash,
                    .recipient_identity = "sha256$abc",
                    .credential_json = json,
                    .content_hash = Bytes(32, static_cast<uint8_t>(id.size())),
                    .issued = T(1'700'000'200),
                    .idempotency_key = std::move(idempotency_key)};
}

StatusList MakeList(std::string_view org_id, std::string_view id,
                    StatusPurpose purpose, int64_t size, int64_t status_size) {
  return StatusList{.id = std::string(id),
                    .org_id = std::string(org_id),
                    .purpose = purpose,
                    .size = size,
                    .status_size = status_size,
                    .bits = Bytes((size * status_size + 7) / 8, 0),
                    .created = T(1'700'000'000),
                    .updated = T(1'700'000'000)};
}

NewLogEntry MakeEntry(std::string_view subject, int64_t n) {
  Bytes hash(32, 0);
  for (int i = 0; i < 8; ++i) hash[i] = static_cast<uint8_t>(n >> (8 * i));
  std::string data = "leaf " + std::to_string(n);
  return NewLogEntry{.leaf_hash = hash,
                     .leaf_data = Bytes(data.begin(), data.end()),
                     .subject = std::string(subject),
                     .created = T(1'700'000'300)};
}

std::string AchId(std::string_view org_id) {
  return std::string(org_id) + "-ach";
}

Status SeedOrg(Store& store, std::string_view org_id) {
  return store.Transact([&](Tx& tx) -> Status {
    CREDSTACK_RETURN_IF_ERROR(tx.organizations().Insert(MakeOrg(org_id)));
    return tx.achievements()
        .Create(MakeAchievement(org_id, AchId(org_id)))
        .status();
  });
}

}  // namespace credstack::store::testing
