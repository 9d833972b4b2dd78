// aisle qa: what it fails, what it only warns about, and how it reports it, on a small
// store replayed with the merchant's rules.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "qa.h"
#include "snapshot_writer.h"

using namespace aisle;

namespace {

constexpr int64_t kAsOf = 1793404800000;  // 2026-10-31

// Ten products of three colours each (group P<n>, ids P<n>-<colour>): P0-P4 by Acme in
// "Shop > Mats", P5-P9 by Zen in "Shop > Blocks"; ten single items S0-S9 in "Shop > Straps".
// Best sellers first: P0-0, P0-1, ...
struct Store {
  Catalog catalog;
  std::vector<uint8_t> bytes;
  Snapshot snap;

  Store() {
    for (int p = 0; p < 10; ++p) {
      for (int c = 0; c < 3; ++c) {
        CatalogItem it = item("P" + std::to_string(p) + "-" + std::to_string(c));
        it.group_key = "P" + std::to_string(p);
        it.brand = p < 5 ? "Acme" : "Zen";
        it.margin_tier = p % 2 ? "high" : "low";
        it.category_path = {"Shop", p < 5 ? "Mats" : "Blocks"};
        it.labels = {"color=C" + std::to_string(c)};
        catalog.items.push_back(it);
      }
    }
    for (int s = 0; s < 10; ++s) {
      CatalogItem it = item("S" + std::to_string(s));
      it.category_path = {"Shop", "Straps"};
      it.labels = {"series=core"};
      catalog.items.push_back(it);
    }
  }
  static CatalogItem item(const std::string& id) {
    CatalogItem it;
    it.id = id;
    it.title = "Item " + id;
    it.url = "https://shop.example/" + id;
    it.price = 2000;
    it.currency = "EUR";
    return it;
  }
  CatalogItem& at(const std::string& id) {
    for (CatalogItem& it : catalog.items) {
      if (it.id == id) return it;
    }
    FAIL("no item " << id);
    return catalog.items[0];
  }
  const Snapshot& build() {
    SnapshotInput in;
    in.catalog = &catalog;
    for (uint32_t i = 0; i < catalog.items.size(); ++i)
      in.popularity.push_back({100 - i, 10, 5, float(50 - i)});
    in.built_at_ms = kAsOf + 3600000;
    in.as_of_ms = kAsOf;
    in.catalog_format = "test";
    auto w = write_snapshot(in);
    REQUIRE(w.is_ok());
    bytes = w.value();
    auto s = Snapshot::open(bytes.data(), bytes.size());
    REQUIRE(s.is_ok());
    snap = s.value();
    return snap;
  }
};

QaReport qa(Store& store, const std::string& rules_json, uint32_t visits = 5) {
  Rules rules;
  const Status st = parse_rules_json(rules_json, &rules);
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  QaOptions o;
  o.visits_per_case = visits;
  o.max_item_share = 1;  // the store is small: every list shows a good part of it
  return run_qa(store.build(), &rules, o);
}

// The failure line of a kind ("pin not honoured: 12 time(s)\n      e.g. ..."), or "".
std::string failure(const QaReport& r, const std::string& kind) {
  for (const std::string& f : r.failures) {
    if (f.rfind(kind + ":", 0) == 0) return f;
  }
  return "";
}

}  // namespace

TEST_CASE("qa: a problem's examples are each shown once") {
  // Two pins to the first slot: the second wins, the first is not honoured on every list,
  // the same pin on the same placement and segment visit after visit.
  Store store;
  const QaReport r = qa(store, R"({"pins": [{"item": "S0", "position": 1},
                                            {"item": "S1", "position": 1}]})");
  const std::string pins = failure(r, "pin not honoured");
  REQUIRE_MESSAGE(!pins.empty(), "failures: " << r.to_json().dump());
  std::vector<std::string> examples;
  for (size_t at = pins.find("e.g. "); at != std::string::npos; at = pins.find("e.g. ", at + 1))
    examples.push_back(pins.substr(at, pins.find('\n', at) - at));
  CHECK(examples.size() == 3);
  CHECK_MESSAGE(std::set<std::string>(examples.begin(), examples.end()).size() == examples.size(),
                pins);
}

TEST_CASE("qa: two variants of one product in a list fail when a rule put one there") {
  // Pinned by the merchant: the engine places pins over its variant cap.
  Store store;
  const QaReport r = qa(store, R"({"pins": [{"item": "P3-0", "position": 1},
                                            {"item": "P3-1", "position": 2}]})");
  const std::string twins = failure(r, "variants of one product in one list");
  CHECK_MESSAGE(twins.find("P3-0 (pinned), P3-1 (pinned) (group P3)") != std::string::npos,
                r.to_json().dump());
  // next_item has no variant cap: browsing colours is a next click.
  CHECK(twins.find("next_item") == std::string::npos);
}

