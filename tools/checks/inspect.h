// `aisle inspect`: what a verified snapshot holds -- counts, section sizes, bytes per
// item, top items -- as JSON (the text form is rendered from the same JSON).
#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

#include "snapshot.h"

namespace aisle {

nlohmann::json inspect_snapshot(const Snapshot& snap, size_t top_n = 10);
void print_inspection(const nlohmann::json& j, std::ostream& out);
// The kinds inferred from the logs (InferredKind::to_json entries), most buyers first: the
// first 20 lines, then how many more (`aisle build` and `aisle inspect` print this).
void print_inferred(const nlohmann::json& inferred, std::ostream& out);

// Everything a shopper can read from the file (every shopper downloads it): each item's
// every field, labels, hints and counts, every category, group and string, the compiled-in
// rules and what the model sections hold. docs/privacy.md.
nlohmann::ordered_json public_view(const Snapshot& snap);
void print_public_view(const nlohmann::ordered_json& j, std::ostream& out);

}  // namespace aisle
