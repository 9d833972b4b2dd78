#include <doctest/doctest.h>

#include <sstream>

#include "rules_file.h"
#include "test_util.h"
#include "text.h"

using namespace aisle;
using aisle::testing::find;
using aisle::testing::has_label;
using aisle::testing::load_fixture;

namespace {
FieldMapping gmc_mapping() {
  std::istringstream rules(
      R"({"field_mapping": {"custom_label_0": "margin_tier", "custom_label_1": "kind",
      "custom_label_2": "repurchase_days", "custom_label_3": "launch_date"}})");
  return parse_rules(rules, "rules.json").field_mapping;
}
int64_t day(const char* iso) {
  int64_t ms = 0;
  parse_time_ms(iso, &ms);
  return ms / 1000;
}
}  // namespace

TEST_CASE("Google Merchant Center TSV: messy rows are skipped or merged and reported") {
  Diagnostics diag;
  CatalogStats stats;
  CatalogOptions o;
  o.mapping = gmc_mapping();
  const Catalog c = load_fixture("gmc.tsv", diag, &stats, o);
  CHECK(stats.format == "gmc");
  CHECK(c.items.size() == 4);
  CHECK(stats.skipped == 3);  // blank row, price "free", no id
  CHECK(stats.merged == 1);   // duplicate MAT-1-RED
  CHECK(diag.count("duplicate id merged into the first row") == 1);
  CHECK(diag.count("skipped row: missing id") == 1);
  CHECK(diag.count("skipped row: missing or bad price") == 1);
  CHECK(diag.count("skipped row: blank") == 1);

  const CatalogItem* mat = find(c, "MAT-1-RED");
  REQUIRE(mat != nullptr);
  CHECK(mat->title == "Cork Yoga Mat - Red");  // the first row wins
  CHECK(mat->price == 4500);
  CHECK(mat->sale_price == 3600);
  CHECK(mat->sale_start_s == day("2026-10-01T00:00:00Z"));
  CHECK(mat->sale_end_s == day("2026-10-31T23:59:59Z"));
  CHECK(mat->currency == "USD");
  CHECK(mat->brand == "Zenith");
  CHECK(mat->group_key == "MAT-1");
  CHECK(mat->category_path == std::vector<std::string>{"Home Fitness", "Yoga", "Mats"});
  CHECK(mat->cost == 2000);
  CHECK(has_label(*mat, "color=Red"));
  CHECK(has_label(*mat, "custom_label_0=high"));
  CHECK(mat->margin_tier == "high");
  CHECK(mat->kind == ItemKind::kDurable);
  CHECK(mat->launch_s == day("2026-09-15"));
  CHECK(mat->availability == Availability::kInStock);

  const CatalogItem* roller = find(c, "ROLLER-1");
  REQUIRE(roller != nullptr);
  CHECK(roller->price == 2450);
  CHECK(roller->availability == Availability::kOutOfStock);
  const CatalogItem* beans = find(c, "BEANS-1");
  REQUIRE(beans != nullptr);
  CHECK(beans->price == 1890);
  CHECK(beans->currency == "EUR");
  CHECK(beans->sale_price == kNoPrice);  // "not a price" ignored with a warning
  CHECK(beans->availability == Availability::kPreorder);
  CHECK(beans->kind == ItemKind::kConsumable);
  CHECK(beans->repurchase_days == 21);
  CHECK(beans->margin_tier == "low");
}

TEST_CASE("strict mode turns the first warning into an error naming file, line and field") {
  Diagnostics diag(/*strict=*/true);
  CatalogStats stats;
  try {
    load_fixture("gmc.tsv", diag, &stats);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("gmc.tsv:7: field 'price'") != std::string::npos);
  }
  Diagnostics clean(/*strict=*/true);
  CHECK(load_fixture("gmc.csv", clean, &stats).items.size() == 2);  // nothing to complain about
}