TEST_CASE("qa: a share met by one colour of each product is no quota miss") {
  // Nine members, three products: a list of 8 can take three of them, not the 4 of a half.
  Store store;
  for (int p = 0; p < 3; ++p) {
    for (int c = 0; c < 3; ++c)
      store.at("P" + std::to_string(p) + "-" + std::to_string(c)).labels.push_back("series=trio");
  }
  const QaReport r = qa(store, R"({"quotas": [{"match": {"label": "series=trio"},
                                               "min_share": 0.5}]})");
  CHECK_MESSAGE(failure(r, "quota missed").empty(), r.to_json().dump());
  CHECK_MESSAGE(failure(r, "variants of one product in one list").empty(), r.to_json().dump());
}

TEST_CASE("qa: one pin beside a ranked variant of its product is a warning") {
  // P0-0 is the best seller; the merchant pins its sibling P0-1.
  Store store;
  const QaReport r = qa(store, R"({"pins": [{"item": "P0-1", "position": 1}]})");
  CHECK_MESSAGE(failure(r, "variants of one product in one list").empty(), r.to_json().dump());
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].rfind("a pinned item beside another variant of its product:", 0) == 0);
  CHECK(r.warnings[0].find("P0-1 (pinned), P0-0 (group P0)") != std::string::npos);
  CHECK(r.to_json()["passed"] == true);
}

TEST_CASE("qa: the rules' mistakes by JSON path: errors fail, warnings pass") {
  Store store;
  const QaReport bad = qa(store, R"({"pins": [{"item": "NOPE", "position": 1}],
                                     "quotas": [{"match": {"brand": "Acm"}, "min_share": 0.25}]})");
  CHECK(bad.to_json()["passed"] == false);
  REQUIRE(bad.failures.size() >= 2);
  CHECK(bad.failures[0] ==
        "$.pins[0].item: pins 'NOPE', which is not in the catalog (matches 0 "
        "items)");
  CHECK(bad.failures[1] ==
        "$.quotas[0].match: brand 'Acm' matches 0 items: the share is never met (did you mean "
        "'Acme'?)");
  const QaReport wide =
      qa(store, R"({"quotas": [{"match": {"label": "series=core"}, "min_share": 0.5}]})");
  CHECK_MESSAGE(wide.failures.empty(), wide.to_json().dump());
  REQUIRE(wide.warnings.size() == 1);
  CHECK(wide.warnings[0].rfind("$.quotas[0].min_share: 50% of every list on every placement", 0) ==
        0);
  CHECK(wide.to_json()["warnings"].size() == 1);
}

TEST_CASE("qa: a pin is not owed on next_item right after its own page") {
  // next_item never shows the item just viewed, pinned or not.
  Store store;
  const QaReport r =
      qa(store, R"({"pins": [{"item": "P3-1", "position": 1, "placements": ["next_item"]}]})", 20);
  CHECK_MESSAGE(r.failures.empty(), r.to_json().dump());
}

TEST_CASE("qa: what a rule adds stays on the page's topic; a pin off it is pointed out") {
  // The core series is ten chargers of another department: on a mat's or a block's page no
  // share and no exploration slot may show one; the home page is about no item.
  Store store;
  for (int s = 0; s < 10; ++s)
    store.at("S" + std::to_string(s)).category_path = {"Electronics", "Chargers"};
  const QaReport shares = qa(store, R"({"quotas": [{"match": {"label": "series=core"},
                                                    "min_share": 0.25}],
                                        "exploration": {"slots": 1, "max_views": 1000}})");
  CHECK_MESSAGE(failure(shares, "an item off the page's topic added by a rule").empty(),
                shares.to_json().dump());
  CHECK_MESSAGE(failure(shares, "quota missed").empty(), shares.to_json().dump());
  // A pin is the merchant's call: shown, and pointed out where it is off the page's topic.
  const QaReport pinned =
      qa(store, R"({"pins": [{"item": "S0", "position": 1, "placements": ["product"]}]})");
  CHECK(pinned.failures.empty());
  bool warned = false;
  for (const std::string& w : pinned.warnings)
    warned |= w.rfind("a pinned item off the page's topic:", 0) == 0 &&
              w.find("S0 (pinned) beside P") != std::string::npos;
  CHECK_MESSAGE(warned, pinned.to_json().dump());
}
