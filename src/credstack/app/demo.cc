#include "credstack/app/demo.h"

#include "credstack/app/internal/demo_data.h"
#include "credstack/app/secrets.h"

namespace credstack::app {
namespace {

constexpr std::string_view kSampleKeyPrefix = "demo-sample-";

}  // namespace

std::string_view DemoData() {
  for (size_t i = 0; i < internal::kDemoFilesCount; ++i) {
    if (internal::kDemoFiles[i].key == "achievements") return internal::kDemoFiles[i].body;
  }
  return {};
}

std::string DemoOrganizationSlug() {
  Result<json::Value> data = json::Parse(DemoData());
  if (!data.ok()) return {};
  const json::Object* org = json::GetObject(data->as_object(), "organization");
  return org ? std::string(json::GetString(*org, "slug").value_or("")) : std::string();
}

Result<DemoInfo> SetUpDemo(IssuerServices& s, const std::string& data_dir) {
  CREDSTACK_ASSIGN_OR_RETURN(json::Value data, json::Parse(DemoData()));
  const json::Object& d = data.as_object();
  const json::Object& org_in = d.at("organization").as_object();
  std::string slug(org_in.at("slug").as_string());
  DemoInfo info;
  info.source = std::string(json::GetString(d, "source").value_or(""));

  // The organization, once.
  std::optional<store::Organization> existing;
  CREDSTACK_RETURN_IF_ERROR(s.ctx->store->Read([&](store::Tx& tx) -> Status {
    Result<store::Organization> o = tx.organizations().GetBySlug(slug);
    if (o.has_value()) existing = *o;
    return o.has_value() || o.error().code() == Code::kNotFound ? OkStatus() : o.error();
  }));
  if (existing) {
    info.org = *existing;
  } else {
    Result<CreatedOrganization> created = s.orgs->Create(org_in, "demo");
    if (!created.has_value() && created.error().code() == Code::kAlreadyExists) {
      // Another node created it at the same moment.
      CREDSTACK_RETURN_IF_ERROR(s.ctx->store->Read([&](store::Tx& tx) -> Status {
        CREDSTACK_ASSIGN_OR_RETURN(info.org, tx.organizations().GetBySlug(slug));
        return OkStatus();
      }));
    } else {
      CREDSTACK_RETURN_IF_ERROR(created.status());
      info.org = created->org;
    }
  }
  info.issuer_did = s.ctx->urls.IssuerDid(info.org.slug);

  // An issuer API key, the same on every start (DATA/demo.key).
  std::string key_path = data_dir.empty() ? "" : data_dir + "/demo.key";
  if (!key_path.empty()) {
    Result<std::string> stored = ReadPrivateFile(key_path, 256);
    if (stored.has_value()) {
      std::string k = *stored;
      while (!k.empty() && (k.back() == '\n' || k.back() == '\r')) k.pop_back();
      info.api_key = k;
    }
  }
  if (info.api_key.empty()) {
    CREDSTACK_ASSIGN_OR_RETURN(
        CreatedApiKey key,
        s.orgs->CreateApiKey(info.org.id, store::ApiKeyRole::kIssuer, "demo"));
    info.api_key = key.secret;
    if (!key_path.empty()) {
      Status w = CreatePrivateFile(key_path, key.secret + "\n");
      if (!w.ok() && w.code() != Code::kAlreadyExists) return w;
    }
  }

  // Achievements, when the organization has none yet.
  CREDSTACK_ASSIGN_OR_RETURN(info.achievements, s.achievements->List(info.org.id, "", 100));
  if (info.achievements.empty()) {
    for (const json::Value& a : d.at("achievements").as_array()) {
      CREDSTACK_ASSIGN_OR_RETURN(store::AchievementVersion v,
                                 s.achievements->Create(info.org.id, a.as_object(), "demo"));
      info.achievements.push_back(std::move(v));
    }
  }
  // Sample credentials in file order of the achievements (by name).
  auto find = [&](std::string_view name) -> const store::AchievementVersion* {
    for (const auto& v : info.achievements) {
      Result<json::Value> j = json::Parse(v.achievement_json);
      if (j.has_value() && json::GetString(j->as_object(), "name") == name) return &v;
    }
    return nullptr;
  };
  const json::Array& defs = d.at("achievements").as_array();
  int n = 0;
  for (const json::Value& sample : d.at("samples").as_array()) {
    const json::Object& so = sample.as_object();
    size_t index = static_cast<size_t>(so.at("achievement").to_number<int64_t>());
    if (index >= defs.size()) continue;
    const store::AchievementVersion* v =
        find(defs[index].as_object().at("name").as_string());
    if (v == nullptr) continue;
    IssueRequest req{.org_id = info.org.id,
                     .achievement_id = v->achievement_id,
                     .recipient = std::string(so.at("recipient").as_string()),
                     .idempotency_key = std::string(kSampleKeyPrefix) + std::to_string(n++)};
    CREDSTACK_ASSIGN_OR_RETURN(IssuedCredential c, s.issuance->Issue(req));
    info.sample_credentials.push_back(c.record.id);
  }
  return info;
}

}  // namespace credstack::app
