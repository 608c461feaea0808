#include "credstack/app/log_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "credstack/app/secrets.h"
#include "credstack/crypto/ed25519.h"

namespace credstack::app {

Result<std::unique_ptr<tlog::Ed25519NoteSigner>> LoadOrCreateLogKey(const std::string& path,
                                                                    std::string_view name,
                                                                    bool create) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT || !create) return NotFoundError("log key file " + path + " not found");
    if (name.empty() || !tlog::IsValidKeyName(name)) {
      return InvalidArgumentError("invalid log key name \"" + std::string(name) + "\"");
    }
    auto signer = std::make_unique<tlog::Ed25519NoteSigner>(std::string(name),
                                                            crypto::Ed25519KeyPair::Generate());
    CREDSTACK_RETURN_IF_ERROR(CreatePrivateFile(path, signer->signer_key() + "\n"));
    return signer;
  }
  if (!S_ISREG(st.st_mode)) return InvalidArgumentError(path + " is not a regular file");
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return PermissionDeniedError("log key file " + path +
                                 " is accessible by other users; run chmod 600 " + path);
  }
  if (st.st_size > 4096) return InvalidArgumentError(path + " is too large for a key file");
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  CREDSTACK_ASSIGN_OR_RETURN(std::unique_ptr<tlog::Ed25519NoteSigner> signer,
                             tlog::Ed25519NoteSigner::FromSignerKey(text));
  if (!name.empty() && signer->name() != name) {
    return FailedPreconditionError("log key in " + path + " is named \"" + signer->name() +
                                   "\" but the log origin is \"" + std::string(name) + "\"");
  }
  return signer;
}

}  // namespace credstack::app
