// The storefront: loading keeps the previous snapshot on failure, and the one JSON writer
// for lists, explanations and items -- valid JSON, snake_case keys, reason anchors printed
// only as what they are. Runs natively and in wasm.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "json_line.h"
#include "snapshot_writer.h"
#include "storefront.h"

using namespace aisle;

namespace {

// Items I0..I5 in "Shop > C0"; I4 and I5 carry the label series=core; I0 is bought with I1.
std::vector<uint8_t> store_bytes(const std::string& rules_json = "") {
  Catalog catalog;
  for (int i = 0; i < 6; ++i) {
    CatalogItem it;
    it.id = "I" + std::to_string(i);
    it.title = "Item " + std::to_string(i);
    it.price = 1000;
    it.currency = "USD";
    it.category_path = {"Shop", "C0"};
    if (i >= 4) it.labels = {"series=core", "color=Red", "color=Blue"};
    catalog.items.push_back(it);
  }
  catalog.items[1].sale_price = 800;
  SnapshotInput in;
  in.catalog = &catalog;
  in.popularity.resize(6);
  for (uint32_t i = 0; i < 6; ++i) in.popularity[i] = {100 - i, 0, 10 - i, float(10 - i)};
  in.model.co_purchases.assign(6, {});
  in.model.co_purchases[0] = {{1, 1.0f}};
  in.rules_json = rules_json;
  auto w = write_snapshot(in);
  REQUIRE(w.is_ok());
  return w.value();
}

// A request of the test stores, at a fixed time (1000 ms).
Request request_for(Storefront& store, const char* placement, const char* item, uint32_t k,
                    bool fill = false) {
  RequestInput in;
  in.placement = placement;
  in.item = item;
  in.k = k;
  in.fill = fill;
  in.now_ms = 1000;
  Request req;
  REQUIRE(store.request(in, &req).is_ok());
  return req;
}

struct Shop {
  Storefront store;
  JsonLine json;
  explicit Shop(const std::string& rules = "{}") {
    REQUIRE(store.load(store_bytes()).is_ok());
    REQUIRE(store.set_rules_json(rules).is_ok());
  }
  // The list's JSON, parsed (REQUIREd valid).
  const JsonLine& list(const char* placement, uint32_t k, const char* item = "",
                       bool fill = false) {
    const std::string_view text = store.list_json(request_for(store, placement, item, k, fill));
    REQUIRE_MESSAGE(json.parse(text), json.error() << ": " << text);
    return json;
  }
};

std::string str(const JsonLine& j, uint32_t node, const char* key) {
  const uint32_t n = j.find(node, key);
  return n == JsonLine::kNoNode ? std::string("<none>") : std::string(j.text(n));
}

// Reasons with `code`; checks that each names no item and no category.
int rule_reasons(const JsonLine& j, const std::string& code) {
  int n = 0;
  const uint32_t items = j.find(JsonLine::root(), "items");
  for (uint32_t it = j.first_child(items); it != JsonLine::kNoNode; it = j.next_sibling(it)) {
    const uint32_t reasons = j.find(it, "reasons");
    for (uint32_t r = j.first_child(reasons); r != JsonLine::kNoNode; r = j.next_sibling(r)) {
      if (str(j, r, "code") != code) continue;
      ++n;
      CHECK_MESSAGE(j.find(r, "anchor") == JsonLine::kNoNode, code << " printed an anchor");
      CHECK_MESSAGE(j.find(r, "category") == JsonLine::kNoNode, code << " printed a category");
    }
  }
  return n;
}

}  // namespace

TEST_CASE("reason anchors: boosts, quotas, exploration and pins print no item id") {
  // More boosts than items: a boost's anchor is no item index (it was read as one).
  std::string boosts = R"({"boosts": [)";
  for (int i = 0; i < 40; ++i)
    boosts += std::string(i ? "," : "") +
              R"({"name": "b", "match": {"category": "Shop"}, "factor": 1.5})";
  boosts += "]}";
  Shop boosted(boosts);
  CHECK(rule_reasons(boosted.list("home", 3), "merchant_boost") > 0);
  Shop quota(R"({"quotas": [{"match": {"label": "series=core"}, "min_share": 0.5}]})");
  CHECK(rule_reasons(quota.list("home", 2), "guaranteed_share") > 0);
  Shop explore(R"({"exploration": {"slots": 1, "max_views": 1000}})");
  CHECK(rule_reasons(explore.list("home", 3), "exploration") > 0);
  Shop pin(R"({"pins": [{"item": "I5", "position": 1}]})");
  CHECK(rule_reasons(pin.list("home", 3), "pinned") > 0);
}

