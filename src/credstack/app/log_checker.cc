#include "credstack/app/log_checker.h"

#include <algorithm>

#include "credstack/app/log_leaf.h"
#include "credstack/app/log_service.h"
#include "credstack/tlog/checkpoint.h"
#include "credstack/tlog/proof.h"
#include "credstack/vc/structure.h"

namespace credstack::app {
namespace {

constexpr size_t kMaxProofHashes = 64;

Result<uint64_t> GetUint(const json::Object& o, std::string_view key) {
  const json::Value* v = o.if_contains(key);
  if (v && v->is_uint64()) return v->as_uint64();
  if (v && v->is_int64() && v->as_int64() >= 0) return static_cast<uint64_t>(v->as_int64());
  return InvalidArgumentError("log bundle: " + std::string(key) + " must be a non-negative integer");
}

}  // namespace

json::Value LogBundle::ToJson() const {
  json::Object o;
  o["type"] = std::string(kLogBundleType);
  o["checkpoint"] = checkpoint;
  o["leafIndex"] = leaf_index;
  o["treeSize"] = tree_size;
  o["leaf"] = Base64Encode(leaf);
  json::Array proof;
  for (const tlog::Hash& h : inclusion_proof) proof.push_back(json::Value(Base64Encode(h)));
  o["inclusionProof"] = std::move(proof);
  return o;
}

Result<LogBundle> LogBundle::FromJson(const json::Value& v) {
  const json::Object* o = v.if_object();
  if (o == nullptr) return InvalidArgumentError("log bundle must be a JSON object");
  if (json::GetString(*o, "type") != kLogBundleType) {
    return InvalidArgumentError("log bundle: type must be " + std::string(kLogBundleType));
  }
  LogBundle b;
  auto cp = json::GetString(*o, "checkpoint");
  auto leaf = json::GetString(*o, "leaf");
  const json::Array* proof = json::GetArray(*o, "inclusionProof");
  if (!cp || !leaf || !proof) {
    return InvalidArgumentError("log bundle: checkpoint, leaf and inclusionProof are required");
  }
  b.checkpoint = std::string(*cp);
  CREDSTACK_ASSIGN_OR_RETURN(b.leaf_index, GetUint(*o, "leafIndex"));
  CREDSTACK_ASSIGN_OR_RETURN(b.tree_size, GetUint(*o, "treeSize"));
  CREDSTACK_ASSIGN_OR_RETURN(b.leaf, Base64Decode(*leaf));
  if (b.leaf.size() > 65535) return InvalidArgumentError("log bundle: leaf too large");
  if (proof->size() > kMaxProofHashes) return ResourceExhaustedError("log bundle: proof too long");
  for (const json::Value& h : *proof) {
    if (!h.is_string()) return InvalidArgumentError("log bundle: proof hashes must be strings");
    CREDSTACK_ASSIGN_OR_RETURN(Bytes bytes, Base64Decode(h.get_string()));
    if (bytes.size() != 32) return InvalidArgumentError("log bundle: proof hash of wrong length");
    tlog::Hash hash;
    std::copy(bytes.begin(), bytes.end(), hash.begin());
    b.inclusion_proof.push_back(hash);
  }
  return b;
}

Status StaticLogProofSource::Add(LogBundle bundle) {
  CREDSTACK_ASSIGN_OR_RETURN(LogEvent ev, DecodeLogLeaf(bundle.leaf));
  bundles_[ev.credential_hash] = std::move(bundle);
  return OkStatus();
}

Result<LogBundle> StaticLogProofSource::Find(const crypto::Sha256Digest& hash,
                                             const json::Object&) const {
  auto it = bundles_.find(hash);
  if (it == bundles_.end()) return NotFoundError("no supplied log bundle for this credential");
  return it->second;
}

Result<LogBundle> LocalLogProofSource::Find(const crypto::Sha256Digest& hash,
                                            const json::Object&) const {
  CREDSTACK_ASSIGN_OR_RETURN(InclusionProofResult r, log_->ProveInclusion(hash));
  return LogBundle{.checkpoint = std::move(r.checkpoint),
                   .leaf_index = r.leaf_index,
                   .tree_size = r.tree_size,
                   .leaf = std::move(r.leaf),
                   .inclusion_proof = std::move(r.proof)};
}

std::string HttpLogProofSource::Describe() const {
  std::string out;
  for (const std::string& u : urls_) out += (out.empty() ? "" : ", ") + u;
  return out.empty() ? "no log URL" : out;
}

Result<LogBundle> HttpLogProofSource::Find(const crypto::Sha256Digest& hash,
                                           const json::Object&) const {
  Status last = NotFoundError("no log URL configured");
  for (const std::string& base : urls_) {
    HttpFetchRequest req;
    req.url = base + "/proof/inclusion?hash=" + HexEncode(hash);
    req.headers = {{"Accept", "application/json"}};
    req.max_response_bytes = 256 * 1024;
    Result<HttpFetchResponse> resp = fetcher_->Fetch(req);
    if (!resp.ok()) {
      last = resp.status();
      continue;
    }
    if (resp->status == 404) {
      last = NotFoundError(base + " has no issued leaf for this credential");
      continue;
    }
    if (resp->status != 200) {
      last = UnavailableError(base + " answered " + std::to_string(resp->status));
      continue;
    }
    CREDSTACK_ASSIGN_OR_RETURN(json::Value v, json::Parse(resp->body));
    return LogBundle::FromJson(v);
  }
  return last;
}

Status TrustedLogs::AddKey(std::string_view vkey, std::string url) {
  CREDSTACK_ASSIGN_OR_RETURN(std::unique_ptr<tlog::Ed25519NoteVerifier> v,
                             tlog::Ed25519NoteVerifier::FromVerifierKey(vkey));
  std::string origin = v->name();
  logs.push_back(TrustedLog{.origin = std::move(origin), .key = std::move(v), .url = std::move(url)});
  return OkStatus();
}

Result<TrustedLogs> TrustedLogs::FromJson(const json::Value& v) {
  const json::Object* o = v.if_object();
  if (o == nullptr) return InvalidArgumentError("trusted logs: must be a JSON object");
  TrustedLogs out;
  const json::Array* logs = json::GetArray(*o, "logs");
  if (logs == nullptr) return InvalidArgumentError("trusted logs: \"logs\" array is required");
  for (const json::Value& l : *logs) {
    const json::Object* lo = l.if_object();
    auto key = lo ? json::GetString(*lo, "key") : std::nullopt;
    if (!key) return InvalidArgumentError("trusted logs: each log needs a \"key\" (vkey)");
    CREDSTACK_RETURN_IF_ERROR(out.AddKey(*key, std::string(json::GetString(*lo, "url").value_or(""))));
    if (auto origin = json::GetString(*lo, "origin"); origin && *origin != out.logs.back().origin) {
      return InvalidArgumentError("trusted logs: origin \"" + std::string(*origin) +
                                  "\" differs from its key's name");
    }
  }
  if (const json::Value* w = o->if_contains("witnesses")) {
    const json::Object* wo = w->if_object();
    const json::Array* keys = wo ? json::GetArray(*wo, "keys") : nullptr;
    if (!keys) return InvalidArgumentError("trusted logs: witnesses need \"keys\"");
    std::vector<std::string> vkeys;
    for (const json::Value& k : *keys) {
      if (!k.is_string()) return InvalidArgumentError("trusted logs: witness keys are strings");
      vkeys.emplace_back(k.get_string());
    }
    CREDSTACK_ASSIGN_OR_RETURN(uint64_t quorum, GetUint(*wo, "quorum"));
    CREDSTACK_ASSIGN_OR_RETURN(tlog::WitnessPolicy p, tlog::WitnessPolicy::Create(vkeys, quorum));
    out.witnesses = std::move(p);
  }
  return out;
}

Status LogChecker::VerifyBundle(const LogBundle& b, const crypto::Sha256Digest& hash,
                                std::string_view issuer, std::string* detail) const {
  CREDSTACK_ASSIGN_OR_RETURN(tlog::Note note, tlog::ParseNote(b.checkpoint));
  CREDSTACK_ASSIGN_OR_RETURN(tlog::Checkpoint cp, tlog::ParseCheckpoint(note.text));
  const TrustedLog* trusted = nullptr;
  for (const TrustedLog& l : options_.trusted.logs) {
    if (l.origin == cp.origin) trusted = &l;
  }
  if (trusted == nullptr) return NotFoundError("checkpoint of untrusted log \"" + cp.origin + "\"");
  std::string witnesses;
  if (options_.trusted.witnesses) {
    Result<tlog::CosignedCheckpoint> opened =
        tlog::OpenCosignedCheckpoint(b.checkpoint, cp.origin, *trusted->key, *options_.trusted.witnesses);
    if (!opened.ok()) {
      return UnauthenticatedError("checkpoint: " + opened.error().message());
    }
    for (const tlog::WitnessCosignature& c : opened->cosignatures) {
      witnesses += (witnesses.empty() ? "" : ", ") + c.name;
    }
  } else {
    Result<tlog::OpenedCheckpoint> opened = tlog::OpenCheckpoint(b.checkpoint, cp.origin, *trusted->key);
    if (!opened.ok()) return UnauthenticatedError("checkpoint: " + opened.error().message());
  }
  if (b.tree_size != cp.size) {
    return UnauthenticatedError("bundle tree size differs from its checkpoint");
  }
  Result<LogEvent> ev = DecodeLogLeaf(b.leaf);
  if (!ev.ok()) return UnauthenticatedError("leaf: " + ev.error().message());
  if (ev->credential_hash != hash) return UnauthenticatedError("the leaf is about another credential");
  if (ev->type != LogEventType::kIssued) return UnauthenticatedError("the leaf is not an issued event");
  if (!issuer.empty() && ev->issuer != issuer) {
    return UnauthenticatedError("the leaf names issuer " + ev->issuer);
  }
  // RFC 9162 §2.1.3.2: the audit path from the leaf hash must lead to the
  // checkpoint's root.
  Status inc = tlog::VerifyInclusion(b.leaf_index, b.tree_size, tlog::HashLeaf(b.leaf),
                                     b.inclusion_proof, cp.root);
  if (!inc.ok()) return UnauthenticatedError("inclusion proof: " + inc.message());
  *detail = "issued " + FormatDateTime(ev->time) + ", leaf " + std::to_string(b.leaf_index) +
            " in checkpoint " + cp.origin + " size " + std::to_string(cp.size);
  if (!witnesses.empty()) *detail += ", cosigned by " + witnesses;
  return OkStatus();
}

vc::Check LogChecker::CheckLogged(const json::Object& credential, const vc::VerifyOptions&) const {
  vc::Check check{std::string(vc::kCheckLogged), false, ""};
  Result<crypto::Sha256Digest> hash = CredentialHash(json::Value(credential));
  if (!hash.ok()) {
    check.detail = "cannot hash the credential: " + hash.error().message();
    return check;
  }
  const std::string issuer = vc::IssuerId(credential);
  const std::string cache_key = HexEncode(*hash) + " " + issuer;
  if (options_.max_cached_proofs > 0) {
    std::lock_guard lock(mu_);
    if (auto it = proven_.find(cache_key); it != proven_.end()) {
      check.ok = true;
      check.detail = it->second;
      return check;
    }
  }
  std::string absent;
  for (const auto& source : options_.sources) {
    Result<LogBundle> b = source->Find(*hash, credential);
    if (!b.ok()) {
      absent += (absent.empty() ? "" : "; ") + source->Describe() + ": " + b.error().message();
      continue;
    }
    std::string detail;
    Status s = VerifyBundle(*b, *hash, issuer, &detail);
    if (s.ok()) {
      check.ok = true;
      check.detail = detail;
      if (options_.max_cached_proofs > 0) {
        std::lock_guard lock(mu_);
        if (proven_.size() >= options_.max_cached_proofs) proven_.clear();
        proven_.emplace(cache_key, detail);
      }
      return check;
    }
    if (s.code() == Code::kNotFound) {
      absent += (absent.empty() ? "" : "; ") + source->Describe() + ": " + s.message();
      continue;
    }
    // Evidence that does not verify is never informational.
    check.detail = "log evidence from " + source->Describe() + " does not verify: " + s.message();
    return check;
  }
  if (absent.empty()) absent = "no log proof source configured";
  check.ok = !options_.required;
  check.detail = (options_.required ? "NOT LOGGED: " : "not logged (informational): ") + absent;
  return check;
}

}  // namespace credstack::app
