// One scenario per behaviour of PRODUCT.md ("What the seeds ask for"), each a scripted
// visit on a small hand-built store, checked through the engine the browser runs.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "engine.h"
#include "snapshot_writer.h"
#include "time_parse.h"

using namespace aisle;

namespace {

class Store {
 public:
  Store() { input_.catalog = &catalog_; }
  uint32_t add(const std::string& id, const char* category, int64_t price,
               ItemKind kind = ItemKind::kDurable, const char* brand = "", const char* group = "") {
    CatalogItem it;
    it.id = id;
    it.title = id;
    it.price = price;
    it.kind = kind;
    it.brand = brand;
    it.group_key = group;
    it.category_path = {"Shop", category};
    catalog_.items.push_back(it);
    ids_[id] = uint32_t(catalog_.items.size() - 1);
    return ids_[id];
  }
  CatalogItem& item(uint32_t i) { return catalog_.items[i]; }
  void bought_with(uint32_t a, uint32_t b, float w) {
    auto& lists = input_.model.co_purchases;
    lists.resize(catalog_.items.size());
    lists[a].push_back({b, w});
    std::sort(lists[a].begin(), lists[a].end(), [](auto& x, auto& y) { return x.score > y.score; });
  }
  void popularity(uint32_t i, float trend) {
    input_.popularity.resize(catalog_.items.size());
    input_.popularity[i].trend = trend;
    input_.popularity[i].views = uint32_t(trend * 10);
  }
  void sold(uint32_t i, uint32_t units) {
    input_.popularity.resize(catalog_.items.size());
    input_.popularity[i].purchases = units;
  }
  const Snapshot& build() {
    input_.popularity.resize(catalog_.items.size());
    input_.model.co_purchases.resize(input_.model.co_purchases.empty() ? 0 : catalog_.items.size());
    auto r = write_snapshot(input_);
    REQUIRE_MESSAGE(r.is_ok(), r.status().message());
    bytes_ = r.value();
    snap_ = Snapshot::open(bytes_.data(), bytes_.size()).value();
    return snap_;
  }
  const Snapshot& snap() const { return snap_; }
  std::string id(uint32_t i) const { return catalog_.items[i].id; }

