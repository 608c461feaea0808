#include "credstack/app/log_service.h"

#include <algorithm>
#include <utility>

#include "credstack/tlog/checkpoint.h"
#include "credstack/tlog/proof.h"

namespace credstack::app {
namespace {

constexpr int64_t kPage = 1000;  // store::kMaxPageSize

Result<std::vector<store::LogEntry>> ReadRange(store::Tx& tx, int64_t from, int64_t count) {
  std::vector<store::LogEntry> out;
  out.reserve(static_cast<size_t>(count));
  while (static_cast<int64_t>(out.size()) < count) {
    int64_t next = from + static_cast<int64_t>(out.size());
    int64_t want = std::min<int64_t>(kPage, count - static_cast<int64_t>(out.size()));
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::LogEntry> page, tx.log().ReadEntries(next, want));
    if (page.empty()) break;
    for (store::LogEntry& e : page) {
      if (static_cast<int64_t>(out.size()) >= count) break;
      out.push_back(std::move(e));
    }
  }
  return out;
}

Result<std::vector<Bytes>> ReadTilesIn(store::Tx& tx, std::span<const tlog::TileId> ids,
                                       uint64_t integrated_size) {
  std::vector<Bytes> out;
  out.reserve(ids.size());
  for (const tlog::TileId& id : ids) {
    Result<Bytes> data = tx.log().GetTile(tlog::TilePath(id));
    if (!data.ok() && data.error().code() == Code::kNotFound && id.partial()) {
      // A wider version of the tile: the full one, or the current one.
      tlog::TileId full = id;
      full.width = tlog::kTileWidth;
      data = tx.log().GetTile(tlog::TilePath(full));
      if (!data.ok() && data.error().code() == Code::kNotFound) {
        std::optional<tlog::TileId> now = tlog::TileForTreeSize(id.level, id.index, integrated_size);
        if (now && now->width > id.width) data = tx.log().GetTile(tlog::TilePath(*now));
      }
    }
    if (!data.ok()) return data.status();
    out.push_back(std::move(*data));
  }
  return out;
}

}  // namespace

