// Candidate sources from interaction logs and the catalog (docs/algorithms.md):
// sequential co-view transitions, co-purchases, a bounded index of recent sessions,
// and content similarity. Memory: 16 bytes per item interaction plus the distinct pairs.
#pragma once

#include <cstdint>
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

// Content similarity: same category first, then brand, shared labels, price band,
// with popularity breaking ties. Variants of the same group are left out.
std::vector<std::vector<ScoredItem>> build_similar(const Catalog& catalog,
                                                   const std::vector<ItemPopularity>& pop,
                                                   uint32_t list_length);

}  // namespace aisle