 private:
  Catalog catalog_;
  SnapshotInput input_;
  std::map<std::string, uint32_t> ids_;
  std::vector<uint8_t> bytes_;
  Snapshot snap_;
};

struct Visit {
  Session session;
  int64_t t = 1'790'000'000'000;
  uint32_t items[64];
  size_t n = 0;
  Visit& act(EventType type, uint32_t item, ShopperEvent e = ShopperEvent()) {
    items[n] = item;
    e.type = type;
    e.ts_ms = t += 60'000;
    e.items = item == fmt::kNone ? nullptr : &items[n++];
    e.item_count = item == fmt::kNone ? 0 : 1;
    session.track(e);
    return *this;
  }
  Visit& view(uint32_t i) { return act(EventType::kViewItem, i); }
  Visit& cart(uint32_t i) { return act(EventType::kAddToCart, i); }
  Visit& buy(uint32_t i) { return act(EventType::kPurchase, i); }
};

struct Shown {
  std::vector<Recommendation> items;
  ListInfo info;
  bool has(uint32_t item) const {
    return std::any_of(items.begin(), items.end(),
                       [&](const Recommendation& r) { return r.item == item; });
  }
  const Recommendation* find(uint32_t item) const {
    for (const auto& r : items) {
      if (r.item == item) return &r;
    }
    return nullptr;
  }
};

Shown show(const Snapshot& snap, const Session& s, Placement p, uint32_t k,
           uint32_t item = fmt::kNone, const Profile* profile = nullptr, int64_t now_ms = 0) {
  Engine engine(snap);
  Request req;
  req.placement = p;
  req.k = k;
  req.item = item;
  req.profile = profile;
  req.now_ms = now_ms;
  Shown out;
  engine.recommend(s, req, &out.items, &out.info);
  return out;
}

bool has_reason(const Recommendation* r, Source s) {
  if (r == nullptr) return false;
  for (size_t i = 0; i < r->reason_count; ++i) {
    if (r->reasons[i].source == s) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("gift for dad: a razor bought as a gift stops razors for the rest of the visit") {
  Store st;
  const uint32_t razor = st.add("razor-a", "Razors", 7000);
  const uint32_t other_razors[] = {st.add("razor-b", "Razors", 6500),
                                   st.add("razor-c", "Razors", 9000)};
  const uint32_t blades = st.add("blades", "Razor Blades", 2000, ItemKind::kConsumable);
  const uint32_t wallet = st.add("wallet", "Wallets", 5500);
  st.bought_with(razor, other_razors[0], 2.0f);  // razors are often viewed and bought together...
  st.bought_with(razor, blades, 1.0f);
  for (uint32_t i = 0; i < 5; ++i) st.popularity(i, float(5 - i));
  const Snapshot& snap = st.build();
  Visit v;
  ShopperEvent search;
  search.gift_search = true;
  v.act(EventType::kSearch, fmt::kNone, search).view(razor).cart(razor).buy(razor);
  for (Placement p : {Placement::kHome, Placement::kPostPurchase, Placement::kProduct}) {
    const Shown shown = show(snap, v.session, p, 4, p == Placement::kProduct ? wallet : fmt::kNone);
    CHECK(shown.info.context.gift);
    for (uint32_t r : other_razors) CHECK_FALSE(shown.has(r));  // ...but not after one was bought
    CHECK(!shown.items.empty());
  }
  CHECK(show(snap, v.session, Placement::kPostPurchase, 4).has(blades));  // complements still come
}

TEST_CASE("a durable in the cart: add-ons on the cart list, not another of its kind") {
  Store st;
  const uint32_t phone = st.add("phone", "Phones", 50000);
  const uint32_t other = st.add("phone-2", "Phones", 45000);
  const uint32_t case_ = st.add("case", "Cases", 2000);
  const uint32_t beans = st.add("beans", "Coffee", 1500, ItemKind::kConsumable);
  const uint32_t more_beans = st.add("beans-2", "Coffee", 1800, ItemKind::kConsumable);
  st.bought_with(phone, other, 5.0f);  // often bought together (a family plan), still a substitute
  st.bought_with(phone, case_, 2.0f);
  st.bought_with(beans, more_beans, 3.0f);  // consumables: a second bag is fine
  const Snapshot& snap = st.build();
  Visit v;
  v.view(phone).cart(phone);
  const Shown cart = show(snap, v.session, Placement::kCart, 3);
  CHECK(
      std::none_of(cart.items.begin(), cart.items.end(), [&](auto& r) { return r.item == other; }));
  CHECK(cart.items[0].item == case_);
  Visit coffee;
  coffee.view(beans).cart(beans);
  const Shown c2 = show(snap, coffee.session, Placement::kCart, 3);
  CHECK(c2.items[0].item == more_beans);
  // On the product page the other phone is still an alternative.
  Visit browsing;
  browsing.view(phone);
  const Shown page = show(snap, browsing.session, Placement::kProduct, 3, phone);
  CHECK(
      std::any_of(page.items.begin(), page.items.end(), [&](auto& r) { return r.item == other; }));
}

TEST_CASE("after an expensive phone: no bargain-bin cases, the same brand first") {
  Store st;
  const uint32_t phone = st.add("phone-aether", "Phones", 120000, ItemKind::kDurable, "Aether");
  for (int i = 0; i < 5; ++i) st.add("phone-" + std::to_string(i), "Phones", 20000 + 15000 * i);
  const uint32_t cheap_case = st.add("case-cheap", "Cases", 500, ItemKind::kDurable, "Voltix");
  const uint32_t mid_case = st.add("case-mid", "Cases", 2500, ItemKind::kDurable, "Nordwave");
  const uint32_t brand_case = st.add("case-aether", "Cases", 4500, ItemKind::kDurable, "Aether");
  for (int i = 0; i < 3; ++i) st.add("case-" + std::to_string(i), "Cases", 1500 + 1000 * i);
  st.bought_with(phone, cheap_case, 5.0f);  // the cheap case is bought with it most often
  st.bought_with(phone, mid_case, 3.0f);
  st.bought_with(phone, brand_case, 2.8f);
  const Snapshot& snap = st.build();
  Visit v;
  v.view(phone).cart(phone).buy(phone);
  const Shown shown = show(snap, v.session, Placement::kPostPurchase, 3);
  CHECK(shown.info.context.after_premium);
  CHECK_FALSE(shown.has(cheap_case));
  REQUIRE(!shown.items.empty());
  CHECK(shown.items[0].item == brand_case);
  CHECK(has_reason(shown.find(brand_case), Source::kTier));
  // Without the premium purchase the cheap case leads, as the co-purchases say.
  Visit browsing;
  browsing.view(phone);
  CHECK(show(snap, browsing.session, Placement::kProduct, 3, phone).items[0].item == cheap_case);
}

TEST_CASE("after a premium phone on a plain export: no $3 case, the brand's own cases first") {
  // A merchant's hand-made feed: no kind, margin, launch or repurchase columns; three phones
  // (too few for a quantile) and six cases (too few to say much by one).
  Store st;
  constexpr ItemKind kPlain = ItemKind::kUnknown;
  const uint32_t phone = st.add("Aether X1", "Phones", 99900, kPlain, "Aether");
  st.add("Voltix A2", "Phones", 45000, kPlain, "Voltix");
  st.add("Nordwave N3", "Phones", 30000, kPlain, "Nordwave");
  const uint32_t bargain[] = {st.add("Basic case", "Cases", 300, kPlain, "Voltix"),
                              st.add("Clear case", "Cases", 900, kPlain, "Ampli"),
                              st.add("Grip case", "Cases", 1400, kPlain, "Nordwave")};
  const uint32_t own[] = {st.add("Aether X1 silicone case", "Cases", 2500, kPlain, "Aether"),
                          st.add("Aether X1 leather case", "Cases", 2800, kPlain, "Aether"),
                          st.add("Aether X1 folio", "Cases", 3000, kPlain, "Aether")};
  st.bought_with(phone, bargain[0], 5.0f);  // the logs: the $3 case goes with it most often
  st.bought_with(phone, bargain[1], 3.0f);
  st.bought_with(phone, bargain[2], 2.0f);
  for (uint32_t i = 0; i < 9; ++i) st.popularity(i, 20.0f - float(i));  // the $3 case sells best
  const Snapshot& snap = st.build();
  Visit v;
  v.view(phone).cart(phone).buy(phone);
  const Shown shown = show(snap, v.session, Placement::kPostPurchase, 6);
  CHECK(shown.info.context.after_premium);               // the dearest of three phones
  for (uint32_t b : bargain) CHECK_FALSE(shown.has(b));  // below 2% of $999 and below Aether's
  REQUIRE(shown.items.size() >= 2);
  for (size_t i = 0; i < 2; ++i) {
    const uint32_t first = shown.items[i].item;
    CHECK_MESSAGE(std::find(std::begin(own), std::end(own), first) != std::end(own), st.id(first));
    CHECK(has_reason(shown.find(first), Source::kTier));
  }
  Engine engine(snap);
  CHECK(engine.reason_text(shown.items[0].reasons[0]) == "Same brand as your Aether X1");
  // Before the purchase the logs rule: the $3 case leads the phone's page.
  Visit browsing;
  browsing.view(phone);
  CHECK(show(snap, browsing.session, Placement::kProduct, 3, phone).items[0].item == bargain[0]);
}

TEST_CASE("decisive buyer: fewer, tighter slots on product pages; an explorer gets them all") {
  Store st;
  for (int i = 0; i < 12; ++i)
    st.add("item-" + std::to_string(i), i < 6 ? "Mats" : "Towels", 2000 + 100 * i);
  const Snapshot& snap = st.build();
  Visit decisive;
  decisive.view(0).cart(0);
  const Shown d = show(snap, decisive.session, Placement::kProduct, 6, 1);
  CHECK(d.info.context.decisive);
  CHECK(d.info.mode == ListMode::kFocused);
  CHECK(d.info.slots == 3);
  CHECK(d.items.size() == 3);
  Visit explorer;
  explorer.view(0).view(6).view(2).view(7).view(3).view(8);
  const Shown e = show(snap, explorer.session, Placement::kProduct, 6, 1);
  CHECK(e.info.context.exploring);
  CHECK(e.info.slots == 6);
  CHECK(e.items.size() == 6);
}

TEST_CASE("comparing buyer: the comparison module, the category's top 3 best sellers") {
  Store st;
  std::vector<uint32_t> mats;
  for (int i = 0; i < 6; ++i)
    mats.push_back(st.add("mat-" + std::to_string(i), "Mats", 3000 + 500 * i));
  for (int i = 0; i < 6; ++i) {  // mat-0 sells best
    st.popularity(mats[size_t(i)], float(10 - i));
    st.sold(mats[size_t(i)], uint32_t(10 - i));
  }
  const Snapshot& snap = st.build();
  Visit v;
  v.view(mats[3]).view(mats[4]).view(mats[5]).view(mats[3]);
  const Shown shown = show(snap, v.session, Placement::kProduct, 6, mats[3]);
  CHECK(shown.info.context.comparing);
  CHECK(shown.info.mode == ListMode::kCompare);
  REQUIRE(shown.items.size() == 3);
  CHECK(shown.items[0].item == mats[0]);
  CHECK(shown.items[1].item == mats[1]);
  CHECK(shown.items[2].item == mats[2]);
  CHECK(shown.items[0].reasons[0].source == Source::kCompare);
  CHECK(Engine(snap).reason_text(shown.items[0].reasons[0]) == "Top seller in Mats");
}

TEST_CASE("comparing buyer: the comparison module never shows more than k (found by fuzz_lists)") {
  Store st;
  std::vector<uint32_t> mats;
  for (int i = 0; i < 6; ++i) {
    mats.push_back(st.add("mat-" + std::to_string(i), "Mats", 3000 + 500 * i));
    st.popularity(mats.back(), float(10 - i));
  }
  const Snapshot& snap = st.build();
  Visit v;
  v.view(mats[3]).view(mats[4]).view(mats[5]).view(mats[3]);
  const Shown two = show(snap, v.session, Placement::kProduct, 2, mats[3]);
  CHECK(two.info.mode == ListMode::kCompare);
  CHECK(two.items.size() == 2);
  CHECK(two.info.slots == 2);
  const Shown one = show(snap, v.session, Placement::kProduct, 1, mats[3]);  // nothing to compare
  CHECK(one.info.mode != ListMode::kCompare);
  CHECK(one.items.size() == 1);
}

TEST_CASE("comparing buyer: models are compared, one colour each") {
  Store st;
  std::vector<uint32_t> mats;
  for (int i = 0; i < 6; ++i) {  // mat-0 and mat-1 are two colours of one model
    mats.push_back(st.add("mat-" + std::to_string(i), "Mats", 3000 + 500 * i, ItemKind::kDurable,
                          "", i < 2 ? "M" : ""));
    st.popularity(mats.back(), float(10 - i));
  }
  const Snapshot& snap = st.build();
  Visit v;
  v.view(mats[3]).view(mats[4]).view(mats[5]).view(mats[3]);
  const Shown shown = show(snap, v.session, Placement::kProduct, 6, mats[3]);
  CHECK(shown.info.mode == ListMode::kCompare);
  REQUIRE(shown.items.size() == 3);
  CHECK(shown.items[0].item == mats[0]);
  CHECK(shown.items[1].item == mats[2]);
  CHECK(shown.items[2].item == mats[3]);  // the product on the page is among those compared
}

TEST_CASE("money-saving mode on the cart: deals first, nothing dearer than the cart's item") {
  Store st;
  const uint32_t mat = st.add("mat", "Mats", 4000);
  const uint32_t dear = st.add("roller-premium", "Rollers", 9000);
  const uint32_t deal = st.add("roller-deal", "Rollers", 3000);
  const uint32_t plain = st.add("towel", "Towels", 2500);
  st.item(deal).promo = true;
  st.bought_with(mat, dear, 3.0f);
  st.bought_with(mat, plain, 2.0f);
  st.bought_with(mat, deal, 1.0f);
  const Snapshot& snap = st.build();
  Visit v;
  ShopperEvent sorted;
  sorted.sort_price_asc = true;
  v.act(EventType::kViewItemList, fmt::kNone, sorted).view(mat).cart(mat);
  const Shown cart = show(snap, v.session, Placement::kCart, 3);
  CHECK(cart.info.context.price_sensitive);
  CHECK_FALSE(cart.has(dear));
  REQUIRE(!cart.items.empty());
  CHECK(has_reason(cart.find(deal), Source::kDeal));
  // The same visit without the price signal: the dear roller leads.
  Visit normal;
  normal.view(mat).cart(mat);
  CHECK(show(snap, normal.session, Placement::kCart, 3).items[0].item == dear);
}

TEST_CASE("yoga mats in three colours: the set, not more mats") {
  Store st;
  const uint32_t red = st.add("mat-red", "Mats", 4500, ItemKind::kDurable, "Zen", "mat");
  const uint32_t blue = st.add("mat-blue", "Mats", 4500, ItemKind::kDurable, "Zen", "mat");
  const uint32_t green = st.add("mat-green", "Mats", 4500, ItemKind::kDurable, "Zen", "mat");
  const uint32_t roller = st.add("roller", "Rollers", 2500);
  const uint32_t towel = st.add("towel", "Towels", 1800);
  const uint32_t other_mat = st.add("mat-other", "Mats", 3000);
  st.bought_with(red, roller, 3.0f);
  st.bought_with(blue, towel, 2.0f);
  st.bought_with(red, other_mat, 1.0f);
  const Snapshot& snap = st.build();
  Visit v;
  v.view(red).view(blue).view(green);
  const Shown shown = show(snap, v.session, Placement::kProduct, 3, green);
  CHECK(shown.info.context.bundle_building);
  CHECK(shown.info.mode == ListMode::kBundle);
  CHECK(shown.has(roller));
  CHECK(shown.has(towel));
  CHECK_FALSE(shown.has(red));
  CHECK_FALSE(shown.has(blue));
  CHECK(has_reason(shown.find(roller), Source::kCompleteSet));
  CHECK(Engine(snap).reason_text(shown.find(roller)->reasons[0]) ==
        "Completes your set with mat-red");
}

TEST_CASE("new vs returning visitor on the home page") {
  Store st;
  const uint32_t best = st.add("best-seller", "Mats", 3000);
  const uint32_t coffee = st.add("coffee-maker", "Coffee", 15000);
  const uint32_t beans = st.add("beans", "Coffee", 1600, ItemKind::kConsumable);
  st.add("filters", "Coffee", 600, ItemKind::kConsumable);
  st.item(beans).repurchase_days = 21;
  st.popularity(best, 100.0f);
  st.bought_with(coffee, beans, 2.0f);
  const Snapshot& snap = st.build();
  Session empty;
  const Shown fresh = show(snap, empty, Placement::kHome, 2);
  CHECK_FALSE(fresh.info.context.returning);
  REQUIRE(!fresh.items.empty());
  CHECK(fresh.items[0].item == best);
  // A returning visitor who bought beans 30 days ago (a 21-day cycle) and viewed the coffee maker.
  Visit earlier;
  earlier.view(coffee).view(beans).cart(beans).buy(beans);
  Profile profile;
  profile.end_visit(earlier.session);
  const int64_t month_later = earlier.t + 30LL * 86'400'000;
  const Shown back = show(snap, empty, Placement::kHome, 2, fmt::kNone, &profile, month_later);
  CHECK(back.info.context.returning);
  REQUIRE(!back.items.empty());
  CHECK(back.items[0].item == beans);
  CHECK(back.items[0].reasons[0].source == Source::kReplenish);
  CHECK(Engine(snap).reason_text(back.items[0].reasons[0]) == "Time to restock beans");
  // Ten days on, the beans are not due yet.
  const Shown early =
      show(snap, empty, Placement::kHome, 2, fmt::kNone, &profile, earlier.t + 10LL * 86'400'000);
  CHECK_FALSE(has_reason(early.find(beans), Source::kReplenish));
}

namespace {
Rules rules_of(const char* json) {
  Rules r;
  const Status st = parse_rules_json(json, &r);
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  return r;
}

Shown show_with(const Snapshot& snap, const Rules& rules, const Session& s, Placement p, uint32_t k,
                int64_t now_ms = 1'790'000'000'000, uint32_t item = fmt::kNone,
                uint32_t category = fmt::kNone) {
  Engine engine(snap);
  engine.set_rules(rules);
  Request req;
  req.placement = p;
  req.k = k;
  req.now_ms = now_ms;
  req.item = item;
  req.category = category;
  Shown out;
  engine.recommend(s, req, &out.items, &out.info);
  return out;
}

// Ten mats by popularity; 7, 8 and 9 (the least sold) are the core series.
Store& core_series_store(Store& st) {
  for (int i = 0; i < 10; ++i) {
    const uint32_t item = st.add("mat-" + std::to_string(i), "Mats", 3000 + 100 * i);
    st.popularity(item, float(100 - 10 * i));
    if (i >= 7) st.item(item).labels = {"series=core"};
  }
  return st;
}
}  // namespace

TEST_CASE("core-series quota: a guaranteed share of slots in every list") {
  Store st;
  const Snapshot& snap = core_series_store(st).build();
  const Rules rules =
      rules_of(R"({"quotas": [{"name": "Core series", "match": {"label": "series=core"},
                                                "min_share": 0.5}]})");
  Session s;
  for (Placement p : {Placement::kHome, Placement::kCategory, Placement::kSearchEmpty}) {
    const Shown plain = show_with(snap, Rules(), s, p, 4);
    const Shown ruled = show_with(snap, rules, s, p, 4);
    auto core = [](const Shown& x) {
      return std::count_if(x.items.begin(), x.items.end(),
                           [](const Recommendation& r) { return r.item >= 7; });
    };
    CHECK(core(plain) == 0);  // best sellers alone would leave the series out
    CHECK(core(ruled) >= 2);  // half of 4 slots
    CHECK(ruled.items.size() == 4);
    const Recommendation* quota = nullptr;
    for (const auto& r : ruled.items) {
      if (r.item >= 7) quota = &r;
    }
    REQUIRE(quota != nullptr);
    CHECK(Engine(snap).reason_text(quota->reasons[0]) ==
          "Featured by the store");  // no rules in this engine
  }
}

