#include "credstack/app/secrets.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>

#include "credstack/base/bytes.h"
#include "credstack/crypto/ed25519.h"

namespace credstack::app {
namespace {

std::string_view TrimLine(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' ||
                        s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  return s;
}

Result<crypto::SecretBoxKey> KeyFromHex(std::string_view hex,
                                        std::string_view origin) {
  hex = TrimLine(hex);
  Result<Bytes> raw = HexDecode(hex);
  if (!raw.has_value() || raw->size() != 32) {
    return InvalidArgumentError(std::string(origin) +
                                ": master key must be 64 hexadecimal digits "
                                "(32 bytes)");
  }
  crypto::SecretBoxKey key;
  std::memcpy(key.data(), raw->data(), key.size());
  crypto::SecureWipe(*raw);
  return key;
}

Result<crypto::SecretBoxKey> KeyFromFileContent(std::string& content,
                                                std::string_view origin) {
  if (content.size() == 32 &&
      HexDecode(TrimLine(content)).value_or(Bytes{}).size() != 32) {
    crypto::SecretBoxKey key;
    std::memcpy(key.data(), content.data(), key.size());
    return key;
  }
  return KeyFromHex(content, origin);
}

void Wipe(std::string& s) {
  crypto::SecureWipe(
      std::span<uint8_t>(reinterpret_cast<uint8_t*>(s.data()), s.size()));
  s.clear();
}

bool IsB64Token(std::string_view t) {
  size_t i = 0;
  for (; i < t.size(); ++i) {
    char c = t[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
              c == '~' || c == '+' || c == '/';
    if (!ok) break;
  }
  for (; i < t.size(); ++i) {
    if (t[i] != '=') return false;
  }
  return true;
}

}  // namespace

MasterKey::~MasterKey() { crypto::SecureWipe(key_); }

Result<std::string> ReadPrivateFile(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFoundError(path + " does not exist");
    return UnavailableError("cannot open " + path + ": " +
                            std::strerror(errno));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return InvalidArgumentError(path + " is not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    ::close(fd);
    return PermissionDeniedError(path +
                                 " is accessible by group or other users; "
                                 "run chmod 600 " +
                                 path);
  }
  if (static_cast<size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return InvalidArgumentError(path + " is too large for a secret");
  }
  std::string out(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(got);
  return out;
}

Status CreatePrivateFile(const std::string& path, std::string_view content) {
  // Written under a temporary name, synced, then linked into place: a crash
  // at any point leaves either no file or the whole one, never a partial
  // secret that would stop every later start. link() refuses to replace an
  // existing file, as O_EXCL would.
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  ::unlink(tmp.c_str());  // a leftover of a crashed run with our pid
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return UnavailableError("cannot create " + tmp + ": " + std::strerror(errno));
  }
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return UnavailableError("cannot write " + tmp);
    }
    done += static_cast<size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) {
    ::unlink(tmp.c_str());
    return UnavailableError("cannot sync " + tmp);
  }
  int linked = ::link(tmp.c_str(), path.c_str());
  int err = errno;
  ::unlink(tmp.c_str());
  if (linked != 0) {
    if (err == EEXIST) return AlreadyExistsError(path + " already exists");
    return UnavailableError("cannot create " + path + ": " + std::strerror(err));
  }
  // The new name must survive a crash right after start-up too.
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
  return OkStatus();
}

