// Known answers for each candidate source and the properties of every list, on tiny
// hand-built snapshots. Runs natively and in wasm.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "engine.h"
#include "snapshot_writer.h"

using namespace aisle;

namespace {

// Items 0..n-1 with ids "I0".., in category "Shop > C<i % cats>", no groups unless set.
struct World {
  Catalog catalog;
  SnapshotInput input;
  std::vector<uint8_t> bytes;
  Snapshot snap;

  explicit World(size_t n, size_t cats = 1) {
    for (size_t i = 0; i < n; ++i) {
      CatalogItem it;
      it.id = "I" + std::to_string(i);
      it.title = "Item " + std::to_string(i);
      it.price = 1000 + int64_t(i);
      it.currency = "USD";
      it.category_path = {"Shop", "C" + std::to_string(i % cats)};
      catalog.items.push_back(it);
    }
    input.catalog = &catalog;
    input.popularity.resize(n);
  }
  void lists(std::vector<std::vector<ScoredItem>>* field) {
    field->assign(catalog.items.size(), {});
  }
  const Snapshot& build() {
    auto r = write_snapshot(input);
    REQUIRE_MESSAGE(r.is_ok(), r.status().message());
    bytes = r.value();
    auto s = Snapshot::open(bytes.data(), bytes.size());
    REQUIRE_MESSAGE(s.is_ok(), s.status().message());
    snap = s.value();
    return snap;
  }
};

void track(Session& s, EventType type, uint32_t item, int64_t t) {
  ShopperEvent e;
  e.type = type;
  e.ts_ms = t;
  e.items = &item;
  e.item_count = 1;
  s.track(e);
}
void view(Session& s, uint32_t item, int64_t t = 1000) {
  track(s, EventType::kViewItem, item, t);
}
void cart(Session& s, uint32_t item, int64_t t = 1000) {
  track(s, EventType::kAddToCart, item, t);
}

std::vector<uint32_t> ids(const std::vector<Recommendation>& recs) {
  std::vector<uint32_t> out;
  for (const auto& r : recs) out.push_back(r.item);
  return out;
}

std::vector<Recommendation> run(Engine& engine, const Session& s, Placement p, uint32_t k = 3,
                                uint32_t item = fmt::kNone) {
  Request req;
  req.placement = p;
  req.k = k;
  req.item = item;
  std::vector<Recommendation> out;
  engine.recommend(s, req, &out);
  return out;
}

}  // namespace

TEST_CASE("transitions: items viewed after the current one, strongest first, with their anchor") {
  World w(6);
  w.lists(&w.input.model.transitions);
  w.input.model.transitions[0] = {{2, 0.9f}, {3, 0.5f}};
  const Snapshot& snap = w.build();
  EngineConfig cfg;
  cfg.strategy[size_t(Placement::kNextItem)].weight.fill(0);
  cfg.strategy[size_t(Placement::kNextItem)].weight[size_t(Source::kTransitions)] = 1;
  Engine engine(snap, cfg);
  Session s;
  view(s, 0);
  const auto recs = run(engine, s, Placement::kNextItem, 2);
  REQUIRE(ids(recs) == std::vector<uint32_t>{2, 3});
  CHECK(recs[0].score == doctest::Approx(1.0));  // normalized by the best transition
  // Scores are stored as bytes on a scale of 1/32 octave steps: each within 1.1%.
  CHECK(recs[1].score == doctest::Approx(0.5 / 0.9).epsilon(0.023));
  REQUIRE(recs[0].reason_count == 1);
  CHECK(recs[0].reasons[0].source == Source::kTransitions);
  CHECK(recs[0].reasons[0].anchor == Anchor{AnchorKind::kItem, 0});
  CHECK(engine.reason_text(recs[0].reasons[0]) == "Often viewed after Item 0");
}

TEST_CASE("co-purchases, similar items and merchant hints on a product page") {
  World w(8);
  w.catalog.items[0].cross_sell_ids = {"I7"};
  w.lists(&w.input.model.co_purchases);
  w.lists(&w.input.model.similar);
  w.input.model.co_purchases[0] = {{4, 2.0f}, {5, 1.0f}};
  w.input.model.similar[0] = {{6, 3.0f}};
  const Snapshot& snap = w.build();
  EngineConfig cfg;
  auto& st = cfg.strategy[size_t(Placement::kProduct)];
  st.weight.fill(0);
  st.weight[size_t(Source::kCoPurchase)] = 1.0f;
  st.weight[size_t(Source::kSimilar)] = 0.5f;
  st.weight[size_t(Source::kHint)] = 0.8f;
  st.max_per_category = 100;
  cfg.effects.neutral_slot_share = 1.0f;  // all k slots: this test is about the sources
  Engine engine(snap, cfg);
  Session s;
  const auto recs = run(engine, s, Placement::kProduct, 4, 0);
  // 4: 1.0, 7: 0.8 (hint), 5: 0.5, 6: 0.5 -- ties by index.
  CHECK(ids(recs) == std::vector<uint32_t>{4, 7, 5, 6});
  CHECK(recs[1].reasons[0].source == Source::kHint);
  CHECK(engine.reason_text(recs[0].reasons[0]) == "Bought together with Item 0");
  CHECK(engine.reason_text(recs[3].reasons[0]) == "Similar to Item 0");
}

