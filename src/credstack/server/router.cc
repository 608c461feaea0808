#include "credstack/server/router.h"

#include <utility>

namespace credstack::server {

struct Router::Node {
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
  std::unique_ptr<Node> param;
  std::string param_name;  // of `param`
  std::array<const Route*, kMethodCount> by_method{};

  Node* Literal(std::string_view s) const {
    for (const auto& [text, child] : literals) {
      if (text == s) return child.get();
    }
    return nullptr;
  }
};

namespace {

bool IsParamNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

struct PatternSegment {
  std::string text;
  bool is_param = false;
};

Result<std::vector<PatternSegment>> SplitPattern(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    return InvalidArgumentError("route pattern must start with '/': " +
                                std::string(pattern));
  }
  std::vector<PatternSegment> out;
  if (pattern == "/") return out;
  size_t pos = 1;
  while (true) {
    size_t slash = pattern.find('/', pos);
    std::string_view seg = pattern.substr(pos, slash == std::string_view::npos
                                                   ? std::string_view::npos
                                                   : slash - pos);
    if (seg.empty()) {
      return InvalidArgumentError("empty segment in route pattern " +
                                  std::string(pattern));
    }
    if (seg.front() == '{') {
      if (seg.size() < 3 || seg.back() != '}') {
        return InvalidArgumentError("malformed parameter in " +
                                    std::string(pattern));
      }
      std::string_view name = seg.substr(1, seg.size() - 2);
      for (char c : name) {
        if (!IsParamNameChar(c)) {
          return InvalidArgumentError("bad parameter name in " +
                                      std::string(pattern));
        }
      }
      out.push_back({std::string(name), true});
    } else {
      if (seg.find_first_of("{}") != std::string_view::npos) {
        return InvalidArgumentError("parameters must span a whole segment: " +
                                    std::string(pattern));
      }
      out.push_back({std::string(seg), false});
    }
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return out;
}

std::string AllowList(const std::array<const Route*, kMethodCount>& m) {
  std::string allow;
  auto add = [&](std::string_view name) {
    if (!allow.empty()) allow += ", ";
    allow += name;
  };
  for (size_t i = 0; i < kMethodCount; ++i) {
    Method method = static_cast<Method>(i);
    if (method == Method::kHead || method == Method::kOptions) continue;
    if (m[i] != nullptr) {
      add(MethodName(method));
      if (method == Method::kGet) add("HEAD");
    }
  }
  if (m[static_cast<size_t>(Method::kHead)] != nullptr &&
      m[static_cast<size_t>(Method::kGet)] == nullptr) {
    add("HEAD");
  }
  add("OPTIONS");
  return allow;
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

Status Router::Add(RouteSpec spec) {
  if (!spec.handler) return InvalidArgumentError("route without a handler");
  if (spec.method == Method::kOther) {
    return InvalidArgumentError("route with an unknown method");
  }
  CREDSTACK_ASSIGN_OR_RETURN(std::vector<PatternSegment> segs,
                             SplitPattern(spec.pattern));
  std::vector<std::string> names;
  for (const PatternSegment& s : segs) {
    if (!s.is_param) continue;
    for (const std::string& n : names) {
      if (n == s.text) {
        return InvalidArgumentError("duplicate parameter {" + s.text + "} in " +
                                    spec.pattern);
      }
    }
    names.push_back(s.text);
  }
  // Validate the whole path before changing the trie.
  {
    const Node* n = root_.get();
    for (const PatternSegment& s : segs) {
      if (n == nullptr) break;
      if (s.is_param) {
        if (n->param && n->param_name != s.text) {
          return InvalidArgumentError(
              "route " + spec.pattern + " names parameter {" + s.text +
              "} where another route has {" + n->param_name + "}");
        }
        n = n->param.get();
      } else {
        n = n->Literal(s.text);
      }
    }
    if (n != nullptr &&
        n->by_method[static_cast<size_t>(spec.method)] != nullptr) {
      return AlreadyExistsError("duplicate route " +
                                std::string(MethodName(spec.method)) + " " +
                                spec.pattern);
    }
  }
  Node* n = root_.get();
  for (const PatternSegment& s : segs) {
    if (s.is_param) {
      if (!n->param) {
        n->param = std::make_unique<Node>();
        n->param_name = s.text;
      }
      n = n->param.get();
    } else {
      Node* next = n->Literal(s.text);
      if (next == nullptr) {
        n->literals.emplace_back(s.text, std::make_unique<Node>());
        next = n->literals.back().second.get();
      }
      n = next;
    }
  }
  auto route = std::make_unique<Route>();
  route->id = routes_.size();
  route->org_scoped = false;
  for (const std::string& p : names) {
    if (p == "org") route->org_scoped = true;
  }
  route->param_names = std::move(names);
  route->spec = std::move(spec);
  n->by_method[static_cast<size_t>(route->spec.method)] = route.get();
  routes_.push_back(std::move(route));
  return OkStatus();
}

namespace {

// Depth-first walk; literals first, then the parameter child. Recursion
// depth is bounded by the number of segments, which the caller bounds.
template <typename NodeT>
const NodeT* Walk(const NodeT* n, std::span<const std::string> segs, size_t i,
                  std::vector<size_t>& param_at) {
  if (i == segs.size()) {
    for (const Route* r : n->by_method) {
      if (r != nullptr) return n;
    }
    return nullptr;
  }
  if (const NodeT* lit = n->Literal(segs[i])) {
    if (const NodeT* found = Walk(lit, segs, i + 1, param_at)) return found;
  }
  if (n->param && !segs[i].empty()) {
    param_at.push_back(i);
    if (const NodeT* found = Walk(n->param.get(), segs, i + 1, param_at)) {
      return found;
    }
    param_at.pop_back();
  }
  return nullptr;
}

}  // namespace

RouteMatch Router::Find(Method method,
                        std::span<const std::string> segments) const {
  RouteMatch m;
  std::vector<size_t> param_at;
  const Node* node = Walk(root_.get(), segments, 0, param_at);
  if (node == nullptr) {
    m.kind = RouteMatch::Kind::kNotFound;
    return m;
  }
  const Route* r = nullptr;
  if (method != Method::kOther) {
    r = node->by_method[static_cast<size_t>(method)];
    if (r == nullptr && method == Method::kHead) {
      r = node->by_method[static_cast<size_t>(Method::kGet)];
    }
  }
  if (r == nullptr) {
    m.kind = method == Method::kOptions ? RouteMatch::Kind::kOptions
                                        : RouteMatch::Kind::kMethodNotAllowed;
    m.allow = AllowList(node->by_method);
    return m;
  }
  m.kind = RouteMatch::Kind::kFound;
  m.route = r;
  m.params.reserve(param_at.size());
  for (size_t k = 0; k < param_at.size() && k < r->param_names.size(); ++k) {
    m.params.push_back({r->param_names[k], segments[param_at[k]]});
  }
  return m;
}

}  // namespace credstack::server
