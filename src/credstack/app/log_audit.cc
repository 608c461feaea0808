#include "credstack/app/log_audit.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "credstack/app/log_leaf.h"
#include "credstack/tlog/checkpoint.h"
#include "credstack/tlog/integrator.h"
#include "credstack/tlog/tiles.h"

namespace credstack::app {
namespace {

class Auditor {
 public:
  Auditor(store::Tx& tx, const LogAuditOptions& options, LogAuditReport& report)
      : tx_(tx), options_(options), report_(report) {}

  void Problem(std::string text) {
    ++report_.problem_count;
    if (report_.problems.size() < options_.max_problems) report_.problems.push_back(std::move(text));
  }

  Status Run() {
    CREDSTACK_ASSIGN_OR_RETURN(store::IntegrationState st, tx_.log().GetIntegration());
    CREDSTACK_ASSIGN_OR_RETURN(int64_t sequenced, tx_.log().Size());
    report_.integrated_size = static_cast<uint64_t>(st.size);
    if (st.size > sequenced) {
      Problem("integration size " + std::to_string(st.size) + " exceeds the " +
              std::to_string(sequenced) + " sequenced entries");
    }
    // Every checkpoint: stored ones, then externally known ones.
    for (int64_t after = -1;;) {
      CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::Checkpoint> page,
                                 tx_.log().ListCheckpoints(after, 1000));
      if (page.empty()) break;
      for (store::Checkpoint& c : page) {
        after = c.size;
        AddCheckpoint(static_cast<uint64_t>(c.size), c.note, "stored checkpoint");
      }
    }
    for (const std::string& note : options_.known_checkpoints) {
      Result<tlog::Note> n = tlog::ParseNote(note);
      Result<tlog::Checkpoint> cp =
          n.ok() ? tlog::ParseCheckpoint(n->text) : Result<tlog::Checkpoint>(n.status());
      if (!cp.ok()) {
        Problem("known checkpoint does not parse: " + cp.error().message());
        continue;
      }
      AddCheckpoint(cp->size, note, "known checkpoint");
    }
    CREDSTACK_RETURN_IF_ERROR(Walk(sequenced, st.size));
    if (options_.check_credentials) CREDSTACK_RETURN_IF_ERROR(CheckCredentials());
    return OkStatus();
  }

 private:
  struct Expected {
    tlog::Hash root;
    std::string what;
  };

  void AddCheckpoint(uint64_t size, const std::string& note, std::string what) {
    Result<tlog::Note> n = tlog::ParseNote(note);
    if (!n.ok()) {
      Problem(what + " of size " + std::to_string(size) + " does not parse: " + n.error().message());
      return;
    }
    Result<tlog::Checkpoint> cp = tlog::ParseCheckpoint(n->text);
    if (!cp.ok() || cp->size != size) {
      Problem(what + " of size " + std::to_string(size) + " is malformed");
      return;
    }
    if (options_.log_key != nullptr) {
      Result<tlog::OpenedCheckpoint> opened =
          tlog::OpenCheckpoint(note, cp->origin, *options_.log_key);
      if (!opened.ok()) {
        Problem(what + " of size " + std::to_string(size) +
                " is not signed by the log key: " + opened.error().message());
      }
    }
    auto [it, inserted] = expected_.emplace(size, Expected{cp->root, what});
    if (!inserted && it->second.root != cp->root) {
      Problem("FORK: two checkpoints of size " + std::to_string(size) + " with different roots (" +
              it->second.what + ", " + what + ")");
    }
  }

  // Compares the tiles of one recomputed batch with the stored ones. Partial
  // tiles are stored only at integration boundaries (checkpoints).
  void CheckTiles(const tlog::IntegrateResult& r, bool at_checkpoint) {
    for (const tlog::Tile& t : r.tiles) {
      if (t.id.partial() && !at_checkpoint) continue;
      ++report_.tiles_checked;
      std::string path = tlog::TilePath(t.id);
      Result<Bytes> stored = tx_.log().GetTile(path);
      Bytes want = tlog::FormatTile(t.hashes);
      if (!stored.ok()) {
        Problem("tile " + path + " is missing from storage");
      } else if (*stored != want) {
        Problem("tile " + path + " differs from the tree recomputed from the entries");
      }
      if (t.id.level != 0) continue;
      const uint64_t begin = t.id.index * tlog::kTileWidth;
      std::vector<ByteView> leaves;
      for (uint64_t i = begin; i < begin + t.id.width; ++i) {
        if (i < window_begin_ || i - window_begin_ >= window_.size()) return;
        leaves.push_back(window_[i - window_begin_]);
      }
      Result<Bytes> bundle = tlog::FormatEntryBundle(leaves);
      std::string bpath = tlog::EntryBundlePath(t.id.index, t.id.width);
      Result<Bytes> stored_bundle = tx_.log().GetTile(bpath);
      if (!stored_bundle.ok()) {
        Problem("entry bundle " + bpath + " is missing from storage");
      } else if (!bundle.ok() || *stored_bundle != *bundle) {
        Problem("entry bundle " + bpath + " differs from the stored entries");
      }
    }
  }

