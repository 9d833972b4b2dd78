// Read-only view of a snapshot held in caller-owned bytes, used in place.
//
// Safe for untrusted input: Snapshot::open verifies the whole byte span (header,
// checksum, section table, every offset, length, count and cross-reference) before any
// accessor can run, and returns a Status naming the first problem. After a successful
// open, accessors index only verified ranges; out-of-range arguments are programmer
// errors (assert). The bytes must outlive the Snapshot and stay unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "catalog.h"
#include "snapshot_format.h"
#include "status.h"

namespace aisle {

struct VerifyOptions {
  uint64_t max_file_size = uint64_t(1) << 31;  // 2 GiB
  uint32_t max_sections = 64;
  uint32_t max_items = 10'000'000;
  uint32_t max_strings = 100'000'000;
  uint32_t max_categories = 1'000'000;
  uint32_t max_labels_per_item = 1024;
  uint32_t max_hints_per_item = 1024;
  uint32_t max_neighbors_per_item = 4096;  // candidate lists (transitions, similar, category tops)
  uint32_t max_sessions = 50'000'000;
  uint32_t max_session_length = 100'000;
  uint32_t max_sessions_per_item = 1'000'000;
  // Every string is clean text (is_clean_text: UTF-8, no terminal controls) of at most
  // this many bytes, so no output built from a snapshot can be amplified by shared strings
  // past items x fields x this length.
  uint32_t max_string_length = 8192;
  uint32_t max_category_depth = 32;     // levels from a root category to a leaf
  uint32_t max_rules_bytes = 1u << 20;  // the rules section, which must parse (rules.h limits)
  bool verify_checksum = true;          // off only for fuzzing the structural checks
};

struct ScoredItem {
  uint32_t item;
  float score;
};

// A verified run of u32 item (or session) indices inside the snapshot.
class IdList {
 public:
  IdList() = default;
  IdList(const uint8_t* p, uint32_t stride, uint32_t count)
      : p_(p), stride_(stride), count_(count) {}
  uint32_t size() const { return count_; }
  uint32_t operator[](uint32_t i) const;
  IdList prefix(uint32_t n) const { return IdList(p_, stride_, n < count_ ? n : count_); }

 private:
  const uint8_t* p_ = nullptr;
  uint32_t stride_ = 4, count_ = 0;
};

// A verified run of (item, score) pairs, best first.
class ScoredList {
 public:
  ScoredList() = default;
  // Records of {u32 item, f32 score} at `stride`.
  ScoredList(const uint8_t* p, uint32_t stride, uint32_t count)
      : p_(p), stride_(stride), count_(count) {}
  // A compact list (format 1.3): u32 items at `stride`, and a score byte each that `scale`
  // (256 entries) turns into its score.
  ScoredList(const uint8_t* p, uint32_t stride, uint32_t count, const uint8_t* score_bytes,
             const float* scale)
      : p_(p), bytes_(score_bytes), scale_(scale), stride_(stride), count_(count) {}
  uint32_t size() const { return count_; }
  ScoredItem operator[](uint32_t i) const;

 private:
  const uint8_t* p_ = nullptr;
  const uint8_t* bytes_ = nullptr;
  const float* scale_ = nullptr;
  uint32_t stride_ = 8, count_ = 0;
};

// The score a compact list's byte stands for: scale.base * 2^(scale.step * byte), for a
// verified scale (its step a multiple of 1/32). What the writer's quantization and the reader
// agree on.
float compact_score(fmt::ScoreScale scale, uint8_t byte);

// Items as the view decodes them. String views point into the snapshot bytes.
struct ItemView {
  uint32_t index = 0;
  std::string_view id, title, url_prefix, url_suffix, image_prefix, image_suffix;
  std::string_view brand, currency, margin_tier;
  uint32_t category = fmt::kNone;
  uint32_t group = fmt::kNone;
  uint32_t price = 0;
  uint32_t sale_price = fmt::kNone;
  uint32_t sale_start = 0, sale_end = 0;
  uint32_t cost = fmt::kNone;
  uint32_t launch = 0;
  int32_t inventory = -1;
  uint16_t repurchase_days = 0;
  Availability availability = Availability::kInStock;
  ItemKind kind = ItemKind::kUnknown;
  bool recommendable = false;
  bool promo = false;

