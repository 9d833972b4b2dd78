#include "rules_file.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "catalog_ingest.h"
#include "rules.h"
#include "snapshot.h"
#include "snapshot_writer.h"
#include "text.h"

namespace aisle {

RulesFile parse_rules(std::istream& in, const std::string& file) {
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Rules engine_rules;
  const Status st = parse_rules_json(text, &engine_rules);
  if (!st.is_ok()) throw InputError(Location{file, 0, ""}, st.message());
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) throw InputError(Location{file, 0, ""}, "$: not valid JSON");
  auto fail = [&](const std::string& path, const std::string& msg) {
    throw InputError(Location{file, 0, ""}, path + ": " + msg);
  };
  if (!j.is_object()) fail("$", "expected an object");
  RulesFile rules;
  for (const auto& [key, value] : j.items()) {
    if (key == "field_mapping") {
      if (!value.is_object()) fail("$.field_mapping", "expected an object of column -> field");
      for (const auto& [source, target] : value.items()) {
        const std::string path = "$.field_mapping." + source;
        if (!target.is_string()) fail(path, "expected a string naming an aisle field");
        const std::string t = target.get<std::string>();
        if (!is_mapping_target(t)) {
          fail(path, "unknown target '" + t + "' (expected one of " + mapping_targets_help() + ")");
        }
        rules.field_mapping.entries.emplace_back(to_lower(trim(source)), t);
      }
    }  // every other key was checked by the engine's parser
  }
  rules.file = file;
  rules.json = text;
  return rules;
}

RulesFile load_rules(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Location{path, 0, ""}, "cannot open the rules file");
  return parse_rules(in, path);
}

void label_build_time_matches(const RulesFile& rules, int64_t now_s, Catalog* catalog) {
  std::vector<BuildTimeMatch> ranges;
  Rules parsed;
  if (rules.json.empty() || !parse_rules_json(rules.json, &parsed, {}, &ranges).is_ok()) return;
  for (CatalogItem& it : catalog->items) {
    it.labels.erase(std::remove_if(it.labels.begin(), it.labels.end(), is_build_time_label),
                    it.labels.end());
  }
  bool any_cost = false, any_stock = false;
  for (const CatalogItem& it : catalog->items) {
    any_cost = any_cost || it.cost != kNoPrice;
    any_stock = any_stock || it.inventory >= 0;
  }
  for (const BuildTimeMatch& r : ranges) {
    const bool margin = r.match.kind == ItemMatch::Kind::kMargin;
    if (margin ? !any_cost : !any_stock) {
      throw InputError(
          Location{rules.file, 0, ""},
          r.path + ": no item of the catalog has a " +
              (margin ? "unit cost: a margin needs a cost column (Google Merchant's "
                        "cost_of_goods_sold, Shopify's Cost per item, JSONL's cost, or a column "
                        "the field_mapping maps to cost)"
                      : "stock count: a stock range needs a stock column (Shopify's Variant "
                        "Inventory Qty, WooCommerce's Stock, JSONL's inventory)"));
    }
    const std::string label = build_time_label(r.match);
    for (CatalogItem& it : catalog->items) {
      const bool known = margin ? it.cost != kNoPrice && it.price != kNoPrice : it.inventory >= 0;
      int64_t v = it.inventory;
      if (known && margin) {  // the price paid, as the engine reads it, less the cost
        fmt::ItemRecord paid{};
        set_price_fields(it, &paid);
        v = int64_t(effective_price(paid, now_s)) - it.cost;
      }
      if (!known || !r.match.in_range(v) ||
          std::find(it.labels.begin(), it.labels.end(), label) != it.labels.end())
        continue;
      if (it.labels.size() >= kMaxLabels) {
        throw InputError(Location{rules.file, 0, ""},
                         r.path + ": item '" + it.id + "' already has " +
                             std::to_string(kMaxLabels) +
                             " labels, the most a snapshot holds, so this range cannot mark it: "
                             "give it fewer labels in the catalog");
      }
      it.labels.push_back(label);
    }
  }
}

}  // namespace aisle
