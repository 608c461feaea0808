// The one credstack binary: `credstack serve`, `credstack verify`, ...
#include <cstdio>
#include <exception>

#include "credstack/cli/cli.h"

int main(int argc, char** argv) {
  // Our code returns Status; this catches what third-party code may throw
  // (e.g. std::bad_alloc) so that the process exits with a message.
  try {
    return credstack::cli::RunCli(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "credstack: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "credstack: internal error\n");
  }
  return 3;
}
