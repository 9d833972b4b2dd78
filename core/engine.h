// "What should this shopper see now?": candidate sources from the snapshot blended per
// placement, adjusted by the shopper's context and the merchant's rules, selected,
// capped and explained (docs/algorithms.md). The same code runs in the browser (wasm), in
// `aisle recommend` and in `aisle eval`. After warm-up a query allocates nothing: all
// scratch lives in the Engine and is reused.
//
//   Engine engine(snapshot);                 // the snapshot's compiled-in rules applied
//   Request req;
//   req.placement = Placement::kProduct;
//   req.item = page_item;
//   req.now_ms = now_ms;
//   std::vector<Recommendation> list;
//   engine.recommend(session, req, &list);   // best first, with reasons
//
// One query is a pipeline of named steps, each in the file of its stage:
//   engine.cpp             the pipeline, rules compiled into item sets
//   engine_candidates.cpp  candidate sources, blended
//   engine_adjust.cpp      context effects, boosts and campaigns
//   engine_select.cpp      eligibility, caps, fallback, comparison, pins, exploration, quotas
//   engine_explain.cpp     reason texts, "why this item"
//   engine_defaults.cpp    the per-placement strategies (engine_config.h: every knob)
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "context.h"
#include "engine_config.h"
#include "profile.h"
#include "reasons.h"
#include "rules.h"
#include "session.h"
#include "similar.h"
#include "snapshot.h"

