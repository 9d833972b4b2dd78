#include "tuning.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "engine.h"
#include "snapshot_writer.h"

namespace aisle {
namespace {

// The coordinate search's grid: each parameter's alternatives around the defaults.
struct Knob {
  const char* name;
  float fmt::TuningRecord::*field;
  std::vector<float> values;
};
const std::vector<Knob>& knobs() {
  static const std::vector<Knob> k = {
      {"knn_idf", &fmt::TuningRecord::knn_idf, {0, 1, 2, 3}},
      {"knn_position_decay", &fmt::TuningRecord::knn_position_decay, {2, 5, 10}},
      {"context_decay", &fmt::TuningRecord::next_context_decay, {0.4f, 0.6f, 0.8f}},
      {"weight.viewed_before", &fmt::TuningRecord::next_history, {1, 2, 3}},
      {"weight.similar_sessions", &fmt::TuningRecord::next_neighbors, {0.7f, 1, 1.4f}},
      {"weight.viewed_after", &fmt::TuningRecord::next_transitions, {0.1f, 0.3f, 0.6f}},
  };
  return k;
}

// The mean of a - b over paired predictions, in standard errors of that mean.
double paired_z(const std::vector<float>& a, const std::vector<float>& b) {
  const size_t n = std::min(a.size(), b.size());
  if (n < 2) return 0;
  double sum = 0, sq = 0;
  for (size_t i = 0; i < n; ++i) {
    const double d = double(a[i]) - double(b[i]);
    sum += d;
    sq += d * d;
  }
  const double mean = sum / double(n);
  const double var = (sq - double(n) * mean * mean) / double(n - 1);
  return var > 0 ? mean / std::sqrt(var / double(n)) : (mean > 0 ? 1e9 : 0);
}

nlohmann::json params_json(const fmt::TuningRecord& t) {
  nlohmann::json j = nlohmann::json::object();
  for (const Knob& k : knobs()) j[k.name] = t.*(k.field);
  return j;
}

}  // namespace

std::string TuningResult::summary() const {
  if (!ran) return "not tuned: " + skipped;
  char line[320];
  std::snprintf(line, sizeof line,
                "%s on the %llu most recent sessions (%llu predictions, %u parameter sets): "
                "MRR@20 %.4f, HitRate@20 %.4f (defaults %.4f, %.4f; gain %.1f standard errors)",
                tuned ? "tuned" : "defaults kept", static_cast<unsigned long long>(sessions),
                static_cast<unsigned long long>(predictions), candidates, chosen.mrr,
                chosen.hit_rate, defaults.mrr, defaults.hit_rate, z);
  std::string out = line;
  if (tuned) {
    out += ";";
    const nlohmann::json chosen_params = params_json(params);
    for (const auto& [name, value] : chosen_params.items()) {
      std::snprintf(line, sizeof line, " %s=%g", name.c_str(), value.get<double>());
      out += line;
    }
  }
  return out;
}

nlohmann::json TuningResult::to_json() const {
  auto m = [](const EvalMetrics& x) {
    return nlohmann::json{{"predictions", x.predictions}, {"hit_rate", x.hit_rate}, {"mrr", x.mrr}};
  };
  nlohmann::json j = {{"ran", ran}, {"summary", summary()}};
  if (!ran) {
    j["skipped"] = skipped;
    return j;
  }
  j["tuned"] = tuned;
  j["params"] = params_json(params);
  j["held_out"] = {{"sessions", sessions},
                   {"chosen", m(chosen)},
                   {"defaults", m(defaults)},
                   {"gain_standard_errors", z}};
  j["training_sessions"] = early_sessions;
  j["candidates"] = candidates;
  j["seconds"] = seconds;
  return j;
}

TuningResult tune_engine(const InteractionLog& log, const Catalog& catalog,
                         const ModelOptions& model, uint32_t half_life_s, const EngineConfig& base,
                         const TuningOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  TuningResult r;
  r.params = tuning_of(base);
  InteractionLog early;
  PopularityBuilder popularity(catalog.items.size(), half_life_s);
  std::vector<ReplaySession> held_out;
  const uint64_t wanted = std::clamp(uint64_t(double(log.size()) * o.predictions_per_interaction),
                                     o.min_predictions, o.max_predictions);
  const int64_t cut = log.split_recent(o.holdout_share, wanted, &early, &popularity, &held_out);
  for (const ReplaySession& s : held_out) r.predictions += s.size() > 1 ? s.size() - 1 : 0;
  r.sessions = held_out.size();
  if (r.predictions < o.min_predictions || early.size() == 0) {
    r.skipped = "too few recent sessions to hold out (" + std::to_string(r.predictions) +
                " next-item predictions, " + std::to_string(o.min_predictions) + " needed)";
    return r;
  }
  // The earlier sessions' model, as the build makes it (content similarity left out: it is
  // the catalog's, and next_item barely weighs it).
  SnapshotInput input;
  input.catalog = &catalog;
  input.as_of_ms = cut;
  input.popularity = popularity.finish(cut);
  early.build(catalog.items.size(), model, &input.model);
  r.early_sessions = input.model.sessions.size();
  auto bytes = write_snapshot(input);
  if (!bytes.is_ok()) {
    r.skipped = "the held-out model could not be written: " + bytes.status().message();
    return r;
  }
  auto opened = Snapshot::open(bytes.value().data(), bytes.value().size());
  if (!opened.is_ok()) {
    r.skipped = "the held-out model does not verify: " + opened.status().message();
    return r;
  }
  const Snapshot& snap = opened.value();
  r.ran = true;
  auto run = [&](const fmt::TuningRecord& t) {
    EngineConfig config = base;
    config.snapshot_tuning = false;
    apply_tuning(t, &config);
    EvalReport report;
    replay_engine(held_out, snap, config, o.k, &report);
    ++r.candidates;
    return report;
  };
  const EvalReport defaults = run(r.params);
  r.defaults = defaults.all;
  fmt::TuningRecord best = r.params;
  EvalReport best_report = defaults;
  EvalMetrics& best_m = best_report.all;
  for (const Knob& k : knobs()) {  // one pass, each parameter in turn from the best so far
    const float start = best.*(k.field);
    for (const float v : k.values) {
      if (v == start) continue;
      fmt::TuningRecord t = best;
      t.*(k.field) = v;
      EvalReport candidate = run(t);
      if (candidate.all.mrr > best_m.mrr * 1.001) {
        best = t;
        best_report = std::move(candidate);
      }
    }
  }
  r.z = paired_z(best_report.reciprocal_ranks, defaults.reciprocal_ranks);
  r.tuned = r.z >= o.min_z;
  r.params = r.tuned ? best : r.params;
  r.chosen = r.tuned ? best_m : r.defaults;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace aisle
