#include "credstack/crypto/multikey.h"

#include <algorithm>

namespace credstack::crypto {

std::string EncodeEd25519PublicMultikey(const Ed25519PublicKey& key) {
  return MultibaseEncode(Multibase::kBase58Btc, MulticodecWrap(kMulticodecEd25519Pub, key));
}

Result<Ed25519PublicKey> DecodeEd25519PublicMultikey(std::string_view text) {
  if (text.empty() || text[0] != 'z') {
    return InvalidArgumentError("publicKeyMultibase must be base58btc ('z' prefix)");
  }
  CREDSTACK_ASSIGN_OR_RETURN(Bytes raw, MultibaseDecode(text));
  CREDSTACK_ASSIGN_OR_RETURN(Multicodec mc, MulticodecUnwrap(raw));
  if (mc.code != kMulticodecEd25519Pub) {
    return UnimplementedError("unsupported Multikey type (multicodec 0x" +
                              HexEncode(MulticodecWrap(mc.code, {})) +
                              "); only Ed25519 (0xed01) is supported");
  }
  if (mc.payload.size() != 32) {
    return InvalidArgumentError("Ed25519 public key must be 32 bytes, got " +
                                std::to_string(mc.payload.size()));
  }
  Ed25519PublicKey key;
  std::copy(mc.payload.begin(), mc.payload.end(), key.begin());
  return key;
}

std::string EncodeEd25519SecretMultikey(const Ed25519Seed& seed) {
  Bytes wrapped = MulticodecWrap(kMulticodecEd25519Priv, seed);
  std::string out = MultibaseEncode(Multibase::kBase58Btc, wrapped);
  SecureWipe(wrapped);
  return out;
}

Result<Ed25519Seed> DecodeEd25519SecretMultikey(std::string_view text) {
  if (text.empty() || text[0] != 'z') {
    return InvalidArgumentError("secretKeyMultibase must be base58btc ('z' prefix)");
  }
  CREDSTACK_ASSIGN_OR_RETURN(Bytes raw, MultibaseDecode(text));
  auto mc = MulticodecUnwrap(raw);
  SecureWipe(raw);
  if (!mc.ok()) return mc.error();
  if (mc->code != kMulticodecEd25519Priv) {
    return UnimplementedError("unsupported secret key type; only Ed25519 (0x8026) is supported");
  }
  if (mc->payload.size() != 32 && mc->payload.size() != 64) {
    return InvalidArgumentError("Ed25519 secret key must be 32 bytes");
  }
  Ed25519Seed seed;
  std::copy_n(mc->payload.begin(), 32, seed.begin());
  if (mc->payload.size() == 64) {
    Ed25519KeyPair kp = Ed25519KeyPair::FromSeed(seed);
    if (!std::equal(kp.public_key().begin(), kp.public_key().end(), mc->payload.begin() + 32)) {
      SecureWipe(mc->payload);
      return InvalidArgumentError("secret key's public half does not match its seed");
    }
  }
  SecureWipe(mc->payload);
  return seed;
}

std::string DidKeyFor(const Ed25519PublicKey& key) {
  return "did:key:" + EncodeEd25519PublicMultikey(key);
}

std::string DidKeyVerificationMethodFor(const Ed25519PublicKey& key) {
  std::string mk = EncodeEd25519PublicMultikey(key);
  return "did:key:" + mk + "#" + mk;
}

Result<VerificationMethod> ResolveDidKey(std::string_view did_url) {
  constexpr std::string_view kPrefix = "did:key:";
  if (did_url.substr(0, kPrefix.size()) != kPrefix) {
    return InvalidArgumentError("not a did:key identifier");
  }
  std::string_view rest = did_url.substr(kPrefix.size());
  std::string_view fragment;
  if (size_t hash = rest.find('#'); hash != std::string_view::npos) {
    fragment = rest.substr(hash + 1);
    rest = rest.substr(0, hash);
  }
  if (rest.size() > 128) return InvalidArgumentError("did:key identifier too long");
  CREDSTACK_ASSIGN_OR_RETURN(Ed25519PublicKey key, DecodeEd25519PublicMultikey(rest));
  if (!fragment.empty() && fragment != rest) {
    return InvalidArgumentError("did:key fragment must be the key itself (#" + std::string(rest) +
                                ")");
  }
  return VerificationMethod{
      .id = "did:key:" + std::string(rest) + "#" + std::string(rest),
      .controller = "did:key:" + std::string(rest),
      .public_key = key};
}

}  // namespace credstack::crypto
