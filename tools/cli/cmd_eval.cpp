// `aisle eval`: offline next-item evaluation, with parameters to tune on a validation split.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"
#include "eval.h"
#include "text.h"

namespace aisle {
namespace {

// The --param names: one table sets them and lists them in --help and README.
using ParamSetter = void (*)(double v, EvalOptions* o);
struct Param {
  const char* name;
  ParamSetter set;
};
Strategy& next_item(EvalOptions* o) {
  return o->engine.strategy[size_t(Placement::kNextItem)];
}
const Param kParams[] = {
    {"context_decay", [](double v, EvalOptions* o) { next_item(o).context_decay = float(v); }},
    {"context_items", [](double v, EvalOptions* o) { o->engine.context_items = uint32_t(v); }},
    {"knn_session_items",
     [](double v, EvalOptions* o) { o->engine.knn_session_items = uint32_t(v); }},
    {"knn_idf", [](double v, EvalOptions* o) { o->engine.knn_idf = float(v); }},
    {"knn_position_decay",
     [](double v, EvalOptions* o) { o->engine.knn_position_decay = float(v); }},
    {"transition_window",
     [](double v, EvalOptions* o) { o->model.transition_window = uint32_t(v); }},
    {"max_sessions", [](double v, EvalOptions* o) { o->model.max_sessions = uint32_t(v); }},
};
std::string param_help() {
  std::string h =
      "set a parameter of the next_item strategy or the model (no self-tuning unless --tune): "
      "weight.SOURCE (";
  for (size_t s = 0; s < kSourceCount; ++s)
    h += std::string(s ? ", " : "") + source_code(Source(s));
  h += ")";
  for (const Param& p : kParams) h += std::string(", ") + p.name;
  return h;
}

const CommandSpec kEvalSpec{
    "eval",
    "offline next-item evaluation on session logs",
    "",
    0,
    "",
    R"(Offline next-item evaluation (session-rec's protocol): builds the model from the
training log only, then replays every test session (rows sorted by time) through the
engine with the next_item placement, predicting the next item after every prefix;
sessions of one event give no prediction. Reports HitRate@k, MRR@k, NDCG@k over all
targets and over targets that are not a repeat of the current item, catalog coverage,
popularity bias and the latency of each prediction (track the event, then recommend).
With --snapshot instead of --train, a snapshot aisle build made (from events or from
aggregates) is replayed as it is, with its own tuning: two snapshots of one store compared
on one test log.
)",
    {opt_value("--train", "FILE", "the training log: the model is built from it only"),
     opt_value("--snapshot", "FILE.snap",
               "evaluate this snapshot instead of building one from --train; items are matched "
               "by id, and model parameters (--param transition_window, max_sessions) do not "
               "apply"),
     opt_required("--test", "FILE", "the test log, in the same format"),
     opt_value("--format", "F", "auto, session-rec, otto or ga4", EvalOptions{}.format),
     opt_value("-k", "N", "list length", default_text(EvalOptions{}.k)),
     opt_value("--neighbors", "N", "session kNN: neighbor sessions",
               default_text(EngineConfig{}.knn_neighbors)),
     opt_value("--sessions-per-item", "N", "session kNN: postings read per item",
               default_text(EngineConfig{}.knn_sessions_per_item)),
     opt_repeatable("--param", "NAME=VALUE", param_help()),
     opt_repeatable("--baseline", "NAME",
                    "also replay a reference method on the same split: " + baseline_names()),
     opt_flag("--tune",
              "tune even with --param given, starting from its values (tuning is on by default "
              "with --train: the engine is tuned on the training log's most recent sessions "
              "first, as aisle build does, and evaluated with what it chose)"),
     opt_flag("--no-tune",
              "the engine's fixed defaults (with --param: exactly those values, which turns "
              "tuning off by itself); with --snapshot, also without the snapshot's own tuning"),
     opt_flag("--json", "the figures as JSON (keys in the README)")}};

void set_eval_param(const std::string& text, EvalOptions* o) {
  const size_t eq = text.find('=');
  double v = 0;
  if (eq == std::string::npos || !parse_number(text.substr(eq + 1), &v)) {
    throw UsageError("--param expects NAME=NUMBER, got '" + text + "'");
  }
  const std::string name = text.substr(0, eq);
  for (size_t s = 0; s < kSourceCount; ++s) {
    if (name == std::string("weight.") + source_code(Source(s))) {
      next_item(o).weight[s] = float(v);
      return;
    }
  }
  for (const Param& p : kParams) {
    if (name == p.name) {
      if (!(v >= 0 && v <= 1e9))  // counts and scales; a cast of anything else is undefined
        throw UsageError("--param " + name + ": expects a number from 0 to 1000000000, got '" +
                         text.substr(eq + 1) + "'");
      p.set(v, o);
      return;
    }
  }
  throw UsageError("--param: unknown name '" + name + "'");
}

int cmd_eval(const Args& args) {
  EvalOptions o;
  const std::string train = args.get("--train"), snapshot = args.get("--snapshot"),
                    test = args.required("--test");
  if (train.empty() == snapshot.empty())
    throw UsageError("give one of --train (a log to build the model from) and --snapshot");
  o.format = args.get("--format");
  o.k = uint32_t(args.get_uint("-k", 1, 1000));
  o.engine.knn_neighbors = uint32_t(args.get_uint("--neighbors", 1, 100000));
  o.engine.knn_sessions_per_item = uint32_t(args.get_uint("--sessions-per-item", 1, 1000000));
  const std::vector<std::string> params = args.all("--param");
  for (const std::string& p : params) set_eval_param(p, &o);
  const bool exact = !params.empty();  // --param: evaluate exactly those values
  for (const std::string& name : args.all("--baseline")) {
    Baseline b;
    if (!parse_baseline(name, &b))
      throw UsageError("--baseline: unknown method '" + name + "' (" + baseline_names() + ")");
    o.baselines.push_back(b);
  }
  if (args.has("--tune") && args.has("--no-tune"))
    throw UsageError("give at most one of --tune and --no-tune");
  if (args.has("--tune") && !snapshot.empty())
    throw UsageError("--tune tunes a model built from --train; a --snapshot has its own tuning");
  // As aisle build: tuned unless asked not to, or unless --param asks for exact values.
  o.tune = snapshot.empty() && !args.has("--no-tune") && (args.has("--tune") || !exact);
  // --no-tune, or exact --param values: not the snapshot's own tuned parameters either.
  if (args.has("--no-tune") || exact) o.engine.snapshot_tuning = false;
  TuningResult tuning;
  const EvalReport r =
      snapshot.empty() ? evaluate(train, test, o, &tuning) : evaluate_snapshot(snapshot, test, o);
  if (args.has("--json")) {
    nlohmann::json j = r.to_json();
    j["k"] = o.k;
    if (o.tune) j["tuning"] = tuning.to_json();
    std::cout << j.dump(2) << "\n";
    return kOk;
  }
  std::printf("trained on %llu events (%llu sessions, %llu items); %llu test sessions\n",
              static_cast<unsigned long long>(r.train_events),
              static_cast<unsigned long long>(r.train_sessions),
              static_cast<unsigned long long>(r.items),
              static_cast<unsigned long long>(r.test_sessions));
  auto print = [&](const EvalReport& m_report, const char* indent) {
    for (const auto& [name, m] : {std::make_pair("all targets", m_report.all),
                                  std::make_pair("non-repeat", m_report.non_repeat)}) {
      std::printf("%s%-12s predictions %6llu  HitRate@%u %.4f  MRR@%u %.4f  NDCG@%u %.4f\n", indent,
                  name, static_cast<unsigned long long>(m.predictions), o.k, m.hit_rate, o.k, m.mrr,
                  o.k, m.ndcg);
    }
    std::printf("%scoverage %.4f  popularity bias %.4f  latency p50 %.1f us  p99 %.1f us\n", indent,
                m_report.coverage, m_report.popularity_bias, m_report.latency_p50_us,
                m_report.latency_p99_us);
  };
  if (o.tune) std::printf("  %s\n", tuning.summary().c_str());
  print(r, "  ");
  for (const EvalReport& b : r.baselines) {
    std::printf(
        "baseline %s, same split and replay (aisle's MRR@%u %.2fx of it, non-repeat %.2fx):\n",
        b.method.c_str(), o.k, b.all.mrr > 0 ? r.all.mrr / b.all.mrr : 0.0,
        b.non_repeat.mrr > 0 ? r.non_repeat.mrr / b.non_repeat.mrr : 0.0);
    print(b, "  ");
  }
  return kOk;
}

}  // namespace

const Command kEvalCommand{kEvalSpec, cmd_eval};

}  // namespace aisle
