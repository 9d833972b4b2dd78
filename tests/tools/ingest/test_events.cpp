#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "event_ingest.h"
#include "test_util.h"
#include "text.h"

using namespace aisle;

namespace {
struct Seen {
  EventType type;
  int64_t ts;
  std::string visitor, session, search_term, source, medium;
  std::vector<std::pair<std::string, int64_t>> items;
};

std::vector<Seen> read_fixture(const std::string& name, const std::string& format,
                               EventStats* stats, Diagnostics& diag) {
  std::ifstream in(testing::data_path(name), std::ios::binary);
  std::vector<Seen> out;
  read_events(in, name, format, diag, stats, [&](const RawEvent& e) {
    Seen s{e.type,
           e.ts_ms,
           std::string(e.visitor),
           std::string(e.session),
           std::string(e.search_term),
           std::string(e.source),
           std::string(e.medium),
           {}};
    for (size_t i = 0; i < e.item_count; ++i)
      s.items.emplace_back(std::string(e.items[i].id), e.items[i].quantity);
    out.push_back(s);
  });
  return out;
}

int64_t ms(const char* iso) {
  int64_t v = 0;
  parse_time_ms(iso, &v);
  return v;
}
}  // namespace

TEST_CASE("GA4 JSONL: event names, both timestamp forms, items and quantities; bad lines counted") {
  EventStats stats;
  Diagnostics diag;
  const auto ev = read_fixture("events.jsonl", "auto", &stats, diag);
  CHECK(stats.format == "ga4");
  CHECK(stats.lines == 8);
  CHECK(stats.events == 5);
  CHECK(stats.malformed == 2);
  CHECK(stats.ignored == 1);  // page_view
  CHECK(diag.count("malformed line skipped") == 2);
  REQUIRE(ev.size() == 5);
  CHECK(ev[0].type == EventType::kViewItem);
  CHECK(ev[0].ts == ms("2026-10-30T10:00:00Z"));
  CHECK(ev[0].source == "google");
  CHECK(ev[0].medium == "cpc");
  CHECK(ev[0].session == "s1");
  CHECK(ev[1].ts == 1793354460000);
  CHECK(ev[2].type == EventType::kAddToCart);
  CHECK(ev[2].ts == ms("2026-10-30T09:02:00.250Z"));
  CHECK(ev[2].items[0].second == 2);
  CHECK(ev[3].type == EventType::kPurchase);
  REQUIRE(ev[3].items.size() == 2);
  CHECK(ev[3].items[1].first == "GHOST");
  CHECK(ev[4].type == EventType::kSearch);
  CHECK(ev[4].search_term == "gift for dad \xC3\xA9");
  CHECK(ev[4].items.empty());
}

TEST_CASE("session-rec TSV and OTTO JSONL") {
  EventStats stats;
  Diagnostics diag;
  auto ev = read_fixture("session_rec.tsv", "auto", &stats, diag);
  CHECK(stats.format == "session-rec");
  CHECK(stats.events == 3);
  CHECK(stats.malformed == 2);
  REQUIRE(ev.size() == 3);
  CHECK(ev[0].session == "1");
  CHECK(ev[0].items[0].first == "10");
  CHECK(ev[0].ts == 1593536687000);

  ev = read_fixture("otto.jsonl", "auto", &stats, diag);
  CHECK(stats.format == "otto");
  CHECK(stats.events == 4);
  CHECK(stats.malformed == 2);  // the "wishlist" entry and the session without events
  REQUIRE(ev.size() == 4);
  CHECK(ev[1].type == EventType::kAddToCart);
  CHECK(ev[2].type == EventType::kPurchase);
  CHECK(ev[2].items[0].first == "11");
  CHECK(ev[3].session == "1");
}

TEST_CASE("events: explicit formats, an unknown format, empty input and progress") {
  EventStats stats;
  Diagnostics diag;
  std::istringstream empty("");
  read_events(empty, "e", "auto", diag, &stats, [](const RawEvent&) {});
  CHECK(stats.events == 0);
  std::istringstream x("a\tb\tc\n");
  CHECK_THROWS_AS(read_events(x, "e", "csv", diag, &stats, [](const RawEvent&) {}), InputError);
  // A headerless session-rec file read as such.
  std::istringstream rec("7\t8\t1593536687\n");
  size_t n = 0;
  read_events(rec, "e", "session-rec", diag, &stats, [&](const RawEvent&) { ++n; });
  CHECK(n == 1);
  std::string big;
  for (int i = 0; i < 70000; ++i) big += "1\t2\t1593536687\n";
  std::istringstream many(big);
  size_t progress_calls = 0;
  read_events(
      many, "e", "auto", diag, &stats, [](const RawEvent&) {},
      [&](const EventStats& s) {
        ++progress_calls;
        CHECK(s.bytes > 0);
      });
  CHECK(stats.events == 70000);
  CHECK(progress_calls == 1);
  CHECK(stats.bytes == big.size());
}

