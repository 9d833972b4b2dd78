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
  kStan,   // STAN: V-SKNN's idea with three exponential decays (the item's place in the
           // session, the neighbour's age, the candidate's distance to the shared item)
  kVstan,  // VSTAN: STAN with V-SKNN's weighting of a neighbour's items and idf
};
bool parse_baseline(std::string_view name, Baseline* out);
const char* baseline_name(Baseline b);
std::string baseline_names();  // "pop, sr, sknn, vsknn, stan, vstan"

class BaselinePredictor {
 public:
  // `session_last_ms`: each indexed session's last event (ModelInput::session_last_ms), for
  // STAN's decay by a neighbour's age; `log_sessions`: the training log's sessions, for
  // VSTAN's idf (ModelInput::log_sessions). STAN and VSTAN need both (needs_training_log).
  BaselinePredictor(const Snapshot& snap, Baseline kind, std::vector<int64_t> session_last_ms = {},
                    uint64_t log_sessions = 0);
  // Whether the method needs what only the training log gives (a snapshot has no session
  // times): STAN and VSTAN.
  static bool needs_training_log(Baseline kind);
  // The session so far (items, oldest first) at `now_ms` -> up to k items, best first, never
  // the current (last) item.
  void predict(const std::vector<uint32_t>& prefix, int64_t now_ms, uint32_t k,
               std::vector<uint32_t>* out);

 private:
  void knn(const std::vector<uint32_t>& prefix, bool vector_weights);
  void stan(const std::vector<uint32_t>& prefix, int64_t now_ms, bool vstan);
  // The current session's distinct items, latest first: each marked in item_stamp_, its
  // latest place in the prefix in place_, its weight(that place, how many came before it) in
  // weight_, and the sessions holding any of them into candidates_. Returns the sum of the
  // squared weights.
  template <typename Weight>
  double gather(const std::vector<uint32_t>& prefix, Weight weight);
  bool in_session(uint32_t item) const {
    return item < item_stamp_.size() && item_stamp_[item] == stamp_;
  }
  void add_score(uint32_t item, double score);
  // The `sample` most recent of candidates_, the `kNeighbours` most similar of neighbours_.
  void keep_recent(uint32_t sample);
  void keep_nearest();
  void top(uint32_t k, uint32_t current, std::vector<uint32_t>* out);

  const Snapshot& snap_;
  Baseline kind_;
  std::vector<int64_t> session_last_ms_;
  uint64_t log_sessions_;
  std::vector<double> popularity_;     // per item, its training interactions
  std::vector<uint32_t> popular_;      // items by training popularity, most first
  std::vector<double> score_;          // per item, this prediction's scores
  std::vector<uint32_t> touched_;      // items scored this prediction
  std::vector<uint32_t> score_stamp_;  // per item: the prediction that last scored it
  std::vector<uint32_t> item_stamp_;   // per item: the prediction whose session holds it
  std::vector<uint32_t> place_;        // per item in the session: its latest place in the prefix
  std::vector<double> weight_;         // per item in the session: its weight
  std::vector<uint32_t> candidates_;   // sessions sharing an item with the current one
  std::vector<uint32_t> seen_;         // per session: the prediction that last saw it
  std::vector<std::pair<double, uint32_t>> neighbours_;
  uint32_t stamp_ = 0;
};

}  // namespace aisle
