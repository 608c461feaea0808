#pragma once

// Commands that talk to a credstack server over its HTTP API:
//   credstack org create --server URL --token TOKEN --name NAME ...
//   credstack achievement create --server URL --key KEY FILE.json
//   credstack issue --server URL --key KEY --achievement ID --recipient R
//   credstack bulk submit --server URL --key KEY --achievement ID FILE
//   credstack bulk status --server URL --key KEY JOB
// Keys may also come from CREDSTACK_API_KEY / CREDSTACK_OPERATOR_TOKEN.

#include <CLI/CLI.hpp>
#include <string>

#include "credstack/base/status.h"

namespace credstack::cli {

void AddClientCommands(CLI::App& app);

struct RemoteIssueArgs {
  std::string server;
  std::string key;
  std::string achievement;  // achievement id on the server
  std::string recipient;
  std::string valid_from;
  std::string valid_until;
  std::string suite;
  std::string idempotency_key;
};

// `credstack issue --server ...`: prints the issued credential.
Status RunRemoteIssue(const RemoteIssueArgs& args);

}  // namespace credstack::cli