  Status Walk(int64_t sequenced, int64_t integrated) {
    tlog::TileIntegrator tree;
    std::vector<tlog::Hash> pending;
    auto flush = [&](uint64_t upto) {
      if (pending.empty()) return;
      Result<tlog::IntegrateResult> r = tree.Append(pending);
      pending.clear();
      if (!r.ok()) {
        Problem("cannot recompute the tree: " + r.error().message());
        return;
      }
      auto it = expected_.find(upto);
      if (upto <= static_cast<uint64_t>(integrated)) {
        CheckTiles(*r, it != expected_.end() && it->second.what == "stored checkpoint");
      }
      if (it != expected_.end()) {
        ++report_.checkpoints_checked;
        if (it->second.root != r->root) {
          Problem(it->second.what + " of size " + std::to_string(upto) +
                  " does not match the tree recomputed from the entries (leaves altered, "
                  "removed or reordered, or the log forked)");
        }
      }
    };
    if (auto zero = expected_.find(0); zero != expected_.end()) {
      ++report_.checkpoints_checked;
      if (zero->second.root != tlog::EmptyRoot()) {
        Problem(zero->second.what + " of size 0 does not have the empty tree's root");
      }
    }
    int64_t next = 0;
    bool broken = false;
    while (next < sequenced && !broken) {
      CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::LogEntry> page, tx_.log().ReadEntries(next, 1000));
      if (page.empty()) {
        Problem("entries " + std::to_string(next) + ".." + std::to_string(sequenced - 1) +
                " are missing (removed?)");
        break;
      }
      for (store::LogEntry& e : page) {
        if (e.seq != next) {
          Problem("entry " + std::to_string(next) + " is missing (removed?); the tree cannot be "
                  "recomputed past it");
          broken = true;
          break;
        }
        ++report_.entries;
        tlog::Hash h = tlog::HashLeaf(e.leaf_data);
        if (e.leaf_hash.size() != h.size() || !std::equal(h.begin(), h.end(), e.leaf_hash.begin())) {
          Problem("entry " + std::to_string(e.seq) +
                  " was altered: its data does not hash to its recorded leaf hash");
        }
        Result<LogEvent> ev = DecodeLogLeaf(e.leaf_data);
        if (!ev.ok()) {
          Problem("entry " + std::to_string(e.seq) + " is not a valid leaf: " + ev.error().message());
        } else if (ev->type == LogEventType::kIssued) {
          issued_.insert(ev->credential_hash);
        }
        // Keep the leaves of the current level-0 tile for entry bundles.
        if (e.seq % tlog::kTileWidth == 0) {
          window_.clear();
          window_begin_ = static_cast<uint64_t>(e.seq);
        }
        window_.push_back(std::move(e.leaf_data));
        pending.push_back(h);
        ++next;
        // Batch boundaries at every checkpoint size and every full tile.
        if (expected_.contains(static_cast<uint64_t>(next)) || next % tlog::kTileWidth == 0 ||
            next == integrated) {
          flush(static_cast<uint64_t>(next));
        }
      }
    }
    flush(static_cast<uint64_t>(next));
    for (const auto& [size, e] : expected_) {
      if (size > static_cast<uint64_t>(next)) {
        Problem("ROLLBACK: " + e.what + " of size " + std::to_string(size) +
                " is beyond the " + std::to_string(next) + " entries in storage");
      }
    }
    return OkStatus();
  }

  Status CheckCredentials() {
    std::string after_org;
    while (true) {
      CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::Organization> orgs,
                                 tx_.organizations().List(after_org, 1000));
      if (orgs.empty()) break;
      for (const store::Organization& org : orgs) {
        after_org = org.id;
        std::string after;
        while (true) {
          CREDSTACK_ASSIGN_OR_RETURN(std::vector<store::Credential> creds,
                                     tx_.credentials().ListByOrg(org.id, after, 1000));
          if (creds.empty()) break;
          for (const store::Credential& c : creds) {
            after = c.id;
            ++report_.credentials_checked;
            Result<json::Value> doc = json::Parse(c.credential_json);
            Result<crypto::Sha256Digest> h =
                doc.ok() ? CredentialHash(*doc) : Result<crypto::Sha256Digest>(doc.status());
            if (!h.ok()) {
              Problem("credential " + c.id + " cannot be hashed: " + h.error().message());
            } else if (!issued_.contains(*h)) {
              Problem("credential " + c.id + " has no issued leaf in the log");
            }
          }
        }
      }
    }
    return OkStatus();
  }

  store::Tx& tx_;
  const LogAuditOptions& options_;
  LogAuditReport& report_;
  std::map<uint64_t, Expected> expected_;
  std::set<crypto::Sha256Digest> issued_;
  std::vector<Bytes> window_;
  uint64_t window_begin_ = 0;
};

}  // namespace

std::string LogAuditReport::Summary() const {
  std::string s = std::to_string(entries) + " entries, integrated size " +
                  std::to_string(integrated_size) + ", " + std::to_string(checkpoints_checked) +
                  " checkpoints, " + std::to_string(tiles_checked) + " tiles, " +
                  std::to_string(credentials_checked) + " credentials checked: ";
  s += ok() ? "OK" : std::to_string(problem_count) + " problem(s)";
  return s;
}

Result<LogAuditReport> AuditLog(store::Store& store, const LogAuditOptions& options) {
  LogAuditReport report;
  CREDSTACK_RETURN_IF_ERROR(store.Read([&](store::Tx& tx) -> Status {
    report = LogAuditReport{};
    Auditor a(tx, options, report);
    return a.Run();
  }));
  return report;
}

}  // namespace credstack::app