TEST_CASE("a guaranteed share keeps the variant cap: one colour of a product, not two") {
  // Seven best sellers, then the core series: three colours of one mat (the series' best
  // sellers), and two other core items.
  Store st;
  for (int i = 0; i < 7; ++i)
    st.popularity(st.add("mat-" + std::to_string(i), "Mats", 3000), float(100 - 10 * i));
  for (const char* colour : {"red", "blue", "green"}) {
    const uint32_t item =
        st.add(std::string("core-mat-") + colour, "Mats", 3000, ItemKind::kDurable, "", "core-mat");
    st.item(item).labels = {"series=core"};
    st.popularity(item, 25);
  }
  for (const char* id : {"core-strap", "core-block"}) {
    const uint32_t item = st.add(id, "Mats", 3000);
    st.item(item).labels = {"series=core"};
    st.popularity(item, 5);
  }
  const Snapshot& snap = st.build();
  const Rules rules =
      rules_of(R"({"quotas": [{"match": {"label": "series=core"}, "min_share": 0.5}]})");
  for (Placement p : {Placement::kHome, Placement::kCategory, Placement::kSearchEmpty}) {
    CAPTURE(placement_name(p));
    const Shown shown = show_with(snap, rules, Session(), p, 4);
    std::map<uint32_t, int> per_group;
    int core = 0;
    for (const Recommendation& r : shown.items) {
      const ItemView it = snap.item(r.item);
      if (it.group != fmt::kNone) ++per_group[it.group];
      core += r.item >= 7;
    }
    CHECK(core >= 2);                                        // the share is met...
    for (const auto& [group, n] : per_group) CHECK(n == 1);  // ...with one colour of the mat
  }
}

TEST_CASE("shoppers read a rule's reason, or the generic reason of its kind, never its name") {
  Store st;
  const Snapshot& snap = core_series_store(st).build();
  Session s;
  const auto reason_of = [&](const char* json) {
    const Rules rules = rules_of(json);
    Engine engine(snap);
    engine.set_rules(rules);
    Request req;
    req.placement = Placement::kHome;
    req.k = 4;
    req.now_ms = 1'790'000'000'000;
    std::vector<Recommendation> items;
    ListInfo info;
    engine.recommend(s, req, &items, &info);
    for (const Recommendation& r : items) {
      for (size_t i = 0; i < r.reason_count; ++i) {
        const std::string* rule = engine.rule_of(r.reasons[i]);
        if (rule != nullptr) return std::make_pair(engine.reason_text(r.reasons[i]), *rule);
      }
    }
    return std::make_pair(std::string("no rule reason"), std::string());
  };
  CHECK(reason_of(
            R"({"quotas": [{"name": "Core series - clear stock", "match": {"label": "series=core"},
                                  "min_share": 0.5}]})") ==
        std::make_pair(std::string("Featured by the store"),
                       std::string("Core series - clear stock")));
  CHECK(reason_of(R"({"quotas": [{"name": "Core series", "reason": "Our core range",
                                  "match": {"label": "series=core"}, "min_share": 0.5}]})")
            .first == "Our core range");
  CHECK(reason_of(R"({"boosts": [{"name": "High margin - push", "match": {"label": "series=core"},
                                  "factor": 100}]})")
            .first == "Featured by the store");
  CHECK(reason_of(R"({"boosts": [{"name": "High margin - push", "reason": "Staff pick",
                                  "match": {"label": "series=core"}, "factor": 100}]})")
            .first == "Staff pick");
}

TEST_CASE("new-arrival exploration: a rotating slot for new items") {
  Store st;
  for (int i = 0; i < 6; ++i)
    st.popularity(st.add("old-" + std::to_string(i), "Mats", 3000), float(10 - i));
  const int64_t now = 1'790'000'000'000;
  for (int i = 0; i < 3; ++i)
    st.item(st.add("new-" + std::to_string(i), "Mats", 3000)).launch_s =
        now / 1000 - 86400 * (i + 1);
  const Snapshot& snap = st.build();
  const Rules rules =
      rules_of(R"({"exploration": {"slots": 1, "max_age_days": 30, "max_views": 0}})");
  Session s;
  std::set<uint32_t> explored;
  for (int hour = 0; hour < 6; ++hour) {
    const Shown shown = show_with(snap, rules, s, Placement::kHome, 4, now + hour * 3'600'000LL);
    REQUIRE(shown.items.size() == 4);
    const Recommendation& last = shown.items.back();
    CHECK(last.reasons[0].source == Source::kExplore);
    CHECK(last.item >= 6);
    for (const auto& r : shown.items) {
      if (r.item >= 6) explored.insert(r.item);
    }
  }
  CHECK(explored.size() == 3);  // every new item gets its turn (new-0 also as a plain new arrival)
  CHECK(show_with(snap, rules, s, Placement::kHome, 4, now).items.back().item ==
        show_with(snap, rules, s, Placement::kHome, 4, now).items.back().item);  // deterministic
}

TEST_CASE("exploration keeps the variant cap: no second colour of a product the list shows") {
  // The blue mat and the strap are unseen, so both are explored; the red mat, a best
  // seller, is in the list already.
  Store st;
  for (int i = 0; i < 5; ++i)
    st.popularity(st.add("old-" + std::to_string(i), "Mats", 3000), float(10 - i));
  st.popularity(st.add("mat-red", "Mats", 3000, ItemKind::kDurable, "", "mat"), 20);
  const uint32_t blue = st.add("mat-blue", "Mats", 3000, ItemKind::kDurable, "", "mat");
  const uint32_t strap = st.add("strap", "Mats", 3000);
  const Snapshot& snap = st.build();
  const Rules rules = rules_of(R"({"exploration": {"slots": 2, "max_views": 0}})");
  for (int hour = 0; hour < 4; ++hour) {
    const Shown shown = show_with(snap, rules, Session(), Placement::kHome, 4,
                                  1'790'000'000'000 + hour * 3'600'000LL);
    REQUIRE(shown.items.size() == 4);
    CHECK(shown.items[0].item == 5);  // the red mat
    CHECK(std::any_of(shown.items.begin(), shown.items.end(),
                      [&](auto& r) { return r.item == strap; }));
    CHECK(std::none_of(shown.items.begin(), shown.items.end(),
                       [&](auto& r) { return r.item == blue; }));
  }
}

