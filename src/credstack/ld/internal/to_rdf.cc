// JSON-LD 1.1 API (W3C REC 2020-07-16) §7.2 Node Map Generation, §7.4
// Generate Blank Node Identifier, §8.1 Deserialize JSON-LD to RDF, §8.2
// Object to RDF Conversion and §8.3 List to RDF Conversion.

#include "credstack/ld/internal/to_rdf.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <limits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "credstack/json/jcs.h"
#include "credstack/ld/internal/context.h"
#include "credstack/ld/internal/expand.h"
#include "credstack/ld/internal/iri.h"

namespace credstack::ld::internal {
namespace {

constexpr char kRdf[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr char kXsdBoolean[] = "http://www.w3.org/2001/XMLSchema#boolean";
constexpr char kXsdDouble[] = "http://www.w3.org/2001/XMLSchema#double";
constexpr char kXsdInteger[] = "http://www.w3.org/2001/XMLSchema#integer";

std::string RdfIri(std::string_view local) {
  return std::string(kRdf).append(local);
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  out.append(s.substr(0, 200));
  if (s.size() > 200) out.append("...");
  out.push_back('"');
  return out;
}

// A value of a node map entry (§7.2): a value object, a node reference or a
// list object.
struct Item {
  enum class Kind : uint8_t { kValue, kRef, kList };
  Kind kind = Kind::kValue;
  const json::Object* value = nullptr;  // kValue (lives in the expanded tree)
  std::string_view id;                  // kRef
  uint32_t list = 0;                    // kList: index into NodeMap::lists
};

// Strings in the node map are views into the expanded document or into
// NodeMapBuilder::labels_, both of which outlive it.
struct Property {
  std::string_view name;
  std::vector<Item> items;
};

struct Node {
  std::string_view id;
  std::vector<std::string_view> types;
  std::vector<Property> props;
  std::optional<std::string_view> index;
  std::unordered_map<std::string_view, uint32_t> prop_index;

  Property& Prop(std::string_view name) {
    if (props.size() < 16) {
      for (Property& p : props) {
        if (p.name == name) return p;
      }
    } else {
      if (prop_index.empty()) {
        for (uint32_t i = 0; i < props.size(); ++i)
          prop_index.emplace(props[i].name, i);
      }
      if (auto it = prop_index.find(name); it != prop_index.end())
        return props[it->second];
      prop_index.emplace(name, static_cast<uint32_t>(props.size()));
    }
    props.push_back(Property{name, {}});
    return props.back();
  }
};

struct Graph {
  std::string_view name;  // "@default" for the default graph
  std::vector<Node> nodes;
  std::unordered_map<std::string_view, uint32_t> index;

  Node& Get(std::string_view id) {
    // Consecutive lookups are mostly for the same subject, passed down as
    // the same view: skip hashing then.
    if (id.data() == last_id.data() && id.size() == last_id.size() &&
        last < nodes.size()) {
      return nodes[last];
    }
    auto it = index.find(id);
    if (it == index.end()) {
      it = index.emplace(id, static_cast<uint32_t>(nodes.size())).first;
      nodes.push_back(Node{id, {}, {}, {}, {}});
    }
    last_id = id;
    last = it->second;
    return nodes[last];
  }
  std::string_view last_id;
  uint32_t last = UINT32_MAX;
};

// jsonld.js util.compareValues: value objects are the same when @value (by
// ECMAScript ===, so JSON literals never are), @type, @language and @index
// are.
bool SameValueJs(const json::Object& a, const json::Object& b) {
  const json::Value& va = a.at("@value");
  const json::Value& vb = b.at("@value");
  if (va.is_number() && vb.is_number()) {
    if (va.to_number<double>() != vb.to_number<double>()) return false;
  } else if (va.is_string() || va.is_bool()) {
    if (va != vb) return false;
  } else {
    return false;
  }
  for (std::string_view k : {"@type", "@language", "@index"}) {
    const json::Value* x = a.if_contains(k);
    const json::Value* y = b.if_contains(k);
    if ((x == nullptr) != (y == nullptr) || (x && *x != *y)) return false;
  }
  return true;
}

bool SameItem(const Item& a, const Item& b, bool js_compat) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Item::Kind::kRef:
      return a.id == b.id;
    case Item::Kind::kValue:
      // §7.2.2 step 4.1.2 compares maps; jsonld.js compares fewer entries,
      // and its output (duplicates included) is what gets signed.
      return js_compat ? SameValueJs(*a.value, *b.value) : *a.value == *b.value;
    case Item::Kind::kList:
      return false;  // lists are never merged
  }
  return false;
}

void AddUnique(std::vector<Item>& items, Item item, bool js_compat) {
  for (const Item& x : items) {
    if (SameItem(x, item, js_compat)) return;
  }
  items.push_back(std::move(item));
}

class NodeMapBuilder {
 public:
  explicit NodeMapBuilder(const JsonLdOptions& options) : options_(options) {
    graphs_.push_back(Graph{"@default", {}, {}, {}, UINT32_MAX});
    graph_index_.emplace("@default", 0);
  }