TEST_CASE("rule reasons: shoppers read the reason, explain names the rule for the merchant") {
  Shop shop(R"({"quotas": [{"name": "Core - clear stock", "match": {"label": "series=core"},
                            "min_share": 0.5}],
                 "boosts": [{"name": "High margin - push", "match": {"label": "series=core"},
                             "factor": 3}]})");
  const JsonLine& j = shop.list("home", 2);
  std::string list;
  const uint32_t items = j.find(JsonLine::root(), "items");
  for (uint32_t it = j.first_child(items); it != JsonLine::kNoNode; it = j.next_sibling(it)) {
    const uint32_t reasons = j.find(it, "reasons");
    for (uint32_t r = j.first_child(reasons); r != JsonLine::kNoNode; r = j.next_sibling(r)) {
      list += str(j, r, "text") + "|";
      CHECK(j.find(r, "rule") == JsonLine::kNoNode);  // lists: no rule names
    }
  }
  CHECK(list.find("Featured by the store") != std::string::npos);
  CHECK(list.find("Core - clear stock") == std::string::npos);
  CHECK(list.find("High margin") == std::string::npos);
  std::string_view why;
  REQUIRE(shop.store.explain_json(request_for(shop.store, "home", "", 2), "I4", &why).is_ok());
  CHECK_MESSAGE(std::string(why).find(R"("text":"Featured by the store")") != std::string::npos,
                why);
  CHECK_MESSAGE(std::string(why).find(R"("rule":"High margin - push")") != std::string::npos, why);
}

TEST_CASE("pin reasons: a pinned item reads its pin's reason, else the generic one") {
  Shop shop(R"({"pins": [{"item": "I5", "position": 1, "reason": "Staff pick"},
                         {"item": "I4", "position": 2}]})");
  const JsonLine& j = shop.list("home", 3);
  std::map<std::string, std::string> text;  // item -> its pin reason's text
  const uint32_t items = j.find(JsonLine::root(), "items");
  for (uint32_t it = j.first_child(items); it != JsonLine::kNoNode; it = j.next_sibling(it)) {
    const uint32_t reasons = j.find(it, "reasons");
    for (uint32_t r = j.first_child(reasons); r != JsonLine::kNoNode; r = j.next_sibling(r)) {
      if (str(j, r, "code") == "pinned") text[str(j, it, "id")] = str(j, r, "text");
    }
  }
  CHECK(text["I5"] == "Staff pick");
  CHECK(text["I4"] == "Featured by the store");
}

