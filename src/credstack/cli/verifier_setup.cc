#include "credstack/cli/verifier_setup.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "credstack/cli/io.h"
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

Result<VerifierSetup> MakeVerifierSetup(const std::vector<std::string>& document_dirs,
                                        const std::string& now) {
  VerifierSetup s;
  s.documents = std::make_shared<vc::StaticDocumentResolver>();
  for (const auto& d : document_dirs) CREDSTACK_RETURN_IF_ERROR(LoadDocumentsDir(d, *s.documents));
  s.options = vc::VerifyOptions::Default(SystemClock::Instance());
  if (!now.empty()) {
    auto t = ParseDateTime(now, {.require_offset = false});
    if (!t.ok()) return InvalidArgumentError("--now: " + t.error().message());
    s.options.now = *t;
  }
  s.status_checker = std::make_shared<status::BitstringStatusChecker>();
  s.options.resolver = s.documents.get();
  s.options.status_checker = s.status_checker.get();
  return s;
}

}  // namespace credstack::cli