  std::string url() const;
  std::string image_url() const;
  // The price a shopper pays at `now_s` (sale price inside its window), hundredths.
  uint32_t effective_price(int64_t now_s) const;
  // A deal at `now_s`: promoted, or selling below its regular price (see is_deal below).
  bool is_deal(int64_t now_s) const;
};

struct CategoryView {
  std::string_view name;
  uint32_t parent = fmt::kNone;
};

struct GroupView {
  std::string_view key;
  const uint8_t* members = nullptr;  // u32 little-endian item indices
  uint32_t count = 0;
  uint32_t member(uint32_t i) const;
};

struct SectionInfo {
  uint32_t id;
  uint32_t elem_size;
  uint64_t offset;
  uint64_t size;
};

const char* section_name(uint32_t id);

// The price a shopper pays at `now_s`: the sale price inside its window, else the regular one.
uint32_t effective_price(const fmt::ItemRecord& r, int64_t now_s);
// The one definition of "a deal" that the money-saving context, campaigns and `aisle qa`
// share: a promoted item, or one whose price at `now_s` is below its regular price.
bool is_deal(const fmt::ItemRecord& r, int64_t now_s);

class Snapshot {
 public:
  Snapshot() = default;
  static Result<Snapshot> open(const uint8_t* data, size_t size, const VerifyOptions& options = {});

  uint16_t version_major() const { return version_major_; }
  uint16_t version_minor() const { return version_minor_; }
  uint32_t checksum() const { return checksum_; }  // the header's CRC-32: identifies a build
  size_t byte_size() const { return size_; }
  const std::vector<SectionInfo>& sections() const { return sections_; }

  uint32_t string_count() const { return string_count_; }
  std::string_view string(uint32_t index) const;

  uint32_t item_count() const { return item_count_; }
  ItemView item(uint32_t index) const;
  // The raw record, without decoding its strings: for hot paths that need numbers only.
  fmt::ItemRecord record(uint32_t index) const;
  // Binary search over the id index; false when no item has this id.
  bool find_item(std::string_view id, uint32_t* index) const;

  uint32_t category_count() const { return category_count_; }
  CategoryView category(uint32_t index) const;
  // Root-first path of names for a category, written into `out` (cleared first); empty for
  // none (kNone or an index past the tree).
  void category_path(uint32_t index, std::vector<std::string_view>* out) const;

  uint32_t group_count() const { return group_count_; }
  GroupView group(uint32_t index) const;

  uint32_t label_count(uint32_t item) const;
  std::string_view label(uint32_t item, uint32_t i) const;
  uint32_t label_id(uint32_t item, uint32_t i) const;  // its string index: equal labels, equal ids

  uint32_t hint_count(uint32_t item) const;
  void hint(uint32_t item, uint32_t i, uint32_t* target, HintKind* kind) const;

  fmt::PopularityRecord popularity(uint32_t item) const;
  fmt::MetaRecord meta() const;

