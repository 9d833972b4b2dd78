// The one replay every next-item figure comes from: `aisle eval` (the engine and the
// baselines) and the build's self-tuning. Each session's events, in time order, go into a
// Session as the storefront tracks them; after every event but the last a next_item list
// is asked for and scored against the next item (session-rec's protocol).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine.h"
#include "session.h"
#include "snapshot.h"

namespace aisle {

struct ReplayStep {
  int64_t ts;
  uint32_t item;  // fmt::kNone: not in the model's catalog (a miss when it is the target)
  EventType type;
};
using ReplaySession = std::vector<ReplayStep>;  // in time order
// Into time order; steps of one time keep theirs (a log's order).
void sort_by_time(ReplaySession* steps);

// Each item's training interactions (views, carts, units bought): what popularity bias and
// the `pop` baseline rank by.
std::vector<double> training_popularity(const Snapshot& snap);

struct EvalMetrics {
  uint64_t predictions = 0;
  double hit_rate = 0, mrr = 0, ndcg = 0;  // at k
};

struct EvalReport {
  std::string method = "aisle";  // or a baseline's name
  EvalMetrics all, non_repeat;   // non_repeat: targets that differ from the current item
  double coverage = 0;           // share of catalog items recommended at least once
  double popularity_bias = 0;    // mean normalized training popularity of recommended items
  double latency_p50_us = 0, latency_p99_us = 0;  // per prediction: track the event, then recommend
  uint64_t train_events = 0, train_sessions = 0, items = 0, test_sessions = 0;
  std::vector<EvalReport> baselines;    // `aisle eval --baseline`: the same replay
  std::vector<float> reciprocal_ranks;  // per prediction (all targets), in replay order
  nlohmann::json to_json() const;
};

// One list scored against its target; exposed for known-answer tests.
struct Ranking {
  static double reciprocal_rank(const std::vector<uint32_t>& list, uint32_t target, uint32_t k);
  static double ndcg(const std::vector<uint32_t>& list, uint32_t target, uint32_t k);
};

// Sums of one replay, turned into the report's figures at the end.
class ReplayScore {
 public:
  ReplayScore(const Snapshot& snap, uint32_t k);
  void list_made(const std::vector<uint32_t>& list, double latency_us);
  void scored(const std::vector<uint32_t>& list, uint32_t current, uint32_t target);
  void finish(EvalReport* report);

 private:
  void score(EvalMetrics& m, const std::vector<uint32_t>& list, uint32_t target) const;
  uint32_t k_;
  std::vector<double> pop_;
  double max_pop_ = 1;
  EvalMetrics all_, non_repeat_;
  std::vector<float> reciprocal_ranks_;
  std::vector<double> latencies_;
  std::vector<bool> covered_;
  double pop_sum_ = 0;
  uint64_t pop_lists_ = 0;
};

// predict(session, prefix, request, &list): the session so far as tracked, its known items
// (oldest first), the next_item request; `list` comes cleared.
template <typename Predict>
void replay_next_item(const std::vector<ReplaySession>& sessions, const Snapshot& snap, uint32_t k,
                      EvalReport* report, Predict predict) {
  ReplayScore score(snap, k);
  Session session;
  std::vector<uint32_t> list, prefix;
  for (const ReplaySession& steps : sessions) {
    if (steps.size() < 2) continue;
    ++report->test_sessions;
    session.reset();
    prefix.clear();
    for (size_t i = 0; i + 1 < steps.size(); ++i) {
      const ReplayStep& s = steps[i];
      const auto t0 = std::chrono::steady_clock::now();
      ShopperEvent ev;
      ev.type = s.type;
      ev.ts_ms = s.ts;
      ev.items = &s.item;
      ev.item_count = s.item == fmt::kNone ? 0 : 1;
      session.track(ev);
      if (s.item != fmt::kNone) prefix.push_back(s.item);
      Request req;
      req.placement = Placement::kNextItem;
      req.k = k;
      req.now_ms = s.ts;
      list.clear();
      predict(session, prefix, req, &list);
      score.list_made(
          list,
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
      score.scored(list, s.item, steps[i + 1].item);
    }
  }
  score.finish(report);
}

// The engine with `config` as the predictor.
void replay_engine(const std::vector<ReplaySession>& sessions, const Snapshot& snap,
                   const EngineConfig& config, uint32_t k, EvalReport* report);

}  // namespace aisle
