#include "credstack/app/urls.h"

namespace credstack::app {

Result<PublicUrls> PublicUrls::Create(std::string_view base) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  std::string_view rest;
  if (base.rfind("https://", 0) == 0) {
    rest = base.substr(8);
  } else if (base.rfind("http://", 0) == 0) {
    rest = base.substr(7);
  } else {
    return InvalidArgumentError("public URL must start with https:// or http://: " + std::string(base));
  }
  if (rest.empty() || rest.find_first_of("?#@ ") != std::string_view::npos) {
    return InvalidArgumentError("public URL must be scheme://host[:port][/path]");
  }
  PublicUrls u;
  u.base_ = std::string(base);
  // did:web §3.1: host with ":" port percent-encoded; path segments with ":".
  size_t slash = rest.find('/');
  std::string_view host = rest.substr(0, slash);
  std::string did = "did:web:";
  for (char c : host) {
    if (c == ':') {
      did += "%3A";
    } else {
      did += c;
    }
  }
  if (slash != std::string_view::npos) {
    std::string_view path = rest.substr(slash + 1);
    size_t start = 0;
    while (start < path.size()) {
      size_t next = path.find('/', start);
      std::string_view seg = path.substr(start, next == std::string_view::npos ? path.npos : next - start);
      if (!seg.empty()) {
        did += ':';
        did += seg;
      }
      if (next == std::string_view::npos) break;
      start = next + 1;
    }
  }
  u.host_did_ = did;
  return u;
}

std::string PublicUrls::IssuerDid(std::string_view org_slug) const {
  return host_did_ + ":issuers:" + std::string(org_slug);
}

std::string PublicUrls::IssuerDidDocumentUrl(std::string_view org_slug) const {
  return base_ + "/issuers/" + std::string(org_slug) + "/did.json";
}

std::string PublicUrls::CredentialUrl(std::string_view credential_uuid) const {
  return base_ + "/credentials/" + std::string(credential_uuid);
}

std::string PublicUrls::StatusListUrl(std::string_view list_id) const {
  return base_ + "/status/" + std::string(list_id);
}

}  // namespace credstack::app
