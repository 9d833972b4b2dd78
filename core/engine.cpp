#include "engine.h"

#include <algorithm>
#include <cmath>

namespace aisle {

Engine::Engine(const Snapshot& snapshot, const EngineConfig& config)
    : snap_(snapshot),
      similar_(snapshot),
      config_(config),
      slot_of_(snapshot.item_count(), fmt::kNone),
      session_sim_(snapshot.session_count(), 0.0f),
      quantile_cache_{std::vector<uint32_t>(snapshot.category_count(), fmt::kNone),
                      std::vector<uint32_t>(snapshot.category_count(), fmt::kNone),
                      std::vector<uint32_t>(snapshot.category_count(), fmt::kNone)} {
  cands_.reserve(4096);
  context_.reserve(64);
  touched_sessions_.reserve(4096);
  touched_categories_.reserve(snapshot.category_count());
  const std::optional<fmt::TuningRecord> tuned = snapshot.tuning();
  if (config.snapshot_tuning && tuned) apply_tuning(*tuned, &config_);
  order_.reserve(4096);
  group_used_.reserve(64);
  category_used_.reserve(64);
  if (snapshot.session_count() > 0) {
    const float total = float(snapshot.session_count()) + 1.0f;
    idf_.resize(snapshot.item_count());
    for (uint32_t i = 0; i < snapshot.item_count(); ++i) {
      const uint32_t freq = snapshot.item_session_count(i);
      idf_[i] = freq > 0 ? std::pow(std::log(total / float(freq)) + 1.0f, config_.knn_idf) : 1.0f;
    }
  }
  for (uint32_t d = 0; d < near_.size(); ++d)
    near_[d] = std::exp(-float(d) / config_.knn_position_decay);
  Rules compiled_in;  // the snapshot's own rules, compiled once
  if (!snapshot.rules_text().empty())
    rules_status_ = parse_rules_json(snapshot.rules_text(), &compiled_in);
  set_rules(rules_status_.is_ok() ? compiled_in : Rules());
  std::vector<std::string_view> path;
  for (uint32_t i = 0; i < snapshot.item_count(); ++i) {
    const fmt::ItemRecord r = snapshot.record(i);
    if ((r.flags & fmt::kRecommendable) && r.availability != uint8_t(Availability::kOutOfStock) &&
        giftable(snapshot, i, &path))
      gift_ideas_.push_back(i);
  }
  std::stable_sort(gift_ideas_.begin(), gift_ideas_.end(), [&](uint32_t a, uint32_t b) {
    const fmt::PopularityRecord pa = snapshot.popularity(a), pb = snapshot.popularity(b);
    return pa.trend != pb.trend ? pa.trend > pb.trend : pa.purchases > pb.purchases;
  });
  if (gift_ideas_.size() > kGiftPool) gift_ideas_.resize(kGiftPool);
}

std::vector<uint32_t> Engine::pool_items() const {
  std::vector<uint32_t> out = explore_pool_;
  out.insert(out.end(), gift_ideas_.begin(), gift_ideas_.end());
  for (uint32_t i : pin_items_) {
    if (i != fmt::kNone) out.push_back(i);  // a pin of an item the snapshot lacks
  }
  for (const auto& targets : complement_targets_)
    out.insert(out.end(), targets.begin(), targets.end());
  return out;
}

void Engine::recommend(const Session& session, const Request& in, std::vector<Recommendation>* out,
                       ListInfo* info) {
  out->clear();
  ListInfo local;
  ListInfo& li = info != nullptr ? *info : local;
  li = ListInfo{};
  if (in.k == 0 || snap_.item_count() == 0 || in.placement >= Placement::kCount) return;
  Request request = checked(in, session);
  ShopperContext ctx;
  const Strategy st = plan(session, &request, &ctx, &li);
  aim(session, request, ctx);
  rule_out(session, request, ctx, st);
  if (show_comparison(session, request, ctx, out, &li)) return;
  fit_slots(ctx, &request, &li);
  gather(session, request, ctx, st);
  blend(st);
  if (request.placement != Placement::kNextItem) apply_effects(request, ctx);
  if (!rules_.plain) apply_rules(request);
  select(session, request, st, out);
  if (out->size() < request.k) fill_fallback(session, request, out);
  if (!rules_.plain) apply_list_rules(session, request, out);
  if (building_bundle(*out)) li.mode = ListMode::kBundle;
  reset();
}

// Indices from callers are checked here, once: anything out of range means "none".
Request Engine::checked(const Request& in, const Session& session) const {
  Request request = in;
  if (request.item >= snap_.item_count()) request.item = fmt::kNone;
  if (request.category >= snap_.category_count()) request.category = fmt::kNone;
  if (request.now_ms == 0) request.now_ms = session.last_ms();
  return request;
}

// The shopper's context and the placement's strategy; the slots the merchant allows.
Strategy Engine::plan(const Session& session, Request* request, ShopperContext* ctx,
                      ListInfo* li) const {
  const ShopperContext detected = detect_context(snap_, session, request->profile, config_.context);
  *ctx = detected;
  if (rules_.plain) {  // a holdout shown best sellers: no context behaviour
    *ctx = ShopperContext();
    ctx->traffic = detected.traffic;
    ctx->returning = detected.returning;
  }
  Strategy st = effective_strategy(request->placement, *ctx, &request->k);
  if (ctx->gift) {  // buying for someone else: the shopper's own restocks and past are no guide
    st.weight[size_t(Source::kReplenish)] = 0;
    st.weight[size_t(Source::kHistory)] = 0;
  }
  li->context = detected;
  li->slots = request->k;
  return st;
}

// The placement's default strategy with the merchant's overrides: the placement's, then
// the traffic class's, the visitor type's and those of the context detected, in the order of
// segment_index() (a later one's weight wins; the fewest slots do).
Strategy Engine::effective_strategy(Placement p, const ShopperContext& ctx, uint32_t* slots) const {
  if (rules_.plain) return config_.holdout;
  Strategy st = config_.strategy[size_t(p)];
  const uint32_t in = segments_of(ctx);
  for (size_t o = 0; o <= kScopeSegmentCount; ++o) {
    if (o > 0 && !(in >> (o - 1) & 1)) continue;
    const StrategyOverride& x = o == 0 ? rules_.placements[size_t(p)] : rules_.segments[o - 1];
    for (size_t s = 0; s < kSourceCount; ++s) {
      if (x.has_weight[s]) st.weight[s] = x.weight[s];
    }
    if (x.slots > 0) *slots = std::min(*slots, x.slots);
  }
  return st;
}

// What the visit rules out: substitutes of durables bought, more of the set being built.
void Engine::rule_out(const Session& session, const Request& request, const ShopperContext& ctx,
                      const Strategy& st) {
  suppressed_categories_.clear();
  bundle_group_ = fmt::kNone;
  price_ceiling_ = 0;
  const bool floored = request.placement != Placement::kNextItem &&
                       request.placement != Placement::kCategory &&
                       request.placement != Placement::kSearchEmpty;
  premium_floor_ = ctx.after_premium && floored ? ctx.premium_item : fmt::kNone;
  if (request.placement == Placement::kNextItem) return;
  // `unless_consumable`: an item of unknown kind counts as a durable too.
  auto suppress_durable = [&](uint32_t item, bool unless_consumable = false) {
    if (item >= snap_.item_count()) return;
    const ItemView it = snap_.item(item);
    const bool durable =
        it.kind == ItemKind::kDurable || (unless_consumable && it.kind == ItemKind::kUnknown);
    if (durable && it.category != fmt::kNone) suppressed_categories_.push_back(it.category);
  };
  for (size_t i = 0; i < session.purchased_count(); ++i)
    suppress_durable(session.purchased_item(i));
  // A second laptop is no add-on to the laptop in the cart, whatever the export says of its
  // kind: the cart list offers what goes with the cart, and only a known consumable (more
  // coffee beans) goes with more of itself.
  if (request.placement == Placement::kCart) {
    for (size_t i = 0; i < session.cart_count(); ++i)
      suppress_durable(session.cart_item(i), /*unless_consumable=*/true);
  }
  if (request.profile != nullptr) {
    const int64_t memory_ms = int64_t(config_.effects.durable_memory_days) * 86400000;
    for (size_t i = 0; i < request.profile->purchase_count(); ++i) {
      const ProfileEntry& p = request.profile->purchase(i);
      if (request.now_ms - p.ts_ms <= memory_ms) suppress_durable(p.item);
    }
  }
  if (ctx.bundle_building && st.weight[size_t(Source::kCompleteSet)] > 0) {
    bundle_group_ = ctx.bundle_group;
    // The set is assembled around its product: another product of that category (a cheaper
    // competing mat) would substitute it, not complete the set -- unless the shopper is
    // comparing that category's products, which says the choice is still open.
    const GroupView g = snap_.group(bundle_group_);
    const uint32_t category = g.count > 0 ? snap_.record(g.member(0)).category : fmt::kNone;
    if (category != fmt::kNone && !(ctx.comparing && ctx.compare_category == category))
      suppressed_categories_.push_back(category);
  }
}

// Fewer, tighter items on the product page for a shopper who knows what they want (unless
// the page asked for all k).
void Engine::fit_slots(const ShopperContext& ctx, Request* request, ListInfo* li) const {
  if (request->placement != Placement::kProduct || rules_.plain || request->fill) return;
  const EffectConfig& fx = config_.effects;
  const float share = ctx.decisive    ? fx.decisive_slot_share
                      : ctx.exploring ? 1.0f
                                      : fx.neutral_slot_share;
  request->k = std::max(1u, std::min(request->k, uint32_t(std::ceil(share * float(request->k)))));
  li->slots = request->k;
  if (ctx.decisive) li->mode = ListMode::kFocused;
}

bool catalog_match(const Snapshot& snap, const ItemMatch& m, uint32_t i,
                   std::vector<std::string_view>* path) {
  using K = ItemMatch::Kind;
  switch (m.kind) {
    case K::kItem:
      return snap.item(i).id == m.value;
    case K::kLabel:
      for (uint32_t l = 0; l < snap.label_count(i); ++l) {
        if (snap.label(i, l) == m.value) return true;
      }
      return false;
    case K::kMargin:  // the label the build put on the items it matched (rules.h)
    case K::kStock: {
      ItemMatch label;
      label.kind = K::kLabel;
      label.value = build_time_label(m);
      return catalog_match(snap, label, i, path);
    }
    case K::kBrand:
      return snap.item(i).brand == m.value;
    case K::kMarginTier:
      return snap.item(i).margin_tier == m.value;
    case K::kPromo: {
      const fmt::ItemRecord r = snap.record(i);
      return (r.flags & fmt::kPromo) || r.sale_price != fmt::kNone;
    }
    case K::kNewArrival:
      return snap.record(i).launch != 0;
    case K::kCategory: {
      const uint32_t c = snap.record(i).category;
      if (c == fmt::kNone) return false;
      snap.category_path(c, path);
      return std::find(path->begin(), path->end(), m.value) != path->end();
    }
    case K::kPrice: {  // at its regular price or its sale price, at some time
      const fmt::ItemRecord r = snap.record(i);
      return m.in_range(r.price) || (r.sale_price != fmt::kNone && m.in_range(r.sale_price));
    }
    case K::kAll:
      return std::all_of(m.of.begin(), m.of.end(),
                         [&](const ItemMatch& x) { return catalog_match(snap, x, i, path); });
    case K::kAny:
      return std::any_of(m.of.begin(), m.of.end(),
                         [&](const ItemMatch& x) { return catalog_match(snap, x, i, path); });
    case K::kNot:
      return !m.of.empty() && !catalog_match(snap, m.of[0], i, path);
  }
  return false;
}

bool giftable(const Snapshot& snap, uint32_t i, std::vector<std::string_view>* path) {
  bool named = false;
  for (uint32_t l = 0; l < snap.label_count(i); ++l) {
    const std::string_view label = snap.label(i, l);
    if (!mentions_gift(label)) continue;
    const size_t eq = label.find('=');
    const std::string_view value = eq == std::string_view::npos ? "" : label.substr(eq + 1);
    if (says_no(value)) return false;
    named = true;
  }
  const uint32_t c = snap.record(i).category;
  if (named || c == fmt::kNone) return named;
  snap.category_path(c, path);
  return std::any_of(path->begin(), path->end(), mentions_gift);
}

namespace {

// The items the catalog says match `m`, as a bitset: a lookup for an id, a pass over the
// catalog for another value, and set operations for a combination (one pass per match in
// it, not one per match and item).
void catalog_bits(const Snapshot& snap, const ItemMatch& m, uint64_t* bits) {
  const size_t words = (size_t(snap.item_count()) + 63) / 64;
  std::fill(bits, bits + words, 0);
  using K = ItemMatch::Kind;
  if (m.kind == K::kAll || m.kind == K::kAny || m.kind == K::kNot) {
    std::vector<uint64_t> part(words);
    if (m.kind == K::kAll) std::fill(bits, bits + words, ~uint64_t(0));
    for (const ItemMatch& x : m.of) {
      catalog_bits(snap, x, part.data());
      for (size_t w = 0; w < words; ++w) {
        if (m.kind == K::kAny) bits[w] |= part[w];
        if (m.kind == K::kAll) bits[w] &= part[w];
        if (m.kind == K::kNot) bits[w] = ~part[w];
      }
    }
    if (snap.item_count() % 64 != 0 && words > 0)  // no item past the last
      bits[words - 1] &= (uint64_t(1) << (snap.item_count() % 64)) - 1;
    return;
  }
  if (m.kind == K::kItem) {
    uint32_t i;
    if (snap.find_item(m.value, &i)) bits[i >> 6] |= uint64_t(1) << (i & 63);
    return;
  }
  ItemMatch label;  // a match by margin or stock: its label, made once
  if (build_time(m.kind)) label.kind = K::kLabel, label.value = build_time_label(m);
  const ItemMatch& by = build_time(m.kind) ? label : m;
  std::vector<std::string_view> path;
  for (uint32_t i = 0; i < snap.item_count(); ++i) {
    if (catalog_match(snap, by, i, &path)) bits[i >> 6] |= uint64_t(1) << (i & 63);
  }
}

}  // namespace

std::vector<uint32_t> catalog_matches(const Snapshot& snap, const ItemMatch& m) {
  std::vector<uint64_t> bits((size_t(snap.item_count()) + 63) / 64);
  catalog_bits(snap, m, bits.data());
  std::vector<uint32_t> out;
  for (uint32_t i = 0; i < snap.item_count(); ++i) {
    if (bits[i >> 6] >> (i & 63) & 1) out.push_back(i);
  }
  return out;
}

bool timed_match(const ItemMatch& m) {
  using K = ItemMatch::Kind;
  return m.kind == K::kPromo || m.kind == K::kNewArrival || m.kind == K::kPrice ||
         std::any_of(m.of.begin(), m.of.end(), timed_match);
}

Engine::ItemSet Engine::compile(const ItemMatch& m) const {
  ItemSet set;
  set.nodes.clear();
  compile_node(m, &set);
  return set;
}

// Appends `m`'s node and those below it: what does not depend on the time as a bitset.
void Engine::compile_node(const ItemMatch& m, ItemSet* set) const {
  using Op = ItemSet::Op;
  using K = ItemMatch::Kind;
  const uint32_t at = uint32_t(set->nodes.size());
  set->nodes.emplace_back();
  ItemSet::Node node;
  if (!timed_match(m)) {
    node.arg = uint32_t(set->bits.size());
    set->bits.resize(set->bits.size() + (size_t(snap_.item_count()) + 63) / 64);
    catalog_bits(snap_, m, set->bits.data() + node.arg);
  } else if (m.kind == K::kPromo) {
    node.op = Op::kDeal;  // a sale counts within its window only
  } else if (m.kind == K::kNewArrival) {
    node.op = Op::kNew;
    node.arg = m.new_days;
  } else if (m.kind == K::kPrice) {
    node.op = Op::kPrice;
    node.lo = m.min;
    node.hi = m.max;
  } else {
    node.op = m.kind == K::kAll ? Op::kAll : m.kind == K::kAny ? Op::kAny : Op::kNot;
    for (const ItemMatch& x : m.of) compile_node(x, set);
  }
  node.end = uint32_t(set->nodes.size());
  set->nodes[at] = node;
}

bool Engine::ItemSet::test(uint32_t n, const fmt::ItemRecord& r, uint32_t item,
                           int64_t now_s) const {
  const Node& x = nodes[n];
  switch (x.op) {
    case Op::kBits:
      return (bits[x.arg + (item >> 6)] >> (item & 63) & 1) != 0;
    case Op::kDeal:
      return is_deal(r, now_s);
    case Op::kNew:
      return launched_within(r, x.arg, now_s);
    case Op::kPrice: {
      const int64_t price = effective_price(r, now_s);
      return (x.lo == ItemMatch::kOpen || price >= x.lo) &&
             (x.hi == ItemMatch::kOpen || price <= x.hi);
    }
    case Op::kNot:
      return !test(n + 1, r, item, now_s);
    case Op::kAll:
    case Op::kAny:
      for (uint32_t c = n + 1; c < x.end; c = nodes[c].end) {
        if (test(c, r, item, now_s) != (x.op == Op::kAll)) return x.op == Op::kAny;
      }
      return x.op == Op::kAll;
  }
  return false;
}

namespace {

// The order list rules are applied in: the document's first, then the campaigns' by
// priority, each in the list's order -- the later of two that conflict wins.
std::vector<uint32_t> by_priority(const std::vector<int64_t>& rank) {
  std::vector<uint32_t> order(rank.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return rank[a] < rank[b]; });
  return order;
}

constexpr int64_t kDocumentRank = INT64_MIN;  // below every campaign's priority

}  // namespace

