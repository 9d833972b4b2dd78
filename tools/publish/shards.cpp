#include "shards.h"

#include <algorithm>

namespace aisle {

ShardCutter::ShardCutter(const Snapshot& snap, const SimilarItems& similar)
    : snap_(snap),
      similar_(similar),
      kept_(snap.item_count()),
      session_kept_(snap.session_count()),
      lists_(snap.item_count()) {}

void ShardCutter::add_head(const Engine& engine) {
  auto keep_all = [&](const IdList& list) {
    for (uint32_t k = 0; k < list.size(); ++k) keep(list[k]);
  };
  for (uint32_t c = 0; c < snap_.category_count(); ++c) keep_all(snap_.category_top(c));
  keep_all(snap_.global_top());
  keep_all(snap_.new_arrivals());
  for (uint32_t i : engine.pool_items()) keep(i);
}

// `item`'s co-purchases and hints, and the items they name.
void ShardCutter::add_set_lists(uint32_t item) {
  keep(item);
  lists_[item] |= fmt::kShardSetLists;
  const ScoredList bought = snap_.co_purchases(item);
  for (uint32_t k = 0; k < bought.size(); ++k) keep(bought[k].item);
  for (uint32_t h = 0; h < snap_.hint_count(item); ++h) {
    uint32_t target;
    HintKind kind;
    snap_.hint(item, h, &target, &kind);
    keep(target);
  }
}

// `item` with all its own lists (its set lists and its transitions and similar items) and
// every item they name.
void ShardCutter::add_lists(uint32_t item) {
  if (lists_[item] == fmt::kShardLists) return;
  add_set_lists(item);
  lists_[item] = fmt::kShardLists;
  auto keep_all = [&](const ScoredList& list) {
    for (uint32_t k = 0; k < list.size(); ++k) keep(list[k].item);
  };
  keep_all(snap_.transitions(item));
  keep_all(similar_.of(item));
}

void ShardCutter::add_item(uint32_t item) {
  if (item >= snap_.item_count()) return;
  add_lists(item);
  // The other variants' co-purchases and hints complete a set the visit is building.
  const uint32_t group = snap_.record(item).group;
  if (group != fmt::kNone) {
    const GroupView g = snap_.group(group);
    for (uint32_t m = 0; m < g.count; ++m) add_set_lists(g.member(m));
  }
  const IdList sessions = snap_.item_sessions(item);
  for (uint32_t k = 0; k < sessions.size(); ++k) {
    const uint32_t x = sessions[k];
    if (!session_kept_[x]) session_kept_[x] = true, sessions_.push_back(x);
    const IdList items = snap_.session_items(x);
    for (uint32_t j = 0; j < items.size(); ++j) keep(items[j]);
  }
}

Subset ShardCutter::take() {
  std::sort(items_.begin(), items_.end());
  std::sort(sessions_.begin(), sessions_.end());
  Subset s;
  s.shard = true;
  s.similar = &similar_;
  for (const uint32_t i : items_) {
    s.items.push_back({i, lists_[i]});
    kept_[i] = false;
    lists_[i] = 0;
  }
  for (const uint32_t x : sessions_) session_kept_[x] = false;
  s.sessions = std::move(sessions_);
  items_.clear();
  sessions_.clear();
  return s;
}

}  // namespace aisle
