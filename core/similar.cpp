#include "similar.h"

#include <algorithm>
#include <string_view>

#include "rules.h"

namespace aisle {
namespace {

// Best first; ties by item, so lists are the same on every platform.
bool better(const fmt::ScoredItemRecord& x, const fmt::ScoredItemRecord& y) {
  return x.score != y.score ? x.score > y.score : x.item < y.item;
}

// Labels of a rule's match ('~'): they say nothing of the product.
bool rule_label(std::string_view label) {
  return !label.empty() && label[0] == '~';
}

// Labels that say which variant an item is, not what it is: a red strap is no neighbour of
// a red kettle.
bool describes_variant(std::string_view label) {
  const std::string_view key = label_key(label);
  return key == "color" || key == "colour" || key == "size";
}

// Rows of `values` (by `offsets`) each cut to its kSimilarPool first by `before`, in place.
template <typename Before>
void keep_most_popular(std::vector<uint32_t>* offsets, std::vector<uint32_t>* values,
                       Before before) {
  uint32_t kept = 0;
  for (size_t r = 0; r + 1 < offsets->size(); ++r) {
    const auto b = values->begin() + long((*offsets)[r]),
               e = values->begin() + long((*offsets)[r + 1]);
    const auto cut = b + std::min<long>(e - b, kSimilarPool);
    std::partial_sort(b, cut, e, before);
    (*offsets)[r] = kept;
    for (auto it = b; it != cut; ++it) (*values)[kept++] = *it;  // forward: never ahead of it
  }
  if (!offsets->empty()) offsets->back() = kept;
  values->resize(kept);
}

}  // namespace

SimilarItems::SimilarItems(const Snapshot& snap)
    : snap_(snap),
      computed_(!snap.has_similar()),
      length_(computed_ ? std::min(snap.meta().similar_length, kMaxSimilarLength) : 0) {
  const uint32_t n = snap.item_count(), categories = snap.category_count();
  if (length_ == 0) return;
  Rules rules;
  if (!snap.rules_text().empty() && parse_rules_json(snap.rules_text(), &rules).is_ok())
    private_keys_ = private_label_keys(rules);
  label_classes_.assign(snap.string_count(), 0);
  cache_item_.assign(kCacheSlots, fmt::kNone);
  cache_size_.assign(kCacheSlots, 0);
  cache_.resize(size_t(kCacheSlots) * length_);
  auto more_popular = [&](uint32_t a, uint32_t b) {
    const float ta = trend(a), tb = trend(b);
    return ta != tb ? ta > tb : a < b;
  };
  auto recommendable = [&](uint32_t i) {
    return (snap.record(i).flags & fmt::kRecommendable) != 0;
  };

  // Category pools: members by category (a counting sort), then each cut to its most popular.
  category_offsets_.assign(uint64_t(categories) + 1, 0);
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t c = snap.record(i).category;
    if (c != fmt::kNone && recommendable(i)) ++category_offsets_[uint64_t(c) + 1];
  }
  std::vector<uint32_t> members(n), next(categories);
  for (uint32_t c = 0; c < categories; ++c) {
    next[c] = category_offsets_[c];
    category_offsets_[c + 1] += category_offsets_[c];
  }
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t c = snap.record(i).category;
    if (c != fmt::kNone && recommendable(i)) members[next[c]++] = i;
  }
  keep_most_popular(&category_offsets_, &members, more_popular);
  pools_.reserve(members.size());
  pool_label_offsets_.reserve(members.size() + 1);
  pool_label_offsets_.push_back(0);
  pool_max_trend_.assign(categories, 0.0f);
  for (uint32_t c = 0; c < categories; ++c) {
    for (uint32_t k = category_offsets_[c]; k < category_offsets_[c + 1]; ++k) {
      pools_.push_back(traits(members[k]));
      pool_max_trend_[c] = std::max(pool_max_trend_[c], pools_.back().trend);
      for (uint32_t l = 0, m = snap.label_count(members[k]); l < m; ++l)
        pool_labels_.push_back(snap.label_id(members[k], l));
      pool_label_offsets_.push_back(uint32_t(pool_labels_.size()));
    }
  }

  // Label pools: (label, item) pairs of the recommendable items, by label, each cut likewise.
  uint32_t max_about = 0;
  std::vector<uint32_t> counts;
  for (int pass = 0; pass < 2; ++pass) {
    for (uint32_t i = 0; i < n; ++i) {
      if (!recommendable(i)) continue;
      anchor_labels(i);
      max_about = std::max(max_about, uint32_t(about_.size()));
      for (uint32_t l : about_) {
        const auto row = label_row_.emplace(l, uint32_t(counts.size())).first->second;
        if (pass == 0) {
          if (row == counts.size()) counts.push_back(0);
          ++counts[row];
        } else {
          holders_[next[row]++] = i;
        }
      }
    }
    if (pass == 0) {
      holder_offsets_.assign(counts.size() + 1, 0);
      for (size_t r = 0; r < counts.size(); ++r)
        holder_offsets_[r + 1] = holder_offsets_[r] + counts[r];
      holders_.resize(holder_offsets_.back());
      next.assign(holder_offsets_.begin(), holder_offsets_.end() - 1);
    }
  }
  keep_most_popular(&holder_offsets_, &holders_, more_popular);
  holders_.shrink_to_fit();

  // Scratch, at its largest, so that list() never allocates.
  labels_.reserve(VerifyOptions().max_labels_per_item);
  about_.reserve(VerifyOptions().max_labels_per_item);
  seen_.reserve(VerifyOptions().max_labels_per_item);
  cands_.reserve(std::max<size_t>(kSimilarPool, size_t(max_about) * kSimilarPool));
}

