// Every tuned number and knob of the engine, in one place: the blend of candidate sources
// per placement (the values are set in engine_defaults.cpp), the session-kNN, the context
// behaviours and the merchant rules' effects. `aisle eval --param` overrides them for
// tuning (docs/algorithms.md).
//
//   EngineConfig config;                                       // the defaults
//   config.strategy[size_t(Placement::kHome)].weight[size_t(Source::kNewArrival)] = 0.5f;
//   Engine engine(snapshot, config);
#pragma once

#include <array>
#include <cstdint>

#include "context.h"
#include "reasons.h"

namespace aisle {

// How one placement blends the sources, and how varied its list is.
struct Strategy {
  std::array<float, kSourceCount>
      weight{};                   // blend weight of each source (scores are normalized per query)
  float context_decay = 0.5f;     // weight of the r-th most recent context item: decay^r
  uint32_t max_per_group = 1;     // 0: no cap
  uint32_t max_per_category = 0;  // 0: half of the list, rounded up
};

// The context behaviours' knobs (docs/algorithms.md, "Context"), and the merchant rules'
// effects on scores (docs/rules.md).
struct EffectConfig {
  uint32_t compare_size = 3;  // best sellers in the comparison module
  float neutral_slot_share =
      0.67f;  // product-page slots for a shopper neither decisive nor exploring
  float decisive_slot_share = 0.34f;  // ... for a decisive one (an exploring one gets all k)
  float deal_boost = 0.5f;  // money-saving: promo and sale items gain this share of their score
  float expensive_demotion =
      0.3f;                       // money-saving: non-promo items above the ceiling keep this share
  float bundle_boost = 0.2f;      // money-saving: bought-together and set items gain this share
  float bargain_quantile = 0.3f;  // after a premium purchase: items priced below this quantile of
                                  // their category (of 5 or more items) are left out, and ...
  float bargain_share = 0.02f;    // ... in the purchase's complement categories, whatever their
                                  // size, items below this share of its price and below the
                                  // cheapest item of its brand there
  float same_brand_boost = 0.3f;  // after a premium purchase: same-brand items gain this share
  float gift_price_band = 2.0f;   // a gift shopper: gift ideas priced within this factor of the
                                  // median price of the items viewed this visit (either way)
  uint32_t gift_ideas = 50;  // a gift shopper: the most popular gift ideas in the band proposed
  uint32_t durable_memory_days =
      180;  // a durable bought this long ago still suppresses its substitutes
  double replenish_max_due = 3.0;     // restocking: a consumable's score grows with the cycles
                                      // passed since its purchase, up to this many
  uint32_t complete_set_members = 8;  // members of the set in progress whose complements count
  uint32_t topic_transitions = 10;    // items viewed next whose categories are on a page's topic
  float campaign_ceiling_quantile = 0.7f;  // demote_expensive_non_promo: dear is above this
                                           // quantile of the category (kept: expensive_demotion)
  float campaign_bundle_factor = 1.3f;     // favour_bundles: bought-together and set items
  int64_t explore_rotation_ms = 3600000;  // > 0: exploration slots rotate through their pool hourly
};

// What the data must show before a reason claims it (docs/algorithms.md, "What a reason
// claims"); below these, the reason says less. The request's time is the reference; without
// one (no time given, no events), nothing is new.
struct ClaimThresholds {
  uint32_t new_arrival_days = 30;   // "New arrival", and the new-arrivals source: launched at most
                                    // this many days before the request
  float popular_min_trend = 10.0f;  // "Popular ...": a trend (view 1, cart 3, unit bought 5,
                                    // halved every 7 days) of at least this as of the build
  uint32_t best_seller_min_purchases = 3;  // "Best seller", "Top seller": units bought in the logs
};

struct EngineConfig {
  std::array<Strategy, kPlacementCount> strategy;  // per placement (engine_defaults.cpp)
  Strategy holdout;            // an experiment's holdout shown best sellers (engine_defaults.cpp)
  uint32_t context_items = 5;  // latest distinct items that form the context
  uint32_t knn_session_items = 10;  // latest distinct items matched against indexed sessions
  uint32_t knn_sessions_per_item = 500;
  uint32_t knn_neighbors = 200;
  float knn_idf = 2.0f;             // exponent of the inverse session frequency
  float knn_position_decay = 5.0f;  // > 0: neighbor items decay by distance to the shared item
  bool snapshot_tuning = true;      // the snapshot's tuned parameters (aisle build) replace these
  ContextThresholds context;
  EffectConfig effects;
  ClaimThresholds claims;
  EngineConfig();
};

}  // namespace aisle
