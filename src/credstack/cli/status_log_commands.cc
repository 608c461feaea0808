// credstack revoke|suspend|unsuspend --server URL --key API_KEY ID --reason R
// credstack log checkpoint|proof|consistency|verify|monitor|keygen
// credstack witness --server URL --key FILE --log-key VKEY --state FILE
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "credstack/app/log_audit.h"
#include "credstack/app/log_checker.h"
#include "credstack/app/log_key.h"
#include "credstack/app/log_leaf.h"
#include "credstack/app/log_monitor.h"
#include "credstack/app/secrets.h"
#include "credstack/app/status_service.h"
#include "credstack/cli/api_call.h"
#include "credstack/cli/commands.h"
#include "credstack/cli/exit_code.h"
#include "credstack/cli/io.h"
#include "credstack/server/config.h"
#include "credstack/server/http_client.h"
#include "credstack/store/store.h"
#include "credstack/tlog/cosignature.h"

namespace credstack::cli {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '/' || s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string LogUrl(const std::string& server) { return Trim(server) + "/log"; }

// Reads a file whose first line is a key (vkey or signer key) or takes the
// argument itself when it is not a readable file.
std::string KeyArg(const std::string& arg) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(arg, ec)) {
    auto text = ReadInput(arg, 64 * 1024);
    if (text.ok()) {
      std::string t = *text;
      return t.substr(0, t.find('\n'));
    }
  }
  return arg;
}

// ---- revoke / suspend / unsuspend -------------------------------------------

struct StatusArgs {
  std::string server;
  std::string key;
  std::string credential;
  std::string reason;
  std::string purpose;
};

int RunStatusChange(const StatusArgs& a, std::string_view action) {
  if (a.key.empty()) return ReportError(InvalidArgumentError("--key (an API key) is required"));
  std::string purpose = a.purpose;
  if (purpose.empty()) purpose = action == "revoke" ? "revocation" : "suspension";
  json::Object entry;
  entry["type"] = "BitstringStatusListEntry";
  entry["statusPurpose"] = purpose;
  entry["status"] = action != "unsuspend";
  json::Object body;
  body["credentialId"] = app::NormalizeCredentialId(a.credential);
  body["credentialStatus"] = std::move(entry);
  body["reason"] = a.reason;
  Result<json::Value> r = CallJson(
      a.server, server::ApiRequest{.method = "POST",
                                   .path = "/credentials/status",
                                   .headers = {{"Authorization", "Bearer " + a.key}},
                                   .body = json::Serialize(body)});
  if (!r.ok()) return ReportError(r.error());
  WriteStdout(json::Serialize(*r) + "\n");
  return kExitOk;
}

void AddStatusChangeCommand(CLI::App& app, const std::string& name, const std::string& help) {
  auto a = std::make_shared<StatusArgs>();
  auto* cmd = app.add_subcommand(name, help);
  cmd->add_option("--server", a->server, "credstack server URL")->required();
  cmd->add_option("--key", a->key, "API key (issuer or admin role) [CREDSTACK_API_KEY]")
      ->envname("CREDSTACK_API_KEY");
  cmd->add_option("--reason", a->reason, "Why (kept in the audit trail)");
  cmd->add_option("--purpose", a->purpose,
                  "Status purpose (default: revocation for revoke, suspension otherwise)");
  cmd->add_option("credential", a->credential, "Credential id (urn:uuid:... or the UUID)")
      ->required();
  cmd->callback([a, name] { ExitCode() = RunStatusChange(*a, name); });
}

// ---- log checkpoint / proof / consistency --------------------------------------

struct LogClientArgs {
  std::string server;
  std::string log_key;
  std::string credential;
  std::string event = "issued";
  uint64_t size = 0;
  uint64_t from = 0;
  uint64_t to = 0;
};

