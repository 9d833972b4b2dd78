// Shopper event types (GA4 e-commerce names), shared by ingestion and, later, the session.
#pragma once

#include <cstdint>
#include <string_view>

namespace aisle {

enum class EventType : uint8_t {
  kViewItem = 0,
  kViewItemList,
  kSelectItem,
  kAddToCart,
  kRemoveFromCart,
  kBeginCheckout,
  kPurchase,
  kSearch,
  kViewPromotion,
  kSelectPromotion,
  kCount
};

// GA4 name ("view_item", ...) to type; false for names aisle does not use.
bool parse_event_type(std::string_view name, EventType* out);

}  // namespace aisle