void Engine::set_rules(const Rules& rules) {
  rules_ = rules;
  config_.context = rules.context;
  compile_exclusions();
  boost_rules_.clear();
  for (const BoostRule& b : rules_.boosts) boost_rules_.push_back(&b);
  campaign_boost_base_.clear();
  for (const CampaignRule& c : rules_.campaigns) {
    campaign_boost_base_.push_back(boost_rules_.size());
    for (const BoostRule& b : c.boosts) boost_rules_.push_back(&b);
  }
  boost_sets_.clear();
  boost_scopes_.clear();
  for (const BoostRule* b : boost_rules_) {
    boost_sets_.push_back(compile(b->match));
    boost_scopes_.push_back(compile_scope(b->scope));
  }
  compile_list_rules();
  compile_complements();
  // Exploration candidates: everything launched at some date or seldom seen, newest first
  // (then in catalog order), the first kExplorePool of them.
  explore_pool_.clear();
  if (rules_.exploration.slots > 0) {
    std::vector<std::pair<uint32_t, uint32_t>>
        pool;  // (launch, item): no record read per comparison
    for (uint32_t i = 0; i < snap_.item_count(); ++i) {
      const uint32_t launch = snap_.record(i).launch;
      if (launch != 0 || snap_.popularity(i).views <= rules_.exploration.max_views)
        pool.emplace_back(launch, i);
    }
    std::stable_sort(pool.begin(), pool.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t k = 0; k < pool.size() && k < kExplorePool; ++k)
      explore_pool_.push_back(pool[k].second);
  }
}