TEST_CASE("margin and stock: what the build labelled, for the ranges the snapshot's rules hold") {
  // The build's labels (tools/ingest/rules_file.h) on I2 and I3; no cost or stock count.
  const char* rules = R"({"exclusions": [{"margin": {"min": 15}}]})";
  Catalog catalog;
  for (int i = 0; i < 6; ++i) {
    CatalogItem it;
    it.id = "I" + std::to_string(i);
    it.price = 1000;
    it.category_path = {"Shop"};
    if (i == 2 || i == 3) it.labels = {"~margin=15.."};
    catalog.items.push_back(it);
  }
  SnapshotInput in;
  in.catalog = &catalog;
  in.rules_json = rules;
  auto bytes = write_snapshot(in);
  REQUIRE(bytes.is_ok());
  Storefront store;
  REQUIRE(store.load(bytes.value()).is_ok());
  auto shown = [&] {
    JsonLine j;
    REQUIRE(j.parse(store.list_json(request_for(store, "home", "", 6))));
    std::string ids;
    const uint32_t items = j.find(JsonLine::root(), "items");
    for (uint32_t it = j.first_child(items); it != JsonLine::kNoNode; it = j.next_sibling(it))
      ids += str(j, it, "id") + " ";
    return ids;
  };
  CHECK(shown().find("I2") == std::string::npos);  // excluded by their margin
  CHECK(shown().find("I3") == std::string::npos);
  CHECK(shown().find("I0") != std::string::npos);
  // The same range elsewhere (the studio's edit): evaluated; another one: refused, by path.
  REQUIRE(store
              .set_rules_json(R"({"pins": [{"item": "I3"}],
      "boosts": [{"factor": 2, "match": {"not": {"margin": {"min": 15}}}}]})")
              .is_ok());
  CHECK(shown().find("I3") != std::string::npos);
  const Status refused = store.set_rules_json(R"({"exclusions": [{"stock": {"max": 2}}]})");
  CHECK(refused.message().rfind("$.exclusions[0].stock: matches by stock are evaluated at build "
                                "time",
                                0) == 0);
  CHECK(shown().find("I3") != std::string::npos);  // the previous rules stay
}

TEST_CASE("reason anchors: an item anchor prints its id, a category anchor its name") {
  Shop shop;
  const JsonLine& j = shop.list("product", 3, "I0");
  bool together = false, best = false;
  const uint32_t items = j.find(JsonLine::root(), "items");
  for (uint32_t it = j.first_child(items); it != JsonLine::kNoNode; it = j.next_sibling(it)) {
    const uint32_t reasons = j.find(it, "reasons");
    for (uint32_t r = j.first_child(reasons); r != JsonLine::kNoNode; r = j.next_sibling(r)) {
      if (str(j, r, "code") == "bought_together") {
        together = true;
        CHECK(str(j, r, "anchor") == "I0");
      }
      if (str(j, r, "code") == "category_best_seller") {
        best = true;
        CHECK(str(j, r, "category") == "C0");
        CHECK(j.find(r, "anchor") == JsonLine::kNoNode);
      }
    }
  }
  CHECK(together);
  CHECK(best);
}

TEST_CASE("list JSON: the documented keys, snake_case, prices from hundredths") {
  Shop shop;
  const JsonLine& j = shop.list("product", 3, "I0");
  const uint32_t root = JsonLine::root();
  CHECK(str(j, root, "placement") == "product");
  CHECK(j.number(j.find(root, "k")) == 3);
  CHECK(str(j, root, "mode") == "standard");
  CHECK(j.find(root, "slots") != JsonLine::kNoNode);
  const uint32_t ctx = j.find(root, "context");
  for (const char* key : {"comparing", "decisive", "exploring", "price_sensitive", "gift",
                          "bundle_building", "after_premium", "visitor", "traffic"}) {
    CHECK_MESSAGE(j.find(ctx, key) != JsonLine::kNoNode, key);
  }
  CHECK(j.find(ctx, "priceSensitive") == JsonLine::kNoNode);
  const uint32_t first = j.first_child(j.find(root, "items"));
  REQUIRE(first != JsonLine::kNoNode);
  CHECK(str(j, first, "id") == "I1");  // bought with I0
  CHECK(j.number(j.find(first, "price")) == 10.0);
  CHECK(j.number(j.find(first, "sale_price")) == 8.0);
  for (const char* key : {"title", "url", "image", "brand", "currency", "availability",
                          "recommendable", "score", "reasons"}) {
    CHECK_MESSAGE(j.find(first, key) != JsonLine::kNoNode, key);
  }
}

