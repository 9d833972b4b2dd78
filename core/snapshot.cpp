#include "snapshot.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <iterator>
#include <string>

#include "crc32.h"
#include "json_line.h"
#include "rules.h"

namespace aisle {
namespace {

template <typename T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

Status corrupt(const std::string& msg) {
  return Status(StatusCode::kCorrupt, "snapshot: " + msg);
}

struct KnownSection {
  uint32_t id;
  const char* name;
  uint32_t min_elem_size;
  bool required;
};

constexpr KnownSection kKnown[] = {
    {fmt::kStringOffsets, "string_offsets", 4, false},  // or string_lengths: verify_strings
    {fmt::kStringData, "string_data", 1, true},
    {fmt::kItems, "items", sizeof(fmt::ItemRecord), true},
    {fmt::kCategories, "categories", sizeof(fmt::CategoryRecord), true},
    {fmt::kGroups, "groups", sizeof(fmt::GroupRecord), true},
    {fmt::kGroupMembers, "group_members", 4, true},
    {fmt::kLabelOffsets, "label_offsets", 4, true},
    {fmt::kLabelIds, "label_ids", 4, true},
    {fmt::kHintOffsets, "hint_offsets", 4, true},
    {fmt::kHints, "hints", sizeof(fmt::HintRecord), true},
    {fmt::kPopularity, "popularity", sizeof(fmt::PopularityRecord), true},
    {fmt::kIdIndex, "id_index", 4, true},
    {fmt::kMeta, "meta", fmt::kMetaRecordV1Size, true},
    {fmt::kTransitionOffsets, "transition_offsets", 4, false},
    {fmt::kTransitions, "transitions", sizeof(fmt::ScoredItemRecord), false},
    {fmt::kCoPurchaseOffsets, "co_purchase_offsets", 4, false},
    {fmt::kCoPurchases, "co_purchases", sizeof(fmt::ScoredItemRecord), false},
    {fmt::kSimilarOffsets, "similar_offsets", 4, false},
    {fmt::kSimilar, "similar", sizeof(fmt::ScoredItemRecord), false},
    {fmt::kSessionOffsets, "session_offsets", 4, false},
    {fmt::kSessionItems, "session_items", 4, false},
    {fmt::kItemSessionOffsets, "item_session_offsets", 4, false},
    {fmt::kItemSessions, "item_sessions", 4, false},
    {fmt::kCategoryTopOffsets, "category_top_offsets", 4, false},
    {fmt::kCategoryTop, "category_top", 4, false},
    {fmt::kGlobalTop, "global_top", 4, false},
    {fmt::kNewArrivals, "new_arrivals", 4, false},
    {fmt::kItemStats, "item_stats", sizeof(fmt::ItemStatsRecord), false},
    {fmt::kRules, "rules", 1, false},
    {fmt::kBuildNotes, "build_notes", 1, false},
    {fmt::kTuning, "tuning", sizeof(fmt::TuningRecord), false},
    {fmt::kSessionIndexOffsets, "session_index_offsets", 4, false},
    {fmt::kSessionIndexItems, "session_index_items", 4, false},
    {fmt::kCompactTransitionOffsets, "compact_transition_offsets", 4, false},
    {fmt::kCompactTransitionItems, "compact_transition_items", 4, false},
    {fmt::kCompactTransitionScores, "compact_transition_scores", 1, false},
    {fmt::kCompactCoPurchaseOffsets, "compact_co_purchase_offsets", 4, false},
    {fmt::kCompactCoPurchaseItems, "compact_co_purchase_items", 4, false},
    {fmt::kCompactCoPurchaseScores, "compact_co_purchase_scores", 1, false},
    {fmt::kStringLengths, "string_lengths", 1, false},
    {fmt::kShardItems, "shard_items", sizeof(fmt::ShardItemRecord), false},
    {fmt::kShardSessions, "shard_sessions", 4, false},
    {fmt::kShardWhole, "shard_whole", sizeof(fmt::ShardWholeRecord), false},
};
constexpr size_t kKnownCount = sizeof(kKnown) / sizeof(kKnown[0]);

const KnownSection* known_section(uint32_t id) {
  for (const auto& k : kKnown) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

std::string num(uint64_t v) {
  return std::to_string(v);
}

}  // namespace

const char* section_name(uint32_t id) {
  const KnownSection* k = known_section(id);
  return k ? k->name : "unknown";
}

std::string ItemView::url() const {
  std::string s(url_prefix);
  s += url_suffix;
  return s;
}

std::string ItemView::image_url() const {
  std::string s(image_prefix);
  s += image_suffix;
  return s;
}

uint32_t effective_price(const fmt::ItemRecord& r, int64_t now_s) {
  if (r.sale_price == fmt::kNone) return r.price;
  if (r.sale_start != 0 && now_s < int64_t(r.sale_start)) return r.price;
  if (r.sale_end != 0 && now_s >= int64_t(r.sale_end)) return r.price;
  return r.sale_price;
}

bool is_deal(const fmt::ItemRecord& r, int64_t now_s) {
  return (r.flags & fmt::kPromo) || effective_price(r, now_s) < r.price;
}

namespace {
fmt::ItemRecord price_record(const ItemView& it) {
  fmt::ItemRecord r{};
  r.price = it.price;
  r.sale_price = it.sale_price;
  r.sale_start = it.sale_start;
  r.sale_end = it.sale_end;
  r.flags = it.promo ? fmt::kPromo : 0;
  return r;
}
}  // namespace

uint32_t ItemView::effective_price(int64_t now_s) const {
  return aisle::effective_price(price_record(*this), now_s);
}

bool ItemView::is_deal(int64_t now_s) const {
  return aisle::is_deal(price_record(*this), now_s);
}

uint32_t GroupView::member(uint32_t i) const {
  assert(i < count);
  return load<uint32_t>(members + size_t(i) * 4);
}

Result<Snapshot> Snapshot::open(const uint8_t* data, size_t size, const VerifyOptions& options) {
  Snapshot s;
  s.data_ = data;
  s.size_ = size;
  Status st = s.verify(options);
  if (!st.is_ok()) return st;
  return s;
}

uint32_t Snapshot::u32(const Span& s, uint64_t i) const {
  assert(i < s.count);
  return load<uint32_t>(s.p + i * s.stride);
}

Status Snapshot::verify(const VerifyOptions& options) {
  if (data_ == nullptr && size_ != 0) return Status(StatusCode::kInvalidArgument, "null data");
  if (size_ > options.max_file_size) {
    return Status(
        StatusCode::kLimitExceeded,
        "snapshot: " + num(size_) + " bytes exceeds the limit of " + num(options.max_file_size));
  }
  if (size_ < sizeof(fmt::Header)) {
    return corrupt("truncated: " + num(size_) + " bytes, the header alone needs " +
                   num(sizeof(fmt::Header)));
  }
  const auto h = load<fmt::Header>(data_);
  if (std::memcmp(h.magic, fmt::kMagic, 4) != 0)
    return corrupt("not an aisle snapshot (bad magic)");
  if (std::memcmp(h.file_identifier, fmt::kFileIdentifier, 4) != 0) {
    return corrupt("bad file identifier (expected SNAP)");
  }
  if (h.version_major < fmt::kOldestVersionMajor || h.version_major > fmt::kVersionMajor) {
    return Status(StatusCode::kUnsupported,
                  "snapshot: format version " + num(h.version_major) + "." + num(h.version_minor) +
                      " is not supported (this build reads " + num(fmt::kOldestVersionMajor) +
                      ".x to " + num(fmt::kVersionMajor) + ".x)");
  }
  version_major_ = h.version_major;
  version_minor_ = h.version_minor;
  checksum_ = h.checksum;
  if (h.file_size > size_) {
    return corrupt("truncated: header says " + num(h.file_size) + " bytes, got " + num(size_));
  }
  if (h.file_size < size_)
    return corrupt(num(size_ - h.file_size) + " trailing bytes after the snapshot");
  if (h.header_size < sizeof(fmt::Header) || h.header_size % fmt::kAlignment != 0 ||
      h.header_size > size_) {
    return corrupt("bad header size " + num(h.header_size));
  }
  if (h.flags != 0)
    return Status(StatusCode::kUnsupported, "snapshot: unknown flags " + num(h.flags));
  const bool known = h.version_major < fmt::kVersionMajor
                         ? h.version_minor <= fmt::kLastVersion1Minor
                         : h.version_minor <= fmt::kVersionMinor;
  if (known) {  // a newer minor may use the reserved bytes
    for (uint8_t b : h.reserved) {
      if (b != 0) return corrupt("reserved header bytes are not zero");
    }
  }
  if (options.verify_checksum) {
    const uint8_t zero[4] = {0, 0, 0, 0};
    uint32_t crc = crc32_update(0, data_, fmt::kChecksumOffset);
    crc = crc32_update(crc, zero, 4);
    crc = crc32_update(crc, data_ + fmt::kChecksumOffset + 4, size_ - fmt::kChecksumOffset - 4);
    if (crc != h.checksum) return corrupt("checksum mismatch (the file is damaged or incomplete)");
  }

  // Section table.
  if (h.section_count > options.max_sections) {
    return Status(StatusCode::kLimitExceeded, "snapshot: " + num(h.section_count) +
                                                  " sections exceeds the limit of " +
                                                  num(options.max_sections));
  }
  const uint64_t table_off = h.section_table_offset;
  const uint64_t table_len = uint64_t(h.section_count) * sizeof(fmt::SectionEntry);
  if (table_off < h.header_size || table_off % fmt::kAlignment != 0 || table_len > size_ ||
      table_off > size_ - table_len) {
    return corrupt("section table out of bounds");
  }
  Span* slots[] = {&string_offsets_,
                   &string_data_,
                   &items_,
                   &categories_,
                   &groups_,
                   &group_members_,
                   &label_offsets_,
                   &label_ids_,
                   &hint_offsets_,
                   &hints_,
                   &popularity_,
                   &id_index_,
                   &meta_,
                   &transitions_.offsets,
                   &transitions_.values,
                   &co_purchases_.offsets,
                   &co_purchases_.values,
                   &similar_.offsets,
                   &similar_.values,
                   &sessions_.offsets,
                   &sessions_.values,
                   &item_sessions_.offsets,
                   &item_sessions_.values,
                   &category_top_.offsets,
                   &category_top_.values,
                   &global_top_,
                   &new_arrivals_,
                   &item_stats_,
                   &rules_,
                   &notes_,
                   &tuning_,
                   &session_index_.offsets,
                   &session_index_.values,
                   &compact_transitions_.offsets,
                   &compact_transitions_.values,
                   &compact_transitions_.scores,
                   &compact_co_purchases_.offsets,
                   &compact_co_purchases_.values,
                   &compact_co_purchases_.scores,
                   &string_lengths_,
                   &shard_items_,
                   &shard_sessions_,
                   &shard_whole_};
  static_assert(sizeof(slots) / sizeof(slots[0]) == kKnownCount, "slots");
  bool seen[kKnownCount] = {};
  uint64_t prev_end = table_off + table_len;
  sections_.clear();
  for (uint32_t i = 0; i < h.section_count; ++i) {
    const auto e =
        load<fmt::SectionEntry>(data_ + table_off + uint64_t(i) * sizeof(fmt::SectionEntry));
    const std::string where = "section " + num(i) + " (" + section_name(e.id) + ")";
    if (e.offset % fmt::kAlignment != 0)
      return corrupt(where + ": misaligned offset " + num(e.offset));
    if (e.size > size_ || e.offset > size_ - e.size) return corrupt(where + ": out of bounds");
    if (e.offset < prev_end) return corrupt(where + ": overlaps the previous section or the table");
    if (e.offset - prev_end >= fmt::kAlignment)
      return corrupt(where + ": unaccounted bytes before it");
    if (e.elem_size == 0 || e.size % e.elem_size != 0) {
      return corrupt(where + ": size " + num(e.size) + " is not a multiple of element size " +
                     num(e.elem_size));
    }
    prev_end = e.offset + e.size;
    sections_.push_back({e.id, e.elem_size, e.offset, e.size});
    for (size_t k = 0; k < kKnownCount; ++k) {
      if (kKnown[k].id != e.id) continue;
      if (seen[k]) return corrupt(where + ": duplicate section");
      if (e.elem_size < kKnown[k].min_elem_size ||
          (kKnown[k].min_elem_size >= 4 && e.elem_size % 4 != 0)) {
        return corrupt(where + ": element size " + num(e.elem_size) + " is too small");
      }
      seen[k] = true;
      *slots[k] = Span{data_ + e.offset, e.elem_size, e.size / e.elem_size};
    }
  }
  for (size_t k = 0; k < kKnownCount; ++k) {
    if (!seen[k] && kKnown[k].required) {
      return corrupt(std::string("required section ") + kKnown[k].name + " is missing");
    }
  }
  // Anything between the last section and the end must be alignment padding.
  if (size_ - prev_end >= fmt::kAlignment)
    return corrupt("unaccounted bytes after the last section");

  Status st = verify_strings(options);
  if (st.is_ok()) st = verify_items(options);
  if (st.is_ok())
    st = verify_csr(label_offsets_, label_ids_, options.max_labels_per_item, "labels", false);
  if (st.is_ok()) st = verify_csr(hint_offsets_, hints_, options.max_hints_per_item, "hints", true);
  if (st.is_ok()) st = verify_groups();
  if (st.is_ok()) st = verify_id_index();
  if (st.is_ok()) st = verify_rest();
  if (st.is_ok()) st = verify_model(options);
  return st;
}

// An optional CSR: both halves or neither; offsets monotone from 0 to the value count;
// values in range (scored entries also finite and positive).
Status Snapshot::verify_optional_csr(Csr& csr, uint64_t rows, uint64_t value_limit,
                                     uint32_t max_per_row, bool scored, const char* what) {
  const bool has_offsets = csr.offsets.p != nullptr, has_values = csr.values.p != nullptr;
  if (has_offsets != has_values)
    return corrupt(std::string(what) + ": half of the section pair is missing");
  if (!has_offsets) return Status::ok();
  if (csr.offsets.count != rows + 1)
    return corrupt(std::string(what) + ": offsets do not match the row count");
  if (u32(csr.offsets, 0) != 0) return corrupt(std::string(what) + ": first offset is not 0");
  uint32_t prev = 0;
  for (uint64_t r = 1; r <= rows; ++r) {
    const uint32_t o = u32(csr.offsets, r);
    if (o < prev || o - prev > max_per_row)
      return corrupt(std::string(what) + ": bad offset for row " + num(r - 1));
    prev = o;
  }
  if (prev != csr.values.count)
    return corrupt(std::string(what) + ": offsets do not end the values");
  for (uint64_t j = 0; j < csr.values.count; ++j) {
    if (scored) {
      const auto r = load<fmt::ScoredItemRecord>(csr.values.p + j * csr.values.stride);
      if (r.item >= value_limit || !std::isfinite(r.score) || !(r.score > 0)) {
        return corrupt(std::string(what) + ": entry " + num(j) + " out of range");
      }
    } else if (u32(csr.values, j) >= value_limit) {
      return corrupt(std::string(what) + ": entry " + num(j) + " out of range");
    }
  }
  csr.present = true;
  return Status::ok();
}

Status Snapshot::verify_list(const Span& list, uint64_t max_count, const char* what) {
  if (list.count > max_count) return corrupt(std::string(what) + ": longer than the item count");
  for (uint64_t j = 0; j < list.count; ++j) {
    if (u32(list, j) >= item_count_)
      return corrupt(std::string(what) + ": entry " + num(j) + " out of range");
  }
  return Status::ok();
}

// A scored list in either form: 1.1's records, or 1.3's compact columns (then `csr` views
// them, with the 256 scores their bytes stand for, written to `table`).
Status Snapshot::verify_scored(Csr& csr, Csr& compact, fmt::ScoreScale scale, float* table,
                               uint32_t max_per_row, const char* what) {
  const bool has_compact =
      compact.offsets.p != nullptr || compact.values.p != nullptr || compact.scores.p != nullptr;
  if (!has_compact)
    return verify_optional_csr(csr, item_count_, item_count_, max_per_row, true, what);
  Status st = verify_optional_csr(compact, item_count_, item_count_, max_per_row, false, what);
  if (!st.is_ok()) return st;
  const float steps[] = {0, 1.0f / 32, 1.0f / 16, 1.0f / 8, 1.0f / 4, 1.0f / 2};
  const char* problem = nullptr;
  if (csr.offsets.p != nullptr || csr.values.p != nullptr) {
    problem = "beside the format 1.1 sections of the same list";
  } else if (compact.scores.p == nullptr || compact.scores.stride != 1 ||
             compact.scores.count != compact.values.count) {
    problem = "not one score byte per item";
  } else if (!std::isfinite(scale.base) || !(scale.base > 0) ||
             std::find(std::begin(steps), std::end(steps), scale.step) == std::end(steps)) {
    problem = "its scale in meta is out of range";
  } else {
    for (int b = 0; b < 256 && problem == nullptr; ++b) {
      const float v = compact_score(scale, uint8_t(b));
      if (!std::isfinite(v) || !(v > 0)) problem = "its scale in meta is out of range";
      table[b] = v;
    }
  }
  if (problem != nullptr) return corrupt(std::string("compact ") + what + ": " + problem);
  compact.scale = table;
  csr = compact;
  return Status::ok();
}

Status Snapshot::verify_model(const VerifyOptions& options) {
  const uint32_t per_item = options.max_neighbors_per_item;
  const fmt::MetaRecord m = meta();
  auto tables = std::make_shared<std::vector<float>>(512);
  Status st = verify_scored(transitions_, compact_transitions_, m.transition_scale, tables->data(),
                            per_item, "transitions");
  if (st.is_ok())
    st = verify_scored(co_purchases_, compact_co_purchases_, m.co_purchase_scale,
                       tables->data() + 256, per_item, "co_purchases");
  score_tables_ = std::move(tables);
  if (st.is_ok())
    st = verify_optional_csr(similar_, item_count_, item_count_, per_item, true, "similar");
  if (!st.is_ok()) return st;
  const bool derived = session_index_.offsets.p != nullptr || session_index_.values.p != nullptr;
  if (derived) {
    if (sessions_.offsets.p != nullptr || sessions_.values.p != nullptr ||
        item_sessions_.offsets.p != nullptr || item_sessions_.values.p != nullptr) {
      return corrupt("session index: both the format 1.1 sections and the 1.2 ones");
    }
    sessions_ = session_index_;
  } else if ((sessions_.offsets.p != nullptr) != (item_sessions_.offsets.p != nullptr)) {
    return corrupt("session index: sessions and item postings come together");
  }
  if (sessions_.offsets.p != nullptr) {
    if (sessions_.offsets.count == 0 || sessions_.offsets.count - 1 > options.max_sessions) {
      return Status(StatusCode::kLimitExceeded, "snapshot: too many indexed sessions");
    }
    session_count_ = uint32_t(sessions_.offsets.count - 1);
    st = verify_optional_csr(sessions_, session_count_, item_count_, options.max_session_length,
                             false, "sessions");
    if (st.is_ok() && derived) {
      const uint32_t cap = meta().sessions_per_item;
      if (cap == 0) return corrupt("meta: sessions_per_item is 0 beside a session index");
      if (cap > options.max_sessions_per_item) {
        return Status(StatusCode::kLimitExceeded, "snapshot: sessions_per_item " + num(cap) +
                                                      " exceeds the limit of " +
                                                      num(options.max_sessions_per_item));
      }
      derive_postings(cap);
    } else if (st.is_ok()) {
      st = verify_optional_csr(item_sessions_, item_count_, session_count_,
                               options.max_sessions_per_item, false, "item_sessions");
    }
    if (!st.is_ok()) return st;
  }
  st = verify_optional_csr(category_top_, category_count_, item_count_, per_item, false,
                           "category_top");
  if (st.is_ok()) st = verify_list(global_top_, item_count_, "global_top");
  if (st.is_ok()) st = verify_list(new_arrivals_, item_count_, "new_arrivals");
  if (st.is_ok()) st = verify_rules(options);
  if (st.is_ok() && item_stats_.p != nullptr && item_stats_.count != item_count_) {
    return corrupt("item_stats: does not match the item count");
  }
  if (st.is_ok()) st = verify_shard(options);
  return st;
}

// A shard's sections (format 2.1): all or none of items and whole, each number in the
// whole snapshot's range and in its order.
Status Snapshot::verify_shard(const VerifyOptions& options) {
  if ((shard_items_.p == nullptr) != (shard_whole_.p == nullptr) ||
      (shard_sessions_.p != nullptr && shard_items_.p == nullptr))
    return corrupt("shard: shard_items and shard_whole go together (shard_sessions with them)");
  if (shard_items_.p == nullptr) return Status::ok();
  if (shard_whole_.count != 1) return corrupt("shard_whole: one record expected");
  const auto whole = load<fmt::ShardWholeRecord>(shard_whole_.p);
  if (whole.sessions > options.max_sessions)  // a merge writes every one of them
    return Status(StatusCode::kLimitExceeded, "snapshot: the whole snapshot's " +
                                                  num(whole.sessions) +
                                                  " indexed sessions exceed the limit");
  if (shard_items_.count != item_count_)
    return corrupt("shard_items: does not match the item count");
  for (uint32_t i = 0; i < item_count_; ++i) {
    const auto r = load<fmt::ShardItemRecord>(shard_items_.p + uint64_t(i) * shard_items_.stride);
    if ((i > 0 && r.global <= shard_global(i - 1)) || r.global >= whole.items ||
        (r.flags != 0 && r.flags != fmt::kShardSetLists && r.flags != fmt::kShardLists))
      return corrupt("shard_items: item " + num(i) +
                     " is out of order, past the whole snapshot or has unknown flags");
  }
  if (shard_sessions_.p == nullptr) {  // no session, or every one of the whole's
    if (session_count_ != 0 && session_count_ != whole.sessions)
      return corrupt(
          "shard_whole: the session count differs from the file's, which has no shard_sessions");
    return Status::ok();
  }
  if (shard_sessions_.count != session_count_)
    return corrupt("shard_sessions: does not match the session count");
  for (uint32_t x = 0; x < session_count_; ++x) {
    const uint32_t g = shard_session_global(x);
    if ((x > 0 && g <= shard_session_global(x - 1)) || g >= whole.sessions)
      return corrupt("shard_sessions: session " + num(x) +
                     " is out of order or past the whole snapshot");
  }
  return Status::ok();
}

// Format 2.0's string lengths (LEB128) turned into the offsets a 1.x file holds, which
// verify_strings then checks as it checks those.
Status Snapshot::derive_string_offsets(const VerifyOptions& options) {
  const Span& lengths = string_lengths_;
  if (string_offsets_.p != nullptr) return corrupt("string_lengths: beside string_offsets");
  if (lengths.stride != 1) return corrupt("string_lengths: element size must be 1");
  uint64_t n = 0;
  for (uint64_t i = 0; i < lengths.count; ++i) n += lengths.p[i] < 0x80;
  if (n > options.max_strings) {
    return Status(StatusCode::kLimitExceeded, "snapshot: too many strings");
  }
  auto starts = std::make_shared<std::vector<uint32_t>>();
  starts->reserve(n + 1);
  starts->push_back(0);
  uint64_t end = 0, value = 0;
  unsigned shift = 0;
  for (uint64_t i = 0; i < lengths.count; ++i) {
    const uint8_t b = lengths.p[i];
    if (shift == 35) {
      return corrupt("string_lengths: the length of string " + num(starts->size() - 1) +
                     " is not a LEB128 number of at most 5 bytes");
    }
    value |= uint64_t(b & 0x7f) << shift;
    shift += 7;
    if (b & 0x80) continue;
    end += value;
    if (end > string_data_.count) {
      return corrupt("string_lengths: string " + num(starts->size() - 1) +
                     " runs past the string data");
    }
    starts->push_back(uint32_t(end));
    value = 0;
    shift = 0;
  }
  if (shift != 0) return corrupt("string_lengths: the last length is cut short");
  string_offsets_ = Span{reinterpret_cast<const uint8_t*>(starts->data()), 4, starts->size()};
  string_starts_ = std::move(starts);
  return Status::ok();
}

Status Snapshot::verify_strings(const VerifyOptions& options) {
  if (string_lengths_.p != nullptr) {
    const Status st = derive_string_offsets(options);
    if (!st.is_ok()) return st;
  } else if (string_offsets_.p == nullptr) {
    return corrupt("required section string_offsets (or string_lengths) is missing");
  }
  if (string_offsets_.count == 0) return corrupt("string_offsets: empty");
  if (string_offsets_.count - 1 > options.max_strings) {
    return Status(StatusCode::kLimitExceeded, "snapshot: too many strings");
  }
  string_count_ = uint32_t(string_offsets_.count - 1);
  if (string_data_.stride != 1) return corrupt("string_data: element size must be 1");
  uint32_t prev = 0;
  if (u32(string_offsets_, 0) != 0) return corrupt("string_offsets: first offset is not 0");
  for (uint64_t i = 1; i <= string_count_; ++i) {
    const uint32_t o = u32(string_offsets_, i);
    if (o < prev) return corrupt("string_offsets: offset " + num(i) + " goes backwards");
    if (o - prev > options.max_string_length) {
      return Status(StatusCode::kLimitExceeded, "snapshot: string " + num(i - 1) + " is " +
                                                    num(o - prev) + " bytes, over the limit of " +
                                                    num(options.max_string_length));
    }
    prev = o;
  }
  if (prev != string_data_.count)
    return corrupt("string_offsets: last offset does not end the data");
  for (uint32_t i = 0; i < string_count_; ++i) {
    if (!is_clean_text(string(i)))
      return corrupt("string " + num(i) + ": not UTF-8 text without control characters");
  }
  return Status::ok();
}

Status Snapshot::verify_items(const VerifyOptions& options) {
  if (items_.count > options.max_items) {
    return Status(
        StatusCode::kLimitExceeded,
        "snapshot: " + num(items_.count) + " items exceeds the limit of " + num(options.max_items));
  }
  if (categories_.count > options.max_categories) {
    return Status(StatusCode::kLimitExceeded, "snapshot: too many categories");
  }
  item_count_ = uint32_t(items_.count);
  category_count_ = uint32_t(categories_.count);
  if (groups_.count > items_.count) return corrupt("groups: more groups than items");
  group_count_ = uint32_t(groups_.count);
  std::vector<uint8_t> depth(category_count_);  // parents come first, so one pass
  for (uint32_t c = 0; c < category_count_; ++c) {
    const auto r = load<fmt::CategoryRecord>(categories_.p + uint64_t(c) * categories_.stride);
    if (r.name >= string_count_) return corrupt("category " + num(c) + ": bad name string");
    if (r.parent != fmt::kNone && r.parent >= c) {
      return corrupt("category " + num(c) + ": parent must come before its child");
    }
    const uint32_t d = r.parent == fmt::kNone ? 1 : depth[r.parent] + 1u;
    if (d > options.max_category_depth || d > 255) {
      return Status(StatusCode::kLimitExceeded, "snapshot: category " + num(c) +
                                                    " is deeper than the limit of " +
                                                    num(options.max_category_depth) + " levels");
    }
    depth[c] = uint8_t(d);
  }
  for (uint32_t i = 0; i < item_count_; ++i) {
    const auto r = load<fmt::ItemRecord>(items_.p + uint64_t(i) * items_.stride);
    const uint32_t strs[] = {r.id,           r.title, r.url_prefix, r.url_suffix, r.image_prefix,
                             r.image_suffix, r.brand, r.currency,   r.margin_tier};
    for (uint32_t s : strs) {
      if (s >= string_count_) return corrupt("item " + num(i) + ": string index out of range");
    }
    if (r.category != fmt::kNone && r.category >= category_count_) {
      return corrupt("item " + num(i) + ": category out of range");
    }
    if (r.group != fmt::kNone && r.group >= group_count_)
      return corrupt("item " + num(i) + ": group out of range");
    if (r.availability > uint8_t(Availability::kBackorder) ||
        r.kind > uint8_t(ItemKind::kConsumable) ||
        (r.flags & ~(fmt::kRecommendable | fmt::kPromo)) != 0) {
      return corrupt("item " + num(i) + ": bad enum or flag value");
    }
  }
  return Status::ok();
}

Status Snapshot::verify_csr(Span offsets, Span values, uint32_t max_per_item, const char* what,
                            bool values_are_hints) {
  if (offsets.count != uint64_t(item_count_) + 1) {
    return corrupt(std::string(what) + ": offsets do not match the item count");
  }
  uint32_t prev = 0;
  if (u32(offsets, 0) != 0) return corrupt(std::string(what) + ": first offset is not 0");
  for (uint64_t i = 1; i <= item_count_; ++i) {
    const uint32_t o = u32(offsets, i);
    if (o < prev || o - prev > max_per_item) {
      return corrupt(std::string(what) + ": bad offset for item " + num(i - 1));
    }
    prev = o;
  }
  if (prev != values.count) return corrupt(std::string(what) + ": offsets do not end the values");
  for (uint64_t j = 0; j < values.count; ++j) {
    if (values_are_hints) {
      const auto r = load<fmt::HintRecord>(values.p + j * values.stride);
      if (r.item >= item_count_ || r.kind > uint32_t(HintKind::kCrossSell)) {
        return corrupt("hints: entry " + num(j) + " out of range");
      }
    } else if (u32(values, j) >= string_count_) {
      return corrupt(std::string(what) + ": entry " + num(j) + " out of range");
    }
  }
  return Status::ok();
}

Status Snapshot::verify_groups() {
  uint64_t total = 0;
  for (uint32_t g = 0; g < group_count_; ++g) {
    const auto r = load<fmt::GroupRecord>(groups_.p + uint64_t(g) * groups_.stride);
    if (r.key >= string_count_) return corrupt("group " + num(g) + ": bad key string");
    if (r.count == 0 || uint64_t(r.first) + r.count > group_members_.count) {
      return corrupt("group " + num(g) + ": members out of range");
    }
    for (uint32_t m = 0; m < r.count; ++m) {
      const uint32_t item = u32(group_members_, uint64_t(r.first) + m);
      if (item >= item_count_ ||
          load<fmt::ItemRecord>(items_.p + uint64_t(item) * items_.stride).group != g) {
        return corrupt("group " + num(g) + ": member " + num(m) + " does not belong to it");
      }
    }
    total += r.count;
  }
  if (total != group_members_.count)
    return corrupt("group_members: entries not owned by any group");
  return Status::ok();
}

Status Snapshot::verify_id_index() {
  if (id_index_.count != item_count_) return corrupt("id_index: does not match the item count");
  std::string_view prev;
  for (uint32_t i = 0; i < item_count_; ++i) {
    const uint32_t item = u32(id_index_, i);
    if (item >= item_count_) return corrupt("id_index: entry " + num(i) + " out of range");
    const std::string_view id =
        string(load<fmt::ItemRecord>(items_.p + uint64_t(item) * items_.stride).id);
    if (id.empty() || (i > 0 && !(prev < id))) {
      return corrupt("id_index: ids are empty, repeated or out of order at entry " + num(i));
    }
    prev = id;
  }
  return Status::ok();
}

Status Snapshot::verify_rest() {
  if (popularity_.count != item_count_) return corrupt("popularity: does not match the item count");
  for (uint32_t i = 0; i < item_count_; ++i) {
    const float t = popularity(i).trend;
    if (!std::isfinite(t) || t < 0) return corrupt("popularity: bad trend for item " + num(i));
  }
  if (meta_.count != 1) return corrupt("meta: expected exactly one record");
  const fmt::MetaRecord m = meta();
  if (m.catalog_format >= string_count_) return corrupt("meta: bad catalog format string");
  for (const int64_t t : {m.built_at_ms, m.as_of_ms}) {
    if (t < 0 || t > fmt::kMaxTimeMs)
      return corrupt("meta: timestamp " + std::to_string(t) + " outside 1970 to 9999");
  }
  // Counts past what any log holds are refused, so sums and ratios of them stay exact.
  if (m.events_read > (uint64_t(1) << 53) || m.events_used > (uint64_t(1) << 53))
    return corrupt("meta: event counts out of range");
  return Status::ok();
}

Status Snapshot::verify_rules(const VerifyOptions& options) {
  if (notes_.p != nullptr && notes_.stride != 1)
    return corrupt("build_notes: element size must be 1");
  if (tuning_.p != nullptr) {
    if (tuning_.count != 1) return corrupt("tuning: one record expected");
    const auto t = load<fmt::TuningRecord>(tuning_.p);
    auto in = [](float v, float lo, float hi) { return std::isfinite(v) && v >= lo && v <= hi; };
    if (!in(t.knn_idf, 0, 8) || !in(t.knn_position_decay, 0, 100) ||
        !in(t.next_context_decay, 0, 1) || !in(t.next_history, 0, 10) ||
        !in(t.next_neighbors, 0, 10) || !in(t.next_transitions, 0, 10))
      return corrupt("tuning: a parameter out of range");
  }
  if (rules_.p == nullptr) return Status::ok();
  if (rules_.stride != 1) return corrupt("rules: element size must be 1");
  if (rules_.count > options.max_rules_bytes) {
    return Status(StatusCode::kLimitExceeded, "snapshot: rules: " + num(rules_.count) +
                                                  " bytes exceeds the limit of " +
                                                  num(options.max_rules_bytes));
  }
  Rules parsed;
  const Status st = parse_rules_json(rules_text(), &parsed);
  if (!st.is_ok()) return corrupt("rules: " + st.message());
  return Status::ok();
}

std::string_view Snapshot::string(uint32_t index) const {
  assert(index < string_count_);
  const uint32_t b = u32(string_offsets_, index), e = u32(string_offsets_, uint64_t(index) + 1);
  return std::string_view(reinterpret_cast<const char*>(string_data_.p) + b, e - b);
}

fmt::ItemRecord Snapshot::record(uint32_t index) const {
  assert(index < item_count_);
  return load<fmt::ItemRecord>(items_.p + uint64_t(index) * items_.stride);
}

ItemView Snapshot::item(uint32_t index) const {
  assert(index < item_count_);
  const auto r = load<fmt::ItemRecord>(items_.p + uint64_t(index) * items_.stride);
  ItemView v;
  v.index = index;
  v.id = string(r.id);
  v.title = string(r.title);
  v.url_prefix = string(r.url_prefix);
  v.url_suffix = string(r.url_suffix);
  v.image_prefix = string(r.image_prefix);
  v.image_suffix = string(r.image_suffix);
  v.brand = string(r.brand);
  v.currency = string(r.currency);
  v.margin_tier = string(r.margin_tier);
  v.category = r.category;
  v.group = r.group;
  v.price = r.price;
  v.sale_price = r.sale_price;
  v.sale_start = r.sale_start;
  v.sale_end = r.sale_end;
  v.cost = r.cost;
  v.launch = r.launch;
  v.inventory = r.inventory;
  v.repurchase_days = r.repurchase_days;
  v.availability = Availability(r.availability);
  v.kind = ItemKind(r.kind);
  v.recommendable = (r.flags & fmt::kRecommendable) != 0;
  v.promo = (r.flags & fmt::kPromo) != 0;
  return v;
}

bool Snapshot::find_item(std::string_view id, uint32_t* index) const {
  uint32_t lo = 0, hi = item_count_;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    const uint32_t item = u32(id_index_, mid);
    const std::string_view mid_id =
        string(load<uint32_t>(items_.p + uint64_t(item) * items_.stride));
    if (mid_id < id) {
      lo = mid + 1;
    } else if (id < mid_id) {
      hi = mid;
    } else {
      *index = item;
      return true;
    }
  }
  return false;
}

CategoryView Snapshot::category(uint32_t index) const {
  assert(index < category_count_);
  const auto r = load<fmt::CategoryRecord>(categories_.p + uint64_t(index) * categories_.stride);
  return CategoryView{string(r.name), r.parent};
}

void Snapshot::category_path(uint32_t index, std::vector<std::string_view>* out) const {
  out->clear();
  // Parents come before children, so this walk terminates. No category (kNone, or an index
  // past the tree): an empty path.
  for (uint32_t c = index; c < category_count_; c = category(c).parent)
    out->push_back(category(c).name);
  for (size_t i = 0, j = out->size(); i + 1 < j; ++i, --j) std::swap((*out)[i], (*out)[j - 1]);
}

GroupView Snapshot::group(uint32_t index) const {
  assert(index < group_count_);
  const auto r = load<fmt::GroupRecord>(groups_.p + uint64_t(index) * groups_.stride);
  return GroupView{string(r.key), group_members_.p + uint64_t(r.first) * group_members_.stride,
                   r.count};
}

uint32_t Snapshot::label_count(uint32_t item) const {
  return u32(label_offsets_, uint64_t(item) + 1) - u32(label_offsets_, item);
}

std::string_view Snapshot::label(uint32_t item, uint32_t i) const {
  return string(label_id(item, i));
}

uint32_t Snapshot::label_id(uint32_t item, uint32_t i) const {
  assert(i < label_count(item));
  return u32(label_ids_, uint64_t(u32(label_offsets_, item)) + i);
}

uint32_t Snapshot::hint_count(uint32_t item) const {
  return u32(hint_offsets_, uint64_t(item) + 1) - u32(hint_offsets_, item);
}

void Snapshot::hint(uint32_t item, uint32_t i, uint32_t* target, HintKind* kind) const {
  assert(i < hint_count(item));
  const auto r =
      load<fmt::HintRecord>(hints_.p + (uint64_t(u32(hint_offsets_, item)) + i) * hints_.stride);
  *target = r.item;
  *kind = HintKind(r.kind);
}

fmt::PopularityRecord Snapshot::popularity(uint32_t item) const {
  assert(item < item_count_);
  return load<fmt::PopularityRecord>(popularity_.p + uint64_t(item) * popularity_.stride);
}

fmt::MetaRecord Snapshot::meta() const {
  fmt::MetaRecord m{};  // fields past a shorter record's stride (an older format) read as 0
  std::memcpy(&m, meta_.p, std::min<size_t>(meta_.stride, sizeof m));
  return m;
}

// Each item's postings (format 1.2): the indexed sessions that hold it, most recent first, at
// most `cap`, one per occurrence: what format 1.1 files carry as item_sessions. Two passes over
// the verified sessions, so bounded by their size.
void Snapshot::derive_postings(uint32_t cap) {
  auto buf = std::make_shared<std::vector<uint32_t>>(uint64_t(item_count_) + 1, 0u);
  std::vector<uint32_t>& v = *buf;
  for (uint32_t s = 0; s < session_count_; ++s) {
    const IdList items = session_items(s);
    for (uint32_t k = 0; k < items.size(); ++k) {
      if (v[uint64_t(items[k]) + 1] < cap) ++v[uint64_t(items[k]) + 1];
    }
  }
  for (uint32_t i = 0; i < item_count_; ++i) v[uint64_t(i) + 1] += v[i];
  const uint64_t rows = uint64_t(item_count_) + 1;
  std::vector<uint32_t> next(v.begin(), v.begin() + long(item_count_));
  v.resize(rows + v[item_count_]);
  for (uint32_t s = session_count_; s-- > 0;) {
    const IdList items = session_items(s);
    for (uint32_t k = 0; k < items.size(); ++k) {
      const uint32_t item = items[k];
      if (next[item] < v[uint64_t(item) + 1]) v[rows + next[item]++] = s;
    }
  }
  const auto* p = reinterpret_cast<const uint8_t*>(v.data());
  item_sessions_.offsets = Span{p, 4, rows};
  item_sessions_.values = Span{p + rows * 4, 4, v.size() - rows};
  item_sessions_.present = true;
  postings_ = std::move(buf);
}

ScoredList Snapshot::row_scored(const Csr& csr, uint32_t row) const {
  if (!csr.present) return ScoredList();
  const uint32_t b = u32(csr.offsets, row), e = u32(csr.offsets, uint64_t(row) + 1);
  if (csr.scale != nullptr) {
    return ScoredList(csr.values.p + uint64_t(b) * csr.values.stride, csr.values.stride, e - b,
                      csr.scores.p + b, csr.scale);
  }
  return ScoredList(csr.values.p + uint64_t(b) * csr.values.stride, csr.values.stride, e - b);
}

IdList Snapshot::row_ids(const Csr& csr, uint32_t row) const {
  if (!csr.present) return IdList();
  const uint32_t b = u32(csr.offsets, row), e = u32(csr.offsets, uint64_t(row) + 1);
  return IdList(csr.values.p + uint64_t(b) * csr.values.stride, csr.values.stride, e - b);
}

ScoredList Snapshot::transitions(uint32_t item) const {
  return row_scored(transitions_, item);
}
ScoredList Snapshot::co_purchases(uint32_t item) const {
  return row_scored(co_purchases_, item);
}
ScoredList Snapshot::similar(uint32_t item) const {
  return row_scored(similar_, item);
}
IdList Snapshot::session_items(uint32_t session) const {
  return row_ids(sessions_, session);
}
IdList Snapshot::item_sessions(uint32_t item) const {
  return row_ids(item_sessions_, item);
}
IdList Snapshot::category_top(uint32_t category) const {
  return row_ids(category_top_, category);
}

IdList Snapshot::global_top() const {
  return IdList(global_top_.p, global_top_.stride, uint32_t(global_top_.count));
}

IdList Snapshot::new_arrivals() const {
  return IdList(new_arrivals_.p, new_arrivals_.stride, uint32_t(new_arrivals_.count));
}

uint32_t Snapshot::item_session_count(uint32_t item) const {
  assert(item < item_count_);
  if (item_stats_.p == nullptr) return 0;
  return load<fmt::ItemStatsRecord>(item_stats_.p + uint64_t(item) * item_stats_.stride).sessions;
}

std::string_view Snapshot::build_notes() const {
  return notes_.p == nullptr
             ? std::string_view()
             : std::string_view(reinterpret_cast<const char*>(notes_.p), notes_.count);
}

uint32_t Snapshot::shard_global(uint32_t item) const {
  if (shard_items_.p == nullptr) return item;
  return load<fmt::ShardItemRecord>(shard_items_.p + uint64_t(item) * shard_items_.stride).global;
}

uint32_t Snapshot::shard_session_global(uint32_t session) const {
  if (shard_sessions_.p == nullptr) return session;
  return load<uint32_t>(shard_sessions_.p + uint64_t(session) * shard_sessions_.stride);
}

fmt::ShardWholeRecord Snapshot::shard_whole() const {
  if (shard_whole_.p == nullptr) return {item_count_, session_count_};
  return load<fmt::ShardWholeRecord>(shard_whole_.p);
}

uint32_t Snapshot::shard_lists(uint32_t item) const {
  if (shard_items_.p == nullptr) return fmt::kShardLists;
  return load<fmt::ShardItemRecord>(shard_items_.p + uint64_t(item) * shard_items_.stride).flags;
}

std::optional<fmt::TuningRecord> Snapshot::tuning() const {
  if (tuning_.p == nullptr) return std::nullopt;
  return load<fmt::TuningRecord>(tuning_.p);
}

std::string_view Snapshot::rules_text() const {
  return rules_.p == nullptr
             ? std::string_view()
             : std::string_view(reinterpret_cast<const char*>(rules_.p), rules_.count);
}

uint32_t IdList::operator[](uint32_t i) const {
  assert(i < count_);
  return load<uint32_t>(p_ + uint64_t(i) * stride_);
}

ScoredItem ScoredList::operator[](uint32_t i) const {
  assert(i < count_);
  if (scale_ != nullptr)
    return ScoredItem{load<uint32_t>(p_ + uint64_t(i) * stride_), scale_[bytes_[i]]};
  const auto r = load<fmt::ScoredItemRecord>(p_ + uint64_t(i) * stride_);
  return ScoredItem{r.item, r.score};
}

float compact_score(fmt::ScoreScale scale, uint8_t byte) {
  // step * byte in 1/32 octaves: whole octaves by ldexp, the rest a product of 2^(1/2^i), each
  // from square roots of 2. Only exact operations (IEEE sqrt, products, ldexp) and no libm
  // tables: the same floats natively and in wasm, and a grid point decodes to the same float
  // from any whole-power-of-two base.
  const auto t = uint32_t(scale.step * 32) * byte;  // a verified step: t is exact
  double fraction = 1, root = 2;
  for (uint32_t bit = 16; bit >= 1; bit /= 2) {
    root = std::sqrt(root);
    if (t & bit) fraction *= root;
  }
  return float(double(scale.base) * std::ldexp(fraction, int(t / 32)));
}
}  // namespace aisle
