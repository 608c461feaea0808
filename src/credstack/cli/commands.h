#pragma once

// Registration of each command group on the root CLI11 app.

#include <CLI/CLI.hpp>

namespace credstack::cli {

// Set by a command's callback; RunCli returns it.
int& ExitCode();

void AddKeysCommands(CLI::App& app);
void AddIssueCommands(CLI::App& app);  // issue, sign
void AddVerifyCommand(CLI::App& app);
// revoke, suspend, unsuspend, log ..., witness
void AddStatusLogCommands(CLI::App& app);

}  // namespace credstack::cli
