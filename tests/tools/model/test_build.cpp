#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "build.h"
#include "engine.h"
#include "file_io.h"
#include "inspect.h"
#include "public_snapshot.h"
#include "snapshot.h"
#include "test_util.h"
#include "text.h"

using namespace aisle;

TEST_CASE("build: popularity counts and the decayed trend are known answers") {
  BuildOptions o;
  o.catalog_path = testing::data_path("catalog.jsonl");
  o.event_paths = {testing::data_path("events.jsonl")};
  REQUIRE(parse_time_ms("2026-10-30T10:05:00Z", &o.now_ms));
  BuildReport r;
  const auto bytes = build_snapshot(o, &r);
  auto snap = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE(snap.is_ok());
  const Snapshot& s = snap.value();
  CHECK(r.unknown_items == 1);  // GHOST
  CHECK(r.interactions_used == 4);
  CHECK(r.events_total() == 5);
  uint32_t a1, a2;
  REQUIRE(s.find_item("A1", &a1));
  REQUIRE(s.find_item("A2", &a2));
  const auto p = s.popularity(a1);
  CHECK(p.views == 1);
  CHECK(p.carts == 2);      // quantity 2
  CHECK(p.purchases == 2);  // quantity 2
  const double hl = 7 * 86400000.0;
  const double expected =
      1 * std::exp2(-300000 / hl) + 3 * std::exp2(-(3780000 - 250) / hl) + 5 * 2;
  CHECK(p.trend == doctest::Approx(expected).epsilon(1e-5));
  const auto q = s.popularity(a2);
  CHECK(q.views == 1);
  CHECK(q.trend ==
        doctest::Approx(std::exp2(-(double(o.now_ms) - 1793354460000.0) / hl)).epsilon(1e-5));
  CHECK(s.meta().as_of_ms == o.now_ms);
  CHECK(s.meta().events_read == 5);
}

TEST_CASE("build: the trend reference defaults to the latest event") {
  BuildOptions o;
  o.catalog_path = testing::data_path("catalog.jsonl");
  o.event_paths = {testing::data_path("events.jsonl")};
  BuildReport r;
  const auto bytes = build_snapshot(o, &r);
  auto snap = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE(snap.is_ok());
  int64_t latest;
  parse_time_ms("2026-10-31T00:00:01Z", &latest);  // the search event is the latest
  CHECK(snap.value().meta().as_of_ms == latest);
}

TEST_CASE("build: unreadable inputs are errors naming the file") {
  BuildOptions o;
  BuildReport r;
  o.catalog_path = "/nonexistent/catalog.csv";
  CHECK_THROWS_WITH_AS(build_snapshot(o, &r), doctest::Contains("/nonexistent/catalog.csv"),
                       InputError);
  o.catalog_path = testing::data_path("catalog.jsonl");
  o.event_paths = {"/nonexistent/events.jsonl"};
  CHECK_THROWS_WITH_AS(build_snapshot(o, &r), doctest::Contains("/nonexistent/events.jsonl"),
                       InputError);
  o.event_paths.clear();
  o.rules_path = "/nonexistent/rules.json";
  CHECK_THROWS_WITH_AS(build_snapshot(o, &r), doctest::Contains("rules.json"), InputError);
}

TEST_CASE("atomic writes replace whole files or nothing") {
  char dir_template[] = "/tmp/aisle-test-XXXXXX";
  REQUIRE(mkdtemp(dir_template) != nullptr);
  const std::string dir = dir_template;
  const std::string path = dir + "/out.snap";
  write_file_atomic(path, "first", 5);
  CHECK(read_file(path) == std::vector<uint8_t>{'f', 'i', 'r', 's', 't'});
  write_file_atomic(path, "second!", 7);
  CHECK(read_file(path).size() == 7);
  {
    AtomicFileWriter w(path);
    w.append("partial", 7);
    // destroyed without commit: the old file stays, the temporary goes
  }
  CHECK(read_file(path).size() == 7);
  CHECK(std::remove((path + ".tmp." + std::to_string(getpid())).c_str()) != 0);
  CHECK_THROWS_AS(write_file_atomic(dir + "/no/such/dir/x.snap", "x", 1), InputError);
  CHECK_THROWS_AS(read_file(dir + "/missing"), InputError);
  std::remove(path.c_str());
  rmdir(dir.c_str());
}

