// The published snapshot (public_snapshot.h) holds nothing a merchant would not publish --
// every string and field of it decoded -- and gives the same lists as the merchant's.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "new_visitor.h"
#include "public_snapshot.h"
#include "snapshot_writer.h"
#include "storefront.h"

using namespace aisle;
using nlohmann::json;

namespace {

constexpr int64_t kNow = 1793404800000;  // 2026-10-31, when it is published
constexpr int64_t kDay = 86400000;

// What the merchant's snapshot knows and no shopper may read.
const char* const kSecrets[] = {"High margin - push",
                                "premium-margin",
                                "Zenith brand deal",
                                "Core series share",
                                "series",
                                "custom_label_0",
                                "Discontinued Co",
                                "SECRET-ITEM-9",
                                "Secret Summer Sale",
                                "Summer push",
                                "Running Now Campaign",
                                "Live deal boost",
                                "Checkout Layout Test",
                                "Bold Variant",
                                "Variant secret boost",
                                "minimum_effect",
                                "field_mapping",
                                "internal notes"};

// Left out of the public file with every reference to them.
const char* const kExclusions = R"(
  "exclusions": [{"brand": "Discontinued Co"}, {"item": "SECRET-ITEM-9"}],
  "pins": [{"item": "SECRET-ITEM-9", "position": 1}],)";

const char* const kRules = R"({
  "description": "internal notes",
  "field_mapping": {"custom_label_0": "margin_tier"},
  "boosts": [
    {"name": "High margin - push", "match": {"margin_tier": "premium-margin"}, "factor": 1.5},
    {"name": "Zenith brand deal", "reason": "Staff pick", "match": {"brand": "Zenith"}, "factor": 1.2}],
  "quotas": [{"name": "Core series share", "match": {"label": "series=core"}, "min_share": 0.25}],
  "campaigns": [
    {"name": "Secret Summer Sale", "start": "2027-06-01T00:00:00Z", "end": "2027-06-10T00:00:00Z",
     "boosts": [{"name": "Summer push", "match": {"promo": true}, "factor": 2}]},
    {"name": "Running Now Campaign", "start": "2026-10-30T00:00:00Z", "end": "2026-11-02T00:00:00Z",
     "boosts": [{"name": "Live deal boost", "match": {"category": "Kitchen"}, "factor": 1.3}]}],
  "experiments": [
    {"name": "Checkout Layout Test", "holdout": {"share": 0.2}, "minimum_effect": 0.07,
     "variants": [{"name": "Bold Variant", "share": 0.8, "rules": {
       "boosts": [{"name": "Variant secret boost", "match": {"label": "series=core"}, "factor": 2}]}}]}]
})";

// Twenty items: brands Zenith, Acme and (two) Discontinued Co, every fourth in the core
// series, every third with the secret margin tier, costs and stock counts throughout.
std::vector<uint8_t> merchant_snapshot(bool exclusions, const char* exclusions_json = kExclusions,
                                       const char* rules = kRules) {
  Catalog catalog;
  for (int i = 0; i < 20; ++i) {
    CatalogItem it;
    it.id = i == 9 ? "SECRET-ITEM-9" : "I" + std::to_string(i);
    it.title = "Item " + std::to_string(i);
    it.url = "https://shop.example/p/" + std::to_string(i);
    it.price = 1000 + 100 * i;
    it.cost = 400 + 37 * i;
    it.inventory = 3 + i;
    it.currency = "EUR";
    it.brand = i == 5 || i == 6 ? "Discontinued Co" : i % 2 ? "Zenith" : "Acme";
    it.margin_tier = i % 3 == 0 ? "premium-margin" : "low";
    it.category_path = {"Home", i < 10 ? "Kitchen" : "Garden"};
    it.labels = {"color=" + std::string(i % 2 ? "Red" : "Blue"),
                 "custom_label_0=" + it.margin_tier};
    if (i % 4 == 0) it.labels.push_back("series=core");
    if (i == 12) it.sale_price = 900;
    catalog.items.push_back(it);
  }
  SnapshotInput in;
  in.catalog = &catalog;
  for (uint32_t i = 0; i < 20; ++i) in.popularity.push_back({50 - i, 9, 3 + i % 4, float(40 - i)});
  in.model.co_purchases.assign(20, {});
  in.model.co_purchases[1] = {{5, 1.0f}, {9, 0.9f}, {3, 0.5f}, {4, 0.4f}};
  in.model.transitions.assign(20, {});
  in.model.transitions[2] = {{6, 1.0f}, {7, 0.8f}, {8, 0.3f}};
  in.model.sessions = {{1, 2, 3}, {2, 7, 8, 11}, {4, 12, 16}};
  // Similar items computed by each reader: the margin tier's column and the series label
  // (a rule's) are the merchant's, so neither counts on either side (core/similar.h).
  in.model.similar_length = 12;
  in.built_at_ms = kNow - kDay;
  in.as_of_ms = kNow - kDay;
  in.catalog_format = "test";
  in.rules_json = rules;
  if (exclusions) in.rules_json.insert(1, exclusions_json);
  auto w = write_snapshot(in);
  REQUIRE(w.is_ok());
  return w.value();
}

