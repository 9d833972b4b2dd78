// libFuzzer target: the storefront's list, explanation and item JSON writers over any
// rules and any sequence of shopper events and requests. Every JSON they write must parse
// (no duplicate keys, no raw control characters), lists respect k, nothing crashes.
// Input: a rules document on the first line, then operation bytes (see the switch).
// Seeds in tests/fuzz/corpus/lists/, among them 12.2's reproducer (5,000 campaign boosts).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_store.h"
#include "json_line.h"
#include "storefront.h"

namespace {

using namespace aisle;

struct Bytes {
  std::string_view s;
  uint8_t next() {
    if (s.empty()) return 0;
    const auto b = uint8_t(s[0]);
    s.remove_prefix(1);
    return b;
  }
};

constexpr const char* kEvents[] = {"view_item",        "view_item_list",   "select_item",
                                   "add_to_cart",      "remove_from_cart", "begin_checkout",
                                   "purchase",         "search",           "view_promotion",
                                   "select_promotion", "page_view"};
constexpr const char* kPlacements[] = {"product",  "cart",         "home",      "post_purchase",
                                       "category", "search_empty", "next_item", "sidebar"};
constexpr const char* kTexts[] = {"",       "google", "cpc",          "price_asc", "on_sale",
                                  "SAVE10", "email",  "gift for dad", "facebook",  "product"};
constexpr const char* kCategories[] = {"", "C1", "Shop > C2", "L3", "Shop > C0 > L4", "Nope"};

constexpr int kMaxOps = 64;  // per input: long inputs mutate the rules, not more of the same

std::string id_of(uint8_t b) {
  return "I" + std::to_string(b % (fuzzing::kItems + 2));
}

void check_json(JsonLine& json, std::string_view text) {
  if (!json.parse(text)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nl = input.find('\n');
  Storefront store;
  if (!store.load(fuzzing::store_bytes()).is_ok()) __builtin_trap();
  if (nl != std::string_view::npos && nl > 0) store.set_rules_json(input.substr(0, nl));
  Bytes ops{nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1)};
  JsonLine json;
  int64_t now = fuzzing::kNowMs;
  std::string ids[4], item, visitor;
  std::string_view views[4];
  for (int n = 0; n < kMaxOps && !ops.s.empty(); ++n) {
    const uint8_t op = ops.next();
    now += int64_t(ops.next()) * 60000;  // minutes pass
    RequestInput in;
    in.placement = kPlacements[ops.next() % 8];
    item = (op & 0x80) ? id_of(ops.next()) : std::string();
    in.item = item;
    in.category = kCategories[ops.next() % 6];
    in.k = ops.next();
    in.now_ms = now;
    Request req;
    const bool valid = store.request(in, &req).is_ok();
    switch ((op & 0x7f) % 5) {
      case 0: {  // a shopper event
        EventInput e;
        e.event = kEvents[ops.next() % 11];
        e.has_ts = true;
        e.ts_ms = now;
        const size_t n = ops.next() % 5;
        for (size_t i = 0; i < n; ++i) {
          ids[i % 4] = id_of(ops.next());
          views[i % 4] = ids[i % 4];
        }
        e.item_ids = views;
        e.item_count = n < 4 ? n : 4;
        e.text.source = kTexts[ops.next() % 10];
        e.text.medium = kTexts[ops.next() % 10];
        e.text.sort = kTexts[ops.next() % 10];
        e.text.filter = kTexts[ops.next() % 10];
        e.text.coupon = kTexts[ops.next() % 10];
        e.text.search_term = kTexts[ops.next() % 10];
        e.text.page_type = kTexts[ops.next() % 10];
        TrackResult r;
        store.track(e, &r);
        break;
      }
      case 1:  // a list
        if (valid) {
          check_json(json, store.list_json(req));
          const uint32_t items = json.find(JsonLine::root(), "items");
          if (items == JsonLine::kNoNode || json.size(items) > req.k) __builtin_trap();
        }
        break;
      case 2:  // why an item is or is not there
        if (valid) {
          std::string_view text;
          if (store.explain_json(req, id_of(ops.next()), &text).is_ok()) check_json(json, text);
        }
        break;
      case 3: {  // an item as the shop shows it
        const std::string_view text = store.item_json(ops.next(), now);
        if (!text.empty()) check_json(json, text);
        break;
      }
      case 4:  // the visit ends, a visitor is assigned, the profile makes a round trip
        switch (ops.next() % 3) {
          case 0:
            store.end_visit();
            break;
          case 1:
            visitor = "v" + std::to_string(ops.next());
            store.assign(visitor, nullptr);
            break;
          case 2: {
            const std::string profile = store.export_profile();
            if (!store.import_profile(profile).is_ok() || store.export_profile() != profile)
              __builtin_trap();
            break;
          }
        }
        break;
    }
  }
  return 0;
}