Result<std::vector<Bytes>> StoreTileReader::ReadTiles(std::span<const tlog::TileId> ids) {
  if (tx_ != nullptr) return ReadTilesIn(*tx_, ids, integrated_size_);
  Result<std::vector<Bytes>> out = InternalError("unset");
  Status s = store_->Read([&](store::Tx& tx) -> Status {
    out = ReadTilesIn(tx, ids, integrated_size_);
    return out.status();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::string> DefaultLogOrigin(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return InvalidArgumentError("public URL has no scheme");
  std::string_view rest = url.substr(scheme + 3);
  std::string_view host = rest.substr(0, rest.find('/'));
  if (host.empty()) return InvalidArgumentError("public URL has no host");
  return std::string(host) + "/log";
}

Result<std::unique_ptr<LogService>> LogService::Create(
    std::shared_ptr<store::Store> store, std::unique_ptr<tlog::Ed25519NoteSigner> signer,
    LogServiceOptions options, const Clock& clock) {
  if (!store || !signer) return InvalidArgumentError("log service needs a store and a key");
  if (options.origin.empty()) options.origin = signer->name();
  if (signer->name() != options.origin) {
    return InvalidArgumentError("log key name \"" + signer->name() + "\" differs from origin \"" +
                                options.origin + "\"");
  }
  if (options.batch_entries == 0) options.batch_entries = 1;
  if (options.max_batch == 0) options.max_batch = 1;
  std::unique_ptr<LogService> s(
      new LogService(std::move(store), std::move(signer), std::move(options), clock));
  for (const std::string& vkey : s->options_.witness_keys) {
    CREDSTACK_ASSIGN_OR_RETURN(std::unique_ptr<tlog::CosignatureVerifier> v,
                               tlog::CosignatureVerifier::FromVerifierKey(vkey));
    s->witnesses_.push_back(std::move(v));
  }
  return s;
}

LogService::LogService(std::shared_ptr<store::Store> store,
                       std::unique_ptr<tlog::Ed25519NoteSigner> signer, LogServiceOptions options,
                       const Clock& clock)
    : store_(std::move(store)),
      signer_(std::move(signer)),
      options_(std::move(options)),
      clock_(clock),
      cache_(options_.proof_cache_tiles) {}

LogService::~LogService() { Stop(); }

Result<IntegrateOutcome> LogService::IntegrateOnce(size_t max_entries) {
  std::lock_guard guard(integrate_mu_);
  IntegrateOutcome outcome;
  std::optional<tlog::TileIntegrator> next;
  Status s = store_->Transact([&](store::Tx& tx) -> Status {
    next.reset();
    CREDSTACK_ASSIGN_OR_RETURN(store::IntegrationState st, tx.log().GetIntegration());
    CREDSTACK_ASSIGN_OR_RETURN(int64_t sequenced, tx.log().Size());
    outcome = IntegrateOutcome{.old_size = st.size, .new_size = st.size};
    if (sequenced <= st.size) return OkStatus();
    const int64_t count =
        std::min<int64_t>(sequenced - st.size, static_cast<int64_t>(std::max<size_t>(max_entries, 1)));
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::LogEntry> entries, ReadRange(tx, st.size, count));
    if (static_cast<int64_t>(entries.size()) != count) {
      return DataLossError("log entries missing after " + std::to_string(st.size + entries.size()));
    }
    // Resume from our own state when it matches, else from stored tiles.
    if (integrator_ && integrator_->size() == static_cast<uint64_t>(st.size)) {
      next = *integrator_;
    } else {
      StoreTileReader reader(tx, static_cast<uint64_t>(st.size));
      CREDSTACK_ASSIGN_OR_RETURN(tlog::TileIntegrator resumed,
                                 tlog::TileIntegrator::Resume(static_cast<uint64_t>(st.size), reader));
      next = std::move(resumed);
    }
    std::vector<tlog::Hash> hashes;
    hashes.reserve(entries.size());
    std::vector<store::CredentialLogRef> refs;
    refs.reserve(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
      const store::LogEntry& e = entries[i];
      if (e.seq != st.size + static_cast<int64_t>(i)) {
        return DataLossError("log sequence gap at " + std::to_string(st.size + i));
      }
      tlog::Hash h = tlog::HashLeaf(e.leaf_data);
      if (e.leaf_hash.size() != h.size() || !std::equal(h.begin(), h.end(), e.leaf_hash.begin())) {
        return DataLossError("log entry " + std::to_string(e.seq) +
                             ": leaf data does not hash to its recorded leaf hash");
      }
      hashes.push_back(h);
      Result<LogEvent> ev = DecodeLogLeaf(e.leaf_data);
      if (ev.ok()) {
        refs.push_back(store::CredentialLogRef{
            .credential_hash = Bytes(ev->credential_hash.begin(), ev->credential_hash.end()),
            .seq = e.seq});
      }
    }
    CREDSTACK_ASSIGN_OR_RETURN(tlog::IntegrateResult r, next->Append(hashes));
    for (const tlog::Tile& t : r.tiles) {
      CREDSTACK_RETURN_IF_ERROR(tx.log().PutTile(tlog::TilePath(t.id), tlog::FormatTile(t.hashes)));
      if (t.id.level != 0) continue;
      // The entry bundle of this level-0 tile (C2SP tlog-tiles): earlier
      // entries of the tile come from the store, the rest from this batch.
      const int64_t begin = static_cast<int64_t>(t.id.index) * tlog::kTileWidth;
      const int64_t end = begin + t.id.width;
      std::vector<store::LogEntry> earlier;
      if (begin < st.size) {
        CREDSTACK_ASSIGN_OR_RETURN(earlier, ReadRange(tx, begin, st.size - begin));
      }
      std::vector<ByteView> leaves;
      for (const store::LogEntry& e : earlier) leaves.push_back(e.leaf_data);
      for (int64_t seq = std::max(begin, st.size); seq < end; ++seq) {
        leaves.push_back(entries[static_cast<size_t>(seq - st.size)].leaf_data);
      }
      if (static_cast<int64_t>(leaves.size()) != t.id.width) {
        return DataLossError("entry bundle " + std::to_string(t.id.index) + " is incomplete");
      }
      CREDSTACK_ASSIGN_OR_RETURN(Bytes bundle, tlog::FormatEntryBundle(leaves));
      CREDSTACK_RETURN_IF_ERROR(
          tx.log().PutTile(tlog::EntryBundlePath(t.id.index, t.id.width), bundle));
    }
    CREDSTACK_RETURN_IF_ERROR(tx.log().IndexCredentialHashes(refs));
    const tlog::NoteSigner* signers[] = {signer_.get()};
    CREDSTACK_ASSIGN_OR_RETURN(
        std::string note,
        tlog::SignCheckpoint(tlog::Checkpoint{.origin = options_.origin, .size = r.new_size, .root = r.root},
                             signers));
    const int64_t new_size = static_cast<int64_t>(r.new_size);
    CREDSTACK_RETURN_IF_ERROR(tx.log().PutCheckpoint(
        store::Checkpoint{.size = new_size, .note = note, .created = clock_.Now()}));
    // The compare-and-set that makes this the one integrator for this
    // range; a concurrent winner makes it fail and everything above roll
    // back.
    Status cas = tx.log().AdvanceIntegration(
        st.size, store::IntegrationState{.size = new_size, .state = Bytes(r.root.begin(), r.root.end())});
    if (!cas.ok()) return cas;
    outcome.new_size = new_size;
    return OkStatus();
  });
  if (!s.ok()) {
    integrator_.reset();
    if (s.code() == Code::kFailedPrecondition) {
      outcome.lost_race = true;
      outcome.new_size = outcome.old_size;
      return outcome;
    }
    return s;
  }
  if (next) integrator_ = std::move(next);
  return outcome;
}

Status LogService::IntegrateAll() {
  while (true) {
    CREDSTACK_ASSIGN_OR_RETURN(IntegrateOutcome o, IntegrateOnce(options_.max_batch));
    if (o.new_size == o.old_size && !o.lost_race) return OkStatus();
  }
}

Status LogService::EnsureCheckpoint() {
  return store_->Transact([&](store::Tx& tx) -> Status {
    Result<store::Checkpoint> latest = tx.log().LatestCheckpoint();
    if (latest.ok() || latest.error().code() != Code::kNotFound) return latest.status();
    CREDSTACK_ASSIGN_OR_RETURN(store::IntegrationState st, tx.log().GetIntegration());
    if (st.size != 0) return OkStatus();
    const tlog::NoteSigner* signers[] = {signer_.get()};
    CREDSTACK_ASSIGN_OR_RETURN(
        std::string note,
        tlog::SignCheckpoint(
            tlog::Checkpoint{.origin = options_.origin, .size = 0, .root = tlog::EmptyRoot()},
            signers));
    return tx.log().PutCheckpoint(store::Checkpoint{.size = 0, .note = note, .created = clock_.Now()});
  });
}

void LogService::Start() {
  if (Status s = EnsureCheckpoint(); !s.ok() && options_.on_error) options_.on_error(s);
  std::lock_guard lock(run_mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void LogService::Stop() {
  {
    std::lock_guard lock(run_mu_);
    stop_ = true;
  }
  run_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LogService::Run() {
  using Steady = std::chrono::steady_clock;
  Steady::time_point waiting_since{};
  bool waiting = false;
  auto backoff = options_.poll_interval;
  while (true) {
    {
      std::unique_lock lock(run_mu_);
      run_cv_.wait_for(lock, backoff, [this] { return stop_; });
      if (stop_) return;
    }
    int64_t pending = 0;
    Status s = store_->Read([&](store::Tx& tx) -> Status {
      CREDSTACK_ASSIGN_OR_RETURN(store::IntegrationState st, tx.log().GetIntegration());
      CREDSTACK_ASSIGN_OR_RETURN(int64_t size, tx.log().Size());
      pending = size - st.size;
      return OkStatus();
    });
    if (s.ok() && pending > 0) {
      Steady::time_point now = Steady::now();
      if (!waiting) {
        waiting = true;
        waiting_since = now;
      }
      if (pending >= static_cast<int64_t>(options_.batch_entries) ||
          now - waiting_since >= options_.batch_interval) {
        Result<IntegrateOutcome> r = IntegrateOnce(options_.max_batch);
        if (r.ok()) {
          waiting = false;
        } else {
          s = r.status();
        }
      }
    }
    if (!s.ok()) {
      if (options_.on_error) options_.on_error(s);
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, std::chrono::milliseconds(5'000));
    } else {
      backoff = options_.poll_interval;
    }
  }
}

Result<std::string> LogService::WithCosignatures(store::Tx& tx, const store::Checkpoint& c) const {
  CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::Cosignature> cosigs,
                             tx.log().ListCosignatures(c.size));
  std::string note = c.note;
  for (const store::Cosignature& cs : cosigs) note += cs.line;
  return note;
}

Result<std::string> LogService::LatestCheckpoint() const {
  std::string note;
  CREDSTACK_RETURN_IF_ERROR(store_->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(store::Checkpoint c, tx.log().LatestCheckpoint());
    CREDSTACK_ASSIGN_OR_RETURN(note, WithCosignatures(tx, c));
    return OkStatus();
  }));
  return note;
}

Result<std::string> LogService::CheckpointAt(uint64_t size) const {
  std::string note;
  CREDSTACK_RETURN_IF_ERROR(store_->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(store::Checkpoint c,
                               tx.log().GetCheckpoint(static_cast<int64_t>(size)));
    CREDSTACK_ASSIGN_OR_RETURN(note, WithCosignatures(tx, c));
    return OkStatus();
  }));
  return note;
}

Result<Bytes> LogService::ReadTilePath(std::string_view path) const {
  if (path.substr(0, 13) == "tile/entries/") {
    CREDSTACK_RETURN_IF_ERROR(tlog::ParseEntryBundlePath(path).status());
  } else {
    CREDSTACK_RETURN_IF_ERROR(tlog::ParseTilePath(path).status());
  }
  Bytes data;
  CREDSTACK_RETURN_IF_ERROR(store_->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(data, tx.log().GetTile(path));
    return OkStatus();
  }));
  return data;
}