  // §7.2.2. subject: active subject id (empty: null); reverse_subject: set
  // when processing a reverse property (the "map" active subject).
  Status Generate(const json::Value& element, uint32_t graph,
                  const std::string_view* subject,
                  const std::string_view* reverse_subject,
                  std::string_view property, std::optional<uint32_t> list,
                  size_t depth);

  std::vector<Graph>& graphs() { return graphs_; }
  std::vector<std::vector<Item>>& lists() { return lists_; }
  // §7.4 Generate Blank Node Identifier.
  std::string_view BlankNode(std::string_view identifier) {
    if (!identifier.empty()) {
      if (auto it = issued_.find(identifier); it != issued_.end())
        return it->second;
    }
    std::string_view id =
        labels_.emplace_back("_:b" + std::to_string(counter_++));
    if (!identifier.empty()) issued_.emplace(identifier, id);
    return id;
  }
  size_t item_count() const { return item_count_; }

 private:
  uint32_t GraphIndex(std::string_view name) {
    if (auto it = graph_index_.find(name); it != graph_index_.end())
      return it->second;
    graph_index_.emplace(name, static_cast<uint32_t>(graphs_.size()));
    graphs_.push_back(Graph{name, {}, {}, {}, UINT32_MAX});
    return static_cast<uint32_t>(graphs_.size() - 1);
  }
  std::string_view Label(std::string_view id) {
    return IsBlankNodeId(id) ? BlankNode(id) : id;
  }

