// Self-tuning at build time (docs/algorithms.md, "Self-tuning"): each store's logs differ,
// and defaults that win on one lose on another. The build holds out the store's most recent
// sessions, builds a model from the earlier ones, replays the held-out sessions through
// the engine (next_item_replay.h, as `aisle eval` does) for a bounded coordinate search of
// the session-kNN and next_item blend parameters, and keeps the best when it beats the
// defaults clearly. Work is bounded by counts, never by the clock: the same log gives the
// same parameters on any machine, and on any number of cores (a parameter's alternatives
// are replayed side by side, then compared in a fixed order).
#pragma once

#include <cstdint>
#include <future>
#include <string>

#include <nlohmann/json.hpp>

#include "catalog.h"
#include "engine_config.h"
#include "model_build.h"
#include "snapshot_format.h"

namespace aisle {

struct TuningOptions {
  double holdout_share = 0.1;  // sessions ending in the last tenth of the log's time span
  // Held-out next-item predictions replayed per candidate: the most recent sessions' up to
  // max_predictions, whatever the log's size (500 could not tell a 3% gain from noise; the
  // search's cost is bounded by counts: 16 parameter sets, docs/benchmarks.md).
  uint64_t min_predictions = 500;  // fewer: no tuning (the figures would be noise)
  uint64_t max_predictions = 2000;
  // Each alternative is first replayed on this share of the predictions (the most recent
  // sessions; min_predictions at least); only one that beats the best there is replayed on
  // the rest. Tuning's cost is mostly these replays (docs/benchmarks.md, "Self-tuning").
  double screen_share = 0.25;
  uint32_t k = 20;  // MRR@k decides
  // The tuned parameters replace the defaults only when their gain in reciprocal rank over
  // the same predictions is at least this many standard errors (a paired test; high, as
  // the best of a search is picked on the same predictions).
  double min_z = 2.5;
};

struct TuningResult {
  bool ran = false;
  std::string skipped;           // why it did not run, when it did not
  bool tuned = false;            // the search beat the defaults by min_gain: `params` apply
  fmt::TuningRecord params{};    // the chosen ones (the defaults' when not tuned)
  EvalMetrics chosen, defaults;  // held-out, all targets
  double z = 0;                  // the best's gain over the defaults in standard errors
  uint64_t sessions = 0, predictions = 0, early_sessions = 0;
  uint64_t screened_predictions = 0;  // of the predictions, those every alternative replays
  uint32_t candidates = 0;            // parameter sets replayed (on the screen at least)
  uint32_t replayed_in_full = 0;      // alternatives that passed the screen (the defaults aside)
  double seconds = 0;
  std::string summary() const;  // for `aisle build` and `aisle inspect`
  nlohmann::json to_json() const;
};

// Tunes beside the caller's own work. `log` is the build's whole interaction log: the
// held-out split is taken from it now (it may then change, as InteractionLog::build consumes
// it), the rest runs on another thread. `catalog` must stay alive and unchanged until the
// future's get(); `base` is the engine's config the search starts from.
std::future<TuningResult> start_tuning(const InteractionLog& log, const Catalog& catalog,
                                       const ModelOptions& model, uint32_t half_life_s,
                                       const EngineConfig& base, const TuningOptions& options);

}  // namespace aisle
