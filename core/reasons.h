// The engine's vocabulary, defined once: placements, the sources a recommendation comes
// from with their reason codes (what the list JSON, the loader's GA4 events and
// `aisle report` say), the list modes, and the typed anchor of a reason.
//
//   Reason r = ...;
//   source_code(r.source);               // "bought_together"
//   if (r.anchor.kind == AnchorKind::kItem) snapshot.item(r.anchor.index).id;
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "snapshot_format.h"

namespace aisle {

enum class Placement : uint8_t {
  kProduct,
  kCart,
  kHome,
  kPostPurchase,
  kCategory,
  kSearchEmpty,
  kNextItem,
  kCount
};
constexpr size_t kPlacementCount = size_t(Placement::kCount);
const char* placement_name(Placement p);  // "post_purchase"
bool parse_placement(std::string_view name, Placement* out);
// Every placement name, for messages: "product, cart, ..., next_item".
std::string placement_names();
// A rule's placements: a bit per Placement, 0 for every placement.
inline bool placement_in(uint32_t mask, Placement p) {
  return mask == 0 || (mask >> uint32_t(p) & 1u) != 0;
}

// What a reason's anchor refers to.
enum class AnchorKind : uint8_t {
  kNone,
  kItem,      // a snapshot item: the session item, purchase or set member behind the reason
  kCategory,  // a snapshot category
  kBoost,     // a boost rule: the rules' boosts, then each campaign's boosts, in order
  kQuota,     // a quota rule, by its index in the rules
  kLaunch,    // exploration of an item still in its launch window (index unused)
  kPin,       // a pin: the rules' pins, then each campaign's, in order
};

struct Anchor {
  AnchorKind kind = AnchorKind::kNone;
  uint32_t index = 0;
  friend bool operator==(const Anchor& a, const Anchor& b) {
    return a.kind == b.kind && a.index == b.index;
  }
  friend bool operator!=(const Anchor& a, const Anchor& b) { return !(a == b); }
};

// Every source: enumerator, reason code, what its anchor refers to.
#define AISLE_SOURCES(X)                                                                          \
  X(kTransitions, "viewed_after", kItem)             /* viewed next after a session item */       \
  X(kNeighbors, "similar_sessions", kNone)           /* in sessions like this one (kNN) */        \
  X(kCoPurchase, "bought_together", kItem)           /* bought together with a context item */    \
  X(kSimilar, "similar_item", kItem)                 /* content-similar to a context item */      \
  X(kHint, "merchant_pick", kItem)                   /* the merchant's upsells, cross-sells */    \
  X(kCategoryTop, "category_best_seller", kCategory) /* best seller of the category */            \
  X(kGlobalTop, "trending", kNone)                   /* trending overall */                       \
  X(kNewArrival, "new_arrival", kNone)               /* launched recently */                      \
  X(kHistory, "viewed_before", kNone)                /* seen earlier in this visit */             \
  X(kReplenish, "buy_again", kItem)                  /* a consumable due for a restock */         \
  X(kCompleteSet, "completes_set", kItem)            /* completes the set being assembled */      \
  X(kCompare, "comparison", kCategory)               /* a best seller of the compared category */ \
  X(kDeal, "on_sale", kNone)                         /* a deal, for a money-saving shopper */     \
  X(kTier, "matches_purchase", kItem)                /* same brand as the premium purchase */     \
  X(kGift, "gift_idea", kNone)                       /* giftable, in the price band browsed */    \
  X(kBoost, "merchant_boost", kBoost)                /* a merchant boost or campaign */           \
  X(kQuota, "guaranteed_share", kQuota)              /* a guaranteed share of slots */            \
  X(kExplore, "exploration", kLaunch)                /* an exploration slot (kNone: not new) */   \
  X(kPin, "pinned", kPin)                            /* pinned by the merchant */

enum class Source : uint8_t {
#define AISLE_SOURCE_ENUMERATOR(name, code, anchor) name,
  AISLE_SOURCES(AISLE_SOURCE_ENUMERATOR)
#undef AISLE_SOURCE_ENUMERATOR
      kCount
};
constexpr size_t kSourceCount = size_t(Source::kCount);
const char* source_code(Source s);  // the reason code, e.g. "bought_together"
AnchorKind source_anchor_kind(Source s);
// The anchor of a reason from `s` with this index; kNone: no anchor.
inline Anchor source_anchor(Source s, uint32_t index) {
  return index == fmt::kNone ? Anchor{} : Anchor{source_anchor_kind(s), index};
}

// How the list is presented, decided from the shopper's context.
enum class ListMode : uint8_t { kStandard, kFocused, kCompare, kBundle };
const char* list_mode_name(ListMode m);

}  // namespace aisle
