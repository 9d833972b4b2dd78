// Merchant rules: boosts, guaranteed shares (quotas), exploration slots, pins,
// exclusions, time-boxed campaigns, and per-placement and per-segment strategies
// (docs/rules.md). Parsed from JSON -- safe for untrusted input: every error names its
// JSON path and unknown keys are rejected -- and compiled by the engine against a
// snapshot into item sets.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "context.h"
#include "status.h"

namespace aisle {

constexpr size_t kRuleSourceCount = 19;  // >= kSourceCount (checked in engine.cpp)
constexpr size_t kPlacementRuleCount = 7;

// Which items a rule is about.
struct ItemMatch {
  enum class Kind : uint8_t {
    kItem,
    kLabel,
    kBrand,
    kCategory,
    kMarginTier,
    kPromo,
    kNewArrival
  } kind = Kind::kItem;
  std::string value;       // id, "key=value" label, brand, category name (any level), margin tier
  uint32_t new_days = 30;  // kNewArrival: launched within this many days
};

struct BoostRule {
  std::string name;  // shown in explanations ("Core series")
  ItemMatch match;
  float factor = 1.0f;      // score multiplier, > 0
  uint32_t placements = 0;  // bit per Placement; 0: every placement
};

struct QuotaRule {
  std::string name;
  ItemMatch match;
  float min_share = 0;  // of the slots, 0..1
  uint32_t placements = 0;
};

struct ExplorationRule {
  uint32_t slots = 0;          // 0: off
  uint32_t max_age_days = 30;  // new: launched within this many days
  uint32_t max_views = 20;     // or low exposure: at most this many views in the logs
  uint32_t placements = 0;
};

struct PinRule {
  std::string item;
  uint32_t position = 1;  // 1-based
  uint32_t placements = 0;
};

struct CampaignRule {
  std::string name;
  int64_t start_ms = 0, end_ms = 0;  // active in [start, end)
  std::vector<BoostRule> boosts;
  bool demote_expensive_non_promo = false;
  bool favour_bundles = false;
};

struct StrategyOverride {
  uint32_t slots = 0;  // 0: keep
  std::array<float, kRuleSourceCount> weight{};
  std::array<bool, kRuleSourceCount> has_weight{};
};

// Segments: the traffic classes, then the two visitor types.
constexpr size_t kSegmentCount = size_t(TrafficClass::kCount) + 2;
constexpr size_t kNewVisitorSegment = size_t(TrafficClass::kCount);
constexpr size_t kReturningVisitorSegment = size_t(TrafficClass::kCount) + 1;

struct Rules {
  std::vector<BoostRule> boosts;
  std::vector<QuotaRule> quotas;
  ExplorationRule exploration;
  std::vector<PinRule> pins;
  std::vector<ItemMatch> exclusions;
  std::vector<CampaignRule> campaigns;
  std::array<StrategyOverride, kPlacementRuleCount> placements;
  std::array<StrategyOverride, kSegmentCount> segments;
  ContextThresholds context;
};

// Parses a rules document. `field_mapping` is accepted and left to the tools (it shapes
// ingestion, not recommendations).
Status parse_rules_json(std::string_view json, Rules* out);

}  // namespace aisle
