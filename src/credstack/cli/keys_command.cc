// credstack keys new [--out FILE]
#include "credstack/cli/commands.h"
#include "credstack/cli/exit_code.h"
#include "credstack/cli/io.h"
#include "credstack/crypto/multikey.h"
#include "credstack/vc/key_file.h"

namespace credstack::cli {

void AddKeysCommands(CLI::App& app) {
  auto* keys = app.add_subcommand("keys", "Manage Ed25519 signing keys");
  keys->require_subcommand(1);
  auto* create = keys->add_subcommand(
      "new", "Create an Ed25519 key, write it to a key file (mode 0600) and print its did:key");
  auto out = std::make_shared<std::string>("issuer-key.json");
  create->add_option("--out,-o", *out, "Key file to create (never overwritten)")
      ->capture_default_str();
  create->callback([out] {
    auto key = crypto::Ed25519KeyPair::Generate();
    Status s = WritePrivateFile(*out, vc::SerializeKeyFile(key));
    if (!s.ok()) {
      ExitCode() = ReportError(s);
      return;
    }
    WriteStdout(crypto::DidKeyFor(key.public_key()) + "\n");
    std::fprintf(stderr, "wrote %s (keep it secret)\n", out->c_str());
  });
}

}  // namespace credstack::cli
