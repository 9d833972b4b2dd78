#include "session.h"

#include <algorithm>
#include <cassert>

namespace aisle {

const Interaction& Session::recent(size_t i) const {
  assert(i < recent_size_);
  return recent_[(recent_head_ + kMaxRecent - recent_size_ + i) % kMaxRecent];
}

uint32_t Session::last_item() const {
  return recent_size_ ? recent(recent_size_ - 1).item : fmt::kNone;
}

bool Session::in_cart(uint32_t item) const {
  return std::find(cart_.begin(), cart_.begin() + long(cart_size_), item) !=
         cart_.begin() + long(cart_size_);
}

void Session::add_recent(uint32_t item, EventType type, int64_t ts) {
  recent_[recent_head_] = Interaction{item, type, ts};
  recent_head_ = (recent_head_ + 1) % kMaxRecent;
  recent_size_ = std::min(recent_size_ + 1, kMaxRecent);
}

void Session::track(const ShopperEvent& e) {
  ++signals_.events;
  last_ms_ = std::max(last_ms_, e.ts_ms);
  signals_.price_sorts += e.sort_price_asc;
  signals_.sale_filters += e.filter_sale;
  signals_.coupons += e.coupon;
  signals_.gift_searches += e.gift_search;
  if (traffic_ == TrafficClass::kCount && e.traffic < TrafficClass::kCount) traffic_ = e.traffic;
  switch (e.type) {
    case EventType::kViewItem:
    case EventType::kSelectItem:
      ++signals_.views;
      for (size_t i = 0; i < e.item_count; ++i) add_recent(e.items[i], e.type, e.ts_ms);
      break;
    case EventType::kAddToCart:
      if (signals_.carts++ == 0) signals_.views_before_first_cart = signals_.views;
      for (size_t i = 0; i < e.item_count; ++i) {
        add_recent(e.items[i], e.type, e.ts_ms);
        if (in_cart(e.items[i])) continue;
        if (cart_size_ == kMaxCart) {  // drop the oldest line
          std::copy(cart_.begin() + 1, cart_.end(), cart_.begin());
          --cart_size_;
        }
        cart_[cart_size_++] = e.items[i];
      }
      break;
    case EventType::kRemoveFromCart:
      for (size_t i = 0; i < e.item_count; ++i) {
        auto end = cart_.begin() + long(cart_size_);
        auto it = std::find(cart_.begin(), end, e.items[i]);
        if (it != end) {
          std::copy(it + 1, end, it);
          --cart_size_;
        }
      }
      break;
    case EventType::kPurchase:
      ++signals_.purchases;
      for (size_t i = 0; i < e.item_count; ++i) {
        if (purchased_size_ == kMaxPurchased) {
          std::copy(purchased_.begin() + 1, purchased_.end(), purchased_.begin());
          --purchased_size_;
        }
        purchased_[purchased_size_++] = e.items[i];
      }
      cart_size_ = 0;  // the cart became an order
      break;
    case EventType::kSelectPromotion:
      ++signals_.promo_clicks;
      break;
    case EventType::kSearch:
      if (e.search_term.empty()) break;
      search_size_ = std::min(e.search_term.size(), kMaxSearchTerm);
      std::copy(e.search_term.begin(), e.search_term.begin() + long(search_size_), search_.begin());
      break;
    case EventType::kViewItemList:  // counted in events; their sort and filter are signals
    case EventType::kBeginCheckout:
    case EventType::kViewPromotion:
    case EventType::kCount:
      break;
  }
}

}  // namespace aisle
