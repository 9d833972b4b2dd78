// Serializes a catalog and its statistics into snapshot bytes (format in
// snapshot_format.h). The output always passes Snapshot::open; input that could not
// be represented (duplicate or empty ids, prices beyond the format's range, hints to
// unknown items) is rejected with a Status, never written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog.h"
#include "snapshot.h"
#include "status.h"

namespace aisle {

struct ItemPopularity {
  uint32_t views = 0;
  uint32_t carts = 0;
  uint32_t purchases = 0;
  float trend = 0;
};

// A section this writer does not know by itself (appended after the known ones), e.g.
// the engine's candidate tables. Its id must not be one of format 1's.
struct ExtraSection {
  uint32_t id = 0;
  uint32_t elem_size = 1;
  std::vector<uint8_t> bytes;  // a multiple of elem_size
};

// The engine's candidate sources (snapshot format 1.1; the session index 1.2), computed by the
// build. Empty vectors leave a source out. Lists are best first; items are catalog indices.
struct ModelInput {
  std::vector<std::vector<ScoredItem>> transitions;   // per item
  std::vector<std::vector<ScoredItem>> co_purchases;  // per item
  std::vector<std::vector<ScoredItem>> similar;       // per item (1.1); since 1.2 computed:
  uint32_t similar_length = 0;  // the length of the lists a reader computes without them
  std::vector<std::vector<uint32_t>> sessions;  // indexed sessions, oldest first
  std::vector<int64_t> session_last_ms;  // per indexed session, its last event (ms), when the
                                         // log gave it; not written (the STAN baselines')
  uint64_t log_sessions = 0;  // the log's sessions with a click, before the index's cap; not
                              // written (VSTAN's idf); 0: unknown
  // Postings per item: a reader derives each item's most recent sessions from `sessions`
  // at load (format 1.2); 1 or more when there are sessions.
  uint32_t sessions_per_item = 500;
  std::vector<uint32_t> item_session_counts;  // per item
  uint32_t category_top = 50;  // best items kept per category (by trend, then purchases)
  uint32_t global_top = 200;
  uint32_t new_arrivals = 200;
};

struct SnapshotInput {
  const Catalog* catalog = nullptr;
  std::vector<ItemPopularity> popularity;  // empty, or one per catalog item
  int64_t built_at_ms = 0;
  int64_t as_of_ms = 0;
  uint64_t events_read = 0;
  uint64_t events_used = 0;
  uint32_t trend_half_life_s = 0;
  std::string catalog_format;
  ModelInput model;
  std::string rules_json;   // validated merchant rules, compiled in; empty: none
  std::string build_notes;  // what the build found out, JSON (kBuildNotes); empty: none
  std::optional<fmt::TuningRecord> tuning;  // parameters chosen on held-out sessions
  // A shard's (format 2.1), when `shard`: one record per item, the whole snapshot's counts,
  // and when the sessions are some of the whole's, each one's number there (else none).
  bool shard = false;
  std::vector<fmt::ShardItemRecord> shard_items;
  fmt::ShardWholeRecord shard_whole{};
  std::vector<uint32_t> shard_sessions;
  std::vector<ExtraSection> extra_sections;
};

Result<std::vector<uint8_t>> write_snapshot(const SnapshotInput& input);

// An item's price, sale price and sale window as its snapshot record holds them (times
// clamped to the record's range): what the engine prices it by (effective_price).
void set_price_fields(const CatalogItem& it, fmt::ItemRecord* r);

}  // namespace aisle