TEST_CASE(
    "GA4's BigQuery export as bq extract writes it: event_params, ecommerce, nested sources") {
  // 120 visitors of two sessions each (ga_session_id in event_params, unique per user only;
  // a third of them signed in, user_id before user_pseudo_id, null for the rest), int64s as
  // strings, microsecond timestamps, nulls, session_start/page_view/user_engagement rows.
  EventStats stats;
  Diagnostics diag;
  std::set<std::string> sessions, visitors;
  uint64_t searches = 0, purchases = 0, indexed = 0, social = 0;
  std::ifstream in(testing::data_path("ga4_bigquery.jsonl"), std::ios::binary);
  read_events(in, "ga4_bigquery.jsonl", "auto", diag, &stats, [&](const RawEvent& e) {
    sessions.insert(std::string(e.session));
    visitors.insert(std::string(e.visitor));
    CHECK(e.ts_ms >= 1793404800000);  // 2026-10-31, from microseconds
    CHECK(e.ts_ms < 1793404800000 + 60LL * 86400 * 1000);
    if (e.type == EventType::kSearch) searches += e.search_term == "yoga mat";
    if (e.type == EventType::kPurchase) {
      purchases += e.transaction_id.rfind("T-", 0) == 0 && e.value > 0 && e.currency == "EUR";
      REQUIRE(e.item_count == 1);
      CHECK(e.items[0].quantity == 1);
    }
    for (size_t i = 0; i < e.item_count; ++i) indexed += e.items[i].index > 0;
    social += e.source == "facebook" && e.medium == "paid_social" && e.campaign == "autumn";
  });
  CHECK(stats.format == "ga4");
  CHECK(stats.malformed == 0);
  CHECK(stats.ignored == 1348);  // session_start, page_view, user_engagement
  CHECK(visitors.size() == 120);
  CHECK(sessions.size() == 240);  // one per visitor before: each visitor's two merged
  CHECK(searches == 24);
  CHECK(purchases == 30);
  CHECK(indexed > 0);
  CHECK(social > 0);
}

TEST_CASE("orders exports as purchases: Shopify's and WooCommerce's orders CSV") {
  struct Order {
    std::string visitor, session, transaction, currency;
    int64_t ts;
    double value;
    std::vector<std::pair<std::string, int64_t>> items;
  };
  auto read = [](const char* name, EventStats* stats, Diagnostics& diag) {
    std::ifstream in(testing::data_path(name), std::ios::binary);
    std::vector<Order> out;
    read_events(in, name, "auto", diag, stats, [&](const RawEvent& e) {
      CHECK(e.type == EventType::kPurchase);
      Order o{std::string(e.visitor),
              std::string(e.session),
              std::string(e.transaction_id),
              std::string(e.currency),
              e.ts_ms,
              e.value,
              {}};
      for (size_t i = 0; i < e.item_count; ++i)
        o.items.emplace_back(std::string(e.items[i].id), e.items[i].quantity);
      out.push_back(o);
    });
    return out;
  };
  EventStats stats;
  Diagnostics diag;
  // Shopify: one row per line item, the order's fields on its first row (a quoted note
  // across two lines); a refunded and a cancelled order left out; a line without a SKU
  // (gift wrapping) skipped; the same customer's e-mail in other case and spacing.
  const auto shop = read("shopify_orders.csv", &stats, diag);
  CHECK(stats.format == "shopify-orders");
  REQUIRE(shop.size() == 3);
  CHECK(shop[0].transaction == "#1001");
  CHECK(shop[0].items ==
        std::vector<std::pair<std::string, int64_t>>{{"MAT-R", 1}, {"foam-roller", 1}});
  CHECK(shop[0].value == doctest::Approx(94.90));
  CHECK(shop[0].currency == "EUR");
  int64_t paid;
  REQUIRE(parse_time_ms("2026-10-02T07:15:04Z", &paid));
  CHECK(shop[0].ts == paid);  // "Paid at", with its offset
  CHECK(shop[1].items == std::vector<std::pair<std::string, int64_t>>{{"MAT-B", 1}});
  CHECK(stats.ignored == 2);
  CHECK(stats.malformed == 1);
  CHECK(shop[2].visitor == shop[0].visitor);  // Ana, hashed
  CHECK(shop[0].visitor != shop[1].visitor);
  CHECK(shop[0].visitor.find("example") == std::string::npos);  // never in clear
  CHECK(shop[0].session != shop[2].session);                    // each order its own session
  // WooCommerce: a cancelled order out; a line without a SKU by its product id.
  EventStats ws;
  Diagnostics wd;
  const auto woo = read("woocommerce_orders.csv", &ws, wd);
  CHECK(ws.format == "woocommerce-orders");
  REQUIRE(woo.size() == 3);
  CHECK(woo[0].items == std::vector<std::pair<std::string, int64_t>>{{"TEE-RED", 2}, {"CAP", 1}});
  CHECK(woo[0].value == doctest::Approx(57.0));
  CHECK(woo[2].items == std::vector<std::pair<std::string, int64_t>>{{"16", 1}});
  CHECK(ws.ignored == 1);
}