  const JsonLdOptions& options_;
  std::vector<Graph> graphs_;
  std::unordered_map<std::string_view, uint32_t> graph_index_;
  std::vector<std::vector<Item>> lists_;
  std::deque<std::string> labels_;  // generated blank node labels
  std::unordered_map<std::string_view, std::string_view> issued_;
  uint64_t counter_ = 0;
  size_t item_count_ = 0;
};

Status NodeMapBuilder::Generate(const json::Value& element, uint32_t graph,
                                const std::string_view* subject,
                                const std::string_view* reverse_subject,
                                std::string_view property,
                                std::optional<uint32_t> list, size_t depth) {
  if (depth > 2 * options_.limits.max_depth + 8) {
    return ResourceExhaustedError(
        "JSON-LD node map generation nests too deeply");
  }
  // Step 1.
  if (const json::Array* a = element.if_array()) {
    for (const json::Value& item : *a) {
      CREDSTACK_RETURN_IF_ERROR(Generate(item, graph, subject, reverse_subject,
                                         property, list, depth + 1));
    }
    return OkStatus();
  }
  // Step 2.
  const json::Object* obj = element.if_object();
  if (!obj) return OkStatus();  // not produced by expansion
  auto subject_prop = [&]() -> std::vector<Item>& {
    ++item_count_;
    return graphs_[graph].Get(*subject).Prop(property).items;
  };
  // Step 4.
  if (obj->contains("@value")) {
    Item item{Item::Kind::kValue, obj, {}, 0};
    if (!list) {
      if (subject)
        AddUnique(subject_prop(), std::move(item), options_.jsonld_js_compat);
    } else {
      lists_[*list].push_back(std::move(item));
    }
    return OkStatus();
  }
  // Step 5.
  if (const json::Value* l = obj->if_contains("@list")) {
    uint32_t result = static_cast<uint32_t>(lists_.size());
    lists_.emplace_back();
    CREDSTACK_RETURN_IF_ERROR(Generate(*l, graph, subject, reverse_subject,
                                       property, result, depth + 1));
    Item item{Item::Kind::kList, nullptr, {}, result};
    if (!list) {
      if (subject) subject_prop().push_back(std::move(item));
    } else {
      lists_[*list].push_back(std::move(item));
    }
    return OkStatus();
  }
  // Step 6: a node object.
  std::string_view id;
  if (const json::Value* v = obj->if_contains("@id"); v && v->is_string()) {
    id = Label(v->get_string());  // step 6.1
  } else if (v && v->is_null()) {
    id = "";  // a null @id (keyword-like value): never well-formed
  } else {
    id = BlankNode({});  // step 6.2
  }
  graphs_[graph].Get(id);  // step 6.3
  if (reverse_subject) {   // step 6.5
    AddUnique(graphs_[graph].Get(id).Prop(property).items,
              Item{Item::Kind::kRef, nullptr, *reverse_subject, 0},
              options_.jsonld_js_compat);
  } else if (!property.empty()) {  // step 6.6
    Item ref{Item::Kind::kRef, nullptr, id, 0};
    if (!list) {
      if (subject)
        AddUnique(subject_prop(), std::move(ref), options_.jsonld_js_compat);
    } else {
      lists_[*list].push_back(std::move(ref));
    }
  }
  // Step 6.7.
  if (const json::Value* types = obj->if_contains("@type")) {
    std::span<const json::Value> ts(types, 1);
    if (const json::Array* a = types->if_array())
      ts = std::span(a->data(), a->size());
    for (const json::Value& t : ts) {
      if (!t.is_string()) continue;
      std::string_view type = Label(t.get_string());
      Node& node = graphs_[graph].Get(id);
      if (std::find(node.types.begin(), node.types.end(), type) ==
          node.types.end()) {
        node.types.push_back(type);
        ++item_count_;
      }
    }
  }
  // Step 6.8.
  if (const json::Value* index = obj->if_contains("@index");
      index && index->is_string()) {
    Node& node = graphs_[graph].Get(id);
    if (node.index && *node.index != index->get_string()) {
      return LdError("conflicting indexes",
                     "node " + Quote(id) + " has two @index values");
    }
    node.index = std::string_view(index->get_string());
  }
  // Step 6.9.
  if (const json::Value* rev = obj->if_contains("@reverse")) {
    if (const json::Object* r = rev->if_object()) {
      for (const auto& kv : *r) {
        std::span<const json::Value> values(&kv.value(), 1);
        if (const json::Array* a = kv.value().if_array()) {
          values = std::span(a->data(), a->size());
        }
        for (const json::Value& v : values) {
          CREDSTACK_RETURN_IF_ERROR(Generate(v, graph, nullptr, &id, kv.key(),
                                             std::nullopt, depth + 1));
        }
      }
    }
  }
  // Step 6.10.
  if (const json::Value* g = obj->if_contains("@graph")) {
    CREDSTACK_RETURN_IF_ERROR(Generate(*g, GraphIndex(id), nullptr, nullptr, {},
                                       std::nullopt, depth + 1));
  }
  // Step 6.11.
  if (const json::Value* inc = obj->if_contains("@included")) {
    CREDSTACK_RETURN_IF_ERROR(
        Generate(*inc, graph, nullptr, nullptr, {}, std::nullopt, depth + 1));
  }
  // Step 6.12, in property order.
  std::vector<const boost::json::key_value_pair*> entries;
  entries.reserve(obj->size());
  for (const auto& kv : *obj) {
    std::string_view k = kv.key();
    if (k == "@id" || k == "@type" || k == "@index" || k == "@reverse" ||
        k == "@graph" || k == "@included") {
      continue;
    }
    entries.push_back(&kv);
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto* a, const auto* b) { return a->key() < b->key(); });
  for (const boost::json::key_value_pair* kv : entries) {
    std::string_view prop = Label(kv->key());
    graphs_[graph].Get(id).Prop(prop);
    CREDSTACK_RETURN_IF_ERROR(Generate(kv->value(), graph, &id, nullptr, prop,
                                       std::nullopt, depth + 1));
  }
  return OkStatus();
}

