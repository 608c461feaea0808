#pragma once

// CLI commands for skills frameworks, learning-path recommendations and
// stackable pathways (issue 6):
//   credstack skills import --format esco|esco-sample|onet DIR [--out FILE]
//   credstack skills breadth --framework PATH --have SKILL,... [--level N]
//   credstack path recommend --catalog FILE (--have SKILL,... | --learner ID)
//       (--target OCCUPATION | --need SKILL,...) [--framework PATH] ...
//   credstack pathway progress --pathway FILE --have ACHIEVEMENT,...
//       [--catalog FILE] [--json]
// Each command sets ExitCode() (commands.h): 0 ok; 1 infeasible target or
// pathway not satisfied; 2 bad input or usage (unreadable or malformed
// files, unknown ids, limits); 3 internal error. Errors are printed as
// "credstack: <message>" on stderr.

#include <CLI/CLI.hpp>

namespace credstack::cli {

void AddPathwayCommands(CLI::App& app);

}  // namespace credstack::cli
