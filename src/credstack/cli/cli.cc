#include "credstack/cli/cli.h"

#include <cstdio>

#include "credstack/cli/client_commands.h"
#include "credstack/cli/commands.h"
#include "credstack/cli/exit_code.h"
#include "credstack/cli/pathway_commands.h"
#include "credstack/cli/serve_command.h"

namespace credstack::cli {

int& ExitCode() {
  static int code = kExitOk;
  return code;
}

int RunCli(int argc, char** argv) {
  CLI::App app{
      "credstack: issue, verify and manage Open Badges 3.0 micro-credentials\n"
      "(W3C Verifiable Credentials 2.0 with Data Integrity EdDSA proofs).",
      "credstack"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "credstack 0.1.0");
  AddKeysCommands(app);
  AddIssueCommands(app);
  AddVerifyCommand(app);
  AddStatusLogCommands(app);
  AddServeCommand(app);
  AddClientCommands(app);
  AddPathwayCommands(app);
  // CLI11 reports usage errors by exception; this is the only place that
  // sees them.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return ExitCode();
}

}  // namespace credstack::cli