namespace aisle {

// Whether the catalog says item `i` matches `m` (kNewArrival: has a launch date; its window
// is the request's). What the engine compiles rules with, and `aisle publish` too. `path`
// is scratch space.
bool catalog_match(const Snapshot& snap, const ItemMatch& m, uint32_t i,
                   std::vector<std::string_view>* path);
// Every item the catalog says matches `m`, in index order (an id: a lookup, not a pass; a
// combination: a pass per match in it, combined as sets).
std::vector<uint32_t> catalog_matches(const Snapshot& snap, const ItemMatch& m);
// Whether `m` depends on the request's time (a deal, a launch window, the price paid), in
// whole or in part: the catalog alone cannot decide it once and for all.
bool timed_match(const ItemMatch& m);

// The parameters aisle build tunes on a store's held-out sessions (docs/algorithms.md,
// "Self-tuning"): read from a config, applied to one (the engine applies a snapshot's).
fmt::TuningRecord tuning_of(const EngineConfig& config);
void apply_tuning(const fmt::TuningRecord& t, EngineConfig* config);

// Whether the catalog offers item `i` as a gift, from what exports carry without a special
// column (docs/algorithms.md, "Buying a present"): a category on its path names a gift ("Gift
// Sets", "Gifts > For him") or a label does ("gift=yes", "tag=Gift ideas"); a gift label whose
// value says no ("gift=no", "false", "0") wins over both. `path` is scratch space.
bool giftable(const Snapshot& snap, uint32_t i, std::vector<std::string_view>* path);

// Whether the item was launched at most `days` before `now_s` (or is dated later): the one
// test of "new" for rules, exploration and reasons. Never without a launch date or a time
// (now_s 0: a request without a time on a snapshot without events).
inline bool launched_within(const fmt::ItemRecord& r, uint32_t days, int64_t now_s) {
  return r.launch != 0 && now_s > 0 && now_s - int64_t(r.launch) <= int64_t(days) * 86400;
}

struct ListInfo {
  ListMode mode = ListMode::kStandard;
  uint32_t slots = 0;  // how many items the placement shows now (<= request.k)
  ShopperContext context;
};

struct Request {
  Placement placement = Placement::kNextItem;
  uint32_t item = fmt::kNone;      // the product on the page
  uint32_t category = fmt::kNone;  // the category browsed or entered
  uint32_t k = 10;
  int64_t now_ms = 0;
  const Profile* profile = nullptr;  // earlier visits of a returning visitor
  // All k slots, for a theme's grid of k: the product page does not show a neutral or
  // decisive shopper fewer items (fit_slots). The merchant's `slots` still cap k.
  bool fill = false;
};

// What the item's own events back of a popularity reason's claim (bits; docs/algorithms.md,
// "What a reason claims"): units sold, recent interest. Set when the reason is made, for
// the best-seller, trending and comparison reasons; 0 elsewhere.
enum Backing : uint8_t { kSells = 1, kTrending = 2 };

struct Reason {
  Source source;
  float contribution;   // share of the item's score
  Anchor anchor;        // what is behind it: an item, a category, a rule (reasons.h)
  uint8_t backing = 0;  // Backing bits
};

struct Recommendation {
  uint32_t item;
  float score;
  std::array<Reason, 3> reasons;  // strongest first
  uint8_t reason_count;
};

// Why an item is (or is not) recommended for a request: "explain this item".
struct Explanation {
  bool available = false;  // can be shown at all: recommendable, in stock, not excluded
  int32_t rank = -1;       // 0-based position in the placement's longest list (kMaxExplainRank
                           // items); -1 when it does not make that list
  Recommendation rec{};    // its score and reasons when rank >= 0
  ListInfo info;           // the context and mode of that list
};
constexpr uint32_t kMaxExplainRank = 100;
// Bounds of the pools the engine draws from whatever the visit, so that what it reads
// for a list is bounded whatever the catalog's size (and a shard can hold them).
constexpr size_t kExplorePool = 500;  // the newest (then least seen) candidates for exploration
constexpr size_t kGiftPool = 500;     // the most popular gift ideas

class Engine {
 public:
  explicit Engine(const Snapshot& snapshot, const EngineConfig& config = EngineConfig());
  // Up to request.k items into `out` (cleared); never empty while the catalog has an
  // eligible item.
  void recommend(const Session& session, const Request& request, std::vector<Recommendation>* out,
                 ListInfo* info = nullptr);
  std::string reason_text(const Reason& r) const;
  void append_reason_text(const Reason& r, std::string* out) const;  // allocation-free once grown
  // The merchant rule behind a boost or quota reason (its internal name, for explanations
  // to the merchant, never for shoppers); nullptr for other reasons.
  const std::string* rule_of(const Reason& r) const;
  // Where `item` would rank for this request (ignoring request.k) and why.
  Explanation explain(const Session& session, const Request& request, uint32_t item);
  // Merchant rules on top of the defaults (replacing earlier ones). The snapshot's own
  // rules, if it has any, are set at construction; rules_status() says if they failed.
  void set_rules(const Rules& rules);
  const Rules& rules() const { return rules_; }
  const Status& rules_status() const { return rules_status_; }
  // For checks of what the rules promise (aisle qa): whether an item can be shown at all
  // (recommendable, in stock, not excluded), and whether it belongs to a quota's group.
  bool available(uint32_t item, int64_t now_ms) const;
  bool quota_member(size_t quota, uint32_t item, int64_t now_ms) const;
  // Every pin and quota the engine applies: the document's, then the campaigns' (their
  // indices below and in quota_member), in order.
  const std::vector<const PinRule*>& pin_rules() const { return pin_rules_; }
  const std::vector<const QuotaRule*>& quota_rules() const { return quota_rules_; }
  // The pins' indices in the order they are placed: of two on one slot, the later takes it;
  // and each pin's rank there (the document's lowest, then campaigns' by priority).
  const std::vector<uint32_t>& pin_order() const { return pin_order_; }
  // The items a list may take whatever the visit, beyond the snapshot's best sellers and
  // new arrivals: the exploration pool, the gift ideas, pinned items and the rules'
  // complements (a shard of the snapshot holds them all: tools/publish/shards.h).
  std::vector<uint32_t> pool_items() const;
  int64_t pin_rank(size_t pin) const { return pin_rank_[pin]; }
  // Whether a pin's or a quota's scope (RuleScope; a campaign's: its window too) holds where
  // the last list recommend() made is shown, and whether an exclusion rules `item` out there.
  bool pin_applies(size_t pin) const;
  bool quota_applies(size_t quota) const;
  bool excluded_where_shown(uint32_t item) const;
  // The slots a quota guarantees in a list of `slots`.
  static uint32_t quota_slots(const QuotaRule& rule, uint32_t slots);
  // An item's content-similar items as the engine reads them (core/similar.h): valid until
  // the next call.
  ScoredList similar(uint32_t item) const { return similar_.of(item); }
  // What the store sells with `item`: the catalog's cross-sells and up-sells (the snapshot's
  // hints), then the rules' `complements` for it or its category. f(target) for each.
  template <typename F>
  void for_each_hint(uint32_t item, F f) const {
    for (uint32_t i = 0, n = snap_.hint_count(item); i < n; ++i) {
      uint32_t target;
      HintKind kind;
      snap_.hint(item, i, &target, &kind);
      f(target);
    }
    auto take = [&](uint32_t entry) {
      for (uint32_t target : complement_targets_[entry]) {
        if (target != item) f(target);
      }
    };
    auto it = std::lower_bound(complement_by_item_.begin(), complement_by_item_.end(),
                               std::make_pair(item, uint32_t(0)));
    for (; it != complement_by_item_.end() && it->first == item; ++it) take(it->second);
    const uint32_t c = snap_.record(item).category;
    for (size_t k = 0; c != fmt::kNone && k < complement_by_category_.size(); ++k) {
      if (complement_by_category_[k][c >> 6] >> (c & 63) & 1) take(complement_category_entry_[k]);
    }
  }
  // Whether the list rules could add `item` to the last list recommend() made: it is on the
  // page's topic (note_topic in engine_candidates.cpp) and no substitute the visit rules out.
  bool may_fill(uint32_t item) const;

