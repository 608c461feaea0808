#pragma once

// The store: a unit of work over the repositories (repositories.h), backed
// by SQLite (default, embedded) or PostgreSQL (several nodes, one cluster).
//
//   CREDSTACK_ASSIGN_OR_RETURN(auto store,
//   OpenStore("sqlite:///var/lib/x.db")); Status s = store->Transact([&](Tx&
//   tx) -> Status {
//     CREDSTACK_RETURN_IF_ERROR(tx.organizations().Insert(org));
//     return tx.audit().Append(event).status();
//   });
//
// Everything inside one Transact call commits or rolls back together; the
// callback's first non-OK Status rolls back and is returned. Schema:
// docs/formats/schema.md.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/store/repositories.h"
#include "credstack/store/skills_repositories.h"

namespace credstack::store {

// Typed access to the repositories inside one transaction. Valid only during
// the callback it is passed to; not thread-safe.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual bool read_only() const = 0;
  virtual OrganizationRepository& organizations() = 0;
  virtual SigningKeyRepository& signing_keys() = 0;
  virtual ApiKeyRepository& api_keys() = 0;
  virtual AchievementRepository& achievements() = 0;
  virtual CredentialRepository& credentials() = 0;
  virtual JobRepository& jobs() = 0;
  virtual StatusListRepository& status_lists() = 0;
  virtual LogRepository& log() = 0;
  virtual AuditRepository& audit() = 0;
  virtual IssuerRepository& issuer() = 0;
  // Skills area (skills_repositories.h).
  virtual SkillFrameworkRepository& skill_frameworks() = 0;
  virtual LearnerRepository& learners() = 0;
  virtual PathwayRepository& pathways() = 0;
};

using TxFn = std::function<Status(Tx&)>;

// Limits and tuning, with defaults that suit one small server.
struct StoreOptions {
  // --- SQLite
  // Durability of a committed transaction
  // (docs/decisions/0003-store-sqlite-durability.md): kFull fsyncs the WAL at
  // every commit and survives power loss; kNormal survives a process crash but
  // may lose the last commits on power loss.
  enum class Synchronous { kNormal, kFull };
  Synchronous sqlite_synchronous = Synchronous::kFull;
  // How long a writer waits for another process's write lock.
  int sqlite_busy_timeout_ms = 5'000;
  // Read-only connections for Read(); the one writer serves Transact().
  int sqlite_readers = 4;

  // --- PostgreSQL
  // Connections in the pool (shared by reads and writes).
  int postgres_pool_size = 8;
  // How long Transact/Read wait for a free connection before kUnavailable.
  int postgres_acquire_timeout_ms = 10'000;
  // Seconds for connecting (libpq connect_timeout).
  int postgres_connect_timeout_s = 10;
  // Per-statement limit (SET statement_timeout); 0 = none.
  int postgres_statement_timeout_ms = 30'000;
  // Schema for all tables (created if missing); empty = the server default
  // (public). Lets several stores share one database, e.g. in tests.
  std::string postgres_schema;

  // --- Both
  // How often Transact re-runs its callback after a retryable failure
  // (deadlock, serialization failure, SQLITE_BUSY). The callback must
  // therefore have no side effects outside the transaction.
  int max_attempts = 3;
};

struct StoreStats {
  int64_t connections_open = 0;
  int64_t connections_in_use = 0;
  int64_t transactions_committed = 0;
  int64_t transactions_rolled_back = 0;
};

// Thread-safe: any number of threads may call Transact/Read concurrently
// (SQLite serializes writers in-process and across processes; PostgreSQL
// hands each call its own pooled connection).
class Store {
 public:
  virtual ~Store() = default;

  // Runs fn in a read-write transaction and commits when it returns OK.
  // Retryable failures re-run fn up to options.max_attempts times.
  virtual Status Transact(const TxFn& fn) = 0;
  // Runs fn in a read-only transaction with a consistent snapshot; writes
  // fail with kFailedPrecondition.
  virtual Status Read(const TxFn& fn) = 0;

  virtual std::string_view backend() const = 0;  // "sqlite" or "postgres"
  // The highest migration applied (== LatestSchemaVersion() once open).
  virtual int64_t schema_version() const = 0;
  // Round trip to the database (readiness checks).
  virtual Status Ping() = 0;
  virtual StoreStats stats() const = 0;
};

// Opens (creating and migrating as needed) the store at `location`:
//   "sqlite:///abs/path.db", "sqlite://rel/path.db" or a plain path -> SQLite
//     (a path naming an existing directory means DIR/credstack.db);
//   "postgres://user@host:port/db" or "postgresql://..." -> PostgreSQL
//     (any libpq URI; the password may come from PGPASSWORD/.pgpass).
// Migrations are applied in one transaction (PostgreSQL: under an advisory
// lock, so nodes starting together are safe). Fails with
// kFailedPrecondition when the database has a newer schema than this binary
// knows, kUnavailable when the database cannot be reached, and
// kInvalidArgument for a malformed location.
Result<std::unique_ptr<Store>> OpenStore(std::string_view location,
                                         const StoreOptions& options = {});

// Whether a location names PostgreSQL rather than SQLite.
bool IsPostgresLocation(std::string_view location);

}  // namespace credstack::store