TEST_CASE("Google Merchant Center CSV: quoted HTML with newlines and thousands separators") {
  Diagnostics diag;
  CatalogStats stats;
  const Catalog c = load_fixture("gmc.csv", diag, &stats);
  REQUIRE(c.items.size() == 2);
  CHECK(diag.total() == 0);
  CHECK(c.items[0].title == "Aether Phone 15, 256 GB");
  CHECK(c.items[0].price == 129900);
  CHECK(c.items[1].price == 4999);
  CHECK(c.items[1].category_path.back() == "Phone Cases");
}

TEST_CASE(
    "Shopify: continuation rows, variants as a group, drafts and archived not recommendable") {
  Diagnostics diag;
  CatalogStats stats;
  CatalogOptions o;
  o.store_url = "https://shop.example";
  o.mapping.entries = {{"google shopping / custom label 0", "margin_tier"}};
  const Catalog c = load_fixture("shopify.csv", diag, &stats, o);
  CHECK(stats.format == "shopify");
  CHECK(c.items.size() == 6);
  CHECK(stats.merged == 1);   // the image-only row
  CHECK(stats.skipped == 1);  // the blank row
  const CatalogItem* red = find(c, "MAT-R");
  REQUIRE(red != nullptr);
  CHECK(red->title == "Cork Yoga Mat - Red / Standard");
  CHECK(red->price == 5500);  // compare-at is the regular price
  CHECK(red->sale_price == 4500);
  CHECK(red->group_key == "cork-yoga-mat");
  CHECK(red->brand == "Zenith");
  CHECK(red->url == "https://shop.example/products/cork-yoga-mat");
  CHECK(red->image_url == "https://cdn.example/mat-red.jpg");
  CHECK(red->category_path.back() == "Yoga Mats");
  CHECK(red->inventory == 14);
  CHECK(red->cost == 2000);
  CHECK(has_label(*red, "color=Red"));
  CHECK(has_label(*red, "size=Standard"));
  CHECK(has_label(*red, "tag=home-gym"));
  CHECK(has_label(*red, "custom_label_0=high"));
  CHECK(red->margin_tier == "high");
  CHECK(red->recommendable);
  const CatalogItem* blue = find(c, "MAT-B");
  REQUIRE(blue != nullptr);
  CHECK(blue->group_key == "cork-yoga-mat");
  CHECK(blue->title == "Cork Yoga Mat - Blue / Standard");
  CHECK(blue->availability == Availability::kOutOfStock);
  CHECK(blue->image_url == "https://cdn.example/mat-1.jpg");
  CHECK(blue->margin_tier == "high");  // product-level column from the first row
  CHECK(has_label(*blue, "tag=eco"));
  CHECK(find(c, "MAT-G")->availability == Availability::kBackorder);
  const CatalogItem* roller = find(c, "foam-roller");  // no SKU: the handle
  REQUIRE(roller != nullptr);
  CHECK(roller->title == "Foam Roller");
  CHECK(roller->category_path == std::vector<std::string>{"Recovery"});
  CHECK(roller->group_key == "foam-roller");
  CHECK_FALSE(find(c, "PROTO-1")->recommendable);
  CHECK_FALSE(find(c, "TOWEL-OLD")->recommendable);
}

