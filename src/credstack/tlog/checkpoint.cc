#include "credstack/tlog/checkpoint.h"

#include <algorithm>
#include <charconv>

#include "credstack/base/bytes.h"
#include "credstack/base/utf8.h"

namespace credstack::tlog {
namespace {

Status Bad(std::string why) {
  return InvalidArgumentError("checkpoint: " + std::move(why));
}

Status CheckLine(std::string_view line, std::string_view what) {
  if (line.empty()) return Bad(std::string(what) + " is empty");
  if (!IsValidUtf8(line)) return Bad(std::string(what) + " is not UTF-8");
  for (char c : line) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return Bad(std::string(what) + " has a control character");
    }
  }
  return OkStatus();
}

}  // namespace

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  if (text.empty() || text.back() != '\n')
    return Bad("text must end with a newline");
  std::vector<std::string_view> lines;
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    lines.push_back(rest.substr(0, nl));
    rest.remove_prefix(nl + 1);
  }
  if (lines.size() < 3) return Bad("need origin, size and root hash lines");
  Checkpoint cp;
  // tlog-checkpoint "Note text" 1: the origin.
  CREDSTACK_RETURN_IF_ERROR(CheckLine(lines[0], "origin"));
  cp.origin = std::string(lines[0]);
  // 2: tree size, ASCII decimal without leading zeros.
  std::string_view size = lines[1];
  if (size.empty() || size.size() > 20 || (size.size() > 1 && size[0] == '0') ||
      !std::all_of(size.begin(), size.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return Bad("tree size must be decimal without leading zeros");
  }
  auto [ptr, ec] =
      std::from_chars(size.data(), size.data() + size.size(), cp.size);
  if (ec != std::errc() || ptr != size.data() + size.size()) {
    return Bad("tree size out of range");
  }
  // 3: root hash, standard base64 of 32 bytes.
  Result<Bytes> root = Base64Decode(lines[2]);
  if (!root.ok() || root->size() != 32)
    return Bad("root hash must be base64 of 32 bytes");
  std::copy(root->begin(), root->end(), cp.root.begin());
  // 4: extension lines, non-empty.
  for (size_t i = 3; i < lines.size(); ++i) {
    CREDSTACK_RETURN_IF_ERROR(CheckLine(lines[i], "extension line"));
    cp.extensions.emplace_back(lines[i]);
  }
  return cp;
}

Result<std::string> FormatCheckpoint(const Checkpoint& cp) {
  CREDSTACK_RETURN_IF_ERROR(CheckLine(cp.origin, "origin"));
  std::string text = cp.origin + "\n" + std::to_string(cp.size) + "\n" +
                     Base64Encode(cp.root) + "\n";
  for (const std::string& ext : cp.extensions) {
    CREDSTACK_RETURN_IF_ERROR(CheckLine(ext, "extension line"));
    text += ext + "\n";
  }
  return text;
}

Result<std::string> SignCheckpoint(const Checkpoint& checkpoint,
                                   std::span<const NoteSigner* const> signers) {
  CREDSTACK_ASSIGN_OR_RETURN(std::string text, FormatCheckpoint(checkpoint));
  return SignNote(text, signers);
}

Result<OpenedCheckpoint> OpenCheckpoint(
    std::string_view msg, std::string_view origin, const NoteVerifier& log,
    std::span<const NoteVerifier* const> others, const NoteLimits& limits) {
  std::vector<const NoteVerifier*> known = {&log};
  known.insert(known.end(), others.begin(), others.end());
  OpenedCheckpoint out;
  CREDSTACK_ASSIGN_OR_RETURN(out.note, OpenNote(msg, known, limits));
  const bool log_signed = std::any_of(
      out.note.verified.begin(), out.note.verified.end(),
      [&](const OpenedNote::Verified& v) { return v.verifier == &log; });
  if (!log_signed)
    return UnauthenticatedError("checkpoint: not signed by the log key");
  CREDSTACK_ASSIGN_OR_RETURN(out.checkpoint,
                             ParseCheckpoint(out.note.note.text));
  if (out.checkpoint.origin != origin) {
    return InvalidArgumentError("checkpoint: origin \"" +
                                out.checkpoint.origin + "\" is not \"" +
                                std::string(origin) + "\"");
  }
  return out;
}

}  // namespace credstack::tlog