Result<LoadedMasterKey> LoadMasterKey(const SecretSources& sources, Rng& rng) {
  LoadedMasterKey out;
  if (!sources.key_file.empty()) {
    CREDSTACK_ASSIGN_OR_RETURN(std::string content,
                               ReadPrivateFile(sources.key_file, 4096));
    Result<crypto::SecretBoxKey> key =
        KeyFromFileContent(content, sources.key_file);
    Wipe(content);
    if (!key.has_value()) return key.error();
    out.key = std::make_shared<MasterKey>(*key);
    out.origin = "file";
    out.path = sources.key_file;
    return out;
  }
  if (!sources.env_key.empty()) {
    CREDSTACK_ASSIGN_OR_RETURN(
        crypto::SecretBoxKey key,
        KeyFromHex(sources.env_key, "CREDSTACK_MASTER_KEY"));
    out.key = std::make_shared<MasterKey>(key);
    out.origin = "environment";
    return out;
  }
  if (sources.data_dir.empty()) {
    return FailedPreconditionError(
        "no master key: set --master-key-file or CREDSTACK_MASTER_KEY");
  }
  std::string path = sources.data_dir + "/master.key";
  for (int attempt = 0; attempt < 2; ++attempt) {
    Result<std::string> content = ReadPrivateFile(path, 4096);
    if (content.has_value()) {
      Result<crypto::SecretBoxKey> key = KeyFromFileContent(*content, path);
      Wipe(*content);
      if (!key.has_value()) return key.error();
      out.key = std::make_shared<MasterKey>(*key);
      out.origin = "data-dir";
      out.path = path;
      return out;
    }
    if (content.error().code() != Code::kNotFound) return content.error();
    crypto::SecretBoxKey key;
    rng.Fill(key);
    std::string hex = HexEncode(key) + "\n";
    Status s = CreatePrivateFile(path, hex);
    Wipe(hex);
    if (s.code() == Code::kAlreadyExists) continue;  // lost a race: read it
    if (!s.ok()) return s;
    out.key = std::make_shared<MasterKey>(key);
    crypto::SecureWipe(key);
    out.origin = "generated";
    out.path = path;
    return out;
  }
  return UnavailableError("cannot read or create " + path);
}

Result<OperatorToken> LoadOperatorToken(const SecretSources& sources,
                                        Rng& rng) {
  auto make = [](std::string_view token, std::string origin,
                 std::string path) -> Result<OperatorToken> {
    token = TrimLine(token);
    if (token.size() < 16 || token.size() > 256 || !IsB64Token(token)) {
      return InvalidArgumentError(
          "operator token must be 16..256 characters of [A-Za-z0-9-._~+/]");
    }
    return OperatorToken{.hash = crypto::Sha256(token),
                         .origin = std::move(origin),
                         .path = std::move(path)};
  };
  if (!sources.env_token.empty()) {
    return make(sources.env_token, "environment", "");
  }
  if (sources.data_dir.empty()) {
    return FailedPreconditionError(
        "no operator token: set CREDSTACK_OPERATOR_TOKEN");
  }
  std::string path = sources.data_dir + "/operator.token";
  for (int attempt = 0; attempt < 2; ++attempt) {
    Result<std::string> content = ReadPrivateFile(path, 4096);
    if (content.has_value()) {
      Result<OperatorToken> t = make(*content, "data-dir", path);
      Wipe(*content);
      return t;
    }
    if (content.error().code() != Code::kNotFound) return content.error();
    std::array<uint8_t, 32> raw;
    rng.Fill(raw);
    std::string token = "cso_" + HexEncode(raw);
    crypto::SecureWipe(raw);
    Status s = CreatePrivateFile(path, token + "\n");
    if (s.code() == Code::kAlreadyExists) {
      Wipe(token);
      continue;
    }
    if (!s.ok()) return s;
    Result<OperatorToken> t = make(token, "generated", path);
    Wipe(token);
    return t;
  }
  return UnavailableError("cannot read or create " + path);
}

Result<std::string> LoadNodeId(const std::string& data_dir, Rng& rng) {
  std::array<uint8_t, 8> raw;
  rng.Fill(raw);
  std::string fresh = "node-" + HexEncode(raw);
  if (data_dir.empty()) return fresh;
  std::string path = data_dir + "/node.id";
  for (int attempt = 0; attempt < 2; ++attempt) {
    Result<std::string> content = ReadPrivateFile(path, 256);
    if (content.has_value()) {
      std::string id(TrimLine(*content));
      if (id.empty() || !IsB64Token(id)) {
        return DataLossError(path + " does not hold a node id");
      }
      return id;
    }
    if (content.error().code() != Code::kNotFound) return content.error();
    Status s = CreatePrivateFile(path, fresh + "\n");
    if (s.code() == Code::kAlreadyExists) continue;
    if (!s.ok()) return s;
    return fresh;
  }
  return UnavailableError("cannot read or create " + path);
}

}  // namespace credstack::app
