#include "credstack/ld/internal/iri.h"

#include <array>
#include <optional>

namespace credstack::ld::internal {
namespace {

bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of a leading RFC 3986 scheme followed by ':' (including the
// colon), or 0 when there is none.
size_t SchemeLength(std::string_view s) {
  if (s.empty() || !IsAlpha(s[0])) return 0;
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == ':') return i + 1;
    if (!(IsAlpha(c) || IsDigit(c) || c == '+' || c == '-' || c == '.'))
      return 0;
  }
  return 0;
}

struct UriParts {
  std::optional<std::string_view> scheme;
  std::optional<std::string_view> authority;
  std::string_view path;
  std::optional<std::string_view> query;
  std::optional<std::string_view> fragment;
};

// RFC 3986 Appendix B parsing.
UriParts Split(std::string_view s) {
  UriParts p;
  if (size_t n = SchemeLength(s); n > 0) {
    p.scheme = s.substr(0, n - 1);
    s.remove_prefix(n);
  }
  if (size_t h = s.find('#'); h != std::string_view::npos) {
    p.fragment = s.substr(h + 1);
    s = s.substr(0, h);
  }
  if (size_t q = s.find('?'); q != std::string_view::npos) {
    p.query = s.substr(q + 1);
    s = s.substr(0, q);
  }
  if (s.size() >= 2 && s[0] == '/' && s[1] == '/') {
    s.remove_prefix(2);
    size_t end = s.find('/');
    if (end == std::string_view::npos) end = s.size();
    p.authority = s.substr(0, end);
    s.remove_prefix(end);
  }
  p.path = s;
  return p;
}

// RFC 3986 §5.2.4.
std::string RemoveDotSegments(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../") || in == "/..") {
      if (in.size() == 3) {
        in = "/";
      } else {
        in.remove_prefix(3);
      }
      size_t last = out.rfind('/');
      out.resize(last == std::string::npos ? 0 : last);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      size_t start = in[0] == '/' ? 1 : 0;
      size_t next = in.find('/', start);
      if (next == std::string_view::npos) next = in.size();
      out.append(in.substr(0, next));
      in.remove_prefix(next);
    }
  }
  return out;
}

// RFC 3986 §5.2.3.
std::string MergePaths(const UriParts& base, std::string_view ref_path) {
  if (base.authority && base.path.empty()) return "/" + std::string(ref_path);
  size_t last = base.path.rfind('/');
  if (last == std::string_view::npos) return std::string(ref_path);
  std::string out(base.path.substr(0, last + 1));
  out.append(ref_path);
  return out;
}

}  // namespace

bool IsKeyword(std::string_view s) {
  if (s.size() < 3 || s[0] != '@') return false;
  // Dispatch on length: this runs for every key and many values.
  switch (s.size()) {
    case 3:
      return s == "@id";
    case 5:
      return s == "@base" || s == "@json" || s == "@list" || s == "@nest" ||
             s == "@none" || s == "@type";
    case 4:
      return s == "@set";
    case 6:
      return s == "@graph" || s == "@index" || s == "@value" || s == "@vocab";
    case 7:
      return s == "@import" || s == "@prefix";
    case 8:
      return s == "@context" || s == "@default" || s == "@reverse" ||
             s == "@version";
    case 9:
      return s == "@language" || s == "@included" || s == "@preserve";
    case 10:
      return s == "@container" || s == "@direction" || s == "@propagate" ||
             s == "@protected";
    default:
      return false;
  }
}

bool HasKeywordForm(std::string_view s) {
  if (s.size() < 2 || s[0] != '@') return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (!IsAlpha(s[i])) return false;
  }
  return true;
}

namespace {
// JavaScript's \s, ASCII part (the rest is rare in IRIs and is rejected by
// IsWellFormedIri anyway).
constexpr std::array<bool, 256> kSpace = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : std::string_view(" \t\n\r\f\v")) t[c] = true;
  return t;
}();
}  // namespace

bool IsAbsoluteIri(std::string_view s) {
  size_t n = IsBlankNodeId(s) ? 2 : SchemeLength(s);
  if (n == 0) return false;
  for (size_t i = n; i < s.size(); ++i) {
    if (kSpace[static_cast<unsigned char>(s[i])]) return false;
  }
  return true;
}

namespace {
// Bytes not allowed in an N-Quads IRIREF: controls, space, <>"{}|^`\ .
constexpr std::array<bool, 256> kIriForbidden = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c <= 0x20; ++c) t[c] = true;
  for (unsigned char c : std::string_view("<>\"{}|^`\\")) t[c] = true;
  t[0x7f] = true;
  return t;
}();
}  // namespace

bool IsWellFormedIri(std::string_view s) {
  if (SchemeLength(s) == 0) return false;
  bool fragment = false;
  for (unsigned char c : s) {
    if (kIriForbidden[c]) return false;
    if (c == '#') {
      if (fragment) return false;  // RFC 3987: a fragment cannot contain '#'
      fragment = true;
    }
  }
  return true;
}

bool IsWellFormedLanguage(std::string_view s) {
  size_t i = 0;
  size_t n = 0;
  while (i < s.size() && IsAlpha(s[i])) ++i, ++n;
  if (n < 1 || n > 8) return false;
  while (i < s.size()) {
    if (s[i] != '-') return false;
    ++i;
    n = 0;
    while (i < s.size() && (IsAlpha(s[i]) || IsDigit(s[i]))) ++i, ++n;
    if (n < 1 || n > 8) return false;
  }
  return true;
}

std::string ResolveIri(std::string_view base, std::string_view reference) {
  if (base.empty()) return std::string(reference);
  UriParts r = Split(reference);
  UriParts b = Split(base);
  std::string out;
  out.reserve(base.size() + reference.size());
  auto append = [&](std::optional<std::string_view> scheme,
                    std::optional<std::string_view> authority,
                    std::string_view path,
                    std::optional<std::string_view> query) {
    if (scheme) out.append(*scheme).push_back(':');
    if (authority) out.append("//").append(*authority);
    out.append(path);
    if (query) out.append("?").append(*query);
    if (r.fragment) out.append("#").append(*r.fragment);
  };
  // RFC 3986 §5.2.2 (strict: a reference with a scheme is absolute).
  if (r.scheme) {
    append(r.scheme, r.authority, RemoveDotSegments(r.path), r.query);
    return out;
  }
  if (r.authority) {
    append(b.scheme, r.authority, RemoveDotSegments(r.path), r.query);
    return out;
  }
  if (r.path.empty()) {
    append(b.scheme, b.authority, b.path, r.query ? r.query : b.query);
    return out;
  }
  std::string path = r.path[0] == '/'
                         ? RemoveDotSegments(r.path)
                         : RemoveDotSegments(MergePaths(b, r.path));
  append(b.scheme, b.authority, path, r.query);
  return out;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace credstack::ld::internal
