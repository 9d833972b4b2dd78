// What the shopper has done in this visit: a bounded record updated per event. Nothing
// grows with the number of events; the oldest entries of each ring are dropped.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "event.h"
#include "snapshot_format.h"

namespace aisle {

enum class PageType : uint8_t {
  kUnknown,
  kHome,
  kCategory,
  kProduct,
  kCart,
  kCheckout,
  kSearch,
  kOther
};

// Where the visit came from (GA4's default channel grouping, simplified); kCount: unknown.
enum class TrafficClass : uint8_t {
  kDirect,
  kPaidSearch,
  kOrganicSearch,
  kPaidSocial,
  kOrganicSocial,
  kEmail,
  kReferral,
  kCount
};

// One shopper action, with items already resolved to snapshot indices.
struct ShopperEvent {
  EventType type = EventType::kViewItem;
  int64_t ts_ms = 0;
  const uint32_t* items = nullptr;
  const uint32_t* quantities = nullptr;  // optional; 1 each when null
  size_t item_count = 0;
  PageType page = PageType::kUnknown;
  bool sort_price_asc = false;                  // the shopper sorted a list by price, lowest first
  bool filter_sale = false;                     // the shopper filtered a list to items on sale
  bool coupon = false;                          // a coupon was used or entered
  bool gift_search = false;                     // a search for a present (see is_gift_search)
  std::string_view search_term;                 // kSearch: what the shopper searched for
  TrafficClass traffic = TrafficClass::kCount;  // kCount: the event does not say
};

struct Interaction {
  uint32_t item;
  EventType type;
  int64_t ts_ms;
};

// Counters of the visit's signals.
struct SessionSignals {
  uint32_t events = 0, views = 0, carts = 0, purchases = 0;
  uint32_t price_sorts = 0, sale_filters = 0, coupons = 0, promo_clicks = 0;
  uint32_t gift_searches = 0;
  uint32_t views_before_first_cart = 0xFFFFFFFFu;  // unset until the first add-to-cart
};

class Session {
 public:
  static constexpr size_t kMaxRecent = 64;
  static constexpr size_t kMaxCart = 64;
  static constexpr size_t kMaxPurchased = 32;
  static constexpr size_t kMaxSearchTerm = 100;  // bytes kept of a search's term

  void reset() { *this = Session(); }
  void track(const ShopperEvent& e);

  // Recent item interactions (views, selections, carts), oldest first.
  size_t recent_count() const { return recent_size_; }
  const Interaction& recent(size_t i) const;
  uint32_t last_item() const;  // fmt::kNone when none

  size_t cart_count() const { return cart_size_; }
  uint32_t cart_item(size_t i) const { return cart_[i]; }
  bool in_cart(uint32_t item) const;
  size_t purchased_count() const { return purchased_size_; }
  uint32_t purchased_item(size_t i) const { return purchased_[i]; }  // oldest first

  const SessionSignals& signals() const { return signals_; }
  TrafficClass traffic() const { return traffic_; }  // the first the visit's events named
  // The visit's latest search as typed, at most kMaxSearchTerm bytes; empty if none.
  std::string_view search_term() const { return {search_.data(), search_size_}; }
  int64_t last_ms() const { return last_ms_; }

 private:
  void add_recent(uint32_t item, EventType type, int64_t ts);
  std::array<Interaction, kMaxRecent> recent_{};
  size_t recent_head_ = 0, recent_size_ = 0;  // ring
  std::array<uint32_t, kMaxCart> cart_{};
  size_t cart_size_ = 0;
  std::array<uint32_t, kMaxPurchased> purchased_{};
  size_t purchased_size_ = 0;
  SessionSignals signals_;
  TrafficClass traffic_ = TrafficClass::kCount;
  int64_t last_ms_ = 0;
  std::array<char, kMaxSearchTerm> search_{};
  size_t search_size_ = 0;
};

}  // namespace aisle
