// Merchant rules: boosts, guaranteed shares (quotas), exploration slots, pins,
// exclusions, time-boxed campaigns, and per-placement and per-segment strategies
// (docs/rules.md). Parsed from JSON -- safe for untrusted input: every error names its
// JSON path and unknown keys are rejected -- and compiled by the engine against a
// snapshot into item sets.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "context.h"
#include "status.h"

namespace aisle {

constexpr size_t kRuleSourceCount = 19;  // >= kSourceCount (checked in engine.cpp)
constexpr size_t kPlacementRuleCount = 7;

// Which items a rule is about: one of the catalog's values, a price range, or several
// matches combined (docs/rules.md, "Matching items").
struct ItemMatch {
  enum class Kind : uint8_t {
    kItem,
    kLabel,
    kBrand,
    kCategory,
    kMarginTier,
    kPromo,
    kNewArrival,
    kAll,     // every one of `of`
    kAny,     // one of `of` at least
    kNot,     // not `of[0]`
    kPrice,   // the price paid at the request's time, in [min, max]
    kMargin,  // the price paid less the unit cost, as of the build, in [min, max]
    kStock    // units in stock as of the build, in [min, max]
  } kind = Kind::kItem;
  std::string value;       // id, "key=value" label, brand, category name (any level), margin tier
  uint32_t new_days = 30;  // kNewArrival: launched within this many days
  static constexpr int64_t kOpen = INT64_MIN;  // a range's min or max not given
  int64_t min = kOpen, max = kOpen;  // kPrice, kMargin: hundredths of the currency; kStock: units
  std::vector<ItemMatch> of;         // kAll, kAny, kNot
  bool in_range(int64_t v) const {
    return (min == kOpen || v >= min) && (max == kOpen || v <= max);
  }
};
// A match kind's key in the rules document: "item", "margin_tier", "new_arrival_days", "all".
const char* match_key(ItemMatch::Kind kind);
// Money as written: 1990 hundredths -> "19.9", 2000 -> "20".
std::string money_text(int64_t hundredths);

// Matches by margin or stock are decided by the catalog's unit costs and stock counts, which
// no snapshot holds (docs/privacy.md): `aisle build --rules` evaluates each into a label on
// the items it matches, build_time_label() ("~margin=15..", "~stock=1..5"), which is all the
// engine reads of it. A snapshot answers only the ranges its build evaluated: those of its
// own rules.
inline bool build_time(ItemMatch::Kind k) {
  return k == ItemMatch::Kind::kMargin || k == ItemMatch::Kind::kStock;
}
std::string build_time_label(const ItemMatch& m);
bool is_build_time_label(std::string_view label);
// A match by margin or stock, with its JSON path ("$.boosts[0].match.margin").
struct BuildTimeMatch {
  std::string path;
  ItemMatch match;
};

// Segments: the traffic classes, then the two visitor types (the `segments` strategies'
// keys), then the detected context (context_flag_name(): a rule's scope may name those too).
constexpr size_t kSegmentCount = size_t(TrafficClass::kCount) + 2;
constexpr size_t kNewVisitorSegment = size_t(TrafficClass::kCount);
constexpr size_t kReturningVisitorSegment = size_t(TrafficClass::kCount) + 1;
constexpr size_t kScopeSegmentCount = kSegmentCount + kContextFlagCount;
// A segment's index by its name ("paid_search", "returning_visitor", "gift"), or
// kScopeSegmentCount for none; and its name.
size_t segment_index(std::string_view name);
std::string segment_name(size_t segment);
// Every segment's name, for messages: "direct, ..., after_premium".
std::string segment_names(size_t count = kScopeSegmentCount);
// The segments a visitor with this context is in (bit per segment).
uint32_t segments_of(const ShopperContext& ctx);

// The keys of a rule's object that aim it (RuleScope).
constexpr std::array<const char*, 4> kScopeKeys = {"placements", "segments", "pages",
                                                   "search_terms"};

// Where a rule applies (docs/rules.md, "Aiming a rule"): every scope given must hold, and
// within one scope any of its values will do. Nothing given: everywhere.
struct RuleScope {
  uint32_t placements = 0;  // bit per Placement; 0: every placement
  uint32_t segments = 0;    // bit per segment (segment_index); 0: every visitor
  // Category names (any level of a path): pages about an item in one (a product page, a cart
  // or an order holding one) or about the category (a category page), or below it.
  std::vector<std::string> pages;
  // Lowercased text: the visit's latest search (Session::search_term) contains one.
  std::vector<std::string> search_terms;
  bool everywhere() const {
    return placements == 0 && segments == 0 && pages.empty() && search_terms.empty();
  }
};

// A rule's `name` is the merchant's (explanations, qa, diff, the studio); shoppers read its
// `reason` or, without one, the generic reason of what it matches -- never the name.
struct BoostRule {
  std::string name;    // internal ("High margin - push")
  std::string reason;  // what shoppers read ("Staff pick"); empty: the generic reason
  ItemMatch match;
  float factor = 1.0f;  // score multiplier, > 0
  RuleScope scope;
};

struct QuotaRule {
  std::string name, reason;  // as for BoostRule
  ItemMatch match;
  float min_share = 0;  // of the slots, 0..1
  RuleScope scope;
};

struct ExplorationRule {
  uint32_t slots = 0;          // 0: off
  uint32_t max_age_days = 30;  // new: launched within this many days
  uint32_t max_views = 20;     // or low exposure: at most this many views in the logs
  uint32_t placements = 0;
};

struct PinRule {
  std::string item;
  std::string reason;     // what shoppers read ("Staff pick"); empty: "Featured by the store"
  uint32_t position = 1;  // 1-based
  RuleScope scope;
};

// Items never shown where the scope holds.
struct ExclusionRule {
  ItemMatch match;
  RuleScope scope;
};

// Rules for a time: while active, their lists apply beside the document's. Where two
// conflict (pins on one slot, quotas for the same slots), a campaign's win over the
// document's, and among campaigns the higher `priority`, then the later one in the list.
struct CampaignRule {
  std::string name;
  int64_t start_ms = 0, end_ms = 0;  // active in [start, end)
  int32_t priority = 0;              // -1000..1000
  std::vector<BoostRule> boosts;
  std::vector<QuotaRule> quotas;
  std::vector<PinRule> pins;
  std::vector<ExclusionRule> exclusions;
  bool demote_expensive_non_promo = false;
  bool favour_bundles = false;
};

// Items the store sells with an item, or with every item of a category (any level of its
// path), for exports without cross-sells (Shopify): the engine takes them as the catalog's
// hints (complete the set, the cart's add-ons, "Goes with").
struct ComplementRule {
  std::string item, category;  // one of them
  std::vector<std::string> with;
};

struct StrategyOverride {
  uint32_t slots = 0;  // 0: keep
  std::array<float, kRuleSourceCount> weight{};
  std::array<bool, kRuleSourceCount> has_weight{};
};

struct Rules;

// An A/B test: visitors are split by a stable hash of visitor id and experiment name
// (the same in the native tools and the browser) into a holdout and variants, each
// variant's rules applied over the base rules (docs/rules.md, "Experiments").
enum class HoldoutShow : uint8_t { kNothing, kBestSellers };
struct ExperimentVariant {
  std::string name;                    // the merchant's; empty in a published snapshot
  std::string id;                      // what analytics carries: public_id(name) by default
  double share = 0;                    // of all visitors
  std::shared_ptr<const Rules> rules;  // overrides; never null
};
struct Experiment {
  std::string name;  // the merchant's; empty in a published snapshot (aisle publish)
  std::string id;    // what assignment hashes and analytics carries: public_id(name) by default
  double holdout_share = 0;  // of all visitors; holdout + variant shares = 1
  HoldoutShow holdout_show = HoldoutShow::kNothing;
  std::vector<ExperimentVariant> variants;
  double minimum_effect = 0.05;  // relative change of conversion the test should detect
};
constexpr const char* kHoldoutVariant = "holdout";

struct Rules {
  std::vector<BoostRule> boosts;
  std::vector<QuotaRule> quotas;
  ExplorationRule exploration;
  std::vector<PinRule> pins;
  std::vector<ExclusionRule> exclusions;
  std::vector<CampaignRule> campaigns;
  std::vector<ComplementRule> complements;
  std::array<StrategyOverride, kPlacementRuleCount> placements;
  // By segment: traffic classes, visitor types, then the detected context (segment_index()).
  std::array<StrategyOverride, kScopeSegmentCount> segments;
  ContextThresholds context;
  bool has_exploration = false, has_context = false;  // given in the document
  std::vector<Experiment> experiments;
  // A holdout shown best sellers: category and overall best sellers only, without the
  // context behaviours and the merchant's rules.
  bool plain = false;
  // The export's columns that field_mapping maps (ingestion's; nothing the engine applies):
  // their labels are the merchant's, like the label keys the rules match on.
  std::vector<std::string> mapped_columns;
};

// A label's key: before its '=', or the whole label ("color" of "color=red").
inline std::string_view label_key(std::string_view label) {
  return label.substr(0, label.find('='));
}

// The label keys that are the merchant's own: the columns field_mapping maps and every label
// key a rule matches on (campaigns and experiment variants too). `aisle publish` leaves them
// off the public file's items, and content similarity (core/similar.h) never counts them, so
// the merchant's snapshot and the public one give the same similar items. Distinct.
std::vector<std::string> private_label_keys(const Rules& rules);

// The id an experiment or a variant has in analytics and in a published snapshot, where its
// name is not: "x" and 8 hex digits of a 64-bit FNV-1a hash of the name. `aisle report
// --rules` maps it back to the name.
std::string public_id(std::string_view name);

// Where a visitor falls in an experiment: a point in [0, 1) from a 64-bit FNV-1a hash of
// the experiment id, a zero byte and the visitor id, mixed by MurmurHash3's finalizer. The
// holdout takes [0, holdout), then each variant its share in order.
double assignment_point(std::string_view experiment, std::string_view visitor);
struct Assignment {
  std::string experiment, variant;  // ids; variant: a variant's id or kHoldoutVariant
  bool holdout = false;
  HoldoutShow show = HoldoutShow::kNothing;
};
Assignment assign(const Experiment& experiment, std::string_view visitor);

// The rules a visitor sees: `base` with the overrides of their variant in every
// experiment (lists appended; exploration, context thresholds and strategy settings
// given by the variant replace the base's). `assignments` receives one entry per
// experiment.
Rules rules_for_visitor(const Rules& base, std::string_view visitor,
                        std::vector<Assignment>* assignments);

// Bounds on a rules document, so that compiling and applying rules is bounded work
// whatever the file (docs/rules.md, "Limits"). A document past one is refused with an
// error naming the JSON path.
struct RulesLimits {
  size_t max_bytes = size_t(1) << 20;  // the JSON text
  uint32_t max_boosts = 500;           // per list (the document, a campaign, a variant)
  uint32_t max_quotas = 50;
  uint32_t max_pins = 100;
  uint32_t max_exclusions = 1000;
  uint32_t max_campaigns = 100;
  uint32_t max_complements = 1000;  // entries; each `with` holds max_scope_values ids at most
  uint32_t max_experiments = 10;
  uint32_t max_variants = 10;  // per experiment
  // Item matches in the whole document, variants included, each nested one counted.
  uint32_t max_matches = 2000;
  // Of those, matches by label, brand, category, margin tier, promo, launch, price, margin
  // or stock:
  // compiling one is a pass over the catalog (about 10 ms per 100,000 items natively).
  uint32_t max_catalog_matches = 100;
  uint32_t max_text_bytes = 1024;  // names, match values, pinned ids
  uint32_t max_scope_values = 50;  // `pages` and `search_terms` of one rule, each
  uint32_t max_match_depth = 4;    // matches nested in all, any and not
};

// Parses a rules document. `field_mapping` is accepted and left to the tools (it shapes
// ingestion, not recommendations); `about` (who saved the file, when and why) is checked
// and ignored. `build_time` (optional) receives every match by margin or stock, variants'
// and campaigns' too, in document order.
Status parse_rules_json(std::string_view json, Rules* out, const RulesLimits& limits = {},
                        std::vector<BuildTimeMatch>* build_time = nullptr);

// parse_rules_json for a snapshot's engine (the studio, `aisle qa --rules`, `aisle recommend
// --rules`): a match by margin or stock must be one the snapshot's build evaluated, one of
// `snapshot_rules` (the snapshot's own); else an error at its path says it is evaluated at
// build time.
Status parse_rules_for_snapshot(std::string_view json, std::string_view snapshot_rules, Rules* out,
                                const RulesLimits& limits = {});

}  // namespace aisle
