#include "credstack/vc/verification_method.h"

#include <algorithm>

#include "credstack/crypto/multikey.h"

namespace credstack::vc {
namespace {

bool ListsMethod(const json::Object& doc, std::string_view relationship, std::string_view vm_id,
                 std::string_view base) {
  const json::Value* rel = doc.if_contains(relationship);
  if (!rel) return false;
  auto matches = [&](const json::Value& v) {
    std::string_view id;
    if (v.is_string()) {
      id = v.get_string();
    } else if (const auto* o = v.if_object()) {
      auto s = json::GetString(*o, "id");
      if (s) id = *s;
    }
    if (id == vm_id) return true;
    // Relative reference "#key-1" against the document's base.
    return !id.empty() && id[0] == '#' && std::string(base) + std::string(id) == vm_id;
  };
  if (rel->is_array()) {
    return std::any_of(rel->get_array().begin(), rel->get_array().end(), matches);
  }
  return matches(*rel);
}

Result<crypto::Ed25519PublicKey> KeyFromMethod(const json::Object& vm) {
  if (auto mb = json::GetString(vm, "publicKeyMultibase")) {
    return crypto::DecodeEd25519PublicMultikey(*mb);
  }
  if (const json::Object* jwk = json::GetObject(vm, "publicKeyJwk")) {
    auto kty = json::GetString(*jwk, "kty");
    auto crv = json::GetString(*jwk, "crv");
    auto x = json::GetString(*jwk, "x");
    if (kty != "OKP" || crv != "Ed25519" || !x) {
      return UnimplementedError("only Ed25519 (OKP) JSON Web Keys are supported");
    }
    CREDSTACK_ASSIGN_OR_RETURN(Bytes raw, Base64UrlDecode(*x));
    if (raw.size() != 32) return InvalidArgumentError("Ed25519 JWK x must be 32 bytes");
    crypto::Ed25519PublicKey key;
    std::copy(raw.begin(), raw.end(), key.begin());
    return key;
  }
  return InvalidArgumentError("verification method has no publicKeyMultibase or publicKeyJwk");
}

}  // namespace

Result<std::string> DidWebToUrl(std::string_view did) {
  constexpr std::string_view kPrefix = "did:web:";
  if (did.substr(0, kPrefix.size()) != kPrefix) return InvalidArgumentError("not a did:web");
  std::string_view rest = did.substr(kPrefix.size());
  if (rest.empty() || rest.size() > 512) return InvalidArgumentError("invalid did:web");
  std::string url = "https://";
  bool first = true;
  size_t start = 0;
  while (start <= rest.size()) {
    size_t colon = rest.find(':', start);
    std::string_view part =
        rest.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
    if (part.empty()) return InvalidArgumentError("invalid did:web: empty path segment");
    for (char c : part) {
      if (c == '/' || c == '?' || c == '#' || c == '@' || static_cast<unsigned char>(c) <= 0x20) {
        return InvalidArgumentError("invalid did:web: character not allowed");
      }
    }
    std::string seg(part);
    if (first) {
      // Percent-encoded port: example.com%3A8443.
      size_t p = seg.find("%3A");
      if (p == std::string::npos) p = seg.find("%3a");
      if (p != std::string::npos) seg.replace(p, 3, ":");
      url += seg;
      first = false;
    } else {
      url += "/" + seg;
    }
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  url += rest.find(':') == std::string_view::npos ? "/.well-known/did.json" : "/did.json";
  return url;
}

Result<ResolvedKey> ResolveVerificationMethod(std::string_view vm_url,
                                              const DocumentResolver* resolver) {
  if (vm_url.size() > 2048) return InvalidArgumentError("verification method URL too long");
  size_t colon = vm_url.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return InvalidArgumentError("verification method \"" + std::string(vm_url.substr(0, 80)) +
                                "\" is not a URL (no scheme)");
  }
  std::string_view scheme = vm_url.substr(0, colon);
  if (scheme == "did") {
    size_t second = vm_url.find(':', 4);
    std::string_view method =
        second == std::string_view::npos ? std::string_view{} : vm_url.substr(4, second - 4);
    if (method == "key") {
      CREDSTACK_ASSIGN_OR_RETURN(crypto::VerificationMethod vm, crypto::ResolveDidKey(vm_url));
      return ResolvedKey{vm.id, vm.controller, vm.public_key, true, true};
    }
    if (method != "web") {
      return UnimplementedError("unsupported DID method \"" + std::string(method.substr(0, 40)) +
                                "\" (supported: did:key, did:web)");
    }
  } else if (scheme != "https" && scheme != "http") {
    return UnimplementedError("unsupported verification method scheme \"" +
                              std::string(scheme.substr(0, 40)) + "\"");
  }
  size_t hash = vm_url.find('#');
  std::string_view base = vm_url.substr(0, hash);
  if (resolver == nullptr) {
    return UnavailableError("cannot resolve " + std::string(base) +
                            ": no resolver configured (offline; supply the document)");
  }
  CREDSTACK_ASSIGN_OR_RETURN(std::shared_ptr<const json::Value> doc, resolver->Resolve(base));
  const json::Object* root = doc->if_object();
  if (!root) return InvalidArgumentError("controller document for " + std::string(base) + " is not an object");
  std::string doc_id(json::GetString(*root, "id").value_or(base));
  // The method may sit in verificationMethod or be embedded in a relationship.
  const json::Object* found = nullptr;
  for (std::string_view section : {"verificationMethod", "assertionMethod", "authentication"}) {
    const json::Array* list = json::GetArray(*root, section);
    if (!list) continue;
    for (const auto& e : *list) {
      const auto* o = e.if_object();
      auto id = o ? json::GetString(*o, "id") : std::nullopt;
      if (!id) continue;
      bool same = *id == vm_url || (!id->empty() && (*id)[0] == '#' &&
                                    doc_id + std::string(*id) == vm_url);
      if (same) {
        found = o;
        break;
      }
    }
    if (found) break;
  }
  // A document that is itself the verification method (https key URL).
  if (!found && json::GetString(*root, "publicKeyMultibase") && hash == std::string_view::npos) {
    found = root;
  }
  if (!found) {
    return NotFoundError("verification method " + std::string(vm_url.substr(0, 200)) +
                         " is not listed in its controller document");
  }
  CREDSTACK_ASSIGN_OR_RETURN(crypto::Ed25519PublicKey key, KeyFromMethod(*found));
  ResolvedKey out;
  out.id = std::string(vm_url);
  out.controller = std::string(json::GetString(*found, "controller").value_or(doc_id));
  out.public_key = key;
  out.assertion_method = ListsMethod(*root, "assertionMethod", vm_url, doc_id);
  out.authentication = ListsMethod(*root, "authentication", vm_url, doc_id);
  return out;
}

}  // namespace credstack::vc
