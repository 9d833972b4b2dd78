// `aisle build --aggregates DIR`: what the counting SQL (tools/sql/, docs/ingestion.md)
// derived from the events, read instead of the events themselves. The CSV files (meta,
// items, transitions, co_purchases, sessions, kinds) give the same counts the build makes
// from raw events (BehaviourCounts, popularity, repeat buying), so finish_model() cuts the
// same lists and decide_kinds() gives the same kinds.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.h"
#include "kind_inference.h"
#include "model_build.h"
#include "snapshot_writer.h"

namespace aisle {

struct Aggregates {
  std::vector<ItemPopularity> popularity;  // one per catalog item, trend as of as_of_ms
  BehaviourCounts counts;
  int64_t as_of_ms = 0;        // the latest event the SQL read
  uint64_t events_read = 0;    // GA4 events of a known name
  uint64_t interactions = 0;   // item lines of views, selects, carts and purchases
  uint64_t unknown_items = 0;  // rows naming an id the catalog does not have
  uint64_t rows = 0;           // rows read, all files
};

// Catalog index of an id, or UINT32_MAX.
using ItemLookup = std::function<uint32_t(std::string_view)>;

// Reads DIR/{meta,items,transitions,co_purchases,sessions}.csv. The SQL's parameters
// (meta.csv) must be the build's: a different half-life, window or session bound would
// give other lists than the raw build, so that is an error naming the field. Rows naming
// ids the catalog lacks are skipped and warned about; malformed rows are errors (file,
// line, field): aggregates are machine output, a bad one is a broken run.
Aggregates read_aggregates(const std::string& dir, size_t item_count, const ItemLookup& find,
                           uint32_t half_life_s, const ModelOptions& options, Diagnostics& diag);

// DIR/kinds.csv: repeat buying per leaf category of items of unknown kind, decided and
// given to those items as the build does from events (kind_inference.h). Categories the
// catalog no longer has are skipped and warned about.
std::vector<InferredKind> read_aggregate_kinds(const std::string& dir, Catalog* catalog,
                                               Diagnostics& diag);

}  // namespace aisle
