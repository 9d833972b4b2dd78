#include "shards.h"

#include <algorithm>

namespace aisle {

namespace {

// `item` with its own lists and every item they name.
void add_lists(const Snapshot& snap, const SimilarItems& similar, uint32_t item, Subset* cut) {
  if (cut->lists[item] == fmt::kShardLists) return;
  cut->items[item] = true;
  cut->lists[item] = fmt::kShardLists;
  auto keep = [&](const ScoredList& list) {
    for (uint32_t k = 0; k < list.size(); ++k) cut->items[list[k].item] = true;
  };
  keep(snap.transitions(item));
  keep(snap.co_purchases(item));
  keep(similar.of(item));
  for (uint32_t h = 0; h < snap.hint_count(item); ++h) {
    uint32_t target;
    HintKind kind;
    snap.hint(item, h, &target, &kind);
    cut->items[target] = true;
  }
}

// `item`'s co-purchases and hints, and the items they name.
void add_set_lists(const Snapshot& snap, uint32_t item, Subset* cut) {
  cut->items[item] = true;
  cut->lists[item] |= fmt::kShardSetLists;
  const ScoredList bought = snap.co_purchases(item);
  for (uint32_t k = 0; k < bought.size(); ++k) cut->items[bought[k].item] = true;
  for (uint32_t h = 0; h < snap.hint_count(item); ++h) {
    uint32_t target;
    HintKind kind;
    snap.hint(item, h, &target, &kind);
    cut->items[target] = true;
  }
}

}  // namespace

Subset empty_shard(const Snapshot& snap, const SimilarItems* similar) {
  Subset cut(snap);
  std::fill(cut.items.begin(), cut.items.end(), false);
  std::fill(cut.lists.begin(), cut.lists.end(), 0);
  std::fill(cut.sessions.begin(), cut.sessions.end(), false);
  cut.similar = similar;
  cut.shard = true;
  return cut;
}

Subset shard_head(const Snapshot& snap, const Engine& engine) {
  Subset cut = empty_shard(snap, nullptr);
  auto keep = [&](const IdList& list) {
    for (uint32_t k = 0; k < list.size(); ++k) cut.items[list[k]] = true;
  };
  for (uint32_t c = 0; c < snap.category_count(); ++c) keep(snap.category_top(c));
  keep(snap.global_top());
  keep(snap.new_arrivals());
  for (uint32_t i : engine.pool_items()) cut.items[i] = true;
  return cut;
}

void add_item(const Snapshot& snap, const SimilarItems& similar, uint32_t item, Subset* cut) {
  if (item >= snap.item_count()) return;
  add_lists(snap, similar, item, cut);
  // The other variants' co-purchases and hints complete a set the visit is building.
  const uint32_t group = snap.record(item).group;
  if (group != fmt::kNone) {
    const GroupView g = snap.group(group);
    for (uint32_t m = 0; m < g.count; ++m) add_set_lists(snap, g.member(m), cut);
  }
  const IdList sessions = snap.item_sessions(item);
  for (uint32_t k = 0; k < sessions.size(); ++k) {
    cut->sessions[sessions[k]] = true;
    const IdList items = snap.session_items(sessions[k]);
    for (uint32_t j = 0; j < items.size(); ++j) cut->items[items[j]] = true;
  }
}

}  // namespace aisle
