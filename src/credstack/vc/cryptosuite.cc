#include "credstack/vc/cryptosuite.h"

namespace credstack::vc {

const Cryptosuite* FindCryptosuite(std::string_view name) {
  if (name == EddsaJcs2022().name()) return &EddsaJcs2022();
  if (const Cryptosuite* rdfc = EddsaRdfc2022OrNull(); rdfc && name == rdfc->name()) return rdfc;
  return nullptr;
}

std::vector<std::string_view> CryptosuiteNames() {
  std::vector<std::string_view> out;
  if (const Cryptosuite* rdfc = EddsaRdfc2022OrNull()) out.push_back(rdfc->name());
  out.push_back(EddsaJcs2022().name());
  return out;
}

// Placeholder until the JSON-LD processor lands; replaced by
// eddsa_rdfc_2022.cc.
const Cryptosuite* EddsaRdfc2022OrNull() { return nullptr; }

}  // namespace credstack::vc
