#include "engine.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <tuple>

namespace aisle {
namespace {

constexpr uint32_t kNoCap = 0xFFFFFFFFu;

Strategy make(std::initializer_list<std::pair<Source, float>> weights, uint32_t max_per_group,
              uint32_t max_per_category) {
  Strategy s;
  for (const auto& [src, w] : weights) s.weight[size_t(src)] = w;
  s.max_per_group = max_per_group;
  s.max_per_category = max_per_category;
  return s;
}

}  // namespace

EngineConfig::EngineConfig() {
  using S = Source;
  auto& st = strategy;
  // next_item: tuned on a time-based split of serenade-example's train.txt (last 10% of
  // sessions held out) and checked on valid.txt -- see docs/algorithms.md.
  st[size_t(Placement::kNextItem)] = make({{S::kNeighbors, 1.0f},
                                           {S::kHistory, 2.0f},
                                           {S::kTransitions, 0.3f},
                                           {S::kCoPurchase, 0.2f},
                                           {S::kSimilar, 0.05f},
                                           {S::kCategoryTop, 0.05f},
                                           {S::kGlobalTop, 0.02f}},
                                          0, kNoCap);
  st[size_t(Placement::kNextItem)].context_decay = 0.6f;
  st[size_t(Placement::kProduct)] = make({{S::kCoPurchase, 1.0f},
                                          {S::kHint, 0.8f},
                                          {S::kTransitions, 0.6f},
                                          {S::kSimilar, 0.5f},
                                          {S::kNeighbors, 0.4f},
                                          {S::kCategoryTop, 0.1f},
                                          {S::kGlobalTop, 0.02f}},
                                         1, 0);
  st[size_t(Placement::kCart)] = make({{S::kCoPurchase, 1.0f},
                                       {S::kHint, 0.8f},
                                       {S::kTransitions, 0.3f},
                                       {S::kNeighbors, 0.3f},
                                       {S::kSimilar, 0.1f},
                                       {S::kCategoryTop, 0.05f},
                                       {S::kGlobalTop, 0.05f}},
                                      1, 0);
  st[size_t(Placement::kHome)] = make({{S::kNeighbors, 0.6f},
                                       {S::kTransitions, 0.4f},
                                       {S::kCategoryTop, 0.5f},
                                       {S::kGlobalTop, 0.4f},
                                       {S::kNewArrival, 0.2f},
                                       {S::kSimilar, 0.2f}},
                                      1, 0);
  st[size_t(Placement::kPostPurchase)] = make({{S::kCoPurchase, 1.0f},
                                               {S::kHint, 0.6f},
                                               {S::kTransitions, 0.3f},
                                               {S::kSimilar, 0.2f},
                                               {S::kCategoryTop, 0.1f},
                                               {S::kGlobalTop, 0.05f}},
                                              1, 0);
  // Context sources: restocking and completing a set, where a shopper can act on them.
  for (auto [placement, replenish, complete] :
       {std::tuple{Placement::kHome, 1.5f, 0.8f}, std::tuple{Placement::kCart, 0.6f, 1.2f},
        std::tuple{Placement::kProduct, 0.3f, 1.2f},
        std::tuple{Placement::kPostPurchase, 0.8f, 0.6f}}) {
    st[size_t(placement)].weight[size_t(S::kReplenish)] = replenish;
    st[size_t(placement)].weight[size_t(S::kCompleteSet)] = complete;
  }
  st[size_t(Placement::kCategory)] = make({{S::kCategoryTop, 1.0f},
                                           {S::kNeighbors, 0.3f},
                                           {S::kTransitions, 0.3f},
                                           {S::kNewArrival, 0.1f}},
                                          1, kNoCap);
  st[size_t(Placement::kSearchEmpty)] = make({{S::kGlobalTop, 0.6f},
                                              {S::kNeighbors, 0.4f},
                                              {S::kTransitions, 0.3f},
                                              {S::kCategoryTop, 0.3f},
                                              {S::kNewArrival, 0.1f}},
                                             1, 0);
}

Engine::Engine(const Snapshot& snapshot, const EngineConfig& config)
    : snap_(snapshot),
      config_(config),
      slot_of_(snapshot.item_count(), fmt::kNone),
      session_sim_(snapshot.session_count(), 0.0f),
      quantile_cache_{std::vector<uint32_t>(snapshot.category_count(), fmt::kNone),
                      std::vector<uint32_t>(snapshot.category_count(), fmt::kNone)} {
  cands_.reserve(4096);
  context_.reserve(64);
  touched_sessions_.reserve(4096);
  touched_categories_.reserve(snapshot.category_count());
  order_.reserve(4096);
  group_used_.reserve(64);
  category_used_.reserve(64);
  set_rules(Rules());
  if (!snapshot.rules_text().empty()) {
    Rules compiled_in;
    rules_status_ = parse_rules_json(snapshot.rules_text(), &compiled_in);
    if (rules_status_.is_ok()) set_rules(compiled_in);
  }
}

Engine::ItemSet Engine::compile(const ItemMatch& m) const {
  ItemSet set;
  set.bits.assign((size_t(snap_.item_count()) + 63) / 64, 0);
  auto put = [&](uint32_t i) { set.bits[i >> 6] |= uint64_t(1) << (i & 63); };
  using K = ItemMatch::Kind;
  if (m.kind == K::kItem) {
    uint32_t i;
    if (snap_.find_item(m.value, &i)) put(i);
    return set;
  }
  if (m.kind == K::kNewArrival) set.new_days = m.new_days;
  std::vector<std::string_view> path;
  for (uint32_t i = 0; i < snap_.item_count(); ++i) {
    const ItemView it = snap_.item(i);
    bool hit = false;
    switch (m.kind) {
      case K::kLabel:
        for (uint32_t l = 0; l < snap_.label_count(i) && !hit; ++l)
          hit = snap_.label(i, l) == m.value;
        break;
      case K::kBrand:
        hit = it.brand == m.value;
        break;
      case K::kMarginTier:
        hit = it.margin_tier == m.value;
        break;
      case K::kPromo:
        hit = it.promo || it.sale_price != fmt::kNone;
        break;
      case K::kNewArrival:
        hit = it.launch != 0;
        break;
      case K::kCategory:
        if (it.category != fmt::kNone) {
          snap_.category_path(it.category, &path);
          hit = std::find(path.begin(), path.end(), m.value) != path.end();
        }
        break;
      case K::kItem:
        break;
    }
    if (hit) put(i);
  }
  return set;
}

void Engine::set_rules(const Rules& rules) {
  rules_ = rules;
  config_.context = rules.context;
  excluded_ = ItemSet();
  excluded_.bits.assign((size_t(snap_.item_count()) + 63) / 64, 0);
  for (const ItemMatch& m : rules_.exclusions) {
    const ItemSet one = compile(m);
    for (size_t w = 0; w < one.bits.size(); ++w) excluded_.bits[w] |= one.bits[w];
  }
  boost_sets_.clear();
  for (const BoostRule& b : rules_.boosts) boost_sets_.push_back(compile(b.match));
  quota_sets_.clear();
  for (const QuotaRule& q : rules_.quotas) quota_sets_.push_back(compile(q.match));
  campaign_sets_.clear();
  for (const CampaignRule& c : rules_.campaigns) {
    campaign_sets_.emplace_back();
    for (const BoostRule& b : c.boosts) campaign_sets_.back().push_back(compile(b.match));
  }
  pin_items_.clear();
  for (const PinRule& p : rules_.pins) {
    uint32_t i = fmt::kNone;
    snap_.find_item(p.item, &i);
    pin_items_.push_back(i);
  }
  // Exploration candidates: everything launched at some date or seldom seen, newest first.
  explore_pool_.clear();
  if (rules_.exploration.slots > 0) {
    for (uint32_t i = 0; i < snap_.item_count(); ++i) {
      const fmt::ItemRecord r = snap_.record(i);
      if (r.launch != 0 || snap_.popularity(i).views <= rules_.exploration.max_views)
        explore_pool_.push_back(i);
    }
    std::stable_sort(explore_pool_.begin(), explore_pool_.end(), [&](uint32_t a, uint32_t b) {
      return snap_.record(a).launch > snap_.record(b).launch;
    });
  }
  boost_rules_.clear();
  for (const BoostRule& b : rules_.boosts) boost_rules_.push_back(&b);
  campaign_boost_base_.clear();
  for (const CampaignRule& c : rules_.campaigns) {
    campaign_boost_base_.push_back(boost_rules_.size());
    for (const BoostRule& b : c.boosts) boost_rules_.push_back(&b);
  }
  scratch_list_.reserve(64);
}

void Engine::add(uint32_t item, Source s, float value, uint32_t anchor) {
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
  if (c.anchor[size_t(s)] == fmt::kNone)
    c.anchor[size_t(s)] = anchor;  // context is visited most recent first
}

void Engine::reset() {
  for (const Candidate& c : cands_) slot_of_[c.item] = fmt::kNone;
  cands_.clear();
  for (uint32_t cat : touched_categories_) {
    for (auto& cache : quantile_cache_) cache[cat] = fmt::kNone;
  }
  touched_categories_.clear();
}

// A category's price quantile, computed at most once per query (0 for no category).
uint32_t Engine::price_quantile(uint32_t category, QuantileKind kind) {
  if (category == fmt::kNone) return 0;
  uint32_t& cached = quantile_cache_[kind][category];
  if (cached == fmt::kNone) {
    const float q =
        kind == kBargainFloor ? config_.effects.bargain_quantile : kCampaignCeilingQuantile;
    cached = category_price_quantile(snap_, category, q);
    touched_categories_.push_back(category);
  }
  return cached;
}

// Context items and their weights: the page's product, the cart or the order, then what
// the shopper looked at, most recent first, each distinct once.
void Engine::collect_context(const Session& session, const Request& request) {
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
  if (request.profile != nullptr) {  // a returning visitor's earlier interests, after this visit's
    for (size_t i = request.profile->view_count(); i-- > 0;) push(request.profile->view(i).item);
  }
}

void Engine::add_item_sources(uint32_t anchor, float w, const Strategy& st) {
  const std::pair<Source, ScoredList> lists[] = {{Source::kTransitions, snap_.transitions(anchor)},
                                                 {Source::kCoPurchase, snap_.co_purchases(anchor)},
                                                 {Source::kSimilar, snap_.similar(anchor)}};
  for (const auto& [source, list] : lists) {
    if (st.weight[size_t(source)] <= 0) continue;
    for (uint32_t i = 0; i < list.size(); ++i) add(list[i].item, source, w * list[i].score, anchor);
  }
  if (st.weight[size_t(Source::kHint)] > 0) {
    for (uint32_t i = 0, n = snap_.hint_count(anchor); i < n; ++i) {
      uint32_t target;
      HintKind kind;
      snap_.hint(anchor, i, &target, &kind);
      add(target, Source::kHint, w, anchor);
    }
  }
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
  const float total = float(snap_.session_count()) + 1.0f;
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
      const uint32_t freq = snap_.item_session_count(item);
      const float idf =
          freq > 0 ? std::pow(std::log(total / float(freq)) + 1.0f, config_.knn_idf) : 1.0f;
      const float position = lambda > 0 && best_r < n
                                 ? std::exp(-std::fabs(float(j) - float(anchor_pos)) / lambda)
                                 : 1.0f;
      add(item, Source::kNeighbors, session_sim_[s] * idf * position, fmt::kNone);
    }
  }
  for (uint32_t s : touched_sessions_) session_sim_[s] = 0;
}

