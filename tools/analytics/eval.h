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
#include "next_item_replay.h"
#include "tuning.h"

namespace aisle {

struct EvalOptions {
  std::string format = "auto";  // of both files: ga4, session-rec, otto
  uint32_t k = 20;
  ModelOptions model;
  EngineConfig engine;
  std::vector<Baseline> baselines;  // reference methods replayed beside the engine
  bool tune = false;  // tune the engine on the training log's latest sessions, as aisle build does
                      // (aisle eval's default with --train)
  TuningOptions tuning;
};

// `tuning`: what the self-tuning chose when options.tune (else left alone).
EvalReport evaluate(const std::string& train_path, const std::string& test_path,
                    const EvalOptions& options, TuningResult* tuning = nullptr);

// A snapshot already built (by aisle build, from events or aggregates) replayed on the test
// log, its items matched by id; the engine applies the snapshot's own tuning.
EvalReport evaluate_snapshot(const std::string& snapshot_path, const std::string& test_path,
                             const EvalOptions& options);

}  // namespace aisle