TEST_CASE("session kNN: items of sessions that share this visit's items") {
  World w(6);
  // Indexed sessions (oldest first): {0,1,2}, {0,2}, {3,4}.
  w.input.model.sessions = {{0, 1, 2}, {0, 2}, {3, 4}};
  w.input.model.item_session_counts = {2, 1, 2, 1, 1, 0};
  const Snapshot& snap = w.build();
  EngineConfig cfg;
  cfg.strategy[size_t(Placement::kNextItem)].weight.fill(0);
  cfg.strategy[size_t(Placement::kNextItem)].weight[size_t(Source::kNeighbors)] = 1;
  cfg.knn_idf = 0;
  cfg.knn_position_decay = 0;
  Engine engine(snap, cfg);
  Session s;
  view(s, 0);
  const auto recs = run(engine, s, Placement::kNextItem, 5);
  // Both neighbors have similarity 1: item 2 is in both, item 1 in one; 3 and 4 share nothing.
  REQUIRE(recs.size() == 5);  // then the fallback fills the list
  CHECK(recs[0].item == 2);
  CHECK(recs[0].score == doctest::Approx(1.0));
  CHECK(recs[1].item == 1);
  CHECK(recs[1].score == doctest::Approx(0.5));
  CHECK(recs[0].reasons[0].source == Source::kNeighbors);
  CHECK(recs[2].score == 0);  // fallback entries
}

TEST_CASE("popularity: category best sellers and trending fill a cold start") {
  World w(6, 2);
  for (uint32_t i = 0; i < 6; ++i) {  // 5 is the most popular; 3, 4 and 5 sold enough to say so
    w.input.popularity[i].trend = float(i);
    w.input.popularity[i].purchases = i;
  }
  const Snapshot& snap = w.build();
  Engine engine(snap);
  Session s;
  const auto home = run(engine, s, Placement::kHome, 3);
  REQUIRE(home.size() == 3);
  CHECK(home[0].item == 5);
  Request req;
  req.placement = Placement::kCategory;
  req.category = snap.item(0).category;  // "C0": items 0, 2, 4
  req.k = 3;
  std::vector<Recommendation> out;
  engine.recommend(s, req, &out);
  CHECK(ids(out) == std::vector<uint32_t>{4, 2, 0});
  CHECK(engine.reason_text(out[0].reasons[0]) == "Best seller in C0");
}

TEST_CASE("new arrivals rank by launch date") {
  World w(4);
  const int64_t now_s = 1'790'000'000;
  w.catalog.items[1].launch_s = now_s - 20 * 86400;
  w.catalog.items[3].launch_s = now_s - 10 * 86400;
  const Snapshot& snap = w.build();
  REQUIRE(snap.new_arrivals().size() == 2);
  CHECK(snap.new_arrivals()[0] == 3);
  EngineConfig cfg;
  cfg.strategy[size_t(Placement::kHome)].weight.fill(0);
  cfg.strategy[size_t(Placement::kHome)].weight[size_t(Source::kNewArrival)] = 1;
  Engine engine(snap, cfg);
  Session s;
  view(s, 0, now_s * 1000);  // the request's time: the visit's
  const auto recs = run(engine, s, Placement::kHome, 2);
  CHECK(ids(recs) == std::vector<uint32_t>{3, 1});
  CHECK(engine.reason_text(recs[0].reasons[0]) == "New arrival");
}

TEST_CASE("filters: unavailable, unrecommendable, the current item and the cart never show") {
  World w(6);
  w.catalog.items[1].availability = Availability::kOutOfStock;
  w.catalog.items[2].recommendable = false;
  w.lists(&w.input.model.co_purchases);
  w.input.model.co_purchases[0] = {{1, 5.0f}, {2, 4.0f}, {3, 3.0f}, {4, 2.0f}, {5, 1.0f}};
  const Snapshot& snap = w.build();
  Engine engine(snap);
  Session s;
  cart(s, 3);
  const auto recs = run(engine, s, Placement::kProduct, 5, 0);
  for (const auto& r : recs) {
    CHECK(r.item != 0);
    CHECK(r.item != 1);
    CHECK(r.item != 2);
    CHECK(r.item != 3);
  }
  CHECK(recs.size() == 2);  // 4 and 5 are all that is eligible
}