// A ranked list (best first) scored by rank.
void Engine::add_list(IdList list, Source s, uint32_t anchor) {
  const float n = float(list.size());
  for (uint32_t i = 0; i < list.size(); ++i) add(list[i], s, (n - float(i)) / n, anchor);
}

bool Engine::eligible(uint32_t item, const Session& session, const Request& request,
                      const Strategy& st, bool pinned) const {
  const fmt::ItemRecord it = snap_.record(item);
  if (!(it.flags & fmt::kRecommendable) || it.availability == uint8_t(Availability::kOutOfStock))
    return false;
  if (excluded_.bits[item >> 6] >> (item & 63) & 1) return false;  // the merchant's exclusions
  if (item == request.item) return false;
  if (request.placement == Placement::kNextItem) return item != session.last_item();
  // A pin is the merchant's explicit choice: substitutes are not ruled out for it.
  if (!pinned && suppressed(it, request)) return false;
  if (price_ceiling_ > 0) {
    const uint32_t price = effective_price(it, request.now_ms / 1000);
    if (price > price_ceiling_ && !(it.flags & fmt::kPromo) && price >= it.price) return false;
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
  if (st.exclude_seen) {
    for (size_t i = 0; i < session.recent_count(); ++i) {
      if (session.recent(i).item == item) return false;
    }
  }
  return true;
}

void Engine::recommend(const Session& session, const Request& in, std::vector<Recommendation>* out,
                       ListInfo* info) {
  out->clear();
  ListInfo local;
  ListInfo& li = info != nullptr ? *info : local;
  li = ListInfo{};
  if (in.k == 0 || snap_.item_count() == 0 || in.placement >= Placement::kCount) return;
  // Indices from callers are checked here, once: anything out of range means "none".
  Request request = in;
  if (request.item >= snap_.item_count()) request.item = fmt::kNone;
  if (request.category >= snap_.category_count()) request.category = fmt::kNone;
  if (request.now_ms == 0) request.now_ms = session.last_ms();
  const ShopperContext detected = detect_context(snap_, session, request.profile, config_.context);
  ShopperContext ctx = detected;
  if (rules_.plain) {  // a holdout shown best sellers: no context behaviour
    ctx = ShopperContext();
    ctx.traffic = detected.traffic;
    ctx.returning = detected.returning;
  }
  const Strategy st = effective_strategy(request.placement, ctx, &request.k);
  li.context = detected;
  li.slots = request.k;

  // What the visit rules out: substitutes of durables bought, more of the set being built.
  suppressed_categories_.clear();
  bundle_group_ = fmt::kNone;
  price_ceiling_ = 0;
  if (request.placement != Placement::kNextItem) {
    auto suppress_durable = [&](uint32_t item) {
      if (item >= snap_.item_count()) return;
      const ItemView it = snap_.item(item);
      if (it.kind == ItemKind::kDurable && it.category != fmt::kNone)
        suppressed_categories_.push_back(it.category);
    };
    for (size_t i = 0; i < session.purchased_count(); ++i)
      suppress_durable(session.purchased_item(i));
    if (request.placement == Placement::kCart) {  // a second phone is no add-on to a phone
      for (size_t i = 0; i < session.cart_count(); ++i) suppress_durable(session.cart_item(i));
    }
    if (request.profile != nullptr) {
      const int64_t memory_ms = int64_t(config_.effects.durable_memory_days) * 86400000;
      for (size_t i = 0; i < request.profile->purchase_count(); ++i) {
        const ProfileEntry& p = request.profile->purchase(i);
        if (request.now_ms - p.ts_ms <= memory_ms) suppress_durable(p.item);
      }
    }
    if (ctx.bundle_building && st.weight[size_t(Source::kCompleteSet)] > 0)
      bundle_group_ = ctx.bundle_group;
  }

  if ((request.placement == Placement::kProduct || request.placement == Placement::kCategory) &&
      ctx.comparing && compare_list(session, request, ctx, out)) {
    li.mode = ListMode::kCompare;
    li.slots = uint32_t(out->size());
    return;
  }
  if (request.placement == Placement::kProduct &&
      !rules_.plain) {  // fewer, tighter items for a shopper who knows
    const EffectConfig& fx = config_.effects;
    const float share = ctx.decisive    ? fx.decisive_slot_share
                        : ctx.exploring ? 1.0f
                                        : fx.neutral_slot_share;
    request.k = std::max(1u, std::min(request.k, uint32_t(std::ceil(share * float(request.k)))));
    li.slots = request.k;
    if (ctx.decisive) li.mode = ListMode::kFocused;
  }

  collect_context(session, request);
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
  const uint32_t category = context_category(request);
  if (st.weight[size_t(Source::kCategoryTop)] > 0 && category != fmt::kNone) {
    add_list(snap_.category_top(category), Source::kCategoryTop, category);
  }
  if (st.weight[size_t(Source::kGlobalTop)] > 0)
    add_list(snap_.global_top(), Source::kGlobalTop, fmt::kNone);
  if (st.weight[size_t(Source::kNewArrival)] > 0)
    add_list(snap_.new_arrivals(), Source::kNewArrival, fmt::kNone);

  // Blend: each source normalized by its best value in this query, then weighted.
  std::array<float, kSourceCount> max_raw{};
  for (const Candidate& c : cands_) {
    for (size_t s = 0; s < kSourceCount; ++s) max_raw[s] = std::max(max_raw[s], c.raw[s]);
  }
  for (Candidate& c : cands_) {
    float score = 0;
    for (size_t s = 0; s < kSourceCount; ++s) {
      if (max_raw[s] > 0) {
        c.raw[s] = st.weight[s] * c.raw[s] / max_raw[s];  // from here on: the weighted contribution
        score += c.raw[s];
      }
    }
    c.score = score;
  }
  if (request.placement != Placement::kNextItem) apply_effects(request, ctx);
  if (!rules_.plain) apply_rules(request);
  select(session, request, st, out);
  if (out->size() < request.k) fill_fallback(session, request, st, out);
  if (!rules_.plain) apply_list_rules(session, request, st, out);
  if (bundle_group_ != fmt::kNone) {
    for (const Recommendation& r : *out) {
      if (r.reason_count > 0 && r.reasons[0].source == Source::kCompleteSet)
        li.mode = ListMode::kBundle;
    }
  }
  reset();
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
      if (due >= 1.0) add(p.item, Source::kReplenish, float(std::min(due, 3.0)), p.item);
    }
  }
  if (bundle_group_ != fmt::kNone) {
    const GroupView g = snap_.group(bundle_group_);
    for (uint32_t m = 0; m < g.count && m < 8; ++m) {
      const uint32_t member = g.member(m);
      const ScoredList bought = snap_.co_purchases(member);
      for (uint32_t i = 0; i < bought.size(); ++i)
        add(bought[i].item, Source::kCompleteSet, bought[i].score, member);
      for (uint32_t i = 0, n = snap_.hint_count(member); i < n; ++i) {
        uint32_t target;
        HintKind kind;
        snap_.hint(member, i, &target, &kind);
        add(target, Source::kCompleteSet, 1.0f, member);
      }
    }
  }
}

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
      const bool deal = (it.flags & fmt::kPromo) || price < it.price;
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
  if (ctx.after_premium && request.placement != Placement::kCategory &&
      request.placement != Placement::kSearchEmpty) {
    const fmt::ItemRecord premium = snap_.record(ctx.premium_item);
    for (Candidate& c : cands_) {
      if (c.score <= 0) continue;
      const fmt::ItemRecord it = snap_.record(c.item);
      const uint32_t floor = price_quantile(it.category, kBargainFloor);
      if (it.price < floor) {
        c.score = 0;  // the bargain bin, next to an expensive purchase
      } else if (premium.brand != 0 && it.brand == premium.brand) {  // strings are stored once
        c.raw[size_t(Source::kTier)] += fx.same_brand_boost * c.score;
        c.anchor[size_t(Source::kTier)] = ctx.premium_item;
        c.score *= 1.0f + fx.same_brand_boost;
      }
    }
  }
}