float SimilarItems::trend(uint32_t i) const {
  const fmt::PopularityRecord p = snap_.popularity(i);
  return p.trend + float(p.purchases);
}

SimilarItems::Traits SimilarItems::traits(uint32_t i) const {
  const fmt::ItemRecord r = snap_.record(i);
  return Traits{i, r.brand, r.group, r.price, trend(i)};
}

// How alike b is to a: `start`, then the same brand, what their labels share (`labels`), a
// close price (the cheaper over the dearer) and b's popularity against its pool's best, added
// in that order.
float SimilarItems::alike(const fmt::ItemRecord& a, const Traits& b, float start, float labels,
                          float max_trend) {
  float s = start;
  if (a.brand != 0 && a.brand == b.brand) s += 0.5f;
  s += labels;
  if (a.price > 1 && b.price > 1)
    s += 0.5f * float(double(std::min(a.price, b.price)) / double(std::max(a.price, b.price)));
  if (max_trend > 0) s += 0.3f * b.trend / max_trend;
  return s;
}

uint8_t SimilarItems::label_class(uint32_t l) const {
  uint8_t& c = label_classes_[l];
  if (c == 0) {
    const std::string_view label = snap_.string(l);
    if (rule_label(label) || std::find(private_keys_.begin(), private_keys_.end(),
                                       label_key(label)) != private_keys_.end())
      c = kIgnored;
    else
      c = describes_variant(label) ? kVariant : kAbout;
  }
  return c;
}

void SimilarItems::anchor_labels(uint32_t a) const {
  labels_.clear();
  about_.clear();
  for (uint32_t k = 0, m = snap_.label_count(a); k < m; ++k) {
    const uint32_t l = snap_.label_id(a, k);
    if (label_class(l) != kIgnored) labels_.push_back(l);
  }
  std::sort(labels_.begin(), labels_.end());
  labels_.erase(std::unique(labels_.begin(), labels_.end()), labels_.end());
  for (uint32_t l : labels_) {
    if (label_class(l) == kAbout) about_.push_back(l);
  }
  seen_.assign(labels_.size(), 0);
  stamp_ = 0;
}

// How many of the anchor's labels (labels_) pool member k holds, each counted once.
uint32_t SimilarItems::shared_labels(uint32_t k) const {
  if (labels_.empty()) return 0;
  if (++stamp_ == 0) {  // wrapped: start the stamps over
    std::fill(seen_.begin(), seen_.end(), 0);
    stamp_ = 1;
  }
  uint32_t n = 0;
  for (uint32_t j = pool_label_offsets_[k]; j < pool_label_offsets_[k + 1]; ++j) {
    const auto at = std::lower_bound(labels_.begin(), labels_.end(), pool_labels_[j]);
    if (at == labels_.end() || *at != pool_labels_[j]) continue;
    uint32_t& seen = seen_[size_t(at - labels_.begin())];
    if (seen != stamp_) seen = stamp_, ++n;
  }
  return n;
}

