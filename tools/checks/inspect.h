// `aisle inspect`: what a verified snapshot holds -- counts, section sizes, bytes per
// item, top items -- as JSON (the text form is rendered from the same JSON).
#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

#include "snapshot.h"

namespace aisle {

nlohmann::json inspect_snapshot(const Snapshot& snap, size_t top_n = 10);
void print_inspection(const nlohmann::json& j, std::ostream& out);

}  // namespace aisle