// The comparison module: the category's best sellers side by side, the current item allowed.
bool Engine::compare_list(const Session& session, const Request& request, const ShopperContext& ctx,
                          std::vector<Recommendation>* out) {
  Request compare = request;
  compare.item = fmt::kNone;
  const Strategy& st = config_.strategy[size_t(request.placement)];
  const IdList top = snap_.category_top(ctx.compare_category);
  const uint32_t size = std::min(config_.effects.compare_size, request.k);  // k bounds every list
  for (uint32_t i = 0; i < top.size() && out->size() < size; ++i) {
    if (!eligible(top[i], session, compare, st)) continue;
    const uint32_t group = snap_.record(top[i]).group;  // models are compared, not colours
    if (group != fmt::kNone && std::any_of(out->begin(), out->end(), [&](const Recommendation& r) {
          return snap_.record(r.item).group == group;
        })) {
      continue;
    }
    out->push_back(Recommendation{
        top[i],
        float(top.size() - i) / float(top.size()),
        {Reason{Source::kCompare, 1.0f, Anchor{AnchorKind::kCategory, ctx.compare_category}}},
        1});
  }
  if (out->size() >= 2) return true;
  out->clear();
  return false;
}

// The placement's default strategy with the merchant's overrides: the placement's, then
// the traffic class's, then the visitor type's.
Strategy Engine::effective_strategy(Placement p, const ShopperContext& ctx, uint32_t* slots) const {
  if (rules_.plain) return make({{Source::kCategoryTop, 1.0f}, {Source::kGlobalTop, 0.5f}}, 1, 0);
  Strategy st = config_.strategy[size_t(p)];
  const size_t visitor = ctx.returning ? kReturningVisitorSegment : kNewVisitorSegment;
  for (const StrategyOverride* o :
       {&rules_.placements[size_t(p)], &rules_.segments[size_t(ctx.traffic)],
        &rules_.segments[visitor]}) {
    for (size_t s = 0; s < kSourceCount; ++s) {
      if (o->has_weight[s]) st.weight[s] = o->weight[s];
    }
    if (o->slots > 0) *slots = std::min(*slots, o->slots);
  }
  return st;
}