// Issue 12.4: one event dated 9999-12-31 poisoned "trending" for the whole store.
TEST_CASE("build: events far outside the log's time range are reported and ignored") {
  const std::string dir = testing::temp_dir("outlier"), clean = dir + "/clean.jsonl",
                    poisoned = dir + "/bad.jsonl";
  {
    std::ofstream a(clean), b(poisoned);
    for (int day = 1; day <= 28; ++day) {
      const std::string d = (day < 10 ? "0" : "") + std::to_string(day);
      for (const char* item : {"A1", "A2"}) {
        const std::string line = std::string("{\"event\":\"view_item\",\"timestamp\":\"2026-03-") +
                                 d + "T10:00:00Z\",\"session_id\":\"s" + d + "\",\"items\":[{" +
                                 "\"item_id\":\"" + item + "\"}]}\n";
        a << line;
        b << line;
        if (day == 14 && item[1] == '1') {
          b << "{\"event\":\"purchase\",\"timestamp\":\"9999-12-31T00:00:00Z\",\"session_id\":"
               "\"evil\",\"items\":[{\"item_id\":\"A2\",\"quantity\":50}]}\n";
          b << "{\"event\":\"view_item\",\"timestamp\":\"1971-01-01T00:00:00Z\",\"session_id\":"
               "\"old\",\"items\":[{\"item_id\":\"A2\"}]}\n";
        }
      }
    }
  }
  auto build = [&](const std::string& events, BuildReport* r) {
    BuildOptions o;
    o.catalog_path = testing::data_path("catalog.jsonl");
    o.event_paths = {events};
    return build_snapshot(o, r);
  };
  BuildReport rc, rp;
  const auto clean_bytes = build(clean, &rc), bad_bytes = build(poisoned, &rp);
  auto c = Snapshot::open(clean_bytes.data(), clean_bytes.size());
  auto p = Snapshot::open(bad_bytes.data(), bad_bytes.size());
  REQUIRE(c.is_ok());
  REQUIRE(p.is_ok());
  int64_t latest;
  REQUIRE(parse_time_ms("2026-03-28T10:00:00Z", &latest));
  CHECK(p.value().meta().as_of_ms == latest);  // not 9999-12-31
  for (const char* id : {"A1", "A2"}) {
    uint32_t ic, ip;
    REQUIRE(c.value().find_item(id, &ic));
    REQUIRE(p.value().find_item(id, &ip));
    CHECK(p.value().popularity(ip).trend == doctest::Approx(c.value().popularity(ic).trend));
    CHECK(p.value().popularity(ip).trend > 0);
    CHECK(p.value().popularity(ip).purchases == c.value().popularity(ic).purchases);
    CHECK(p.value().popularity(ip).views == c.value().popularity(ic).views);
  }
  CHECK(rp.interactions_used == rc.interactions_used);
  const std::string report = rp.event_diag.to_json().dump();
  CHECK(report.find("far outside") != std::string::npos);
  CHECK(report.find("bad.jsonl:28: field 'timestamp'") != std::string::npos);
  CHECK(report.find("9999-12-31") != std::string::npos);
  CHECK(rp.event_diag.count("event far outside the log's time range ignored") == 2);
  std::remove(clean.c_str());
  std::remove(poisoned.c_str());
  rmdir(dir.c_str());
}