// What a new visitor sees on a page: ids, scores and reasons (attributes show labels,
// which the public file has fewer of).
json shown(Storefront& store, const std::string& visitor, const std::string& placement,
           const std::string& item) {
  const json list = testing::new_visitor_list(store, placement, item, "", 8, kNow, visitor);
  json out = json::array();
  for (const json& it : list["items"]) out.push_back({it["id"], it["score"], it["reasons"]});
  return out;
}

}  // namespace

TEST_CASE(
    "public snapshot: every string and field decoded holds no cost, stock, margin, "
    "excluded item, future campaign or internal name") {
  const std::vector<uint8_t> merchant = merchant_snapshot(true);
  auto opened = Snapshot::open(merchant.data(), merchant.size());
  REQUIRE(opened.is_ok());
  const PublicSnapshot p = public_snapshot(opened.value(), {kNow});
  auto pub = Snapshot::open(p.bytes.data(), p.bytes.size());
  REQUIRE(pub.is_ok());
  const Snapshot& s = pub.value();

  CHECK(p.items_left_out == 3);  // two by brand, one by id
  CHECK(p.campaigns_left_out == 1);
  CHECK(s.item_count() == 17);
  // Every string of the file, and the raw bytes besides (a string outside the table).
  const std::string raw(p.bytes.begin(), p.bytes.end());
  for (const char* secret : kSecrets) {
    INFO(secret);
    CHECK(raw.find(secret) == std::string::npos);
    for (uint32_t i = 0; i < s.string_count(); ++i)
      CHECK(s.string(i).find(secret) == std::string::npos);
  }
  // Every per-item field a record has.
  for (uint32_t i = 0; i < s.item_count(); ++i) {
    const ItemView it = s.item(i);
    INFO(it.id);
    CHECK(it.cost == fmt::kNone);
    CHECK(it.inventory == -1);
    CHECK(it.margin_tier.empty());
    CHECK(it.brand != "Discontinued Co");
    for (uint32_t l = 0; l < s.label_count(i); ++l) {
      const std::string_view label = s.label(i, l);
      CHECK((label.rfind("color=", 0) == 0 || label.rfind("~", 0) == 0));
    }
  }
  // The rules name rules by kind and number, experiments by id; the campaign running now is
  // there, and what the engine needs: factors, shares, reasons.
  const json rules = json::parse(s.rules_text());
  CHECK(rules["boosts"][0]["name"] == "boost 1");
  CHECK(rules["boosts"][1]["reason"] == "Staff pick");
  CHECK(rules["boosts"][1]["factor"] == 1.2);
  CHECK(rules["quotas"][0]["match"]["label"].get<std::string>().rfind("~", 0) == 0);
  CHECK(!rules.contains("exclusions"));
  CHECK(rules["pins"].empty());
  REQUIRE(rules["campaigns"].size() == 1);
  CHECK(rules["campaigns"][0]["name"] == "campaign 1");
  CHECK(rules["experiments"][0]["id"] == public_id("Checkout Layout Test"));
  CHECK(rules["experiments"][0]["variants"][0]["id"] == public_id("Bold Variant"));
  CHECK(rules["experiments"][0]["variants"][0]["share"] == 0.8);

  // A year later the summer campaign is within the window, and only then.
  const PublicSnapshot june = public_snapshot(opened.value(), {1811808000000});  // 2027-06-01
  CHECK(june.campaigns_left_out == 1);  // the one that ended
  CHECK(json::parse(
            Snapshot::open(june.bytes.data(), june.bytes.size()).value().rules_text())["campaigns"]
            .size() == 1);
}