TEST_CASE("a promotion window: before, during and after") {
  Store st;
  for (int i = 0; i < 6; ++i)
    st.popularity(st.add("item-" + std::to_string(i), "Mats", 3000 + 1000 * i), float(10 - i));
  st.item(5).labels = {"campaign=summer"};
  const Snapshot& snap = st.build();
  const Rules rules =
      rules_of(R"({"campaigns": [{"name": "Summer sale", "start": "2026-06-01T00:00:00Z",
      "end": "2026-06-08T00:00:00Z", "boosts": [{"name": "summer-2026 push", "reason": "Summer sale",
      "match": {"label": "campaign=summer"}, "factor": 10}]}]})");
  Session s;
  int64_t before, during, after;
  REQUIRE(parse_time_ms("2026-05-31T12:00:00Z", &before));
  REQUIRE(parse_time_ms("2026-06-03T12:00:00Z", &during));
  REQUIRE(parse_time_ms("2026-06-08T00:00:00Z", &after));
  CHECK(show_with(snap, rules, s, Placement::kHome, 3, before).items[0].item == 0);
  const Shown in = show_with(snap, rules, s, Placement::kHome, 3, during);
  CHECK(in.items[0].item == 5);
  Engine engine(snap);
  engine.set_rules(rules);
  Request req;
  req.placement = Placement::kHome;
  req.k = 3;
  req.now_ms = during;
  std::vector<Recommendation> out;
  engine.recommend(s, req, &out);
  CHECK(engine.reason_text(out[0].reasons[0]) == "Summer sale");
  CHECK(show_with(snap, rules, s, Placement::kHome, 3, after).items[0].item ==
        0);  // the end is exclusive
}

TEST_CASE("a campaign demotes dear items only where the category has enough items to say so") {
  Store st;
  const uint32_t lone = st.add("lone-lamp", "Lamps", 9000);  // the only lamp: no price quantile
  st.popularity(lone, 20.0f);
  for (int i = 0; i < 6; ++i)
    st.popularity(st.add("mat-" + std::to_string(i), "Mats", 1000 + 1000 * i), float(10 - i));
  const Snapshot& snap = st.build();
  const Rules rules = rules_of(R"({"campaigns": [{"name": "Sale", "start": "2026-06-01T00:00:00Z",
      "end": "2026-06-08T00:00:00Z", "demote_expensive_non_promo": true}]})");
  int64_t during;
  REQUIRE(parse_time_ms("2026-06-03T12:00:00Z", &during));
  Session s;
  const Shown shown = show_with(snap, rules, s, Placement::kHome, 7, during);
  REQUIRE(!shown.items.empty());
  CHECK(shown.items[0].item == lone);
  CHECK(shown.items.back().item == 6);  // mat-5, the dearest mat, is demoted below the rest
}

TEST_CASE("search-ad vs social visitors get their own strategies") {
  Store st;
  const uint32_t phone = st.add("phone", "Phones", 50000);
  for (int i = 0; i < 8; ++i)
    st.popularity(st.add("case-" + std::to_string(i), "Cases", 2000), float(10 - i));
  st.bought_with(phone, 8, 1.0f);  // the least popular case is the one bought with the phone
  const Snapshot& snap = st.build();
  const Rules rules = rules_of(R"({"segments": {
      "paid_search": {"slots": 2, "weights": {"trending": 0}},
      "organic_social": {"weights": {"bought_together": 0, "trending": 2}}}})");
  auto visit = [&](TrafficClass t) {
    Visit v;
    ShopperEvent e;
    e.traffic = t;
    v.act(EventType::kViewItem, phone, e);
    return v;
  };
  const Visit ad = visit(TrafficClass::kPaidSearch), social = visit(TrafficClass::kOrganicSocial);
  Engine engine(snap);
  engine.set_rules(rules);
  auto run = [&](const Visit& v) {
    Request req;
    req.placement = Placement::kProduct;
    req.item = phone;
    req.k = 6;
    Shown out;
    engine.recommend(v.session, req, &out.items, &out.info);
    return out;
  };
  const Shown a = run(ad), b = run(social);
  CHECK(a.info.context.traffic == TrafficClass::kPaidSearch);
  CHECK(a.info.slots <= 2);
  CHECK(a.items[0].item == 8);  // complements for the buyer who came from a search ad
  CHECK(b.info.context.traffic == TrafficClass::kOrganicSocial);
  CHECK(b.items[0].item == 1);  // what is popular, for the browser from social (case-0 is item 1)
}

TEST_CASE("a strategy per detected context: money-saving shoppers get their own slots") {
  Store st;
  const uint32_t mat = st.add("mat", "Mats", 4000);
  for (int i = 0; i < 5; ++i)
    st.bought_with(mat, st.add("strap-" + std::to_string(i), "Straps", 1000), 1.0f);
  const Snapshot& snap = st.build();
  const Rules rules = rules_of(R"({"segments": {"price_sensitive": {"slots": 2}}})");
  Visit saving, normal;
  ShopperEvent sorted;
  sorted.sort_price_asc = true;
  saving.act(EventType::kViewItemList, fmt::kNone, sorted).view(mat).cart(mat);
  normal.view(mat).cart(mat);
  const Shown a = show_with(snap, rules, saving.session, Placement::kCart, 4);
  const Shown b = show_with(snap, rules, normal.session, Placement::kCart, 4);
  CHECK(a.info.context.price_sensitive);
  CHECK(a.info.slots == 2);
  CHECK(a.items.size() == 2);
  CHECK_FALSE(b.info.context.price_sensitive);
  CHECK(b.items.size() == 4);
}

TEST_CASE("pins and exclusions") {
  Store st;
  const Snapshot& snap = core_series_store(st).build();
  const Rules rules =
      rules_of(R"({"pins": [{"item": "mat-9", "position": 1, "placements": ["home"]}],
                                  "exclusions": [{"item": "mat-0"}, {"brand": "Nobody"}]})");
  Session s;
  const Shown home = show_with(snap, rules, s, Placement::kHome, 3);
  REQUIRE(home.items.size() == 3);
  CHECK(home.items[0].item == 9);
  CHECK(home.items[0].reasons[0].source == Source::kPin);
  CHECK_FALSE(home.has(0));
  const Shown category = show_with(snap, rules, s, Placement::kCategory, 3);
  CHECK(category.items[0].item != 9);  // pinned on home only
  CHECK_FALSE(category.has(0));
}

TEST_CASE("rules are validated with errors that name the JSON path") {
  Rules r;
  auto error = [&](const char* json) { return parse_rules_json(json, &r).message(); };
  CHECK(error(R"({"boost": []})") ==
        "$.boost: unknown key (boosts, quotas, exploration, pins, exclusions, campaigns, "
        "complements, placements, segments, context, experiments, field_mapping)");
  CHECK(error(R"({"boosts": [{"match": {"label": "x=y"}}]})") ==
        "$.boosts[0]: match and factor are required");
  CHECK(error(R"({"boosts": [{"match": {"colour": "red"}, "factor": 2}]})")
            .rfind("$.boosts[0].match.colour: unknown match", 0) == 0);
  CHECK(error(R"({"quotas": [{"match": {"item": "a"}, "min_share": 1.5}]})") ==
        "$.quotas[0].min_share: expected a number from 0 to 1");
  CHECK(error(R"({"pins": [{"item": "a", "position": 0}]})") ==
        "$.pins[0].position: expected a number from 1 to 100");
  CHECK(error(R"({"campaigns": [{"name": "x", "start": "2026-06-08", "end": "2026-06-01"}]})") ==
        "$.campaigns[0].end: must come after start");
  CHECK(error(R"({"placements": {"sidebar": {"slots": 3}}})") ==
        "$.placements.sidebar: unknown placement");
  CHECK(error(R"({"segments": {"tiktok": {}}})").rfind("$.segments.tiktok: unknown segment", 0) ==
        0);
  CHECK(error(R"({"placements": {"home": {"weights": {"magic": 1}}}})")
            .rfind("$.placements.home.weights.magic: unknown source", 0) == 0);
  CHECK(error("{").rfind("$: not valid JSON", 0) == 0);
  CHECK(parse_rules_json(
            R"({"field_mapping": {"custom_label_0": "margin_tier"}, "exploration": {"slots": 1}})",
            &r)
            .is_ok());
  CHECK(r.exploration.slots == 1);
}

TEST_CASE("a pin is the merchant's call: a pinned substitute still shows on the cart") {
  Store st;
  const uint32_t phone = st.add("phone", "Phones", 50000);
  const uint32_t other = st.add("phone-2", "Phones", 45000);
  const uint32_t case_ = st.add("case", "Cases", 2000);
  st.bought_with(phone, case_, 2.0f);
  const Snapshot& snap = st.build();
  Visit v;
  v.view(phone).cart(phone);
  const Shown plain = show(snap, v.session, Placement::kCart, 3);
  CHECK(std::none_of(plain.items.begin(), plain.items.end(),
                     [&](auto& r) { return r.item == other; }));
  const Shown pinned =
      show_with(snap, rules_of(R"({"pins": [{"item": "phone-2", "position": 1}]})"), v.session,
                Placement::kCart, 3);
  REQUIRE_FALSE(pinned.items.empty());
  CHECK(pinned.items[0].item == other);
}

