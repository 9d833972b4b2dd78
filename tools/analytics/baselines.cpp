#include "baselines.h"

#include <algorithm>
#include <cmath>

#include "next_item_replay.h"

namespace aisle {
namespace {

constexpr struct {
  const char* name;
  Baseline kind;
} kBaselines[] = {{"pop", Baseline::kPop},   {"sr", Baseline::kSr},
                  {"sknn", Baseline::kSknn}, {"vsknn", Baseline::kVsknn},
                  {"stan", Baseline::kStan}, {"vstan", Baseline::kVstan}};

// session-rec's defaults for the kNN methods.
constexpr uint32_t kNeighbours = 100;
constexpr uint32_t kSknnSample = 500, kVsknnSample = 1000, kStanSample = 5000;
// STAN's and VSTAN's decays: an item's place in the session (spw), a neighbour's age in
// days (snh), a candidate's distance to the shared item in the neighbour (inh); VSTAN's
// weight of the neighbour by its latest shared item (ipw) and of the idf.
constexpr double kSpw = 1.02, kSnhDays = 5, kInh = 2.05, kIpw = 1.02, kIdf = 5;

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

BaselinePredictor::BaselinePredictor(const Snapshot& snap, Baseline kind,
                                     std::vector<int64_t> session_last_ms, uint64_t log_sessions)
    : snap_(snap),
      kind_(kind),
      session_last_ms_(std::move(session_last_ms)),
      log_sessions_(log_sessions),
      popularity_(training_popularity(snap)),
      score_(snap.item_count(), 0.0),
      score_stamp_(snap.item_count(), 0),
      item_stamp_(snap.item_count(), 0),
      place_(snap.item_count(), 0),
      weight_(snap.item_count(), 0.0),
      seen_(snap.session_count(), 0) {
  popular_.resize(snap.item_count());
  for (uint32_t i = 0; i < snap.item_count(); ++i) popular_[i] = i;
  std::stable_sort(popular_.begin(), popular_.end(),
                   [&](uint32_t a, uint32_t b) { return popularity_[a] > popularity_[b]; });
}

bool BaselinePredictor::needs_training_log(Baseline kind) {
  return kind == Baseline::kStan || kind == Baseline::kVstan;
}

void BaselinePredictor::predict(const std::vector<uint32_t>& prefix, int64_t now_ms, uint32_t k,
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
    case Baseline::kStan:
    case Baseline::kVstan:
      stan(prefix, now_ms, kind_ == Baseline::kVstan);
      top(k, current, out);
      return;
  }
}

template <typename Weight>
double BaselinePredictor::gather(const std::vector<uint32_t>& prefix, Weight weight) {
  ++stamp_;
  candidates_.clear();
  double squares = 0;
  uint32_t distinct = 0;
  for (size_t p = prefix.size(); p-- > 0;) {
    const uint32_t item = prefix[p];
    if (item >= snap_.item_count() || item_stamp_[item] == stamp_) continue;
    item_stamp_[item] = stamp_;
    place_[item] = uint32_t(p);
    const double w = weight(p, distinct++);
    weight_[item] = w;
    squares += w * w;
    const IdList holders = snap_.item_sessions(item);
    for (uint32_t i = 0; i < holders.size(); ++i) {
      const uint32_t s = holders[i];
      if (seen_[s] == stamp_) continue;
      seen_[s] = stamp_;
      candidates_.push_back(s);
    }
  }
  return squares;
}

// The most recent `sample` candidate sessions (numbered oldest first).
void BaselinePredictor::keep_recent(uint32_t sample) {
  if (candidates_.size() <= sample) return;
  std::nth_element(candidates_.begin(), candidates_.begin() + sample, candidates_.end(),
                   std::greater<uint32_t>());
  candidates_.resize(sample);
}

// The kNeighbours most similar neighbours first (ties: the more recent).
void BaselinePredictor::keep_nearest() {
  const size_t k = std::min<size_t>(neighbours_.size(), kNeighbours);
  std::partial_sort(neighbours_.begin(), neighbours_.begin() + long(k), neighbours_.end(),
                    [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : a.second > b.second;
                    });
  neighbours_.resize(k);
}

// As session-rec's SKNN and V-SKNN with their defaults: the current session's items weigh
// 1 (SKNN) or 1/age, the latest 1 (V-SKNN's "div"); candidate neighbours are the most
// recent sessions holding any of them; similarity is the cosine of the item sets (SKNN) or
// the weighted overlap (V-SKNN); the 100 most similar are the neighbours, and each of their
// items scores the similarity, in V-SKNN times the weight of the latest current item the
// neighbour holds ("div_score").
void BaselinePredictor::knn(const std::vector<uint32_t>& prefix, bool vector_weights) {
  uint32_t distinct = 0;
  gather(prefix, [&](size_t, uint32_t before) {
    distinct = before + 1;
    return vector_weights ? 1.0 / double(distinct) : 1.0;
  });
  keep_recent(vector_weights ? kVsknnSample : kSknnSample);
  neighbours_.clear();
  for (uint32_t s : candidates_) {
    const IdList items = snap_.session_items(s);
    double sim = 0;
    for (uint32_t i = 0; i < items.size(); ++i) sim += in_session(items[i]) ? weight_[items[i]] : 0;
    if (!vector_weights && items.size() > 0)
      sim /= std::sqrt(double(distinct) * double(items.size()));
    if (sim > 0) neighbours_.emplace_back(sim, s);
  }
  keep_nearest();
  for (const auto& [sim, s] : neighbours_) {
    const IdList items = snap_.session_items(s);
    // V-SKNN's "div_score": 1 / the age in the current session of its latest item this
    // neighbour holds (its weight is 1 / age).
    double decay = 1;
    if (vector_weights) {
      double latest = 0;
      for (uint32_t i = 0; i < items.size(); ++i)
        if (in_session(items[i])) latest = std::max(latest, weight_[items[i]]);
      decay = latest;
    }
    for (uint32_t i = 0; i < items.size(); ++i) {
      const uint32_t item = items[i];
      if (item >= score_.size()) continue;
      add_score(item, sim * decay);
    }
  }
}

// As session-rec's STAN and VSTAN with their defaults (cosine similarity). The current
// session's items weigh exp(-age / spw), age 0 for the latest (a repeated item by its latest
// place); candidates are the 5,000 most recent sessions holding any of them; similarity is
// the weighted cosine of the item sets times exp(-the neighbour's age / snh days); the 100
// most similar are the neighbours. Each neighbour item scores the similarity times
// exp(-its distance to the neighbour's last shared item / inh); VSTAN adds idf * 5 times
// that, and weighs it all by the current weight of the latest item the neighbour shares.
void BaselinePredictor::stan(const std::vector<uint32_t>& prefix, int64_t now_ms, bool vstan) {
  // The age of an item in the current session: 0 for the latest.
  const auto age = [&](uint32_t item) { return double(prefix.size() - 1 - place_[item]); };
  const double norm = gather(
      prefix, [&](size_t p, uint32_t) { return std::exp(-double(prefix.size() - 1 - p) / kSpw); });
  keep_recent(kStanSample);
  const bool dated = session_last_ms_.size() == snap_.session_count();
  neighbours_.clear();
  for (uint32_t s : candidates_) {
    const IdList items = snap_.session_items(s);
    double shared = 0;
    for (uint32_t i = 0; i < items.size(); ++i)
      shared += in_session(items[i]) ? weight_[items[i]] : 0;
    double sim = shared / (std::sqrt(norm) * std::sqrt(double(items.size())));
    if (dated) {
      const double age_days = double(std::max<int64_t>(0, now_ms - session_last_ms_[s])) / 864e5;
      sim *= std::exp(-age_days / kSnhDays);
    }
    if (sim > 0) neighbours_.emplace_back(sim, s);
  }
  keep_nearest();
  const double sessions = double(log_sessions_ > 0 ? log_sessions_ : snap_.session_count());
  for (const auto& [sim, s] : neighbours_) {
    const IdList items = snap_.session_items(s);
    uint32_t anchor = 0;    // the neighbour's last item the current session holds
    double latest = 1e300;  // the age in the current session of the latest item it shares
    for (uint32_t i = 0; i < items.size(); ++i) {
      if (!in_session(items[i])) continue;
      anchor = i;
      latest = std::min(latest, age(items[i]));
    }
    const double ipw = std::exp(-latest / kIpw);
    for (uint32_t i = 0; i < items.size(); ++i) {
      const uint32_t item = items[i];
      if (item >= score_.size()) continue;
      const uint32_t distance = i > anchor ? i - anchor : anchor - i;
      double score = sim * std::exp(-double(distance) / kInh);
      if (vstan) {
        // session-rec's idf: ln(training sessions / the item's training interactions).
        const double idf = std::log(sessions / std::max(1.0, popularity_[item]));
        score = (score + score * idf * kIdf) * ipw;
      }
      add_score(item, score);
    }
  }
}

// Scores may be negative (VSTAN's idf), so being scored is a stamp, not a non-zero score.
void BaselinePredictor::add_score(uint32_t item, double score) {
  if (score_stamp_[item] != stamp_) {
    score_stamp_[item] = stamp_;
    touched_.push_back(item);
  }
  score_[item] += score;
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
