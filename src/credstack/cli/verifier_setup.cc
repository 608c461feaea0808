#include "credstack/cli/verifier_setup.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "credstack/app/document_resolver.h"
#include "credstack/app/log_checker.h"
#include "credstack/cli/io.h"
#include "credstack/server/http_client.h"
#include "credstack/status/status_checker.h"

namespace credstack::cli {

Status LoadDocumentsDir(const std::string& dir, vc::StaticDocumentResolver& resolver) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return NotFoundError(dir + " is not a directory");
  fs::path manifest = fs::path(dir) / "urls.json";
  std::set<std::string> explicit_urls;
  if (fs::exists(manifest, ec)) {
    CREDSTACK_ASSIGN_OR_RETURN(json::Value m, ReadJsonFile(manifest.string()));
    if (!m.is_object()) return InvalidArgumentError(manifest.string() + ": must map URL -> file");
    for (const auto& kv : m.as_object()) {
      if (!kv.value().is_string()) return InvalidArgumentError(manifest.string() + ": values must be file names");
      fs::path file = fs::path(dir) / std::string(kv.value().get_string());
      CREDSTACK_ASSIGN_OR_RETURN(json::Value doc, ReadJsonFile(file.string()));
      resolver.Add(std::string(kv.key()), std::move(doc));
      explicit_urls.insert(std::string(kv.key()));
    }
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".json" && e.path().filename() != "urls.json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    CREDSTACK_ASSIGN_OR_RETURN(json::Value doc, ReadJsonFile(f.string()));
    const auto* o = doc.if_object();
    auto id = o ? json::GetString(*o, "id") : std::nullopt;
    if (id && !explicit_urls.contains(std::string(*id))) {
      std::string key(*id);
      resolver.Add(std::move(key), std::move(doc));
    }
  }
  return OkStatus();
}

namespace {

// A key given inline, or the first line of the file it names.
std::string KeyOrFile(const std::string& arg) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(arg, ec)) {
    auto text = ReadInput(arg, 64 * 1024);
    if (text.ok()) return text->substr(0, text->find('\n'));
  }
  return arg;
}

Result<std::shared_ptr<const vc::LogChecker>> MakeLogChecker(
    const VerifierNetwork& net, std::shared_ptr<const app::HttpFetcher> fetcher) {
  app::LogCheckerOptions o;
  o.required = net.require_logged;
  if (!net.trusted_logs.empty()) {
    CREDSTACK_ASSIGN_OR_RETURN(json::Value v, ReadJsonFile(net.trusted_logs));
    CREDSTACK_ASSIGN_OR_RETURN(o.trusted, app::TrustedLogs::FromJson(v));
  }
  for (const std::string& k : net.log_keys) {
    CREDSTACK_RETURN_IF_ERROR(o.trusted.AddKey(KeyOrFile(k)));
  }
  if (!net.log_bundles.empty()) {
    auto bundles = std::make_shared<app::StaticLogProofSource>();
    for (const std::string& f : net.log_bundles) {
      CREDSTACK_ASSIGN_OR_RETURN(json::Value v, ReadJsonFile(f));
      auto b = app::LogBundle::FromJson(v);
      if (!b.ok()) return InvalidArgumentError(f + ": " + b.error().message());
      CREDSTACK_RETURN_IF_ERROR(bundles->Add(std::move(*b)));
    }
    o.sources.push_back(bundles);
  }
  if (net.online && fetcher) {
    std::vector<std::string> urls;
    for (std::string u : net.log_servers) {
      while (!u.empty() && u.back() == '/') u.pop_back();
      urls.push_back(u + "/log");
    }
    for (const app::TrustedLog& l : o.trusted.logs) {
      if (!l.url.empty()) urls.push_back(l.url);
    }
    if (!urls.empty()) o.sources.push_back(std::make_shared<app::HttpLogProofSource>(fetcher, urls));
  }
  return std::shared_ptr<const vc::LogChecker>(std::make_shared<app::LogChecker>(std::move(o)));
}

}  // namespace

Result<VerifierSetup> MakeVerifierSetup(const std::vector<std::string>& document_dirs,
                                        const std::string& now, const VerifierNetwork& net) {
  VerifierSetup s;
  s.documents = std::make_shared<vc::StaticDocumentResolver>();
  for (const auto& d : document_dirs) CREDSTACK_RETURN_IF_ERROR(LoadDocumentsDir(d, *s.documents));
  std::shared_ptr<const app::HttpFetcher> fetcher;
  if (net.online) {
    fetcher = std::make_shared<server::HttpClient>();
    app::ForeignResolverOptions fo;
    fo.offline = false;
    fo.allowed_hosts = net.allow_hosts.empty() ? std::vector<std::string>{"*"} : net.allow_hosts;
    fo.http_hosts = net.http_hosts;
    s.resolver = std::make_shared<app::ForeignDocumentResolver>(fo, s.documents, fetcher,
                                                                SystemClock::Instance());
  } else {
    s.resolver = s.documents;
  }
  if (!net.log_bundles.empty() || !net.log_keys.empty() || !net.trusted_logs.empty() ||
      net.require_logged) {
    CREDSTACK_ASSIGN_OR_RETURN(s.log_checker, MakeLogChecker(net, fetcher));
  }
  s.options = vc::VerifyOptions::Default(SystemClock::Instance());
  if (!now.empty()) {
    auto t = ParseDateTime(now, {.require_offset = false});
    if (!t.ok()) return InvalidArgumentError("--now: " + t.error().message());
    s.options.now = *t;
  }
  s.status_checker = std::make_shared<status::BitstringStatusChecker>();
  s.options.resolver = s.resolver.get();
  s.options.status_checker = s.status_checker.get();
  s.options.log_checker = s.log_checker.get();
  return s;
}

}  // namespace credstack::cli
