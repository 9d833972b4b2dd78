#include "catalog.h"

namespace aisle {

const char* availability_name(Availability a) {
  switch (a) {
    case Availability::kInStock:
      return "in_stock";
    case Availability::kOutOfStock:
      return "out_of_stock";
    case Availability::kPreorder:
      return "preorder";
    case Availability::kBackorder:
      return "backorder";
  }
  return "unknown";
}

const char* item_kind_name(ItemKind k) {
  switch (k) {
    case ItemKind::kUnknown:
      return "unknown";
    case ItemKind::kDurable:
      return "durable";
    case ItemKind::kConsumable:
      return "consumable";
  }
  return "unknown";
}

const char* hint_kind_name(HintKind k) {
  return k == HintKind::kUpsell ? "upsell" : "cross_sell";
}

}  // namespace aisle