// Issue 16: on a plain export with no logs, cards said "Popular right now" and "Best seller".
TEST_CASE("build: plain exports without logs: no reason claims sales, popularity or newness") {
  for (const char* file : {"gmc.csv", "shopify.csv", "woocommerce.csv"}) {
    CAPTURE(file);
    BuildOptions o;
    o.catalog_path = testing::data_path(file);
    BuildReport r;
    const auto bytes = build_snapshot(o, &r);
    auto opened = Snapshot::open(bytes.data(), bytes.size());
    REQUIRE(opened.is_ok());
    const Snapshot& snap = opened.value();
    Engine engine(snap);
    int64_t now_ms;
    REQUIRE(parse_time_ms("2026-11-01T12:00:00Z", &now_ms));
    size_t reasons = 0;
    for (size_t p = 0; p < kPlacementCount; ++p) {
      for (uint32_t page = 0; page <= snap.item_count(); ++page) {  // item_count: no page item
        Request req;
        req.placement = Placement(p);
        req.item = page < snap.item_count() ? page : fmt::kNone;
        req.now_ms = now_ms;
        std::vector<Recommendation> list;
        engine.recommend(Session(), req, &list);
        for (const Recommendation& rec : list) {
          for (size_t i = 0; i < rec.reason_count; ++i, ++reasons) {
            const std::string text = engine.reason_text(rec.reasons[i]);
            CAPTURE(text);
            for (const char* claim : {"New arrival", "Popular", "Best seller", "Top seller"})
              CHECK(text.rfind(claim, 0) == std::string::npos);
          }
        }
      }
    }
    CHECK(reasons > 0);
  }
}

TEST_CASE(
    "build: an item alone in its category is shown what shares its tags, not the store's fill") {
  // A plain Shopify export (no logs, no kind, margin, launch or repurchase columns): the
  // strap is the only item of its category; four kitchen items come first in the file.
  const std::string dir = testing::temp_dir("singleton");
  const std::string path = dir + "/products.csv";
  std::ofstream(path)
      << "Handle,Title,Vendor,Product Category,Tags,Variant SKU,Variant Price,Status\n"
         "knife,Chef Knife,Edge,Home > Kitchen > Knives,kitchen,KNIFE,60.00,active\n"
         "pan,Frying Pan,Edge,Home > Kitchen > Pans,kitchen,PAN,80.00,active\n"
         "kettle,Kettle,Edge,Home > Kitchen > Kettles,kitchen,KETTLE,40.00,active\n"
         "board,Cutting Board,Edge,Home > Kitchen > Boards,kitchen,BOARD,25.00,active\n"
         "mat,Cork Yoga Mat,Zenith,Sport > Yoga > Mats,\"yoga, eco\",MAT,45.00,active\n"
         "block,Foam Block,Zenith,Sport > Yoga > Blocks,yoga,BLOCK,12.00,active\n"
         "strap,Cotton Strap,Zenith,Sport > Yoga > Straps,\"yoga, eco\",STRAP,9.00,active\n";
  BuildOptions o;
  o.catalog_path = path;
  BuildReport r;
  const auto bytes = build_snapshot(o, &r);
  auto opened = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE(opened.is_ok());
  const Snapshot& snap = opened.value();
  uint32_t strap, mat, block;
  REQUIRE(snap.find_item("STRAP", &strap));
  REQUIRE(snap.find_item("MAT", &mat));
  REQUIRE(snap.find_item("BLOCK", &block));
  Engine engine(snap);
  Request req;
  req.placement = Placement::kProduct;
  req.item = strap;
  req.k = 2;
  req.fill = true;
  std::vector<Recommendation> list;
  engine.recommend(Session(), req, &list);
  REQUIRE(list.size() == 2);
  CHECK(list[0].item == mat);  // two tags shared, then one
  CHECK(list[1].item == block);
  CHECK(list[0].reasons[0].source == Source::kSimilar);
  std::remove(path.c_str());
  rmdir(dir.c_str());
}

