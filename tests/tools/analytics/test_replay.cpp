// `aisle recommend --json`'s reasons: an anchor is printed only as what it is -- an item
// id or a category name -- never a rule index or a flag read as an item.
#include <doctest/doctest.h>

#include <string>

#include "engine.h"
#include "replay.h"
#include "rules.h"
#include "snapshot_writer.h"

using namespace aisle;

namespace {

// Items I0..I5 in "Shop > C0"; I4 and I5 carry the label series=core; I0 is bought with I1.
struct Store {
  Catalog catalog;
  std::vector<uint8_t> bytes;
  Snapshot snap;
  Store() {
    for (int i = 0; i < 6; ++i) {
      CatalogItem it;
      it.id = "I" + std::to_string(i);
      it.title = "Item " + std::to_string(i);
      it.price = 1000;
      it.currency = "USD";
      it.category_path = {"Shop", "C0"};
      if (i >= 4) it.labels = {"series=core"};
      catalog.items.push_back(it);
    }
    SnapshotInput in;
    in.catalog = &catalog;
    in.popularity.resize(6);
    for (uint32_t i = 0; i < 6; ++i) in.popularity[i] = {100 - i, 0, 10 - i, float(10 - i)};
    in.model.co_purchases.assign(6, {});
    in.model.co_purchases[0] = {{1, 1.0f}};
    auto w = write_snapshot(in);
    REQUIRE(w.is_ok());
    bytes = w.value();
    auto s = Snapshot::open(bytes.data(), bytes.size());
    REQUIRE(s.is_ok());
    snap = s.value();
  }
};

nlohmann::json list(const Store& store, const char* rules_json, Placement p, uint32_t k,
                    uint32_t item = fmt::kNone) {
  Engine engine(store.snap);
  Rules rules;
  REQUIRE(parse_rules_json(rules_json, &rules).is_ok());
  engine.set_rules(rules);
  Request req;
  req.placement = p;
  req.k = k;
  req.item = item;
  req.now_ms = 1000;
  Session session;
  std::vector<Recommendation> recs;
  ListInfo info;
  engine.recommend(session, req, &recs, &info);
  return recommendations_json(store.snap, engine, req, recs, info, session);
}

// Every reason with `code`; checks that rule reasons name no item and no category.
int rule_reasons(const nlohmann::json& j, const std::string& code) {
  int n = 0;
  for (const auto& item : j["items"]) {
    for (const auto& r : item["reasons"]) {
      if (r["code"] != code) continue;
      ++n;
      CHECK_MESSAGE(!r.contains("anchor"), code << " printed an anchor: " << r.dump());
      CHECK_MESSAGE(!r.contains("category"), code << " printed a category: " << r.dump());
    }
  }
  return n;
}

}  // namespace

TEST_CASE("reason anchors: boosts, quotas, exploration and pins print no item id") {
  Store store;
  // More boosts than items: the boost anchor is no item index.
  std::string boosts = R"({"boosts": [)";
  for (int i = 0; i < 40; ++i)
    boosts += std::string(i ? "," : "") +
              R"({"name": "b", "match": {"category": "Shop"}, "factor": 1.5})";
  boosts += "]}";
  CHECK(rule_reasons(list(store, boosts.c_str(), Placement::kHome, 3), "merchant_boost") > 0);
  CHECK(rule_reasons(
            list(store, R"({"quotas": [{"match": {"label": "series=core"}, "min_share": 0.5}]})",
                 Placement::kHome, 2),
            "guaranteed_share") > 0);
  CHECK(rule_reasons(
            list(store, R"({"exploration": {"slots": 1, "max_views": 1000}})", Placement::kHome, 3),
            "exploration") > 0);
  CHECK(
      rule_reasons(list(store, R"({"pins": [{"item": "I5", "position": 1}]})", Placement::kHome, 3),
                   "pinned") > 0);
}

TEST_CASE("reason anchors: an item anchor prints its id, a category anchor its name") {
  Store store;
  const nlohmann::json j = list(store, "{}", Placement::kProduct, 3, 0);
  bool together = false, best = false;
  for (const auto& item : j["items"]) {
    for (const auto& r : item["reasons"]) {
      if (r["code"] == "bought_together") {
        together = true;
        CHECK(r["anchor"] == "I0");
      }
      if (r["code"] == "category_best_seller") {
        best = true;
        CHECK(r["category"] == "C0");
        CHECK(!r.contains("anchor"));
      }
    }
  }
  CHECK(together);
  CHECK(best);
}
