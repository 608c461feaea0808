#pragma once

// The deployment's transparency log (DESIGN.md, "Transparency log"):
// entries are sequenced by the issuing and status-changing transactions
// (store LogRepository::Append); this service integrates them in batches
// into C2SP tiles and entry bundles, signs a C2SP checkpoint with the log
// key, and serves tiles, checkpoints (with witness cosignatures) and
// inclusion / consistency proofs through a shared proof cache.
//
// One integrator at a time across all nodes: each batch is one transaction
// that ends with the store's compare-and-set AdvanceIntegration, so a node
// that lost the race rolls back everything it wrote and resumes from the
// winner's state. Formats: docs/formats/tiles.md, checkpoint.md,
// log-leaf.md; HTTP: docs/status-log-api.md.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "credstack/app/log_leaf.h"
#include "credstack/base/status.h"
#include "credstack/base/time.h"
#include "credstack/store/store.h"
#include "credstack/tlog/cosignature.h"
#include "credstack/tlog/integrator.h"
#include "credstack/tlog/note.h"
#include "credstack/tlog/tiles.h"

namespace credstack::app {

struct LogServiceOptions {
  // Checkpoint origin (first line) and the log key's name.
  std::string origin;
  // Integrate as soon as this many entries wait ...
  size_t batch_entries = 256;
  // ... or when the oldest waiting entry has waited this long.
  std::chrono::milliseconds batch_interval{500};
  // Most entries integrated in one transaction.
  size_t max_batch = 65'536;
  // How often the background integrator looks for new entries.
  std::chrono::milliseconds poll_interval{50};
  // Expanded tiles kept for proofs (8 KiB + interior hashes each).
  size_t proof_cache_tiles = 4096;
  // Witnesses whose cosignatures POST /log/cosignatures accepts (vkeys of
  // type 0x04).
  std::vector<std::string> witness_keys;
  // Called when a background integration fails (logged by the server).
  std::function<void(const Status&)> on_error;
};

struct IntegrateOutcome {
  int64_t old_size = 0;
  int64_t new_size = 0;
  bool lost_race = false;  // another integrator advanced first
};

struct InclusionProofResult {
  uint64_t leaf_index = 0;
  uint64_t tree_size = 0;
  std::vector<tlog::Hash> proof;
  Bytes leaf;              // the leaf's bytes (docs/formats/log-leaf.md)
  std::string checkpoint;  // the signed checkpoint note of tree_size
};

struct ConsistencyProofResult {
  uint64_t from = 0;
  uint64_t to = 0;
  std::vector<tlog::Hash> proof;
};

// Thread-safe.
class LogService {
 public:
  // `signer` signs checkpoints; its name must be options.origin.
  static Result<std::unique_ptr<LogService>> Create(std::shared_ptr<store::Store> store,
                                                    std::unique_ptr<tlog::Ed25519NoteSigner> signer,
                                                    LogServiceOptions options, const Clock& clock);
  ~LogService();  // stops the background integrator

  // Integrates up to max_entries (at least 1) waiting entries in one
  // transaction: tiles, entry bundles, the credential-hash index, a signed
  // checkpoint and the compare-and-set of the integration state. lost_race
  // when another integrator advanced first (nothing was written).
  // kDataLoss when a waiting entry does not hash to its recorded leaf hash
  // or the sequence has a gap (tampering): nothing is integrated.
  Result<IntegrateOutcome> IntegrateOnce(size_t max_entries);
  // Integrates everything sequenced so far.
  Status IntegrateAll();

  // Publishes the checkpoint of the empty tree when the log has none yet,
  // so monitors and witnesses have something to start from.
  Status EnsureCheckpoint();

  // Starts / stops the background integrator thread (idempotent); Start()
  // calls EnsureCheckpoint() first.
  void Start();
  void Stop();

  // The latest checkpoint note with the stored witness cosignatures
  // appended. kNotFound before the first integration.
  Result<std::string> LatestCheckpoint() const;
  // The checkpoint note of a given size (with cosignatures).
  Result<std::string> CheckpointAt(uint64_t size) const;
  // A tile or entry bundle by its C2SP path ("tile/0/000.p/3",
  // "tile/entries/x001/234"). kNotFound when not stored; kInvalidArgument
  // for a malformed path.
  Result<Bytes> ReadTilePath(std::string_view path) const;

  // Inclusion proof of the leaf about a credential (by app::CredentialHash)
  // with the given event (default: issued), in the checkpoint of
  // `tree_size` (default: the latest). kNotFound when no integrated leaf
  // matches.
  Result<InclusionProofResult> ProveInclusion(
      const crypto::Sha256Digest& credential_hash,
      std::optional<uint64_t> tree_size = std::nullopt,
      LogEventType event = LogEventType::kIssued) const;
  // RFC 9162 consistency proof between two integrated tree sizes.
  Result<ConsistencyProofResult> ProveConsistency(uint64_t from, uint64_t to) const;

  // Attaches the cosignatures in a cosigned checkpoint note (the log's
  // signature plus lines by configured witnesses) to the stored checkpoint
  // of that size. Returns the number of cosignatures stored.
  // kInvalidArgument if the note does not match a stored checkpoint,
  // kPermissionDenied for an unknown witness, kUnauthenticated for a bad
  // signature.
  Result<size_t> AddCosignatures(std::string_view cosigned_note);

  const std::string& origin() const { return options_.origin; }
  std::string verifier_key() const { return signer_->verifier_key(); }
  const tlog::Ed25519NoteSigner& signer() const { return *signer_; }
  store::Store& store() const { return *store_; }
  tlog::ExpandedTileCache& proof_cache() const { return cache_; }

 private:
  LogService(std::shared_ptr<store::Store> store, std::unique_ptr<tlog::Ed25519NoteSigner> signer,
             LogServiceOptions options, const Clock& clock);
  void Run();
  Result<std::string> WithCosignatures(store::Tx& tx, const store::Checkpoint& c) const;

  std::shared_ptr<store::Store> store_;
  std::unique_ptr<tlog::Ed25519NoteSigner> signer_;
  LogServiceOptions options_;
  const Clock& clock_;
  std::vector<std::unique_ptr<tlog::CosignatureVerifier>> witnesses_;
  mutable tlog::ExpandedTileCache cache_;

  std::mutex integrate_mu_;  // one local integration at a time
  std::optional<tlog::TileIntegrator> integrator_;  // state after our last commit

  std::mutex run_mu_;
  std::condition_variable run_cv_;
  bool stop_ = false;
  std::thread thread_;
};

// A tlog::TileReader over the store's log_tiles. A partial tile that is not
// stored under its own path is served from a wider version (the full tile,
// or the tile as of integrated_size), which tile readers accept.
class StoreTileReader final : public tlog::TileReader {
 public:
  StoreTileReader(store::Store& store, uint64_t integrated_size)
      : store_(&store), integrated_size_(integrated_size) {}
  StoreTileReader(store::Tx& tx, uint64_t integrated_size)
      : tx_(&tx), integrated_size_(integrated_size) {}
  Result<std::vector<Bytes>> ReadTiles(std::span<const tlog::TileId> ids) override;

 private:
  store::Store* store_ = nullptr;
  store::Tx* tx_ = nullptr;
  uint64_t integrated_size_;
};

// "host[:port]/log" from a public base URL ("https://host[:port][/p]").
Result<std::string> DefaultLogOrigin(std::string_view public_url);

}  // namespace credstack::app
