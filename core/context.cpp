#include "context.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace aisle {
namespace {

constexpr const char* kTrafficNames[] = {"direct",      "paid_search",    "organic_search",
                                         "paid_social", "organic_social", "email",
                                         "referral"};
static_assert(sizeof(kTrafficNames) / sizeof(kTrafficNames[0]) == size_t(TrafficClass::kCount),
              "names");

constexpr const char* kSearchEngines[] = {"google", "bing",   "yahoo",  "duckduckgo",
                                          "baidu",  "yandex", "ecosia", "qwant"};
constexpr const char* kSocialSites[] = {"facebook", "instagram", "tiktok",  "pinterest",
                                        "twitter",  "t.co",      "x.com",   "linkedin",
                                        "youtube",  "reddit",    "snapchat"};

template <size_t N>
bool names_any(std::string_view text, const char* const (&names)[N]) {
  for (const char* n : names) {
    if (contains_ci(text, n)) return true;
  }
  return false;
}

bool is_any(std::string_view text, std::initializer_list<std::string_view> values) {
  for (std::string_view v : values) {
    if (text.size() == v.size() && contains_ci(text, v)) return true;
  }
  return false;
}

}  // namespace

bool contains_ci(std::string_view text, std::string_view word) {
  if (word.size() > text.size()) return false;
  for (size_t i = 0; i + word.size() <= text.size(); ++i) {
    size_t j = 0;
    while (j < word.size() && std::tolower(static_cast<unsigned char>(text[i + j])) == word[j]) ++j;
    if (j == word.size()) return true;
  }
  return false;
}

const char* traffic_class_name(TrafficClass t) {
  return t < TrafficClass::kCount ? kTrafficNames[size_t(t)] : "unknown";
}

TrafficClass classify_traffic(std::string_view source, std::string_view medium,
                              std::string_view referrer) {
  const bool search_source = names_any(source, kSearchEngines);
  const bool social_source = names_any(source, kSocialSites);
  if (is_any(medium, {"cpc", "ppc", "paid", "paidsearch", "paid_search", "paid-search", "sem"})) {
    return social_source ? TrafficClass::kPaidSocial : TrafficClass::kPaidSearch;
  }
  if (is_any(medium,
             {"paid_social", "paidsocial", "paid-social", "social_paid", "social-paid", "cpm"})) {
    return TrafficClass::kPaidSocial;
  }
  if (is_any(medium, {"email", "e-mail", "e_mail", "newsletter"}) ||
      contains_ci(source, "newsletter")) {
    return TrafficClass::kEmail;
  }
  if (is_any(medium, {"organic"}) || (medium.empty() && search_source))
    return TrafficClass::kOrganicSearch;
  if (is_any(medium, {"social", "social-network", "social-media", "sm", "social_network"}) ||
      social_source) {
    return TrafficClass::kOrganicSocial;
  }
  if (is_any(medium, {"referral"}) && !source.empty()) return TrafficClass::kReferral;
  if (!referrer.empty()) {
    if (names_any(referrer, kSearchEngines)) return TrafficClass::kOrganicSearch;
    if (names_any(referrer, kSocialSites)) return TrafficClass::kOrganicSocial;
    return TrafficClass::kReferral;
  }
  return TrafficClass::kDirect;
}

bool is_gift_search(std::string_view term) {
  return contains_ci(term, "gift") || contains_ci(term, "present") ||
         contains_ci(term, "for dad") || contains_ci(term, "for mom") ||
         contains_ci(term, "birthday");
}

bool mentions_gift(std::string_view text) {
  return contains_ci(text, "gift");
}

bool says_no(std::string_view value) {
  return is_any(value, {"no", "false", "0"});
}

uint32_t category_price_quantile(const Snapshot& snap, uint32_t category, float q,
                                 uint32_t min_items) {
  std::array<uint32_t, 64> prices{};
  size_t n = 0;
  const IdList top = snap.category_top(category);
  for (uint32_t i = 0; i < top.size() && n < prices.size(); ++i)
    prices[n++] = snap.record(top[i]).price;
  if (n == 0 || n < min_items) return 0;
  const size_t k = std::min(n - 1, size_t(q * float(n)));
  std::nth_element(prices.begin(), prices.begin() + long(k), prices.begin() + long(n));
  return prices[k];
}

const char* context_flag_name(size_t flag) {
  constexpr const char* kNames[kContextFlagCount] = {
      "comparing", "decisive",        "exploring",    "price_sensitive",
      "gift",      "bundle_building", "after_premium"};
  return flag < kContextFlagCount ? kNames[flag] : "";
}

bool context_flag(const ShopperContext& c, size_t flag) {
  const bool flags[kContextFlagCount] = {c.comparing,       c.decisive, c.exploring,
                                         c.price_sensitive, c.gift,     c.bundle_building,
                                         c.after_premium};
  return flag < kContextFlagCount && flags[flag];
}