TEST_CASE("prices with a lone separator before three digits: thousands, reported with the value") {
  std::istringstream tsv(
      "id\ttitle\tprice\tsale_price\tcost_of_goods_sold\n"
      "A\tA lamp\t12.500 EUR\t\t\n"
      "B\tB lamp\t15.00 EUR\t0.995 EUR\t\n"
      "C\tC lamp\t1,299.00 USD\t\t1,299.999\n");
  Diagnostics diag;
  CatalogStats stats;
  const Catalog c = load_catalog(tsv, "lamps.tsv", {}, diag, &stats);
  REQUIRE(c.items.size() == 3);
  CHECK(find(c, "A")->price == 1250000);  // docs/ingestion.md: three digits group thousands
  CHECK(find(c, "B")->sale_price == kNoPrice);
  CHECK(find(c, "C")->price == 129900);
  CHECK(find(c, "C")->cost == kNoPrice);
  const std::string report = diag.to_json().dump();
  CHECK(diag.count("price read with a thousands separator") == 1);
  CHECK(report.find("lamps.tsv:2: field 'price'") != std::string::npos);
  CHECK(report.find("'12.500 EUR' read as 12500.00") != std::string::npos);
  CHECK(diag.count("bad value ignored") == 2);  // 0.995 and 1,299.999 fit neither reading
  CHECK(report.find("lamps.tsv:3: field 'sale_price'") != std::string::npos);
  CHECK(report.find("lamps.tsv:4: field 'cost_of_goods_sold'") != std::string::npos);

  std::istringstream jsonl(R"({"id": "J", "price": 12.345}
{"id": "K", "price": "12.500 EUR"}
)");
  Diagnostics jdiag;
  const Catalog j = load_catalog(jsonl, "cat.jsonl", {}, jdiag, &stats);
  REQUIRE(j.items.size() == 2);
  CHECK(find(j, "J")->price == 1235);  // a JSON number has a decimal point, never thousands
  CHECK(find(j, "K")->price == 1250000);
  CHECK(jdiag.count("price read with a thousands separator") == 1);
  CHECK(jdiag.to_json().dump().find("cat.jsonl:2: field 'price'") != std::string::npos);

  Diagnostics strict(/*strict=*/true);
  std::istringstream again("id\ttitle\tprice\nA\tA lamp\t12.500 EUR\n");
  CHECK_THROWS_WITH_AS(load_catalog(again, "lamps.tsv", {}, strict, &stats),
                       doctest::Contains("lamps.tsv:2: field 'price'"), InputError);
}

TEST_CASE("a sale price or cost in another currency than the price's is ignored, reported") {
  std::istringstream tsv(
      "id\ttitle\tprice\tsale_price\tcost_of_goods_sold\n"
      "A\tA lamp\t27.99 USD\t20.00 EUR\t13.99 JPY\n"
      "B\tB lamp\t27.99 USD\t20.00 USD\t13.99\n");
  Diagnostics diag;
  CatalogStats stats;
  const Catalog c = load_catalog(tsv, "lamps.tsv", {}, diag, &stats);
  REQUIRE(c.items.size() == 2);
  CHECK(find(c, "A")->sale_price == kNoPrice);
  CHECK(find(c, "A")->cost == kNoPrice);
  CHECK(find(c, "B")->sale_price == 2000);  // the same currency, or none named: kept
  CHECK(find(c, "B")->cost == 1399);
  const std::string report = diag.to_json().dump();
  CHECK(report.find("lamps.tsv:2: field 'cost_of_goods_sold'") != std::string::npos);  // the column
  CHECK(report.find("lamps.tsv:2: field 'sale_price'") != std::string::npos);
  CHECK(report.find("the cost is in JPY, the price in USD") != std::string::npos);
  CHECK(report.find("the sale price is in EUR, the price in USD") != std::string::npos);
  // JSONL, whichever key comes first.
  std::istringstream jsonl(R"({"id": "J", "cost": "13.99 JPY", "price": "27.99 USD"}
{"id": "K", "price": 27.99, "currency": "usd", "cost": "13.99 USD"}
)");
  Diagnostics jdiag;
  const Catalog j = load_catalog(jsonl, "cat.jsonl", {}, jdiag, &stats);
  REQUIRE(j.items.size() == 2);
  CHECK(find(j, "J")->cost == kNoPrice);
  CHECK(find(j, "K")->cost == 1399);
  CHECK(jdiag.count("bad value ignored") == 1);
  CHECK(jdiag.to_json().dump().find("cat.jsonl:1: field 'cost'") != std::string::npos);  // the key
}

