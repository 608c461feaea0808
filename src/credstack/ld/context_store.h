#pragma once

// The pinned set of JSON-LD context documents. credstack never fetches a
// context: a URL is either bundled (compiled in from data/contexts/) or was
// added by the operator (a contexts directory read by the caller), or it
// fails to load.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/json/json.h"

namespace credstack::ld {

struct ContextDocument {
  std::string url;
  std::shared_ptr<const json::Value> document;  // the parsed JSON
  bool bundled = false;
};

// Immutable after setup; Load() is thread-safe.
class ContextStore {
 public:
  // The process-wide store holding only the bundled contexts.
  static std::shared_ptr<const ContextStore> Bundled();

  // A store with the bundled contexts, to which Add() can add more.
  ContextStore();

  // Adds a document for url. Fails with kInvalidArgument on malformed JSON
  // and kAlreadyExists when the URL is bundled (pinned contexts cannot be
  // replaced) or already added.
  Status Add(std::string url, std::string_view json_text);

  // Returns the document for url, or kNotFound naming the URL.
  Result<ContextDocument> Load(std::string_view url) const;
  bool Contains(std::string_view url) const;
  std::vector<std::string> Urls() const;

 private:
  std::map<std::string, ContextDocument, std::less<>> docs_;
};

}  // namespace credstack::ld
