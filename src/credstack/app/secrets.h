#pragma once

// Secrets the issuer service needs at start-up, and where they come from:
//  - the master key (32 bytes) that seals issuer private keys at rest
//    (crypto/secretbox.h): --master-key-file (64 hex digits or 32 raw
//    bytes, refused when group or others may read it), else
//    CREDSTACK_MASTER_KEY (hex), else DATA/master.key, created with mode
//    0600 on first start (the caller warns that it must be backed up);
//  - the operator token that may create organizations:
//    CREDSTACK_OPERATOR_TOKEN, else DATA/operator.token (created 0600).
// Neither is ever logged or returned by an API.

#include <memory>
#include <string>

#include "credstack/base/rng.h"
#include "credstack/base/status.h"
#include "credstack/crypto/secretbox.h"
#include "credstack/crypto/sha.h"

namespace credstack::app {

// Holds the key; wipes it on destruction. Not copyable.
class MasterKey {
 public:
  explicit MasterKey(const crypto::SecretBoxKey& key) : key_(key) {}
  ~MasterKey();
  MasterKey(const MasterKey&) = delete;
  MasterKey& operator=(const MasterKey&) = delete;

  const crypto::SecretBoxKey& key() const { return key_; }

 private:
  crypto::SecretBoxKey key_;
};

struct SecretSources {
  std::string key_file;   // --master-key-file; empty: not configured
  std::string env_key;    // CREDSTACK_MASTER_KEY (hex); empty: unset
  std::string env_token;  // CREDSTACK_OPERATOR_TOKEN; empty: unset
  std::string data_dir;   // where generated files go; empty: nowhere
};

struct LoadedMasterKey {
  std::shared_ptr<const MasterKey> key;
  // Where it came from: "file", "environment" or "generated" (new file
  // DATA/master.key) or "data-dir" (that file, from an earlier start).
  std::string origin;
  std::string path;  // the file, when one was used
};

// Errors: kPermissionDenied (file readable by group/others),
// kInvalidArgument (not 32 bytes / 64 hex digits), kNotFound (configured
// file missing), kFailedPrecondition (nothing configured and no data
// directory), kUnavailable (cannot write DATA/master.key).
Result<LoadedMasterKey> LoadMasterKey(const SecretSources& sources, Rng& rng);

struct OperatorToken {
  crypto::Sha256Digest hash{};  // SHA-256 of the token; the token is dropped
  std::string origin;           // "environment", "generated", "data-dir"
  std::string path;
};

// The token must be 16..256 characters of an RFC 6750 b64token.
Result<OperatorToken> LoadOperatorToken(const SecretSources& sources, Rng& rng);

// A stable identifier of this node (DATA/node.id, created on first start;
// random when there is no data directory). Bulk workers claim rows under
// it, so a restarted node can release the claims a crash left behind.
Result<std::string> LoadNodeId(const std::string& data_dir, Rng& rng);

// Reads a whole small file (at most max_bytes) that must not be readable by
// group or others. Used for both secrets.
Result<std::string> ReadPrivateFile(const std::string& path, size_t max_bytes);

// Creates path with mode 0600 holding content, atomically (all or nothing,
// even on a crash) and durably; kAlreadyExists when it exists (another
// process won the race: read it instead).
Status CreatePrivateFile(const std::string& path, std::string_view content);

}  // namespace credstack::app
