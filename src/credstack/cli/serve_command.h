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
// as a flag. Without an installer only the operational routes exist.
void AddServeCommand(CLI::App& app, RouteInstaller install = nullptr);

// Refuses a master key file that others can read (kPermissionDenied) or
// that is missing (kNotFound). An empty path is fine (no key configured).
Status CheckMasterKeyFile(const std::string& path);

}  // namespace credstack::cli
