#pragma once

// Method + path routing without regular expressions: patterns are split
// into segments once and stored in a segment trie; a request walks it
// segment by segment (literal segments win over parameters).

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/server/auth.h"
#include "credstack/server/http.h"

namespace credstack::server {

struct RouteSpec {
  Method method = Method::kGet;
  // "/api/v1/orgs/{org}/achievements/{id}": literal segments and whole-
  // segment parameters. A route with an {org} parameter is organization
  // scoped: the server checks the key's organization against it.
  std::string pattern;
  Handler handler;
  Policy policy = Policy::kPublic;
  // OpenAPI: summary, tag, request media types (empty: no request body) and
  // response media types of the success response.
  std::string summary;
  std::string tag;
  std::vector<std::string> consumes;
  std::vector<std::string> produces = {"application/json"};
  int success_status = 200;
  // Largest accepted body; 0 uses ServerConfig::max_body, or
  // ServerConfig::max_upload when `upload` is set.
  size_t max_body = 0;
  bool upload = false;
  // Runs on the blocking worker pool (database work, bulk uploads) instead
  // of an I/O thread.
  bool blocking = false;
  // Subject to the per-key / per-IP token buckets.
  bool rate_limited = true;
};

struct Route {
  size_t id = 0;  // index in Router::routes()
  RouteSpec spec;
  std::vector<std::string> param_names;
  bool org_scoped = false;
};

struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed, kOptions };
  Kind kind = Kind::kNotFound;
  const Route* route = nullptr;   // kFound
  std::vector<PathParam> params;  // kFound
  std::string allow;  // kMethodNotAllowed, kOptions: "GET, HEAD, OPTIONS"
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Registers a route. kInvalidArgument for a malformed pattern (must start
  // with '/', parameters are whole segments "{name}" with a unique
  // [A-Za-z0-9_] name, the same position must use the same parameter
  // name across routes), kAlreadyExists for a duplicate method + pattern.
  Status Add(RouteSpec spec);

  // Finds the route for already percent-decoded path segments. HEAD falls
  // back to GET; OPTIONS without an explicit route gives kOptions.
  // Thread-safe once no more routes are added.
  RouteMatch Find(Method method, std::span<const std::string> segments) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace credstack::server