// Honest reasons: a reason claims only what the snapshot's data shows (docs/algorithms.md,
// "What a reason claims").
namespace {

// The texts that claim something only events or a launch date can show.
bool claims_data(const std::string& text) {
  for (const char* claim : {"New arrival", "Popular", "Best seller", "Top seller"}) {
    if (text.rfind(claim, 0) == 0) return true;
  }
  return false;
}

std::vector<std::string> texts(const Snapshot& snap, const Shown& shown) {
  std::vector<std::string> out;
  Engine engine(snap);
  for (const auto& r : shown.items) {
    for (size_t i = 0; i < r.reason_count; ++i) out.push_back(engine.reason_text(r.reasons[i]));
  }
  return out;
}

Shown show_category(const Snapshot& snap, uint32_t item_in_category, uint32_t k, int64_t now_ms) {
  Engine engine(snap);
  Request req;
  req.placement = Placement::kCategory;
  req.category = snap.record(item_in_category).category;
  req.k = k;
  req.now_ms = now_ms;
  Shown out;
  engine.recommend(Session(), req, &out.items, &out.info);
  return out;
}

}  // namespace

TEST_CASE("honest reasons on a plain export: no events, no launch dates, so no claims") {
  Store st;  // what a Merchant Center or Shopify export gives: no launch column, no logs
  std::vector<uint32_t> mats;
  for (int i = 0; i < 4; ++i) mats.push_back(st.add("mat-" + std::to_string(i), "Mats", 3000));
  for (int i = 0; i < 3; ++i) st.add("block-" + std::to_string(i), "Blocks", 1500);
  for (int i = 0; i < 2; ++i) st.add("strap-" + std::to_string(i), "Straps", 900);
  const Snapshot& snap = st.build();
  const int64_t now = 1'790'000'000'000;
  Visit comparing;
  comparing.view(mats[1]).view(mats[2]).view(mats[3]).view(mats[1]);
  std::vector<Shown> lists;
  for (size_t p = 0; p < kPlacementCount; ++p) {
    lists.push_back(show(snap, Session(), Placement(p), 6, fmt::kNone, nullptr, now));
    lists.push_back(show(snap, Session(), Placement(p), 6, mats[0], nullptr, now));
  }
  const Shown compare =
      show(snap, comparing.session, Placement::kProduct, 6, mats[1], nullptr, now);
  REQUIRE(compare.info.mode == ListMode::kCompare);
  lists.push_back(compare);
  lists.push_back(show_category(snap, mats[0], 6, now));
  for (const Shown& shown : lists) {
    CHECK_FALSE(shown.items.empty());
    for (const std::string& text : texts(snap, shown)) CHECK_MESSAGE(!claims_data(text), text);
  }
  // Where the items come from, and no more.
  const Shown home = show(snap, Session(), Placement::kHome, 6, fmt::kNone, nullptr, now);
  CHECK(texts(snap, home)[0] == "More from the store");
  CHECK(home.items[0].reasons[0].source == Source::kGlobalTop);  // the code is the source's
  CHECK(texts(snap, compare)[0] == "More in Mats");
  CHECK(texts(snap, show_category(snap, mats[0], 6, now))[0] == "More in Mats");
}

TEST_CASE("honest reasons: a launch 20 months ago is not a new arrival, last week's is") {
  Store st;
  const int64_t now = 1'790'000'000'000;
  std::vector<uint32_t> old;
  for (int i = 0; i < 5; ++i) {
    old.push_back(st.add("old-" + std::to_string(i), "Mats", 3000));
    st.item(old.back()).launch_s = now / 1000 - 600 * 86400 + i;
  }
  const uint32_t fresh = st.add("fresh", "Mats", 3000);
  st.item(fresh).launch_s = now / 1000 - 7 * 86400;
  const Snapshot& snap = st.build();
  for (Placement p : {Placement::kHome, Placement::kSearchEmpty, Placement::kCategory}) {
    const Shown shown = p == Placement::kCategory
                            ? show_category(snap, fresh, 6, now)
                            : show(snap, Session(), p, 6, fmt::kNone, nullptr, now);
    REQUIRE(shown.items.size() == 6);
    for (uint32_t item : old) {
      CHECK(shown.has(item));
      CHECK_FALSE(has_reason(shown.find(item), Source::kNewArrival));
    }
    CHECK(has_reason(shown.find(fresh), Source::kNewArrival));
    const std::vector<std::string> said = texts(snap, shown);
    CHECK(std::count(said.begin(), said.end(), "New arrival") == 1);  // the fresh item's
  }
  // Without a time (no event in the visit, none given) nothing can be called new.
  const Shown timeless = show(snap, Session(), Placement::kHome, 6);
  CHECK_FALSE(has_reason(timeless.find(fresh), Source::kNewArrival));
  // The merchant may explore a wider window; the shopper still reads "New arrival" only
  // within the engine's.
  const Rules wide =
      rules_of(R"({"exploration": {"slots": 1, "max_age_days": 900, "max_views": 0}})");
  std::set<std::string> explored;
  for (int hour = 0; hour < 6; ++hour) {
    const Shown shown =
        show_with(snap, wide, Session(), Placement::kHome, 3, now + hour * 3'600'000LL);
    REQUIRE(shown.items.back().reasons[0].source == Source::kExplore);
    explored.insert(st.id(shown.items.back().item) + ": " +
                    Engine(snap).reason_text(shown.items.back().reasons[0]));
  }
  CHECK(explored.count("fresh: New arrival") == 1);
  CHECK(explored.size() > 1);  // old items too, each as what it is
  for (const std::string& e : explored) {
    CHECK_MESSAGE(
        (e == "fresh: New arrival" ||
         (e.rfind("old-", 0) == 0 && e.find(": Something new to discover") != std::string::npos)),
        e);
  }
}

TEST_CASE("honest reasons: popular and best seller when the events say so, less when not") {
  Store st;
  const uint32_t seller = st.add("seller", "Mats", 3000);    // sold and in demand
  const uint32_t viewed = st.add("viewed", "Mats", 3000);    // in demand, never sold
  const uint32_t past = st.add("past", "Mats", 3000);        // sold, months ago
  const uint32_t glance = st.add("glance", "Mats", 3000);    // one look
  const uint32_t nothing = st.add("nothing", "Mats", 3000);  // no events
  st.popularity(seller, 40);
  st.sold(seller, 8);
  st.popularity(viewed, 30);
  st.popularity(past, 0.5f);
  st.sold(past, 6);
  st.popularity(glance, 1);
  const Snapshot& snap = st.build();
  const int64_t now = 1'790'000'000'000;
  const Shown category = show_category(snap, seller, 5, now);
  std::map<uint32_t, std::string> said;
  for (const auto& r : category.items) said[r.item] = Engine(snap).reason_text(r.reasons[0]);
  CHECK(said[seller] == "Best seller in Mats");
  CHECK(said[viewed] == "Popular in Mats");
  CHECK(said[past] == "Best seller in Mats");
  CHECK(said[glance] == "More in Mats");
  CHECK(said[nothing] == "More in Mats");
  EngineConfig trending_only;  // the store-wide ranking alone
  trending_only.strategy[size_t(Placement::kHome)].weight.fill(0);
  trending_only.strategy[size_t(Placement::kHome)].weight[size_t(Source::kGlobalTop)] = 1;
  Engine engine(snap, trending_only);
  Request req;
  req.placement = Placement::kHome;
  req.k = 5;
  req.now_ms = now;
  std::vector<Recommendation> home;
  engine.recommend(Session(), req, &home);
  said.clear();
  for (const auto& r : home) said[r.item] = engine.reason_text(r.reasons[0]);
  CHECK(said[seller] == "Popular right now");
  CHECK(said[viewed] == "Popular right now");
  CHECK(said[past] == "Best seller");
  CHECK(said[glance] == "More from the store");
  CHECK(said[nothing] == "More from the store");
}

// A gift shopper (issue 16): gift ideas in the price band browsed, said so; none of the
// shopper's own restocks or past (docs/algorithms.md, "Context").
namespace {

ShopperEvent search_for(bool gift) {
  ShopperEvent e;
  e.gift_search = gift;  // "gift for dad" (is_gift_search), else "watch"
  return e;
}

std::vector<uint32_t> with_reason(const Shown& shown, Source s) {
  std::vector<uint32_t> out;
  for (const auto& r : shown.items) {
    if (has_reason(&r, s)) out.push_back(r.item);
  }
  return out;
}

}  // namespace