// Score-level rules: boosts, and the active campaigns' boosts, demotions and bundle bias.
void Engine::apply_rules(const Request& request) {
  const int64_t now_s = request.now_ms / 1000;
  const uint32_t bit = 1u << uint32_t(request.placement);
  auto boost = [&](const BoostRule& rule, const ItemSet& set, size_t anchor) {
    if (rule.placements != 0 && !(rule.placements & bit)) return;
    for (Candidate& c : cands_) {
      if (c.score <= 0 || !set.has(snap_.record(c.item), c.item, now_s)) continue;
      if (rule.factor > 1) {
        c.raw[size_t(Source::kBoost)] += c.score * (rule.factor - 1);
        c.anchor[size_t(Source::kBoost)] = uint32_t(anchor);
      }
      c.score *= rule.factor;
    }
  };
  for (size_t i = 0; i < rules_.boosts.size(); ++i) boost(rules_.boosts[i], boost_sets_[i], i);
  for (size_t k = 0; k < rules_.campaigns.size(); ++k) {
    const CampaignRule& camp = rules_.campaigns[k];
    if (request.now_ms < camp.start_ms || request.now_ms >= camp.end_ms) continue;
    for (size_t i = 0; i < camp.boosts.size(); ++i)
      boost(camp.boosts[i], campaign_sets_[k][i], campaign_boost_base_[k] + i);
    for (Candidate& c : cands_) {
      if (c.score <= 0) continue;
      const fmt::ItemRecord it = snap_.record(c.item);
      const bool deal = (it.flags & fmt::kPromo) || effective_price(it, now_s) < it.price;
      const uint32_t ceiling = camp.demote_expensive_non_promo && !deal
                                   ? price_quantile(it.category, kCampaignCeiling)
                                   : 0;
      if (ceiling > 0 && it.price > ceiling) {  // 0: too few items in the category to call one dear
        c.score *= config_.effects.expensive_demotion;
      }
      if (camp.favour_bundles &&
          (c.raw[size_t(Source::kCoPurchase)] > 0 || c.raw[size_t(Source::kCompleteSet)] > 0)) {
        c.score *= 1.3f;
      }
    }
  }
}

