#pragma once

// The verifier's "logged" check (vc::LogChecker): the credential's
// "issued" leaf (docs/formats/log-leaf.md; hash = CredentialHash) is
// included in a checkpoint signed by a trusted log key, optionally cosigned
// by k of n named witnesses (tlog::WitnessPolicy). The proof comes as a
// "log bundle" (docs/formats/log-bundle.md): supplied offline alongside the
// credential, fetched from the log over HTTP, or read from this node's own
// log.
//
// Outcomes: a valid proof passes; evidence that does not verify (bad
// checkpoint signature, missing witness quorum, a leaf about another
// credential, an inclusion proof that does not lead to the root) fails;
// a credential that is absent from every log consulted, or whose log
// cannot be reached or is not trusted, fails only when the operator
// requires the check (`required`), and is otherwise reported with ok=true
// and a detail starting "not logged (informational)".

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/app/http_fetcher.h"
#include "credstack/base/status.h"
#include "credstack/crypto/sha.h"
#include "credstack/json/json.h"
#include "credstack/tlog/cosignature.h"
#include "credstack/tlog/merkle.h"
#include "credstack/tlog/note.h"
#include "credstack/vc/verify.h"

namespace credstack::app {

class LogService;

inline constexpr std::string_view kLogBundleType = "credstack-log-bundle/v1";

// An inclusion proof with everything needed to check it offline.
struct LogBundle {
  std::string checkpoint;  // the signed checkpoint note (with cosignatures)
  uint64_t leaf_index = 0;
  uint64_t tree_size = 0;
  Bytes leaf;
  std::vector<tlog::Hash> inclusion_proof;

  json::Value ToJson() const;
  // Strict: the type, every member, base64 of the right lengths, at most 64
  // proof hashes. kInvalidArgument otherwise.
  static Result<LogBundle> FromJson(const json::Value& v);
};

// Where bundles come from, tried in order.
class LogProofSource {
 public:
  virtual ~LogProofSource() = default;
  // The bundle for the "issued" leaf of the credential; kNotFound when the
  // source does not have it; other errors when it could not be asked.
  virtual Result<LogBundle> Find(const crypto::Sha256Digest& credential_hash,
                                 const json::Object& credential) const = 0;
  virtual std::string Describe() const = 0;
};

// Bundles supplied offline (files next to the credentials).
class StaticLogProofSource final : public LogProofSource {
 public:
  // Indexes the bundle by the credential hash in its leaf.
  Status Add(LogBundle bundle);
  Result<LogBundle> Find(const crypto::Sha256Digest& credential_hash,
                         const json::Object& credential) const override;
  std::string Describe() const override { return "the supplied log bundles"; }

 private:
  std::map<crypto::Sha256Digest, LogBundle> bundles_;
};

// This node's own log (no HTTP).
class LocalLogProofSource final : public LogProofSource {
 public:
  explicit LocalLogProofSource(std::shared_ptr<const LogService> log) : log_(std::move(log)) {}
  Result<LogBundle> Find(const crypto::Sha256Digest& credential_hash,
                         const json::Object& credential) const override;
  std::string Describe() const override { return "this server's log"; }

 private:
  std::shared_ptr<const LogService> log_;
};

// GET <log url>/proof/inclusion?hash=<hex> on each configured log URL.
class HttpLogProofSource final : public LogProofSource {
 public:
  HttpLogProofSource(std::shared_ptr<const HttpFetcher> fetcher, std::vector<std::string> log_urls)
      : fetcher_(std::move(fetcher)), urls_(std::move(log_urls)) {}
  Result<LogBundle> Find(const crypto::Sha256Digest& credential_hash,
                         const json::Object& credential) const override;
  std::string Describe() const override;

 private:
  std::shared_ptr<const HttpFetcher> fetcher_;
  std::vector<std::string> urls_;
};

struct TrustedLog {
  std::string origin;
  std::shared_ptr<const tlog::Ed25519NoteVerifier> key;
  std::string url;  // optional: where to fetch proofs (".../log")
};

// A trusted-logs file (docs/formats/log-bundle.md):
//   {"logs": [{"origin": "...", "key": "<vkey>", "url": "https://.../log"}],
//    "witnesses": {"quorum": 1, "keys": ["<cosignature vkey>", ...]}}
struct TrustedLogs {
  std::vector<TrustedLog> logs;
  std::optional<tlog::WitnessPolicy> witnesses;
  static Result<TrustedLogs> FromJson(const json::Value& v);
  // One log from its verifier key; the origin is the key name.
  Status AddKey(std::string_view vkey, std::string url = "");
};

struct LogCheckerOptions {
  TrustedLogs trusted;
  // Credentials proven logged are remembered (an inclusion proof stays
  // valid evidence in an append-only log), so verifying the same credential
  // again costs no proof lookup. 0 disables.
  size_t max_cached_proofs = 100'000;
  // When true, a credential not proven logged fails verification.
  bool required = false;
  std::vector<std::shared_ptr<const LogProofSource>> sources;
};

// Thread-safe.
class LogChecker final : public vc::LogChecker {
 public:
  explicit LogChecker(LogCheckerOptions options) : options_(std::move(options)) {}
  LogChecker(const LogChecker&) = delete;
  LogChecker& operator=(const LogChecker&) = delete;
  vc::Check CheckLogged(const json::Object& credential,
                        const vc::VerifyOptions& options) const override;
  // Checks one bundle for a credential hash and issuer: OK, or the reason
  // the evidence does not hold (kUnauthenticated) or is not for a trusted
  // log (kNotFound).
  Status VerifyBundle(const LogBundle& bundle, const crypto::Sha256Digest& credential_hash,
                      std::string_view issuer, std::string* detail) const;

 private:
  LogCheckerOptions options_;
  mutable std::mutex mu_;
  // credential hash + issuer -> the detail of the verified proof
  mutable std::map<std::string, std::string, std::less<>> proven_;
};

}  // namespace credstack::app
