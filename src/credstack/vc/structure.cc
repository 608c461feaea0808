#include "credstack/vc/structure.h"

#include <map>
#include <mutex>

#include "credstack/base/time.h"
#include "credstack/json/schema.h"
#include "credstack/vc/internal/embedded_schemas.h"

namespace credstack::vc {
namespace {

using json::Path;

class Collector {
 public:
  explicit Collector(std::vector<StructureError>& errors) : errors_(errors) {}
  void Error(const Path& p, std::string message) { errors_.push_back({p.str(), std::move(message)}); }

 private:
  std::vector<StructureError>& errors_;
};

// RFC 3986 §3.1: an absolute URL starts with a scheme.
bool IsUrl(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || s.size() > 8192) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (size_t i = 1; i < colon; ++i) {
    char c = s[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.')) return false;
  }
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= 0x20) return false;
  }
  return true;
}

void CheckUrlMember(const json::Object& o, std::string_view key, const Path& path, Collector& c,
                    bool required) {
  const json::Value* v = o.if_contains(key);
  if (!v) {
    if (required) c.Error(path.Key(key), "required property is missing");
    return;
  }
  if (!v->is_string()) {
    c.Error(path.Key(key), "must be a URL string");
  } else if (!IsUrl(v->get_string())) {
    c.Error(path.Key(key), "must be a URL");
  }
}

void CheckTypes(const json::Object& o, const Path& path, Collector& c, bool required,
                std::string_view must_contain = {}) {
  const json::Value* t = o.if_contains("type");
  if (!t) {
    if (required) c.Error(path.Key("type"), "required property is missing");
    return;
  }
  bool ok = t->is_string() || t->is_array();
  if (t->is_array()) {
    if (t->get_array().empty()) ok = false;
    for (const auto& e : t->get_array()) ok = ok && e.is_string() && !e.get_string().empty();
  }
  if (!ok) {
    c.Error(path.Key("type"), "must be a string or a non-empty array of strings");
    return;
  }
  if (!must_contain.empty() && !HasType(o, must_contain)) {
    c.Error(path.Key("type"), "must include \"" + std::string(must_contain) + "\"");
  }
}

void CheckDate(const json::Object& o, std::string_view key, const Path& path, Collector& c,
               bool require_offset) {
  const json::Value* v = o.if_contains(key);
  if (!v) return;
  if (!v->is_string()) {
    c.Error(path.Key(key), "must be a date-time string");
    return;
  }
  auto t = ParseDateTime(v->get_string(), {.require_offset = require_offset});
  if (!t.ok()) c.Error(path.Key(key), t.error().message());
}

// Objects with a type and optional id: credentialStatus, credentialSchema,
// refreshService, termsOfUse, evidence (VC DM 2.0 §4.10–4.12, §5.4–5.6).
void CheckTypedObjects(const json::Object& o, std::string_view key, const Path& path,
                       Collector& c, bool id_required) {
  const json::Value* v = o.if_contains(key);
  if (!v) return;
  auto one = [&](const json::Value& e, const Path& p) {
    const auto* eo = e.if_object();
    if (!eo) {
      c.Error(p, "must be an object");
      return;
    }
    CheckTypes(*eo, p, c, true);
    CheckUrlMember(*eo, "id", p, c, id_required);
  };
  if (v->is_array()) {
    for (size_t i = 0; i < v->get_array().size(); ++i) one(v->get_array()[i], path.Key(key).Index(i));
  } else {
    one(*v, path.Key(key));
  }
}