Result<InclusionProofResult> LogService::ProveInclusion(const crypto::Sha256Digest& credential_hash,
                                                        std::optional<uint64_t> tree_size,
                                                        LogEventType event) const {
  InclusionProofResult out;
  store::IntegrationState st;
  CREDSTACK_RETURN_IF_ERROR(store_->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(st, tx.log().GetIntegration());
    store::Checkpoint c;
    if (tree_size) {
      CREDSTACK_ASSIGN_OR_RETURN(c, tx.log().GetCheckpoint(static_cast<int64_t>(*tree_size)));
    } else {
      CREDSTACK_ASSIGN_OR_RETURN(c, tx.log().LatestCheckpoint());
    }
    out.tree_size = static_cast<uint64_t>(c.size);
    CREDSTACK_ASSIGN_OR_RETURN(out.checkpoint, WithCosignatures(tx, c));
    CREDSTACK_ASSIGN_OR_RETURN(std::vector<int64_t> seqs,
                               tx.log().FindByCredentialHash(credential_hash));
    for (int64_t seq : seqs) {
      if (seq >= c.size) break;
      CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::LogEntry> e, tx.log().ReadEntries(seq, 1));
      if (e.empty() || e[0].seq != seq) continue;
      Result<LogEvent> ev = DecodeLogLeaf(e[0].leaf_data);
      if (ev.ok() && ev->type == event && ev->credential_hash == credential_hash) {
        out.leaf_index = static_cast<uint64_t>(seq);
        out.leaf = std::move(e[0].leaf_data);
        return OkStatus();
      }
    }
    return NotFoundError("no " + std::string(LogEventName(event)) + " leaf for credential hash " +
                         HexEncode(credential_hash) + " in the checkpoint of size " +
                         std::to_string(c.size));
  }));
  StoreTileReader tiles(*store_, static_cast<uint64_t>(st.size));
  tlog::TileHashReader reader(tiles, out.tree_size, &cache_);
  CREDSTACK_ASSIGN_OR_RETURN(out.proof, tlog::InclusionProof(out.leaf_index, out.tree_size, reader));
  return out;
}