// List-level rules, after the ranking: pins, exploration slots, then guaranteed shares,
// each protecting what the ones before it placed.
void Engine::apply_list_rules(const Session& session, const Request& request, const Strategy& st,
                              std::vector<Recommendation>* out) {
  const int64_t now_s = request.now_ms / 1000;
  const uint32_t bit = 1u << uint32_t(request.placement);
  const auto slots = uint32_t(request.k);
  auto listed = [&](uint32_t item) {
    return std::any_of(out->begin(), out->end(),
                       [&](const Recommendation& r) { return r.item == item; });
  };
  // Replaces the lowest-ranked entry that `keep` does not protect, or appends.
  auto place = [&](const Recommendation& r, auto keep) {
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
  };
  for (size_t p = 0; p < rules_.pins.size(); ++p) {
    const PinRule& pin = rules_.pins[p];
    const uint32_t item = pin_items_[p];
    if ((pin.placements != 0 && !(pin.placements & bit)) || item == fmt::kNone) continue;
    if (!eligible(item, session, request, st, /*pinned=*/true)) continue;
    out->erase(std::remove_if(out->begin(), out->end(),
                              [&](const Recommendation& r) { return r.item == item; }),
               out->end());
    const size_t at = std::min<size_t>(pin.position - 1, out->size());
    out->insert(out->begin() + long(at),
                Recommendation{item, 0.0f, {Reason{Source::kPin, 1.0f, Anchor{}}}, 1});
    if (out->size() > slots) out->pop_back();
  }
  const ExplorationRule& ex = rules_.exploration;
  if (ex.slots > 0 && (ex.placements == 0 || (ex.placements & bit)) && !explore_pool_.empty()) {
    // Rotates hourly and by placement, so every eligible item gets its turn.
    const size_t n = explore_pool_.size();
    const size_t start =
        size_t(uint64_t(request.now_ms / 3600000 + int64_t(request.placement) * 7919) % n);
    uint32_t placed = 0;
    for (size_t k = 0; k < n && placed < ex.slots; ++k) {
      const uint32_t item = explore_pool_[(start + k) % n];
      const fmt::ItemRecord r = snap_.record(item);
      const bool fresh =
          r.launch != 0 && now_s - int64_t(r.launch) <= int64_t(ex.max_age_days) * 86400;
      if (!fresh && snap_.popularity(item).views > ex.max_views) continue;
      if (listed(item) || !eligible(item, session, request, st)) continue;
      const Anchor launch = fresh ? Anchor{AnchorKind::kLaunch, 0} : Anchor{};
      if (place(Recommendation{item, 0.0f, {Reason{Source::kExplore, 1.0f, launch}}, 1},
                [&](const Recommendation& x) {
                  return x.reason_count > 0 && (x.reasons[0].source == Source::kExplore ||
                                                x.reasons[0].source == Source::kPin);
                })) {
        ++placed;
      }
    }
  }
  for (size_t q = 0; q < rules_.quotas.size(); ++q) {
    const QuotaRule& rule = rules_.quotas[q];
    if (rule.placements != 0 && !(rule.placements & bit)) continue;
    const ItemSet& set = quota_sets_[q];
    auto member = [&](uint32_t item) { return set.has(snap_.record(item), item, now_s); };
    const auto needed = uint32_t(std::ceil(rule.min_share * float(slots) - 1e-4f));
    uint32_t have = uint32_t(std::count_if(
        out->begin(), out->end(), [&](const Recommendation& r) { return member(r.item); }));
    // The best-ranked members first (the candidates, by score), then any member.
    auto offer = [&](uint32_t item, float score) {
      if (have >= needed || listed(item) || !member(item) || !eligible(item, session, request, st))
        return;
      if (place(Recommendation{item,
                               score,
                               {Reason{Source::kQuota, 1.0f,
                                       Anchor{AnchorKind::kQuota, uint32_t(q)}}},
                               1},
                [&](const Recommendation& r) {
                  return member(r.item) ||
                         (r.reason_count > 0 && (r.reasons[0].source == Source::kPin ||
                                                 r.reasons[0].source == Source::kExplore));
                })) {
        ++have;
      }
    };
    for (uint32_t idx : order_) offer(cands_[idx].item, cands_[idx].score);
    for (uint32_t i = 0; i < snap_.item_count() && have < needed; ++i) offer(i, 0.0f);
  }
}