VcVersion DetectVersion(const json::Object& o, const Path& path, Collector& c) {
  const json::Value* ctx = o.if_contains("@context");
  if (!ctx) {
    c.Error(path.Key("@context"), "required property is missing");
    return VcVersion::kUnknown;
  }
  const json::Value* first = ctx;
  if (ctx->is_array()) {
    if (ctx->get_array().empty()) {
      c.Error(path.Key("@context"), "must not be empty");
      return VcVersion::kUnknown;
    }
    first = &ctx->get_array()[0];
    for (size_t i = 0; i < ctx->get_array().size(); ++i) {
      const auto& e = ctx->get_array()[i];
      if (!e.is_string() && !e.is_object()) {
        c.Error(path.Key("@context").Index(i), "must be a URL or a context object");
      }
    }
  }
  if (first->is_string() && first->get_string() == kVc2Context) return VcVersion::kV2;
  if (first->is_string() && first->get_string() == kVc1Context) return VcVersion::kV1;
  c.Error(path.Key("@context").Index(0), std::string("first context must be \"") + kVc2Context +
                                             "\" (or \"" + kVc1Context + "\" for VC 1.1)");
  return VcVersion::kUnknown;
}

std::shared_ptr<const json::Schema> SchemaByName(std::string_view file) {
  static std::once_flag once;
  static std::map<std::string, std::shared_ptr<const json::Schema>, std::less<>>* schemas;
  std::call_once(once, [] {
    schemas = new std::map<std::string, std::shared_ptr<const json::Schema>, std::less<>>();
    for (size_t i = 0; i < internal::kEmbeddedSchemasCount; ++i) {
      const auto& e = internal::kEmbeddedSchemas[i];
      auto doc = json::Parse(e.body, {.max_depth = 128});
      CREDSTACK_CHECK_MSG(doc.ok(), e.key);
      auto s = json::Schema::Compile(std::move(*doc));
      CREDSTACK_CHECK_MSG(s.ok(), s.error().ToString());
      schemas->emplace(std::string(e.key), *s);
    }
  });
  auto it = schemas->find(file);
  return it == schemas->end() ? nullptr : it->second;
}

void CheckCommon(const json::Object& o, VcVersion version, const Path& root, Collector& c) {
  CheckTypes(o, root, c, true, "VerifiableCredential");
  if (o.contains("id")) CheckUrlMember(o, "id", root, c, false);
  // issuer: URL or object with a URL id (VC DM 2.0 §4.7).
  if (const json::Value* issuer = o.if_contains("issuer")) {
    if (issuer->is_string()) {
      if (!IsUrl(issuer->get_string())) c.Error(root.Key("issuer"), "must be a URL");
    } else if (const auto* io = issuer->if_object()) {
      CheckUrlMember(*io, "id", root.Key("issuer"), c, true);
    } else {
      c.Error(root.Key("issuer"), "must be a URL or an object with an id");
    }
  } else {
    c.Error(root.Key("issuer"), "required property is missing");
  }
  // credentialSubject: object or non-empty array of objects (§4.8).
  if (const json::Value* cs = o.if_contains("credentialSubject")) {
    auto one = [&](const json::Value& s, const Path& p) {
      if (!s.is_object()) {
        c.Error(p, "must be an object");
      } else if (s.get_object().empty()) {
        c.Error(p, "must not be empty");
      } else if (s.get_object().contains("id")) {
        CheckUrlMember(s.get_object(), "id", p, c, false);
      }
    };
    if (cs->is_array()) {
      if (cs->get_array().empty()) c.Error(root.Key("credentialSubject"), "must not be empty");
      for (size_t i = 0; i < cs->get_array().size(); ++i) {
        one(cs->get_array()[i], root.Key("credentialSubject").Index(i));
      }
    } else {
      one(*cs, root.Key("credentialSubject"));
    }
  } else {
    c.Error(root.Key("credentialSubject"), "required property is missing");
  }
  if (version == VcVersion::kV2) {
    CheckDate(o, "validFrom", root, c, true);
    CheckDate(o, "validUntil", root, c, true);
  } else if (version == VcVersion::kV1) {
    if (!o.contains("issuanceDate")) c.Error(root.Key("issuanceDate"), "required in VC 1.1");
    CheckDate(o, "issuanceDate", root, c, false);
    CheckDate(o, "expirationDate", root, c, false);
  }
  CheckTypedObjects(o, "credentialStatus", root, c, false);
  CheckTypedObjects(o, "credentialSchema", root, c, true);
  CheckTypedObjects(o, "refreshService", root, c, false);
  CheckTypedObjects(o, "termsOfUse", root, c, false);
  CheckTypedObjects(o, "evidence", root, c, false);
}

}  // namespace