namespace {

// A plain Merchant Center feed (no kind, repurchase, margin or launch columns) of razors,
// razor blades and gift sets, and a GA4 log: twelve visitors buy a razor with blades, then
// blades again 30 and 60 days later; one buys a gift set once.
std::string grooming_store(const std::string& dir) {
  std::ofstream(dir + "/feed.tsv")
      << "id\ttitle\tprice\tavailability\tbrand\tproduct_type\n"
         "RZ-1\tSafety Razor\t70.00 USD\tin stock\tEdge\tGrooming > Razors\n"
         "RZ-2\tCartridge Razor\t35.00 USD\tin stock\tEdge\tGrooming > Razors\n"
         "RZ-3\tTravel Razor\t25.00 USD\tin stock\tKeen\tGrooming > Razors\n"
         "BL-1\tBlades x10\t20.00 USD\tin stock\tEdge\tGrooming > Razor Blades\n"
         "BL-2\tBlades x20\t34.00 USD\tin stock\tEdge\tGrooming > Razor Blades\n"
         "GS-1\tShave Gift Set\t45.00 USD\tin stock\tEdge\tGrooming > Gift Sets\n";
  std::ofstream log(dir + "/events.jsonl");
  auto buy = [&](int v, int day, const char* item) {
    const std::string ts = format_time_iso(1'782'900'000'000 + int64_t(day) * 86'400'000);
    log << R"({"event":"purchase","timestamp":")" << ts << R"(","visitor_id":"v)" << v
        << R"(","session_id":"v)" << v << "-" << day << R"(","items":[{"item_id":")" << item
        << R"(","quantity":1}]})"
        << "\n";
  };
  for (int v = 0; v < 12; ++v) {
    buy(v, 0, v % 2 ? "RZ-1" : "RZ-2");
    buy(v, 0, "BL-1");
    buy(v, 30, v % 3 ? "BL-1" : "BL-2");
    buy(v, 60, "BL-1");
  }
  buy(99, 5, "GS-1");
  return dir;
}

}  // namespace

TEST_CASE("build: kinds and repurchase cycles the export lacks are inferred from the logs") {
  const std::string dir = grooming_store(testing::temp_dir("kinds"));
  BuildOptions o;
  o.catalog_path = dir + "/feed.tsv";
  o.event_paths = {dir + "/events.jsonl"};
  BuildReport r;
  const auto bytes = build_snapshot(o, &r);
  auto opened = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE(opened.is_ok());
  const Snapshot& snap = opened.value();
  auto item = [&](const char* id) {
    uint32_t i = fmt::kNone;
    REQUIRE(snap.find_item(id, &i));
    return snap.item(i);
  };
  CHECK(item("RZ-3").kind == ItemKind::kDurable);  // never bought, its category's verdict
  CHECK(item("RZ-1").kind == ItemKind::kDurable);
  CHECK(item("BL-2").kind == ItemKind::kConsumable);
  CHECK(item("BL-2").repurchase_days == 30);
  CHECK(item("GS-1").kind == ItemKind::kUnknown);  // one buyer, who never came back
  REQUIRE(r.inferred.size() == 3);                 // most buyers first, then the feed's order
  CHECK(r.inferred[0].summary() ==
        "Grooming > Razors: one-time purchase (durable) (0 of 12 returning buyers bought in it "
        "again; 12 buyers; 3 items)");
  CHECK(r.inferred[1].summary() ==
        "Grooming > Razor Blades: bought again (consumable), every 30 days (12 of 12 returning "
        "buyers bought in it again; 12 buyers; 2 items)");
  CHECK(r.inferred[2].summary() ==
        "Grooming > Gift Sets: not decided: no buyer came back to buy (0 of 0 returning buyers "
        "bought in it again; 1 buyers; 1 items)");
  // Kept in the merchant's snapshot for aisle inspect; a public cut leaves it out (the
  // kinds stay on the items: the shopper's engine needs them).
  CHECK(snap.build_notes().find("\"kind\":\"durable\"") != std::string_view::npos);
  const PublicSnapshot cut = public_snapshot(snap, PublicOptions());
  auto cut_open = Snapshot::open(cut.bytes.data(), cut.bytes.size());
  REQUIRE(cut_open.is_ok());
  CHECK(cut_open.value().build_notes().empty());
  CHECK(inspect_snapshot(snap)["inferred"].size() == 3);

  // The razor bought as a gift: no more razors on the next product page, blades stay.
  Engine engine(snap);
  uint32_t razor, other_razor, blades;
  REQUIRE(snap.find_item("RZ-1", &razor));
  REQUIRE(snap.find_item("RZ-2", &other_razor));
  REQUIRE(snap.find_item("BL-1", &blades));
  const Session s = testing::one_event(EventType::kPurchase, razor, 1'790'000'000'000);
  Request req;
  req.placement = Placement::kProduct;
  req.item = blades;
  req.k = 4;
  req.fill = true;
  req.now_ms = 1'790'000'060'000;
  std::vector<Recommendation> list;
  engine.recommend(s, req, &list);
  for (const Recommendation& rec : list)
    CHECK(snap.record(rec.item).category != snap.record(razor).category);
  CHECK(snap.record(other_razor).kind == uint8_t(ItemKind::kDurable));
  // With a kind column the export's word stands: nothing inferred.
  BuildOptions labelled = o;
  labelled.catalog_path = testing::data_path("catalog.jsonl");
  labelled.event_paths = {testing::data_path("events.jsonl")};
  BuildReport lr;
  build_snapshot(labelled, &lr);
  for (const InferredKind& k : lr.inferred) CHECK(k.kind == ItemKind::kUnknown);
}

