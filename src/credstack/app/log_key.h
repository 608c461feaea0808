#pragma once

// The transparency log's signing key: a C2SP signed-note Ed25519 key
// ("PRIVATE+KEY+<name>+<key id>+<base64>", docs/formats/checkpoint.md),
// separate from every issuing key, kept in a file only its owner can read.

#include <memory>
#include <string>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/tlog/note.h"

namespace credstack::app {

// Reads the signer key in `path`, or, when the file does not exist and
// `create` is set, generates a key named `name` and writes it with mode
// 0600. Refuses a key file other users can read or write
// (kPermissionDenied) and a key whose name is not `name`
// (kFailedPrecondition; empty `name` accepts any).
Result<std::unique_ptr<tlog::Ed25519NoteSigner>> LoadOrCreateLogKey(const std::string& path,
                                                                    std::string_view name,
                                                                    bool create);


}  // namespace credstack::app