 private:
  struct Candidate {
    uint32_t item;
    float score;
    std::array<float, kSourceCount> raw;
    std::array<uint32_t, kSourceCount> anchor;  // index of each source's anchor kind (reasons.h)
  };
  // The pipeline (engine.cpp).
  Request checked(const Request& in, const Session& session) const;
  Strategy plan(const Session& session, Request* request, ShopperContext* ctx, ListInfo* li) const;
  Strategy effective_strategy(Placement p, const ShopperContext& ctx, uint32_t* slots) const;
  void rule_out(const Session& session, const Request& request, const ShopperContext& ctx,
                const Strategy& st);
  void fit_slots(const ShopperContext& ctx, Request* request, ListInfo* li) const;
  // Candidates (engine_candidates.cpp).
  void gather(const Session& session, const Request& request, const ShopperContext& ctx,
              const Strategy& st);
  void add(uint32_t item, Source s, float value, uint32_t anchor);
  void collect_context(const Session& session, const Request& request, bool own_past);
  void add_item_sources(uint32_t anchor, float w, const Strategy& st);
  void add_neighbors(const Session& session);
  void add_list(IdList list, Source s, uint32_t anchor);
  void add_context_sources(const Request& request, const Strategy& st);
  void add_gift_ideas(const Session& session, const Request& request);
  void note_complements(uint32_t premium);
  void add_brand_complements(uint32_t premium);
  bool complement_category(uint32_t category) const;
  template <typename F>
  void for_each_complement(uint32_t item, F f) const;
  void note_topic(const Session& session, const Request& request);
  template <typename F>
  void for_each_page_item(const Session& session, const Request& request, F f) const;
  void aim(const Session& session, const Request& request, const ShopperContext& ctx);
  bool on_topic(uint32_t item) const;
  uint32_t context_category(const Request& request) const;
  IdList new_arrivals(const Request& request) const;
  void blend(const Strategy& st);
  void reset();
  // Adjustments (engine_adjust.cpp).
  void apply_effects(const Request& request, const ShopperContext& ctx);
  void apply_rules(const Request& request);
  bool bargain_bin(const fmt::ItemRecord& it, const fmt::ItemRecord& premium);
  // Selection (engine_select.cpp).
  bool eligible(uint32_t item, const Session& session, const Request& request,
                bool pinned = false) const;
  bool suppressed(const fmt::ItemRecord& item) const;
  bool show_comparison(const Session& session, const Request& request, const ShopperContext& ctx,
                       std::vector<Recommendation>* out, ListInfo* li);
  bool compare_list(const Session& session, const Request& request, const ShopperContext& ctx,
                    std::vector<Recommendation>* out);
  void select(const Session& session, const Request& request, const Strategy& st,
              std::vector<Recommendation>* out);
  void fill_fallback(const Session& session, const Request& request,
                     std::vector<Recommendation>* out);
  void apply_list_rules(const Session& session, const Request& request,
                        std::vector<Recommendation>* out);
  void place_pins(const Session& session, const Request& request,
                  std::vector<Recommendation>* out) const;
  void fill_exploration(const Session& session, const Request& request,
                        std::vector<Recommendation>* out) const;
  void meet_quotas(const Session& session, const Request& request,
                   std::vector<Recommendation>* out);
  bool building_bundle(const std::vector<Recommendation>& list) const;
  // What a reason claims (engine_explain.cpp): a reason from `s` for `item`, its backing set.
  Reason reason(Source s, float contribution, Anchor anchor, uint32_t item) const;
  // A compiled match: what the catalog decides once (a bitset over the items), and what
  // holds only at the request's time (a deal, a launch window, the price paid), combined as
  // the match combines them. Nodes in preorder; a match the catalog decides is one kBits.
  struct ItemSet {
    enum class Op : uint8_t { kBits, kDeal, kNew, kPrice, kAll, kAny, kNot };
    struct Node {
      Op op = Op::kBits;
      uint32_t end = 1;        // the node after this one's subtree
      uint32_t arg = 0;        // kBits: its first word in `bits`; kNew: days
      int64_t lo = 0, hi = 0;  // kPrice: the range, hundredths (ItemMatch::kOpen: open)
    };
    std::vector<Node> nodes{Node{}};
    std::vector<uint64_t> bits;
    bool has(const fmt::ItemRecord& r, uint32_t item, int64_t now_s) const {
      return nodes[0].op == Op::kBits ? (bits[item >> 6] >> (item & 63) & 1) != 0
                                      : test(0, r, item, now_s);
    }
    bool test(uint32_t node, const fmt::ItemRecord& r, uint32_t item, int64_t now_s) const;
    bool timed() const { return nodes[0].op != Op::kBits; }
  };
  void compile_node(const ItemMatch& m, ItemSet* set) const;
  ItemSet compile(const ItemMatch& m) const;
  void compile_exclusions();
  void compile_list_rules();
  bool excluded(const fmt::ItemRecord& r, uint32_t item, int64_t now_s) const;  // everywhere
  bool excluded_here(const fmt::ItemRecord& r, uint32_t item, int64_t now_s) const;
  // Where a rule applies, compiled: its scope and the categories its `pages` name, with
  // those below them (bit per category; empty: any page); a campaign's rule, its window.
  struct Scope {
    const RuleScope* rule = nullptr;
    std::vector<uint64_t> pages;
    int64_t start_ms = INT64_MIN, end_ms = INT64_MAX;
  };
  Scope compile_scope(const RuleScope& scope, const CampaignRule* campaign = nullptr) const;
  bool applies(const Scope& scope) const;

