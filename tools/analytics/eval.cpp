#include "eval.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <unordered_map>

#include "baselines.h"
#include "event_ingest.h"
#include "file_io.h"
#include "popularity.h"
#include "snapshot.h"

namespace aisle {
namespace {

bool is_item_event(EventType t) {
  return t == EventType::kViewItem || t == EventType::kSelectItem || t == EventType::kAddToCart ||
         t == EventType::kPurchase;
}

void read_log(const std::string& path, const std::string& format, const EventCallback& cb,
              EventStats* stats) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Location{path, 0, ""}, "cannot open");
  Diagnostics diag;
  read_events(in, path, format, diag, stats, cb);
}

// The test log's sessions replayed on `snap` (items looked up by id with `find`), the
// engine and then each baseline.
EvalReport replay_test(const Snapshot& snap, const std::function<uint32_t(std::string_view)>& find,
                       const std::string& test_path, const EngineConfig& engine_config,
                       const EvalOptions& o, EvalReport report, const ModelInput* model = nullptr) {
  EventStats stats;
  // Test sessions, in order of their ids, rows sorted by time within each (ties keep file
  // order).
  std::map<std::string, ReplaySession> by_id;
  read_log(
      test_path, o.format,
      [&](const RawEvent& e) {
        if (!is_item_event(e.type) || e.item_count == 0) return;
        by_id[std::string(e.session)].push_back(ReplayStep{e.ts_ms, find(e.items[0].id), e.type});
      },
      &stats);
  std::vector<ReplaySession> sessions;
  sessions.reserve(by_id.size());
  for (auto& [id, steps] : by_id) {
    sort_by_time(&steps);
    sessions.push_back(std::move(steps));
  }

  replay_engine(sessions, snap, engine_config, o.k, &report);
  for (const Baseline b : o.baselines) {
    EvalReport base;
    base.method = baseline_name(b);
    base.train_events = report.train_events;
    base.train_sessions = report.train_sessions;
    base.items = report.items;
    BaselinePredictor predictor(snap, b, model ? model->session_last_ms : std::vector<int64_t>(),
                                model ? model->log_sessions : 0);
    replay_next_item(
        sessions, snap, o.k, &base,
        [&](const Session&, const std::vector<uint32_t>& prefix, const Request& req,
            std::vector<uint32_t>* list) { predictor.predict(prefix, req.now_ms, req.k, list); });
    report.baselines.push_back(std::move(base));
  }
  return report;
}

}  // namespace

EvalReport evaluate(const std::string& train_path, const std::string& test_path,
                    const EvalOptions& o, TuningResult* tuning) {
  EvalReport report;
  // The catalog is every item of the training log, in order of first appearance.
  Catalog catalog;
  std::unordered_map<std::string, uint32_t> index;
  struct TrainEvent {
    std::string session;
    uint32_t item;
    EventType type;
    int64_t ts;
  };
  std::vector<TrainEvent> train;
  EventStats stats;
  read_log(
      train_path, o.format,
      [&](const RawEvent& e) {
        if (!is_item_event(e.type) || e.item_count == 0) return;
        for (size_t i = 0; i < e.item_count; ++i) {
          auto found = index.find(std::string(e.items[i].id));
          if (found == index.end()) {
            found = index.emplace(std::string(e.items[i].id), uint32_t(catalog.items.size())).first;
            CatalogItem item;
            item.id = std::string(e.items[i].id);
            item.title = item.id;
            item.price = 0;
            catalog.items.push_back(std::move(item));
          }
          train.push_back(TrainEvent{std::string(e.session), found->second, e.type, e.ts_ms});
        }
      },
      &stats);
  report.train_events = stats.events;
  report.items = catalog.items.size();
  if (catalog.items.empty())
    throw InputError(Location{train_path, 0, ""}, "no item events to train on");

  PopularityBuilder popularity(catalog.items.size(), 7 * 86400);
  InteractionLog log;
  int64_t latest = 0;
  for (const TrainEvent& e : train) {
    popularity.add(e.item, e.type, e.ts, 1);  // a select_item counts as a view
    log.add(e.session, e.item, e.type, e.ts);
    latest = std::max(latest, e.ts);
  }
  std::vector<TrainEvent>().swap(train);
  EngineConfig engine_config = o.engine;
  std::future<TuningResult> tuned;  // on the training log alone, as the build tunes on its own
  if (o.tune) tuned = start_tuning(log, catalog, o.model, 7 * 86400, o.engine, o.tuning);
  SnapshotInput input;
  input.catalog = &catalog;
  input.popularity = popularity.finish(latest);
  input.as_of_ms = latest;
  log.build(catalog.items.size(), o.model, &input.model);
  if (tuned.valid()) {
    const TuningResult t = tuned.get();
    if (t.tuned) apply_tuning(t.params, &engine_config);
    if (tuning != nullptr) *tuning = t;
  }
  report.train_sessions = input.model.sessions.size();
  auto bytes = write_snapshot(input);
  if (!bytes.is_ok()) throw InputError(bytes.status().message());
  auto opened = Snapshot::open(bytes.value().data(), bytes.value().size());
  if (!opened.is_ok()) throw InputError(opened.status().message());
  const Snapshot& snap = opened.value();
  return replay_test(
      snap,
      [&](std::string_view id) {
        const auto found = index.find(std::string(id));
        return found == index.end() ? fmt::kNone : found->second;
      },
      test_path, engine_config, o, std::move(report), &input.model);
}

EvalReport evaluate_snapshot(const std::string& snapshot_path, const std::string& test_path,
                             const EvalOptions& o) {
  for (const Baseline b : o.baselines) {
    if (BaselinePredictor::needs_training_log(b))
      throw InputError(std::string("--baseline ") + baseline_name(b) +
                       " needs the training log's session times, which a snapshot does not "
                       "hold: give --train instead of --snapshot");
  }
  const SnapshotFile file = read_snapshot(snapshot_path);
  const Snapshot& snap = file.snapshot;
  EvalReport report;
  report.train_events = snap.meta().events_read;
  report.train_sessions = snap.session_count();
  report.items = snap.item_count();
  return replay_test(
      snap,
      [&](std::string_view id) {
        uint32_t i;
        return snap.find_item(id, &i) ? i : fmt::kNone;
      },
      test_path, o.engine, o, std::move(report));
}

}  // namespace aisle
