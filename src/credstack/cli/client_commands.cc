// credstack org/achievement/bulk commands and `issue --server`: thin HTTP
// clients of the API (docs/server.md).
#include "credstack/cli/client_commands.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "credstack/cli/api_call.h"
#include "credstack/cli/commands.h"
#include "credstack/cli/exit_code.h"
#include "credstack/cli/io.h"
#include "credstack/json/json.h"

namespace credstack::cli {
namespace {

// Sends a request with an API key; see CallJson.
Result<json::Value> Call(
    const std::string& server, const std::string& key, std::string method,
    std::string path, std::string body = "",
    std::string content_type = "application/json",
    std::vector<std::pair<std::string, std::string>> extra = {}) {
  server::ApiRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  if (!key.empty()) r.headers.emplace_back("Authorization", "Bearer " + key);
  for (auto& h : extra) r.headers.push_back(std::move(h));
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return CallJson(server, r, {.timeout = std::chrono::seconds(300)});
}

Result<std::string> MyOrg(const std::string& server, const std::string& key) {
  CREDSTACK_ASSIGN_OR_RETURN(json::Value me,
                             Call(server, key, "GET", "/api/v1/me"));
  const json::Object* org = json::GetObject(me.as_object(), "organization");
  auto id = org ? json::GetString(*org, "id") : std::nullopt;
  if (!id) return InvalidArgumentError("this key belongs to no organization");
  return std::string(*id);
}

Status NeedServerAndKey(const std::string& server, const std::string& key,
                        const char* key_env) {
  if (server.empty()) return InvalidArgumentError("--server URL is required");
  if (key.empty()) {
    return InvalidArgumentError(std::string("--key is required (or set ") +
                                key_env + ")");
  }
  return OkStatus();
}

struct OrgArgs {
  std::string server, token, name, slug, url, email, description, image;
  bool did_key = false;
  bool json_out = false;
};

Status RunOrgCreate(const OrgArgs& a) {
  std::string token = FlagOrEnv(a.token, "CREDSTACK_OPERATOR_TOKEN");
  CREDSTACK_RETURN_IF_ERROR(
      NeedServerAndKey(a.server, token, "CREDSTACK_OPERATOR_TOKEN"));
  json::Object body;
  body["name"] = a.name;
  if (!a.slug.empty()) body["slug"] = a.slug;
  if (!a.url.empty()) body["url"] = a.url;
  if (!a.email.empty()) body["email"] = a.email;
  if (!a.description.empty()) body["description"] = a.description;
  if (!a.image.empty()) body["image"] = a.image;
  if (a.did_key) body["didKey"] = true;
  CREDSTACK_ASSIGN_OR_RETURN(
      json::Value out,
      Call(a.server, token, "POST", "/api/v1/orgs", json::Serialize(body)));
  if (a.json_out) {
    WriteStdout(json::SerializePretty(out));
    return OkStatus();
  }
  const json::Object& o = out.as_object();
  const json::Object& org = o.at("organization").as_object();
  const json::Object& key = o.at("apiKey").as_object();
  std::string text =
      "organization " + std::string(org.at("id").as_string()) + "\n";
  text += "issuer DID   " + std::string(org.at("did").as_string()) + "\n";
  if (auto dk = json::GetString(o, "didKey"))
    text += "did:key      " + std::string(*dk) + "\n";
  text += "admin key    " + std::string(key.at("secret").as_string()) +
          "\n(the key is shown once; store it safely)\n";
  WriteStdout(text);
  return OkStatus();
}

struct AchievementArgs {
  std::string server, key, file;
};

Status RunAchievementCreate(const AchievementArgs& a) {
  std::string key = FlagOrEnv(a.key, "CREDSTACK_API_KEY");
  CREDSTACK_RETURN_IF_ERROR(
      NeedServerAndKey(a.server, key, "CREDSTACK_API_KEY"));
  CREDSTACK_ASSIGN_OR_RETURN(json::Value doc, ReadJsonFile(a.file));
  CREDSTACK_ASSIGN_OR_RETURN(std::string org, MyOrg(a.server, key));
  CREDSTACK_ASSIGN_OR_RETURN(
      json::Value out,
      Call(a.server, key, "POST", "/api/v1/orgs/" + org + "/achievements",
           json::Serialize(doc)));
  WriteStdout(std::string(out.as_object().at("id").as_string()) + "\n");
  return OkStatus();
}

struct BulkArgs {
  std::string server, key, achievement, file, valid_from, valid_until, suite,
      format;
  std::string job;
  bool no_wait = false;
};

void DrawProgress(const json::Object& job) {
  int64_t total = job.at("total").to_number<int64_t>();
  int64_t issued = job.at("issued").to_number<int64_t>();
  int64_t failed = job.at("failed").to_number<int64_t>();
  double p = total == 0 ? 1.0
                        : static_cast<double>(issued + failed) /
                              static_cast<double>(total);
  constexpr int kWidth = 40;
  int filled = static_cast<int>(p * kWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '-');
  std::fprintf(stderr, "\r[%s] %5.1f%%  %lld/%lld issued, %lld failed  %s   ",
               bar.c_str(), p * 100, static_cast<long long>(issued),
               static_cast<long long>(total), static_cast<long long>(failed),
               std::string(job.at("status").as_string()).c_str());
  std::fflush(stderr);
}

Status Watch(const std::string& server, const std::string& key,
             const std::string& job_id) {
  bool tty = ::isatty(2) != 0;
  for (;;) {
    CREDSTACK_ASSIGN_OR_RETURN(
        json::Value job, Call(server, key, "GET", "/api/v1/jobs/" + job_id));
    const json::Object& j = job.as_object();
    std::string_view status = j.at("status").as_string();
    if (tty) DrawProgress(j);
    if (status == "done" || status == "failed") {
      if (tty) std::fprintf(stderr, "\n");
      WriteStdout(json::SerializePretty(job));
      if (status == "failed" || j.at("failed").to_number<int64_t>() > 0) {
        return InvalidArgumentError(
            "job " + job_id + " finished with failed rows; see " +
            "GET /api/v1/orgs/ORG/jobs/" + job_id + "/rows?state=failed");
      }
      return OkStatus();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

Status RunBulkSubmit(const BulkArgs& a) {
  std::string key = FlagOrEnv(a.key, "CREDSTACK_API_KEY");
  CREDSTACK_RETURN_IF_ERROR(
      NeedServerAndKey(a.server, key, "CREDSTACK_API_KEY"));
  CREDSTACK_ASSIGN_OR_RETURN(std::string body, ReadInput(a.file));
  std::string format = a.format;
  if (format.empty()) {
    bool jsonl = a.file.size() > 6 &&
                 (a.file.ends_with(".jsonl") || a.file.ends_with(".ndjson"));
    format = jsonl ? "jsonl" : "csv";
  }
  if (format != "csv" && format != "jsonl") {
    return InvalidArgumentError("--format must be csv or jsonl");
  }
  CREDSTACK_ASSIGN_OR_RETURN(std::string org, MyOrg(a.server, key));
  std::string path =
      "/api/v1/orgs/" + org + "/jobs?achievementId=" + PercentEncode(a.achievement);
  if (!a.valid_from.empty()) path += "&validFrom=" + PercentEncode(a.valid_from);
  if (!a.valid_until.empty()) path += "&validUntil=" + PercentEncode(a.valid_until);
  if (!a.suite.empty()) path += "&cryptosuite=" + PercentEncode(a.suite);
  CREDSTACK_ASSIGN_OR_RETURN(
      json::Value job,
      Call(a.server, key, "POST", path, std::move(body),
           format == "csv" ? "text/csv" : "application/jsonl"));
  std::string id(job.as_object().at("id").as_string());
  std::fprintf(
      stderr, "job %s: %lld rows\n", id.c_str(),
      static_cast<long long>(job.as_object().at("total").to_number<int64_t>()));
  if (a.no_wait) {
    WriteStdout(json::SerializePretty(job));
    return OkStatus();
  }
  return Watch(a.server, key, id);
}

Status RunBulkStatus(const BulkArgs& a) {
  std::string key = FlagOrEnv(a.key, "CREDSTACK_API_KEY");
  CREDSTACK_RETURN_IF_ERROR(
      NeedServerAndKey(a.server, key, "CREDSTACK_API_KEY"));
  if (!a.no_wait) return Watch(a.server, key, a.job);
  CREDSTACK_ASSIGN_OR_RETURN(
      json::Value job, Call(a.server, key, "GET", "/api/v1/jobs/" + a.job));
  WriteStdout(json::SerializePretty(job));
  return OkStatus();
}

void Run(const Status& s) { ExitCode() = s.ok() ? kExitOk : ReportError(s); }

}  // namespace

Status RunRemoteIssue(const RemoteIssueArgs& a) {
  std::string key = FlagOrEnv(a.key, "CREDSTACK_API_KEY");
  CREDSTACK_RETURN_IF_ERROR(
      NeedServerAndKey(a.server, key, "CREDSTACK_API_KEY"));
  CREDSTACK_ASSIGN_OR_RETURN(std::string org, MyOrg(a.server, key));
  json::Object body;
  body["achievementId"] = a.achievement;
  body["recipient"] = a.recipient;
  if (!a.valid_from.empty()) body["validFrom"] = a.valid_from;
  if (!a.valid_until.empty()) body["validUntil"] = a.valid_until;
  if (!a.suite.empty()) body["cryptosuite"] = a.suite;
  std::vector<std::pair<std::string, std::string>> extra;
  if (!a.idempotency_key.empty())
    extra.emplace_back("Idempotency-Key", a.idempotency_key);
  CREDSTACK_ASSIGN_OR_RETURN(
      json::Value vc,
      Call(a.server, key, "POST", "/api/v1/orgs/" + org + "/credentials",
           json::Serialize(body), "application/json", std::move(extra)));
  WriteStdout(json::SerializePretty(vc));
  return OkStatus();
}

void AddClientCommands(CLI::App& app) {
  auto* org = app.add_subcommand("org", "Manage organizations on a server");
  org->require_subcommand(1);
  auto oa = std::make_shared<OrgArgs>();
  auto* create = org->add_subcommand("create",
                                     "Create an organization (operator token); "
                                     "prints its id and first admin API key");
  create
      ->add_option("--server", oa->server,
                   "Server base URL, e.g. http://127.0.0.1:8080")
      ->required();
  create->add_option("--token", oa->token,
                     "Operator token (default: $CREDSTACK_OPERATOR_TOKEN; the "
                     "server keeps it in "
                     "DATA/operator.token)");
  create
      ->add_option("--name", oa->name,
                   "Organization name (OB 3.0 Profile name)")
      ->required();
  create->add_option("--slug", oa->slug,
                     "URL slug (default: from the name); part of the DID");
  create->add_option("--url", oa->url, "Profile url");
  create->add_option("--email", oa->email, "Profile email");
  create->add_option("--description", oa->description, "Profile description");
  create->add_option("--image", oa->image, "Profile image URL");
  create->add_flag("--did-key", oa->did_key,
                   "Also give it a did:key issuer (VC-API)");
  create->add_flag("--json", oa->json_out, "Print the server's JSON answer");
  create->callback([oa] { Run(RunOrgCreate(*oa)); });

  auto* ach =
      app.add_subcommand("achievement", "Manage achievements on a server");
  ach->require_subcommand(1);
  auto aa = std::make_shared<AchievementArgs>();
  auto* acreate = ach->add_subcommand("create",
                                      "Create an achievement from an OB 3.0 "
                                      "Achievement JSON file; prints its id");
  acreate->add_option("--server", aa->server, "Server base URL")->required();
  acreate->add_option("--key", aa->key,
                      "API key (issuer role; default: $CREDSTACK_API_KEY)");
  acreate->add_option("file", aa->file, "Achievement JSON file, or - for stdin")
      ->required();
  acreate->callback([aa] { Run(RunAchievementCreate(*aa)); });

  auto* bulk = app.add_subcommand("bulk", "Bulk issuance jobs on a server");
  bulk->require_subcommand(1);
  auto ba = std::make_shared<BulkArgs>();
  auto* submit =
      bulk->add_subcommand("submit",
                           "Upload recipients (CSV with a recipient column, or "
                           "JSON Lines) and follow the job");
  submit->add_option("--server", ba->server, "Server base URL")->required();
  submit->add_option("--key", ba->key,
                     "API key (issuer role; default: $CREDSTACK_API_KEY)");
  submit->add_option("--achievement", ba->achievement, "Achievement id")
      ->required();
  submit->add_option("--valid-from", ba->valid_from,
                     "RFC 3339 time for every row");
  submit->add_option("--valid-until", ba->valid_until,
                     "RFC 3339 expiry for every row");
  submit->add_option("--suite", ba->suite,
                     "eddsa-rdfc-2022 (default) or eddsa-jcs-2022");
  submit->add_option("--format", ba->format,
                     "csv or jsonl (default: from the file name)");
  submit->add_flag("--no-wait", ba->no_wait,
                   "Print the job and return at once");
  submit->add_option("file", ba->file, "Recipients file, or - for stdin")
      ->required();
  submit->callback([ba] { Run(RunBulkSubmit(*ba)); });
  auto sa = std::make_shared<BulkArgs>();
  auto* status = bulk->add_subcommand("status", "Show (or follow) a bulk job");
  status->add_option("--server", sa->server, "Server base URL")->required();
  status->add_option("--key", sa->key, "API key (default: $CREDSTACK_API_KEY)");
  status->add_flag("--no-wait", sa->no_wait,
                   "Print the current state instead of following");
  status->add_option("job", sa->job, "Job id")->required();
  status->callback([sa] { Run(RunBulkStatus(*sa)); });
}

}  // namespace credstack::cli