Explanation Engine::explain(const Session& session, const Request& request, uint32_t item) {
  Explanation e;
  e.available = available(item);
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

bool Engine::available(uint32_t item) const {
  if (item >= snap_.item_count()) return false;
  const fmt::ItemRecord it = snap_.record(item);
  return (it.flags & fmt::kRecommendable) &&
         it.availability != uint8_t(Availability::kOutOfStock) &&
         !(excluded_.bits[item >> 6] >> (item & 63) & 1);
}

bool Engine::quota_member(size_t quota, uint32_t item, int64_t now_ms) const {
  return quota < quota_sets_.size() && item < snap_.item_count() &&
         quota_sets_[quota].has(snap_.record(item), item, now_ms / 1000);
}

bool Engine::suppressed(const fmt::ItemRecord& it, const Request& request) const {
  if (request.placement == Placement::kNextItem) return false;
  if (bundle_group_ != fmt::kNone && it.group == bundle_group_) return true;
  return it.category != fmt::kNone &&
         std::find(suppressed_categories_.begin(), suppressed_categories_.end(), it.category) !=
             suppressed_categories_.end();
}

// The category the request is about: the one browsed, else the first context item's.
uint32_t Engine::context_category(const Request& request) const {
  if (request.category != fmt::kNone || context_.empty()) return request.category;
  return snap_.record(context_[0].first).category;
}

void Engine::select(const Session& session, const Request& request, const Strategy& st,
                    std::vector<Recommendation>* out) {
  order_.clear();
  for (uint32_t i = 0; i < cands_.size(); ++i) {
    if (cands_[i].score > 0 && eligible(cands_[i].item, session, request, st)) order_.push_back(i);
  }
  std::sort(order_.begin(), order_.end(), [&](uint32_t a, uint32_t b) {
    return cands_[a].score != cands_[b].score ? cands_[a].score > cands_[b].score
                                              : cands_[a].item < cands_[b].item;
  });
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
    for (uint32_t idx : order_) {
      if (out->size() >= request.k) break;
      const Candidate& c = cands_[idx];
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
        r.reasons[r.reason_count++] = Reason{Source(by[s]), c.raw[by[s]] / c.score,
                                             source_anchor(Source(by[s]), c.anchor[by[s]])};
      }
      out->push_back(r);
    }
  }
}

