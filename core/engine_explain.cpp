// Explanations: the shopper-facing text of a reason, and where one item ranks and why.
#include <string>
#include <string_view>

#include "engine.h"

namespace aisle {

Explanation Engine::explain(const Session& session, const Request& request, uint32_t item) {
  Explanation e;
  e.available = available(item, request.now_ms);
  Request longest = request;
  longest.k = kMaxExplainRank;
  recommend(session, longest, &explain_list_, &e.info);
  for (size_t i = 0; i < explain_list_.size(); ++i) {
    if (explain_list_[i].item != item) continue;
    e.rank = int32_t(i);
    e.rec = explain_list_[i];
    break;
  }
  return e;
}

std::string Engine::reason_text(const Reason& r) const {
  std::string text;
  append_reason_text(r, &text);
  return text;
}

namespace {

// What shoppers read for a merchant rule: its `reason`, else the generic reason of what it
// matches -- never its internal name.
std::string_view rule_reason(const std::string& reason, const ItemMatch& m) {
  if (!reason.empty()) return reason;
  switch (m.kind) {
    case ItemMatch::Kind::kPromo:
      return "On sale";
    case ItemMatch::Kind::kNewArrival:
      return "New arrival";
    default:
      return "Featured by the store";
  }
}

}  // namespace

Engine::RuleRef Engine::rule_behind(const Reason& r) const {
  const uint32_t i = r.anchor.index;
  if (r.source == Source::kBoost && r.anchor.kind == AnchorKind::kBoost && i < boost_rules_.size())
    return {&boost_rules_[i]->name, &boost_rules_[i]->reason, &boost_rules_[i]->match};
  if (r.source == Source::kQuota && r.anchor.kind == AnchorKind::kQuota && i < quota_rules_.size())
    return {&quota_rules_[i]->name, &quota_rules_[i]->reason, &quota_rules_[i]->match};
  return {};
}

const std::string* Engine::rule_of(const Reason& r) const {
  return rule_behind(r).name;
}

Reason Engine::reason(Source s, float contribution, Anchor anchor, uint32_t item) const {
  Reason r{s, contribution, anchor};
  if (s == Source::kCategoryTop || s == Source::kGlobalTop || s == Source::kCompare) {
    const fmt::PopularityRecord p = snap_.popularity(item);
    const ClaimThresholds& claims = config_.claims;
    if (p.purchases > 0 && p.purchases >= claims.best_seller_min_purchases) r.backing |= kSells;
    if (p.trend > 0 && p.trend >= claims.popular_min_trend) r.backing |= kTrending;
  }
  return r;
}

// The text a shopper reads: what the reason's data backs, no more (the popularity reasons
// by their backing; "New arrival" only ever comes from a launch within the window).
void Engine::append_reason_text(const Reason& r, std::string* out) const {
  const uint32_t i = r.anchor.index;
  const AnchorKind kind = r.anchor.kind;
  const auto title = [&]() -> std::string_view {
    return kind == AnchorKind::kItem && i < snap_.item_count() ? snap_.item(i).title
                                                               : "an item you viewed";
  };
  const bool category = kind == AnchorKind::kCategory && i < snap_.category_count();
  const auto say = [&](std::string_view text, std::string_view subject = {}) {
    out->append(text);
    out->append(subject);
  };
  const bool sells = r.backing & kSells, trending = r.backing & kTrending;
  constexpr std::string_view kPlain = "More from the store";  // a popularity source without events
  switch (r.source) {
    case Source::kTransitions:
      return say("Often viewed after ", title());
    case Source::kNeighbors:
      return say("Shoppers on a similar path viewed this");
    case Source::kCoPurchase:
      return say("Bought together with ", title());
    case Source::kSimilar:
      return say("Similar to ", title());
    case Source::kHint:
      return say("Goes with ", title());
    case Source::kCategoryTop:
      if (!category) return say(sells ? "Best seller" : trending ? "Popular right now" : kPlain);
      return say(sells      ? "Best seller in "
                 : trending ? "Popular in "
                            : "More in ",
                 snap_.category(i).name);
    case Source::kGlobalTop:
      return say(trending ? "Popular right now" : sells ? "Best seller" : kPlain);
    case Source::kNewArrival:
      return say("New arrival");
    case Source::kHistory:
      return say("You looked at this earlier");
    case Source::kReplenish:
      return say("Time to restock ", title());
    case Source::kCompleteSet:
      return say("Completes your set with ", title());
    case Source::kCompare:
      if (!category) return say(sells ? "Top seller" : trending ? "Popular right now" : kPlain);
      return say(sells      ? "Top seller in "
                 : trending ? "Popular in "
                            : "More in ",
                 snap_.category(i).name);
    case Source::kDeal:
      return say("On sale");
    case Source::kTier:
      return say("Same brand as your ", title());
    case Source::kGift:
      return say("A gift idea");
    case Source::kBoost:
    case Source::kQuota: {
      const RuleRef rule = rule_behind(r);
      return say(rule.name ? rule_reason(*rule.reason, *rule.match) : "Featured by the store");
    }
    case Source::kExplore:
      return say(kind == AnchorKind::kLaunch ? "New arrival" : "Something new to discover");
    case Source::kPin:  // the pin's `reason`, else the generic one
      return say(kind == AnchorKind::kPin && i < pin_rules_.size() && !pin_rules_[i]->reason.empty()
                     ? std::string_view(pin_rules_[i]->reason)
                     : "Featured by the store");
    case Source::kCount:
      break;
  }
}

}  // namespace aisle
