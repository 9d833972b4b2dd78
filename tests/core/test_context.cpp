// Scenario tests of the context signals: each behaviour read off a scripted visit on a
// small hand-built catalog.
#include <doctest/doctest.h>

#include <string>

#include "context.h"
#include "snapshot_writer.h"

using namespace aisle;

namespace {

// Mats 0-5 (0 and 1 are two colours of one mat), towels 6-7, phones 8-13 priced 100-600.
struct Store {
  Catalog catalog;
  std::vector<uint8_t> bytes;
  Snapshot snap;
  Store() {
    auto add = [&](const std::string& id, const char* category, int64_t price, const char* group) {
      CatalogItem it;
      it.id = id;
      it.title = id;
      it.price = price;
      it.category_path = {"Shop", category};
      it.group_key = group;
      catalog.items.push_back(it);
    };
    add("mat-red", "Mats", 4500, "mat");
    add("mat-blue", "Mats", 4500, "mat");
    for (int i = 2; i < 6; ++i) add("mat-" + std::to_string(i), "Mats", 3000 + 500 * i, "");
    add("towel-1", "Towels", 1800, "");
    add("towel-2", "Towels", 2200, "");
    for (int i = 0; i < 6; ++i) add("phone-" + std::to_string(i), "Phones", 10000 * (i + 1), "");
    SnapshotInput in;
    in.catalog = &catalog;
    bytes = write_snapshot(in).value();
    snap = Snapshot::open(bytes.data(), bytes.size()).value();
  }
};

ShopperEvent event(EventType type, const uint32_t* item, int64_t t) {
  ShopperEvent e;
  e.type = type;
  e.ts_ms = t;
  e.items = item;
  e.item_count = item ? 1 : 0;
  return e;
}

struct Visit {
  Session session;
  int64_t t = 0;
  uint32_t items[64];
  size_t n = 0;
  Visit& view(uint32_t item) { return act(EventType::kViewItem, item); }
  Visit& cart(uint32_t item) { return act(EventType::kAddToCart, item); }
  Visit& buy(uint32_t item) { return act(EventType::kPurchase, item); }
  Visit& act(EventType type, uint32_t item) {
    items[n] = item;
    session.track(event(type, &items[n++], t += 30000));
    return *this;
  }
  Visit& with(ShopperEvent e) {
    e.ts_ms = t += 30000;
    session.track(e);
    return *this;
  }
};

}  // namespace

TEST_CASE("comparing: several mats of one category, back and forth") {
  Store s;
  Visit v;
  v.view(2).view(3).view(4).view(2);
  const ShopperContext c = detect_context(s.snap, v.session, nullptr);
  CHECK(c.comparing);
  CHECK(s.snap.category(c.compare_category).name == "Mats");
  CHECK_FALSE(c.decisive);
  CHECK_FALSE(c.exploring);
  Visit once;  // three mats without going back is not yet comparing
  once.view(2).view(3).view(4);
  CHECK_FALSE(detect_context(s.snap, once.session, nullptr).comparing);
}

TEST_CASE("decisive: straight to the cart; exploring: many categories and no cart") {
  Store s;
  Visit quick;
  quick.view(8).cart(8);
  CHECK(detect_context(s.snap, quick.session, nullptr).decisive);
  Visit slow;
  slow.view(8).view(9).view(10).view(11).cart(11);
  CHECK_FALSE(detect_context(s.snap, slow.session, nullptr).decisive);
  Visit wander;
  wander.view(2).view(6).view(9);
  const ShopperContext c = detect_context(s.snap, wander.session, nullptr);
  CHECK(c.exploring);
  CHECK_FALSE(c.decisive);
}

TEST_CASE("money-saving: a price sort, a sale filter or a coupon") {
  Store s;
  for (int signal = 0; signal < 3; ++signal) {
    Visit v;
    ShopperEvent list = event(EventType::kViewItemList, nullptr, 0);
    list.sort_price_asc = signal == 0;
    list.filter_sale = signal == 1;
    list.coupon = signal == 2;
    v.view(2).with(list);
    CHECK(detect_context(s.snap, v.session, nullptr).price_sensitive);
  }
  Visit plain;
  plain.view(2).view(3);
  CHECK_FALSE(detect_context(s.snap, plain.session, nullptr).price_sensitive);
}

TEST_CASE("gift: a search for a present") {
  Store s;
  CHECK(is_gift_search("Gift for Dad"));
  CHECK(is_gift_search("birthday ideas"));
  CHECK_FALSE(is_gift_search("razor"));
  Visit v;
  ShopperEvent search = event(EventType::kSearch, nullptr, 0);
  search.gift_search = true;
  v.with(search).view(8);
  CHECK(detect_context(s.snap, v.session, nullptr).gift);
}

TEST_CASE("bundle-building: several colours of one mat") {
  Store s;
  Visit v;
  v.view(0).view(1);
  const ShopperContext c = detect_context(s.snap, v.session, nullptr);
  CHECK(c.bundle_building);
  CHECK(s.snap.group(c.bundle_group).key == "mat");
}

TEST_CASE("after a premium purchase, in this visit or an earlier one") {
  Store s;
  Visit v;
  v.view(13).cart(13).buy(13);  // the dearest phone
  ShopperContext c = detect_context(s.snap, v.session, nullptr);
  CHECK(c.after_premium);
  CHECK(c.premium_item == 13);
  Visit cheap;
  cheap.view(8).cart(8).buy(8);
  CHECK_FALSE(detect_context(s.snap, cheap.session, nullptr).after_premium);
  Profile p;
  p.end_visit(v.session);
  Visit next;
  next.view(2);
  c = detect_context(s.snap, next.session, &p);
  CHECK(c.after_premium);
  CHECK(c.returning);
  CHECK_FALSE(detect_context(s.snap, next.session, nullptr).returning);
}

TEST_CASE("traffic source classes, and the visit keeps the first one it was told") {
  CHECK(classify_traffic("google", "cpc", "") == TrafficClass::kPaidSearch);
  CHECK(classify_traffic("bing", "ppc", "") == TrafficClass::kPaidSearch);
  CHECK(classify_traffic("facebook", "cpc", "") == TrafficClass::kPaidSocial);
  CHECK(classify_traffic("facebook", "paid_social", "") == TrafficClass::kPaidSocial);
  CHECK(classify_traffic("google", "organic", "") == TrafficClass::kOrganicSearch);
  CHECK(classify_traffic("instagram", "social", "") == TrafficClass::kOrganicSocial);
  CHECK(classify_traffic("newsletter", "email", "") == TrafficClass::kEmail);
  CHECK(classify_traffic("blog.example", "referral", "") == TrafficClass::kReferral);
  CHECK(classify_traffic("", "", "https://www.google.com/") == TrafficClass::kOrganicSearch);
  CHECK(classify_traffic("", "", "https://l.facebook.com/") == TrafficClass::kOrganicSocial);
  CHECK(classify_traffic("", "", "https://blog.example/post") == TrafficClass::kReferral);
  CHECK(classify_traffic("(direct)", "(none)", "") == TrafficClass::kDirect);
  CHECK(std::string(traffic_class_name(TrafficClass::kPaidSocial)) == "paid_social");
  Store s;
  Visit v;
  ShopperEvent first = event(EventType::kViewItem, nullptr, 0);
  first.traffic = TrafficClass::kPaidSearch;
  ShopperEvent later = first;
  later.traffic = TrafficClass::kEmail;
  v.with(first).with(later);
  CHECK(detect_context(s.snap, v.session, nullptr).traffic == TrafficClass::kPaidSearch);
}
