#include "credstack/server/credential_page.h"

#include "credstack/json/json.h"

namespace credstack::server {
namespace {

std::string Str(const json::Object* o, std::string_view key) {
  if (o == nullptr) return {};
  return std::string(json::GetString(*o, key).value_or(""));
}

// A URL safe to put in href: only http(s).
bool SafeHref(std::string_view url) {
  return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

constexpr std::string_view kStyle = R"(
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;line-height:1.5}
h1{margin-bottom:.2rem}.muted{color:#57606a}.card{border:1px solid #d0d7de;border-radius:8px;padding:1rem 1.2rem;margin:1rem 0}
.ok{color:#1a7f37;font-weight:600}.bad{color:#cf222e;font-weight:600}table{border-collapse:collapse}td{padding:.2rem .8rem .2rem 0;vertical-align:top}
code{font-size:.85em;word-break:break-all}ul{padding-left:1.2rem}footer{margin-top:2rem;font-size:.85em}
)";

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HtmlPage(std::string_view title, std::string_view body) {
  std::string out =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
      "<title>";
  out += HtmlEscape(title);
  out += "</title><style>";
  out += kStyle;
  out += "</style></head><body>\n";
  out += body;
  out +=
      "\n<footer class=\"muted\">Served by credstack · Open Badges 3.0 / "
      "W3C Verifiable Credentials 2.0</footer></body></html>\n";
  return out;
}

std::string RenderCredentialPage(const app::PublicUrls& urls,
                                 const store::Credential& c,
                                 const app::VerificationService* verifier) {
  Result<json::Value> parsed = json::Parse(c.credential_json);
  if (!parsed.has_value() || !parsed->is_object()) {
    return HtmlPage("Credential", "<h1>Credential</h1><p>unreadable</p>");
  }
  const json::Object& vc = parsed->as_object();
  const json::Object* issuer = json::GetObject(vc, "issuer");
  const json::Object* subject = json::GetObject(vc, "credentialSubject");
  const json::Object* achievement =
      subject ? json::GetObject(*subject, "achievement") : nullptr;
  std::string name = Str(achievement, "name");
  if (name.empty()) name = Str(&vc, "name");
  if (name.empty()) name = "Credential";

  std::string b;
  b += "<h1>" + HtmlEscape(name) + "</h1>\n";
  std::string issuer_name = Str(issuer, "name");
  std::string issuer_url = Str(issuer, "url");
  b += "<p class=\"muted\">Issued by ";
  if (SafeHref(issuer_url)) {
    b += "<a href=\"" + HtmlEscape(issuer_url) + "\">" +
         HtmlEscape(issuer_name.empty() ? issuer_url : issuer_name) + "</a>";
  } else {
    b += HtmlEscape(issuer_name.empty() ? "an unnamed issuer" : issuer_name);
  }
  b += "</p>\n";

  if (verifier != nullptr) {
    vc::VerificationReport r = verifier->VerifyCredential(*parsed);
    b += "<div class=\"card\"><strong>Verification:</strong> ";
    if (r.verified) {
      b += "<span class=\"ok\">&#10003; verified</span> (signature, issuer, "
           "validity";
      b += ")";
    } else {
      b += "<span class=\"bad\">&#10007; not verified</span><ul>";
      for (const std::string& e : r.errors)
        b += "<li>" + HtmlEscape(e) + "</li>";
      b += "</ul>";
    }
    b += "</div>\n";
  }

  b += "<div class=\"card\"><table>\n";
  auto row = [&b](std::string_view k, const std::string& v) {
    if (v.empty()) return;
    b += "<tr><td class=\"muted\">" + HtmlEscape(k) + "</td><td>" +
         HtmlEscape(v) + "</td></tr>\n";
  };
  row("Description", Str(achievement, "description"));
  if (achievement) {
    const json::Object* criteria = json::GetObject(*achievement, "criteria");
    row("Criteria", Str(criteria, "narrative"));
    row("Type", Str(achievement, "achievementType"));
    if (const json::Value* cr = achievement->if_contains("creditsAvailable");
        cr && cr->is_number()) {
      row("Credits", json::Serialize(*cr));
    }
  }
  std::string recipient;
  switch (c.recipient_kind) {
    case store::RecipientKind::kDid:
      recipient = "holder of a DID";
      break;
    case store::RecipientKind::kEmailHash:
      recipient = "an email address (salted hash; the address is not shown)";
      break;
    case store::RecipientKind::kOther:
      recipient = "see the credential";
      break;
  }
  row("Recipient", recipient);
  row("Valid from", Str(&vc, "validFrom"));
  row("Valid until", Str(&vc, "validUntil"));
  row("Issuer DID", Str(issuer, "id"));
  row("Credential id", c.id);
  b += "</table></div>\n";

  if (achievement) {
    if (const json::Array* al = json::GetArray(*achievement, "alignment");
        al && !al->empty()) {
      b += "<div class=\"card\"><strong>Skills and alignments</strong><ul>\n";
      for (const json::Value& e : *al) {
        const json::Object* o = e.if_object();
        if (!o) continue;
        std::string tname = Str(o, "targetName");
        std::string turl = Str(o, "targetUrl");
        std::string framework = Str(o, "targetFramework");
        b += "<li>";
        if (SafeHref(turl)) {
          b += "<a href=\"" + HtmlEscape(turl) + "\">" + HtmlEscape(tname) +
               "</a>";
        } else {
          b += HtmlEscape(tname);
        }
        if (!framework.empty()) {
          b += " <span class=\"muted\">(" + HtmlEscape(framework) + ")</span>";
        }
        b += "</li>\n";
      }
      b += "</ul></div>\n";
    }
  }
  std::string page = urls.CredentialUrl(c.id.substr(c.id.rfind(':') + 1));
  b += "<p><a href=\"" + HtmlEscape(page) +
       "?format=json\" type=\"application/ld+json\">Credential JSON</a> · "
       "verify it yourself: <code>curl -s -H 'Accept: application/json' " +
       HtmlEscape(page) +
       " | curl -s -X POST -H 'Content-Type: "
       "application/json' --data-binary @- " +
       HtmlEscape(urls.base()) + "/api/v1/verify</code></p>";
  return HtmlPage(name, b);
}

std::string RenderHomePage(const app::PublicUrls& urls,
                           const std::vector<HomeIssuer>& issuers) {
  std::string b = "<h1>credstack</h1>\n<p class=\"muted\">Open Badges 3.0 micro-credentials: "
                  "issue, verify, revoke, with a transparency log.</p>\n";
  for (const HomeIssuer& i : issuers) {
    b += "<div class=\"card\"><h2>" + HtmlEscape(i.name) + "</h2>";
    b += "<p>Issuer DID <code>" + HtmlEscape(i.did) + "</code> · <a href=\"" +
         HtmlEscape(i.did_document_url) + "\">DID document</a></p>";
    if (!i.achievements.empty()) {
      b += "<h3>Achievements</h3><ul>";
      for (const auto& a : i.achievements) {
        b += "<li><strong>" + HtmlEscape(a.name) + "</strong> — " + HtmlEscape(a.description);
        if (!a.skills.empty()) {
          b += "<br><span class=\"muted\">Skills:</span> ";
          bool first = true;
          for (const auto& [label, url] : a.skills) {
            if (!first) b += ", ";
            first = false;
            if (SafeHref(url)) {
              b += "<a href=\"" + HtmlEscape(url) + "\">" + HtmlEscape(label) + "</a>";
            } else {
              b += HtmlEscape(label);
            }
          }
        }
        b += "</li>";
      }
      b += "</ul>";
    }
    if (!i.credential_urls.empty()) {
      b += "<h3>Sample credentials</h3><ul>";
      for (const std::string& u : i.credential_urls) {
        b += "<li><a href=\"" + HtmlEscape(u) + "\">" + HtmlEscape(u) + "</a></li>";
      }
      b += "</ul>";
    }
    if (!i.source.empty()) b += "<p class=\"muted\">" + HtmlEscape(i.source) + "</p>";
    b += "</div>\n";
  }
  b += "<div class=\"card\"><h3>API</h3><ul>"
       "<li><a href=\"" + HtmlEscape(urls.base()) + "/api/v1/openapi.json\">OpenAPI document</a></li>"
       "<li>Verify any credential: <code>POST " + HtmlEscape(urls.base()) +
       "/api/v1/verify</code></li>"
       "<li>W3C VC-API: <code>POST /credentials/issue</code>, <code>/credentials/verify</code>, "
       "<code>/presentations/verify</code></li>"
       "<li><a href=\"" + HtmlEscape(urls.base()) + "/healthz\">Health</a> · <a href=\"" +
       HtmlEscape(urls.base()) + "/metrics\">Metrics</a></li></ul></div>";
  return HtmlPage("credstack", b);
}

}  // namespace credstack::server
