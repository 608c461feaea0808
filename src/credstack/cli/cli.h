#pragma once

// The credstack command line (CLI11). One binary, subcommands per area;
// each area registers its commands with an Add…Commands(CLI::App&)
// function declared in commands.h.

namespace credstack::cli {

// Parses argv, runs the chosen command and returns the process exit code
// (exit_code.h). Never throws.
int RunCli(int argc, char** argv);

}  // namespace credstack::cli
