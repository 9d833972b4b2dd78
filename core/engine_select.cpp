// Selection: which candidates may be shown, best first within the caps, a fallback so
// that no list is empty, the comparison module, and the list-level rules (pins,
// exploration slots, guaranteed shares).
#include <algorithm>
#include <cmath>

#include "engine.h"

namespace aisle {

bool Engine::eligible(uint32_t item, const Session& session, const Request& request,
                      bool pinned) const {
  const fmt::ItemRecord it = snap_.record(item);
  if (!(it.flags & fmt::kRecommendable) || it.availability == uint8_t(Availability::kOutOfStock))
    return false;
  if (excluded_here(it, item, request.now_ms / 1000)) return false;  // the merchant's exclusions
  if (item == request.item) return false;
  if (request.placement == Placement::kNextItem) return item != session.last_item();
  // A pin is the merchant's explicit choice: substitutes are not ruled out for it.
  if (!pinned && suppressed(it)) return false;
  if (price_ceiling_ > 0) {
    const int64_t now_s = request.now_ms / 1000;
    if (effective_price(it, now_s) > price_ceiling_ && !is_deal(it, now_s)) return false;
  }
  if (session.in_cart(item)) return false;
  for (size_t i = 0; i < session.purchased_count(); ++i) {
    if (session.purchased_item(i) == item) return false;
  }
  // Another colour or size of the product on the page, in the cart or just bought is a
  // substitute, not a suggestion (the page offers the variants itself).
  if (it.group != fmt::kNone && !pinned) {
    auto same_group = [&](uint32_t other) {
      return other < snap_.item_count() && snap_.record(other).group == it.group;
    };
    if (same_group(request.item)) return false;
    if (request.placement == Placement::kCart || request.placement == Placement::kPostPurchase) {
      for (size_t i = 0; i < session.cart_count(); ++i) {
        if (same_group(session.cart_item(i))) return false;
      }
      for (size_t i = 0; i < session.purchased_count(); ++i) {
        if (same_group(session.purchased_item(i))) return false;
      }
    }
  }
  return true;
}

// A substitute the visit rules out (rule_out: none on next_item).
bool Engine::suppressed(const fmt::ItemRecord& it) const {
  if (bundle_group_ != fmt::kNone && it.group == bundle_group_) return true;
  return it.category != fmt::kNone &&
         std::find(suppressed_categories_.begin(), suppressed_categories_.end(), it.category) !=
             suppressed_categories_.end();
}

bool Engine::may_fill(uint32_t item) const {
  return on_topic(item) && !suppressed(snap_.record(item));
}

// The candidate at rank `pos` of order_ (best score first, ties by item). order_ is sorted
// only as far as a walk reads it, a partial sort at a time: a list of k rarely reads past its
// first few dozen of a few hundred candidates.
uint32_t Engine::ranked(size_t pos) {
  if (pos >= ranked_) {
    const size_t upto = std::min(order_.size(), std::max(pos + 1, 2 * ranked_ + 32));
    std::partial_sort(order_.begin() + long(ranked_), order_.begin() + long(upto), order_.end(),
                      [&](uint32_t a, uint32_t b) {
                        return cands_[a].score != cands_[b].score
                                   ? cands_[a].score > cands_[b].score
                                   : cands_[a].item < cands_[b].item;
                      });
    ranked_ = upto;
  }
  return order_[pos];
}

void Engine::select(const Session& session, const Request& request, const Strategy& st,
                    std::vector<Recommendation>* out) {
  order_.clear();
  ranked_ = 0;
  for (uint32_t i = 0; i < cands_.size(); ++i) {
    if (cands_[i].score > 0 && eligible(cands_[i].item, session, request)) order_.push_back(i);
  }
  const uint32_t category_cap =
      st.max_per_category == 0 ? (request.k + 1) / 2 : st.max_per_category;
  // Two passes: with the group and category caps, then without them if the list is short.
  for (int pass = 0; pass < 2 && out->size() < request.k; ++pass) {
    group_used_.clear();
    category_used_.clear();
    for (const Recommendation& r : *out) {
      group_used_.push_back(snap_.record(r.item).group);
      category_used_.push_back(snap_.record(r.item).category);
    }
    for (size_t pos = 0; pos < order_.size() && out->size() < request.k; ++pos) {
      const Candidate& c = cands_[ranked(pos)];
      if (std::any_of(out->begin(), out->end(),
                      [&](const Recommendation& r) { return r.item == c.item; }))
        continue;
      const fmt::ItemRecord it = snap_.record(c.item);
      if (pass == 0) {
        if (st.max_per_group && it.group != fmt::kNone &&
            uint32_t(std::count(group_used_.begin(), group_used_.end(), it.group)) >=
                st.max_per_group) {
          continue;
        }
        if (it.category != fmt::kNone &&
            uint32_t(std::count(category_used_.begin(), category_used_.end(), it.category)) >=
                category_cap) {
          continue;
        }
      }
      group_used_.push_back(it.group);
      category_used_.push_back(it.category);
      Recommendation r{c.item, c.score, {}, 0};
      // The strongest contributions become the reasons.
      // (Insertion sort: stable, so ties keep source order on every platform, and allocation-free.)
      std::array<uint8_t, kSourceCount> by{};
      for (size_t s = 0; s < kSourceCount; ++s) {
        size_t j = s;
        for (; j > 0 && c.raw[by[j - 1]] < c.raw[s]; --j) by[j] = by[j - 1];
        by[j] = uint8_t(s);
      }
      for (size_t s = 0; s < 3 && c.raw[by[s]] > 0; ++s) {
        r.reasons[r.reason_count++] = reason(Source(by[s]), c.raw[by[s]] / c.score,
                                             source_anchor(Source(by[s]), c.anchor[by[s]]), c.item);
      }
      out->push_back(r);
    }
  }
}

// Never an empty list: best sellers of the context's category and its parents, then of
// the whole store, then any eligible item -- after a premium purchase not from the bargain
// bin, unless nothing else is left.
void Engine::fill_fallback(const Session& session, const Request& request,
                           std::vector<Recommendation>* out) {
  const bool floored = premium_floor_ != fmt::kNone;
  const fmt::ItemRecord premium = floored ? snap_.record(premium_floor_) : fmt::ItemRecord{};
  bool floor = floored;
  auto take = [&](uint32_t item, Source s, uint32_t anchor) {
    if (out->size() >= request.k || !eligible(item, session, request)) return;
    if (floor && bargain_bin(snap_.record(item), premium)) return;
    if (std::any_of(out->begin(), out->end(),
                    [&](const Recommendation& r) { return r.item == item; }))
      return;
    out->push_back(
        Recommendation{item, 0.0f, {reason(s, 1.0f, source_anchor(s, anchor), item)}, 1});
  };
  const uint32_t category = context_category(request);
  for (uint32_t c = category; c != fmt::kNone && out->size() < request.k;
       c = snap_.category(c).parent) {
    const IdList top = snap_.category_top(c);
    for (uint32_t i = 0; i < top.size(); ++i) take(top[i], Source::kCategoryTop, c);
  }
  const IdList top = snap_.global_top();
  for (uint32_t i = 0; i < top.size(); ++i) take(top[i], Source::kGlobalTop, fmt::kNone);
  for (uint32_t i = 0; i < snap_.item_count() && out->size() < request.k; ++i)
    take(i, Source::kGlobalTop, fmt::kNone);
  if (!out->empty() || !floored) return;
  floor = false;  // the bargain bin rather than nothing at all
  for (uint32_t i = 0; i < snap_.item_count() && out->size() < request.k; ++i)
    take(i, Source::kGlobalTop, fmt::kNone);
}

// The comparison module, for a shopper comparing the category's items on its pages.
bool Engine::show_comparison(const Session& session, const Request& request,
                             const ShopperContext& ctx, std::vector<Recommendation>* out,
                             ListInfo* li) {
  if ((request.placement != Placement::kProduct && request.placement != Placement::kCategory) ||
      !ctx.comparing || !compare_list(session, request, ctx, out))
    return false;
  li->mode = ListMode::kCompare;
  li->slots = uint32_t(out->size());
  return true;
}

// The comparison module: the category's best sellers side by side, the current item allowed.
bool Engine::compare_list(const Session& session, const Request& request, const ShopperContext& ctx,
                          std::vector<Recommendation>* out) {
  Request compare = request;
  compare.item = fmt::kNone;
  const IdList top = snap_.category_top(ctx.compare_category);
  const uint32_t size = std::min(config_.effects.compare_size, request.k);  // k bounds every list
  for (uint32_t i = 0; i < top.size() && out->size() < size; ++i) {
    if (!eligible(top[i], session, compare)) continue;
    const uint32_t group = snap_.record(top[i]).group;  // models are compared, not colours
    if (group != fmt::kNone && std::any_of(out->begin(), out->end(), [&](const Recommendation& r) {
          return snap_.record(r.item).group == group;
        })) {
      continue;
    }
    out->push_back(
        Recommendation{top[i],
                       float(top.size() - i) / float(top.size()),
                       {reason(Source::kCompare, 1.0f,
                               Anchor{AnchorKind::kCategory, ctx.compare_category}, top[i])},
                       1});
  }
  if (out->size() >= 2) return true;
  out->clear();
  return false;
}

namespace {

bool listed(const std::vector<Recommendation>& list, uint32_t item) {
  return std::any_of(list.begin(), list.end(),
                     [&](const Recommendation& r) { return r.item == item; });
}

// Whether the entry was placed by one of the list rules `sources`.
bool placed_by(const Recommendation& r, std::initializer_list<Source> sources) {
  return r.reason_count > 0 &&
         std::find(sources.begin(), sources.end(), r.reasons[0].source) != sources.end();
}

// Whether the list shows `cap` items of the item's product (colours, sizes) already; cap 0:
// no cap. Another variant is a twin, not a share of the list, even when a rule offers it.
bool over_group_cap(const Snapshot& snap, uint32_t cap, uint32_t item,
                    const std::vector<Recommendation>& list) {
  const uint32_t group = snap.record(item).group;
  if (cap == 0 || group == fmt::kNone) return false;
  return uint32_t(std::count_if(list.begin(), list.end(), [&](const Recommendation& r) {
           return snap.record(r.item).group == group;
         })) >= cap;
}

// Appends within `slots`, else replaces the lowest-ranked entry that `keep` does not protect.
template <typename Keep>
bool place(std::vector<Recommendation>* out, uint32_t slots, const Recommendation& r, Keep keep) {
  if (out->size() < slots) {
    out->push_back(r);
    return true;
  }
  for (size_t i = out->size(); i-- > 0;) {
    if (!keep((*out)[i])) {
      (*out)[i] = r;
      return true;
    }
  }
  return false;
}

}  // namespace

// List-level rules, after the ranking: pins, exploration slots, then guaranteed shares,
// each protecting what the ones before it placed.
void Engine::apply_list_rules(const Session& session, const Request& request,
                              std::vector<Recommendation>* out) {
  note_topic(session, request);
  place_pins(session, request, out);
  fill_exploration(session, request, out);
  meet_quotas(session, request, out);
}

void Engine::place_pins(const Session& session, const Request& request,
                        std::vector<Recommendation>* out) const {
  for (uint32_t p : pin_order_) {  // a pin placed later takes the slot of one before it
    const PinRule& pin = *pin_rules_[p];
    const uint32_t item = pin_items_[p];
    if (!applies(pin_scopes_[p]) || item == fmt::kNone) continue;
    if (!eligible(item, session, request, /*pinned=*/true)) continue;
    out->erase(std::remove_if(out->begin(), out->end(),
                              [&](const Recommendation& r) { return r.item == item; }),
               out->end());
    const size_t at = std::min<size_t>(pin.position - 1, out->size());
    out->insert(
        out->begin() + long(at),
        Recommendation{item, 0.0f, {Reason{Source::kPin, 1.0f, Anchor{AnchorKind::kPin, p}}}, 1});
    if (out->size() > request.k) out->pop_back();
  }
}

// New or little-seen items on the page's topic, never over a pin. The pool rotates with
// time and by placement, so every eligible item gets its turn.
void Engine::fill_exploration(const Session& session, const Request& request,
                              std::vector<Recommendation>* out) const {
  const ExplorationRule& ex = rules_.exploration;
  if (ex.slots == 0 || !placement_in(ex.placements, request.placement) || explore_pool_.empty())
    return;
  const int64_t now_s = request.now_ms / 1000;
  const size_t n = explore_pool_.size();
  const size_t start = size_t(uint64_t(request.now_ms / config_.effects.explore_rotation_ms +
                                       int64_t(request.placement) * 7919) %
                              n);
  uint32_t placed = 0;
  for (size_t k = 0; k < n && placed < ex.slots; ++k) {
    const uint32_t item = explore_pool_[(start + k) % n];
    const fmt::ItemRecord r = snap_.record(item);
    if (!launched_within(r, ex.max_age_days, now_s) && snap_.popularity(item).views > ex.max_views)
      continue;
    if (listed(*out, item) || !on_topic(item) || !eligible(item, session, request) ||
        over_group_cap(snap_, config_.strategy[size_t(request.placement)].max_per_group, item,
                       *out))
      continue;
    // "New arrival" by the engine's window, whatever window the merchant explores.
    const Anchor launch = launched_within(r, config_.claims.new_arrival_days, now_s)
                              ? Anchor{AnchorKind::kLaunch, 0}
                              : Anchor{};
    if (place(out, request.k,
              Recommendation{item, 0.0f, {Reason{Source::kExplore, 1.0f, launch}}, 1},
              [](const Recommendation& x) {
                return placed_by(x, {Source::kExplore, Source::kPin});
              })) {
      ++placed;
    }
  }
}

uint32_t Engine::quota_slots(const QuotaRule& rule, uint32_t slots) {
  return uint32_t(std::ceil(rule.min_share * float(slots) - 1e-4f));  // 0.75 of 4 is 3, not 4
}

// Guaranteed shares: the best-ranked members first (the candidates, by score), then any
// member, never over a pin, an exploration slot or another member; only members on the
// page's topic (a phone charger is no share of a yoga mat's page).
void Engine::meet_quotas(const Session& session, const Request& request,
                         std::vector<Recommendation>* out) {
  const int64_t now_s = request.now_ms / 1000;
  for (uint32_t q : quota_order_) {  // a quota met later may take the slots of one before it
    const QuotaRule& rule = *quota_rules_[q];
    if (!applies(quota_scopes_[q])) continue;
    const ItemSet& set = quota_sets_[q];
    auto member = [&](uint32_t item) { return set.has(snap_.record(item), item, now_s); };
    const uint32_t needed = quota_slots(rule, request.k);
    const uint32_t group_cap = config_.strategy[size_t(request.placement)].max_per_group;
    uint32_t have = uint32_t(std::count_if(
        out->begin(), out->end(), [&](const Recommendation& r) { return member(r.item); }));
    auto offer = [&](uint32_t item, float score) {
      if (have >= needed || listed(*out, item) || !member(item) || !on_topic(item) ||
          !eligible(item, session, request) || over_group_cap(snap_, group_cap, item, *out))
        return;
      const Reason reason{Source::kQuota, 1.0f, Anchor{AnchorKind::kQuota, uint32_t(q)}};
      if (place(out, request.k, Recommendation{item, score, {reason}, 1},
                [&](const Recommendation& r) {
                  return member(r.item) || placed_by(r, {Source::kPin, Source::kExplore});
                })) {
        ++have;
      }
    };
    for (size_t pos = 0; pos < order_.size() && have < needed; ++pos) {
      const Candidate& c = cands_[ranked(pos)];
      offer(c.item, c.score);
    }
    for (size_t c = 0; c < topic_count_ && have < needed; ++c) {  // best sellers of the topic
      const IdList top = snap_.category_top(topic_[c]);
      for (uint32_t i = 0; i < top.size() && have < needed; ++i) offer(top[i], 0.0f);
    }
    for (uint32_t i = 0; i < snap_.item_count() && have < needed; ++i) offer(i, 0.0f);
  }
}

// The list completes the set in progress: it leads with a complete-the-set item.
bool Engine::building_bundle(const std::vector<Recommendation>& list) const {
  if (bundle_group_ == fmt::kNone) return false;
  return std::any_of(list.begin(), list.end(), [](const Recommendation& r) {
    return r.reason_count > 0 && r.reasons[0].source == Source::kCompleteSet;
  });
}

}  // namespace aisle