  const Snapshot& snap_;
  SimilarItems similar_;  // the snapshot's content-similar lists, or computed ones
  EngineConfig config_;
  std::vector<uint32_t> slot_of_;  // item -> index in cands_, or kNone
  std::vector<Candidate> cands_;
  uint32_t sources_ = 0;  // bit per source that added to cands_ (blend reads only those)
  static_assert(kSourceCount <= 32, "a bit per source");
  std::vector<std::pair<uint32_t, float>> context_;  // (item, weight), most recent first
  std::vector<float> session_sim_;                   // indexed session -> similarity
  // Session kNN weights, computed once instead of a pow, a log and an exp per neighbour
  // item: each item's inverse session frequency, and the decay by distance in a session.
  std::vector<float> idf_;
  std::array<float, 64> near_{};
  float position_weight(uint32_t d) const {
    return d < near_.size() ? near_[d] : std::exp(-float(d) / config_.knn_position_decay);
  }
  std::vector<uint32_t> touched_sessions_;
  std::vector<uint32_t> group_used_, category_used_;
  std::vector<uint32_t> order_;  // eligible candidates (indices into cands_), see ranked()
  size_t ranked_ = 0;            // how many of order_'s first entries are sorted
  uint32_t ranked(size_t pos);
  std::vector<uint32_t> suppressed_categories_;  // substitutes: of durables bought, of the set
  uint32_t bundle_group_ = fmt::kNone;           // the group being assembled: no more of it
  uint32_t price_ceiling_ = 0;                   // hundredths; 0: none
  uint32_t premium_floor_ = fmt::kNone;  // the premium purchase whose bargain bin is left out
  // After a premium purchase: the leaf categories of what it (or another variant of its
  // model) is bought with or sold with, its own excepted.
  static constexpr size_t kMaxComplementCategories = 8;
  std::array<uint32_t, kMaxComplementCategories> complements_{};
  size_t complement_count_ = 0;
  // The page's topic for the list rules' fillers: leaf categories, the category browsed
  // (with its descendants), or open (any item) on pages about no item.
  static constexpr size_t kMaxTopicCategories = 16;
  std::array<uint32_t, kMaxTopicCategories> topic_{};
  size_t topic_count_ = 0;
  uint32_t topic_category_ = fmt::kNone;
  bool topic_open_ = true;
  // Per-query caches of category prices (kNone: not computed yet): quantiles, and the
  // cheapest price of the premium purchase's brand (kNoPrice: the brand sells none there).
  enum QuantileKind { kBargainFloor = 0, kCampaignCeiling = 1, kBrandEntry = 2 };
  static constexpr uint32_t kNoPrice = fmt::kNone - 1;
  uint32_t price_quantile(uint32_t category, QuantileKind kind);
  uint32_t brand_entry_price(uint32_t category, uint32_t brand);
  std::array<std::vector<uint32_t>, 3> quantile_cache_;
  std::vector<uint32_t> touched_categories_;
  Rules rules_;
  Status rules_status_;
  ItemSet excluded_;                              // the exclusions whatever the time, merged
  std::vector<ItemSet> timed_excluded_;           // by promo or newness: members only at a time
  std::vector<ItemSet> scoped_excluded_;          // the exclusions that apply somewhere only
  std::vector<Scope> exclusion_scopes_;           // ... and where (parallel)
  std::vector<uint32_t> active_exclusions_;       // of those, the ones that apply here (aim())
  std::vector<ItemSet> boost_sets_, quota_sets_;  // by kBoost anchor, by quota
  std::vector<Scope> boost_scopes_, quota_scopes_, pin_scopes_;
  // The rules' complements: each entry's items, resolved; entries by item (sorted); entries by
  // category (bit per category on their paths, and the entry's index).
  std::vector<std::vector<uint32_t>> complement_targets_;
  std::vector<std::pair<uint32_t, uint32_t>> complement_by_item_;
  std::vector<std::vector<uint64_t>> complement_by_category_;
  std::vector<uint32_t> complement_category_entry_;
  void compile_complements();
  // Categories whose path names one of `names` (bit per category): they and those below.
  std::vector<uint64_t> categories_named(const std::vector<std::string>& names) const;
  std::vector<const QuotaRule*> quota_rules_;      // the document's, then the campaigns'
  std::vector<const PinRule*> pin_rules_;          // the same
  std::vector<uint32_t> quota_order_, pin_order_;  // as applied: the winner of a conflict last
  std::vector<int64_t> pin_rank_;                  // each pin's rank in that order
  // Where the list is shown, for the rules' scopes (aim()): the placement, the visitor's
  // segments, the categories of the page's items (or the category browsed), the search.
  struct Here {
    Placement placement = Placement::kCount;
    uint32_t segments = 0;
    std::array<uint32_t, Session::kMaxCart> categories{};
    size_t category_count = 0;
    std::array<char, Session::kMaxSearchTerm> search{};
    size_t search_size = 0;
    int64_t now_ms = 0;
  } here_;
  std::vector<uint32_t> explore_pool_, pin_items_;  // the pool: at most kExplorePool
  std::vector<uint32_t> gift_ideas_;  // giftable items in stock, most popular first, kGiftPool
  std::vector<const BoostRule*> boost_rules_;  // by kBoost anchor: the boosts, then campaigns'
  std::vector<size_t> campaign_boost_base_;    // each campaign's first kBoost anchor
  std::vector<Recommendation> explain_list_;
  // The merchant rule behind a boost or quota reason (its anchor in range); all null else.
  struct RuleRef {
    const std::string* name = nullptr;
    const std::string* reason = nullptr;
    const ItemMatch* match = nullptr;
  };
  RuleRef rule_behind(const Reason& r) const;
};

}  // namespace aisle