void SimilarItems::keep_best(std::vector<fmt::ScoredItemRecord>* cands, uint32_t keep) const {
  const auto cut = cands->begin() + long(std::min<size_t>(cands->size(), keep));
  std::partial_sort(cands->begin(), cut, cands->end(), better);
  cands->erase(cut, cands->end());
}

ScoredList SimilarItems::of(uint32_t item) const {
  if (!computed_) return snap_.similar(item);
  if (length_ == 0 || item >= snap_.item_count()) return ScoredList();
  const uint32_t slot = item % kCacheSlots;
  fmt::ScoredItemRecord* lists = cache_.data() + size_t(slot) * length_;
  if (cache_item_[slot] != item) {
    cache_size_[slot] = compute(item, lists);
    cache_item_[slot] = item;
  }
  return ScoredList(reinterpret_cast<const uint8_t*>(lists), sizeof(fmt::ScoredItemRecord),
                    cache_size_[slot]);
}

uint32_t SimilarItems::compute(uint32_t a, fmt::ScoredItemRecord* out) const {
  if (length_ == 0 || a >= snap_.item_count()) return 0;
  const fmt::ItemRecord x = snap_.record(a);
  if (!(x.flags & fmt::kRecommendable)) return 0;
  anchor_labels(a);
  auto same_group = [&](uint32_t group) { return x.group != fmt::kNone && group == x.group; };
  // From its own leaf category's pool.
  cands_.clear();
  if (x.category != fmt::kNone) {
    const float max_trend = pool_max_trend_[x.category];
    for (uint32_t k = category_offsets_[x.category]; k < category_offsets_[x.category + 1]; ++k) {
      const Traits& b = pools_[k];
      if (b.item == a || same_group(b.group)) continue;
      const float labels = 0.2f * float(std::min(shared_labels(k), 5u));
      cands_.push_back({b.item, alike(x, b, 1.0f, labels, max_trend)});
    }
    keep_best(&cands_, length_);
  }
  uint32_t n = uint32_t(cands_.size());
  std::copy(cands_.begin(), cands_.end(), out);
  // Too few there (an item alone in its category, a category of three): items of other
  // categories that share what-it-is labels with it, more shared labels first (0.5 each, up
  // to 5), then brand, price and popularity. Scored below every same-category neighbour (at
  // most 0.95 against at least 1), so they only fill what the category leaves.
  if (n >= length_ || about_.empty()) return n;
  cands_.clear();
  for (uint32_t l : about_) {
    const auto row = label_row_.find(l);
    if (row == label_row_.end()) continue;
    for (uint32_t k = holder_offsets_[row->second]; k < holder_offsets_[row->second + 1]; ++k) {
      const uint32_t b = holders_[k];
      const fmt::ItemRecord y = snap_.record(b);
      if (b != a && !same_group(y.group) && y.category != x.category) cands_.push_back({b, 0.0f});
    }
  }
  // One entry per candidate, its score field counting the labels it shares for now.
  std::sort(cands_.begin(), cands_.end(),
            [](const fmt::ScoredItemRecord& p, const fmt::ScoredItemRecord& q) {
              return p.item < q.item;
            });
  size_t m = 0;
  for (size_t k = 0; k < cands_.size(); ++k) {
    if (m > 0 && cands_[m - 1].item == cands_[k].item) {
      cands_[m - 1].score += 1.0f;
    } else {
      cands_[m++] = {cands_[k].item, 1.0f};
    }
  }
  cands_.resize(m);
  float max_trend = 0;
  for (const auto& c : cands_) max_trend = std::max(max_trend, trend(c.item));
  for (auto& c : cands_) {
    const float labels = 0.5f * std::min(c.score, 5.0f);
    c.score = 0.25f * alike(x, traits(c.item), 0.0f, labels, max_trend);
  }
  keep_best(&cands_, length_ - n);
  std::copy(cands_.begin(), cands_.end(), out + n);
  return n + uint32_t(cands_.size());
}

}  // namespace aisle