Result<ConsistencyProofResult> LogService::ProveConsistency(uint64_t from, uint64_t to) const {
  if (from > to) return InvalidArgumentError("from must not exceed to");
  store::IntegrationState st;
  CREDSTACK_RETURN_IF_ERROR(store_->Read([&](store::Tx& tx) -> Status {
    CREDSTACK_ASSIGN_OR_RETURN(st, tx.log().GetIntegration());
    return OkStatus();
  }));
  if (to > static_cast<uint64_t>(st.size)) {
    return NotFoundError("tree size " + std::to_string(to) + " is beyond the integrated size " +
                         std::to_string(st.size));
  }
  StoreTileReader tiles(*store_, static_cast<uint64_t>(st.size));
  tlog::TileHashReader reader(tiles, to, &cache_);
  ConsistencyProofResult out{.from = from, .to = to};
  CREDSTACK_ASSIGN_OR_RETURN(out.proof, tlog::ConsistencyProof(from, to, reader));
  return out;
}

Result<size_t> LogService::AddCosignatures(std::string_view cosigned_note) {
  CREDSTACK_ASSIGN_OR_RETURN(tlog::Note note, tlog::ParseNote(cosigned_note));
  CREDSTACK_ASSIGN_OR_RETURN(tlog::Checkpoint cp, tlog::ParseCheckpoint(note.text));
  if (cp.origin != options_.origin) return InvalidArgumentError("checkpoint of another log");
  size_t stored = 0;
  CREDSTACK_RETURN_IF_ERROR(store_->Transact([&](store::Tx& tx) -> Status {
    stored = 0;
    CREDSTACK_ASSIGN_OR_RETURN(store::Checkpoint c, tx.log().GetCheckpoint(static_cast<int64_t>(cp.size)));
    CREDSTACK_ASSIGN_OR_RETURN(tlog::Note ours, tlog::ParseNote(c.note));
    if (ours.text != note.text) {
      return InvalidArgumentError("the note is not this log's checkpoint of size " +
                                  std::to_string(cp.size));
    }
    for (const tlog::NoteSignature& sig : note.signatures) {
      if (sig.name == signer_->name() && sig.key_id == signer_->key_id()) continue;
      const tlog::CosignatureVerifier* w = nullptr;
      for (const auto& v : witnesses_) {
        if (v->name() == sig.name && v->key_id() == sig.key_id) w = v.get();
      }
      if (w == nullptr) {
        return PermissionDeniedError("witness " + sig.name + " is not configured on this log");
      }
      if (!w->Verify(note.text, sig.signature)) {
        return UnauthenticatedError("cosignature by " + sig.name + " does not verify");
      }
      tlog::Note one{.text = note.text, .signatures = {sig}};
      std::string formatted = tlog::FormatNote(one);
      std::string line = formatted.substr(note.text.size() + 1);  // after the blank line
      CREDSTACK_RETURN_IF_ERROR(tx.log().PutCosignature(store::Cosignature{
          .size = c.size,
          .witness = sig.name,
          .key_id = static_cast<int64_t>(sig.key_id),
          .line = line,
          .created = clock_.Now()}));
      ++stored;
    }
    return OkStatus();
  }));
  return stored;
}

}  // namespace credstack::app