TEST_CASE("fill: a product page asked for all k gets k items, whatever the shopper") {
  Shop shop;
  // {mode, slots, items listed} of the list.
  auto shown = [&](const char* placement, uint32_t k, bool fill) {
    const JsonLine& j = shop.list(placement, k, "I0", fill);
    const uint32_t root = JsonLine::root();
    int items = 0;
    for (uint32_t it = j.first_child(j.find(root, "items")); it != JsonLine::kNoNode;
         it = j.next_sibling(it))
      ++items;
    return str(j, root, "mode") + " " + std::to_string(int(j.number(j.find(root, "slots")))) + " " +
           std::to_string(items);
  };
  const std::string_view ids[] = {"I0"};
  auto track = [&](const char* event) {
    EventInput e;
    e.event = event;
    e.now_ms = 1000;
    e.item_ids = ids;
    e.item_count = 1;
    REQUIRE(shop.store.track(e, nullptr).is_ok());
  };
  track("view_item");  // a neutral shopper: 67% of k, 3 of 4
  CHECK(shown("product", 4, false) == "standard 3 3");
  CHECK(shown("product", 4, true) == "standard 4 4");
  CHECK(shown("home", 4, true) == shown("home", 4, false));  // other pages show all k anyway
  track("add_to_cart");  // decisive: 34% of k, a focused list of 2 of 5
  CHECK(shown("product", 5, false) == "focused 2 2");
  CHECK(shown("product", 5, true) == "standard 5 5");
  const JsonLine& j = shop.list("product", 5, "I0", true);
  CHECK(j.type(j.find(j.find(JsonLine::root(), "context"), "decisive")) == JsonLine::Type::kTrue);
  // The merchant's slots still cap the list.
  Shop capped(R"({"placements": {"product": {"slots": 2}}})");
  const JsonLine& c = capped.list("product", 4, "I0", true);
  CHECK(c.number(c.find(JsonLine::root(), "slots")) == 2);
}

TEST_CASE("explain and item JSON: one writer, snake_case") {
  Shop shop;
  RequestInput in;
  in.placement = "product";
  in.item = "I0";
  in.now_ms = 1000;
  Request req;
  REQUIRE(shop.store.request(in, &req).is_ok());
  std::string_view text;
  REQUIRE(shop.store.explain_json(req, "I1", &text).is_ok());
  JsonLine j;
  REQUIRE_MESSAGE(j.parse(text), text);
  CHECK(str(j, JsonLine::root(), "id") == "I1");
  CHECK(j.type(j.find(JsonLine::root(), "available")) == JsonLine::Type::kTrue);
  CHECK(j.number(j.find(JsonLine::root(), "rank")) == 0);
  CHECK(j.find(j.find(JsonLine::root(), "context"), "price_sensitive") != JsonLine::kNoNode);
  CHECK(shop.store.explain_json(req, "NOPE", &text).code() == StatusCode::kNotFound);

  REQUIRE(j.parse(shop.store.item_json(4, 1000)));
  CHECK(str(j, JsonLine::root(), "category") == "C0");
  CHECK(j.find(JsonLine::root(), "margin_tier") != JsonLine::kNoNode);
  CHECK(j.type(j.find(JsonLine::root(), "sale_price")) == JsonLine::Type::kNull);
  CHECK(j.size(j.find(JsonLine::root(), "labels")) == 3);
  CHECK(shop.store.item_json(6, 1000).empty());
}

TEST_CASE("load: refused bytes or refused compiled-in rules keep the previous snapshot and visit") {
  Storefront store;
  REQUIRE(store.load(store_bytes()).is_ok());
  const std::string_view id = "I2";
  EventInput view;
  view.event = "view_item";
  view.now_ms = 1000;
  view.item_ids = &id;
  view.item_count = 1;
  TrackResult tracked;
  REQUIRE(store.track(view, &tracked).is_ok());
  CHECK(tracked.unknown_items == 0);
  std::vector<uint8_t> corrupt = store_bytes();
  corrupt[corrupt.size() / 2] ^= 0xff;
  CHECK(store.load(corrupt).code() == StatusCode::kCorrupt);
  const Status refused = store.load(store_bytes(R"({"boost": 1})"));
  CHECK(refused.code() == StatusCode::kCorrupt);
  CHECK(refused.message().find("$.boost") != std::string::npos);
  CHECK(store.snapshot_rules().empty());
  CHECK(store.session().recent_count() == 1);
  CHECK(store.load(store_bytes(R"({"pins": [{"item": "I3", "position": 1}]})")).is_ok());
  CHECK(store.session().recent_count() == 0);  // a new snapshot starts a new visit
}