// §8.1 to §8.3 over a finished node map.
class Deserializer {
 public:
  Deserializer(const JsonLdOptions& options, NodeMapBuilder& map)
      : options_(options), map_(map) {}

  Status Run(Dataset& out);

 private:
  Result<std::optional<Term>> ObjectToRdf(const Item& item,
                                          Dataset& list_triples,
                                          const Term& graph, size_t depth);
  Result<Term> ListToRdf(uint32_t list, Dataset& list_triples,
                         const Term& graph, size_t depth);
  Result<std::optional<Term>> ValueToRdf(const json::Object& v,
                                         Dataset& list_triples,
                                         const Term& graph);
  Term NodeTerm(std::string_view id) {
    if (IsBlankNodeId(id)) return Term::Blank(std::string(id.substr(2)));
    return Term::Iri(std::string(id));
  }
  Status Room(const Dataset& out) const {
    if (out.size() >= options_.limits.max_quads) {
      return ResourceExhaustedError("JSON-LD to RDF exceeds max_quads (" +
                                    std::to_string(options_.limits.max_quads) +
                                    ")");
    }
    return OkStatus();
  }
  // Appends a quad, building it in place (a Quad is twelve strings).
  Status Emit(Dataset& out, const Term& s, const Term& p, Term&& o,
              const Term& g) {
    CREDSTACK_RETURN_IF_ERROR(Room(out));
    Quad& q = out.emplace_back();
    q.subject = s;
    q.predicate = p;
    q.object = std::move(o);
    q.graph = g;
    return OkStatus();
  }
  Status Add(Dataset& out, Quad&& q) {
    CREDSTACK_RETURN_IF_ERROR(Room(out));
    out.push_back(std::move(q));
    return OkStatus();
  }
  // Well-formed node identifier (§8.1.2): IRI or blank node identifier. In
  // safe mode an ill-formed one is an error instead of being skipped.
  Result<bool> WellFormed(std::string_view id, std::string_view event) {
    if (IsBlankNodeId(id) || IsWellFormedIri(id)) return true;
    if (options_.safe_mode) {
      return SafeModeError(event, Quote(id) + " is not an absolute IRI");
    }
    return false;
  }

  const JsonLdOptions& options_;
  NodeMapBuilder& map_;
};

