#include "subset.h"

#include <algorithm>
#include <stdexcept>

#include "snapshot_writer.h"

namespace aisle {

bool has_section(const Snapshot& snap, uint32_t id) {
  for (const SectionInfo& s : snap.sections()) {
    if (s.id == id) return true;
  }
  return false;
}

Subset::Subset(const Snapshot& snap)
    : items(snap.item_count(), true),
      lists(snap.item_count(), true),
      sessions(snap.session_count(), true),
      owned(snap.item_count(), true) {}

namespace {

CatalogItem catalog_item(const Snapshot& snap, const Subset& s, uint32_t i,
                         std::vector<std::string_view>* path) {
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
  if (s.labels) {
    it.labels = s.labels(i);
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
  for (uint32_t h = 0; s.lists[i] && h < snap.hint_count(i); ++h) {
    uint32_t target;
    HintKind kind;
    snap.hint(i, h, &target, &kind);
    if (!s.items[target]) continue;
    (kind == HintKind::kUpsell ? it.upsell_ids : it.cross_sell_ids)
        .emplace_back(snap.item(target).id);
  }
  return it;
}

}  // namespace

std::vector<uint8_t> write_subset(const Snapshot& snap, const Subset& s, std::string rules_json) {
  const uint32_t n = snap.item_count();
  std::vector<uint32_t> index(n, fmt::kNone);  // old -> new
  uint32_t kept = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (s.items[i]) index[i] = kept++;
  }
  SnapshotInput in;
  Catalog catalog;
  std::vector<std::string_view> path;
  catalog.items.reserve(kept);
  for (uint32_t i = 0; i < n; ++i) {
    if (!s.items[i]) continue;
    catalog.items.push_back(catalog_item(snap, s, i, &path));
    const fmt::PopularityRecord p = snap.popularity(i);
    in.popularity.push_back({p.views, p.carts, p.purchases, p.trend});
  }

  ModelInput& m = in.model;
  // A list is in the file in one of its forms (format 1.1's records, or 1.3's columns).
  auto in_file = [&](std::initializer_list<uint32_t> sections) {
    return std::any_of(sections.begin(), sections.end(),
                       [&](uint32_t id) { return has_section(snap, id); });
  };
  auto scored = [&](bool present, auto&& row, std::vector<std::vector<ScoredItem>>* out) {
    if (!present) return;
    for (uint32_t i = 0; i < n; ++i) {
      if (!s.items[i]) continue;
      out->emplace_back();
      if (!s.lists[i]) continue;
      const ScoredList list = row(i);
      for (uint32_t k = 0; k < list.size(); ++k) {
        const ScoredItem x = list[k];
        if (s.items[x.item]) out->back().push_back({index[x.item], x.score});
      }
    }
  };
  scored(
      in_file({fmt::kTransitionOffsets, fmt::kCompactTransitionOffsets}),
      [&](uint32_t i) { return snap.transitions(i); }, &m.transitions);
  scored(
      in_file({fmt::kCoPurchaseOffsets, fmt::kCompactCoPurchaseOffsets}),
      [&](uint32_t i) { return snap.co_purchases(i); }, &m.co_purchases);
  if (s.similar != nullptr) {
    scored(
        true, [&](uint32_t i) { return s.similar->of(i); }, &m.similar);
  } else {
    scored(
        in_file({fmt::kSimilarOffsets}), [&](uint32_t i) { return snap.similar(i); }, &m.similar);
  }
  m.similar_length = snap.meta().similar_length;  // since 1.2 computed from what is left
  if (snap.session_count() > 0) {
    // Sessions keep their numbers; a left-out item is left out of them, so the others'
    // postings, derived again at load, stay the same.
    m.sessions.resize(snap.session_count());
    for (uint32_t x = 0; x < snap.session_count(); ++x) {
      if (!s.sessions[x]) continue;
      const IdList items = snap.session_items(x);
      for (uint32_t k = 0; k < items.size(); ++k) {
        if (s.items[items[k]]) m.sessions[x].push_back(index[items[k]]);
      }
    }
    // A format 1.1 file says no cap: its longest postings list is one that reached it.
    uint32_t cap = snap.meta().sessions_per_item, longest = 1;
    for (uint32_t i = 0; cap == 0 && i < n; ++i)
      longest = std::max(longest, snap.item_sessions(i).size());
    m.sessions_per_item = cap != 0 ? cap : longest;
  }
  if (has_section(snap, fmt::kItemStats)) {
    for (uint32_t i = 0; i < n; ++i) {
      if (s.items[i]) m.item_session_counts.push_back(snap.item_session_count(i));
    }
  }

  in.catalog = &catalog;
  const fmt::MetaRecord meta = snap.meta();
  in.built_at_ms = meta.built_at_ms;
  in.as_of_ms = meta.as_of_ms;
  in.events_read = meta.events_read;
  in.events_used = meta.events_used;
  in.trend_half_life_s = meta.trend_half_life_s;
  in.catalog_format = std::string(snap.string(meta.catalog_format));
  in.rules_json = std::move(rules_json);
  in.tuning = snap.tuning();  // the shopper's engine needs the parameters, not the evidence
  Result<std::vector<uint8_t>> bytes = write_snapshot(in);
  if (!bytes.is_ok()) throw std::runtime_error(bytes.status().message());
  return std::move(bytes.value());
}

}  // namespace aisle