namespace {

// Every visitor's arm, and what they see on every page, from both snapshots.
void compare_pages(bool exclusions) {
  const std::vector<uint8_t> merchant = merchant_snapshot(exclusions);
  auto opened = Snapshot::open(merchant.data(), merchant.size());
  REQUIRE(opened.is_ok());
  Storefront mine, theirs;
  REQUIRE(mine.load(merchant).is_ok());
  REQUIRE(theirs.load(public_snapshot(opened.value(), {kNow}).bytes).is_ok());
  int differ = 0;
  for (const char* visitor : {"v-1", "v-2", "v-3", "v-4", "v-5", "v-6"}) {
    std::vector<Assignment> a, b;
    REQUIRE(mine.assign(visitor, &a).is_ok());
    REQUIRE(theirs.assign(visitor, &b).is_ok());
    REQUIRE(a.size() == 1);
    REQUIRE(b.size() == 1);
    CHECK(a[0].experiment == b[0].experiment);
    CHECK(a[0].variant == b[0].variant);
    for (int i = -2; i < 20; ++i) {
      if (exclusions && (i == 5 || i == 6 || i == 9)) continue;  // not in the public file
      const std::string placement = i == -2 ? "home" : i == -1 ? "category" : "product";
      const std::string id = i < 0 ? "" : "I" + std::to_string(i);
      INFO(visitor << " " << placement << " " << id);
      const json list = shown(mine, visitor, placement, id),
                 published = shown(theirs, visitor, placement, id);
      if (!exclusions) CHECK(list == published);
      differ += list != published;
      if (exclusions) {
        for (const json& it : published)
          CHECK((it[0] != "I5" && it[0] != "I6" && it[0] != "SECRET-ITEM-9"));
      }
      for (const char* secret : kSecrets) {
        if (!exclusions && std::string(secret) == "SECRET-ITEM-9") continue;  // listed, then
        CHECK(list.dump().find(secret) == std::string::npos);
        CHECK(published.dump().find(secret) == std::string::npos);
      }
    }
  }
  // Left out, excluded items no longer take a rank in best-seller lists or a place in past
  // sessions, nor set the scale a source is normalized by: scores move (docs/privacy.md).
  if (exclusions) CHECK(differ > 0);
}

}  // namespace

TEST_CASE(
    "public snapshot: the same arms and lists as the merchant's; no reason a shopper "
    "reads names a rule") {
  compare_pages(false);
}

TEST_CASE(
    "public snapshot: with items excluded, the same arms, excluded items nowhere, no rule "
    "name in a reason") {
  compare_pages(true);
}

TEST_CASE(
    "public snapshot: matches by id stay (past the limit on catalog matches); an "
    "opaque label is never one the catalog has") {
  Catalog catalog;
  for (int i = 0; i < 200; ++i) {
    CatalogItem it;
    it.id = "P" + std::to_string(i);
    it.price = 100;
    it.labels = {i % 2 ? "~1" : "size=M"};  // the catalog's own "~1"
    catalog.items.push_back(it);
  }
  std::string rules =
      R"({"quotas": [{"name": "Mediums", "match": {"label": "size=M"}, "min_share": 0.5}], "boosts": [)";
  for (int i = 0; i < 150; ++i)  // more than the 100 catalog matches the rules may have
    rules += std::string(i ? "," : "") + R"({"name": "b", "match": {"item": "P)" +
             std::to_string(i) + R"("}, "factor": 1.1})";
  rules += "]}";
  SnapshotInput in;
  in.catalog = &catalog;
  in.rules_json = rules;
  auto w = write_snapshot(in);
  REQUIRE(w.is_ok());
  auto opened = Snapshot::open(w.value().data(), w.value().size());
  REQUIRE(opened.is_ok());
  const PublicSnapshot p = public_snapshot(opened.value(), {kNow});
  Storefront store;
  REQUIRE(store.load(p.bytes).is_ok());  // the published rules parse within their limits
  const json published = json::parse(store.snapshot().rules_text());
  CHECK(published["boosts"][149]["match"] == json({{"item", "P149"}}));
  const std::string opaque = published["quotas"][0]["match"]["label"];
  CHECK(opaque != "~1");
  for (uint32_t i = 0; i < store.snapshot().item_count(); ++i) {
    bool has = false;
    for (uint32_t l = 0; l < store.snapshot().label_count(i); ++l)
      has |= store.snapshot().label(i, l) == opaque;
    CHECK(has == (i % 2 == 0));  // exactly the mediums
  }
}