TEST_CASE("requests and events from a page: unknown names refused or ignored, never read") {
  Storefront store;
  RequestInput in;
  in.placement = "home";
  Request req;
  CHECK(store.request(in, &req).code() == StatusCode::kNotFound);  // nothing loaded
  REQUIRE(store.load(store_bytes()).is_ok());
  in.placement = "sidebar";
  CHECK(store.request(in, &req).code() == StatusCode::kInvalidArgument);
  in.placement = "category";
  in.item = "GHOST";
  in.category = "Shop > C0";
  in.k = 0;
  REQUIRE(store.request(in, &req).is_ok());
  CHECK(req.item == fmt::kNone);
  CHECK(req.category == store.find_category("C0"));
  CHECK(req.category != fmt::kNone);
  CHECK(req.k == 1);
  CHECK(store.find_category("Nope > C0") == fmt::kNone);
  EventInput e;
  e.event = "page_view";
  TrackResult r;
  REQUIRE(store.track(e, &r).is_ok());
  CHECK(r.ignored);
  std::vector<std::string_view> ids(100, "GHOST");
  e.event = "view_item";
  e.item_ids = ids.data();
  e.item_count = ids.size();
  e.timestamp = "2026-10-31T12:00:00Z";
  REQUIRE(store.track(e, &r).is_ok());
  CHECK(r.unknown_items == Storefront::kMaxEventItems);
  CHECK(store.session().last_ms() == 1793448000000);
}

namespace {

// A JSON value as text with object keys sorted: equal for equal values.
std::string canonical(const JsonLine& j, uint32_t n) {
  std::string out;
  switch (j.type(n)) {
    case JsonLine::Type::kObject: {
      std::vector<std::pair<std::string, std::string>> members;
      for (uint32_t m = j.first_child(n); m != JsonLine::kNoNode; m = j.next_sibling(m))
        members.emplace_back(std::string(j.key(m)), canonical(j, m));
      std::sort(members.begin(), members.end());
      out = "{";
      for (const auto& [key, value] : members) out += key + ":" + value + ",";
      return out + "}";
    }
    case JsonLine::Type::kArray:
      out = "[";
      for (uint32_t m = j.first_child(n); m != JsonLine::kNoNode; m = j.next_sibling(m))
        out += canonical(j, m) + ",";
      return out + "]";
    case JsonLine::Type::kString:
      append_json_string(&out, j.text(n));
      return out;
    case JsonLine::Type::kNumber:
      return std::string(j.text(n));
    case JsonLine::Type::kTrue:
      return "true";
    case JsonLine::Type::kFalse:
      return "false";
    case JsonLine::Type::kNull:
      return "null";
  }
  return out;
}

// An object's members, canonical.
std::map<std::string, std::string> members(const JsonLine& j, uint32_t n) {
  std::map<std::string, std::string> out;
  for (uint32_t m = j.first_child(n); m != JsonLine::kNoNode; m = j.next_sibling(m))
    out[std::string(j.key(m))] = canonical(j, m);
  return out;
}

void view(Storefront& store, std::string_view id) {
  EventInput e;
  e.event = "view_item";
  e.now_ms = 1000;
  e.item_ids = &id;
  e.item_count = 1;
  REQUIRE(store.track(e, nullptr).is_ok());
}

}  // namespace