// Exclusions everywhere whatever the time merged into one set; by promo or launch, each a
// set tested at the request; aimed ones, or a campaign's, where and while they apply.
void Engine::compile_exclusions() {
  excluded_ = ItemSet();
  excluded_.bits.assign((size_t(snap_.item_count()) + 63) / 64, 0);
  timed_excluded_.clear();
  scoped_excluded_.clear();
  exclusion_scopes_.clear();
  auto add = [&](const ExclusionRule& x, const CampaignRule* campaign) {
    ItemSet one = compile(x.match);
    if (campaign != nullptr || !x.scope.everywhere()) {
      scoped_excluded_.push_back(std::move(one));
      exclusion_scopes_.push_back(compile_scope(x.scope, campaign));
    } else if (one.timed()) {
      timed_excluded_.push_back(std::move(one));
    } else {
      for (size_t w = 0; w < one.bits.size(); ++w) excluded_.bits[w] |= one.bits[w];
    }
  };
  for (const ExclusionRule& x : rules_.exclusions) add(x, nullptr);
  for (const CampaignRule& c : rules_.campaigns) {
    for (const ExclusionRule& x : c.exclusions) add(x, &c);
  }
  active_exclusions_.clear();
  active_exclusions_.reserve(scoped_excluded_.size());
}

