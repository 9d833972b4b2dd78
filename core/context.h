// What the shopper is doing right now, read off the visit: the context signals the
// engine's behaviours key on (docs/algorithms.md, "Context"). Thresholds are plain data so merchant
// rules can override them.
#pragma once

#include <cstdint>
#include <string_view>

#include "profile.h"
#include "session.h"
#include "snapshot.h"

namespace aisle {

const char* traffic_class_name(TrafficClass t);
// Whether `text` contains `word`, which is lowercase, in any case ("Gift for Dad", "dad").
bool contains_ci(std::string_view text, std::string_view word);
// From GA4's source / medium (or utm_source / utm_medium) and the referrer's URL or host,
// after GA4's default channel grouping.
TrafficClass classify_traffic(std::string_view source, std::string_view medium,
                              std::string_view referrer);
// A search for a present ("gift for dad", "birthday present").
bool is_gift_search(std::string_view term);
// Catalog text that names a gift, in any case: "Gift Sets", "Gifts & Grooming", "gift=yes".
bool mentions_gift(std::string_view text);
// A catalog value that says no, in any case: "no", "false", "0" ("gift=No").
bool says_no(std::string_view value);

// An event's GA4 parameters as text, from a log line or a page's dataLayer push.
struct EventText {
  std::string_view source, medium, referrer, sort, filter, coupon, search_term, page_type;
};
PageType parse_page_type(std::string_view text);
// Fills the page, the money-saving and gift signals and the traffic class of `e`.
void apply_event_text(const EventText& t, ShopperEvent* e);

struct ContextThresholds {
  uint32_t compare_min_items = 3;       // distinct items of one category viewed ...
  uint32_t compare_min_revisits = 1;    // ... with this many returns to an item seen before
  uint32_t decisive_max_views = 2;      // an add-to-cart after at most this many views
  uint32_t explore_min_categories = 3;  // distinct categories viewed without a cart
  uint32_t explore_min_views = 6;       // or this many views without a cart
  uint32_t bundle_min_variants = 2;     // distinct items of one group viewed
  float premium_quantile = 0.8f;   // a purchase priced at or above this quantile of its category
  uint32_t premium_min_items = 2;  // ... of at least this many items: a small category's quantile
                                   // is its dearest price (a store's top phone of three is premium)
};

struct ShopperContext {
  bool comparing = false;
  bool decisive = false;
  bool exploring = false;
  bool price_sensitive = false;
  bool gift = false;
  bool bundle_building = false;
  bool after_premium = false;
  bool returning = false;
  TrafficClass traffic = TrafficClass::kDirect;
  uint32_t compare_category = fmt::kNone;  // the category being compared
  uint32_t bundle_group = fmt::kNone;      // the item group being assembled
  uint32_t premium_item = fmt::kNone;      // the premium purchase
};

// The detected behaviours as named flags, in one order: the list JSON's "context" and a
// rule's `segments` (docs/rules.md) name them so ("comparing", ..., "after_premium").
constexpr size_t kContextFlagCount = 7;
const char* context_flag_name(size_t flag);
bool context_flag(const ShopperContext& c, size_t flag);

// Price at quantile q of the category's best sellers; 0 when there are fewer than
// `min_items` to say.
constexpr uint32_t kQuantileMinItems = 5;
uint32_t category_price_quantile(const Snapshot& snap, uint32_t category, float q,
                                 uint32_t min_items = kQuantileMinItems);

ShopperContext detect_context(const Snapshot& snap, const Session& session, const Profile* profile,
                              const ContextThresholds& thresholds = ContextThresholds());

}  // namespace aisle
