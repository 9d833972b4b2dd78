// Reference next-item algorithms for `aisle eval --baseline`, run through the same replay
// as the engine on the same split, so a merchant (and we) can see the margin on any data.
// Each reads the model the build made from the training log: its popularity, transitions
// and session index (docs/algorithms.md, "Baselines").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "snapshot.h"

namespace aisle {

enum class Baseline {
  kPop,    // the most popular training items (views, carts and purchases counted)
  kSr,     // sequential rules: items seen after the current one, 1/distance within 10 steps
  kSknn,   // session kNN: cosine of item sets, 100 of the 500 most recent sharing sessions
  kVsknn,  // V-SKNN: recent items of the session weigh more (1/age), and neighbours that
           // share a recent one; 100 of the 1,000 most recent sharing sessions
};
bool parse_baseline(std::string_view name, Baseline* out);
const char* baseline_name(Baseline b);
std::string baseline_names();  // "pop, sr, sknn, vsknn"

class BaselinePredictor {
 public:
  BaselinePredictor(const Snapshot& snap, Baseline kind);
  // The session so far (items, oldest first) -> up to k items, best first, never the
  // current (last) item.
  void predict(const std::vector<uint32_t>& prefix, uint32_t k, std::vector<uint32_t>* out);

 private:
  void knn(const std::vector<uint32_t>& prefix, bool vector_weights);
  void top(uint32_t k, uint32_t current, std::vector<uint32_t>* out);

  const Snapshot& snap_;
  Baseline kind_;
  std::vector<uint32_t> popular_;     // items by training popularity, most first
  std::vector<float> score_;          // per item, this prediction's scores
  std::vector<uint32_t> touched_;     // items scored this prediction
  std::vector<float> weight_;         // per item: its weight in the current session (0: absent)
  std::vector<uint32_t> candidates_;  // sessions sharing an item with the current one
  std::vector<uint32_t> seen_;        // per session: the prediction that last saw it
  std::vector<std::pair<float, uint32_t>> neighbours_;
  uint32_t stamp_ = 0;
};

}  // namespace aisle