// Quotas and pins, the document's then the campaigns', and the order they apply in.
void Engine::compile_list_rules() {
  quota_rules_.clear();
  quota_sets_.clear();
  quota_scopes_.clear();
  pin_rules_.clear();
  pin_items_.clear();
  pin_scopes_.clear();
  std::vector<int64_t> quota_rank, pin_rank;
  auto add = [&](const std::vector<QuotaRule>& quotas, const std::vector<PinRule>& pins,
                 const CampaignRule* campaign) {
    const int64_t rank = campaign != nullptr ? campaign->priority : kDocumentRank;
    for (const QuotaRule& q : quotas) {
      quota_rules_.push_back(&q);
      quota_sets_.push_back(compile(q.match));
      quota_scopes_.push_back(compile_scope(q.scope, campaign));
      quota_rank.push_back(rank);
    }
    for (const PinRule& p : pins) {
      uint32_t i = fmt::kNone;
      snap_.find_item(p.item, &i);
      pin_rules_.push_back(&p);
      pin_items_.push_back(i);
      pin_scopes_.push_back(compile_scope(p.scope, campaign));
      pin_rank.push_back(rank);
    }
  };
  add(rules_.quotas, rules_.pins, nullptr);
  for (const CampaignRule& c : rules_.campaigns) add(c.quotas, c.pins, &c);
  quota_order_ = by_priority(quota_rank);
  pin_order_ = by_priority(pin_rank);
  pin_rank_ = std::move(pin_rank);
}

