// Self-tuning at build time: bounded, deterministic, gated by a paired test, recorded in the
// snapshot, applied by the engine (the browser's too), carried into the public cut.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>

#include "build.h"
#include "demo_data.h"
#include "engine.h"
#include "inspect.h"
#include "public_snapshot.h"
#include "snapshot_writer.h"
#include "test_util.h"

using namespace aisle;

namespace {

// A generated store of 300 products and 6,000 sessions in a new folder `name`: its path.
std::string demo_store(const char* name) {
  const std::string dir = testing::temp_dir(name);
  DemoOptions demo;
  demo.products = 300;
  demo.sessions = 6000;
  generate_demo(demo, dir);
  return dir;
}

BuildOptions demo_build(const std::string& dir) {
  BuildOptions o;
  o.catalog_path = dir + "/catalog.tsv";
  o.event_paths = {dir + "/events.jsonl"};
  return o;
}

std::vector<uint8_t> build_demo(const std::string& dir, bool tune, BuildReport* r) {
  BuildOptions o = demo_build(dir);
  o.tune = tune;
  return build_snapshot(o, r);
}

}  // namespace

TEST_CASE("self-tuning: bounded, deterministic, gated, recorded and left out when asked") {
  const std::string dir = demo_store("tuning");
  BuildReport a, b, off;
  const auto bytes = build_demo(dir, true, &a);
  const auto again = build_demo(dir, true, &b);
  const auto untuned = build_demo(dir, false, &off);
  REQUIRE(a.tuning.ran);
  CHECK(a.tuning.candidates == 16);  // the defaults and 15 alternatives, one pass
  CHECK(a.tuning.replayed_in_full <= 15);
  CHECK(a.tuning.predictions >= TuningOptions().min_predictions);
  CHECK(a.tuning.predictions <= TuningOptions().max_predictions + 100);  // whole sessions
  CHECK(a.tuning.early_sessions > 0);
  // The same log, the same choice, on any machine: the search is bounded by counts.
  CHECK(a.tuning.summary() == b.tuning.summary());
  CHECK(a.tuning.chosen.mrr >= a.tuning.defaults.mrr);
  CHECK(a.tuning.tuned == (a.tuning.z >= TuningOptions().min_z));
  auto snap = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE(snap.is_ok());
  CHECK(snap.value().tuning().has_value() == a.tuning.tuned);
  if (a.tuning.tuned) {
    const fmt::TuningRecord stored = *snap.value().tuning();
    CHECK(std::memcmp(&stored, &a.tuning.params, sizeof stored) == 0);
  }
  const auto j = inspect_snapshot(snap.value());
  REQUIRE(j["tuning"].is_object());
  CHECK(j["tuning"]["summary"] == a.tuning.summary());
  CHECK(j["tuning"]["held_out"]["chosen"]["predictions"] == a.tuning.predictions);
  // --no-tune: nothing run, nothing recorded.
  CHECK_FALSE(off.tuning.ran);
  auto plain = Snapshot::open(untuned.data(), untuned.size());
  REQUIRE(plain.is_ok());
  CHECK_FALSE(plain.value().tuning().has_value());
  CHECK(inspect_snapshot(plain.value())["tuning"].is_null());
  remove((dir + "/catalog.tsv").c_str());
  remove((dir + "/events.jsonl").c_str());
}

TEST_CASE("self-tuning on a larger log: screened on a share of the predictions, deterministic") {
  const std::string dir = demo_store("tuning-screen");
  auto run = [&](double share) {
    BuildOptions o = demo_build(dir);
    o.tuning.min_predictions = 100;  // so that a third of them is a screen
    o.tuning.screen_share = share;
    BuildReport r;
    build_snapshot(o, &r);
    return r.tuning;
  };
  const TuningResult screened = run(1.0 / 3), again = run(1.0 / 3), whole = run(1.0);
  REQUIRE(screened.ran);
  CHECK(screened.candidates == 16);
  // Only alternatives that beat the best on the screen are replayed on the rest: fewer
  // than all 15 here, whatever the machine (the same choice twice).
  CHECK(screened.screened_predictions < screened.predictions / 2);
  CHECK(screened.screened_predictions >= screened.predictions / 3);
  CHECK(whole.screened_predictions == whole.predictions);
  CHECK(screened.replayed_in_full < 15);
  CHECK(screened.summary() == again.summary());
  CHECK(screened.to_json()["held_out"] == again.to_json()["held_out"]);
  // The figures are over every held-out prediction, screened or not.
  CHECK(screened.chosen.predictions == screened.predictions);
  CHECK(screened.defaults.mrr == doctest::Approx(whole.defaults.mrr).epsilon(1e-9));
  CHECK(screened.chosen.mrr >= screened.defaults.mrr);
  CHECK(whole.predictions == screened.predictions);
  remove((dir + "/catalog.tsv").c_str());
  remove((dir + "/events.jsonl").c_str());
}