int RunCheckpoint(const LogClientArgs& a) {
  server::HttpClient http;
  auto note = app::FetchCheckpoint(http, LogUrl(a.server));
  if (!note.ok()) return ReportError(note.error());
  if (!a.log_key.empty()) {
    auto key = tlog::Ed25519NoteVerifier::FromVerifierKey(KeyArg(a.log_key));
    if (!key.ok()) return ReportError(key.error());
    auto opened = tlog::OpenCheckpoint(*note, (*key)->name(), **key);
    if (!opened.ok()) return ReportError(opened.error());
  }
  WriteStdout(*note);
  return kExitOk;
}

int RunProof(const LogClientArgs& a) {
  auto cred = ReadJsonFile(a.credential);
  if (!cred.ok()) return ReportError(cred.error());
  auto hash = app::CredentialHash(*cred);
  if (!hash.ok()) return ReportError(hash.error());
  server::HttpClient http;
  app::HttpFetchRequest req;
  req.url = LogUrl(a.server) + "/proof/inclusion?hash=" + HexEncode(*hash) + "&event=" + a.event;
  if (a.size > 0) req.url += "&size=" + std::to_string(a.size);
  auto r = http.Fetch(req);
  if (!r.ok()) return ReportError(r.error());
  if (r->status != 200) {
    std::fprintf(stderr, "credstack: %s answered %d: %s\n", req.url.c_str(), r->status,
                 r->body.substr(0, 2000).c_str());
    return r->status == 404 ? kExitFailed : kExitUsage;
  }
  auto v = json::Parse(r->body);
  if (!v.ok()) return ReportError(v.error());
  auto bundle = app::LogBundle::FromJson(*v);
  if (!bundle.ok()) return ReportError(bundle.error());
  WriteStdout(json::SerializePretty(bundle->ToJson()) + "\n");
  return kExitOk;
}

int RunConsistency(const LogClientArgs& a) {
  server::HttpClient http;
  auto proof = app::FetchConsistencyProof(http, LogUrl(a.server), a.from, a.to);
  if (!proof.ok()) return ReportError(proof.error());
  json::Object o;
  o["from"] = a.from;
  o["to"] = a.to;
  json::Array hashes;
  for (const tlog::Hash& h : *proof) hashes.push_back(json::Value(Base64Encode(h)));
  o["consistencyProof"] = std::move(hashes);
  WriteStdout(json::SerializePretty(o) + "\n");
  return kExitOk;
}

// ---- log verify -----------------------------------------------------------------

struct AuditArgs {
  std::string data;
  std::string database;
  std::string log_key;
  std::vector<std::string> known;
  bool skip_credentials = false;
};

int RunAudit(const AuditArgs& a) {
  std::string location = a.database;
  if (location.empty()) {
    if (a.data.empty()) return ReportError(InvalidArgumentError("--data or --database is required"));
    location = (std::filesystem::path(a.data) / "credstack.db").string();
  }
  auto store = store::OpenStore(location);
  if (!store.ok()) return ReportError(store.error());
  app::LogAuditOptions options;
  options.check_credentials = !a.skip_credentials;
  std::unique_ptr<tlog::Ed25519NoteVerifier> key;
  std::string vkey = a.log_key;
  if (vkey.empty() && !a.data.empty()) {
    // The server's own key file, when readable.
    auto signer = app::LoadOrCreateLogKey((std::filesystem::path(a.data) / "log-key").string(), "",
                                          false);
    if (signer.ok()) vkey = (*signer)->verifier_key();
  }
  if (!vkey.empty()) {
    auto k = tlog::Ed25519NoteVerifier::FromVerifierKey(KeyArg(vkey));
    if (!k.ok()) return ReportError(k.error());
    key = std::move(*k);
    options.log_key = key.get();
  }
  for (const std::string& f : a.known) {
    auto text = ReadInput(f, 64 * 1024);
    if (!text.ok()) return ReportError(text.error());
    options.known_checkpoints.push_back(*text);
  }
  auto report = app::AuditLog(**store, options);
  if (!report.ok()) return ReportError(report.error());
  for (const std::string& p : report->problems) WriteStdout("PROBLEM: " + p + "\n");
  WriteStdout(report->Summary() + "\n");
  return report->ok() ? kExitOk : kExitFailed;
}