Status Deserializer::Run(Dataset& out) {
  std::vector<Graph*> graphs;
  for (Graph& g : map_.graphs()) graphs.push_back(&g);
  std::sort(graphs.begin(), graphs.end(),
            [](const Graph* a, const Graph* b) { return a->name < b->name; });
  const Term rdf_type_term = Term::Iri(RdfIri("type"));
  for (Graph* graph : graphs) {
    Term graph_term = Term::DefaultGraph();
    if (graph->name != "@default") {
      CREDSTACK_ASSIGN_OR_RETURN(
          bool ok, WellFormed(graph->name, "relative graph reference"));
      if (!ok) continue;  // step 1.1
      graph_term = NodeTerm(graph->name);
    }
    std::vector<Node*> nodes;
    for (Node& n : graph->nodes) nodes.push_back(&n);
    std::sort(nodes.begin(), nodes.end(),
              [](const Node* a, const Node* b) { return a->id < b->id; });
    for (Node* node : nodes) {
      const bool has_data =
          !node->types.empty() ||
          std::any_of(node->props.begin(), node->props.end(),
                      [](const Property& p) { return !p.items.empty(); });
      if (!has_data) continue;
      CREDSTACK_ASSIGN_OR_RETURN(
          bool subject_ok, WellFormed(node->id, "relative subject reference"));
      if (!subject_ok) continue;  // step 1.3.1
      const Term subject = NodeTerm(node->id);
      // Step 1.3.2.1: @type sorts first among the properties.
      for (std::string_view type : node->types) {
        CREDSTACK_ASSIGN_OR_RETURN(
            bool ok, WellFormed(type, "relative object reference"));
        if (!ok) continue;
        CREDSTACK_RETURN_IF_ERROR(
            Emit(out, subject, rdf_type_term, NodeTerm(type), graph_term));
      }
      std::sort(
          node->props.begin(), node->props.end(),
          [](const Property& a, const Property& b) { return a.name < b.name; });
      for (const Property& p : node->props) {
        if (p.items.empty()) continue;
        if (IsKeyword(p.name)) continue;  // step 1.3.2.2
        if (IsBlankNodeId(p.name) &&
            !options_.produce_generalized_rdf) {  // step 1.3.2.3
          if (options_.safe_mode) {
            return SafeModeError(
                "blank node predicate",
                "property " + Quote(p.name) + " is a blank node");
          }
          continue;
        }
        CREDSTACK_ASSIGN_OR_RETURN(
            bool ok, WellFormed(p.name, "relative predicate reference"));
        if (!ok) continue;  // step 1.3.2.4
        const Term predicate = NodeTerm(p.name);
        const size_t first_quad = out.size();
        for (const Item& item : p.items) {  // step 1.3.2.5
          Dataset list_triples;
          CREDSTACK_ASSIGN_OR_RETURN(
              std::optional<Term> object,
              ObjectToRdf(item, list_triples, graph_term, 0));
          if (object) {
            // Datasets are sets: two JSON-LD values can denote one literal.
            // jsonld.js keeps such duplicates (and rdf-canonize signs them),
            // so compatibility mode does too.
            bool dup = false;
            if (object->kind != TermKind::kBlankNode &&
                !options_.jsonld_js_compat) {
              for (size_t i = first_quad; i < out.size() && !dup; ++i) {
                dup = out[i].predicate == predicate &&
                      out[i].subject == subject && out[i].object == *object;
              }
            }
            if (!dup) {
              CREDSTACK_RETURN_IF_ERROR(Emit(out, subject, predicate,
                                             std::move(*object), graph_term));
            }
          }
          for (Quad& t : list_triples)
            CREDSTACK_RETURN_IF_ERROR(Add(out, std::move(t)));
        }
      }
    }
  }
  return OkStatus();
}

// §8.2.2 Object to RDF Conversion.
Result<std::optional<Term>> Deserializer::ObjectToRdf(const Item& item,
                                                      Dataset& list_triples,
                                                      const Term& graph,
                                                      size_t depth) {
  switch (item.kind) {
    case Item::Kind::kRef: {  // steps 1, 2
      CREDSTACK_ASSIGN_OR_RETURN(
          bool ok, WellFormed(item.id, "relative object reference"));
      if (!ok) return std::optional<Term>();
      return std::optional<Term>(NodeTerm(item.id));
    }
    case Item::Kind::kList: {  // step 3
      CREDSTACK_ASSIGN_OR_RETURN(
          Term head, ListToRdf(item.list, list_triples, graph, depth));
      return std::optional<Term>(std::move(head));
    }
    case Item::Kind::kValue:
      return ValueToRdf(*item.value, list_triples, graph);
  }
  return std::optional<Term>();
}