TEST_CASE("WooCommerce: variations under their parent, curated hints kept") {
  Diagnostics diag;
  CatalogStats stats;
  CatalogOptions o;
  o.store_url = "https://shop.example";
  const Catalog c = load_fixture("woocommerce.csv", diag, &stats, o);
  CHECK(stats.format == "woocommerce");
  CHECK(c.items.size() == 5);
  CHECK(stats.merged == 1);   // the variable parent
  CHECK(stats.skipped == 1);  // the grouped product
  CHECK(find(c, "TEE") == nullptr);
  const CatalogItem* red = find(c, "TEE-RED");
  REQUIRE(red != nullptr);
  CHECK(red->group_key == "TEE");
  CHECK(red->price == 2000);
  CHECK(red->sale_price == 1500);
  CHECK(red->sale_start_s == day("2026-10-01T00:00:00Z"));
  CHECK(red->brand == "Threadly");
  CHECK(red->category_path == std::vector<std::string>{"Clothing", "Tshirts"});
  CHECK(red->image_url == "https://cdn.example/tee.jpg");
  CHECK(red->url == "https://shop.example/?p=10");
  CHECK(red->inventory == 5);
  CHECK(has_label(*red, "color=Red"));
  CHECK(has_label(*red, "tag=organic"));
  CHECK(red->cross_sell_ids == std::vector<std::string>{"CAP"});  // from the parent
  const CatalogItem* blue = find(c, "TEE-BLUE");
  REQUIRE(blue != nullptr);
  CHECK(blue->availability == Availability::kOutOfStock);
  CHECK(blue->image_url == "https://cdn.example/tee-blue.jpg");
  const CatalogItem* cap = find(c, "CAP");
  REQUIRE(cap != nullptr);
  CHECK(cap->price == 1850);
  CHECK(cap->upsell_ids == std::vector<std::string>{"TEE-RED"});  // id:10 -> its first variation
  CHECK(cap->cross_sell_ids == std::vector<std::string>{"TEE-RED"});
  CHECK(diag.count("hint to unknown item dropped") == 1);  // NOPE-404
  CHECK_FALSE(find(c, "HIDDEN")->recommendable);
  const CatalogItem* scarf = find(c, "16");  // no SKU: the product ID
  REQUIRE(scarf != nullptr);
  CHECK_FALSE(scarf->recommendable);
  CHECK(scarf->availability == Availability::kBackorder);
}

TEST_CASE("aisle JSONL: documented fields, bad lines skipped, unknown fields reported") {
  Diagnostics diag;
  CatalogStats stats;
  const Catalog c = load_fixture("catalog.jsonl", diag, &stats);
  CHECK(stats.format == "jsonl");
  CHECK(c.items.size() == 4);
  CHECK(stats.skipped == 2);
  CHECK(diag.count("unknown field ignored") == 1);
  const CatalogItem* a1 = find(c, "A1");
  REQUIRE(a1 != nullptr);
  CHECK(a1->price == 7900);
  CHECK(a1->sale_price == 5900);
  CHECK(a1->currency == "USD");
  CHECK(a1->margin_tier == "high");
  CHECK(a1->cost == 3000);
  CHECK(a1->launch_s == day("2026-10-20"));
  CHECK(a1->promo);
  CHECK(a1->inventory == 12);
  CHECK(a1->group_key == "G-A");
  CHECK(has_label(*a1, "series=core"));
  CHECK(a1->cross_sell_ids == std::vector<std::string>{"A2"});
  const CatalogItem* a2 = find(c, "A2");
  REQUIRE(a2 != nullptr);
  CHECK(a2->price == 1999);
  CHECK(a2->category_path == std::vector<std::string>{"Home Fitness", "Towels"});
  CHECK(a2->upsell_ids == std::vector<std::string>{"A1"});
  const CatalogItem* three = find(c, "3");
  REQUIRE(three != nullptr);
  CHECK(three->kind == ItemKind::kConsumable);
  CHECK(three->repurchase_days == 30);
  CHECK_FALSE(three->recommendable);
  CHECK(three->currency == "USD");
}

