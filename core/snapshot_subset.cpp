#include "snapshot_subset.h"

#include <algorithm>

#include "snapshot_writer.h"

namespace aisle {

bool has_section(const Snapshot& snap, uint32_t id) {
  for (const SectionInfo& s : snap.sections()) {
    if (s.id == id) return true;
  }
  return false;
}

Subset Subset::whole(const Snapshot& snap) {
  Subset s;
  s.items.reserve(snap.item_count());
  for (uint32_t i = 0; i < snap.item_count(); ++i) s.items.push_back({i, fmt::kShardLists});
  s.sessions.resize(snap.session_count());
  for (uint32_t x = 0; x < snap.session_count(); ++x) s.sessions[x] = x;
  return s;
}

namespace {

// Where an item of the output comes from: one of the inputs, and whether its lists do.
struct ItemSource {
  uint32_t part, item;
  uint32_t lists;  // fmt::ShardItemFlags
};

// Where a session of the output comes from, and its number in the whole snapshot.
struct SessionSource {
  uint32_t global, part, session;
};

// What write_from() writes: items and sessions in output order, each input's items'
// output numbers, and whether every session of the whole is written (the others empty,
// so that sessions keep their numbers) or only these, with their numbers (a shard's).
struct Plan {
  std::vector<const Snapshot*> parts;
  std::vector<ItemSource> items;
  std::vector<SessionSource> sessions;
  bool dense = true;
  fmt::ShardWholeRecord whole{};
  // Each part's items' output numbers (kNone: not written): per part and item, or for the
  // one part of a subset, the items written in ascending order (a search: no table the size
  // of the snapshot for a shard of a few items).
  std::vector<std::vector<uint32_t>> index;
  std::vector<uint32_t> kept;
  uint32_t out(uint32_t part, uint32_t item) const {
    if (index.empty()) {
      const auto at = std::lower_bound(kept.begin(), kept.end(), item);
      return at != kept.end() && *at == item ? uint32_t(at - kept.begin()) : fmt::kNone;
    }
    return index[part][item];
  }
  std::function<std::vector<std::string>(uint32_t)> labels;  // of part 0's items; unset: own
  const SimilarItems* similar = nullptr;                     // of part 0's items
  std::string rules_json;
  bool shard = false;
};

CatalogItem catalog_item(const Plan& plan, const ItemSource& src,
                         std::vector<std::string_view>* path) {
  const Snapshot& snap = *plan.parts[src.part];
  const uint32_t i = src.item;
  const ItemView v = snap.item(i);
  CatalogItem it;
  it.id = v.id;
  it.title = v.title;
  it.url = v.url();
  it.image_url = v.image_url();
  it.brand = v.brand;
  it.currency = v.currency;
  if (v.group != fmt::kNone) it.group_key = snap.group(v.group).key;
  if (v.category != fmt::kNone) {
    snap.category_path(v.category, path);
    it.category_path = CategoryPath::Parts(path->begin(), path->end());
  }
  if (plan.labels) {
    it.labels = plan.labels(i);
  } else {
    for (uint32_t l = 0; l < snap.label_count(i); ++l) it.labels.emplace_back(snap.label(i, l));
  }
  it.price = v.price;
  it.sale_price = v.sale_price == fmt::kNone ? kNoPrice : int64_t(v.sale_price);
  it.sale_start_s = v.sale_start;
  it.sale_end_s = v.sale_end;
  it.launch_s = v.launch;
  it.repurchase_days = v.repurchase_days;
  it.availability = v.availability;
  it.kind = v.kind;
  it.promo = v.promo;
  it.recommendable = v.recommendable;
  for (uint32_t h = 0; (src.lists & fmt::kShardSetLists) && h < snap.hint_count(i); ++h) {
    uint32_t target;
    HintKind kind;
    snap.hint(i, h, &target, &kind);
    if (plan.out(src.part, target) == fmt::kNone) continue;
    (kind == HintKind::kUpsell ? it.upsell_ids : it.cross_sell_ids)
        .emplace_back(snap.item(target).id);
  }
  return it;
}

Result<std::vector<uint8_t>> write_from(const Plan& plan) {
  SnapshotInput in;
  Catalog catalog;
  std::vector<std::string_view> path;
  catalog.items.reserve(plan.items.size());
  for (const ItemSource& src : plan.items) {
    catalog.items.push_back(catalog_item(plan, src, &path));
    const fmt::PopularityRecord p = plan.parts[src.part]->popularity(src.item);
    in.popularity.push_back({p.views, p.carts, p.purchases, p.trend});
    if (plan.shard) {
      in.shard_items.push_back({plan.parts[src.part]->shard_global(src.item), src.lists});
    }
  }

  const Snapshot& first = *plan.parts.front();
  auto in_file = [&](std::initializer_list<uint32_t> sections) {
    return std::any_of(plan.parts.begin(), plan.parts.end(), [&](const Snapshot* p) {
      return std::any_of(sections.begin(), sections.end(),
                         [&](uint32_t id) { return has_section(*p, id); });
    });
  };
  // A list is in a file in one of its forms (format 1.1's records, or 1.3's columns).
  auto scored = [&](bool present, uint32_t needs, auto&& row,
                    std::vector<std::vector<ScoredItem>>* out) {
    if (!present) return;
    for (const ItemSource& src : plan.items) {
      out->emplace_back();
      if ((src.lists & needs) != needs) continue;
      const ScoredList list = row(src);
      for (uint32_t k = 0; k < list.size(); ++k) {
        const uint32_t to = plan.out(src.part, list[k].item);
        if (to != fmt::kNone) out->back().push_back({to, list[k].score});
      }
    }
  };
  ModelInput& m = in.model;
  scored(
      in_file({fmt::kTransitionOffsets, fmt::kCompactTransitionOffsets}), fmt::kShardLists,
      [&](const ItemSource& s) { return plan.parts[s.part]->transitions(s.item); }, &m.transitions);
  scored(
      in_file({fmt::kCoPurchaseOffsets, fmt::kCompactCoPurchaseOffsets}), fmt::kShardSetLists,
      [&](const ItemSource& s) { return plan.parts[s.part]->co_purchases(s.item); },
      &m.co_purchases);
  if (plan.similar != nullptr) {
    scored(
        true, fmt::kShardLists, [&](const ItemSource& s) { return plan.similar->of(s.item); },
        &m.similar);
  } else {
    scored(
        in_file({fmt::kSimilarOffsets}), fmt::kShardLists,
        [&](const ItemSource& s) { return plan.parts[s.part]->similar(s.item); }, &m.similar);
  }
  m.similar_length = first.meta().similar_length;  // since 1.2 computed from what is left
  if (plan.dense ? plan.whole.sessions > 0 : !plan.sessions.empty()) {
    // A left-out item is left out of the sessions, so the others' postings, derived again
    // at load, stay the same.
    if (plan.dense) m.sessions.resize(plan.whole.sessions);
    for (const SessionSource& src : plan.sessions) {
      std::vector<uint32_t>& out = plan.dense ? m.sessions[src.global] : m.sessions.emplace_back();
      if (!plan.dense && plan.shard) in.shard_sessions.push_back(src.global);
      const IdList items = plan.parts[src.part]->session_items(src.session);
      for (uint32_t k = 0; k < items.size(); ++k) {
        const uint32_t to = plan.out(src.part, items[k]);
        if (to != fmt::kNone) out.push_back(to);
      }
    }
    // The cap of a part with sessions (a head has none); a format 1.1 file says no cap: its
    // longest postings list is one that reached it.
    const Snapshot& with = *plan.parts[plan.sessions.empty() ? 0 : plan.sessions[0].part];
    uint32_t cap = with.meta().sessions_per_item, longest = 1;
    for (uint32_t i = 0; cap == 0 && i < with.item_count(); ++i)
      longest = std::max(longest, with.item_sessions(i).size());
    m.sessions_per_item = cap != 0 ? cap : longest;
  }
  if (in_file({fmt::kItemStats})) {
    for (const ItemSource& src : plan.items)
      m.item_session_counts.push_back(plan.parts[src.part]->item_session_count(src.item));
  }

  in.catalog = &catalog;
  const fmt::MetaRecord meta = first.meta();
  in.built_at_ms = meta.built_at_ms;
  in.as_of_ms = meta.as_of_ms;
  in.events_read = meta.events_read;
  in.events_used = meta.events_used;
  in.trend_half_life_s = meta.trend_half_life_s;
  in.catalog_format = std::string(first.string(meta.catalog_format));
  in.rules_json = plan.rules_json;
  in.tuning = first.tuning();  // the shopper's engine needs the parameters, not the evidence
  in.shard = plan.shard;
  if (plan.shard) in.shard_whole = plan.whole;
  return write_snapshot(in);
}

}  // namespace

Result<std::vector<uint8_t>> write_subset(const Snapshot& snap, const Subset& s,
                                          std::string rules_json) {
  for (size_t k = 0; k < s.items.size(); ++k) {
    if (s.items[k].index >= snap.item_count() ||
        (k > 0 && s.items[k].index <= s.items[k - 1].index))
      return Status(StatusCode::kInvalidArgument, "subset: items out of order or range");
  }
  for (size_t k = 0; k < s.sessions.size(); ++k) {
    if (s.sessions[k] >= snap.session_count() || (k > 0 && s.sessions[k] <= s.sessions[k - 1]))
      return Status(StatusCode::kInvalidArgument, "subset: sessions out of order or range");
  }
  Plan plan;
  plan.parts = {&snap};
  for (const Subset::Item& it : s.items) {
    plan.kept.push_back(it.index);
    plan.items.push_back({0, it.index, it.lists});
  }
  for (const uint32_t x : s.sessions) plan.sessions.push_back({snap.shard_session_global(x), 0, x});
  plan.dense = !s.shard;
  plan.whole = snap.shard_whole();
  plan.labels = s.labels;
  plan.similar = s.similar;
  plan.rules_json = std::move(rules_json);
  plan.shard = s.shard;
  return write_from(plan);
}

Result<std::vector<uint8_t>> merge_shards(const std::vector<const Snapshot*>& parts) {
  if (parts.empty()) return Status(StatusCode::kInvalidArgument, "merge: no shards");
  const Snapshot& first = *parts.front();
  for (size_t p = 0; p < parts.size(); ++p) {
    const Snapshot& s = *parts[p];
    const fmt::MetaRecord a = first.meta(), b = s.meta();
    if (!s.is_shard())
      return Status(StatusCode::kInvalidArgument,
                    "merge: part " + std::to_string(p) + " is not a shard");
    if (a.built_at_ms != b.built_at_ms || a.as_of_ms != b.as_of_ms ||
        a.events_read != b.events_read || s.shard_whole().items != first.shard_whole().items ||
        s.shard_whole().sessions != first.shard_whole().sessions ||
        s.rules_text() != first.rules_text())
      return Status(StatusCode::kInvalidArgument,
                    "merge: part " + std::to_string(p) + " is a shard of another snapshot");
  }
  Plan plan;
  plan.parts = parts;
  plan.shard = true;
  plan.rules_json = std::string(first.rules_text());
  // Every item once, in the whole snapshot's order, from a part that has its lists if any.
  std::vector<ItemSource> all;
  for (uint32_t p = 0; p < parts.size(); ++p) {
    for (uint32_t i = 0; i < parts[p]->item_count(); ++i)
      all.push_back({p, i, parts[p]->shard_lists(i)});
  }
  auto global = [&](const ItemSource& s) { return parts[s.part]->shard_global(s.item); };
  std::stable_sort(all.begin(), all.end(), [&](const ItemSource& a, const ItemSource& b) {
    return global(a) != global(b) ? global(a) < global(b) : a.lists > b.lists;
  });
  plan.index.resize(parts.size());
  for (uint32_t p = 0; p < parts.size(); ++p)
    plan.index[p].assign(parts[p]->item_count(), fmt::kNone);
  for (size_t k = 0; k < all.size(); ++k) {
    if (plan.items.empty() || global(plan.items.back()) != global(all[k]))
      plan.items.push_back(all[k]);
    plan.index[all[k].part][all[k].item] = uint32_t(plan.items.size() - 1);
  }
  // Each session once, from a part that holds it: a shard writes a session whole or not at
  // all. Every session of the whole is written, so the engine reads the whole's numbers.
  for (uint32_t p = 0; p < parts.size(); ++p) {
    for (uint32_t x = 0; x < parts[p]->session_count(); ++x) {
      if (parts[p]->session_items(x).size() > 0)  // a dense part's others are empty
        plan.sessions.push_back({parts[p]->shard_session_global(x), p, x});
    }
  }
  std::stable_sort(
      plan.sessions.begin(), plan.sessions.end(),
      [](const SessionSource& a, const SessionSource& b) { return a.global < b.global; });
  plan.sessions.erase(std::unique(plan.sessions.begin(), plan.sessions.end(),
                                  [](const SessionSource& a, const SessionSource& b) {
                                    return a.global == b.global;
                                  }),
                      plan.sessions.end());
  plan.whole = first.shard_whole();
  return write_from(plan);
}

}  // namespace aisle
