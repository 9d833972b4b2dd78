// Shards of a public snapshot (issue 13; docs/snapshot-format.md, "Shards"): cuts of it
// (subset.h) that hold only what the engine reads for some items, so that a shopper's
// engine downloads what the pages they open need and not the whole catalog.
//
// The engine gives the same lists from a cut as from the whole snapshot for any visit of
// items the cut owns: a cut owns an item with everything its lists and its indexed
// sessions reach (its neighbours' records, the other items of those sessions, its
// content-similar list as the whole catalog computes it, and the co-purchases and hints of
// its other variants), and holds the head, the items a list may take whatever the visit
// (every category's best sellers, the best overall, the newest arrivals, the exploration
// pool, the gift ideas and the items the rules name). tests/tools/publish/test_shards.cpp checks it
// on a generated store.
//
//   SimilarItems similar(snap);
//   Subset cut = shard_head(snap, Engine(snap));
//   add_owned(snap, similar, item, &cut);            // for each item of the visit
//   cut.similar = &similar;
//   std::vector<uint8_t> bytes = write_subset(snap, cut, std::string(snap.rules_text()));
#pragma once

#include <cstdint>

#include "engine.h"
#include "similar.h"
#include "snapshot.h"
#include "subset.h"

namespace aisle {

// A cut holding the head only: no item owned, no session written. `engine` is on `snap`:
// its pools (Engine::pool_items) are part of the head.
Subset shard_head(const Snapshot& snap, const Engine& engine);

// `item` owned by the cut, with what its lists and sessions reach.
void add_owned(const Snapshot& snap, const SimilarItems& similar, uint32_t item, Subset* cut);

}  // namespace aisle
