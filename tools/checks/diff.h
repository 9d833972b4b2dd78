// `aisle diff`: what a reviewer approves before a new snapshot goes live -- catalog
// changes, rule changes, and how the recommendations for the top items shift.
#pragma once

#include <nlohmann/json.hpp>

#include "snapshot.h"

namespace aisle {

nlohmann::json diff_snapshots(const Snapshot& before, const Snapshot& after, size_t top_items,
                              size_t examples);
void print_diff(const nlohmann::json& d, std::ostream& out);

}  // namespace aisle