// ---- log monitor / witness --------------------------------------------------------

struct MonitorArgs {
  std::string server;
  std::string state;
  std::string log_key;
  std::string key;  // witness signer key file
  int count = 1;
  std::string interval = "60s";
  bool submit = true;
};

// Writes `content` to path atomically (temp file + rename), mode 0600.
Status WriteState(const std::string& path, std::string_view content) {
  std::string tmp = path + ".tmp";
  std::filesystem::remove(tmp);
  CREDSTACK_RETURN_IF_ERROR(app::CreatePrivateFile(tmp, content));
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return UnavailableError("cannot replace " + path + ": " + ec.message());
  return OkStatus();
}

// One monitoring round; fills `latest` with the new trusted note.
Result<app::CheckpointAdvance> MonitorRound(const MonitorArgs& a, const tlog::NoteVerifier& key,
                                            const server::HttpClient& http, std::string& latest) {
  std::string trusted;
  std::error_code ec;
  if (std::filesystem::exists(a.state, ec)) {
    CREDSTACK_ASSIGN_OR_RETURN(trusted, ReadInput(a.state, 64 * 1024));
  }
  const std::string log_url = LogUrl(a.server);
  CREDSTACK_ASSIGN_OR_RETURN(latest, app::FetchCheckpoint(http, log_url));
  return app::CheckAdvance(trusted, latest, key, [&](uint64_t from, uint64_t to) {
    return app::FetchConsistencyProof(http, log_url, from, to);
  });
}

int RunMonitor(const MonitorArgs& a) {
  auto key = tlog::Ed25519NoteVerifier::FromVerifierKey(KeyArg(a.log_key));
  if (!key.ok()) return ReportError(key.error());
  auto interval = server::ParseDuration(a.interval);
  if (!interval.ok()) return ReportError(interval.error());
  server::HttpClient http;
  for (int round = 0; a.count <= 0 || round < a.count; ++round) {
    if (round > 0) std::this_thread::sleep_for(*interval);
    std::string latest;
    auto adv = MonitorRound(a, **key, http, latest);
    if (!adv.ok()) {
      std::fprintf(stderr, "credstack: monitor: %s\n", adv.error().message().c_str());
      if (adv.error().code() == Code::kUnauthenticated) {
        WriteStdout("ALERT: checkpoint not signed by the log key: " + adv.error().message() + "\n");
        return kExitFailed;
      }
      continue;  // network trouble: try again next round
    }
    if (adv->alert()) {
      WriteStdout("ALERT: " + std::string(app::AdvanceKindName(adv->kind)) + ": " + adv->detail + "\n");
      return kExitFailed;
    }
    if (adv->kind != app::AdvanceKind::kUnchanged) {
      if (Status s = WriteState(a.state, latest); !s.ok()) return ReportError(s);
    }
    WriteStdout(std::string(app::AdvanceKindName(adv->kind)) + ": " + adv->detail + "\n");
  }
  return kExitOk;
}

