#pragma once

// The human-readable page of a credential (GET /credentials/{id} with
// Accept: text/html): badge name, issuer, recipient kind (never an email,
// which the credential does not hold anyway), dates, skills/alignments and
// the verification result. Every value is HTML-escaped.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "credstack/app/urls.h"
#include "credstack/app/verification.h"
#include "credstack/store/types.h"

namespace credstack::server {

// Escapes & < > " ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

// verifier may be null (no verification section then).
std::string RenderCredentialPage(const app::PublicUrls& urls,
                                 const store::Credential& credential,
                                 const app::VerificationService* verifier);

// The home page (GET /): what this deployment is, its demo issuer (when
// --demo created one: organization, achievements with their ESCO skills,
// sample credentials) and where the API is.
struct HomeIssuer {
  std::string name;
  std::string did;
  std::string did_document_url;
  struct Achievement {
    std::string name;
    std::string description;
    std::vector<std::pair<std::string, std::string>> skills;  // label, URL
  };
  std::vector<Achievement> achievements;
  std::vector<std::string> credential_urls;
  std::string source;  // skills attribution
};
std::string RenderHomePage(const app::PublicUrls& urls,
                           const std::vector<HomeIssuer>& issuers);

// Shared page frame (title escaped, body as given).
std::string HtmlPage(std::string_view title, std::string_view body);

}  // namespace credstack::server