TEST_CASE("format detection, explicit formats and unknown headers") {
  Diagnostics diag;
  CatalogStats stats;
  for (const char* f : {"gmc.tsv", "gmc.csv", "shopify.csv", "woocommerce.csv", "catalog.jsonl"}) {
    load_fixture(f, diag, &stats);
    CHECK(!stats.format.empty());
  }
  CatalogOptions o;
  o.format = "shopify";
  CHECK_THROWS_AS(load_fixture("gmc.tsv", diag, &stats, o), InputError);  // no Handle column
  std::istringstream weird("sku;name;cost\n1;x;2\n");
  CHECK_THROWS_WITH_AS(load_catalog(weird, "weird.csv", CatalogOptions{}, diag, &stats),
                       doctest::Contains("--catalog-format"), InputError);
  std::istringstream empty("");
  CHECK_THROWS_AS(load_catalog(empty, "empty.csv", CatalogOptions{}, diag, &stats), InputError);
  o.format = "xml";
  std::istringstream any("id,title\n");
  CHECK_THROWS_AS(load_catalog(any, "x", o, diag, &stats), InputError);
}

TEST_CASE("field mapping: a source column missing from the export is reported") {
  Diagnostics diag;
  CatalogStats stats;
  CatalogOptions o;
  o.mapping.entries = {{"no_such_column", "margin_tier"}};
  load_fixture("gmc.csv", diag, &stats, o);
  CHECK(diag.count("field_mapping source column not in the export") == 1);
}

TEST_CASE("rules file: unknown keys and targets are errors naming the JSON path") {
  auto parse = [](const char* text) {
    std::istringstream in(text);
    return parse_rules(in, "rules.json");
  };
  CHECK(parse(R"({"field_mapping": {"Custom_Label_0 ": "label:tier"}})")
            .field_mapping.entries[0]
            .first == "custom_label_0");
  CHECK_THROWS_WITH_AS(parse(R"({"boost": []})"), doctest::Contains("$.boost: unknown key"),
                       InputError);
  CHECK_THROWS_WITH_AS(
      parse(R"({"quotas": [{"match": {"label": "series=core"}, "min_share": 2}]})"),
      doctest::Contains("$.quotas[0].min_share: expected a number from 0 to 1"), InputError);
  CHECK(
      parse(R"({"quotas": [{"match": {"label": "series=core"}, "min_share": 0.25}]})").json.size() >
      10);
  CHECK_THROWS_WITH_AS(parse(R"({"field_mapping": {"x": "price"}})"),
                       doctest::Contains("$.field_mapping.x: unknown target 'price'"), InputError);
  CHECK_THROWS_WITH_AS(parse(R"({"field_mapping": {"x": 3}})"),
                       doctest::Contains("$.field_mapping.x"), InputError);
  CHECK_THROWS_WITH_AS(parse("{"), doctest::Contains("rules.json"), InputError);
  CHECK_THROWS_AS(parse("[]"), InputError);
}

TEST_CASE("columns named after aisle fields are used when present") {
  Diagnostics diag;
  CatalogStats stats;
  const Catalog c = load_fixture("gmc_extra_columns.csv", diag, &stats);
  REQUIRE(c.items.size() == 2);
  CHECK(diag.total() == 0);
  CHECK(c.items[0].margin_tier == "high");
  CHECK(c.items[0].kind == ItemKind::kConsumable);
  CHECK(c.items[0].repurchase_days == 30);
  CHECK(c.items[0].launch_s == day("2026-10-01"));
  CHECK(c.items[0].promo);
  CHECK(c.items[1].kind == ItemKind::kDurable);
  CHECK_FALSE(c.items[1].promo);
  // An explicit mapping of the same target takes precedence.
  CatalogOptions o;
  o.mapping.entries = {{"title", "margin_tier"}};
  const Catalog m = load_fixture("gmc_extra_columns.csv", diag, &stats, o);
  CHECK(m.items[0].margin_tier == "protein tub");
}
