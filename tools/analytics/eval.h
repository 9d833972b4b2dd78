// `aisle eval`: offline next-item evaluation with session-rec's protocol. The model is
// built from the training log only; every test session (rows sorted by time) is replayed
// through the same Session and Engine the browser uses, with the next_item placement,
// predicting the next item after every prefix.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "baselines.h"
#include "engine.h"
#include "model_build.h"

namespace aisle {

struct EvalOptions {
  std::string format = "auto";  // of both files: ga4, session-rec, otto
  uint32_t k = 20;
  ModelOptions model;
  EngineConfig engine;
  std::vector<Baseline> baselines;  // reference methods replayed beside the engine
};

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
  std::vector<EvalReport> baselines;  // the same replay, with EvalOptions::baselines
  nlohmann::json to_json() const;
};

// One test session's item sequence -> predictions; exposed for known-answer tests.
struct Ranking {
  static double reciprocal_rank(const std::vector<uint32_t>& list, uint32_t target, uint32_t k);
  static double ndcg(const std::vector<uint32_t>& list, uint32_t target, uint32_t k);
};

EvalReport evaluate(const std::string& train_path, const std::string& test_path,
                    const EvalOptions& options);

}  // namespace aisle
