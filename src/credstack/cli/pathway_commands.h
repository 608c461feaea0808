#pragma once

// CLI commands for skills frameworks, learning-path recommendations and
// stackable pathways (issue 6):
//   credstack skills import --format esco|esco-sample|onet DIR [--out FILE]
//   credstack skills breadth --framework PATH --have SKILL,... [--level N]
//   credstack path recommend --catalog FILE (--have SKILL,... | --learner ID)
//       (--target OCCUPATION | --need SKILL,...) [--framework PATH] ...
//   credstack pathway progress --pathway FILE --have ACHIEVEMENT,...
//       [--catalog FILE] [--json]
// Exit codes (thrown as CLI::RuntimeError, which CLI::App::exit() turns
// into the process status without printing): 0 ok; 1 infeasible target or
// pathway not satisfied; 2 usage or bad input. main() must catch
// CLI::ParseError and return app.exit(e); CLI11's own usage errors should be
// mapped to 2 there as well.

#include <CLI/CLI.hpp>

namespace credstack::cli {

void AddPathwayCommands(CLI::App& app);

}  // namespace credstack::cli
