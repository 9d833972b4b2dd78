#include "snapshot_writer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <unordered_map>

#include "crc32.h"
#include "snapshot_format.h"

namespace aisle {
namespace {

class StringTable {
 public:
  StringTable() { intern(""); }
  uint32_t intern(const std::string& s) {
    auto it = index_.find(s);
    if (it != index_.end()) return it->second;
    const auto id = uint32_t(offsets_.size() - 1);
    index_.emplace(s, id);
    data_.insert(data_.end(), s.begin(), s.end());
    offsets_.push_back(uint32_t(data_.size()));
    return id;
  }
  // Each string's length as an unsigned LEB128 number (format 2.0's kStringLengths).
  std::vector<uint8_t> lengths() const {
    std::vector<uint8_t> out;
    for (size_t i = 1; i < offsets_.size(); ++i) {
      uint32_t v = offsets_[i] - offsets_[i - 1];
      for (; v >= 0x80; v >>= 7) out.push_back(uint8_t(v | 0x80));
      out.push_back(uint8_t(v));
    }
    return out;
  }
  const std::vector<char>& data() const { return data_; }

 private:
  std::unordered_map<std::string, uint32_t> index_;
  std::vector<uint32_t> offsets_{0};
  std::vector<char> data_;
};

// Splits a URL after its last '/', so shared prefixes are stored once.
std::pair<std::string, std::string> split_url(const std::string& url) {
  const size_t slash = url.rfind('/');
  if (slash == std::string::npos) return {"", url};
  return {url.substr(0, slash + 1), url.substr(slash + 1)};
}

uint32_t clamp_time(int64_t s) {
  if (s <= 0) return 0;
  return s >= int64_t(fmt::kNone) ? fmt::kNone - 1 : uint32_t(s);
}

}  // namespace

void set_price_fields(const CatalogItem& it, fmt::ItemRecord* r) {
  r->price = uint32_t(it.price);
  r->sale_price = it.sale_price < 0 ? fmt::kNone : uint32_t(it.sale_price);
  r->sale_start = clamp_time(it.sale_start_s);
  r->sale_end = clamp_time(it.sale_end_s);
}

namespace {

class Writer {
 public:
  template <typename T>
  void add_section(uint32_t id, const std::vector<T>& v, uint32_t elem_size = sizeof(T)) {
    static_assert(sizeof(T) == 1 || sizeof(T) % 4 == 0, "records are whole 32-bit words");
    sections_.push_back({id, elem_size, 0, uint64_t(v.size()) * sizeof(T)});
    const auto* p = reinterpret_cast<const uint8_t*>(v.data());
    payloads_.emplace_back(p, p + sections_.back().size);
  }

  // The file's minor version: the lowest whose sections it holds, so that a reader of an
  // older minor reads every file that does not need the newer one.
  void set_minor(uint16_t minor) { minor_ = minor; }

  std::vector<uint8_t> finish() {
    const uint64_t table_off = sizeof(fmt::Header);
    uint64_t off = table_off + sections_.size() * sizeof(fmt::SectionEntry);
    for (auto& s : sections_) {
      off = (off + fmt::kAlignment - 1) / fmt::kAlignment * fmt::kAlignment;
      s.offset = off;
      off += s.size;
    }
    const uint64_t file_size = (off + fmt::kAlignment - 1) / fmt::kAlignment * fmt::kAlignment;
    std::vector<uint8_t> out(file_size, 0);
    fmt::Header h{};
    std::memcpy(h.magic, fmt::kMagic, 4);
    std::memcpy(h.file_identifier, fmt::kFileIdentifier, 4);
    h.version_major = fmt::kVersionMajor;
    h.version_minor = minor_;
    h.header_size = sizeof(fmt::Header);
    h.file_size = file_size;
    h.section_count = uint32_t(sections_.size());
    h.section_table_offset = uint32_t(table_off);
    std::memcpy(out.data(), &h, sizeof h);
    for (size_t i = 0; i < sections_.size(); ++i) {
      std::memcpy(out.data() + table_off + i * sizeof(fmt::SectionEntry), &sections_[i],
                  sizeof(fmt::SectionEntry));
      if (!payloads_[i].empty()) {
        std::memcpy(out.data() + sections_[i].offset, payloads_[i].data(), payloads_[i].size());
      }
    }
    const uint32_t crc = crc32_update(0, out.data(), out.size());  // checksum field is zero here
    std::memcpy(out.data() + fmt::kChecksumOffset, &crc, 4);
    return out;
  }

