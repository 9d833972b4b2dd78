// A snapshot written again with some of its items: the public cut (public_snapshot.h) leaves
// out what the rules exclude; a shard (shards.h) keeps only what some items' lists reach.
//
//   Subset s(snap);                  // every item, list and session kept
//   s.items[i] = false;              // item i and every reference to it left out
//   std::vector<uint8_t> bytes = write_subset(snap, s, std::string(snap.rules_text()));
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "similar.h"
#include "snapshot.h"

namespace aisle {

struct Subset {
  explicit Subset(const Snapshot& snap);
  // Items written, with their records, labels, popularity and session counts.
  std::vector<bool> items;
  // Of those, the ones written with their own lists (transitions, co-purchases, hints and a
  // 1.1 file's similar items); the others' lists are written empty.
  std::vector<bool> lists;
  // Indexed sessions written with their (kept) items. The others are written empty, so
  // every session keeps its number: the engine's recency and idf read the same numbers.
  std::vector<bool> sessions;
  // Items whose every indexed session is written (shards.h); the writer does not read it.
  std::vector<bool> owned;
  // An item's labels as written; unset: its own.
  std::function<std::vector<std::string>(uint32_t item)> labels;
  // When set, each item of `lists` is written with this content-similar list (format 1.1's
  // section, which a reader takes instead of computing its own from the items it holds).
  const SimilarItems* similar = nullptr;
};

// The snapshot's meta, tuning and `rules_json` (its own rules, or a rewrite of them) with
// the subset. Throws std::runtime_error when the result could not be written (a snapshot
// that passed Snapshot::open always can).
std::vector<uint8_t> write_subset(const Snapshot& snap, const Subset& s, std::string rules_json);

bool has_section(const Snapshot& snap, uint32_t id);

}  // namespace aisle
