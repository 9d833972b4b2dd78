#include "eval.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <unordered_map>

#include "baselines.h"
#include "event_ingest.h"
#include "popularity.h"
#include "snapshot.h"

namespace aisle {
namespace {

struct Step {
  int64_t ts;
  uint64_t order;
  uint32_t item;  // kNone: not in the training catalog
  EventType type;
};

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

}  // namespace

double Ranking::reciprocal_rank(const std::vector<uint32_t>& list, uint32_t target, uint32_t k) {
  for (size_t i = 0; i < list.size() && i < k; ++i) {
    if (list[i] == target) return 1.0 / double(i + 1);
  }
  return 0;
}

double Ranking::ndcg(const std::vector<uint32_t>& list, uint32_t target, uint32_t k) {
  for (size_t i = 0; i < list.size() && i < k; ++i) {
    if (list[i] == target) return 1.0 / std::log2(double(i) + 2.0);
  }
  return 0;
}

nlohmann::json EvalReport::to_json() const {
  auto m = [&](const EvalMetrics& x) {
    return nlohmann::json{
        {"predictions", x.predictions}, {"hit_rate", x.hit_rate}, {"mrr", x.mrr}, {"ndcg", x.ndcg}};
  };
  nlohmann::json j = {
      {"method", method},
      {"all", m(all)},
      {"non_repeat", m(non_repeat)},
      {"coverage", coverage},
      {"popularity_bias", popularity_bias},
      {"latency_us", {{"p50", latency_p50_us}, {"p99", latency_p99_us}}},
      {"train", {{"events", train_events}, {"sessions", train_sessions}, {"items", items}}},
      {"test_sessions", test_sessions}};
  if (!baselines.empty()) {
    j["baselines"] = nlohmann::json::array();
    for (const EvalReport& b : baselines) j["baselines"].push_back(b.to_json());
  }
  return j;
}

namespace {

// The replay every method goes through: each test session's events in time order into a
// Session (as the storefront tracks them), a next_item list after every event but the
// last, scored against the next item; the prediction's latency includes the tracking.
template <typename Predict>
void replay(std::map<std::string, std::vector<Step>>& sessions, const Snapshot& snap, uint32_t k,
            const std::vector<double>& pop, double max_pop, EvalReport* report, Predict predict) {
  Session session;
  std::vector<uint32_t> list, prefix;
  std::vector<double> latencies;
  std::vector<bool> covered(snap.item_count(), false);
  double pop_sum = 0;
  uint64_t pop_lists = 0;
  auto score = [&](EvalMetrics& m, uint32_t target) {
    ++m.predictions;
    const double rr = target == fmt::kNone ? 0 : Ranking::reciprocal_rank(list, target, k);
    m.mrr += rr;
    m.hit_rate += rr > 0;
    m.ndcg += target == fmt::kNone ? 0 : Ranking::ndcg(list, target, k);
  };
  for (auto& [id, steps] : sessions) {
    if (steps.size() < 2) continue;
    ++report->test_sessions;
    std::stable_sort(steps.begin(), steps.end(),
                     [](const Step& a, const Step& b) { return a.ts < b.ts; });
    session.reset();
    prefix.clear();
    for (size_t i = 0; i + 1 < steps.size(); ++i) {
      const Step& s = steps[i];
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
      latencies.push_back(
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
      double list_pop = 0;
      for (const uint32_t item : list) {
        covered[item] = true;
        list_pop += pop[item] / max_pop;
      }
      if (!list.empty()) {
        pop_sum += list_pop / double(list.size());
        ++pop_lists;
      }
      const uint32_t target = steps[i + 1].item;
      score(report->all, target);
      if (target == fmt::kNone || target != s.item) score(report->non_repeat, target);
    }
  }
  for (EvalMetrics* m : {&report->all, &report->non_repeat}) {
    if (m->predictions == 0) continue;
    m->hit_rate /= double(m->predictions);
    m->mrr /= double(m->predictions);
    m->ndcg /= double(m->predictions);
  }
  report->coverage = double(std::count(covered.begin(), covered.end(), true)) /
                     double(std::max<size_t>(1, covered.size()));
  report->popularity_bias = pop_lists ? pop_sum / double(pop_lists) : 0;
  if (!latencies.empty()) {
    std::sort(latencies.begin(), latencies.end());
    report->latency_p50_us = latencies[latencies.size() / 2];
    report->latency_p99_us =
        latencies[std::min(latencies.size() - 1, size_t(double(latencies.size()) * 0.99))];
  }
}

}  // namespace

EvalReport evaluate(const std::string& train_path, const std::string& test_path,
                    const EvalOptions& o) {
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
    popularity.add(e.item, e.type == EventType::kSelectItem ? EventType::kViewItem : e.type, e.ts,
                   1);
    log.add(e.session, e.item, e.type, e.ts);
    latest = std::max(latest, e.ts);
  }
  std::vector<TrainEvent>().swap(train);
  SnapshotInput input;
  input.catalog = &catalog;
  input.popularity = popularity.finish(latest);
  input.as_of_ms = latest;
  log.build(catalog.items.size(), o.model, &input.model);
  report.train_sessions = input.model.sessions.size();
  auto bytes = write_snapshot(input);
  if (!bytes.is_ok()) throw InputError(bytes.status().message());
  auto opened = Snapshot::open(bytes.value().data(), bytes.value().size());
  if (!opened.is_ok()) throw InputError(opened.status().message());
  const Snapshot& snap = opened.value();
  std::vector<double> pop(snap.item_count());
  double max_pop = 1;
  for (uint32_t i = 0; i < snap.item_count(); ++i) {
    const auto p = snap.popularity(i);
    pop[i] = double(p.views) + p.carts + p.purchases;
    max_pop = std::max(max_pop, pop[i]);
  }

  // Test sessions, rows sorted by time within each (ties keep file order).
  std::map<std::string, std::vector<Step>> sessions;
  uint64_t order = 0;
  read_log(
      test_path, o.format,
      [&](const RawEvent& e) {
        if (!is_item_event(e.type) || e.item_count == 0) return;
        auto found = index.find(std::string(e.items[0].id));
        sessions[std::string(e.session)].push_back(
            Step{e.ts_ms, order++, found == index.end() ? fmt::kNone : found->second, e.type});
      },
      &stats);

  replay(sessions, snap, o.k, pop, max_pop, &report,
         [engine = Engine(snap, o.engine), recs = std::vector<Recommendation>()](
             const Session& session, const std::vector<uint32_t>&, const Request& req,
             std::vector<uint32_t>* list) mutable {
           engine.recommend(session, req, &recs);
           for (const Recommendation& r : recs) list->push_back(r.item);
         });
  for (const Baseline b : o.baselines) {
    EvalReport base;
    base.method = baseline_name(b);
    base.train_events = report.train_events;
    base.train_sessions = report.train_sessions;
    base.items = report.items;
    replay(sessions, snap, o.k, pop, max_pop, &base,
           [predictor = BaselinePredictor(snap, b)](
               const Session&, const std::vector<uint32_t>& prefix, const Request& req,
               std::vector<uint32_t>* list) mutable { predictor.predict(prefix, req.k, list); });
    report.baselines.push_back(std::move(base));
  }
  return report;
}

}  // namespace aisle
