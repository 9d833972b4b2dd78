// Candidate sources from interaction logs and the catalog (docs/algorithms.md):
// sequential co-view transitions, co-purchases, a bounded index of recent sessions,
// and content similarity. Memory: 16 bytes per item interaction plus the distinct pairs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog.h"
#include "event.h"
#include "next_item_replay.h"
#include "popularity.h"
#include "snapshot_writer.h"

namespace aisle {

struct ModelOptions {
  uint32_t transition_window = 10;    // later items within this many steps count as transitions
  uint32_t list_length = 30;          // transitions and co-purchases kept per item
  uint32_t similar_length = 12;       // content-similar items kept per item
  uint32_t max_sessions = 200'000;    // the session index keeps the most recent ones
  uint32_t sessions_per_item = 500;   // postings kept per item, most recent first
  uint32_t max_session_length = 100;  // items kept per indexed session (the latest)
  uint32_t max_basket = 50;           // purchases per session considered for co-purchases
};

// Open-addressing map from an item pair to an accumulated weight; key and weight share
// a slot, so an update touches one cache line. Weights add up in double, so a sum does
// not depend on the order its terms came in (the counting SQL adds them in any order).
class PairWeights {
 public:
  PairWeights() : slots_(1 << 16) {}
  void add(uint32_t a, uint32_t b, double w);
  // Per first item, the best `keep` second items by weight transformed by `score` (best
  // first, ties by item).
  std::vector<std::vector<ScoredItem>> top_lists(
      size_t items, uint32_t keep,
      const std::function<float(uint32_t, uint32_t, double)>& score) const;

 private:
  static constexpr uint64_t kEmpty = ~uint64_t(0);
  struct Slot {
    uint64_t key = kEmpty;
    double weight = 0;
  };
  void grow();
  std::vector<Slot> slots_;
  size_t size_ = 0;
};

// What the logs give the model before its lists are cut. The build counts it from its
// interactions (InteractionLog::build); `aisle build --aggregates` reads it from the
// counting SQL's output (aggregates.h). finish_model() turns either into the same lists.
struct BehaviourCounts {
  PairWeights transitions;               // a then b within the window: the sum of 1 / steps between
  PairWeights bought;                    // sessions that bought both a and b
  std::vector<float> buyers;             // per item, its purchase lines
  std::vector<uint32_t> session_counts;  // per item, the sessions that touched it
  // The most recent sessions with a click, oldest first, each its latest distinct clicked
  // items in time order.
  std::vector<std::vector<uint32_t>> sessions;
  std::vector<int64_t> session_last_ms;  // per session above, its last event; may be empty
  uint64_t log_sessions = 0;             // sessions with a click before the cap; 0: unknown
};
void finish_model(BehaviourCounts&& counts, size_t item_count, const ModelOptions& options,
                  ModelInput* model);

class InteractionLog {
 public:
  void add(std::string_view session, uint32_t item, EventType type, int64_t ts_ms);
  size_t size() const { return entries_.size(); }
  void reserve(size_t interactions) { entries_.reserve(interactions); }
  // Sessions (time-ordered item interactions) -> the behavioural sources of `model`.
  void build(size_t item_count, const ModelOptions& options, ModelInput* model);
  // A time-based split for tuning: the sessions whose last event falls in the last `share`
  // of the log's time span are held out into `late` (most recent first, in time order
  // within each, until `max_predictions` next-item predictions), the earlier ones copied
  // into `early` with their popularity (views, carts, units of 1) in `early_popularity`.
  // Returns the split time (ms).
  int64_t split_recent(double share, uint64_t max_predictions, InteractionLog* early,
                       PopularityBuilder* early_popularity,
                       std::vector<std::vector<ReplayStep>>* late) const;

 private:
  struct Entry {
    int64_t ts;
    uint32_t session;
    uint32_t item_type;  // item << 4 | EventType
  };
  std::unordered_map<std::string, uint32_t> session_ids_;
  std::string last_session_;
  uint32_t last_id_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace aisle
