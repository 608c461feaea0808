// The status-list and transparency-log area of `credstack serve`.
#include <filesystem>

#include "credstack/app/log_key.h"
#include "credstack/app/own_document_resolver.h"
#include "credstack/server/http_client.h"
#include "credstack/server/status_log_routes.h"
#include "credstack/status/status_checker.h"

namespace credstack::server {
namespace {

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    std::string_view item = s.substr(start, comma == std::string_view::npos ? s.npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

Result<StatusLogArea> AddStatusLogRoutes(const ServerConfig& config, Router& router,
                                         ServerHooks& hooks,
                                         std::shared_ptr<const app::AppContext> ctx) {
  StatusLogArea area;
  area.status = std::make_shared<app::StatusService>(
      ctx, app::StatusServiceOptions{.ttl_ms = static_cast<uint64_t>(config.status_ttl.count())});

  // The log key: a separate Ed25519 key, created on first start.
  std::string origin = config.log_origin;
  if (origin.empty()) {
    CREDSTACK_ASSIGN_OR_RETURN(origin, app::DefaultLogOrigin(ctx->urls.base()));
  }
  std::string key_file = config.log_key_file;
  if (key_file.empty()) key_file = (std::filesystem::path(config.data_dir) / "log-key").string();
  CREDSTACK_ASSIGN_OR_RETURN(std::unique_ptr<tlog::Ed25519NoteSigner> key,
                             app::LoadOrCreateLogKey(key_file, origin, /*create=*/true));
  app::LogServiceOptions log_options;
  log_options.origin = origin;
  log_options.batch_entries = config.log_batch_size;
  log_options.batch_interval = config.log_batch_interval;
  log_options.witness_keys = SplitList(config.log_witnesses);
  if (!hooks.logger) {
    CREDSTACK_ASSIGN_OR_RETURN(LogLevel level, ParseLogLevel(config.log_level));
    hooks.logger = std::make_shared<Logger>(level);
  }
  std::shared_ptr<Logger> logger = hooks.logger;
  log_options.on_error = [logger](const Status& s) {
    if (logger) logger->Error("log integration failed", {{"error", s.message()}});
  };
  CREDSTACK_ASSIGN_OR_RETURN(
      std::unique_ptr<app::LogService> log,
      app::LogService::Create(ctx->store, std::move(key), std::move(log_options), *ctx->clock));
  area.log = std::shared_ptr<app::LogService>(std::move(log));
  area.log->Start();

  // Documents: ours from the store, foreign ones over HTTPS (allowlist).
  auto chain = std::make_shared<vc::ChainedResolver>();
  auto own_lists = std::make_shared<app::OwnStatusListResolver>(area.status);
  if (ctx->documents) {
    // Our status lists join the deployment's own documents (after its DID
    // documents); the status service caches per list version itself.
    ctx->documents->AddSource(
        ctx->urls.StatusListUrl(""),
        [own_lists](std::string_view url) { return own_lists->Resolve(url); },
        /*cacheable=*/false);
    chain->Append(ctx->documents);
  } else {
    chain->Append(own_lists);
  }
  app::ForeignResolverOptions foreign;
  foreign.allowed_hosts = SplitList(config.resolver_allow_hosts);
  foreign.http_hosts = SplitList(config.resolver_http_hosts);
  foreign.offline = foreign.allowed_hosts.empty();
  foreign.timeout = config.resolver_timeout;
  auto fetcher = std::make_shared<HttpClient>();
  chain->Append(std::make_shared<app::ForeignDocumentResolver>(foreign, nullptr, fetcher, *ctx->clock));
  area.resolver = chain;

  auto checker = std::make_shared<status::BitstringStatusChecker>();
  // A local change is visible to this node's verifier at once.
  area.status->AddChangeListener(
      [checker](const app::StatusChangeResult&) { checker->Invalidate(); });
  area.status_checker = checker;

  app::LogCheckerOptions lc;
  CREDSTACK_RETURN_IF_ERROR(lc.trusted.AddKey(area.log->verifier_key(), ctx->urls.LogUrl()));
  lc.required = config.verify_require_logged;
  lc.sources.push_back(std::make_shared<app::LocalLogProofSource>(area.log));
  area.log_checker = std::make_shared<app::LogChecker>(std::move(lc));

  CREDSTACK_RETURN_IF_ERROR(AddStatusRoutes(router, area.status));
  CREDSTACK_RETURN_IF_ERROR(AddLogRoutes(router, area.log));
  return area;
}

}  // namespace credstack::server