PageType parse_page_type(std::string_view t) {
  if (t.empty()) return PageType::kUnknown;
  if (is_any(t, {"home"})) return PageType::kHome;
  if (is_any(t, {"category", "collection", "plp"})) return PageType::kCategory;
  if (is_any(t, {"product", "pdp"})) return PageType::kProduct;
  if (is_any(t, {"cart"})) return PageType::kCart;
  if (is_any(t, {"checkout"})) return PageType::kCheckout;
  if (is_any(t, {"search"})) return PageType::kSearch;
  return PageType::kOther;
}

void apply_event_text(const EventText& t, ShopperEvent* e) {
  e->page = parse_page_type(t.page_type);
  e->sort_price_asc = is_any(t.sort, {"price_asc", "price"});
  e->filter_sale = is_any(t.filter, {"on_sale", "sale"});
  e->coupon = !t.coupon.empty();
  e->gift_search = e->type == EventType::kSearch && is_gift_search(t.search_term);
  if (e->type == EventType::kSearch) e->search_term = t.search_term;
  if (!t.source.empty() || !t.medium.empty() || !t.referrer.empty()) {
    e->traffic = classify_traffic(t.source, t.medium, t.referrer);
  }
}

namespace {

bool is_premium(const Snapshot& snap, uint32_t item, const ContextThresholds& t) {
  if (item >= snap.item_count()) return false;
  const ItemView it = snap.item(item);
  if (it.category == fmt::kNone) return false;
  const uint32_t threshold =
      category_price_quantile(snap, it.category, t.premium_quantile, t.premium_min_items);
  return threshold > 0 && it.price >= threshold;
}

}  // namespace

ShopperContext detect_context(const Snapshot& snap, const Session& session, const Profile* profile,
                              const ContextThresholds& t) {
  ShopperContext c;
  const SessionSignals& sig = session.signals();
  c.traffic = session.traffic() < TrafficClass::kCount ? session.traffic() : TrafficClass::kDirect;
  c.returning = profile != nullptr && profile->returning();
  c.gift = sig.gift_searches > 0;
  c.price_sensitive = sig.price_sorts + sig.sale_filters + sig.coupons + sig.promo_clicks > 0;
  c.decisive = sig.carts > 0 && sig.views_before_first_cart <= t.decisive_max_views;

  // Distinct items viewed per category and per group, and returns to an item seen before.
  struct Tally {
    uint32_t key, items, revisits;
  };
  std::array<Tally, Session::kMaxRecent> by_category{}, by_group{};
  size_t n_categories = 0, n_groups = 0;
  std::array<uint32_t, Session::kMaxRecent> seen{};
  size_t n_seen = 0;
  auto bump = [](std::array<Tally, Session::kMaxRecent>& tallies, size_t& n, uint32_t key,
                 bool revisit) -> Tally& {
    for (size_t i = 0; i < n; ++i) {
      if (tallies[i].key == key) {
        (revisit ? tallies[i].revisits : tallies[i].items) += 1;
        return tallies[i];
      }
    }
    tallies[n] = Tally{key, revisit ? 0u : 1u, revisit ? 1u : 0u};
    return tallies[n++];
  };
  uint32_t previous = fmt::kNone;
  for (size_t i = 0; i < session.recent_count(); ++i) {
    const Interaction& x = session.recent(i);
    if (x.type != EventType::kViewItem && x.type != EventType::kSelectItem) continue;
    if (x.item >= snap.item_count() || x.item == previous) continue;
    previous = x.item;
    const bool revisit =
        std::find(seen.begin(), seen.begin() + long(n_seen), x.item) != seen.begin() + long(n_seen);
    if (!revisit) seen[n_seen++] = x.item;
    const fmt::ItemRecord it = snap.record(x.item);
    if (it.category != fmt::kNone) bump(by_category, n_categories, it.category, revisit);
    if (it.group != fmt::kNone && !revisit) bump(by_group, n_groups, it.group, false);
  }
  uint32_t most = 0;  // the category with the most distinct items viewed is the one compared
  for (size_t i = 0; i < n_categories; ++i) {
    const Tally& x = by_category[i];
    if (x.items >= t.compare_min_items && x.revisits >= t.compare_min_revisits && x.items > most) {
      most = x.items;
      c.comparing = true;
      c.compare_category = x.key;
    }
  }
  for (size_t i = 0; i < n_groups; ++i) {
    if (by_group[i].items >= t.bundle_min_variants) {
      c.bundle_building = true;
      c.bundle_group = by_group[i].key;
    }
  }
  c.exploring = sig.carts == 0 && !c.comparing &&
                (n_categories >= t.explore_min_categories || sig.views >= t.explore_min_views);

  for (size_t i = 0; i < session.purchased_count() && c.premium_item == fmt::kNone; ++i) {
    if (is_premium(snap, session.purchased_item(i), t)) c.premium_item = session.purchased_item(i);
  }
  if (profile != nullptr) {
    for (size_t i = profile->purchase_count(); i-- > 0 && c.premium_item == fmt::kNone;) {
      if (is_premium(snap, profile->purchase(i).item, t))
        c.premium_item = profile->purchase(i).item;
    }
  }
  c.after_premium = c.premium_item != fmt::kNone;
  return c;
}

}  // namespace aisle
