#include "credstack/server/http.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "credstack/base/utf8.h"

namespace credstack::server {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]);
    unsigned char y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

bool CleanText(std::string_view s) {
  return s.find('\0') == std::string_view::npos && IsValidUtf8(s);
}

}  // namespace

std::string_view MethodName(Method m) {
  switch (m) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
    case Method::kOptions:
      return "OPTIONS";
    case Method::kOther:
      return "OTHER";
  }
  return "OTHER";
}

Method ParseMethod(std::string_view name) {
  if (name == "GET") return Method::kGet;
  if (name == "POST") return Method::kPost;
  if (name == "HEAD") return Method::kHead;
  if (name == "PUT") return Method::kPut;
  if (name == "PATCH") return Method::kPatch;
  if (name == "DELETE") return Method::kDelete;
  if (name == "OPTIONS") return Method::kOptions;
  return Method::kOther;
}

std::string_view HeaderList::Get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return {};
}

std::string_view Request::PathParameter(std::string_view name) const {
  for (const PathParam& p : path_params_) {
    if (p.name == name) return p.value;
  }
  return {};
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  for (const QueryParam& q : query_) {
    if (q.name == name) return std::string_view(q.value);
  }
  return std::nullopt;
}

Result<std::vector<std::string>> Request::ParseTarget(size_t max_segments) {
  // RFC 9112 §3.2.1: the origin-form "absolute-path [ ? query ]".
  auto parsed = boost::urls::parse_origin_form(target_);
  if (!parsed) {
    return InvalidArgumentError("malformed request target");
  }
  const boost::urls::url_view& u = *parsed;
  path_ = std::string_view(u.encoded_path().data(), u.encoded_path().size());
  std::vector<std::string> segments;
  auto encoded = u.encoded_segments();
  if (encoded.size() > max_segments) {
    return InvalidArgumentError("request path has too many segments");
  }
  segments.reserve(encoded.size());
  for (auto seg : encoded) {
    std::string s = seg.decode();
    if (!CleanText(s)) {
      return InvalidArgumentError(
          "request path holds an encoded NUL or invalid UTF-8");
    }
    segments.push_back(std::move(s));
  }
  query_.clear();
  if (u.has_query()) {
    boost::urls::encoding_opts opt;
    opt.space_as_plus = true;
    for (auto p : u.encoded_params()) {
      QueryParam q;
      q.name = p.key.decode(opt);
      if (p.has_value) q.value = p.value.decode(opt);
      if (!CleanText(q.name) || !CleanText(q.value)) {
        return InvalidArgumentError(
            "query holds an encoded NUL or invalid UTF-8");
      }
      query_.push_back(std::move(q));
    }
  }
  return segments;
}

Response Response::Json(int status, const json::Value& value,
                        std::string content_type) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = json::Serialize(value);
  return r;
}

Response Response::Raw(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Response Response::FromProblem(const Problem& p) {
  return Json(p.status, p.ToJson(), std::string(kProblemContentType));
}

Response Response::FromStatus(const Status& s, StatusContext ctx) {
  Response r = FromProblem(Problem::FromStatus(s, ctx));
  if (r.status >= 500) r.log_detail = s.ToString();
  return r;
}

Result<json::Value> ParseJsonBody(const Request& req,
                                  const json::ParseOptions& options) {
  if (req.body().empty()) {
    return InvalidArgumentError("the request body is empty; send JSON");
  }
  Result<json::Value> v = json::Parse(req.body(), options);
  if (!v.has_value()) return v.error().WithPrefix("request body");
  return v;
}

}  // namespace credstack::server
