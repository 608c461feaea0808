#pragma once

// The catalog of achievements used for planning: what each achievement
// teaches (Open Badges 3.0 alignments to skills), what it costs (hours,
// price, credits), its level, issuer and prerequisites. The JSON format is
// specified in docs/formats/catalog.md.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "credstack/base/status.h"
#include "credstack/pathways/framework.h"

namespace credstack::pathways {

// Open Badges 3.0 Alignment (OB 3.0 section B.1.2, "Alignment"): a skill or
// competency the achievement teaches.
struct Alignment {
  std::string target_name;
  std::string target_url;
  std::string target_description;
  std::string target_framework;
  std::string target_code;
  std::string target_type;
};

struct Issuer {
  std::string id;  // DID or URL
  std::string name;
  bool trusted = false;
};

struct Achievement {
  std::string id;
  std::string name;
  std::string issuer;  // Issuer::id; may name an issuer not listed
  std::vector<Alignment> alignment;
  double hours = 0;
  double price = 0;
  std::string currency;
  double credits = 0;
  std::optional<int> level;                // e.g. EQF level 1-8
  std::vector<std::string> prerequisites;  // other achievement ids
};

struct CatalogOptions {
  size_t max_bytes = 256u << 20;  // of the JSON text
  size_t max_achievements = 1'000'000;
  size_t max_alignments = 256;     // per achievement
  size_t max_prerequisites = 256;  // per achievement
};

// A validated catalog: unique ids, known prerequisites without cycles,
// non-negative costs, every alignment resolved to a skill. Move-only
// (indexes point into owned strings); thread-safe for concurrent reads.
class Catalog {
 public:
  Catalog(Catalog&&) = default;
  Catalog& operator=(Catalog&&) = default;
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  std::span<const Achievement> achievements() const { return achievements_; }
  std::span<const Issuer> issuers() const { return issuers_; }
  // Skill ids taught by the catalog: framework skill ids when the catalog was
  // validated against a framework, else each alignment's targetUrl (or
  // targetCode when it has no URL).
  std::span<const std::string> skills() const { return skill_ids_; }
  // Resolved skill indices of achievement a (sorted, unique).
  std::span<const uint32_t> skills_of(uint32_t a) const {
    return skills_of_[a];
  }
  // Prerequisite achievement indices of achievement a.
  std::span<const uint32_t> prerequisites_of(uint32_t a) const {
    return prereqs_of_[a];
  }
  // Achievements teaching skill s.
  std::span<const uint32_t> teachers(uint32_t s) const { return teachers_[s]; }
  // Issuer index of achievement a (into issuers(), which also lists the
  // issuers that achievements name without declaring them, untrusted).
  uint32_t issuer_of(uint32_t a) const { return issuer_of_[a]; }
  // Achievement indices with every prerequisite before its dependants.
  std::span<const uint32_t> topological_order() const { return topo_; }

  std::optional<uint32_t> FindAchievement(std::string_view id) const;
  std::optional<uint32_t> FindSkill(std::string_view id) const;
  std::optional<uint32_t> FindIssuer(std::string_view id) const;
  // Framework the skills were resolved against ("ESCO 1.1.1"), if any.
  const std::string& framework_name() const { return framework_name_; }

  // Validates and indexes. Errors (kInvalidArgument) name the offending
  // achievement by its JSON path ("$.achievements[3].prerequisites[0]"):
  // empty catalog, duplicate or empty id, unknown prerequisite, cyclic
  // prerequisites (the cycle is listed), negative or non-finite cost, an
  // alignment without targetUrl and targetCode, or (with a framework) an
  // alignment to a skill the framework does not define. kResourceExhausted
  // when a CatalogOptions limit is exceeded.
  static Result<Catalog> Build(std::vector<Achievement> achievements,
                               std::vector<Issuer> issuers,
                               const Framework* framework,
                               const CatalogOptions& options = {});

 private:
  Catalog() = default;
  std::vector<Achievement> achievements_;
  std::vector<Issuer> issuers_;
  std::vector<std::string> skill_ids_;
  std::vector<std::vector<uint32_t>> skills_of_, prereqs_of_, teachers_;
  std::vector<uint32_t> issuer_of_, topo_;
  std::unordered_map<std::string_view, uint32_t> achievement_index_,
      skill_index_, issuer_index_;
  std::string framework_name_;
};

// Parses the catalog JSON (docs/formats/catalog.md) and validates it like
// Catalog::Build. Errors name the JSON path.
Result<Catalog> ParseCatalog(std::string_view json, const Framework* framework,
                             const CatalogOptions& options = {});

// Resolves one alignment to a skill id: with a framework, targetUrl or
// targetCode must be a framework skill id; without one, targetUrl, else
// targetCode. kInvalidArgument when it cannot be resolved.
Result<std::string> ResolveAlignment(const Alignment& a,
                                     const Framework* framework);

}  // namespace credstack::pathways