TEST_CASE("gift shopper on a plain export: gift ideas in the band browsed, not the own past") {
  Store st;  // a Merchant Center export: no kind, margin, launch or repurchase columns
  auto plain = [&](const char* id, const char* category, int64_t price) {
    return st.add(id, category, price, ItemKind::kUnknown);
  };
  const uint32_t watch = plain("watch-a", "Watches", 18000);
  const uint32_t watch_b = plain("watch-b", "Watches", 15000);
  const uint32_t strap = plain("strap", "Watch Straps", 3000);
  const uint32_t speaker = plain("speaker", "Speakers", 9000);
  const uint32_t set = plain("gift-set", "Gift Sets", 12000);  // the gift category
  const uint32_t wallet = plain("wallet", "Wallets", 11000);   // a gift by its tag
  st.item(wallet).labels = {"tag=Gift ideas"};
  const uint32_t token = plain("keyring", "Gift Sets", 1500);  // a gift far below the band
  const uint32_t wrap = plain("wrap", "Gift Wrap", 14000);     // the merchant says: no present
  st.item(wrap).labels = {"gift=No"};
  for (uint32_t i : {watch, watch_b, strap, speaker}) st.popularity(i, 50.0f - float(i));
  st.bought_with(watch, strap, 2.0f);
  st.bought_with(watch, watch_b, 1.0f);
  const Snapshot& snap = st.build();
  std::vector<std::string_view> path;
  CHECK(giftable(snap, set, &path));
  CHECK(giftable(snap, wallet, &path));
  CHECK(giftable(snap, token, &path));
  CHECK_FALSE(giftable(snap, wrap, &path));
  CHECK_FALSE(giftable(snap, watch, &path));

  Visit gift, self;  // the same visit, with and without a search for a present
  gift.act(EventType::kSearch, fmt::kNone, search_for(true)).view(watch).view(watch_b);
  self.act(EventType::kSearch, fmt::kNone, search_for(false)).view(watch).view(watch_b);
  for (Placement p : {Placement::kHome, Placement::kProduct, Placement::kSearchEmpty}) {
    CAPTURE(std::string(placement_name(p)));
    const uint32_t page = p == Placement::kProduct ? watch : fmt::kNone;
    const Shown g = show(snap, gift.session, p, 4, page);
    const Shown s = show(snap, self.session, p, 4, page);
    CHECK(g.info.context.gift);
    CHECK_FALSE(s.info.context.gift);
    // The gift ideas priced within 2x of the views' median ($180), said so; nothing else is.
    const std::vector<uint32_t> ideas = with_reason(g, Source::kGift);
    CHECK(std::set<uint32_t>(ideas.begin(), ideas.end()) == std::set<uint32_t>{set, wallet});
    for (uint32_t i : ideas) {
      CHECK(Engine(snap).reason_text(g.find(i)->reasons[0]) == "A gift idea");
    }
    CHECK_FALSE(g.has(token));
    CHECK_FALSE(g.has(wrap));
    CHECK_FALSE(s.has(set));
    CHECK_FALSE(s.has(wallet));
    CHECK(with_reason(s, Source::kGift).empty());
  }
  // next_item: the visit's own past ("You looked at this earlier") only for the shopper
  // buying for themselves.
  CHECK(
      has_reason(show(snap, self.session, Placement::kNextItem, 4).find(watch), Source::kHistory));
  CHECK(with_reason(show(snap, gift.session, Placement::kNextItem, 4), Source::kHistory).empty());
}

TEST_CASE("gift shopper on the labelled demo store: no restock, gift ideas in the band") {
  Store st;  // labelled as the demo store is: kind, repurchase cycle, margin, launch, gift=yes
  const int64_t launch = 1'780'000'000;
  auto labelled = [&](const char* id, const char* dept, const char* category, int64_t price,
                      ItemKind kind, uint16_t cycle, bool gift) {
    const uint32_t i = st.add(id, category, price, kind);
    CatalogItem& it = st.item(i);
    it.category_path = {dept, category};
    it.repurchase_days = cycle;
    it.margin_tier = "mid";
    it.launch_s = launch;
    if (gift) it.labels.push_back("gift=yes");
    return i;
  };
  const auto kDurable = ItemKind::kDurable, kConsumable = ItemKind::kConsumable;
  const uint32_t wallet =
      labelled("wallet", "Gifts & Grooming", "Wallets", 5500, kDurable, 0, true);
  const uint32_t set =
      labelled("gift-set", "Gifts & Grooming", "Gift Sets", 4500, kDurable, 0, true);
  const uint32_t razor = labelled("razor", "Gifts & Grooming", "Razors", 7000, kDurable, 0, true);
  const uint32_t watch = labelled("watch", "Gifts & Grooming", "Watches", 18000, kDurable, 0, true);
  labelled("candle", "Home Goods", "Scented Candles", 3200, kConsumable, 45, true);
  labelled("knife", "Home Goods", "Kitchen Knives", 6000, kDurable, 0, true);
  const uint32_t coffee =
      labelled("coffee-maker", "Home Goods", "Coffee Makers", 15000, kDurable, 0, false);
  const uint32_t beans =
      labelled("beans", "Home Goods", "Coffee Beans", 1600, kConsumable, 21, false);
  const uint32_t mat = labelled("mat", "Home Fitness", "Yoga Mats", 3500, kDurable, 0, false);
  for (uint32_t i : {mat, coffee, beans, wallet}) st.popularity(i, 60.0f - float(i));
  st.bought_with(wallet, mat, 1.0f);
  st.bought_with(coffee, beans, 2.0f);
  const Snapshot& snap = st.build();
  // A returning visitor who bought beans a month ago (a 21-day cycle).
  Visit earlier;
  earlier.view(coffee).view(beans).cart(beans).buy(beans);
  Profile profile;
  profile.end_visit(earlier.session);
  Visit gift, self;
  gift.t = self.t = earlier.t + 30LL * 86'400'000;
  gift.act(EventType::kSearch, fmt::kNone, search_for(true)).view(wallet).view(set);
  self.act(EventType::kSearch, fmt::kNone, search_for(false)).view(wallet).view(set);
  for (Placement p :
       {Placement::kHome, Placement::kProduct, Placement::kCart, Placement::kPostPurchase}) {
    CAPTURE(std::string(placement_name(p)));
    const uint32_t page = p == Placement::kProduct ? wallet : fmt::kNone;
    const Shown g = show(snap, gift.session, p, 6, page, &profile);
    const Shown s = show(snap, self.session, p, 6, page, &profile);
    REQUIRE(g.info.context.gift);
    CHECK(has_reason(s.find(beans), Source::kReplenish));  // buy again, for oneself
    // Not while buying a present: no restock, nothing from the earlier visit's coffee maker.
    CHECK_FALSE(g.has(beans));
    CHECK(with_reason(s, Source::kGift).empty());
    // Gift ideas between $27.50 and $110 (2x either way of the views' median, $55), said so:
    // the razor, not a fallback any more; the watch is dearer.
    const std::vector<uint32_t> ideas = with_reason(g, Source::kGift);
    CHECK(ideas.size() >= 3);
    for (uint32_t i : ideas) {
      CHECK(snap.item(i).price >= 2750);
      CHECK(snap.item(i).price <= 11000);
    }
    CHECK(std::find(ideas.begin(), ideas.end(), razor) != ideas.end());
    const Recommendation* razor_as_gift = g.find(razor);
    REQUIRE(razor_as_gift != nullptr);
    CHECK(Engine(snap).reason_text(razor_as_gift->reasons[0]) == "A gift idea");
    const auto rank = [](const Shown& l, uint32_t item) {
      return size_t(std::find_if(l.items.begin(), l.items.end(),
                                 [&](const Recommendation& r) { return r.item == item; }) -
                    l.items.begin());
    };
    CHECK(rank(g, razor) < rank(s, razor));
    CHECK_FALSE(g.has(watch));
  }
}

TEST_CASE("complete the set: what goes with the mat leads, never a cheaper competing mat") {
  for (ItemKind kind : {ItemKind::kUnknown, ItemKind::kDurable}) {  // a plain export, labelled
    CAPTURE(int(kind));
    Store st;
    const uint32_t red = st.add("mat-red", "Mats", 4500, kind, "Zen", "mat");
    const uint32_t blue = st.add("mat-blue", "Mats", 4500, kind, "Zen", "mat");
    const uint32_t green = st.add("mat-green", "Mats", 4500, kind, "Zen", "mat");
    const uint32_t budget = st.add("mat-budget", "Mats", 1999, kind, "Basic");
    const uint32_t block = st.add("block", "Blocks", 1200, kind);
    const uint32_t strap = st.add("strap", "Straps", 800, kind);
    // Shoppers who compare mats often take the cheaper one too: the strongest co-purchase.
    st.bought_with(red, budget, 6.0f);
    st.bought_with(red, block, 3.0f);
    st.bought_with(blue, strap, 2.0f);
    st.popularity(budget, 50);
    const Snapshot& snap = st.build();
    Visit v;
    v.view(red).view(blue).view(green);
    const Shown shown = show(snap, v.session, Placement::kProduct, 3, green);
    CHECK(shown.info.mode == ListMode::kBundle);
    CHECK_FALSE(shown.has(budget));
    REQUIRE(!shown.items.empty());
    CHECK(shown.items[0].item == block);
    CHECK(shown.has(strap));
    // Without the set in progress the cheaper mat is a fair alternative on the page.
    Visit one;
    one.view(red);
    CHECK(show(snap, one.session, Placement::kProduct, 3, red).has(budget));
    // Two colours, then the cheaper mat and back: comparing mats, the choice still open.
    Visit torn;
    torn.view(red).view(blue).view(budget).view(red);
    const Shown compared = show(snap, torn.session, Placement::kProduct, 3, red);
    CHECK(compared.info.context.bundle_building);
    CHECK(compared.info.context.comparing);
    CHECK(compared.has(budget));
  }
}