int RunWitness(const MonitorArgs& a) {
  auto log_key = tlog::Ed25519NoteVerifier::FromVerifierKey(KeyArg(a.log_key));
  if (!log_key.ok()) return ReportError(log_key.error());
  auto text = ReadInput(a.key, 4096);
  if (!text.ok()) return ReportError(text.error());
  auto base = tlog::Ed25519NoteSigner::FromSignerKey(Trim(*text));
  if (!base.ok()) return ReportError(base.error());
  tlog::CosignatureSigner cosigner((*base)->name(), (*base)->key_pair(), SystemClock::Instance());
  server::HttpClient http;
  std::string latest;
  auto adv = MonitorRound(a, **log_key, http, latest);
  if (!adv.ok()) return ReportError(adv.error());
  if (adv->alert()) {
    WriteStdout("ALERT: " + std::string(app::AdvanceKindName(adv->kind)) + ": " + adv->detail +
                " (not cosigned)\n");
    return kExitFailed;
  }
  // c2sp.org/tlog-cosignature: sign the checkpoint text, keep the log's
  // signature (and any other cosignatures) on the note.
  auto note = tlog::ParseNote(latest);
  if (!note.ok()) return ReportError(note.error());
  const tlog::NoteSigner* signers[] = {&cosigner};
  auto cosigned = tlog::AddSignatures(*note, signers);
  if (!cosigned.ok()) return ReportError(cosigned.error());
  if (Status s = WriteState(a.state, latest); !s.ok()) return ReportError(s);
  std::string line = cosigned->substr(cosigned->rfind("\n\u2014 " + cosigner.name() + " ") + 1);
  WriteStdout(line);
  if (a.submit) {
    app::HttpFetchRequest req;
    req.method = "POST";
    req.url = LogUrl(a.server) + "/cosignatures";
    req.headers = {{"Content-Type", "text/plain"}};
    req.body = *cosigned;
    auto r = http.Fetch(req);
    if (!r.ok()) return ReportError(r.error());
    if (r->status != 200) {
      std::fprintf(stderr, "credstack: %s answered %d: %s\n", req.url.c_str(), r->status,
                   r->body.substr(0, 1000).c_str());
      return kExitFailed;
    }
  }
  std::fprintf(stderr, "%s: %s\n", std::string(app::AdvanceKindName(adv->kind)).c_str(),
               adv->detail.c_str());
  return kExitOk;
}

struct KeygenArgs {
  std::string name;
  std::string out;
  bool witness = false;
};

int RunKeygen(const KeygenArgs& a) {
  if (!tlog::IsValidKeyName(a.name)) return ReportError(InvalidArgumentError("invalid key name"));
  tlog::Ed25519NoteSigner signer(a.name, crypto::Ed25519KeyPair::Generate());
  if (Status s = app::CreatePrivateFile(a.out, signer.signer_key() + "\n"); !s.ok()) {
    return ReportError(s);
  }
  if (a.witness) {
    tlog::CosignatureSigner c(a.name, signer.key_pair(), SystemClock::Instance());
    WriteStdout(c.verifier_key() + "\n");
  } else {
    WriteStdout(signer.verifier_key() + "\n");
  }
  return kExitOk;
}

}  // namespace

