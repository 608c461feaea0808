#pragma once

// OpenAPI 3.1 description generated from the route table, served at
// /api/v1/openapi.json. Each route contributes its path parameters,
// security (bearer API key unless public), request media types and a
// problem+json default response.

#include <string>

#include "credstack/json/json.h"
#include "credstack/server/router.h"

namespace credstack::server {

struct OpenApiInfo {
  std::string title = "credstack API";
  std::string version = "0.1.0";
  std::string description =
      "Open Badges 3.0 issuance, verification and W3C VC-API.";
};

json::Value BuildOpenApi(const Router& router, const OpenApiInfo& info);

}  // namespace credstack::server
