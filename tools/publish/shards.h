// Shards of a public snapshot (issue 13; docs/snapshot-format.md, "Shards"): cuts of it
// (snapshot_subset.h) that hold only what the engine reads for some items, so that a
// shopper's engine downloads what the pages they open need and not the whole catalog.
//
// An item's shard owns it: it holds the item with everything its lists and its indexed
// sessions reach (its neighbours' records, the other items of those sessions, its
// content-similar list as the whole catalog computes it, and the co-purchases and hints of
// its other variants). The head holds the items a list may take whatever the visit (every
// category's best sellers, the best overall, the newest arrivals, the exploration pool,
// the gift ideas and the items the rules name). The engine gives the same lists from the
// head merged with the shards of a visit's items (merge_shards) as from the whole
// snapshot: tests/tools/publish/test_shards.cpp checks it on a generated store.
//
//   SimilarItems similar(snap);
//   ShardCutter cut(snap, similar);
//   cut.add_head(Engine(snap));
//   write_subset(snap, cut.take(), rules);  // the head
//   cut.add_item(item);                     // for each item a shard owns
//   write_subset(snap, cut.take(), rules);
#pragma once

#include <cstdint>
#include <vector>

#include "engine.h"
#include "similar.h"
#include "snapshot.h"
#include "snapshot_subset.h"

namespace aisle {

// Collects a shard's items and sessions; its work is in proportion to what it collects
// (its tables the size of the snapshot are made once and cleared by what was touched).
class ShardCutter {
 public:
  // `snap` and `similar` (on it) outlive the cutter.
  ShardCutter(const Snapshot& snap, const SimilarItems& similar);
  // The head's items: no item owned, no session.
  void add_head(const Engine& engine);
  // `item` owned, with what its lists and sessions reach.
  void add_item(uint32_t item);
  // What was added, as a shard (written with the content-similar lists of its owned
  // items); the cutter is empty again.
  Subset take();

 private:
  void keep(uint32_t item) {
    if (!kept_[item]) kept_[item] = true, items_.push_back(item);
  }
  void add_lists(uint32_t item);
  void add_set_lists(uint32_t item);

  const Snapshot& snap_;
  const SimilarItems& similar_;
  std::vector<bool> kept_, session_kept_;
  std::vector<uint8_t> lists_;              // per item: fmt::ShardItemFlags
  std::vector<uint32_t> items_, sessions_;  // touched, in the order they came
};

}  // namespace aisle
