// credstack serve [--listen HOST:PORT] [--data DIR] [--database URL] ...
#include "credstack/cli/serve_command.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "credstack/app/app_context.h"
#include "credstack/crypto/ed25519.h"
#include "credstack/cli/commands.h"
#include "credstack/cli/exit_code.h"
#include "credstack/server/application.h"
#include "credstack/server/server.h"
#include "credstack/server/store_hooks.h"
#include "credstack/store/store.h"

namespace credstack::cli {
namespace {

constexpr const char* kFooter = R"(
Each option can also come from the environment (the variable in brackets) or
from a config file (--config FILE or CREDSTACK_CONFIG) of KEY = VALUE lines
whose keys are the option names without the leading dashes, e.g.

    # /etc/credstack.conf
    listen = 0.0.0.0:8080
    data = /var/lib/credstack
    max-body = 2MiB

Precedence: flags > environment > config file > defaults. Sizes take KiB,
MiB, GiB (or KB, MB, GB); durations ms, s, m, h. Logs are JSON lines on
stderr. SIGTERM or SIGINT stops accepting connections, lets requests in
flight finish (--shutdown-timeout) and exits 0.
Operational endpoints: /healthz, /readyz, /metrics, /api/v1/openapi.json.)";

struct ServeArgs {
  std::vector<std::string> values;
  std::vector<CLI::Option*> options;
};

int Serve(const ServeArgs& args, const RouteInstaller& install) {
  std::vector<std::pair<std::string, std::string>> flags;
  auto all = server::ConfigOptions();
  for (size_t i = 0; i < all.size(); ++i) {
    if (args.options[i]->count() > 0) {
      flags.emplace_back(std::string(all[i].name), args.values[i]);
    }
  }
  Result<server::ServerConfig> config = server::LoadServerConfig(
      flags, [](const char* n) { return std::getenv(n); });
  if (!config.has_value()) return ReportError(config.error());
  if (Status s = CheckMasterKeyFile(config->master_key_file); !s.ok()) {
    return ReportError(s);
  }
  server::Router router;
  server::ServerHooks hooks;
  if (install) {
    if (Status s = install(*config, router, hooks); !s.ok()) {
      return ReportError(s);
    }
  }
  Result<std::unique_ptr<server::Server>> srv =
      server::Server::Create(*config, std::move(router), std::move(hooks));
  if (!srv.has_value()) return ReportError(srv.error());
  if (Status s = (*srv)->Run(); !s.ok()) return ReportError(s);
  return kExitOk;
}

}  // namespace

Status CheckMasterKeyFile(const std::string& path) {
  if (path.empty()) return OkStatus();
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return NotFoundError("master key file " + path + " cannot be read");
  }
  if (!S_ISREG(st.st_mode)) {
    return InvalidArgumentError("master key file " + path +
                                " is not a regular file");
  }
  if ((st.st_mode & (S_IROTH | S_IWOTH)) != 0) {
    return PermissionDeniedError(
        "master key file " + path +
        " is accessible by other users; run chmod 600 " + path);
  }
  return OkStatus();
}

Status InstallDefaultRoutes(const server::ServerConfig& config,
                            server::Router& router,
                            server::ServerHooks& hooks) {
  if (!store::IsPostgresLocation(config.database_url)) {
    // The data directory holds the SQLite database: owner-only.
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec) {
      return UnavailableError("cannot create data directory " +
                              config.data_dir + ": " + ec.message());
    }
    std::filesystem::permissions(config.data_dir,
                                 std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
  }
  CREDSTACK_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> db,
                             store::OpenStore(config.database_url));
  auto ctx = std::make_shared<app::AppContext>();
  ctx->store = std::shared_ptr<store::Store>(std::move(db));
  std::string public_url = config.public_url;
  if (public_url.empty()) {
    public_url = "http://" + config.listen_host + ":" + std::to_string(config.listen_port);
  }
  CREDSTACK_ASSIGN_OR_RETURN(ctx->urls, app::PublicUrls::Create(public_url));
  ctx->rng = &crypto::SecureRng::Instance();
  ctx->suite = vc::MakeSuiteOptions(ld::ContextStore::Bundled());
  server::AddStoreHooks(hooks, ctx->store);

  return server::InstallApplication(config, ctx, router, hooks).status();
}

void AddServeCommand(CLI::App& app, RouteInstaller install) {
  if (!install) install = InstallDefaultRoutes;
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Run the HTTP API server (defaults: 127.0.0.1:8080, data in ./data, "
      "SQLite).");
  cmd->footer(kFooter);
  auto args = std::make_shared<ServeArgs>();
  auto all = server::ConfigOptions();
  args->values.resize(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    const server::ConfigOption& o = all[i];
    std::string help(o.help);
    if (!o.default_text.empty())
      help += " (default " + std::string(o.default_text) + ")";
    help += " [" + std::string(o.env) + "]";
    CLI::Option* opt =
        cmd->add_option("--" + std::string(o.name), args->values[i], help);
    opt->type_name(std::string(o.value));
    args->options.push_back(opt);
  }
  cmd->callback([args, install = std::move(install)] {
    ExitCode() = Serve(*args, install);
  });
}

}  // namespace credstack::cli
