#include "credstack/cli/io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "credstack/app/secrets.h"

namespace credstack::cli {

Result<std::string> ReadInput(std::string_view path, size_t max_bytes) {
  std::string name(path);
  int fd = name == "-" ? STDIN_FILENO : ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NotFoundError("cannot open " + name + ": " + std::strerror(errno));
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      if (fd != STDIN_FILENO) ::close(fd);
      return NotFoundError("cannot read " + name + ": " + std::strerror(err));
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      if (fd != STDIN_FILENO) ::close(fd);
      return ResourceExhaustedError(name + " is larger than " + std::to_string(max_bytes) + " bytes");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  if (fd != STDIN_FILENO) ::close(fd);
  return out;
}

Result<json::Value> ReadJsonFile(std::string_view path, const json::ParseOptions& options) {
  CREDSTACK_ASSIGN_OR_RETURN(std::string text, ReadInput(path, options.max_size + 1));
  auto v = json::Parse(text, options);
  if (!v.ok()) return v.error().WithPrefix(std::string(path == "-" ? "stdin" : path));
  return v;
}

Status WritePrivateFile(const std::string& path, std::string_view content) {
  Status s = app::CreatePrivateFile(path, content);
  if (s.code() == Code::kAlreadyExists) {
    return AlreadyExistsError(path + " already exists; refusing to overwrite it");
  }
  return s;
}

void WriteStdout(std::string_view s) {
  size_t off = 0;
  while (off < s.size()) {
    size_t n = std::fwrite(s.data() + off, 1, s.size() - off, stdout);
    if (n == 0) break;
    off += n;
  }
}

}  // namespace credstack::cli