TEST_CASE("caps: one variant per group on a product page, relaxed when the list would be short") {
  World w(5);
  for (int i = 1; i <= 3; ++i) w.catalog.items[size_t(i)].group_key = "G";
  w.lists(&w.input.model.co_purchases);
  w.input.model.co_purchases[0] = {{1, 3.0f}, {2, 2.9f}, {3, 2.8f}, {4, 1.0f}};
  const Snapshot& snap = w.build();
  EngineConfig cfg;
  cfg.strategy[size_t(Placement::kProduct)].max_per_category = 100;
  cfg.effects.neutral_slot_share = 1.0f;
  Engine engine(snap, cfg);
  Session s;
  auto recs = run(engine, s, Placement::kProduct, 2, 0);
  CHECK(ids(recs) == std::vector<uint32_t>{1, 4});
  recs = run(engine, s, Placement::kProduct, 4, 0);
  CHECK(ids(recs) == std::vector<uint32_t>{1, 4, 2, 3});
}

TEST_CASE("properties: k respected, no duplicates, deterministic, never empty for small catalogs") {
  World w(12, 3);
  w.lists(&w.input.model.transitions);
  for (uint32_t i = 0; i < 12; ++i)
    w.input.model.transitions[i] = {{(i + 1) % 12, 1.0f}, {(i + 5) % 12, 0.5f}};
  const Snapshot& snap = w.build();
  Engine engine(snap);
  for (size_t p = 0; p < kPlacementCount; ++p) {
    for (uint32_t k : {1u, 4u, 12u, 50u}) {
      Session s;
      view(s, 3, 1000);
      view(s, 7, 2000);
      cart(s, 8, 3000);
      const auto a = run(engine, s, Placement(p), k, 7);
      const auto b = run(engine, s, Placement(p), k, 7);
      CHECK(ids(a) == ids(b));
      CHECK(a.size() <= k);
      CHECK(!a.empty());
      const std::vector<uint32_t> list = ids(a);
      const std::set<uint32_t> unique(list.begin(), list.end());
      CHECK(unique.size() == a.size());
      for (const auto& r : a) {
        CHECK(r.reason_count >= 1);
        CHECK(r.item != 7);
      }
    }
  }
}

TEST_CASE("a snapshot without engine sections (format 1.0) still gets full lists") {
  World w(3);
  w.input.model.global_top = 0;
  w.input.model.category_top = 0;
  const Snapshot& snap = w.build();
  Engine engine(snap);
  Session s;
  view(s, 0);
  CHECK(run(engine, s, Placement::kProduct, 5, 0).size() == 2);
  CHECK(run(engine, s, Placement::kHome, 5).size() == 3);
}

TEST_CASE("the session stays bounded over a 10,000-event visit") {
  Session s;
  for (uint32_t i = 0; i < 10000; ++i) {
    view(s, i % 500, i);
    if (i % 3 == 0) cart(s, i % 700, i);
  }
  CHECK(s.recent_count() == Session::kMaxRecent);
  CHECK(s.cart_count() <= Session::kMaxCart);
  CHECK(s.signals().events == 10000 + 3334);
  CHECK(s.last_item() == 9999 % 700);  // the cart event came last
  ShopperEvent buy;
  buy.type = EventType::kPurchase;
  uint32_t items[] = {1, 2};
  buy.items = items;
  buy.item_count = 2;
  s.track(buy);
  CHECK(s.cart_count() == 0);
  CHECK(s.purchased_count() == 2);
}

TEST_CASE("profile: earlier visits make a returning visitor, bounded and deduplicated") {
  Profile p;
  CHECK_FALSE(p.returning());
  for (int visit = 0; visit < 5; ++visit) {
    Session s;
    for (uint32_t i = 0; i < 20; ++i) view(s, uint32_t(visit * 10) + i, visit * 100 + i);
    p.end_visit(s);
  }
  CHECK(p.returning());
  CHECK(p.visits() == 5);
  CHECK(p.view_count() == Profile::kMaxViews);
  std::set<uint32_t> seen;
  for (size_t i = 0; i < p.view_count(); ++i) seen.insert(p.view(i).item);
  CHECK(seen.size() == p.view_count());
  CHECK(p.view(p.view_count() - 1).item == 59);
}

TEST_CASE("out-of-range indices from a caller are treated as none, never read") {
  World w(4);
  const Snapshot& snap = w.build();
  Engine engine(snap);
  Session s;
  view(s, 999);  // an index the snapshot does not have
  Request req;
  req.placement = Placement::kCategory;
  req.item = 12345;
  req.category = 777;
  req.k = 3;
  std::vector<Recommendation> out;
  engine.recommend(s, req, &out);
  CHECK(out.size() == 3);
  req.placement = Placement(200);
  engine.recommend(s, req, &out);
  CHECK(out.empty());
}

