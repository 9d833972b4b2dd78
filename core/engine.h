// "What should this shopper see now?": candidate sources from the snapshot blended per
// placement, filtered, capped and explained (docs/algorithms.md). The same code runs in
// the browser (wasm), in `aisle recommend` and in `aisle eval`. After warm-up a query
// allocates nothing: all scratch lives in the Engine and is reused.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "context.h"
#include "profile.h"
#include "reasons.h"
#include "rules.h"
#include "session.h"
#include "snapshot.h"

namespace aisle {

struct Strategy {
  std::array<float, kSourceCount>
      weight{};                   // blend weight of each source (scores are normalized per query)
  float context_decay = 0.5f;     // weight of the r-th most recent context item: decay^r
  uint32_t max_per_group = 1;     // 0: no cap
  uint32_t max_per_category = 0;  // 0: half of the list, rounded up
  bool exclude_seen = false;      // drop items already viewed in this visit
};

struct ListInfo {
  ListMode mode = ListMode::kStandard;
  uint32_t slots = 0;  // how many items the placement shows now (<= request.k)
  ShopperContext context;
};

// The context behaviours' knobs (docs/algorithms.md, "Context").
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
                                  // their category are left out
  float same_brand_boost = 0.3f;  // after a premium purchase: same-brand items gain this share
  uint32_t durable_memory_days =
      180;  // a durable bought this long ago still suppresses its substitutes
};

struct EngineConfig {
  std::array<Strategy, kPlacementCount> strategy;  // defaults from default_strategies()
  uint32_t context_items = 5;                      // latest distinct items that form the context
  uint32_t knn_session_items = 10;  // latest distinct items matched against indexed sessions
  uint32_t knn_sessions_per_item = 500;
  uint32_t knn_neighbors = 200;
  float knn_idf = 2.0f;             // exponent of the inverse session frequency
  float knn_position_decay = 5.0f;  // > 0: neighbor items decay by distance to the shared item
  ContextThresholds context;
  EffectConfig effects;
  EngineConfig();
};

struct Request {
  Placement placement = Placement::kNextItem;
  uint32_t item = fmt::kNone;      // the product on the page
  uint32_t category = fmt::kNone;  // the category browsed or entered
  uint32_t k = 10;
  int64_t now_ms = 0;
  const Profile* profile = nullptr;  // earlier visits of a returning visitor
};

struct Reason {
  Source source;
  float contribution;  // share of the item's score
  Anchor anchor;       // what is behind it: an item, a category, a rule (reasons.h)
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

class Engine {
 public:
  explicit Engine(const Snapshot& snapshot, const EngineConfig& config = EngineConfig());
  // Up to request.k items into `out` (cleared); never empty while the catalog has an
  // eligible item.
  void recommend(const Session& session, const Request& request, std::vector<Recommendation>* out,
                 ListInfo* info = nullptr);
  std::string reason_text(const Reason& r) const;
  // Where `item` would rank for this request (ignoring request.k) and why.
  Explanation explain(const Session& session, const Request& request, uint32_t item);
  // Merchant rules on top of the defaults (replacing earlier ones). The snapshot's own
  // rules, if it has any, are set at construction; rules_status() says if they failed.
  void set_rules(const Rules& rules);
  const Rules& rules() const { return rules_; }
  const Status& rules_status() const { return rules_status_; }
  // For checks of what the rules promise (aisle qa): whether an item can be shown at all
  // (recommendable, in stock, not excluded), and whether it belongs to a quota's group.
  bool available(uint32_t item) const;
  bool quota_member(size_t quota, uint32_t item, int64_t now_ms) const;
  const EngineConfig& config() const { return config_; }

 private:
  struct Candidate {
    uint32_t item;
    float score;
    std::array<float, kSourceCount> raw;
    std::array<uint32_t, kSourceCount> anchor;  // index of each source's anchor kind (reasons.h)
  };
  void add(uint32_t item, Source s, float value, uint32_t anchor);
  void collect_context(const Session& session, const Request& request);
  void add_item_sources(uint32_t anchor, float w, const Strategy& st);
  void add_neighbors(const Session& session);
  void add_list(IdList list, Source s, uint32_t anchor);
  bool eligible(uint32_t item, const Session& session, const Request& request, const Strategy& st,
                bool pinned = false) const;
  void select(const Session& session, const Request& request, const Strategy& st,
              std::vector<Recommendation>* out);
  void fill_fallback(const Session& session, const Request& request, const Strategy& st,
                     std::vector<Recommendation>* out);
  uint32_t context_category(const Request& request) const;
  void add_context_sources(const Request& request, const Strategy& st);
  void apply_effects(const Request& request, const ShopperContext& ctx);
  bool compare_list(const Session& session, const Request& request, const ShopperContext& ctx,
                    std::vector<Recommendation>* out);
  bool suppressed(const fmt::ItemRecord& item, const Request& request) const;
  void reset();
  Strategy effective_strategy(Placement p, const ShopperContext& ctx, uint32_t* slots) const;
  void apply_rules(const Request& request);
  void apply_list_rules(const Session& session, const Request& request, const Strategy& st,
                        std::vector<Recommendation>* out);
  struct ItemSet {
    std::vector<uint64_t> bits;
    uint32_t new_days = 0;  // > 0: members count only while launched within this many days
    bool has(const fmt::ItemRecord& r, uint32_t item, int64_t now_s) const {
      if (!(bits[item >> 6] >> (item & 63) & 1)) return false;
      return new_days == 0 ||
             (r.launch != 0 && now_s - int64_t(r.launch) <= int64_t(new_days) * 86400);
    }
  };
  ItemSet compile(const ItemMatch& m) const;

  const Snapshot& snap_;
  EngineConfig config_;
  std::vector<uint32_t> slot_of_;  // item -> index in cands_, or kNone
  std::vector<Candidate> cands_;
  std::vector<std::pair<uint32_t, float>> context_;  // (item, weight), most recent first
  std::vector<float> session_sim_;                   // indexed session -> similarity
  std::vector<uint32_t> touched_sessions_;
  std::vector<uint32_t> group_used_, category_used_;
  std::vector<uint32_t> order_;
  std::vector<uint32_t> suppressed_categories_;  // leaf categories of durables bought
  uint32_t bundle_group_ = fmt::kNone;           // the group being assembled: no more of it
  uint32_t price_ceiling_ = 0;                   // hundredths; 0: none
  // Per-query caches of category price quantiles (kNone: not computed yet).
  enum QuantileKind { kBargainFloor = 0, kCampaignCeiling = 1 };
  static constexpr float kCampaignCeilingQuantile = 0.7f;  // campaigns demote dear items above it
  uint32_t price_quantile(uint32_t category, QuantileKind kind);
  std::array<std::vector<uint32_t>, 2> quantile_cache_;
  std::vector<uint32_t> touched_categories_;
  Rules rules_;
  Status rules_status_;
  ItemSet excluded_;
  std::vector<ItemSet> boost_sets_, quota_sets_;
  std::vector<std::vector<ItemSet>> campaign_sets_;
  std::vector<uint32_t> explore_pool_, pin_items_;
  std::vector<const BoostRule*> boost_rules_;  // by kBoost anchor: the boosts, then campaigns'
  std::vector<size_t> campaign_boost_base_;    // each campaign's first kBoost anchor
  std::vector<Recommendation> scratch_list_;
  std::vector<Recommendation> explain_list_;
};

}  // namespace aisle