TEST_CASE("published list: shown_item_json's object updated with each entry is list_json's item") {
  Shop shop;
  for (const char* item : {"I0", "I3"}) {
    const Request req = request_for(shop.store, "product", item, 4);
    JsonLine full, published, shown;  // views into the texts
    const std::string full_text(shop.store.list_json(req));
    std::vector<uint32_t> indexes;
    const std::string published_text(shop.store.published_list_json(req, &indexes));
    REQUIRE(full.parse(full_text));
    REQUIRE(published.parse(published_text));
    const uint32_t root = JsonLine::root();
    CHECK(published.find(root, "k") == JsonLine::kNoNode);
    for (const char* key : {"placement", "mode", "slots", "context"})
      CHECK(canonical(published, published.find(root, key)) ==
            canonical(full, full.find(root, key)));
    const uint32_t full_items = full.find(root, "items");
    REQUIRE(full.size(full_items) >= 3);
    REQUIRE(published.size(published.find(root, "items")) == full.size(full_items));
    REQUIRE(indexes.size() == full.size(full_items));
    uint32_t f = full.first_child(full_items);
    uint32_t p = published.first_child(published.find(root, "items"));
    for (uint32_t index : indexes) {
      const auto listed = members(full, f), entry = members(published, p);
      REQUIRE(shown.parse(shop.store.shown_item_json(index, 1000)));
      auto rebuilt = members(shown, root);
      // (no structured bindings: clang 14, Emscripten's, cannot capture them in doctest's lambdas)
      for (const auto& field : entry) {
        const auto& key = field.first;
        CHECK_MESSAGE((key == "id" || !rebuilt.count(key)), key << " is in shown_item_json too");
        CHECK_MESSAGE(listed.count(key), key << " is not in list_json's item");
        rebuilt[key] = field.second;
      }
      for (const auto& field : listed)
        CHECK_MESSAGE(rebuilt[field.first] == field.second, field.first);
      f = full.next_sibling(f);
      p = published.next_sibling(p);
    }
  }
}

TEST_CASE("reset_visit: a new visitor, as just after load, without a reload") {
  const char* rules = R"({"experiments": [{"name": "x", "variants": [
      {"name": "pin", "share": 1, "rules": {"pins": [{"item": "I3", "position": 1}]}}]}]})";
  Shop fresh(rules), used(rules);
  view(used.store, "I2");
  used.store.end_visit();
  view(used.store, "I4");
  REQUIRE(used.store.assign("visitor-1", nullptr).is_ok());
  const Request home = request_for(used.store, "home", "", 3);
  const std::string before(used.store.list_json(home));
  used.store.reset_visit();
  CHECK(used.store.session().recent_count() == 0);
  CHECK(!used.store.profile().returning());
  for (const char* item : {"", "I0"}) {
    const char* placement = *item ? "product" : "home";
    const std::string want(fresh.store.list_json(request_for(fresh.store, placement, item, 3)));
    CHECK(std::string(used.store.list_json(request_for(used.store, placement, item, 3))) == want);
    if (!*item) CHECK(before != want);  // the visit, the profile and the arm had changed it
  }
}

TEST_CASE("list_json_after_view: the list as if the item had just been viewed, the visit kept") {
  Shop ahead, moved;
  view(ahead.store, "I2");
  view(moved.store, "I2");
  for (const char* placement : {"product", "next_item"}) {
    const Request req = request_for(ahead.store, placement, "I0", 3);
    const std::string before(ahead.store.list_json(req));
    const std::string predicted(ahead.store.list_json_after_view(req));
    CHECK(ahead.store.session().recent_count() == 1);  // the visit is as it was
    CHECK(std::string(ahead.store.list_json(req)) == before);
    Shop viewed;  // what the page that views I0 gets
    view(viewed.store, "I2");
    view(viewed.store, "I0");
    CHECK(predicted ==
          std::string(viewed.store.list_json(request_for(viewed.store, placement, "I0", 3))));
    // I2, the visit's current item, becomes one viewed earlier: what moves the next-item list.
    if (std::string(placement) == "next_item") {
      CHECK(before.find("viewed_before") == std::string::npos);
      CHECK(predicted.find("viewed_before") != std::string::npos);
    }
  }
  // A request without a time: the view at the visit's latest time, as a page's clock-less one.
  Request timeless = request_for(ahead.store, "next_item", "I0", 3), tracked = timeless;
  timeless.now_ms = tracked.now_ms = 0;
  Shop viewed;
  view(viewed.store, "I2");
  view(viewed.store, "I0");
  CHECK(std::string(ahead.store.list_json_after_view(timeless)) ==
        std::string(viewed.store.list_json(tracked)));
  const Request none = request_for(ahead.store, "home", "", 3);  // no item: list_json itself
  CHECK(std::string(ahead.store.list_json_after_view(none)) ==
        std::string(moved.store.list_json(request_for(moved.store, "home", "", 3))));
}
