// Adjustments of the blended scores: the shopper's context (money-saving, after a premium
// purchase) and the merchant's boosts and active campaigns.
#include <algorithm>

#include "engine.h"

namespace aisle {

// Money-saving: deals up, dear non-promo items down (out, on the cart). After a premium
// purchase: no bargain bin, the same brand up.
void Engine::apply_effects(const Request& request, const ShopperContext& ctx) {
  const EffectConfig& fx = config_.effects;
  const int64_t now_s = request.now_ms / 1000;
  if (ctx.price_sensitive) {
    const uint32_t ceiling =
        context_.empty() ? 0 : effective_price(snap_.record(context_[0].first), now_s);
    for (Candidate& c : cands_) {
      if (c.score <= 0) continue;
      const fmt::ItemRecord it = snap_.record(c.item);
      const uint32_t price = effective_price(it, now_s);
      const bool deal = is_deal(it, now_s);
      if (deal) {
        c.raw[size_t(Source::kDeal)] += fx.deal_boost * c.score;
        c.score *= 1.0f + fx.deal_boost;
      } else if (c.raw[size_t(Source::kCoPurchase)] > 0 ||
                 c.raw[size_t(Source::kCompleteSet)] > 0) {
        c.score *= 1.0f + fx.bundle_boost;  // bundles stretch a budget further than single items
      }
      if (!deal && ceiling > 0 && price > ceiling) {
        c.score *= fx.expensive_demotion;  // on the cart the ceiling is a hard limit (eligible)
      }
    }
  }
  if (premium_floor_ != fmt::kNone) {
    const fmt::ItemRecord premium = snap_.record(premium_floor_);
    for (Candidate& c : cands_) {
      if (c.score <= 0) continue;
      const fmt::ItemRecord it = snap_.record(c.item);
      if (bargain_bin(it, premium)) {
        c.score = 0;  // the bargain bin, next to an expensive purchase
      } else if (premium.brand != 0 && it.brand == premium.brand) {  // strings are stored once
        c.raw[size_t(Source::kTier)] += fx.same_brand_boost * c.score;
        c.anchor[size_t(Source::kTier)] = premium_floor_;
        c.score *= 1.0f + fx.same_brand_boost;
      }
    }
  }
}

// After a premium purchase, the bargain bin: below the bargain quantile of its category
// (which takes 5 items to say), or -- an accessory of the purchase, in a category of any
// size -- below a small share of the purchase's price and below the cheapest item its brand
// sells there: a different price tier from what was bought.
bool Engine::bargain_bin(const fmt::ItemRecord& it, const fmt::ItemRecord& premium) {
  if (it.price < price_quantile(it.category, kBargainFloor)) return true;
  if (!complement_category(it.category) || (premium.brand != 0 && it.brand == premium.brand))
    return false;
  return float(it.price) < config_.effects.bargain_share * float(premium.price) &&
         it.price < brand_entry_price(it.category, premium.brand);
}

// Score-level rules: boosts, and the active campaigns' boosts, demotions and bundle bias.
void Engine::apply_rules(const Request& request) {
  const int64_t now_s = request.now_ms / 1000;
  auto boost = [&](size_t anchor) {  // boost_rules_[anchor]
    const BoostRule& rule = *boost_rules_[anchor];
    const ItemSet& set = boost_sets_[anchor];
    if (!applies(boost_scopes_[anchor])) return;
    for (Candidate& c : cands_) {
      if (c.score <= 0 || !set.has(snap_.record(c.item), c.item, now_s)) continue;
      if (rule.factor > 1) {
        c.raw[size_t(Source::kBoost)] += c.score * (rule.factor - 1);
        c.anchor[size_t(Source::kBoost)] = uint32_t(anchor);
      }
      c.score *= rule.factor;
    }
  };
  for (size_t i = 0; i < rules_.boosts.size(); ++i) boost(i);
  for (size_t k = 0; k < rules_.campaigns.size(); ++k) {
    const CampaignRule& camp = rules_.campaigns[k];
    if (request.now_ms < camp.start_ms || request.now_ms >= camp.end_ms) continue;
    for (size_t i = 0; i < camp.boosts.size(); ++i) boost(campaign_boost_base_[k] + i);
    for (Candidate& c : cands_) {
      if (c.score <= 0) continue;
      const fmt::ItemRecord it = snap_.record(c.item);
      const bool deal = is_deal(it, now_s);
      const uint32_t ceiling = camp.demote_expensive_non_promo && !deal
                                   ? price_quantile(it.category, kCampaignCeiling)
                                   : 0;
      if (ceiling > 0 && it.price > ceiling) {  // 0: too few items in the category to call one dear
        c.score *= config_.effects.expensive_demotion;
      }
      if (camp.favour_bundles &&
          (c.raw[size_t(Source::kCoPurchase)] > 0 || c.raw[size_t(Source::kCompleteSet)] > 0)) {
        c.score *= config_.effects.campaign_bundle_factor;
      }
    }
  }
}

// A category's price quantile, computed at most once per query (0 for no category).
uint32_t Engine::price_quantile(uint32_t category, QuantileKind kind) {
  if (category == fmt::kNone) return 0;
  uint32_t& cached = quantile_cache_[kind][category];
  if (cached == fmt::kNone) {
    const float q = kind == kBargainFloor ? config_.effects.bargain_quantile
                                          : config_.effects.campaign_ceiling_quantile;
    cached = category_price_quantile(snap_, category, q);
    touched_categories_.push_back(category);
  }
  return cached;
}

// The cheapest of the brand's items among the category's best sellers (kNoPrice: none), at
// most once per query: the brand is the premium purchase's, the same all query long.
uint32_t Engine::brand_entry_price(uint32_t category, uint32_t brand) {
  if (category == fmt::kNone || brand == 0) return kNoPrice;
  uint32_t& cached = quantile_cache_[kBrandEntry][category];
  if (cached == fmt::kNone) {
    cached = kNoPrice;
    const IdList top = snap_.category_top(category);
    for (uint32_t i = 0; i < top.size(); ++i) {
      const fmt::ItemRecord r = snap_.record(top[i]);
      if (r.brand == brand) cached = std::min(cached, r.price);
    }
    touched_categories_.push_back(category);
  }
  return cached;
}

}  // namespace aisle
