// The default strategy of every placement: which candidate sources it blends, with which
// weights, and how varied its list is (the knobs themselves: engine_config.h).
#include <tuple>

#include "engine.h"
#include "engine_config.h"

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
                                               {S::kGlobalTop, 0.05f},
                                               {S::kTier, 1.0f}},  // after a premium purchase
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
  // Gift ideas, for a gift shopper only (a category page keeps to its category; next_item
  // predicts the next view).
  for (auto [placement, gift] :
       {std::pair{Placement::kHome, 1.0f}, std::pair{Placement::kSearchEmpty, 0.8f},
        std::pair{Placement::kProduct, 0.6f}, std::pair{Placement::kPostPurchase, 0.5f},
        std::pair{Placement::kCart, 0.4f}})
    st[size_t(placement)].weight[size_t(S::kGift)] = gift;
  // An experiment's holdout shown best sellers: no context sources, no personal ones.
  holdout = make({{S::kCategoryTop, 1.0f}, {S::kGlobalTop, 0.5f}}, 1, 0);
}

fmt::TuningRecord tuning_of(const EngineConfig& c) {
  const Strategy& next = c.strategy[size_t(Placement::kNextItem)];
  return fmt::TuningRecord{c.knn_idf,
                           c.knn_position_decay,
                           next.context_decay,
                           next.weight[size_t(Source::kHistory)],
                           next.weight[size_t(Source::kNeighbors)],
                           next.weight[size_t(Source::kTransitions)]};
}

void apply_tuning(const fmt::TuningRecord& t, EngineConfig* c) {
  Strategy& next = c->strategy[size_t(Placement::kNextItem)];
  c->knn_idf = t.knn_idf;
  c->knn_position_decay = t.knn_position_decay;
  next.context_decay = t.next_context_decay;
  next.weight[size_t(Source::kHistory)] = t.next_history;
  next.weight[size_t(Source::kNeighbors)] = t.next_neighbors;
  next.weight[size_t(Source::kTransitions)] = t.next_transitions;
}

}  // namespace aisle