Result<std::optional<Term>> Deserializer::ValueToRdf(const json::Object& item,
                                                     Dataset& list_triples,
                                                     const Term& graph) {
  // Step 4.
  const json::Value& value = item.at("@value");
  // Step 5.
  std::string datatype;
  bool has_datatype = false;
  if (const json::Value* t = item.if_contains("@type"); t && t->is_string()) {
    datatype = std::string(t->get_string());
    has_datatype = true;
  }
  // Step 6.
  if (has_datatype && datatype != "@json" && !IsWellFormedIri(datatype)) {
    if (options_.safe_mode) {
      return SafeModeError("invalid typed value",
                           "datatype " + Quote(datatype));
    }
    return std::optional<Term>();
  }
  // Step 7.
  std::string language;
  const json::Value* lang = item.if_contains("@language");
  if (lang) {
    if (!lang->is_string() || !IsWellFormedLanguage(lang->get_string())) {
      if (options_.safe_mode) {
        return SafeModeError(
            "invalid @language value",
            "language tag " + json::Serialize(*lang).substr(0, 64));
      }
      return std::optional<Term>();
    }
    language = std::string(lang->get_string());
  }
  std::string lexical;
  if (has_datatype && datatype == "@json") {  // step 8
    CREDSTACK_ASSIGN_OR_RETURN(lexical, json::Canonicalize(value));
    datatype = RdfIri("JSON");
  } else {  // steps 9 to 12
    std::optional<LiteralForm> form = LiteralOf(
        value, has_datatype ? std::optional<std::string_view>(datatype) : std::nullopt,
        lang != nullptr, options_.jsonld_js_compat);
    if (!form) return std::optional<Term>();  // not a literal (ill-formed input)
    lexical = std::move(form->lexical);
    if (!has_datatype) datatype = std::string(form->datatype);
  }
  // Step 13.
  const json::Value* dir = item.if_contains("@direction");
  if (dir && dir->is_string() &&
      options_.rdf_direction != RdfDirection::kNone) {
    std::string lower = AsciiLower(language);
    std::string direction(dir->get_string());
    if (options_.rdf_direction == RdfDirection::kI18nDatatype) {
      return std::optional<Term>(Term::Literal(
          std::move(lexical),
          "https://www.w3.org/ns/i18n#" + lower + "_" + direction));
    }
    Term literal = Term::Blank(std::string(map_.BlankNode({}).substr(2)));
    CREDSTACK_RETURN_IF_ERROR(
        Add(list_triples, Quad{literal, Term::Iri(RdfIri("value")),
                               Term::Literal(std::move(lexical)), graph}));
    if (lang) {
      CREDSTACK_RETURN_IF_ERROR(
          Add(list_triples, Quad{literal, Term::Iri(RdfIri("language")),
                                 Term::Literal(lower), graph}));
    }
    CREDSTACK_RETURN_IF_ERROR(
        Add(list_triples, Quad{literal, Term::Iri(RdfIri("direction")),
                               Term::Literal(direction), graph}));
    return std::optional<Term>(std::move(literal));
  }
  if (dir && options_.safe_mode) {
    return SafeModeError("rdfDirection not set",
                         "@direction needs the rdfDirection option");
  }
  // Step 14.
  if (lang && datatype == kRdfLangString) {
    return std::optional<Term>(
        Term::Literal(std::move(lexical), kRdfLangString, language));
  }
  return std::optional<Term>(
      Term::Literal(std::move(lexical), std::move(datatype)));
}

// §8.3.2 List to RDF Conversion.
Result<Term> Deserializer::ListToRdf(uint32_t list, Dataset& list_triples,
                                     const Term& graph, size_t depth) {
  if (depth > 2 * options_.limits.max_depth + 8) {
    return ResourceExhaustedError("JSON-LD lists nest too deeply");
  }
  const std::vector<Item>& items = map_.lists()[list];
  if (items.empty()) return Term::Iri(RdfIri("nil"));  // step 1
  std::vector<Term> bnodes;                            // step 2
  bnodes.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    bnodes.push_back(Term::Blank(std::string(map_.BlankNode({}).substr(2))));
  }
  const Term first = Term::Iri(RdfIri("first"));
  const Term rest = Term::Iri(RdfIri("rest"));
  for (size_t i = 0; i < items.size(); ++i) {  // step 3
    Dataset embedded;
    CREDSTACK_ASSIGN_OR_RETURN(
        std::optional<Term> object,
        ObjectToRdf(items[i], embedded, graph, depth + 1));
    if (object) {
      CREDSTACK_RETURN_IF_ERROR(
          Add(list_triples, Quad{bnodes[i], first, std::move(*object), graph}));
    }
    Term next = i + 1 < items.size() ? bnodes[i + 1] : Term::Iri(RdfIri("nil"));
    CREDSTACK_RETURN_IF_ERROR(
        Add(list_triples, Quad{bnodes[i], rest, std::move(next), graph}));
    for (Quad& q : embedded)
      CREDSTACK_RETURN_IF_ERROR(Add(list_triples, std::move(q)));
  }
  return bnodes.front();
}

}  // namespace

