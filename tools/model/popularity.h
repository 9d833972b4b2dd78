// Per-item interaction counts and a time-decayed trend, accumulated in one pass over
// events in any time order: each interaction adds weight * 2^((t - anchor) / half_life),
// rescaled when the exponent grows, and finish() brings every score to `as_of`.
#pragma once

#include <cstdint>
#include <vector>

#include "event.h"
#include "snapshot_writer.h"

namespace aisle {

class PopularityBuilder {
 public:
  PopularityBuilder(size_t item_count, uint32_t half_life_s);
  void add(uint32_t item, EventType type, int64_t ts_ms, int64_t quantity);
  std::vector<ItemPopularity> finish(int64_t as_of_ms) const;

  static double weight(EventType type);  // view 1, cart 3, purchase 5 per unit

 private:
  void rescale(int64_t new_anchor_ms);
  std::vector<ItemPopularity> counts_;
  std::vector<double> trend_;
  double half_life_ms_;
  int64_t anchor_ms_ = 0;
  bool anchored_ = false;
};

}  // namespace aisle