bool Engine::excluded(const fmt::ItemRecord& r, uint32_t item, int64_t now_s) const {
  if (excluded_.bits[item >> 6] >> (item & 63) & 1) return true;
  return std::any_of(timed_excluded_.begin(), timed_excluded_.end(),
                     [&](const ItemSet& s) { return s.has(r, item, now_s); });
}

bool Engine::excluded_here(const fmt::ItemRecord& r, uint32_t item, int64_t now_s) const {
  return excluded(r, item, now_s) ||
         std::any_of(active_exclusions_.begin(), active_exclusions_.end(),
                     [&](uint32_t x) { return scoped_excluded_[x].has(r, item, now_s); });
}

Engine::Scope Engine::compile_scope(const RuleScope& scope, const CampaignRule* campaign) const {
  Scope s;
  s.rule = &scope;
  if (campaign != nullptr) {
    s.start_ms = campaign->start_ms;
    s.end_ms = campaign->end_ms;
  }
  if (!scope.pages.empty()) s.pages = categories_named(scope.pages);
  return s;
}

std::vector<uint64_t> Engine::categories_named(const std::vector<std::string>& names) const {
  std::vector<uint64_t> bits((size_t(snap_.category_count()) + 63) / 64, 0);
  std::vector<std::string_view> path;
  for (uint32_t c = 0; c < snap_.category_count(); ++c) {
    snap_.category_path(c, &path);
    const bool in = std::any_of(path.begin(), path.end(), [&](std::string_view name) {
      return std::find(names.begin(), names.end(), name) != names.end();
    });
    if (in) bits[c >> 6] |= uint64_t(1) << (c & 63);
  }
  return bits;
}