 private:
  std::vector<fmt::SectionEntry> sections_;
  std::vector<std::vector<uint8_t>> payloads_;
  uint16_t minor_ = 0;
};

Status invalid(const std::string& msg) {
  return Status(StatusCode::kInvalidArgument, msg);
}

// Rows of lists -> offsets u32[rows + 1] and the concatenated values.
template <typename T, typename V>
void flatten(const std::vector<std::vector<T>>& rows, std::vector<uint32_t>* offsets,
             std::vector<V>* values, V (*convert)(const T&)) {
  offsets->assign(1, 0);
  for (const auto& row : rows) {
    for (const T& x : row) values->push_back(convert(x));
    offsets->push_back(uint32_t(values->size()));
  }
}

fmt::ScoredItemRecord to_record(const ScoredItem& s) {
  return {s.item, s.score};
}
uint32_t same(const uint32_t& x) {
  return x;
}

// Checks a per-item list source before it is written: the verifier's rules, as errors.
Status check_scored(const std::vector<std::vector<ScoredItem>>& rows, size_t items,
                    const char* what) {
  if (rows.empty()) return Status::ok();
  if (rows.size() != items) return invalid(std::string(what) + ": one list per item expected");
  for (const auto& row : rows) {
    if (row.size() > 4096) return invalid(std::string(what) + ": list too long");
    for (const ScoredItem& x : row) {
      if (x.item >= items || !(x.score > 0) || !std::isfinite(x.score)) {
        return invalid(std::string(what) + ": bad entry");
      }
    }
  }
  return Status::ok();
}

void add_scored(Writer& w, uint32_t offsets_id, uint32_t values_id,
                const std::vector<std::vector<ScoredItem>>& rows) {
  if (rows.empty()) return;
  std::vector<uint32_t> offsets;
  std::vector<fmt::ScoredItemRecord> values;
  flatten(rows, &offsets, &values, to_record);
  w.add_section(offsets_id, offsets);
  w.add_section(values_id, values);
}

// The byte scale of a compact list (format 1.3): steps of 1/32 octave (a score within 1.1%),
// doubled until the list's scores span at most 255 of them (up to 1/2 octave: 127 octaves, the
// normal floats' range, where lower scores are written as the lowest), and a base of a whole
// power of two at or below the lowest. Both powers of two, so that every score is a point of
// one grid: scores read back from a file are written again as the same bytes, whatever the
// lowest of them (the public cut re-encodes a subset).
fmt::ScoreScale choose_scale(const std::vector<std::vector<ScoredItem>>& rows) {
  float lo = 0, hi = 0;
  for (const auto& row : rows) {
    for (const ScoredItem& x : row) {
      if (lo == 0 || x.score < lo) lo = x.score;
      hi = std::max(hi, x.score);
    }
  }
  if (lo == 0) return {1, 0};
  double step = 1.0 / 32, e = std::floor(std::log2(double(lo)));
  while (step < 0.5 && (std::log2(double(hi)) - e) / step > 255) step *= 2;
  e = std::clamp(e, -126.0, std::floor(127 - 255 * step));  // every byte's score a normal float
  return {float(std::exp2(e)), float(step)};
}

uint8_t to_byte(float score, fmt::ScoreScale scale) {
  if (scale.step == 0) return 0;
  const double b =
      std::round((std::log2(double(score)) - std::log2(double(scale.base))) / scale.step);
  return uint8_t(std::clamp(b, 0.0, 255.0));
}

uint32_t item_of(const ScoredItem& s) {
  return s.item;
}

// A scored list in format 1.3's columns: offsets, items, score bytes (ids offsets_id + 0, 1, 2).
void add_compact(Writer& w, uint32_t offsets_id, const std::vector<std::vector<ScoredItem>>& rows,
                 fmt::ScoreScale scale) {
  if (rows.empty()) return;
  std::vector<uint32_t> offsets, items;
  flatten(rows, &offsets, &items, item_of);
  std::vector<uint8_t> bytes;
  bytes.reserve(items.size());
  for (const auto& row : rows) {
    for (const ScoredItem& x : row) bytes.push_back(to_byte(x.score, scale));
  }
  w.add_section(offsets_id, offsets);
  w.add_section(offsets_id + 1, items);
  w.add_section(offsets_id + 2, bytes);
}

void add_ids(Writer& w, uint32_t offsets_id, uint32_t values_id,
             const std::vector<std::vector<uint32_t>>& rows) {
  std::vector<uint32_t> offsets, values;
  flatten(rows, &offsets, &values, same);
  w.add_section(offsets_id, offsets);
  w.add_section(values_id, values);
}

// Best items per category (with its descendants), overall, and the newest arrivals.
void add_rankings(Writer& w, const ModelInput& m, const std::vector<fmt::ItemRecord>& records,
                  const std::vector<fmt::CategoryRecord>& categories,
                  const std::vector<fmt::PopularityRecord>& pop) {
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < records.size(); ++i) {
    if ((records[i].flags & fmt::kRecommendable) &&
        records[i].availability != uint8_t(Availability::kOutOfStock)) {
      order.push_back(i);
    }
  }
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (pop[a].trend != pop[b].trend) return pop[a].trend > pop[b].trend;
    return pop[a].purchases > pop[b].purchases;
  });
  std::vector<std::vector<uint32_t>> per_category(categories.size());
  for (uint32_t i : order) {
    for (uint32_t c = records[i].category; c != fmt::kNone; c = categories[c].parent) {
      if (per_category[c].size() < m.category_top) per_category[c].push_back(i);
    }
  }
  add_ids(w, fmt::kCategoryTopOffsets, fmt::kCategoryTop, per_category);
  w.add_section(
      fmt::kGlobalTop,
      std::vector<uint32_t>(order.begin(),
                            order.begin() + long(std::min<size_t>(order.size(), m.global_top))));
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return records[a].launch > records[b].launch; });
  std::vector<uint32_t> fresh;
  for (uint32_t i : order) {
    if (records[i].launch == 0 || fresh.size() >= m.new_arrivals) break;
    fresh.push_back(i);
  }
  w.add_section(fmt::kNewArrivals, fresh);
}

}  // namespace

