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
//   write_subset(snap, shard_head(snap, Engine(snap)), rules);   // once
//   Subset shard = empty_shard(snap, &similar);
//   add_item(snap, similar, item, &shard);                      // for each item it owns
//   write_subset(snap, shard, rules);
#pragma once

#include <cstdint>

#include "engine.h"
#include "similar.h"
#include "snapshot.h"
#include "snapshot_subset.h"

namespace aisle {

// The head: a shard owning no item, no session written. `engine` is on `snap`: its pools
// (Engine::pool_items) are part of the head.
Subset shard_head(const Snapshot& snap, const Engine& engine);

// A shard holding nothing yet (`similar` on `snap`, outliving the Subset).
Subset empty_shard(const Snapshot& snap, const SimilarItems* similar);

// `item` owned by the shard, with what its lists and sessions reach.
void add_item(const Snapshot& snap, const SimilarItems& similar, uint32_t item, Subset* cut);

}  // namespace aisle
