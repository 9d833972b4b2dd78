// `aisle qa`: the checkpoint before a snapshot or rule set goes live. Replays a battery of
// generated visits for every placement and segment and checks what the engine and the
// rules promise.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rules.h"
#include "snapshot.h"

namespace aisle {

struct QaOptions {
  uint32_t visits_per_case = 20;  // per placement and segment
  uint32_t k = 8;
  double max_item_share = 0.25;  // of all impressions, for any one item
  uint64_t seed = 1;
};

struct QaReport {
  uint64_t lists = 0, impressions = 0;
  std::vector<std::string> failures;  // readable, one per problem kind and example
  std::vector<std::string> warnings;  // as failures: pointed out, but qa passes
  nlohmann::json to_json() const;
};

// `rules`: checked instead of the snapshot's own when not null.
QaReport run_qa(const Snapshot& snap, const Rules* rules, const QaOptions& options);

}  // namespace aisle
