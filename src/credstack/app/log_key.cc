#include "credstack/app/log_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "credstack/crypto/ed25519.h"

namespace credstack::app {

Status WriteSecretFile(const std::string& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return AlreadyExistsError(path + " already exists");
    return UnavailableError("cannot create " + path + ": " + std::strerror(errno));
  }
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return UnavailableError("cannot write " + path);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return UnavailableError("cannot write " + path);
  return OkStatus();
}

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
    CREDSTACK_RETURN_IF_ERROR(WriteSecretFile(path, signer->signer_key() + "\n"));
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
