// A snapshot written again with some of its items, and shards merged: the public cut
// (tools/publish/public_snapshot.h) leaves out what the rules exclude; a shard
// (tools/publish/shards.h, docs/snapshot-format.md "Shards") keeps only what some items'
// lists reach, and the shopper's engine merges the shards it has fetched into one snapshot.
//
//   Subset s = Subset::whole(snap);  // every item, list and session kept
//   s.items.erase(s.items.begin() + 3);  // the fourth item and every reference to it left out
//   Result<std::vector<uint8_t>> bytes = write_subset(snap, s, std::string(snap.rules_text()));
//
//   Result<std::vector<uint8_t>> merged = merge_shards({&head, &shard_a, &shard_b});
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "similar.h"
#include "snapshot.h"
#include "status.h"

namespace aisle {

struct Subset {
  // Every item with all its lists, and every session: the snapshot written again.
  static Subset whole(const Snapshot& snap);
  // Items written, ascending, with their records, labels, popularity and session counts,
  // and which of their own lists (fmt::ShardItemFlags: all of them -- transitions,
  // co-purchases, content-similar items, hints --, co-purchases and hints, or none,
  // written empty). The work is in proportion to what is written, not to the snapshot.
  struct Item {
    uint32_t index;
    uint8_t lists;
  };
  std::vector<Item> items;
  // Indexed sessions written with their (kept) items, ascending. In a shard, only these,
  // under their numbers in the whole; otherwise every session of the snapshot is written,
  // these with their items and the others empty, so that every session keeps its number
  // (the engine's recency and idf read the numbers and the count).
  std::vector<uint32_t> sessions;
  // An item's labels as written; unset: its own.
  std::function<std::vector<std::string>(uint32_t item)> labels;
  // When set, each item of `lists` is written with this content-similar list (format 1.1's
  // section, which a reader takes instead of computing its own from the items it holds).
  const SimilarItems* similar = nullptr;
  // Written as a shard: with section shard_items, each item's number in the whole
  // snapshot and whether its lists are there, so that shards merge (merge_shards).
  bool shard = false;
};

// The snapshot's meta, tuning and `rules_json` (its own rules, or a rewrite of them) with
// the subset. A snapshot that passed Snapshot::open always gives bytes that pass it.
Result<std::vector<uint8_t>> write_subset(const Snapshot& snap, const Subset& s,
                                          std::string rules_json);

// Shards of one snapshot (each with section shard_items) as one shard: every item any of
// them holds, in the whole snapshot's order, with its lists where one of them has them;
// every session any of them holds. The engine gives the same lists from it as from a
// shard cut with all of theirs at once. kInvalidArgument for a part that is not a shard,
// or shards of different snapshots (their meta, rules or session count differ).
Result<std::vector<uint8_t>> merge_shards(const std::vector<const Snapshot*>& parts);

bool has_section(const Snapshot& snap, uint32_t id);

}  // namespace aisle