  // Candidate sources (format 1.1); empty lists when the snapshot has none.
  ScoredList transitions(uint32_t item) const;
  ScoredList co_purchases(uint32_t item) const;
  ScoredList similar(uint32_t item) const;  // a 1.1 file's own; read SimilarItems instead
  bool has_similar() const { return similar_.present; }  // else core/similar.h computes them
  uint32_t session_count() const { return session_count_; }
  IdList session_items(uint32_t session) const;      // sessions are numbered oldest first
  IdList item_sessions(uint32_t item) const;         // most recent first
  uint32_t item_session_count(uint32_t item) const;  // before the index was capped; 0 if unknown
  IdList category_top(uint32_t category) const;
  IdList global_top() const;
  IdList new_arrivals() const;
  std::string_view rules_text() const;  // the compiled-in rules JSON; empty if none
  // What the build found out (kinds inferred from the logs, the tuning's held-out accuracy)
  // as JSON text; empty if nothing. Unverified beyond its bounds: parse it as untrusted.
  std::string_view build_notes() const;
  // The parameters the build chose on held-out sessions (verified in range); none if untuned.
  std::optional<fmt::TuningRecord> tuning() const;
  // A shard of a whole snapshot (format 2.1): an item's and a session's number in the whole
  // one, which of the item's own lists are here, and the whole's counts. A snapshot that is
  // not a shard is its own whole.
  bool is_shard() const { return shard_items_.p != nullptr; }
  uint32_t shard_global(uint32_t item) const;
  uint32_t shard_lists(uint32_t item) const;  // fmt::ShardItemFlags: which of its lists
  uint32_t shard_session_global(uint32_t session) const;
  fmt::ShardWholeRecord shard_whole() const;

 private:
  struct Span {
    const uint8_t* p = nullptr;
    uint32_t stride = 0;
    uint64_t count = 0;
  };
  struct Csr {
    Span offsets, values;
    Span scores;                   // a compact list's score bytes
    const float* scale = nullptr;  // and the 256 scores they stand for, in score_tables_
    bool present = false;
  };
  Status verify_model(const VerifyOptions& options);
  Status verify_shard(const VerifyOptions& options);
  void derive_postings(uint32_t cap);
  Status verify_optional_csr(Csr& csr, uint64_t rows, uint64_t value_limit, uint32_t max_per_row,
                             bool scored, const char* what);
  Status verify_list(const Span& list, uint64_t max_count, const char* what);
  Status verify_scored(Csr& csr, Csr& compact, fmt::ScoreScale scale, float* table,
                       uint32_t max_per_row, const char* what);
  ScoredList row_scored(const Csr& csr, uint32_t row) const;
  IdList row_ids(const Csr& csr, uint32_t row) const;
  Status verify(const VerifyOptions& options);
  Status verify_strings(const VerifyOptions& options);
  Status derive_string_offsets(const VerifyOptions& options);
  Status verify_items(const VerifyOptions& options);
  Status verify_csr(Span offsets, Span values, uint32_t max_per_item, const char* what,
                    bool values_are_hints);
  Status verify_groups();
  Status verify_id_index();
  Status verify_rest();
  Status verify_rules(const VerifyOptions& options);
  uint32_t u32(const Span& s, uint64_t i) const;

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  uint16_t version_major_ = 0, version_minor_ = 0;
  uint32_t checksum_ = 0;
  std::vector<SectionInfo> sections_;
  Span string_offsets_, string_data_, items_, categories_, groups_, group_members_;
  Span string_lengths_;  // format 2.0's; string_offsets_ then views string_starts_
  std::shared_ptr<const std::vector<uint32_t>> string_starts_;  // shared, as postings_
  Span label_offsets_, label_ids_, hint_offsets_, hints_, popularity_, id_index_, meta_;
  Csr transitions_, co_purchases_, similar_, sessions_, item_sessions_, category_top_;
  Csr session_index_;  // format 1.2's sections; sessions_ then views them
  Csr compact_transitions_, compact_co_purchases_;  // format 1.3's; transitions_ etc. view them
  // The scores of the compact lists' bytes, 256 a list; shared, as postings_.
  std::shared_ptr<const std::vector<float>> score_tables_;
  // item_sessions_ derived at load from a format 1.2 session index; shared, so a copied
  // Snapshot's views stay valid.
  std::shared_ptr<const std::vector<uint32_t>> postings_;
  Span global_top_, new_arrivals_, item_stats_, rules_, notes_, tuning_, shard_items_,
      shard_sessions_, shard_whole_;
  uint32_t string_count_ = 0, item_count_ = 0, category_count_ = 0, group_count_ = 0,
           session_count_ = 0;
};

}  // namespace aisle