// Never an empty list: best sellers of the context's category and its parents, then of
// the whole store, then any eligible item.
void Engine::fill_fallback(const Session& session, const Request& request, const Strategy& st,
                           std::vector<Recommendation>* out) {
  auto take = [&](uint32_t item, Source s, uint32_t anchor) {
    if (out->size() >= request.k || !eligible(item, session, request, st)) return;
    if (std::any_of(out->begin(), out->end(),
                    [&](const Recommendation& r) { return r.item == item; }))
      return;
    out->push_back(Recommendation{item, 0.0f, {Reason{s, 1.0f, source_anchor(s, anchor)}}, 1});
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
}

std::string Engine::reason_text(const Reason& r) const {
  const uint32_t i = r.anchor.index;
  const AnchorKind kind = r.anchor.kind;
  const auto title = [&] {
    return kind == AnchorKind::kItem && i < snap_.item_count() ? std::string(snap_.item(i).title)
                                                               : std::string("an item you viewed");
  };
  const bool category = kind == AnchorKind::kCategory && i < snap_.category_count();
  switch (r.source) {
    case Source::kTransitions:
      return "Often viewed after " + title();
    case Source::kNeighbors:
      return "Shoppers on a similar path viewed this";
    case Source::kCoPurchase:
      return "Bought together with " + title();
    case Source::kSimilar:
      return "Similar to " + title();
    case Source::kHint:
      return "Goes with " + title();
    case Source::kCategoryTop:
      return category ? "Best seller in " + std::string(snap_.category(i).name) : "Best seller";
    case Source::kGlobalTop:
      return "Popular right now";
    case Source::kNewArrival:
      return "New arrival";
    case Source::kHistory:
      return "You looked at this earlier";
    case Source::kReplenish:
      return "Time to restock " + title();
    case Source::kCompleteSet:
      return "Completes your set with " + title();
    case Source::kCompare:
      return category ? "Top seller in " + std::string(snap_.category(i).name) : "Top seller";
    case Source::kDeal:
      return "On sale";
    case Source::kTier:
      return "Matches your " + title();
    case Source::kBoost:
      return kind == AnchorKind::kBoost && i < boost_rules_.size() && !boost_rules_[i]->name.empty()
                 ? boost_rules_[i]->name
                 : "Featured by the store";
    case Source::kQuota:
      return kind == AnchorKind::kQuota && i < rules_.quotas.size() &&
                     !rules_.quotas[i].name.empty()
                 ? rules_.quotas[i].name
                 : "Featured by the store";
    case Source::kExplore:
      return kind == AnchorKind::kLaunch ? "New arrival" : "Something new to discover";
    case Source::kPin:
      return "Featured by the store";
    case Source::kCount:
      break;
  }
  return "";
}

}  // namespace aisle
