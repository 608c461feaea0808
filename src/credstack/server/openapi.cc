#include "credstack/server/openapi.h"

#include <cctype>

namespace credstack::server {
namespace {

std::string OperationId(const Route& r) {
  std::string id(MethodName(r.spec.method));
  for (char& c : id) c = static_cast<char>(std::tolower(c));
  bool up = true;
  for (char c : r.spec.pattern) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      id += up ? static_cast<char>(std::toupper(c)) : c;
      up = false;
    } else {
      up = true;
    }
  }
  return id;
}

json::Object MediaContent(const std::vector<std::string>& types,
                          const char* schema_ref) {
  json::Object content;
  for (const std::string& t : types) {
    json::Object media;
    if (schema_ref != nullptr) {
      media["schema"] = json::Object{{"$ref", schema_ref}};
    } else if (t.rfind("text/", 0) == 0) {
      media["schema"] = json::Object{{"type", "string"}};
    } else {
      media["schema"] = json::Object{};
    }
    content[t] = std::move(media);
  }
  return content;
}

}  // namespace

json::Value BuildOpenApi(const Router& router, const OpenApiInfo& info) {
  json::Object doc;
  doc["openapi"] = "3.1.0";
  doc["info"] = json::Object{{"title", info.title},
                             {"version", info.version},
                             {"description", info.description}};
  json::Object paths;
  for (const auto& route : router.routes()) {
    const RouteSpec& s = route->spec;
    json::Object op;
    op["operationId"] = OperationId(*route);
    if (!s.summary.empty()) op["summary"] = s.summary;
    if (!s.tag.empty()) op["tags"] = json::Array{json::Value(s.tag)};
    op["x-credstack-policy"] = PolicyName(s.policy);
    if (!route->param_names.empty()) {
      json::Array params;
      for (const std::string& p : route->param_names) {
        params.push_back(
            json::Object{{"name", p},
                         {"in", "path"},
                         {"required", true},
                         {"schema", json::Object{{"type", "string"}}}});
      }
      op["parameters"] = std::move(params);
    }
    if (s.policy != Policy::kPublic) {
      op["security"] = json::Array{json::Object{{"bearerAuth", json::Array{}}}};
    }
    if (!s.consumes.empty()) {
      op["requestBody"] = json::Object{
          {"required", true}, {"content", MediaContent(s.consumes, nullptr)}};
    }
    json::Object responses;
    json::Object ok{{"description", "Success"}};
    if (!s.produces.empty() && s.success_status != 204) {
      ok["content"] = MediaContent(s.produces, nullptr);
    }
    responses[std::to_string(s.success_status)] = std::move(ok);
    responses["default"] = json::Object{
        {"description", "An RFC 9457 problem"},
        {"content", MediaContent({std::string(kProblemContentType)},
                                 "#/components/schemas/Problem")}};
    op["responses"] = std::move(responses);

    std::string method(MethodName(s.method));
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    json::Value& item = paths[s.pattern];
    if (!item.is_object()) item = json::Object{};
    item.as_object()[method] = std::move(op);
  }
  doc["paths"] = std::move(paths);

  auto str = [] { return json::Object{{"type", "string"}}; };
  json::Object error_item{
      {"type", "object"},
      {"properties", json::Object{{"path", str()}, {"message", str()}}}};
  json::Object problem_props{
      {"type", json::Object{{"type", "string"}, {"format", "uri-reference"}}},
      {"title", str()},
      {"status", json::Object{{"type", "integer"}}},
      {"detail", str()},
      {"instance", str()},
      {"code", str()},
      {"field", str()},
      {"errors", json::Object{{"type", "array"}, {"items", error_item}}}};
  doc["components"] = json::Object{
      {"securitySchemes",
       json::Object{{"bearerAuth", json::Object{{"type", "http"},
                                                {"scheme", "bearer"},
                                                {"description",
                                                 "An organization API key"}}}}},
      {"schemas",
       json::Object{{"Problem", json::Object{{"type", "object"},
                                             {"properties", problem_props}}}}}};
  return doc;
}

}  // namespace credstack::server