// The rules' complements, resolved against the catalog: ids it lacks are left out.
void Engine::compile_complements() {
  complement_targets_.clear();
  complement_by_item_.clear();
  complement_by_category_.clear();
  complement_category_entry_.clear();
  for (const ComplementRule& x : rules_.complements) {
    const uint32_t entry = uint32_t(complement_targets_.size());
    complement_targets_.emplace_back();
    for (const std::string& id : x.with) {
      uint32_t target;
      if (snap_.find_item(id, &target)) complement_targets_.back().push_back(target);
    }
    uint32_t item;
    if (!x.item.empty() && snap_.find_item(x.item, &item)) {
      complement_by_item_.emplace_back(item, entry);
    } else if (!x.category.empty()) {
      complement_by_category_.push_back(categories_named({x.category}));
      complement_category_entry_.push_back(entry);
    }
  }
  std::sort(complement_by_item_.begin(), complement_by_item_.end());
}

// Whether every scope the rule gives holds where the list is shown (aim()).
bool Engine::applies(const Scope& s) const {
  const RuleScope& r = *s.rule;
  if (here_.now_ms < s.start_ms || here_.now_ms >= s.end_ms) return false;
  if (!placement_in(r.placements, here_.placement)) return false;
  if (r.segments != 0 && (r.segments & here_.segments) == 0) return false;
  if (!s.pages.empty() &&
      std::none_of(here_.categories.begin(), here_.categories.begin() + long(here_.category_count),
                   [&](uint32_t c) { return s.pages[c >> 6] >> (c & 63) & 1; }))
    return false;
  const std::string_view search(here_.search.data(), here_.search_size);
  return r.search_terms.empty() ||
         std::any_of(r.search_terms.begin(), r.search_terms.end(),
                     [&](const std::string& word) { return contains_ci(search, word); });
}

bool Engine::pin_applies(size_t pin) const {
  return pin < pin_scopes_.size() && applies(pin_scopes_[pin]);
}

bool Engine::quota_applies(size_t quota) const {
  return quota < quota_scopes_.size() && applies(quota_scopes_[quota]);
}

bool Engine::excluded_where_shown(uint32_t item) const {
  return item < snap_.item_count() && excluded_here(snap_.record(item), item, here_.now_ms / 1000);
}

bool Engine::available(uint32_t item, int64_t now_ms) const {
  if (item >= snap_.item_count()) return false;
  const fmt::ItemRecord it = snap_.record(item);
  return (it.flags & fmt::kRecommendable) &&
         it.availability != uint8_t(Availability::kOutOfStock) &&
         !excluded(it, item, now_ms / 1000);
}

bool Engine::quota_member(size_t quota, uint32_t item, int64_t now_ms) const {
  return quota < quota_sets_.size() && item < snap_.item_count() &&
         quota_sets_[quota].has(snap_.record(item), item, now_ms / 1000);
}

}  // namespace aisle
