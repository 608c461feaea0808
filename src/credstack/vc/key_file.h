#pragma once

// The key file `credstack keys new` writes: a JSON Multikey document with
// the secret (docs/formats/key-file.md). Parsing and serialization only;
// the caller reads and writes the file (with mode 0600).

#include <string>
#include <string_view>

#include "credstack/base/status.h"
#include "credstack/vc/data_integrity.h"

namespace credstack::vc {

// {"type":"Multikey","id":"did:key:z6Mk…#z6Mk…","controller":"did:key:z6Mk…",
//  "publicKeyMultibase":"z6Mk…","secretKeyMultibase":"z3u2…"}
std::string SerializeKeyFile(const crypto::Ed25519KeyPair& key);

// Accepts the format above (and the vc-di-eddsa test vector shape with
// privateKeyMultibase). Checks that the public key matches the secret.
// An "id"/"controller" other than did:key (e.g. a did:web method) is kept.
Result<Signer> ParseKeyFile(std::string_view text);

}  // namespace credstack::vc
