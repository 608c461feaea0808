// credstack verify [--json] [--jsonl] [--status-dir DIR] [--now T] FILE|-
#include <chrono>
#include <filesystem>

#include "credstack/cli/commands.h"
#include "credstack/cli/exit_code.h"
#include "credstack/cli/io.h"
#include "credstack/cli/verifier_setup.h"
#include "credstack/vc/verify.h"

namespace credstack::cli {
namespace {

struct VerifyArgs {
  bool json = false;
  bool jsonl = false;
  std::vector<std::string> status_dirs;
  std::string now;
  std::string input = "-";
  VerifierNetwork network;
};

void PrintHuman(const vc::VerificationReport& r) {
  std::string out = r.verified ? "VERIFIED" : "NOT VERIFIED";
  if (!r.id.empty()) out += "  " + r.id;
  out += "\n";
  for (const auto& c : r.checks) {
    out += c.ok ? "  ok    " : "  FAIL  ";
    out += c.name;
    out.append(c.name.size() < 10 ? 10 - c.name.size() : 1, ' ');
    out += c.detail + "\n";
  }
  for (const auto& w : r.warnings) out += "  note  " + w + "\n";
  WriteStdout(out);
}

int RunJsonl(const std::string& text, const vc::VerifyOptions& opts) {
  struct Item {
    std::string id;
    std::string expect;
    json::Value credential;
    std::string parse_error;
  };
  std::vector<Item> items;
  size_t line_no = 0, pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line(text.data() + pos, (nl == std::string::npos ? text.size() : nl) - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Item it;
    it.id = "line-" + std::to_string(line_no);
    json::ParseOptions parse = opts.parse;
    parse.arena = true;  // read, never edited
    auto v = json::Parse(line, parse);
    if (!v.ok()) {
      it.parse_error = v.error().message();
      items.push_back(std::move(it));
      continue;
    }
    // A labelled fixture wraps the credential: {"id","expect","credential"}.
    const json::Object* o = v->if_object();
    if (o && o->contains("credential") && !o->contains("@context") &&
        o->at("credential").is_object()) {
      if (auto id = json::GetString(*o, "id")) it.id = std::string(*id);
      if (auto e = json::GetString(*o, "expect")) it.expect = std::string(*e);
      it.credential = o->at("credential");
    } else {
      if (o) {
        if (auto id = json::GetString(*o, "id")) it.id = std::string(*id);
      }
      it.credential = std::move(*v);
    }
    items.push_back(std::move(it));
  }
  size_t verified = 0;
  std::string out;
  auto t0 = std::chrono::steady_clock::now();
  for (const auto& it : items) {
    json::Object line;
    line["id"] = it.id;
    if (!it.parse_error.empty()) {
      line["verified"] = false;
      line["errors"] = json::Array{json::Value("parse: " + it.parse_error)};
    } else {
      vc::VerificationReport r = vc::VerifyCredential(it.credential, opts);
      verified += r.verified;
      line["verified"] = r.verified;
      json::Array errors;
      for (const auto& e : r.errors) errors.push_back(json::Value(e));
      line["errors"] = std::move(errors);
      if (const vc::Check* proof = r.Find(vc::kCheckProof); proof && proof->ok) {
        line["proof"] = proof->detail;
      }
    }
    if (!it.expect.empty()) {
      line["expect"] = it.expect;
      line["matches"] = (it.expect == "valid") == line["verified"].as_bool();
    }
    out += json::Serialize(line);
    out += '\n';
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  WriteStdout(out);
  std::fprintf(stderr, "%zu credentials, %zu verified, %zu not verified, %.3f s, %.0f credentials/s\n",
               items.size(), verified, items.size() - verified, secs,
               secs > 0 ? static_cast<double>(items.size()) / secs : 0.0);
  return verified == items.size() ? kExitOk : kExitFailed;
}

int Run(const VerifyArgs& a) {
  auto setup = MakeVerifierSetup(a.status_dirs, a.now, a.network);
  // Unreadable flags or input: exit 2, whatever the underlying code.
  if (!setup.ok()) {
    ReportError(setup.error());
    return kExitUsage;
  }
  auto text = ReadInput(a.input);
  if (!text.ok()) {
    ReportError(text.error());
    return kExitUsage;
  }
  if (a.jsonl) return RunJsonl(*text, setup->options);
  vc::VerificationReport r = vc::VerifyCredentialText(*text, setup->options);
  if (a.json) {
    WriteStdout(json::Serialize(r.ToJson()) + "\n");
  } else {
    PrintHuman(r);
  }
  return r.verified ? kExitOk : kExitFailed;
}

}  // namespace

void AddVerifyCommand(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  auto* verify = app.add_subcommand(
      "verify",
      "Verify credentials offline: structure, pinned contexts, Data Integrity proof, issuer key, "
      "validity period, status. Exit 0 if every credential verified, 1 if any did not, 2 on "
      "usage or unreadable input");
  verify->add_flag("--json", args->json,
                   "Print the report as JSON {verified, checks[{name,ok,detail}], errors[]}");
  verify->add_flag("--jsonl", args->jsonl,
                   "Input is JSON Lines: one credential (or {\"credential\":...}) per line; prints one "
                   "result line each and a throughput line on stderr");
  verify->add_option("--status-dir", args->status_dirs,
                     "Serve the status list credentials (*.json, under their \"id\"; urls.json maps "
                     "URL->file) found in DIR; repeatable")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  verify->add_option("--now", args->now, "Evaluate validity at this RFC 3339 time instead of now");
  VerifierNetwork& net = args->network;
  verify->add_flag("--online", net.online,
                   "Fetch did:web documents, status lists and log proofs over HTTPS (default: "
                   "offline, documents only from --status-dir)");
  verify->add_option("--allow-host", net.allow_hosts,
                     "With --online: hosts that may be fetched (repeatable; *.example.edu; default "
                     "any)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  verify->add_option("--http-host", net.http_hosts,
                     "With --online: fetch this host over plain http (tests; repeatable)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  verify->add_option("--log-bundle", net.log_bundles,
                     "A log bundle (credstack log proof) proving a credential is logged; repeatable")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  verify->add_option("--log-key", net.log_keys,
                     "A trusted log's vkey (or a file holding it); repeatable")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  verify->add_option("--trusted-logs", net.trusted_logs,
                     "JSON file of trusted logs and required witnesses (docs/formats/log-bundle.md)");
  verify->add_option("--log-server", net.log_servers,
                     "With --online: ask this credstack server for log proofs; repeatable")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  verify->add_flag("--require-logged", net.require_logged,
                   "Fail credentials that are not proven to be in a trusted log");
  verify->add_option("input", args->input, "Credential file, or - for stdin")->capture_default_str();
  verify->callback([args] { ExitCode() = Run(*args); });
}

}  // namespace credstack::cli
