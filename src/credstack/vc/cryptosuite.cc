#include "credstack/vc/cryptosuite.h"

namespace credstack::vc {

const Cryptosuite* FindCryptosuite(std::string_view name) {
  if (name == EddsaJcs2022().name()) return &EddsaJcs2022();
  if (name == EddsaRdfc2022().name()) return &EddsaRdfc2022();
  return nullptr;
}

std::vector<std::string_view> CryptosuiteNames() {
  std::vector<std::string_view> out;
  out.push_back(EddsaRdfc2022().name());
  out.push_back(EddsaJcs2022().name());
  return out;
}

SuiteOptions MakeSuiteOptions(std::shared_ptr<const ld::ContextStore> contexts) {
  SuiteOptions o;
  if (!contexts || contexts == ld::ContextStore::Bundled()) {
    o.contexts = ld::ContextStore::Bundled();
    return o;
  }
  o.contexts = contexts;
  o.loader = std::make_shared<ld::ContextStoreLoader>(contexts);
  o.context_cache = std::make_shared<ld::ContextCache>();
  return o;
}

}  // namespace credstack::vc
