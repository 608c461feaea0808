#include "credstack/app/log_monitor.h"

#include "credstack/json/json.h"
#include "credstack/tlog/proof.h"

namespace credstack::app {

std::string_view AdvanceKindName(AdvanceKind k) {
  switch (k) {
    case AdvanceKind::kFirst: return "first";
    case AdvanceKind::kUnchanged: return "unchanged";
    case AdvanceKind::kAdvanced: return "advanced";
    case AdvanceKind::kRollback: return "ROLLBACK";
    case AdvanceKind::kFork: return "FORK";
  }
  return "unknown";
}

Result<CheckpointAdvance> CheckAdvance(std::string_view trusted_note, std::string_view latest_note,
                                       const tlog::NoteVerifier& log_key,
                                       const ConsistencyFn& consistency) {
  CheckpointAdvance out;
  CREDSTACK_ASSIGN_OR_RETURN(tlog::OpenedCheckpoint latest,
                             tlog::OpenCheckpoint(latest_note, log_key.name(), log_key));
  out.latest = latest.checkpoint;
  if (trusted_note.empty()) {
    out.kind = AdvanceKind::kFirst;
    out.detail = "trusting the first checkpoint seen, size " + std::to_string(out.latest.size);
    return out;
  }
  CREDSTACK_ASSIGN_OR_RETURN(tlog::OpenedCheckpoint trusted,
                             tlog::OpenCheckpoint(trusted_note, log_key.name(), log_key));
  out.trusted = trusted.checkpoint;
  const uint64_t a = out.trusted.size, b = out.latest.size;
  if (b < a) {
    out.kind = AdvanceKind::kRollback;
    out.detail = "the log shrank from " + std::to_string(a) + " to " + std::to_string(b) + " entries";
    return out;
  }
  if (b == a) {
    out.kind = out.trusted.root == out.latest.root ? AdvanceKind::kUnchanged : AdvanceKind::kFork;
    out.detail = out.kind == AdvanceKind::kUnchanged
                     ? "no new entries (size " + std::to_string(a) + ")"
                     : "two different trees of size " + std::to_string(a) + " signed by the log";
    return out;
  }
  Result<std::vector<tlog::Hash>> proof = consistency(a, b);
  if (!proof.ok()) {
    if (proof.error().code() == Code::kInvalidArgument || proof.error().code() == Code::kNotFound) {
      out.kind = AdvanceKind::kFork;
      out.detail = "the log cannot prove " + std::to_string(b) + " extends " + std::to_string(a) +
                   ": " + proof.error().message();
      return out;
    }
    return proof.status();  // could not ask: not evidence of anything
  }
  // RFC 9162 §2.1.4.2.
  Status s = tlog::VerifyConsistency(a, b, *proof, out.trusted.root, out.latest.root);
  if (!s.ok()) {
    out.kind = AdvanceKind::kFork;
    out.detail = "checkpoint " + std::to_string(b) + " is not consistent with trusted checkpoint " +
                 std::to_string(a) + ": " + s.message();
    return out;
  }
  out.kind = AdvanceKind::kAdvanced;
  out.detail = "grew consistently from " + std::to_string(a) + " to " + std::to_string(b);
  return out;
}

Result<std::string> FetchCheckpoint(const HttpFetcher& http, std::string_view log_url) {
  HttpFetchRequest req;
  req.url = std::string(log_url) + "/checkpoint";
  req.max_response_bytes = 64 * 1024;
  CREDSTACK_ASSIGN_OR_RETURN(HttpFetchResponse r, http.Fetch(req));
  if (r.status == 404) return NotFoundError(req.url + ": no checkpoint yet");
  if (r.status != 200) return UnavailableError(req.url + " answered " + std::to_string(r.status));
  return r.body;
}

Result<std::vector<tlog::Hash>> FetchConsistencyProof(const HttpFetcher& http,
                                                      std::string_view log_url, uint64_t from,
                                                      uint64_t to) {
  HttpFetchRequest req;
  req.url = std::string(log_url) + "/proof/consistency?from=" + std::to_string(from) +
            "&to=" + std::to_string(to);
  req.max_response_bytes = 64 * 1024;
  CREDSTACK_ASSIGN_OR_RETURN(HttpFetchResponse r, http.Fetch(req));
  if (r.status == 404 || r.status == 400 || r.status == 422) {
    return NotFoundError(req.url + " answered " + std::to_string(r.status));
  }
  if (r.status != 200) return UnavailableError(req.url + " answered " + std::to_string(r.status));
  CREDSTACK_ASSIGN_OR_RETURN(json::Value v, json::Parse(r.body));
  const json::Object* o = v.if_object();
  const json::Array* hashes = o ? json::GetArray(*o, "consistencyProof") : nullptr;
  if (!hashes || hashes->size() > 128) return InvalidArgumentError("malformed consistency proof");
  std::vector<tlog::Hash> out;
  for (const json::Value& h : *hashes) {
    if (!h.is_string()) return InvalidArgumentError("malformed consistency proof");
    CREDSTACK_ASSIGN_OR_RETURN(Bytes b, Base64Decode(h.get_string()));
    if (b.size() != 32) return InvalidArgumentError("malformed consistency proof hash");
    tlog::Hash hash;
    std::copy(b.begin(), b.end(), hash.begin());
    out.push_back(hash);
  }
  return out;
}

}  // namespace credstack::app
