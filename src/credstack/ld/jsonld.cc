// Public entry points of the JSON-LD processor (JSON-LD 1.1 API §9.1
// expand() and toRdf()).

#include "credstack/ld/jsonld.h"

#include <algorithm>
#include <boost/json/monotonic_resource.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "credstack/ld/internal/context.h"
#include "credstack/ld/internal/direct_to_rdf.h"
#include "credstack/ld/internal/expand.h"
#include "credstack/ld/internal/to_rdf.h"

namespace credstack::ld {

Result<json::Value> Expand(const json::Value& input,
                           const JsonLdOptions& options) {
  internal::Budget budget{&options.limits};
  boost::json::storage_ptr sp =
      boost::json::make_shared_resource<boost::json::monotonic_resource>();
  return internal::ExpandDocument(input, options, budget, sp);
}

Result<Dataset> ToRdf(const json::Value& input, const JsonLdOptions& options) {
  internal::Budget budget{&options.limits};
  // The expanded form only lives during this call: bump-allocate it from a
  // per-thread buffer (ToRdf does not re-enter itself).
  constexpr size_t kArena = 256 * 1024;
  thread_local std::unique_ptr<unsigned char[]> arena(
      new unsigned char[kArena]);
  boost::json::monotonic_resource mr(arena.get(), kArena);
  CREDSTACK_ASSIGN_OR_RETURN(
      json::Value expanded,
      internal::ExpandDocument(input, options, budget,
                               boost::json::storage_ptr(&mr)));
  return internal::DeserializeToRdf(expanded, options);
}

Status ToRdfDataset(const json::Object& input, const JsonLdOptions& options,
                    const DocumentView& view, RdfDataset& out) {
  if (internal::DirectToRdf(input, options, view, out)) return OkStatus();
  // The spec path, on a copy of the viewed document.
  json::Object copy;
  copy.reserve(input.size() + 1);
  for (const auto& kv : input) {
    if (std::find(view.skip_members.begin(), view.skip_members.end(),
                  kv.key()) != view.skip_members.end()) {
      continue;
    }
    if (view.context && kv.key() == "@context") continue;
    copy.emplace(kv.key(), kv.value());
  }
  if (view.context) copy["@context"] = *view.context;
  CREDSTACK_ASSIGN_OR_RETURN(Dataset d,
                             ToRdf(json::Value(std::move(copy)), options));
  out = RdfDataset::FromDataset(d);
  return OkStatus();
}

Result<RdfDataset> ToRdfDataset(const json::Object& input,
                                const JsonLdOptions& options,
                                const DocumentView& view) {
  RdfDataset out;
  CREDSTACK_RETURN_IF_ERROR(ToRdfDataset(input, options, view, out));
  return out;
}

Result<RdfDataset> ToRdfDataset(const json::Value& input,
                                const JsonLdOptions& options,
                                const DocumentView& view) {
  if (const json::Object* o = input.if_object()) {
    return ToRdfDataset(*o, options, view);
  }
  if (!view.skip_members.empty() || view.context) {
    return InvalidArgumentError(
        "ToRdfDataset: a document view needs an object document");
  }
  RdfDataset out;
  if (internal::DirectToRdf(input, options, out)) return out;
  CREDSTACK_ASSIGN_OR_RETURN(Dataset d, ToRdf(input, options));
  return RdfDataset::FromDataset(d);
}

std::string CanonicalDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return "0.0E0";
  // ECMAScript Number.prototype.toExponential(15): 16 significant digits,
  // ties rounded away from zero (on the exact binary value). printf rounds
  // ties to even, so detect an exact tie from a longer expansion.
  char longer[64];
  std::snprintf(longer, sizeof longer, "%.40e", std::fabs(d));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15e", std::fabs(d));
  std::string_view tail(longer + 17);  // digits after the 16th significant one
  tail = tail.substr(0, tail.find('e'));
  if (!tail.empty() && tail[0] == '5' &&
      tail.find_first_not_of('0', 1) == std::string_view::npos) {
    // Exact tie: round the 16-digit mantissa of `longer` up by hand.
    std::string digits(longer, 17);  // "d.ddddddddddddddd"
    int exp = std::atoi(std::strchr(longer, 'e') + 1);
    int i = static_cast<int>(digits.size()) - 1;
    while (i >= 0) {
      if (digits[i] == '.') {
        --i;
        continue;
      }
      if (digits[i] == '9') {
        digits[i] = '0';
        --i;
      } else {
        ++digits[i];
        break;
      }
    }
    if (i < 0) {  // 9.999... rounded to 10.000...
      digits = "1." + std::string(15, '0');
      ++exp;
    }
    std::snprintf(buf, sizeof buf, "%se%+d", digits.c_str(), exp);
  }
  // buf is "d.ddddddddddddddde[+-]x"; jsonld.js then applies
  // .replace(/(\d)0*e\+?/, '$1E').
  std::string_view s(buf);
  size_t e = s.find('e');
  std::string_view mantissa = s.substr(0, e);
  int exp = std::atoi(buf + e + 1);
  size_t end = mantissa.find_last_not_of('0');
  if (mantissa[end] == '.') ++end;  // keep one fraction digit
  std::string out = d < 0 ? "-" : "";
  out.append(mantissa.substr(0, end + 1));
  out.append("E").append(std::to_string(exp));
  return out;
}

}  // namespace credstack::ld