std::optional<LiteralForm> LiteralOf(const json::Value& value,
                                     std::optional<std::string_view> datatype,
                                     bool has_language, bool js_compat) {
  LiteralForm out;
  if (value.is_bool()) {  // step 9
    out.lexical = value.get_bool() ? "true" : "false";
    out.datatype = datatype ? *datatype : kXsdBoolean;
  } else if (value.is_number()) {  // steps 10, 11
    const double d = value.to_number<double>();
    bool is_double;
    if (js_compat) {
      // jsonld.js: String(v) contains '.' or |v| >= 1e21.
      std::string ecma;
      if (std::isfinite(d)) json::AppendEcmaNumber(d, ecma);
      is_double = ecma.find('.') != std::string::npos || std::fabs(d) >= 1e21;
    } else {
      is_double = std::fabs(d) >= 1e21 || d != std::trunc(d);
    }
    if (is_double || datatype == kXsdDouble) {
      out.lexical = CanonicalDouble(d);
      out.datatype = datatype ? *datatype : kXsdDouble;
    } else {
      if (!js_compat && value.is_int64()) {
        out.lexical = std::to_string(value.get_int64());
      } else if (!js_compat && value.is_uint64()) {
        out.lexical = std::to_string(value.get_uint64());
      } else {
        out.lexical = JsToFixed0(d);
      }
      out.datatype = datatype ? *datatype : kXsdInteger;
    }
  } else if (value.is_string()) {
    if (js_compat && datatype == kXsdDouble) {
      out.lexical = CanonicalDouble(JsParseFloat(value.get_string()));
    } else {
      out.lexical = std::string(value.get_string());
    }
    // Step 12.
    out.datatype = datatype ? *datatype : has_language ? kRdfLangString : kXsdString;
  } else {
    return std::nullopt;
  }
  return out;
}

std::string JsToFixed0(double d) {
  if (d == 0 || std::isnan(d)) return std::isnan(d) ? "NaN" : "0";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  // Number.prototype.toFixed rounds half away from zero on the exact value;
  // %.0f rounds half to even, which differs only on exact .5 ties.
  double r = std::round(d);
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.0f", r);
  return buf;  // "-0" for small negatives, as (-1e-7).toFixed(0) in ECMAScript
}

double JsParseFloat(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
                          s[i] == '\r' || s[i] == '\v' || s[i] == '\f')) {
    ++i;
  }
  size_t start = i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (s.substr(i).starts_with("Infinity")) {
    return s[start] == '-' ? -std::numeric_limits<double>::infinity()
                           : std::numeric_limits<double>::infinity();
  }
  size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    size_t j = i + 1;
    size_t frac = 0;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j, ++frac;
    if (digits + frac > 0) {
      i = j;
      digits += frac;
    }
  }
  if (digits == 0) return std::numeric_limits<double>::quiet_NaN();
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    size_t exp_digits = 0;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j, ++exp_digits;
    if (exp_digits > 0) i = j;
  }
  std::string prefix(s.substr(start, i - start));
  return std::strtod(prefix.c_str(), nullptr);
}

Result<Dataset> DeserializeToRdf(const json::Value& expanded,
                                 const JsonLdOptions& options) {
  NodeMapBuilder map(options);
  CREDSTACK_RETURN_IF_ERROR(
      map.Generate(expanded, 0, nullptr, nullptr, {}, std::nullopt, 0));
  Dataset out;
  out.reserve(map.item_count() + 8);
  Deserializer d(options, map);
  CREDSTACK_RETURN_IF_ERROR(d.Run(out));
  return out;
}

}  // namespace credstack::ld::internal