TEST_CASE("public snapshot: an exclusion aimed at some pages keeps its items, its match opaque") {
  const std::vector<uint8_t> merchant = merchant_snapshot(
      true, R"("exclusions": [{"margin_tier": "premium-margin", "pages": ["Garden"]}],)");
  auto opened = Snapshot::open(merchant.data(), merchant.size());
  REQUIRE(opened.is_ok());
  const PublicSnapshot p = public_snapshot(opened.value(), {kNow});
  CHECK(p.items_left_out == 0);  // shown on other pages
  const std::string raw(p.bytes.begin(), p.bytes.end());
  CHECK(raw.find("premium-margin") == std::string::npos);
  const Snapshot s = Snapshot::open(p.bytes.data(), p.bytes.size()).value();
  const json rules = json::parse(s.rules_text());
  REQUIRE(rules["exclusions"].size() == 1);
  CHECK(rules["exclusions"][0]["label"].get<std::string>().rfind("~", 0) == 0);
  CHECK(rules["exclusions"][0]["pages"] == json::array({"Garden"}));
  CHECK(rules["exclusions"][0].size() == 2);
  // The same pages hide the same items: a Garden product page, from both files.
  Storefront mine, theirs;
  REQUIRE(mine.load(merchant).is_ok());
  REQUIRE(theirs.load(p.bytes).is_ok());
  for (const char* item : {"I12", "I3"})
    CHECK(shown(mine, "v-1", "product", item) == shown(theirs, "v-1", "product", item));
}

TEST_CASE("public snapshot: a combined match ships its price as written, the rest opaque") {
  const std::vector<uint8_t> merchant = merchant_snapshot(true, R"(
    "exclusions": [{"any": [{"margin_tier": "premium-margin"}, {"brand": "Zenith"}],
                    "pages": ["Garden"]},
                   {"all": [{"label": "series=core"}, {"price": {"max": 15}}]}],)");
  auto opened = Snapshot::open(merchant.data(), merchant.size());
  REQUIRE(opened.is_ok());
  const PublicSnapshot p = public_snapshot(opened.value(), {kNow});
  CHECK(p.items_left_out == 0);  // the one aimed, the other timed
  const std::string raw(p.bytes.begin(), p.bytes.end());
  CHECK(raw.find("premium-margin") == std::string::npos);
  CHECK(raw.find("series") == std::string::npos);
  const Snapshot s = Snapshot::open(p.bytes.data(), p.bytes.size()).value();
  const json rules = json::parse(s.rules_text());
  REQUIRE(rules["exclusions"].size() == 2);
  CHECK(rules["exclusions"][0]["label"].get<std::string>().rfind("~", 0) == 0);
  CHECK(rules["exclusions"][0]["pages"] == json::array({"Garden"}));
  const json& all = rules["exclusions"][1]["all"];
  REQUIRE(all.size() == 2);
  CHECK(all[0]["label"].get<std::string>().rfind("~", 0) == 0);
  CHECK(all[1] == json::parse(R"({"price": {"max": 15.0}})"));
  Storefront mine, theirs;
  REQUIRE(mine.load(merchant).is_ok());
  REQUIRE(theirs.load(p.bytes).is_ok());
  for (const char* item : {"I1", "I12", "I3", "I16"})
    CHECK(shown(mine, "v-1", "product", item) == shown(theirs, "v-1", "product", item));
}

