#include "credstack/app/did_documents.h"

namespace credstack::app {
namespace {

json::Array Contexts() {
  return json::Array{"https://www.w3.org/ns/did/v1",
                     "https://w3id.org/security/multikey/v1"};
}

}  // namespace

json::Value IssuerDidDocument(const PublicUrls& urls,
                              const store::Organization& org,
                              std::span<const store::SigningKey> keys) {
  std::string did = urls.IssuerDid(org.slug);
  json::Object doc;
  doc["@context"] = Contexts();
  doc["id"] = did;
  json::Array methods;
  json::Array assertion;
  for (const store::SigningKey& k : keys) {
    json::Object vm;
    vm["id"] = k.verification_method;
    vm["type"] = "Multikey";
    vm["controller"] = did;
    vm["publicKeyMultibase"] = k.public_key_multibase;
    methods.push_back(std::move(vm));
    assertion.push_back(json::Value(k.verification_method));
  }
  doc["verificationMethod"] = std::move(methods);
  doc["assertionMethod"] = std::move(assertion);
  return doc;
}

json::Value HostDidDocument(const PublicUrls& urls) {
  json::Object doc;
  doc["@context"] = Contexts();
  doc["id"] = urls.host_did();
  doc["verificationMethod"] = json::Array{};
  doc["assertionMethod"] = json::Array{};
  return doc;
}

}  // namespace credstack::app
