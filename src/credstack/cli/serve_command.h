#pragma once

// `credstack serve`: runs the HTTP server until SIGTERM/SIGINT.

#include <CLI/CLI.hpp>
#include <functional>

#include "credstack/base/status.h"
#include "credstack/server/config.h"
#include "credstack/server/dispatcher.h"
#include "credstack/server/router.h"

namespace credstack::cli {

// Adds the application's routes and hooks (API keys, readiness, metrics
// gauges) once the configuration is known; runs before the server starts.
using RouteInstaller = std::function<Status(
    const server::ServerConfig&, server::Router&, server::ServerHooks&)>;

// Defines the `serve` subcommand with every server::ConfigOptions() entry
// as a flag. The installer defaults to InstallDefaultRoutes.
void AddServeCommand(CLI::App& app, RouteInstaller install = nullptr);

// Opens the store (creating the data directory, mode 0700, for SQLite) and
// installs its hooks (API keys, /readyz ping, pool gauges) and the
// verification routes (POST /api/v1/verify and the VC-API verifier
// endpoints), counting results in the server's metrics.
Status InstallDefaultRoutes(const server::ServerConfig& config,
                            server::Router& router, server::ServerHooks& hooks);

// Refuses a master key file that others can read (kPermissionDenied) or
// that is missing (kNotFound). An empty path is fine (no key configured).
Status CheckMasterKeyFile(const std::string& path);

}  // namespace credstack::cli