TEST_CASE("the cart the shopper has, on a plain export: add-ons, not another laptop") {
  Store st;
  const uint32_t laptop = st.add("laptop", "Laptops", 110000, ItemKind::kUnknown);
  const uint32_t other = st.add("laptop-2", "Laptops", 99000, ItemKind::kUnknown);
  const uint32_t sleeve = st.add("sleeve", "Laptop Sleeves", 3500, ItemKind::kUnknown);
  const uint32_t mouse = st.add("mouse", "Mice", 4000, ItemKind::kUnknown);
  const uint32_t beans = st.add("beans", "Coffee", 1500, ItemKind::kConsumable);
  const uint32_t more_beans = st.add("beans-2", "Coffee", 1800, ItemKind::kConsumable);
  st.popularity(other, 50);  // the store's best seller
  st.popularity(sleeve, 5);
  st.popularity(mouse, 4);
  st.bought_with(laptop, other, 4.0f);
  st.bought_with(laptop, sleeve, 2.0f);
  st.bought_with(laptop, mouse, 1.0f);
  st.bought_with(beans, more_beans, 3.0f);
  const Snapshot& snap = st.build();
  // A returning shopper's cart from an earlier visit: the loader turns the store's view_cart
  // (or <aisle-recs cart>) into the cart's lines (aisle.js, cartChanges).
  Visit v;
  v.cart(laptop);
  const Shown cart = show(snap, v.session, Placement::kCart, 3);
  CHECK_FALSE(cart.has(other));
  CHECK(cart.has(sleeve));
  CHECK(cart.has(mouse));
  // A known consumable still goes with more of itself.
  Visit coffee;
  coffee.cart(beans);
  CHECK(show(snap, coffee.session, Placement::kCart, 3).has(more_beans));
}

TEST_CASE("guaranteed shares and exploration stay on the page's topic") {
  // A yoga mat's page; the core series holds a block (bought with the mat), a best-selling
  // charger and a phone case. Exploration: a new strap beside the mats, a new charger.
  Store st;
  std::vector<uint32_t> mats;
  for (int i = 0; i < 4; ++i) {
    mats.push_back(st.add("mat-" + std::to_string(i), "Mats", 3000 + 100 * i));
    st.popularity(mats.back(), float(40 - i));
  }
  const uint32_t block = st.add("block", "Blocks", 1200);
  const uint32_t charger = st.add("charger", "Chargers", 2500);
  const uint32_t phone_case = st.add("case", "Cases", 1500);
  for (uint32_t i : {block, charger, phone_case}) st.item(i).labels = {"series=core"};
  st.popularity(charger, 100);
  st.popularity(phone_case, 90);
  st.popularity(block, 1);
  st.bought_with(mats[0], block, 2.0f);
  const int64_t now = 1'790'000'000'000;
  const uint32_t new_strap = st.add("strap-new", "Mats", 900);
  const uint32_t new_charger = st.add("charger-new", "Chargers", 2900);
  for (uint32_t i : {new_strap, new_charger}) st.item(i).launch_s = now / 1000 - 86400;
  const Snapshot& snap = st.build();
  const Rules quota =
      rules_of(R"({"quotas": [{"match": {"label": "series=core"}, "min_share": 0.5}]})");
  const Shown page = show_with(snap, quota, Session(), Placement::kProduct, 4, now, mats[0]);
  CHECK(page.has(block));
  CHECK_FALSE(page.has(charger));
  CHECK_FALSE(page.has(phone_case));
  // The home page is about no item: any member may fill the share, the best sellers first.
  const Shown home = show_with(snap, quota, Session(), Placement::kHome, 4, now);
  CHECK(home.has(charger));
  const Rules explore = rules_of(R"({"exploration": {"slots": 1, "max_views": 0}})");
  for (int hour = 0; hour < 6; ++hour) {
    const Shown shown = show_with(snap, explore, Session(), Placement::kProduct, 4,
                                  now + hour * 3'600'000LL, mats[0]);
    CHECK_FALSE(shown.has(new_charger));
    CHECK_FALSE(shown.has(charger));
  }
  bool strap_explored = false;
  for (int hour = 0; hour < 6; ++hour) {
    const Shown shown = show_with(snap, explore, Session(), Placement::kProduct, 4,
                                  now + hour * 3'600'000LL, mats[0]);
    const Recommendation* r = shown.find(new_strap);
    strap_explored |= r != nullptr && r->reasons[0].source == Source::kExplore;
  }
  CHECK(strap_explored);
}

TEST_CASE("a promo match holds only while the sale is on: boosts and exclusions in time") {
  // The dearest of six is on sale for the first week of the month only.
  Store st;
  for (int i = 0; i < 6; ++i)
    st.popularity(st.add("item-" + std::to_string(i), "Mats", 3000 + 1000 * i), float(10 - i));
  const int64_t start = 1'790'000'000, end = start + 7 * 86400;
  CatalogItem& sale = st.item(5);
  sale.sale_price = 6000;
  sale.sale_start_s = start;
  sale.sale_end_s = end;
  const Snapshot& snap = st.build();
  const int64_t before = (start - 86400) * 1000, during = (start + 86400) * 1000,
                after = (end + 86400) * 1000;
  const Rules boost = rules_of(R"({"boosts": [{"match": {"promo": true}, "factor": 50}]})");
  CHECK(show_with(snap, boost, Session(), Placement::kHome, 3, during).items[0].item == 5);
  for (int64_t t : {before, after}) {
    const Shown shown = show_with(snap, boost, Session(), Placement::kHome, 3, t);
    CHECK_FALSE(shown.has(5));  // the sixth best seller, not lifted outside the sale
  }
  const Rules hide = rules_of(R"({"exclusions": [{"promo": true}]})");
  CHECK_FALSE(show_with(snap, hide, Session(), Placement::kHome, 6, during).has(5));
  CHECK(show_with(snap, hide, Session(), Placement::kHome, 6, after).has(5));
  Engine engine(snap);
  engine.set_rules(hide);
  CHECK_FALSE(engine.available(5, during));
  CHECK(engine.available(5, before));
}

namespace {

// Four mats, two blocks and a charger, each in its own category of "Shop", best sellers
// first: mats, then blocks, then the charger.
struct AimedStore {
  Store st;
  std::vector<uint32_t> mats, blocks;
  uint32_t charger = 0;
  const Snapshot* snap = nullptr;
  AimedStore() {
    for (int i = 0; i < 4; ++i) {
      mats.push_back(st.add("mat-" + std::to_string(i), "Mats", 3000 + 100 * i));
      st.popularity(mats.back(), float(90 - i));
    }
    for (int i = 0; i < 2; ++i) {
      blocks.push_back(st.add("block-" + std::to_string(i), "Blocks", 1200 + 100 * i));
      st.popularity(blocks.back(), float(50 - i));
    }
    charger = st.add("charger", "Chargers", 2500);
    st.popularity(charger, 1);
    snap = &st.build();
  }
  uint32_t category(const char* name) const {
    for (uint32_t c = 0; c < snap->category_count(); ++c) {
      if (snap->category(c).name == name) return c;
    }
    return fmt::kNone;
  }
  Shown show(const char* rules, const Session& s, Placement p, uint32_t item = fmt::kNone,
             uint32_t category = fmt::kNone) const {
    return show_with(*snap, rules_of(rules), s, p, 4, 1'790'000'000'000, item, category);
  }
};

}  // namespace

TEST_CASE("a pin aimed at a category's pages: its product pages, the category page, such carts") {
  const AimedStore a;
  const char* rules = R"({"pins": [{"item": "charger", "position": 1, "pages": ["Mats"]}]})";
  auto pinned = [&](const Shown& s) { return !s.items.empty() && s.items[0].item == a.charger; };
  Session none;
  CHECK(pinned(a.show(rules, none, Placement::kProduct, a.mats[1])));
  CHECK(pinned(a.show(rules, none, Placement::kCategory, fmt::kNone, a.category("Mats"))));
  CHECK(pinned(a.show(rules, none, Placement::kCategory, fmt::kNone, a.category("Shop"))) ==
        false);  // above the category: not its page
  CHECK_FALSE(pinned(a.show(rules, none, Placement::kProduct, a.blocks[0])));
  CHECK_FALSE(pinned(a.show(rules, none, Placement::kHome)));
  CHECK_FALSE(pinned(a.show(rules, none, Placement::kSearchEmpty)));
  Visit mat_cart, block_cart;
  mat_cart.cart(a.blocks[1]).cart(a.mats[2]);
  block_cart.cart(a.blocks[1]);
  CHECK(pinned(a.show(rules, mat_cart.session, Placement::kCart)));
  CHECK_FALSE(pinned(a.show(rules, block_cart.session, Placement::kCart)));
  // A parent names its children's pages too.
  const char* shop = R"({"pins": [{"item": "charger", "position": 1, "pages": ["Shop"]}]})";
  CHECK(pinned(a.show(shop, none, Placement::kProduct, a.blocks[0])));
}

TEST_CASE("rules aimed at segments: traffic, visitor type and the detected context") {
  const AimedStore a;
  Visit direct, paid, gift;
  direct.view(a.mats[0]);
  ShopperEvent from_ads;
  from_ads.traffic = TrafficClass::kPaidSearch;
  paid.act(EventType::kViewItem, a.mats[0], from_ads);
  ShopperEvent present;
  present.gift_search = true;
  gift.act(EventType::kSearch, fmt::kNone, present).view(a.mats[0]);
  const char* boost =
      R"({"boosts": [{"match": {"item": "charger"}, "factor": 100, "segments": ["paid_search"]}]})";
  CHECK(a.show(boost, paid.session, Placement::kHome).items[0].item == a.charger);
  CHECK(a.show(boost, direct.session, Placement::kHome).items[0].item != a.charger);
  const char* exclude = R"({"exclusions": [{"category": "Blocks", "segments": ["gift"]}]})";
  const Shown for_gift = a.show(exclude, gift.session, Placement::kHome);
  const Shown for_self = a.show(exclude, direct.session, Placement::kHome);
  CHECK(std::none_of(for_gift.items.begin(), for_gift.items.end(), [&](const Recommendation& r) {
    return r.item == a.blocks[0] || r.item == a.blocks[1];
  }));
  CHECK(for_self.has(a.blocks[0]));
  Engine engine(*a.snap);
  engine.set_rules(rules_of(exclude));
  CHECK(engine.available(a.blocks[0], 1'790'000'000'000));  // excluded somewhere, not everywhere
  const char* visitors =
      R"({"pins": [{"item": "charger", "position": 2, "segments": ["returning_visitor"]}]})";
  CHECK(a.show(visitors, direct.session, Placement::kHome).items[1].item != a.charger);
}