TEST_CASE("self-tuning: a log too small to hold out says why and changes nothing") {
  BuildOptions o;
  o.catalog_path = testing::data_path("catalog.jsonl");
  o.event_paths = {testing::data_path("events.jsonl")};
  BuildReport r;
  const auto bytes = build_snapshot(o, &r);
  CHECK_FALSE(r.tuning.ran);
  CHECK(r.tuning.summary().rfind("not tuned: too few recent sessions to hold out", 0) == 0);
  auto snap = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE(snap.is_ok());
  CHECK_FALSE(snap.value().tuning().has_value());
}

TEST_CASE(
    "a snapshot's tuned parameters: the engine applies them, the verifier bounds them, "
    "the public cut keeps them") {
  Catalog catalog;
  for (int i = 0; i < 6; ++i) {
    CatalogItem it;
    it.id = "I" + std::to_string(i);
    it.title = it.id;
    it.price = 1000;
    it.category_path = {"Shop", "C"};
    catalog.items.push_back(it);
  }
  SnapshotInput in;
  in.catalog = &catalog;
  in.popularity.resize(catalog.items.size());
  in.model.transitions.assign(catalog.items.size(), {});
  in.model.transitions[0] = {{1, 1.0f}, {2, 0.5f}};
  in.model.co_purchases.assign(catalog.items.size(), {});
  in.model.co_purchases[0] = {{3, 3.0f}};
  EngineConfig chosen;
  fmt::TuningRecord t = tuning_of(chosen);
  t.next_transitions = 0;  // viewed_after off: the co-purchase leads
  t.knn_idf = 1;
  in.tuning = t;
  auto bytes = write_snapshot(in);
  REQUIRE(bytes.is_ok());
  auto snap = Snapshot::open(bytes.value().data(), bytes.value().size());
  REQUIRE(snap.is_ok());
  apply_tuning(t, &chosen);
  CHECK(chosen.strategy[size_t(Placement::kNextItem)].weight[size_t(Source::kTransitions)] == 0);
  CHECK(chosen.knn_idf == 1);
  auto list = [&](const EngineConfig& config) {
    Engine engine(snap.value(), config);
    const Session s = testing::one_event(EventType::kViewItem, 0, 1'790'000'000'000);
    Request req;
    req.placement = Placement::kNextItem;
    req.k = 2;
    req.now_ms = 1'790'000'000'000;
    std::vector<Recommendation> out;
    engine.recommend(s, req, &out);
    return out.empty() ? fmt::kNone : out[0].item;
  };
  EngineConfig ignore;
  ignore.snapshot_tuning = false;
  CHECK(list(EngineConfig()) == 3);  // the snapshot's parameters: the co-purchase leads
  CHECK(list(ignore) == 1);          // the defaults: the transition leads
  // The public cut carries the parameters (the shopper's engine needs them).
  const PublicSnapshot cut = public_snapshot(snap.value(), PublicOptions());
  auto cut_open = Snapshot::open(cut.bytes.data(), cut.bytes.size());
  REQUIRE(cut_open.is_ok());
  REQUIRE(cut_open.value().tuning().has_value());
  CHECK(cut_open.value().tuning()->knn_idf == 1);
  // A parameter out of range (or not a number) is a corrupt file, never a config.
  for (const float bad : {-1.0f, 1e9f, std::nanf("")}) {
    fmt::TuningRecord wrong = t;
    wrong.next_history = bad;
    in.tuning = wrong;
    auto b = write_snapshot(in);
    REQUIRE(b.is_ok());
    auto o = Snapshot::open(b.value().data(), b.value().size());
    CHECK_FALSE(o.is_ok());
    CHECK(o.status().message().find("tuning: a parameter out of range") != std::string::npos);
  }
}
