#include "next_item_replay.h"

#include <cmath>

namespace aisle {

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

void sort_by_time(ReplaySession* steps) {
  std::stable_sort(steps->begin(), steps->end(),
                   [](const ReplayStep& a, const ReplayStep& b) { return a.ts < b.ts; });
}

std::vector<double> training_popularity(const Snapshot& snap) {
  std::vector<double> pop(snap.item_count());
  for (uint32_t i = 0; i < snap.item_count(); ++i) {
    const auto p = snap.popularity(i);
    pop[i] = double(p.views) + p.carts + p.purchases;
  }
  return pop;
}

ReplayScore::ReplayScore(const Snapshot& snap, uint32_t k)
    : k_(k), pop_(training_popularity(snap)), covered_(snap.item_count(), false) {
  for (const double p : pop_) max_pop_ = std::max(max_pop_, p);
}

void ReplayScore::list_made(const std::vector<uint32_t>& list, double latency_us) {
  latencies_.push_back(latency_us);
  double list_pop = 0;
  for (const uint32_t item : list) {
    covered_[item] = true;
    list_pop += pop_[item] / max_pop_;
  }
  if (!list.empty()) {
    pop_sum_ += list_pop / double(list.size());
    ++pop_lists_;
  }
}

void ReplayScore::score(EvalMetrics& m, const std::vector<uint32_t>& list, uint32_t target) const {
  ++m.predictions;
  const double rr = target == fmt::kNone ? 0 : Ranking::reciprocal_rank(list, target, k_);
  m.mrr += rr;
  m.hit_rate += rr > 0;
  m.ndcg += target == fmt::kNone ? 0 : Ranking::ndcg(list, target, k_);
}

void ReplayScore::scored(const std::vector<uint32_t>& list, uint32_t current, uint32_t target) {
  score(all_, list, target);
  reciprocal_ranks_.push_back(
      target == fmt::kNone ? 0.0f : float(Ranking::reciprocal_rank(list, target, k_)));
  if (target == fmt::kNone || target != current) score(non_repeat_, list, target);
}

void ReplayScore::finish(EvalReport* report) {
  for (EvalMetrics* m : {&all_, &non_repeat_}) {
    if (m->predictions == 0) continue;
    m->hit_rate /= double(m->predictions);
    m->mrr /= double(m->predictions);
    m->ndcg /= double(m->predictions);
  }
  report->all = all_;
  report->reciprocal_ranks = std::move(reciprocal_ranks_);
  report->non_repeat = non_repeat_;
  report->coverage = double(std::count(covered_.begin(), covered_.end(), true)) /
                     double(std::max<size_t>(1, covered_.size()));
  report->popularity_bias = pop_lists_ ? pop_sum_ / double(pop_lists_) : 0;
  if (!latencies_.empty()) {
    std::sort(latencies_.begin(), latencies_.end());
    report->latency_p50_us = latencies_[latencies_.size() / 2];
    report->latency_p99_us =
        latencies_[std::min(latencies_.size() - 1, size_t(double(latencies_.size()) * 0.99))];
  }
}

void replay_engine(const std::vector<ReplaySession>& sessions, const Snapshot& snap,
                   const EngineConfig& config, uint32_t k, EvalReport* report) {
  Engine engine(snap, config);
  std::vector<Recommendation> recs;
  replay_next_item(sessions, snap, k, report,
                   [&](const Session& session, const std::vector<uint32_t>&, const Request& req,
                       std::vector<uint32_t>* list) {
                     engine.recommend(session, req, &recs);
                     for (const Recommendation& r : recs) list->push_back(r.item);
                   });
}

}  // namespace aisle