Result<std::vector<uint8_t>> write_snapshot(const SnapshotInput& input) {
  if (input.catalog == nullptr) return invalid("no catalog");
  const auto& items = input.catalog->items;
  if (!input.popularity.empty() && input.popularity.size() != items.size()) {
    return invalid("popularity does not match the catalog");
  }
  if (items.size() >= fmt::kNone) return invalid("too many items");

  std::unordered_map<std::string, uint32_t> by_id;
  for (uint32_t i = 0; i < items.size(); ++i) {
    if (items[i].id.empty()) return invalid("item " + std::to_string(i) + " has an empty id");
    if (!by_id.emplace(items[i].id, i).second)
      return invalid("duplicate item id '" + items[i].id + "'");
  }

  StringTable strings;
  std::vector<fmt::CategoryRecord> categories;
  std::map<std::pair<uint32_t, std::string>, uint32_t> category_index;
  std::vector<fmt::GroupRecord> groups;
  std::unordered_map<std::string, uint32_t> group_index;
  std::vector<std::vector<uint32_t>> group_members;
  std::vector<fmt::ItemRecord> records(items.size());
  std::vector<uint32_t> label_offsets{0}, label_ids, hint_offsets{0};
  std::vector<fmt::HintRecord> hints;

  for (uint32_t i = 0; i < items.size(); ++i) {
    const CatalogItem& it = items[i];
    const int64_t prices[] = {it.price, it.sale_price, it.cost};
    for (int64_t p : prices) {
      if (p >= int64_t(fmt::kNone))
        return invalid("item '" + it.id + "': price beyond the format's range");
    }
    if (it.price < 0) return invalid("item '" + it.id + "' has no price");
    fmt::ItemRecord& r = records[i];
    r = fmt::ItemRecord{};
    r.id = strings.intern(it.id);
    r.title = strings.intern(it.title);
    const auto url = split_url(it.url), image = split_url(it.image_url);
    r.url_prefix = strings.intern(url.first);
    r.url_suffix = strings.intern(url.second);
    r.image_prefix = strings.intern(image.first);
    r.image_suffix = strings.intern(image.second);
    r.brand = strings.intern(it.brand);
    r.currency = strings.intern(it.currency);
    r.margin_tier = strings.intern(it.margin_tier);
    r.category = fmt::kNone;
    for (const std::string& name : it.category_path) {
      const auto key = std::make_pair(r.category, name);
      auto found = category_index.find(key);
      if (found == category_index.end()) {
        found = category_index.emplace(key, uint32_t(categories.size())).first;
        categories.push_back({strings.intern(name), r.category});
      }
      r.category = found->second;
    }
    r.group = fmt::kNone;
    if (!it.group_key.empty()) {
      auto g = group_index.emplace(it.group_key, uint32_t(groups.size()));
      if (g.second) {
        groups.push_back({strings.intern(it.group_key), 0, 0});
        group_members.emplace_back();
      }
      r.group = g.first->second;
      group_members[r.group].push_back(i);
    }
    set_price_fields(it, &r);
    // Every shopper downloads the snapshot and nothing in the engine reads a unit cost or a
    // stock count: neither is written (availability says what a shopper may know).
    r.cost = fmt::kNone;
    r.launch = clamp_time(it.launch_s);
    r.inventory = -1;
    r.repurchase_days = it.repurchase_days;
    r.availability = uint8_t(it.availability);
    r.kind = uint8_t(it.kind);
    r.flags = uint8_t((it.recommendable ? fmt::kRecommendable : 0) | (it.promo ? fmt::kPromo : 0));

    if (it.labels.size() > 1024 || it.upsell_ids.size() + it.cross_sell_ids.size() > 1024) {
      return invalid("item '" + it.id + "': more than 1024 labels or hints");
    }
    for (const std::string& label : it.labels) label_ids.push_back(strings.intern(label));
    label_offsets.push_back(uint32_t(label_ids.size()));
    for (int pass = 0; pass < 2; ++pass) {
      const auto& ids = pass == 0 ? it.upsell_ids : it.cross_sell_ids;
      for (const std::string& target : ids) {
        const auto t = by_id.find(target);
        if (t == by_id.end())
          return invalid("item '" + it.id + "': hint to unknown item '" + target + "'");
        hints.push_back(
            {t->second, uint32_t(pass == 0 ? HintKind::kUpsell : HintKind::kCrossSell)});
      }
    }
    hint_offsets.push_back(uint32_t(hints.size()));
  }

  std::vector<uint32_t> members;
  for (size_t g = 0; g < groups.size(); ++g) {
    groups[g].first = uint32_t(members.size());
    groups[g].count = uint32_t(group_members[g].size());
    members.insert(members.end(), group_members[g].begin(), group_members[g].end());
  }

  std::vector<fmt::PopularityRecord> popularity(items.size());
  for (size_t i = 0; i < input.popularity.size(); ++i) {
    const auto& p = input.popularity[i];
    popularity[i] = {p.views, p.carts, p.purchases, p.trend};
  }

  std::vector<uint32_t> id_index(items.size());
  for (uint32_t i = 0; i < id_index.size(); ++i) id_index[i] = i;
  std::sort(id_index.begin(), id_index.end(),
            [&](uint32_t a, uint32_t b) { return items[a].id < items[b].id; });

  fmt::MetaRecord meta{};
  meta.built_at_ms = input.built_at_ms;
  meta.as_of_ms = input.as_of_ms;
  meta.events_read = input.events_read;
  meta.events_used = input.events_used;
  meta.trend_half_life_s = input.trend_half_life_s;
  meta.catalog_format = strings.intern(input.catalog_format);
  if (!input.model.sessions.empty()) meta.sessions_per_item = input.model.sessions_per_item;
  meta.similar_length = input.model.similar_length;
  const ModelInput& m = input.model;
  for (const Status& st : {check_scored(m.transitions, items.size(), "transitions"),
                           check_scored(m.co_purchases, items.size(), "co_purchases"),
                           check_scored(m.similar, items.size(), "similar")}) {
    if (!st.is_ok()) return st;
  }
  meta.transition_scale = choose_scale(m.transitions);
  meta.co_purchase_scale = choose_scale(m.co_purchases);

  if (strings.data().size() >= fmt::kNone || label_ids.size() >= fmt::kNone ||
      hints.size() >= fmt::kNone) {
    return invalid("catalog too large for the snapshot format");
  }

  Writer w;
  w.add_section(fmt::kStringLengths, strings.lengths());
  w.add_section(fmt::kStringData, strings.data());
  w.add_section(fmt::kItems, records);
  w.add_section(fmt::kCategories, categories);
  w.add_section(fmt::kGroups, groups);
  w.add_section(fmt::kGroupMembers, members);
  w.add_section(fmt::kLabelOffsets, label_offsets);
  w.add_section(fmt::kLabelIds, label_ids);
  w.add_section(fmt::kHintOffsets, hint_offsets);
  w.add_section(fmt::kHints, hints);
  w.add_section(fmt::kPopularity, popularity);
  w.add_section(fmt::kIdIndex, id_index);
  w.add_section(fmt::kMeta, std::vector<fmt::MetaRecord>{meta});
  add_compact(w, fmt::kCompactTransitionOffsets, m.transitions, meta.transition_scale);
  add_compact(w, fmt::kCompactCoPurchaseOffsets, m.co_purchases, meta.co_purchase_scale);
  add_scored(w, fmt::kSimilarOffsets, fmt::kSimilar, m.similar);
  if (!m.sessions.empty()) {
    if (m.sessions_per_item == 0) return invalid("sessions_per_item: 1 or more expected");
    for (const auto& s : m.sessions) {
      for (uint32_t i : s) {
        if (i >= items.size()) return invalid("sessions: bad item");
      }
    }
    add_ids(w, fmt::kSessionIndexOffsets, fmt::kSessionIndexItems, m.sessions);
  }
  add_rankings(w, m, records, categories, popularity);
  if (m.item_session_counts.size() == items.size()) {
    std::vector<fmt::ItemStatsRecord> stats;
    for (uint32_t c : m.item_session_counts) stats.push_back({c, 0});
    w.add_section(fmt::kItemStats, stats);
  }
  if (!input.rules_json.empty()) {
    w.add_section(fmt::kRules, std::vector<char>(input.rules_json.begin(), input.rules_json.end()));
  }
  if (!input.build_notes.empty()) {
    w.add_section(fmt::kBuildNotes,
                  std::vector<char>(input.build_notes.begin(), input.build_notes.end()));
  }
  if (input.tuning) w.add_section(fmt::kTuning, std::vector<fmt::TuningRecord>{*input.tuning});
  if (input.shard) {
    const fmt::ShardWholeRecord whole = input.shard_whole;
    if (input.shard_items.size() != items.size())
      return invalid("shard_items: one per item expected");
    for (size_t i = 0; i < items.size(); ++i) {
      const fmt::ShardItemRecord r = input.shard_items[i];
      if ((i > 0 && r.global <= input.shard_items[i - 1].global) || r.global >= whole.items ||
          (r.flags != 0 && r.flags != fmt::kShardSetLists && r.flags != fmt::kShardLists))
        return invalid("shard_items: out of order or unknown flags at item " + std::to_string(i));
    }
    const std::vector<uint32_t>& g = input.shard_sessions;
    if (g.empty() ? !m.sessions.empty() && m.sessions.size() != whole.sessions
                  : g.size() != m.sessions.size())
      return invalid(
          "shard_sessions: one per session expected, or none and no session or all of the whole's");
    for (size_t x = 0; x < g.size(); ++x) {
      if ((x > 0 && g[x] <= g[x - 1]) || g[x] >= whole.sessions)
        return invalid("shard_sessions: out of order at session " + std::to_string(x));
    }
    w.add_section(fmt::kShardItems, input.shard_items);
    if (!g.empty()) w.add_section(fmt::kShardSessions, g);
    w.add_section(fmt::kShardWhole, std::vector<fmt::ShardWholeRecord>{whole});
    w.set_minor(1);
  }
  for (const ExtraSection& x : input.extra_sections) {
    if (x.id <= fmt::kLastSection || x.elem_size == 0 || x.bytes.size() % x.elem_size != 0) {
      return invalid("bad extra section " + std::to_string(x.id));
    }
    w.add_section(x.id, x.bytes, x.elem_size);
  }
  return w.finish();
}

}  // namespace aisle
