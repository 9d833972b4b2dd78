// Content-similar items, computed from a snapshot's catalog fields and popularity instead of
// shipped (snapshot format 1.2: the largest section of 1.1 files, and one that changed every
// day because it weighs popularity). The engine, the page lists of `aisle publish` and the
// checks all compute them here, so there is one definition (docs/algorithms.md, "Similar
// items").
//
//   SimilarItems similar(snap);       // a 1.1 file's own lists, or pools to compute them from
//   ScoredList list = similar.of(item);  // allocation-free; valid until the next of()
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "snapshot.h"

namespace aisle {

constexpr uint32_t kMaxSimilarLength = 64;  // a longer meta value reads as this
constexpr uint32_t kSimilarPool = 300;      // candidates per category and per label

class SimilarItems {
 public:
  // For `snap` (which must outlive this): its own lists if it has a `similar` section
  // (format 1.1), else pools to compute lists of meta's similar_length (at most
  // kMaxSimilarLength; 0: every list is empty).
  explicit SimilarItems(const Snapshot& snap);
  bool computed() const { return computed_; }
  uint32_t length() const { return length_; }  // of computed lists
  // `item`'s list, best first (ties by item index). A computed one lives in a small cache
  // here: the view is valid until the next call. Not thread-safe; allocation-free.
  ScoredList of(uint32_t item) const;
  // `item`'s computed list into out[0, length()); returns its size. Allocation-free.
  uint32_t compute(uint32_t item, fmt::ScoredItemRecord* out) const;

 private:
  // What a candidate is compared by, read once.
  struct Traits {
    uint32_t item, brand, group, price;
    float trend;
  };
  float trend(uint32_t i) const;
  Traits traits(uint32_t i) const;
  static float alike(const fmt::ItemRecord& a, const Traits& b, float start, float labels,
                     float max_trend);
  uint8_t label_class(uint32_t label) const;  // kIgnored, kVariant or kAbout, read once
  void anchor_labels(uint32_t a) const;       // into labels_ and about_ (sorted, distinct)
  uint32_t shared_labels(uint32_t k) const;   // of labels_ by pools_[k], each counted once
  void keep_best(std::vector<fmt::ScoredItemRecord>* cands, uint32_t keep) const;

  const Snapshot& snap_;
  bool computed_;
  uint32_t length_;
  // The last lists computed, by item modulo kCacheSlots: a visit's items come back often.
  static constexpr uint32_t kCacheSlots = 1024;
  mutable std::vector<uint32_t> cache_item_, cache_size_;
  mutable std::vector<fmt::ScoredItemRecord> cache_;
  // Per leaf category: its recommendable members, the kSimilarPool most popular first.
  std::vector<uint32_t> category_offsets_;
  std::vector<Traits> pools_;
  // pools_[k]'s label ids are pool_labels_[pool_label_offsets_[k], pool_label_offsets_[k + 1]),
  // read once: the snapshot's own are behind bounds-checked reads.
  std::vector<uint32_t> pool_label_offsets_, pool_labels_;
  std::vector<float> pool_max_trend_;
  // Label keys that never count: the merchant's own (private_label_keys of the snapshot's
  // rules), which a public file does not have.
  std::vector<std::string> private_keys_;
  // By label string index: 0 not read yet, else what label_class() found.
  static constexpr uint8_t kIgnored = 1, kVariant = 2, kAbout = 3;
  mutable std::vector<uint8_t> label_classes_;
  // Per label that says what an item is (not colour or size, not a rule's '~' label): the
  // kSimilarPool most popular recommendable items holding it.
  std::unordered_map<uint32_t, uint32_t> label_row_;  // string index -> row
  std::vector<uint32_t> holder_offsets_, holders_;
  // Scratch for compute().
  mutable std::vector<uint32_t> labels_, about_, seen_;  // seen_: per labels_ entry, a stamp
  mutable uint32_t stamp_ = 0;
  mutable std::vector<fmt::ScoredItemRecord> cands_;
};

}  // namespace aisle
