#include "diff.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ostream>
#include <set>

#include "engine.h"

namespace aisle {
namespace {

using nlohmann::json;

std::vector<uint32_t> product_list(const Snapshot& snap, Engine& engine, uint32_t item) {
  Session empty;
  Request req;
  req.placement = Placement::kProduct;
  req.item = item;
  req.k = 10;
  req.now_ms = snap.meta().as_of_ms;
  std::vector<Recommendation> out;
  engine.recommend(empty, req, &out);
  std::vector<uint32_t> ids;
  for (const auto& r : out) ids.push_back(r.item);
  return ids;
}

// A JSON Pointer into `doc` as the JSON path the rules' errors use: "/boosts/1/factor" ->
// "$.boosts[1].factor".
std::string json_path(const json& doc, const std::string& pointer) {
  std::string out = "$";
  const json* at = &doc;
  size_t from = 1;
  while (from <= pointer.size() && !pointer.empty()) {
    const size_t to = std::min(pointer.find('/', from), pointer.size());
    std::string token = pointer.substr(from, to - from);
    for (size_t i = 0; (i = token.find('~', i)) != std::string::npos; ++i)  // RFC 6901 escapes
      token.replace(i, 2, token.compare(i, 2, "~1") == 0 ? "/" : "~");
    if (at != nullptr && at->is_array()) {
      out += "[" + token + "]";
      const size_t n = std::strtoul(token.c_str(), nullptr, 10);
      at = n < at->size() ? &(*at)[n] : nullptr;
    } else {
      out += "." + token;
      at = at != nullptr && at->is_object() && at->contains(token) ? &(*at)[token] : nullptr;
    }
    from = to + 1;
  }
  return out;
}

// The rules' changes as a JSON Patch (RFC 6902: add, remove, replace by JSON Pointer,
// nlohmann's json::diff), each with the value it replaces or removes and its JSON path
// ("$.boosts[1].factor"): what a reviewer reads instead of both files in full.
json rule_changes(std::string_view before, std::string_view after) {
  auto parse = [](std::string_view text) {
    return text.empty() ? json::object() : json::parse(text, nullptr, /*allow_exceptions=*/false);
  };
  const json a = parse(before), b = parse(after);
  json changes = json::array();
  if (a.is_discarded() || b.is_discarded()) return changes;  // verified rules always parse
  // Each operation's path holds in the document as the operations before it left it: `cur`.
  json cur = a;
  for (json op : json::diff(a, b)) {
    const std::string kind = op["op"].get<std::string>();
    std::string pointer = op["path"].get<std::string>();
    const json patch = json::array({op});
    if (kind == "add" && pointer.size() >= 2 && pointer.compare(pointer.size() - 2, 2, "/-") == 0) {
      // An append ("/quotas/-"): the index it gets.
      const std::string array = pointer.substr(0, pointer.size() - 2);
      pointer = array + "/" + std::to_string(cur.at(json::json_pointer(array)).size());
    }
    if (kind != "add") {
      op["before"] = cur.at(json::json_pointer(pointer));
      op["json_path"] = json_path(cur, pointer);
    }
    cur = cur.patch(patch);
    if (kind == "add") op["json_path"] = json_path(cur, pointer);
    changes.push_back(std::move(op));
  }
  return changes;
}

// Scores equal within this relative difference count as the same (float sums in another
// order: the counting SQL against the raw build).
constexpr double kScoreTolerance = 1e-5;

bool close(double x, double y) {
  return std::fabs(x - y) <= kScoreTolerance * std::max({std::fabs(x), std::fabs(y), 1e-30});
}

// The model list by list, for items in both snapshots (matched by id): how many items'
// popularity, candidate lists and session postings differ, and sessions index by index.
json model_changes(const Snapshot& a, const Snapshot& b) {
  std::vector<uint32_t> to_b(a.item_count(), fmt::kNone);
  uint64_t common = 0;
  for (uint32_t i = 0; i < a.item_count(); ++i) {
    uint32_t j;
    if (b.find_item(a.item(i).id, &j)) {
      to_b[i] = j;
      ++common;
    }
  }
  auto same_scored = [&](ScoredList x, ScoredList y) {
    if (x.size() != y.size()) return false;
    for (uint32_t k = 0; k < x.size(); ++k) {
      if (to_b[x[k].item] != y[k].item || !close(x[k].score, y[k].score)) return false;
    }
    return true;
  };
  auto same_ids = [&](IdList x, IdList y, bool items) {
    if (x.size() != y.size()) return false;
    for (uint32_t k = 0; k < x.size(); ++k) {
      if ((items ? to_b[x[k]] : x[k]) != y[k]) return false;
    }
    return true;
  };
  uint64_t popularity = 0, transitions = 0, co_purchases = 0, similar = 0, postings = 0;
  const SimilarItems similar_a(a), similar_b(b);  // stored (1.1) or computed (1.2)
  for (uint32_t i = 0; i < a.item_count(); ++i) {
    const uint32_t j = to_b[i];
    if (j == fmt::kNone) continue;
    const fmt::PopularityRecord pa = a.popularity(i), pb = b.popularity(j);
    popularity += pa.views != pb.views || pa.carts != pb.carts || pa.purchases != pb.purchases ||
                  !close(pa.trend, pb.trend) || a.item_session_count(i) != b.item_session_count(j);
    transitions += !same_scored(a.transitions(i), b.transitions(j));
    co_purchases += !same_scored(a.co_purchases(i), b.co_purchases(j));
    similar += !same_scored(similar_a.of(i), similar_b.of(j));
    postings += !same_ids(a.item_sessions(i), b.item_sessions(j), false);
  }
  uint64_t sessions = 0;
  const uint32_t both = std::min(a.session_count(), b.session_count());
  for (uint32_t s = 0; s < both; ++s)
    sessions += !same_ids(a.session_items(s), b.session_items(s), true);
  return {{"items_compared", common},
          {"popularity", popularity},
          {"transitions", transitions},
          {"co_purchases", co_purchases},
          {"similar", similar},
          {"session_postings", postings},
          {"sessions",
           {{"before", a.session_count()}, {"after", b.session_count()}, {"differ", sessions}}},
          {"tolerance", kScoreTolerance}};
}

}  // namespace

json diff_snapshots(const Snapshot& a, const Snapshot& b, size_t top_items, size_t examples) {
  json added = json::array(), removed = json::array(), prices = json::array(),
       stock = json::array();
  uint64_t n_added = 0, n_removed = 0, n_prices = 0, n_stock = 0;
  for (uint32_t i = 0; i < b.item_count(); ++i) {
    const ItemView nb = b.item(i);
    uint32_t j;
    if (!a.find_item(nb.id, &j)) {
      if (n_added++ < examples) added.push_back({{"id", nb.id}, {"title", nb.title}});
      continue;
    }
    const ItemView na = a.item(j);
    if (na.price != nb.price || na.sale_price != nb.sale_price) {
      if (n_prices++ < examples) {
        prices.push_back(
            {{"id", nb.id},
             {"before", na.price / 100.0},
             {"after", nb.price / 100.0},
             {"sale_before",
              na.sale_price == fmt::kNone ? json(nullptr) : json(na.sale_price / 100.0)},
             {"sale_after",
              nb.sale_price == fmt::kNone ? json(nullptr) : json(nb.sale_price / 100.0)}});
      }
    }
    if (na.availability != nb.availability || na.recommendable != nb.recommendable) {
      if (n_stock++ < examples) {
        stock.push_back({{"id", nb.id},
                         {"before", std::string(availability_name(na.availability)) +
                                        (na.recommendable ? "" : ", hidden")},
                         {"after", std::string(availability_name(nb.availability)) +
                                       (nb.recommendable ? "" : ", hidden")}});
      }
    }
  }
  for (uint32_t i = 0; i < a.item_count(); ++i) {
    uint32_t j;
    if (!b.find_item(a.item(i).id, &j) && n_removed++ < examples) {
      removed.push_back({{"id", a.item(i).id}, {"title", a.item(i).title}});
    }
  }
  // How the product-page lists of the new snapshot's top items move.
  Engine ea(a), eb(b);
  json shifts = json::array();
  const IdList top = b.global_top();
  double overlap_sum = 0;
  size_t compared = 0;
  for (uint32_t t = 0; t < top.size() && compared < top_items; ++t) {
    uint32_t ia;
    if (!a.find_item(b.item(top[t]).id, &ia)) continue;
    const auto la = product_list(a, ea, ia), lb = product_list(b, eb, top[t]);
    std::set<std::string> sa, sb;
    for (uint32_t x : la) sa.insert(std::string(a.item(x).id));
    for (uint32_t x : lb) sb.insert(std::string(b.item(x).id));
    json in = json::array(), out = json::array();
    for (const auto& x : sb) {
      if (!sa.count(x)) in.push_back(x);
    }
    for (const auto& x : sa) {
      if (!sb.count(x)) out.push_back(x);
    }
    const size_t common = sb.size() - in.size();
    const double overlap =
        sa.empty() && sb.empty() ? 1.0 : double(common) / double(std::max(sa.size(), sb.size()));
    overlap_sum += overlap;
    ++compared;
    shifts.push_back({{"item", b.item(top[t]).id},
                      {"title", b.item(top[t]).title},
                      {"overlap", overlap},
                      {"entering", in},
                      {"leaving", out}});
  }
  json rules = {{"changed", a.rules_text() != b.rules_text()},
                {"changes", rule_changes(a.rules_text(), b.rules_text())},
                {"before", std::string(a.rules_text())},
                {"after", std::string(b.rules_text())}};
  return {{"items", {{"before", a.item_count()}, {"after", b.item_count()}}},
          {"added", {{"count", n_added}, {"examples", added}}},
          {"removed", {{"count", n_removed}, {"examples", removed}}},
          {"price_changes", {{"count", n_prices}, {"examples", prices}}},
          {"availability_changes", {{"count", n_stock}, {"examples", stock}}},
          {"rules", rules},
          {"model", model_changes(a, b)},
          {"recommendation_shift",
           {{"top_items", compared},
            {"mean_overlap", compared ? overlap_sum / double(compared) : 1.0},
            {"lists", shifts}}}};
}

void print_diff(const json& d, std::ostream& out) {
  out << "items: " << d["items"]["before"] << " -> " << d["items"]["after"] << "\n";
  for (const char* key : {"added", "removed", "price_changes", "availability_changes"}) {
    out << "  " << key << ": " << d[key]["count"] << "\n";
    for (const auto& e : d[key]["examples"]) out << "      " << e.dump() << "\n";
  }
  out << "rules: " << (d["rules"]["changed"].get<bool>() ? "changed" : "unchanged") << "\n";
  for (const json& c : d["rules"]["changes"]) {  // a replace: the old line, then the new
    const std::string op = c["op"].get<std::string>(), at = c["json_path"].get<std::string>();
    if (op != "add") out << "  - " << at << ": " << c["before"].dump() << "\n";
    if (op != "remove") out << "  + " << at << ": " << c["value"].dump() << "\n";
  }
  const json& m = d["model"];
  out << "model: items that differ (of the " << m["items_compared"]
      << " in both; scores within a relative " << m["tolerance"].get<double>()
      << " count as equal)\n";
  for (const char* key :
       {"popularity", "transitions", "co_purchases", "similar", "session_postings"})
    out << "  " << key << ": " << m[key] << "\n";
  out << "  sessions: " << m["sessions"]["before"] << " -> " << m["sessions"]["after"] << ", "
      << m["sessions"]["differ"] << " of those in both differ\n";
  const json& s = d["recommendation_shift"];
  out << "recommendations on the product pages of the top " << s["top_items"]
      << " items: mean overlap " << s["mean_overlap"].get<double>() << "\n";
  for (const auto& l : s["lists"]) {
    if (l["entering"].empty() && l["leaving"].empty()) continue;
    out << "  " << l["item"].get<std::string>() << " (" << l["title"].get<std::string>() << "): +"
        << l["entering"].dump() << " -" << l["leaving"].dump() << "\n";
  }
}

}  // namespace aisle
