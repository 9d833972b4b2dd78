#include "baselines.h"

#include <algorithm>
#include <cmath>

#include "next_item_replay.h"

namespace aisle {
namespace {

constexpr struct {
  const char* name;
  Baseline kind;
} kBaselines[] = {{"pop", Baseline::kPop},
                  {"sr", Baseline::kSr},
                  {"sknn", Baseline::kSknn},
                  {"vsknn", Baseline::kVsknn}};

// session-rec's defaults for the two kNN methods.
constexpr uint32_t kNeighbours = 100;
constexpr uint32_t kSknnSample = 500, kVsknnSample = 1000;

}  // namespace

bool parse_baseline(std::string_view name, Baseline* out) {
  for (const auto& b : kBaselines) {
    if (name == b.name) {
      *out = b.kind;
      return true;
    }
  }
  return false;
}

const char* baseline_name(Baseline kind) {
  for (const auto& b : kBaselines) {
    if (b.kind == kind) return b.name;
  }
  return "";
}

std::string baseline_names() {
  std::string out;
  for (const auto& b : kBaselines) out += std::string(out.empty() ? "" : ", ") + b.name;
  return out;
}

BaselinePredictor::BaselinePredictor(const Snapshot& snap, Baseline kind)
    : snap_(snap),
      kind_(kind),
      score_(snap.item_count(), 0.0f),
      weight_(snap.item_count(), 0.0f),
      seen_(snap.session_count(), 0) {
  const std::vector<double> pop = training_popularity(snap);
  popular_.resize(snap.item_count());
  for (uint32_t i = 0; i < snap.item_count(); ++i) popular_[i] = i;
  std::stable_sort(popular_.begin(), popular_.end(),
                   [&](uint32_t a, uint32_t b) { return pop[a] > pop[b]; });
}

void BaselinePredictor::predict(const std::vector<uint32_t>& prefix, uint32_t k,
                                std::vector<uint32_t>* out) {
  out->clear();
  if (prefix.empty()) return;
  const uint32_t current = prefix.back();
  switch (kind_) {
    case Baseline::kPop:
      for (uint32_t i = 0; i < popular_.size() && out->size() < k; ++i) {
        if (popular_[i] != current) out->push_back(popular_[i]);
      }
      return;
    case Baseline::kSr: {
      if (current >= snap_.item_count()) return;
      const ScoredList rules = snap_.transitions(current);  // best first
      for (uint32_t i = 0; i < rules.size() && out->size() < k; ++i) {
        if (rules[i].item != current) out->push_back(rules[i].item);
      }
      return;
    }
    case Baseline::kSknn:
    case Baseline::kVsknn:
      knn(prefix, kind_ == Baseline::kVsknn);
      top(k, current, out);
      return;
  }
}

// As session-rec's SKNN and V-SKNN with their defaults: the current session's items weigh
// 1 (SKNN) or 1/age, the latest 1 (V-SKNN's "div"); candidate neighbours are the most
// recent sessions holding any of them; similarity is the cosine of the item sets (SKNN) or
// the weighted overlap (V-SKNN); the 100 most similar are the neighbours, and each of their
// items scores the similarity, in V-SKNN times the weight of the latest current item the
// neighbour holds ("div_score").
void BaselinePredictor::knn(const std::vector<uint32_t>& prefix, bool vector_weights) {
  ++stamp_;
  candidates_.clear();
  uint32_t distinct = 0;
  for (size_t r = prefix.size(); r-- > 0;) {
    const uint32_t item = prefix[r];
    if (item >= snap_.item_count() || weight_[item] > 0) continue;
    ++distinct;
    weight_[item] = vector_weights ? 1.0f / float(distinct) : 1.0f;
    const IdList holders = snap_.item_sessions(item);
    for (uint32_t i = 0; i < holders.size(); ++i) {
      const uint32_t s = holders[i];
      if (seen_[s] == stamp_) continue;
      seen_[s] = stamp_;
      candidates_.push_back(s);
    }
  }
  // The most recent sessions (numbered oldest first).
  const uint32_t sample = vector_weights ? kVsknnSample : kSknnSample;
  if (candidates_.size() > sample) {
    std::nth_element(candidates_.begin(), candidates_.begin() + sample, candidates_.end(),
                     std::greater<uint32_t>());
    candidates_.resize(sample);
  }
  neighbours_.clear();
  for (uint32_t s : candidates_) {
    const IdList items = snap_.session_items(s);
    float sim = 0;
    for (uint32_t i = 0; i < items.size(); ++i)
      sim += items[i] < weight_.size() ? weight_[items[i]] : 0;
    if (!vector_weights && items.size() > 0)
      sim /= std::sqrt(float(distinct) * float(items.size()));
    if (sim > 0) neighbours_.emplace_back(sim, s);
  }
  const size_t k = std::min<size_t>(neighbours_.size(), kNeighbours);
  std::partial_sort(neighbours_.begin(), neighbours_.begin() + long(k), neighbours_.end(),
                    [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : a.second > b.second;
                    });
  for (size_t n = 0; n < k; ++n) {
    const auto [sim, s] = neighbours_[n];
    const IdList items = snap_.session_items(s);
    // V-SKNN's "div_score": 1 / the age in the current session of its latest item this
    // neighbour holds (its weight is 1 / age).
    float decay = 1;
    if (vector_weights) {
      float latest = 0;
      for (uint32_t i = 0; i < items.size(); ++i)
        latest = std::max(latest, items[i] < weight_.size() ? weight_[items[i]] : 0.0f);
      decay = latest;
    }
    for (uint32_t i = 0; i < items.size(); ++i) {
      const uint32_t item = items[i];
      if (item >= score_.size()) continue;
      if (score_[item] == 0) touched_.push_back(item);
      score_[item] += sim * decay;
    }
  }
  for (uint32_t item : prefix) {
    if (item < weight_.size()) weight_[item] = 0;
  }
}

void BaselinePredictor::top(uint32_t k, uint32_t current, std::vector<uint32_t>* out) {
  std::sort(touched_.begin(), touched_.end(), [&](uint32_t a, uint32_t b) {
    return score_[a] != score_[b] ? score_[a] > score_[b] : a < b;
  });
  for (uint32_t item : touched_) {
    if (out->size() < k && item != current) out->push_back(item);
    score_[item] = 0;
  }
  touched_.clear();
}

}  // namespace aisle