bool HasType(const json::Object& o, std::string_view t) {
  const json::Value* v = o.if_contains("type");
  if (!v) return false;
  if (v->is_string()) return v->get_string() == t;
  if (v->is_array()) {
    for (const auto& e : v->get_array()) {
      if (e.is_string() && e.get_string() == t) return true;
    }
  }
  return false;
}

std::string IssuerId(const json::Object& credential) {
  const json::Value* issuer = credential.if_contains("issuer");
  if (issuer == nullptr) return {};
  if (issuer->is_string()) return std::string(issuer->get_string());
  if (const json::Object* o = issuer->if_object()) {
    return std::string(json::GetString(*o, "id").value_or(""));
  }
  return {};
}

std::string StructureResult::Summary(size_t max) const {
  std::string out;
  for (size_t i = 0; i < errors.size() && i < max; ++i) {
    if (!out.empty()) out += "; ";
    out += errors[i].path + ": " + errors[i].message;
  }
  if (errors.size() > max) out += "; … (" + std::to_string(errors.size() - max) + " more)";
  return out;
}

StructureResult ValidateCredential(const json::Value& doc, const StructureOptions& options) {
  StructureResult r;
  Collector c(r.errors);
  Path root;
  const auto* o = doc.if_object();
  if (!o) {
    c.Error(root, "a credential must be a JSON object");
    return r;
  }
  r.version = DetectVersion(*o, root, c);
  CheckCommon(*o, r.version, root, c);
  if (options.require_proof && !o->contains("proof")) {
    c.Error(root.Key("proof"), "the credential has no proof (it is not signed)");
  }
  r.open_badge = HasType(*o, "OpenBadgeCredential") || HasType(*o, "AchievementCredential");
  bool endorsement = HasType(*o, "EndorsementCredential");
  if (options.require_open_badge && !r.open_badge) {
    c.Error(root.Key("type"), "must include \"OpenBadgeCredential\" or \"AchievementCredential\"");
  }
  if (options.open_badges_schema && r.version == VcVersion::kV2 && (r.open_badge || endorsement)) {
    auto schema = SchemaByName(endorsement && !r.open_badge ? "endorsementcredential"
                                                            : "achievementcredential");
    for (auto& e : schema->Validate(doc, 20)) {
      // proof shapes are checked by the proof check, with better messages.
      if (e.path.rfind("$.proof", 0) == 0) continue;
      // Extensible vocabularies (OB 3.0 "EnumExt" types) meet values from
      // other frameworks in real credentials: report, do not reject.
      auto& list = e.value_only ? r.warnings : r.errors;
      list.push_back({std::move(e.path), std::move(e.message)});
    }
  }
  return r;
}

StructureResult ValidatePresentation(const json::Value& doc, const StructureOptions& options) {
  StructureResult r;
  Collector c(r.errors);
  Path root;
  const auto* o = doc.if_object();
  if (!o) {
    c.Error(root, "a presentation must be a JSON object");
    return r;
  }
  r.version = DetectVersion(*o, root, c);
  CheckTypes(*o, root, c, true, "VerifiablePresentation");
  if (o->contains("id")) CheckUrlMember(*o, "id", root, c, false);
  if (const json::Value* h = o->if_contains("holder")) {
    if (h->is_string() ? !IsUrl(h->get_string()) : !h->is_object()) {
      c.Error(root.Key("holder"), "must be a URL or an object with an id");
    }
  }
  if (const json::Value* vcs = o->if_contains("verifiableCredential")) {
    if (!vcs->is_array() && !vcs->is_object()) {
      c.Error(root.Key("verifiableCredential"), "must be an object or an array of objects");
    }
  }
  if (options.require_proof && !o->contains("proof")) {
    c.Error(root.Key("proof"), "the presentation has no proof");
  }
  return r;
}

}  // namespace credstack::vc