void AddStatusLogCommands(CLI::App& app) {
  AddStatusChangeCommand(app, "revoke", "Revoke a credential on a credstack server (permanent)");
  AddStatusChangeCommand(app, "suspend", "Suspend a credential on a credstack server");
  AddStatusChangeCommand(app, "unsuspend", "Lift a credential's suspension");

  auto* log = app.add_subcommand("log", "Transparency log: checkpoints, proofs, audits, monitoring");
  log->require_subcommand(1);
  auto la = std::make_shared<LogClientArgs>();
  auto* cp = log->add_subcommand("checkpoint", "Print a server's latest signed checkpoint");
  cp->add_option("--server", la->server, "credstack server URL")->required();
  cp->add_option("--log-key", la->log_key, "Verify it with this log vkey (or a file holding it)");
  cp->callback([la] { ExitCode() = RunCheckpoint(*la); });
  auto* proof = log->add_subcommand(
      "proof", "Fetch the inclusion proof of a credential as a log bundle (JSON on stdout)");
  proof->add_option("--server", la->server, "credstack server URL")->required();
  proof->add_option("--size", la->size, "Prove against the checkpoint of this size");
  proof->add_option("--event", la->event, "Leaf event (issued, revoked, suspended, ...)")
      ->capture_default_str();
  proof->add_option("credential", la->credential, "The credential (JSON file, - for stdin)")
      ->required();
  proof->callback([la] { ExitCode() = RunProof(*la); });
  auto* cons = log->add_subcommand("consistency", "Fetch a consistency proof between two sizes");
  cons->add_option("--server", la->server, "credstack server URL")->required();
  cons->add_option("--from", la->from, "Older tree size")->required();
  cons->add_option("--to", la->to, "Newer tree size")->required();
  cons->callback([la] { ExitCode() = RunConsistency(*la); });

  auto aa = std::make_shared<AuditArgs>();
  auto* verify = log->add_subcommand(
      "verify",
      "Recompute the log from storage and report altered, removed or reordered leaves, "
      "checkpoints that do not match, and credentials missing from the log (exit 1 if any)");
  verify->add_option("--data", aa->data, "Data directory (SQLite database and log key)");
  verify->add_option("--database", aa->database, "Database URL (sqlite path or postgres://...)");
  verify->add_option("--log-key", aa->log_key, "Log vkey (default: DATA/log-key's)");
  verify->add_option("--known", aa->known,
                     "A checkpoint seen elsewhere (e.g. a monitor's state file); repeatable")
      ->allow_extra_args(false);
  verify->add_flag("--skip-credentials", aa->skip_credentials,
                   "Do not check that every stored credential has an issued leaf");
  verify->callback([aa] { ExitCode() = RunAudit(*aa); });

  auto ma = std::make_shared<MonitorArgs>();
  auto* mon = log->add_subcommand(
      "monitor",
      "Check that a log only grows: verify each new checkpoint is consistent with the last "
      "trusted one (kept in --state); prints ALERT and exits 1 on a fork or rollback");
  mon->add_option("--server", ma->server, "credstack server URL")->required();
  mon->add_option("--state", ma->state, "File holding the last trusted checkpoint")->required();
  mon->add_option("--log-key", ma->log_key, "The log's vkey (or a file holding it)")->required();
  mon->add_option("--count", ma->count, "Rounds to run (0: forever)")->capture_default_str();
  mon->add_option("--interval", ma->interval, "Time between rounds")->capture_default_str();
  mon->callback([ma] { ExitCode() = RunMonitor(*ma); });

  auto ka = std::make_shared<KeygenArgs>();
  auto* keygen = log->add_subcommand(
      "keygen", "Create a signed-note Ed25519 key file (log or witness key); prints the vkey");
  keygen->add_option("--name", ka->name, "Key name (a log's origin, a witness's name)")->required();
  keygen->add_option("--out", ka->out, "Key file to create (mode 0600)")->required();
  keygen->add_flag("--witness", ka->witness, "Print the cosignature (type 0x04) vkey");
  keygen->callback([ka] { ExitCode() = RunKeygen(*ka); });

  auto vk = std::make_shared<std::string>();
  auto* vkey = log->add_subcommand("vkey", "Print the verifier key of a log or witness key file");
  vkey->add_option("--key-file", *vk, "Signer key file (e.g. DATA/log-key)")->required();
  auto witness_vkey = std::make_shared<bool>(false);
  vkey->add_flag("--witness", *witness_vkey, "Print the cosignature (type 0x04) vkey");
  vkey->callback([vk, witness_vkey] {
    auto signer = app::LoadOrCreateLogKey(*vk, "", false);
    if (!signer.ok()) {
      ExitCode() = ReportError(signer.error());
      return;
    }
    if (*witness_vkey) {
      tlog::CosignatureSigner c((*signer)->name(), (*signer)->key_pair(), SystemClock::Instance());
      WriteStdout(c.verifier_key() + "\n");
    } else {
      WriteStdout((*signer)->verifier_key() + "\n");
    }
  });

  auto wa = std::make_shared<MonitorArgs>();
  auto* witness = app.add_subcommand(
      "witness",
      "Cosign a log's latest checkpoint (c2sp.org/tlog-cosignature) after checking it is "
      "consistent with the last one cosigned; prints the cosignature line and posts it");
  witness->add_option("--server", wa->server, "credstack server URL")->required();
  witness->add_option("--key", wa->key, "Witness key file (credstack log keygen --witness)")
      ->required();
  witness->add_option("--log-key", wa->log_key, "The log's vkey (or a file holding it)")
      ->required();
  witness->add_option("--state", wa->state, "File holding the last cosigned checkpoint")
      ->required();
  witness->add_flag("!--no-submit", wa->submit, "Do not POST the cosignature to the server");
  witness->callback([wa] { ExitCode() = RunWitness(*wa); });
}

}  // namespace credstack::cli
