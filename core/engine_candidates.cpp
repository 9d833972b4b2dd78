// Candidate sources: what the context items, the visit, the shopper's profile and the
// catalog propose, each item's raw score per source and the anchor behind it.
#include <algorithm>
#include <array>
#include <cmath>

#include "engine.h"

namespace aisle {

// Adds `value` to the item's raw score from source `s` (the hot path: inlined here, its
// only file).
inline void Engine::add(uint32_t item, Source s, float value, uint32_t anchor) {
  if (!(value > 0)) return;
  uint32_t& slot = slot_of_[item];
  if (slot == fmt::kNone) {
    slot = uint32_t(cands_.size());
    Candidate c;
    c.item = item;
    c.score = 0;
    c.raw.fill(0.0f);
    c.anchor.fill(fmt::kNone);
    cands_.push_back(c);
  }
  Candidate& c = cands_[slot];
  c.raw[size_t(s)] += value;
  sources_ |= 1u << unsigned(s);
  if (c.anchor[size_t(s)] == fmt::kNone)
    c.anchor[size_t(s)] = anchor;  // context is visited most recent first
}

// Every source the strategy weighs, from the context items, the visit and the catalog.
void Engine::gather(const Session& session, const Request& request, const ShopperContext& ctx,
                    const Strategy& st) {
  collect_context(session, request, !ctx.gift);  // a present is for someone else
  price_ceiling_ = 0;  // money-saving on the cart: nothing dearer than what is in it, unless a deal
  if (ctx.price_sensitive && request.placement == Placement::kCart && !context_.empty()) {
    price_ceiling_ = effective_price(snap_.record(context_[0].first), request.now_ms / 1000);
  }
  for (const auto& [item, w] : context_) add_item_sources(item, w, st);
  if (st.weight[size_t(Source::kNeighbors)] > 0) add_neighbors(session);
  if (st.weight[size_t(Source::kHistory)] > 0) {
    for (size_t r = 0; r < context_.size(); ++r)
      add(context_[r].first, Source::kHistory, context_[r].second, fmt::kNone);
  }
  add_context_sources(request, st);
  if (ctx.gift && st.weight[size_t(Source::kGift)] > 0) add_gift_ideas(session, request);
  complement_count_ = 0;
  if (ctx.after_premium) {
    note_complements(ctx.premium_item);
    if (st.weight[size_t(Source::kTier)] > 0) add_brand_complements(ctx.premium_item);
  }
  const uint32_t category = context_category(request);
  if (st.weight[size_t(Source::kCategoryTop)] > 0 && category != fmt::kNone) {
    add_list(snap_.category_top(category), Source::kCategoryTop, category);
  }
  if (st.weight[size_t(Source::kGlobalTop)] > 0)
    add_list(snap_.global_top(), Source::kGlobalTop, fmt::kNone);
  if (st.weight[size_t(Source::kNewArrival)] > 0)
    add_list(new_arrivals(request), Source::kNewArrival, fmt::kNone);
}

// The snapshot's new arrivals (newest first) that are still new at the request's time: an
// export's newest items may be long past their launch.
IdList Engine::new_arrivals(const Request& request) const {
  const IdList all = snap_.new_arrivals();
  uint32_t n = 0;
  while (n < all.size() && launched_within(snap_.record(all[n]), config_.claims.new_arrival_days,
                                           request.now_ms / 1000))
    ++n;
  return all.prefix(n);
}

// Each source normalized by its best value in this query, then weighted.
// Only the sources this query added to are read (in source order, as the sum's order).
void Engine::blend(const Strategy& st) {
  std::array<uint8_t, kSourceCount> used{};
  size_t n = 0;
  for (size_t s = 0; s < kSourceCount; ++s) {
    if (sources_ >> s & 1) used[n++] = uint8_t(s);
  }
  std::array<float, kSourceCount> max_raw{};
  for (const Candidate& c : cands_) {
    for (size_t u = 0; u < n; ++u) max_raw[used[u]] = std::max(max_raw[used[u]], c.raw[used[u]]);
  }
  for (Candidate& c : cands_) {
    float score = 0;
    for (size_t u = 0; u < n; ++u) {
      const size_t s = used[u];
      if (max_raw[s] > 0) {
        c.raw[s] = st.weight[s] * c.raw[s] / max_raw[s];  // from here on: the weighted contribution
        score += c.raw[s];
      }
    }
    c.score = score;
  }
}

void Engine::reset() {
  for (const Candidate& c : cands_) slot_of_[c.item] = fmt::kNone;
  cands_.clear();
  sources_ = 0;
  for (uint32_t cat : touched_categories_) {
    for (auto& cache : quantile_cache_) cache[cat] = fmt::kNone;
  }
  touched_categories_.clear();
}

// Context items and their weights: the page's product, the cart or the order, then what
// the shopper looked at, most recent first, each distinct once; with `own_past`, then the
// profile's earlier visits.
void Engine::collect_context(const Session& session, const Request& request, bool own_past) {
  context_.clear();
  const Strategy& st = config_.strategy[size_t(request.placement)];
  auto push = [&](uint32_t item) {
    if (item == fmt::kNone || item >= snap_.item_count() ||
        context_.size() >= config_.context_items)
      return;
    for (const auto& c : context_) {
      if (c.first == item) return;
    }
    context_.emplace_back(item, std::pow(st.context_decay, float(context_.size())));
  };
  push(request.item);
  if (request.placement == Placement::kCart) {
    for (size_t i = session.cart_count(); i-- > 0;) push(session.cart_item(i));
  } else if (request.placement == Placement::kPostPurchase) {
    for (size_t i = session.purchased_count(); i-- > 0;) push(session.purchased_item(i));
  }
  for (size_t i = session.recent_count(); i-- > 0;) push(session.recent(i).item);
  // A returning visitor's earlier interests, after this visit's.
  if (own_past && request.profile != nullptr) {
    for (size_t i = request.profile->view_count(); i-- > 0;) push(request.profile->view(i).item);
  }
}

void Engine::add_item_sources(uint32_t anchor, float w, const Strategy& st) {
  const std::pair<Source, ScoredList> lists[] = {
      {Source::kTransitions, snap_.transitions(anchor)},
      {Source::kCoPurchase, snap_.co_purchases(anchor)},
      {Source::kSimilar,
       st.weight[size_t(Source::kSimilar)] > 0 ? similar_.of(anchor) : ScoredList()}};
  for (const auto& [source, list] : lists) {
    if (st.weight[size_t(source)] <= 0) continue;
    for (uint32_t i = 0; i < list.size(); ++i) add(list[i].item, source, w * list[i].score, anchor);
  }
  if (st.weight[size_t(Source::kHint)] > 0)
    for_each_hint(anchor, [&](uint32_t target) { add(target, Source::kHint, w, anchor); });
}

// Session kNN over the indexed sessions (V-SKNN / VMIS-kNN style): a session is similar
// by the position-weighted items it shares with this visit; its items score by that
// similarity times their inverse session frequency.
void Engine::add_neighbors(const Session& session) {
  if (snap_.session_count() == 0) return;
  // The latest distinct items, most recent first, weighted linearly by recency.
  uint32_t items[64];
  size_t n = 0;
  for (size_t i = session.recent_count(); i-- > 0 && n < config_.knn_session_items && n < 64;) {
    const uint32_t item = session.recent(i).item;
    if (item < snap_.item_count() && std::find(items, items + n, item) == items + n)
      items[n++] = item;
  }
  touched_sessions_.clear();
  for (size_t r = 0; r < n; ++r) {
    const float w = float(n - r) / float(n);
    const IdList postings = snap_.item_sessions(items[r]);
    const uint32_t m = std::min(postings.size(), config_.knn_sessions_per_item);
    for (uint32_t p = 0; p < m; ++p) {
      const uint32_t s = postings[p];
      if (session_sim_[s] == 0) touched_sessions_.push_back(s);
      session_sim_[s] += w;
    }
  }
  const size_t k = std::min<size_t>(touched_sessions_.size(), config_.knn_neighbors);
  std::partial_sort(touched_sessions_.begin(), touched_sessions_.begin() + long(k),
                    touched_sessions_.end(), [&](uint32_t a, uint32_t b) {
                      return session_sim_[a] != session_sim_[b] ? session_sim_[a] > session_sim_[b]
                                                                : a > b;
                    });
  const float lambda = config_.knn_position_decay;
  for (size_t i = 0; i < k; ++i) {
    const uint32_t s = touched_sessions_[i];
    const IdList list = snap_.session_items(s);
    // Where in the neighbor the shopper's most recent shared item sits: items near it
    // (the neighbor's next steps above all) say more about this shopper's next step.
    size_t best_r = n;
    uint32_t anchor_pos = 0;
    if (lambda > 0) {
      for (uint32_t j = 0; j < list.size(); ++j) {
        const size_t r = size_t(std::find(items, items + n, list[j]) - items);
        if (r < best_r) {
          best_r = r;
          anchor_pos = j;
        }
      }
    }
    for (uint32_t j = 0; j < list.size(); ++j) {
      const uint32_t item = list[j];
      const uint32_t d = j > anchor_pos ? j - anchor_pos : anchor_pos - j;
      const float position = lambda > 0 && best_r < n ? position_weight(d) : 1.0f;
      add(item, Source::kNeighbors, session_sim_[s] * idf_[item] * position, fmt::kNone);
    }
  }
  for (uint32_t s : touched_sessions_) session_sim_[s] = 0;
}

// A ranked list (best first) scored by rank.
void Engine::add_list(IdList list, Source s, uint32_t anchor) {
  const float n = float(list.size());
  for (uint32_t i = 0; i < list.size(); ++i) add(list[i], s, (n - float(i)) / n, anchor);
}

// Consumables bought before whose cycle has passed, and what completes the set in progress.
void Engine::add_context_sources(const Request& request, const Strategy& st) {
  if (st.weight[size_t(Source::kReplenish)] > 0 && request.profile != nullptr) {
    for (size_t i = 0; i < request.profile->purchase_count(); ++i) {
      const ProfileEntry& p = request.profile->purchase(i);
      if (p.item >= snap_.item_count()) continue;
      const ItemView it = snap_.item(p.item);
      if (it.kind != ItemKind::kConsumable || it.repurchase_days == 0) continue;
      const double due =
          double(request.now_ms - p.ts_ms) / (double(it.repurchase_days) * 86400000.0);
      if (due >= 1.0)
        add(p.item, Source::kReplenish, float(std::min(due, config_.effects.replenish_max_due)),
            p.item);
    }
  }
  if (bundle_group_ != fmt::kNone) {
    const GroupView g = snap_.group(bundle_group_);
    for (uint32_t m = 0; m < g.count && m < config_.effects.complete_set_members; ++m) {
      const uint32_t member = g.member(m);
      const ScoredList bought = snap_.co_purchases(member);
      for (uint32_t i = 0; i < bought.size(); ++i)
        add(bought[i].item, Source::kCompleteSet, bought[i].score, member);
      for_each_hint(member,
                    [&](uint32_t target) { add(target, Source::kCompleteSet, 1.0f, member); });
    }
  }
}

// For a gift shopper: the catalog's gift ideas (see giftable), most popular first, priced
// within a factor of the median of what the visit viewed -- the band the shopper browses
// for this present; any price before a view.
void Engine::add_gift_ideas(const Session& session, const Request& request) {
  const int64_t now_s = request.now_ms / 1000;
  std::array<uint32_t, Session::kMaxRecent> prices{};
  size_t n = 0;
  for (size_t i = 0; i < session.recent_count(); ++i) {
    const Interaction& x = session.recent(i);
    if ((x.type == EventType::kViewItem || x.type == EventType::kSelectItem) &&
        x.item < snap_.item_count())
      prices[n++] = effective_price(snap_.record(x.item), now_s);
  }
  double low = 0, high = 0;  // 0: no band
  if (n > 0) {
    std::nth_element(prices.begin(), prices.begin() + long(n / 2), prices.begin() + long(n));
    const float band = std::max(1.0f, config_.effects.gift_price_band);
    low = double(prices[n / 2]) / band;
    high = double(prices[n / 2]) * band;
  }
  const uint32_t most = config_.effects.gift_ideas;
  uint32_t added = 0;
  for (size_t r = 0; r < gift_ideas_.size() && added < most; ++r) {
    const uint32_t item = gift_ideas_[r];
    const double price = effective_price(snap_.record(item), now_s);
    if (high > 0 && (price < low || price > high)) continue;
    add(item, Source::kGift, float(most - added) / float(most), fmt::kNone);
    ++added;
  }
}

// The categories a premium purchase's accessories come from: what it, or another variant of
// its model, is bought with (co-purchases) or sold with (the merchant's hints), most bought
// first. Not its own category: that one holds its substitutes.
void Engine::note_complements(uint32_t premium) {
  const fmt::ItemRecord p = snap_.record(premium);
  auto note = [&](uint32_t item) {
    const uint32_t category = snap_.record(item).category;
    if (category == fmt::kNone || category == p.category || complement_category(category) ||
        complement_count_ == complements_.size())
      return;
    complements_[complement_count_++] = category;
  };
  for_each_complement(premium, note);
  if (p.group == fmt::kNone) return;
  const GroupView g = snap_.group(p.group);
  for (uint32_t m = 0; m < g.count && m < config_.effects.complete_set_members; ++m) {
    if (g.member(m) != premium) for_each_complement(g.member(m), note);
  }
}

// What the item is bought with (co-purchases, most bought first), then what the merchant
// sells with it (hints, the rules' complements too).
template <typename F>
void Engine::for_each_complement(uint32_t item, F f) const {
  const ScoredList bought = snap_.co_purchases(item);
  for (uint32_t i = 0; i < bought.size(); ++i) f(bought[i].item);
  for_each_hint(item, f);
}

// The items a page is about: the product (next_item: the one viewed last), the cart's, the
// order's; none on other pages. Indices may be out of range.
template <typename F>
void Engine::for_each_page_item(const Session& session, const Request& request, F f) const {
  switch (request.placement) {
    case Placement::kProduct:
    case Placement::kNextItem:
      f(request.item != fmt::kNone ? request.item : session.last_item());
      break;
    case Placement::kCart:
      for (size_t i = session.cart_count(); i-- > 0;) f(session.cart_item(i));
      break;
    case Placement::kPostPurchase:
      for (size_t i = session.purchased_count(); i-- > 0;) f(session.purchased_item(i));
      break;
    default:
      break;
  }
}

// Where the list is shown, for the scopes of the merchant's rules (RuleScope): the visitor's
// segments, the categories of the page's items or the category browsed, the visit's search;
// and the scoped exclusions that hold there.
void Engine::aim(const Session& session, const Request& request, const ShopperContext& ctx) {
  here_.placement = request.placement;
  here_.now_ms = request.now_ms;
  here_.segments = segments_of(ctx);
  here_.category_count = 0;
  auto note = [&](uint32_t category) {
    if (category < snap_.category_count() && here_.category_count < here_.categories.size())
      here_.categories[here_.category_count++] = category;
  };
  if (request.placement == Placement::kCategory) note(request.category);
  for_each_page_item(session, request, [&](uint32_t item) {
    if (item < snap_.item_count()) note(snap_.record(item).category);
  });
  const std::string_view term = session.search_term();
  here_.search_size = std::min(term.size(), here_.search.size());
  std::copy(term.begin(), term.begin() + long(here_.search_size), here_.search.begin());
  active_exclusions_.clear();
  for (uint32_t x = 0; x < exclusion_scopes_.size(); ++x) {
    if (applies(exclusion_scopes_[x])) active_exclusions_.push_back(x);
  }
}

// The page's topic, for what the merchant's list rules add (guaranteed shares, exploration
// slots): the leaf categories of the page's items (the product, the cart, the purchase) and
// of what those are bought with, sold with or viewed next; a category page's category and
// its descendants; no limit on pages about no item (home, search).
void Engine::note_topic(const Session& session, const Request& request) {
  topic_count_ = 0;
  topic_category_ = request.placement == Placement::kCategory ? request.category : fmt::kNone;
  topic_open_ = false;
  auto note = [&](uint32_t item) {
    if (item >= snap_.item_count()) return;
    const uint32_t category = snap_.record(item).category;
    if (category == fmt::kNone || topic_count_ == topic_.size() ||
        std::find(topic_.begin(), topic_.begin() + long(topic_count_), category) !=
            topic_.begin() + long(topic_count_))
      return;
    topic_[topic_count_++] = category;
  };
  for_each_page_item(session, request, note);  // the page's own categories first
  for_each_page_item(session, request, [&](uint32_t a) {
    if (a >= snap_.item_count()) return;
    for_each_complement(a, note);
    const ScoredList next = snap_.transitions(a);
    for (uint32_t i = 0; i < next.size() && i < config_.effects.topic_transitions; ++i)
      note(next[i].item);
  });
  topic_open_ = topic_count_ == 0 && topic_category_ == fmt::kNone;
}

bool Engine::on_topic(uint32_t item) const {
  if (topic_open_) return true;
  uint32_t category = snap_.record(item).category;
  if (std::find(topic_.begin(), topic_.begin() + long(topic_count_), category) !=
      topic_.begin() + long(topic_count_))
    return true;
  // Within the category browsed: the category itself or one below it (a parent's index is
  // below its child's: the walk ends, as the fallback's does).
  if (topic_category_ == fmt::kNone) return false;
  for (uint32_t c = category; c != fmt::kNone; c = snap_.category(c).parent) {
    if (c == topic_category_) return true;
  }
  return false;
}

bool Engine::complement_category(uint32_t category) const {
  return std::find(complements_.begin(), complements_.begin() + long(complement_count_),
                   category) != complements_.begin() + long(complement_count_);
}

// The premium purchase's brand in its complement categories (reason `matches_purchase`):
// each category's best seller of the brand leads, the r-th scores 1/r^2, so that the
// brand's further items do not crowd out what the logs say goes with the purchase.
void Engine::add_brand_complements(uint32_t premium) {
  const uint32_t brand = snap_.record(premium).brand;
  if (brand == 0) return;  // no brand: strings are stored once, 0 is the empty one
  for (size_t c = 0; c < complement_count_; ++c) {
    const IdList top = snap_.category_top(complements_[c]);
    float rank = 0;
    for (uint32_t i = 0; i < top.size(); ++i) {
      if (snap_.record(top[i]).brand != brand) continue;
      rank += 1;
      add(top[i], Source::kTier, 1.0f / (rank * rank), premium);
    }
  }
}

// The category the request is about: the one browsed, else the first context item's.
uint32_t Engine::context_category(const Request& request) const {
  if (request.category != fmt::kNone || context_.empty()) return request.category;
  return snap_.record(context_[0].first).category;
}

}  // namespace aisle