TEST_CASE("rules aimed at a search: the visit's latest search term holds one of the words") {
  const AimedStore a;
  Visit dad, yoga, none;
  ShopperEvent search;
  search.search_term = "Gift for DAD";
  dad.act(EventType::kSearch, fmt::kNone, search);
  search.search_term = "yoga";
  yoga.act(EventType::kSearch, fmt::kNone, search);
  none.view(a.mats[0]);
  const char* rules = R"({"quotas": [{"match": {"category": "Chargers"}, "min_share": 0.25,
                                       "search_terms": ["Dad", "father"]}]})";
  CHECK(a.show(rules, dad.session, Placement::kSearchEmpty).has(a.charger));
  CHECK_FALSE(a.show(rules, yoga.session, Placement::kSearchEmpty).has(a.charger));
  CHECK_FALSE(a.show(rules, none.session, Placement::kSearchEmpty).has(a.charger));
  // A later search replaces the earlier one.
  dad.act(EventType::kSearch, fmt::kNone, search);
  CHECK(dad.session.search_term() == "yoga");
  CHECK_FALSE(a.show(rules, dad.session, Placement::kSearchEmpty).has(a.charger));
}

TEST_CASE("a rule with several scopes applies only where all of them hold") {
  const AimedStore a;
  Visit paid, direct;
  ShopperEvent from_ads;
  from_ads.traffic = TrafficClass::kPaidSearch;
  paid.act(EventType::kViewItem, a.blocks[0], from_ads);
  direct.view(a.blocks[0]);
  const char* rules = R"({"pins": [{"item": "charger", "position": 1, "pages": ["Mats"],
                                    "segments": ["paid_search"], "placements": ["product"]}]})";
  auto first = [&](const Session& s, Placement p, uint32_t item) {
    return a.show(rules, s, p, item).items[0].item;
  };
  CHECK(first(paid.session, Placement::kProduct, a.mats[0]) == a.charger);
  CHECK(first(direct.session, Placement::kProduct, a.mats[0]) != a.charger);  // not the segment
  CHECK(first(paid.session, Placement::kProduct, a.blocks[1]) != a.charger);  // not the page
  CHECK(first(paid.session, Placement::kNextItem, a.mats[0]) != a.charger);   // not the placement
}

TEST_CASE("matches combined and by price range: the price paid at the request's time") {
  // Six mats: 30, 31, ... 35; mat-5 on sale for 25 in the first week; mats 3 and 5 by Acme.
  Store st;
  for (int i = 0; i < 6; ++i) {
    const uint32_t item = st.add("mat-" + std::to_string(i), "Mats", 3000 + 100 * i);
    st.popularity(item, float(60 - i));
    st.item(item).brand = i == 3 || i == 5 ? "Acme" : "Zenith";
  }
  const int64_t start = 1'790'000'000, end = start + 7 * 86400;
  st.item(5).sale_price = 2500;
  st.item(5).sale_start_s = start;
  st.item(5).sale_end_s = end;
  const Snapshot& snap = st.build();
  const int64_t during = (start + 86400) * 1000, after = (end + 86400) * 1000;
  auto first = [&](const char* rules, int64_t now) {
    return show_with(snap, rules_of(rules), Session(), Placement::kHome, 3, now).items[0].item;
  };
  // The price paid: mat-5 is below 29 only while on sale.
  const char* cheap = R"({"boosts": [{"match": {"price": {"max": 29}}, "factor": 100}]})";
  CHECK(first(cheap, during) == 5);
  CHECK(first(cheap, after) == 0);
  // Acme from 32 and not on sale: mats 3 and 5, not the one on sale while it is.
  const char* acme = R"({"boosts": [{"factor": 100, "match": {"all": [
      {"brand": "Acme"}, {"price": {"min": 32}}, {"not": {"promo": true}}]}}]})";
  CHECK(first(acme, during) == 3);
  CHECK(first(acme, after) == 3);
  const char* any = R"({"boosts": [{"factor": 100, "match": {"any": [
      {"item": "mat-4"}, {"all": [{"promo": true}, {"price": {"min": 20}}]}]}}]})";
  CHECK(first(any, during) == 4);  // the better seller of the two
  const Shown excluded =
      show_with(snap, rules_of(R"({"exclusions": [{"not": {"price": {"max": 31}}}]})"), Session(),
                Placement::kHome, 6, during);
  REQUIRE(excluded.items.size() == 3);  // mats 0 and 1, and mat-5 while it costs 25
  CHECK(excluded.has(5));
  const Shown fixed = show_with(
      snap,
      rules_of(R"({"exclusions": [{"not": {"any": [{"brand": "Acme"}, {"item": "mat-0"}]}}]})"),
      Session(), Placement::kHome, 6, after);
  REQUIRE(fixed.items.size() == 3);  // mats 0, 3 and 5
  for (const Recommendation& r : fixed.items) CHECK((r.item == 0 || r.item == 3 || r.item == 5));
}

TEST_CASE("campaigns schedule pins, quotas and exclusions; of two on one slot the priority wins") {
  Store st;
  const Snapshot& snap = core_series_store(st).build();
  const int64_t day = 86'400'000, start = 1'790'000'000'000;
  const int64_t before = start - day, during = start + day;
  const std::string window =
      R"("start": )" + std::to_string(start) + R"(, "end": )" + std::to_string(start + 7 * day);
  const Rules rules = rules_of((R"({"pins": [{"item": "mat-5", "position": 1}],
    "campaigns": [
      {"name": "Spring", )" + window +
                                R"(, "priority": 2,
       "pins": [{"item": "mat-9", "position": 1}],
       "exclusions": [{"item": "mat-0"}]},
      {"name": "Core week", )" + window +
                                R"(,
       "pins": [{"item": "mat-8", "position": 1}],
       "quotas": [{"match": {"label": "series=core"}, "min_share": 0.75}]}]})")
                                   .c_str());
  Session s;
  const Shown then = show_with(snap, rules, s, Placement::kHome, 4, before);
  CHECK(then.items[0].item == 5);  // the document's pin, alone before the campaigns
  CHECK(then.has(0));
  const Shown now = show_with(snap, rules, s, Placement::kHome, 4, during);
  REQUIRE(now.items.size() == 4);
  CHECK(now.items[0].item == 9);  // Spring's priority over Core week's pin and the document's
  CHECK(now.items[1].item == 8);
  CHECK_FALSE(now.has(0));  // excluded while Spring runs
  CHECK(std::count_if(now.items.begin(), now.items.end(),
                      [](const Recommendation& r) { return r.item >= 7; }) >= 3);
  // Without the priority, the later campaign in the list takes the slot.
  Rules tied = rules;
  tied.campaigns[0].priority = 0;
  CHECK(show_with(snap, tied, s, Placement::kHome, 4, during).items[0].item == 8);
}

TEST_CASE(
    "complements in the rules: a Shopify export's cross-sells for complete-the-set and carts") {
  // No logs, no cross-sells: two colours of a mat, a strap, a block, and best sellers besides.
  Store st;
  const uint32_t red = st.add("mat-red", "Mats", 4000, ItemKind::kDurable, "", "MAT");
  const uint32_t blue = st.add("mat-blue", "Mats", 4000, ItemKind::kDurable, "", "MAT");
  const uint32_t strap = st.add("strap", "Straps", 900);
  const uint32_t block = st.add("block", "Blocks", 1200);
  for (int i = 0; i < 6; ++i) st.popularity(st.add("top-" + std::to_string(i), "Other", 2000), 50);
  const Snapshot& snap = st.build();
  const Rules rules = rules_of(R"({"complements": [{"item": "mat-red", "with": ["strap"]},
                                                   {"category": "Mats", "with": ["block", "NOPE"]}]})");
  auto reason_of = [](const Shown& s, uint32_t item) {
    const Recommendation* r = s.find(item);
    return r == nullptr ? Source::kCount : r->reasons[0].source;
  };
  Visit cart;
  cart.cart(red);
  const Shown with = show_with(snap, rules, cart.session, Placement::kCart, 4);
  const Shown without = show_with(snap, Rules(), cart.session, Placement::kCart, 4);
  CHECK(reason_of(with, strap) == Source::kHint);
  CHECK(reason_of(with, block) == Source::kHint);     // by the mat's category
  CHECK(reason_of(without, strap) != Source::kHint);  // a best seller's slot at most
  CHECK(Engine(snap).reason_text(with.find(strap)->reasons[0]) == "Goes with mat-red");
  // Both colours viewed: the set is being assembled, and the complements complete it.
  Visit set;
  set.view(red).view(blue);
  const Shown page =
      show_with(snap, rules, set.session, Placement::kProduct, 4, 1'790'000'000'000, blue);
  CHECK(page.info.mode == ListMode::kBundle);
  CHECK(reason_of(page, strap) == Source::kCompleteSet);
  CHECK(show_with(snap, Rules(), set.session, Placement::kProduct, 4, 1'790'000'000'000, blue)
            .info.mode != ListMode::kBundle);
}