TEST_CASE("public snapshot: a campaign's quotas are numbered, its exclusions opaque, kept") {
  const std::vector<uint8_t> merchant =
      merchant_snapshot(false, "", R"({"field_mapping": {"custom_label_0": "margin_tier"},
    "campaigns": [
      {"name": "Secret Week", "start": "2026-10-30T00:00:00Z", "end": "2026-11-02T00:00:00Z",
       "quotas": [{"name": "Core push", "match": {"label": "series=core"}, "min_share": 0.25}],
       "exclusions": [{"margin_tier": "premium-margin"}],
       "pins": [{"item": "I3", "position": 1}]}]})");
  auto opened = Snapshot::open(merchant.data(), merchant.size());
  REQUIRE(opened.is_ok());
  const PublicSnapshot p = public_snapshot(opened.value(), {kNow});
  CHECK(p.items_left_out == 0);  // excluded while the campaign runs only
  const std::string raw(p.bytes.begin(), p.bytes.end());
  for (const char* secret : {"Secret Week", "Core push", "premium-margin", "series"}) {
    INFO(secret);
    CHECK(raw.find(secret) == std::string::npos);
  }
  const json rules = json::parse(
      Snapshot::open(p.bytes.data(), p.bytes.size()).value().rules_text())["campaigns"][0];
  CHECK(rules["name"] == "campaign 1");
  CHECK(rules["quotas"][0]["name"] == "quota 1");
  CHECK(rules["exclusions"][0]["label"].get<std::string>().rfind("~", 0) == 0);
  CHECK(rules["pins"][0]["item"] == "I3");
  Storefront mine, theirs;
  REQUIRE(mine.load(merchant).is_ok());
  REQUIRE(theirs.load(p.bytes).is_ok());
  for (const char* item : {"I1", "I3"})
    CHECK(shown(mine, "v-1", "product", item) == shown(theirs, "v-1", "product", item));
}

TEST_CASE("public snapshot: complements ship without the items left out of the file") {
  const std::vector<uint8_t> merchant = merchant_snapshot(false, "", R"({
    "exclusions": [{"item": "SECRET-ITEM-9"}],
    "complements": [{"item": "I1", "with": ["SECRET-ITEM-9", "I2"]},
                    {"item": "SECRET-ITEM-9", "with": ["I3"]},
                    {"category": "Garden", "with": ["SECRET-ITEM-9"]}]})");
  auto opened = Snapshot::open(merchant.data(), merchant.size());
  REQUIRE(opened.is_ok());
  const PublicSnapshot p = public_snapshot(opened.value(), {kNow});
  CHECK(p.items_left_out == 1);
  const std::string raw(p.bytes.begin(), p.bytes.end());
  CHECK(raw.find("SECRET-ITEM-9") == std::string::npos);
  const json rules =
      json::parse(Snapshot::open(p.bytes.data(), p.bytes.size()).value().rules_text());
  CHECK(rules["complements"] == json::parse(R"([{"item": "I1", "with": ["I2"]}])"));
}

TEST_CASE("a format 1.1 snapshot's item postings come out the same, derived at load") {
  // The 1.1 golden file carries its postings; the public snapshot (format 1.2) carries only
  // the sessions and the cap, and the reader derives the same postings from them.
  std::ifstream in(std::string(AISLE_TEST_DATA) + "/golden/v1.1.snap", std::ios::binary);
  const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in),
                                   std::istreambuf_iterator<char>()};
  auto old = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(old.is_ok(), old.status().message());
  REQUIRE(old.value().session_count() > 0);
  const PublicSnapshot p = public_snapshot(old.value(), {kNow});
  auto cut = Snapshot::open(p.bytes.data(), p.bytes.size());
  REQUIRE_MESSAGE(cut.is_ok(), cut.status().message());
  const Snapshot &a = old.value(), &b = cut.value();
  REQUIRE(a.item_count() == b.item_count());
  CHECK(b.meta().sessions_per_item >= 1);
  size_t postings = 0;
  for (uint32_t i = 0; i < a.item_count(); ++i) {
    const IdList x = a.item_sessions(i), y = b.item_sessions(i);
    REQUIRE(x.size() == y.size());
    for (uint32_t k = 0; k < x.size(); ++k) CHECK(x[k] == y[k]);
    postings += x.size();
  }
  CHECK(postings > 0);
}
