#include "tuning.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <future>
#include <utility>
#include <vector>

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
      {"weight.similar_sessions", &fmt::TuningRecord::next_neighbors, {0.7f, 1, 1.4f, 2, 3}},
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
  j["screened_predictions"] = screened_predictions;
  j["replayed_in_full"] = replayed_in_full;
  j["seconds"] = seconds;
  return j;
}

namespace {

// One parameter set's replays: the screening share of the held-out predictions, then (if
// it passes the screen) the rest.
struct Trial {
  fmt::TuningRecord params{};
  EvalReport screen, rest;
  EvalMetrics all() const {
    const EvalMetrics &a = screen.all, &b = rest.all;
    EvalMetrics m;
    m.predictions = a.predictions + b.predictions;
    if (m.predictions == 0) return m;
    auto mean = [&](double x, double y) {
      return (x * double(a.predictions) + y * double(b.predictions)) / double(m.predictions);
    };
    m.hit_rate = mean(a.hit_rate, b.hit_rate);
    m.mrr = mean(a.mrr, b.mrr);
    m.ndcg = mean(a.ndcg, b.ndcg);
    return m;
  }
  std::vector<float> ranks() const {
    std::vector<float> r = screen.reciprocal_ranks;
    r.insert(r.end(), rest.reciprocal_ranks.begin(), rest.reciprocal_ranks.end());
    return r;
  }
};

// f(i) for every i < n: the first on this thread, the others beside it, each on its own
// data; returns when all are done.
template <typename F>
void side_by_side(size_t n, F f) {
  std::vector<std::future<void>> others;
  for (size_t i = 1; i < n; ++i) others.push_back(std::async(std::launch::async, f, i));
  if (n > 0) f(0);
  for (auto& o : others) o.get();
}

// What the search needs once the log is split: it reads the log no more.
struct Split {
  Split(size_t items, uint32_t half_life_s) : popularity(items, half_life_s) {}
  TuningResult r;
  InteractionLog early;
  PopularityBuilder popularity;
  // The held-out sessions: the screen (screen_share of the predictions), then the rest.
  std::vector<ReplaySession> screen, rest;
  int64_t cut = 0;
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
};

Split split_log(const InteractionLog& log, size_t items, uint32_t half_life_s,
                const EngineConfig& base, const TuningOptions& o) {
  Split sp(items, half_life_s);
  sp.r.params = tuning_of(base);
  std::vector<ReplaySession> held_out;
  sp.cut =
      log.split_recent(o.holdout_share, o.max_predictions, &sp.early, &sp.popularity, &held_out);
  for (const ReplaySession& s : held_out) sp.r.predictions += s.size() > 1 ? s.size() - 1 : 0;
  sp.r.sessions = held_out.size();
  // The screen holds min_predictions at least: below that its figures would be noise, and a
  // log that gives no more than that is searched on all of them.
  const double screen =
      std::max(o.screen_share * double(sp.r.predictions), double(o.min_predictions));
  uint64_t screened = 0;
  for (ReplaySession& s : held_out) {
    const uint64_t n = s.size() > 1 ? s.size() - 1 : 0;
    const bool in_screen = double(screened) < screen;
    (in_screen ? sp.screen : sp.rest).push_back(std::move(s));
    screened += n;
    if (in_screen) sp.r.screened_predictions += n;
  }
  return sp;
}

TuningResult search(Split sp, const Catalog& catalog, const ModelOptions& model,
                    const EngineConfig& base, const TuningOptions& o) {
  TuningResult& r = sp.r;
  if (r.predictions < o.min_predictions || sp.early.size() == 0) {
    r.skipped = "too few recent sessions to hold out (" + std::to_string(r.predictions) +
                " next-item predictions, " + std::to_string(o.min_predictions) + " needed)";
    return r;
  }
  // The earlier sessions' model, as the build makes it (content similarity left out: it is
  // the catalog's, and next_item barely weighs it).
  SnapshotInput input;
  input.catalog = &catalog;
  input.as_of_ms = sp.cut;
  input.popularity = sp.popularity.finish(sp.cut);
  sp.early.build(catalog.items.size(), model, &input.model);
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
  auto replay = [&](const fmt::TuningRecord& t, const std::vector<ReplaySession>& sessions,
                    EvalReport* report) {
    EngineConfig config = base;
    config.snapshot_tuning = false;
    apply_tuning(t, &config);
    replay_engine(sessions, snap, config, o.k, report);
  };
  // The defaults, both halves side by side.
  Trial best{r.params, {}, {}};
  side_by_side(2, [&](size_t half) {
    replay(best.params, half == 0 ? sp.screen : sp.rest, half == 0 ? &best.screen : &best.rest);
  });
  const Trial defaults = best;
  r.candidates = 1;
  // One pass, each parameter in turn from the best so far. Its alternatives are screened on
  // the first sessions (screen_share of the predictions); those that beat the best there by
  // 0.1% are replayed on the rest, and the best on all predictions wins, by 0.1%, in the
  // grid's order.
  for (const Knob& k : knobs()) {
    std::vector<Trial> alts;
    for (const float v : k.values) {
      if (v == best.params.*(k.field)) continue;
      alts.push_back(Trial{best.params, {}, {}});
      alts.back().params.*(k.field) = v;
    }
    r.candidates += uint32_t(alts.size());
    side_by_side(alts.size(),
                 [&](size_t i) { replay(alts[i].params, sp.screen, &alts[i].screen); });
    std::vector<Trial*> passed;
    for (Trial& t : alts) {
      if (t.screen.all.mrr > best.screen.all.mrr * 1.001) passed.push_back(&t);
    }
    side_by_side(passed.size(),
                 [&](size_t i) { replay(passed[i]->params, sp.rest, &passed[i]->rest); });
    r.replayed_in_full += uint32_t(passed.size());
    for (Trial* t : passed) {
      if (t->all().mrr > best.all().mrr * 1.001) best = std::move(*t);
    }
  }
  r.defaults = defaults.all();
  r.z = paired_z(best.ranks(), defaults.ranks());
  r.tuned = r.z >= o.min_z;
  r.params = r.tuned ? best.params : r.params;
  r.chosen = r.tuned ? best.all() : r.defaults;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - sp.t0).count();
  return r;
}

}  // namespace

std::future<TuningResult> start_tuning(const InteractionLog& log, const Catalog& catalog,
                                       const ModelOptions& model, uint32_t half_life_s,
                                       const EngineConfig& base, const TuningOptions& options) {
  Split sp = split_log(log, catalog.items.size(), half_life_s, base, options);
  return std::async(
      std::launch::async,
      [&catalog, model, base, options](Split split) {
        return search(std::move(split), catalog, model, base, options);
      },
      std::move(sp));
}

}  // namespace aisle