TEST_CASE("profile JSON: round trip by id, corrupt or foreign data refused and reset") {
  World w(6);
  const Snapshot& snap = w.build();
  Profile p;
  Session s;
  view(s, 1, 1000);
  view(s, 4, 2000);
  ShopperEvent buy;
  buy.type = EventType::kPurchase;
  uint32_t item = 4;
  buy.items = &item;
  buy.item_count = 1;
  buy.ts_ms = 3000;
  s.track(buy);
  p.end_visit(s);
  const std::string json = p.to_json(snap);
  CHECK(json ==
        R"({"v":1,"visits":1,"views":[["I1",1000],["I4",2000]],"purchases":[["I4",3000]]})");
  Profile q;
  REQUIRE(q.from_json(json, snap).is_ok());
  CHECK(q.visits() == 1);
  REQUIRE(q.view_count() == 2);
  CHECK(q.view(1).item == 4);
  CHECK(q.purchase(0).ts_ms == 3000);
  // Items the snapshot no longer has are dropped; junk is refused and leaves an empty profile.
  CHECK(q.from_json(R"({"v":1,"visits":2,"views":[["GONE",5],["I2",6]],"purchases":[]})", snap)
            .is_ok());
  CHECK(q.view_count() == 1);
  for (const char* junk : {"", "{", "[]", R"({"v":2,"visits":1,"views":[],"purchases":[]})",
                           R"({"v":1,"visits":-1,"views":[],"purchases":[]})",
                           R"({"v":1,"visits":1,"views":[["I1"]],"purchases":[]})",
                           R"({"v":1,"visits":1,"views":[[1,2]],"purchases":[]})", "{\"v\":1}"}) {
    CHECK_FALSE(q.from_json(junk, snap).is_ok());
    CHECK(q.visits() == 0);
    CHECK(q.view_count() == 0);
  }
}

TEST_CASE("explain: rank and reasons of a listed item, unavailable and unlisted items say so") {
  World w(6);
  w.catalog.items[1].availability = Availability::kOutOfStock;
  w.lists(&w.input.model.co_purchases);
  w.input.model.co_purchases[0] = {{1, 5.0f}, {4, 3.0f}, {5, 1.0f}};
  const Snapshot& snap = w.build();
  Engine engine(snap);
  Session s;
  view(s, 0);
  Request req;
  req.placement = Placement::kProduct;
  req.item = 0;
  req.k = 1;  // explain ignores the list length
  const Explanation four = engine.explain(s, req, 4);
  CHECK(four.available);
  CHECK(four.rank == 0);
  REQUIRE(four.rec.reason_count > 0);
  CHECK(four.rec.reasons[0].source == Source::kCoPurchase);
  CHECK(four.rec.reasons[0].anchor == Anchor{AnchorKind::kItem, 0});
  const Explanation five = engine.explain(s, req, 5);
  CHECK(five.rank > four.rank);
  const Explanation one = engine.explain(s, req, 1);
  CHECK_FALSE(one.available);
  CHECK(one.rank == -1);
  CHECK(engine.explain(s, req, 0).rank == -1);  // the product on the page itself
  CHECK(engine.explain(s, req, 999).rank == -1);
  CHECK_FALSE(engine.explain(s, req, 999).available);
}

TEST_CASE("variants of the product on the page, in the cart or bought are not suggested") {
  World w(6);
  w.catalog.items[0].group_key = "MAT";  // 0 and 1: two colours of one mat
  w.catalog.items[1].group_key = "MAT";
  w.catalog.items[2].group_key = "BLOCK";  // 2 and 3: two colours of one block
  w.catalog.items[3].group_key = "BLOCK";
  // One category for all six: consumables, so that the cart list may offer more of it (an
  // item of unknown kind in the cart rules its category out there).
  for (CatalogItem& it : w.catalog.items) it.kind = ItemKind::kConsumable;
  w.lists(&w.input.model.co_purchases);
  w.input.model.co_purchases[0] = {{1, 5.0f}, {2, 4.0f}, {4, 3.0f}};
  w.input.model.co_purchases[4] = {{3, 5.0f}, {5, 4.0f}};
  const Snapshot& snap = w.build();
  Engine engine(snap);
  Session s;
  view(s, 0);
  const auto product = ids(run(engine, s, Placement::kProduct, 5, 0));
  CHECK(std::find(product.begin(), product.end(), 1u) == product.end());
  CHECK(std::find(product.begin(), product.end(), 2u) != product.end());
  cart(s, 2);  // a block in the cart: the other colour stays off the cart list
  cart(s, 4);
  const auto in_cart = ids(run(engine, s, Placement::kCart, 5));
  CHECK(std::find(in_cart.begin(), in_cart.end(), 3u) == in_cart.end());
  CHECK(std::find(in_cart.begin(), in_cart.end(), 5u) != in_cart.end());
}
