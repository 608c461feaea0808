// Transparency log endpoints (docs/status-log-api.md): checkpoint, C2SP
// tiles and entry bundles, proofs, witness cosignatures.
#include <charconv>
#include <string>

#include "credstack/app/log_checker.h"
#include "credstack/server/status_log_routes.h"

namespace credstack::server {
namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
// Tile paths have at most 10 segments after /log/tile (entries, 7 index
// groups, ".p", width).
constexpr int kMaxTileSegments = 10;

Result<uint64_t> QueryUint(const Request& req, std::string_view name, bool required) {
  std::optional<std::string_view> v = req.Query(name);
  if (!v) {
    if (required) return InvalidArgumentError(std::string(name) + " is required");
    return NotFoundError("absent");
  }
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || v->empty() ||
      (v->size() > 1 && (*v)[0] == '0')) {
    return InvalidArgumentError(std::string(name) + " must be a decimal tree size");
  }
  return n;
}

Response BadQuery(const Request& req, const Status& s, std::string field) {
  Problem p = Problem::ForStatus(400, s.message());
  p.instance = std::string(req.path());
  p.field = std::move(field);
  p.code = "invalid_argument";
  return Response::FromProblem(p);
}

Response TileResponse(const std::shared_ptr<app::LogService>& log, Request& req) {
  std::string_view path = req.path();
  if (path.substr(0, 5) != "/log/") return Response::FromStatus(NotFoundError("no such tile"));
  auto data = log->ReadTilePath(path.substr(5));
  if (!data.ok()) {
    if (data.error().code() == Code::kInvalidArgument) {
      return Response::FromStatus(NotFoundError("not a tile path: " + data.error().message()));
    }
    return Response::FromStatus(data.error());
  }
  Response r = Response::Raw(200, std::string(AsChars(*data)), "application/octet-stream");
  r.AddHeader("Cache-Control", std::string(kImmutable));
  return r;
}

}  // namespace

Status AddLogRoutes(Router& router, std::shared_ptr<app::LogService> log) {
  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/log/checkpoint",
      .handler =
          [log](Request&) {
            auto note = log->LatestCheckpoint();
            if (!note.ok()) return Response::FromStatus(note.error());
            Response r = Response::Raw(200, *note, "text/plain; charset=utf-8");
            r.AddHeader("Cache-Control", "public, max-age=2");
            return r;
          },
      .policy = Policy::kPublic,
      .summary = "The latest signed checkpoint (C2SP tlog-checkpoint) with witness cosignatures",
      .tag = "log",
      .produces = {"text/plain"},
      .blocking = true,
      .rate_limited = false}));

  // C2SP tlog-tiles: tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>],
  // where <N> spans several path segments (x001/x234/067).
  std::string pattern = "/log/tile";
  for (int i = 0; i < kMaxTileSegments; ++i) {
    pattern += "/{s" + std::to_string(i + 2) + "}";
    CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
        .method = Method::kGet,
        .pattern = pattern,
        .handler = [log](Request& req) { return TileResponse(log, req); },
        .policy = Policy::kPublic,
        .summary = "A C2SP tile or entry bundle (immutable)",
        .tag = "log",
        .produces = {"application/octet-stream"},
        .blocking = true,
        .rate_limited = false}));
  }

  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/log/proof/inclusion",
      .handler =
          [log](Request& req) {
            std::optional<std::string_view> hex = req.Query("hash");
            if (!hex) return BadQuery(req, InvalidArgumentError("hash is required"), "hash");
            auto bytes = HexDecode(*hex);
            if (!bytes.ok() || bytes->size() != 32) {
              return BadQuery(req, InvalidArgumentError("hash must be 64 hex digits"), "hash");
            }
            crypto::Sha256Digest hash;
            std::copy(bytes->begin(), bytes->end(), hash.begin());
            std::optional<uint64_t> size;
            auto s = QueryUint(req, "size", false);
            if (s.ok()) {
              size = *s;
            } else if (s.error().code() != Code::kNotFound) {
              return BadQuery(req, s.error(), "size");
            }
            app::LogEventType event = app::LogEventType::kIssued;
            if (auto e = req.Query("event")) {
              bool known = false;
              for (auto t : {app::LogEventType::kIssued, app::LogEventType::kRevoked,
                             app::LogEventType::kSuspended, app::LogEventType::kUnsuspended,
                             app::LogEventType::kStatusMessage}) {
                if (*e == app::LogEventName(t)) {
                  event = t;
                  known = true;
                }
              }
              if (!known) return BadQuery(req, InvalidArgumentError("unknown event"), "event");
            }
            auto proof = log->ProveInclusion(hash, size, event);
            if (!proof.ok()) return Response::FromStatus(proof.error());
            app::LogBundle b{.checkpoint = std::move(proof->checkpoint),
                             .leaf_index = proof->leaf_index,
                             .tree_size = proof->tree_size,
                             .leaf = std::move(proof->leaf),
                             .inclusion_proof = std::move(proof->proof)};
            Response r = Response::Json(200, b.ToJson());
            r.AddHeader("Cache-Control", size ? std::string(kImmutable) : "public, max-age=2");
            return r;
          },
      .policy = Policy::kPublic,
      .summary = "Inclusion proof of a credential's leaf (a log bundle), by credential hash",
      .tag = "log",
      .blocking = true}));

  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kGet,
      .pattern = "/log/proof/consistency",
      .handler =
          [log](Request& req) {
            auto from = QueryUint(req, "from", true);
            if (!from.ok()) return BadQuery(req, from.error(), "from");
            auto to = QueryUint(req, "to", true);
            if (!to.ok()) return BadQuery(req, to.error(), "to");
            auto proof = log->ProveConsistency(*from, *to);
            if (!proof.ok()) return Response::FromStatus(proof.error());
            json::Object o;
            o["from"] = proof->from;
            o["to"] = proof->to;
            json::Array hashes;
            for (const tlog::Hash& h : proof->proof) hashes.push_back(json::Value(Base64Encode(h)));
            o["consistencyProof"] = std::move(hashes);
            Response r = Response::Json(200, o);
            r.AddHeader("Cache-Control", std::string(kImmutable));
            return r;
          },
      .policy = Policy::kPublic,
      .summary = "RFC 9162 consistency proof between two tree sizes",
      .tag = "log",
      .blocking = true}));

  CREDSTACK_RETURN_IF_ERROR(router.Add(RouteSpec{
      .method = Method::kPost,
      .pattern = "/log/cosignatures",
      .handler =
          [log](Request& req) {
            auto n = log->AddCosignatures(req.body());
            if (!n.ok()) return Response::FromStatus(n.error(), StatusContext::kValidation);
            json::Object o;
            o["stored"] = static_cast<uint64_t>(*n);
            return Response::Json(200, o);
          },
      .policy = Policy::kPublic,
      .summary = "Attach witness cosignatures (a cosigned checkpoint note) to a checkpoint",
      .tag = "log",
      .consumes = {"text/plain"},
      .max_body = 64 * 1024,
      .blocking = true}));
  return OkStatus();
}

}  // namespace credstack::server