TEST_CASE("build: margin and stock ranges become labels; the public snapshot holds none of it") {
  const std::string dir = testing::temp_dir("margin");
  {
    std::ofstream c(dir + "/catalog.jsonl");  // margins 20, 10, unknown, 80; stock 0, 3, -, 10
    c << R"({"id":"M1","title":"Mat 1","price":50,"cost":30,"inventory":0,"category":"Mats"})"
      << "\n"
      << R"({"id":"M2","title":"Mat 2","price":50,"cost":40,"inventory":3,"category":"Mats"})"
      << "\n"
      << R"({"id":"M3","title":"Mat 3","price":50,"category":"Mats"})"
      << "\n"
      << R"({"id":"M4","title":"Mat 4","price":100,"cost":20,"inventory":10,"category":"Mats"})"
      << "\n";
    std::ofstream r(dir + "/rules.json");
    r << R"({"boosts": [{"name": "Margin push", "match": {"margin": {"min": 15}}, "factor": 2}],
             "exclusions": [{"stock": {"min": 1, "max": 5}}]})";
  }
  BuildOptions o;
  o.catalog_path = dir + "/catalog.jsonl";
  o.rules_path = dir + "/rules.json";
  BuildReport report;
  const std::vector<uint8_t> bytes = build_snapshot(o, &report);
  const Snapshot s = Snapshot::open(bytes.data(), bytes.size()).value();
  auto labels = [](const Snapshot& snap, const char* id) {
    uint32_t i;
    REQUIRE(snap.find_item(id, &i));
    std::string out;
    for (uint32_t l = 0; l < snap.label_count(i); ++l) out += std::string(snap.label(i, l)) + " ";
    CHECK(snap.item(i).cost == fmt::kNone);  // never a unit cost or a stock count
    CHECK(snap.item(i).inventory == -1);
    return out;
  };
  CHECK(labels(s, "M1") == "~margin=15.. ");
  CHECK(labels(s, "M2") == "~stock=1..5 ");
  CHECK(labels(s, "M3").empty());
  CHECK(labels(s, "M4") == "~margin=15.. ");

  // Published: the stock range's item left out, the margin's an opaque set, no range label.
  const PublicSnapshot p = public_snapshot(s, {0});
  const Snapshot pub = Snapshot::open(p.bytes.data(), p.bytes.size()).value();
  uint32_t m2;
  CHECK_FALSE(pub.find_item("M2", &m2));
  const std::string rules(pub.rules_text());
  CHECK(rules.find("margin") == std::string::npos);
  CHECK(rules.find("stock") == std::string::npos);
  const std::string raw(p.bytes.begin(), p.bytes.end());
  CHECK(raw.find("~margin") == std::string::npos);
  CHECK(raw.find("~stock") == std::string::npos);
  CHECK(labels(pub, "M1") == labels(pub, "M4"));  // the boost's opaque label, on both
  CHECK(labels(pub, "M1").rfind("~", 0) == 0);
  CHECK(labels(pub, "M3").empty());

  // A catalog without the column a range needs: an error at the range's path.
  {
    std::ofstream c(dir + "/plain.jsonl");
    c << R"({"id":"P1","title":"Plain","price":50,"category":"Mats"})"
      << "\n";
  }
  o.catalog_path = dir + "/plain.jsonl";
  CHECK_THROWS_WITH_AS(build_snapshot(o, &report),
                       doctest::Contains("$.boosts[0].match.margin: no item of the catalog has a "
                                         "unit cost: a margin needs a cost column (Google "
                                         "Merchant's cost_of_goods_sold, Shopify's Cost per item"),
                       InputError);
  std::ofstream(dir + "/rules.json") << R"({"exclusions": [{"stock": {"max": 0}}]})";
  CHECK_THROWS_WITH_AS(build_snapshot(o, &report),
                       doctest::Contains("$.exclusions[0].stock: no item of the catalog has a "
                                         "stock count"),
                       InputError);

  // The margin at the price the engine charges: a sale window from before 1970 or past 2106
  // clamped as the snapshot records it (on sale at the build, whenever it runs before 2105:
  // a margin of 0). An oversold count is none in stock.
  {
    std::ofstream c(dir + "/edge.jsonl");
    c << R"({"id":"E1","title":"Old sale","price":30,"sale_price":10,"cost":10,)"
      << R"("sale_start":"1969-12-01T00:00:00Z","sale_end":"2105-01-01T00:00:00Z","inventory":-3})"
      << "\n"
      << R"({"id":"E2","title":"Long sale","price":30,"sale_price":10,"cost":10,)"
      << R"("sale_start":"2020-01-01T00:00:00Z","sale_end":"2110-01-01T00:00:00Z","inventory":2})"
      << "\n"
      << R"({"id":"E3","title":"No sale","price":30,"cost":10,"inventory":5})"
      << "\n";
  }
  std::ofstream(dir + "/rules.json")
      << R"({"boosts": [{"name": "Margin push", "match": {"margin": {"min": 10}}, "factor": 2}],
             "exclusions": [{"stock": {"max": 0}}]})";
  o.catalog_path = dir + "/edge.jsonl";
  const std::vector<uint8_t> edge = build_snapshot(o, &report);
  const Snapshot e = Snapshot::open(edge.data(), edge.size()).value();
  CHECK(labels(e, "E1") == "~stock=..0 ");
  CHECK(labels(e, "E2").empty());
  CHECK(labels(e, "E3") == "~margin=10.. ");

  // An item at the most labels a snapshot holds: the range cannot mark it, and says so.
  {
    std::ofstream c(dir + "/full.jsonl");
    c << R"({"id":"F1","title":"Full","price":50,"cost":10,"labels":[)";
    for (size_t i = 0; i < kMaxLabels; ++i) c << (i ? "," : "") << "\"l" << i << "\"";
    c << "]}\n";
  }
  o.catalog_path = dir + "/full.jsonl";
  CHECK_THROWS_WITH_AS(build_snapshot(o, &report),
                       doctest::Contains("$.boosts[0].match.margin: item 'F1' already has 1024 "
                                         "labels, the most a snapshot holds"),
                       InputError);
}
