#include "build.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <unordered_map>

#include "hash.h"
#include "kind_inference.h"
#include "popularity.h"
#include "rules_file.h"
#include "snapshot_writer.h"
#include "text.h"

namespace aisle {
namespace {

// Item id -> catalog index: open addressing over FNV-1a hashes, probed on the hot path
// of ingestion (std::unordered_map's node lookups cost a fifth of the build).
class IdIndex {
 public:
  static constexpr uint32_t kMissing = 0xFFFFFFFFu;
  explicit IdIndex(const Catalog& c) : catalog_(c) {
    size_t cap = 16;
    while (cap < c.items.size() * 2) cap *= 2;
    slots_.assign(cap, kMissing);
    for (uint32_t i = 0; i < c.items.size(); ++i) {
      size_t j = hash(c.items[i].id) & (cap - 1);
      while (slots_[j] != kMissing) j = (j + 1) & (cap - 1);
      slots_[j] = i;
    }
  }
  uint32_t find(std::string_view id) const {
    for (size_t j = hash(id) & (slots_.size() - 1);; j = (j + 1) & (slots_.size() - 1)) {
      const uint32_t i = slots_[j];
      if (i == kMissing || catalog_.items[i].id == id) return i;
    }
  }

 private:
  static uint64_t hash(std::string_view s) {
    const uint64_t h = fnv1a_64(s);
    return h ^ (h >> 29);
  }
  const Catalog& catalog_;
  std::vector<uint32_t> slots_;
};

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// 0 for a stream that cannot seek (a pipe), which is then read as it is.
uint64_t file_size(std::istream& in) {
  const auto pos = in.tellg();
  if (pos < 0) {
    in.clear();
    return 0;
  }
  in.seekg(0, std::ios::end);
  const auto end = in.tellg();
  in.clear();
  in.seekg(pos);
  return end < 0 ? 0 : uint64_t(end);
}

struct TimeWindow {
  int64_t from_ms, to_ms;
};
constexpr TimeWindow kNoWindow{INT64_MIN, INT64_MAX};

// One read of every event log into popularity and interactions, keeping a bounded,
// evenly spaced sample of event times for the log's robust time range.
class EventPass {
 public:
  EventPass(const BuildOptions& options, const Catalog& catalog, const IdIndex& index,
            BuildReport* report)
      : popularity(catalog.items.size(), options.half_life_s),
        options_(&options),
        index_(&index),
        report_(report) {}

  void run(TimeWindow window) {
    const auto t_events = std::chrono::steady_clock::now();
    for (const std::string& path : options_->event_paths) read(path, window, t_events);
  }

  // Events more than max(365 days, 4 x the 10th-90th percentile spread) from the median
  // event time are far outside the log (docs/ingestion.md, "Limits"): robust as long as
  // fewer than a tenth of the events are such outliers.
  TimeWindow robust_window() {
    if (sample_.empty()) return kNoWindow;
    std::vector<int64_t> s = sample_;
    auto at = [&](double q) {
      const size_t k = size_t(q * double(s.size() - 1));
      std::nth_element(s.begin(), s.begin() + long(k), s.end());
      return double(s[k]);
    };
    const double median = at(0.5), spread = at(0.9) - at(0.1);
    const double reach = std::max(4 * spread, double(kMinOutlierReachMs));
    auto clamp = [](double v) {
      return v <= -9.2e18 ? INT64_MIN : v >= 9.2e18 ? INT64_MAX : int64_t(v);
    };
    return TimeWindow{clamp(median - reach), clamp(median + reach)};
  }
  int64_t earliest_ms() const { return earliest_ms_; }
  int64_t latest_ms() const { return latest_ms_ == INT64_MIN ? 0 : latest_ms_; }

  PopularityBuilder popularity;
  InteractionLog interactions;
  PurchaseLog purchases;  // by visitor, for what the export does not say (kind_inference.h)

 private:
  static constexpr int64_t kMinOutlierReachMs = int64_t(365) * 86400 * 1000;
  static constexpr size_t kSampleSize = size_t(1) << 16;

  void sample(int64_t ts) {
    if (seen_++ % stride_ != 0) return;
    sample_.push_back(ts);
    if (sample_.size() < 2 * kSampleSize) return;
    for (size_t i = 0; i < kSampleSize; ++i) sample_[i] = sample_[2 * i];  // every other
    sample_.resize(kSampleSize);
    stride_ *= 2;
  }

  void read(const std::string& path, TimeWindow window,
            std::chrono::steady_clock::time_point t_events) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(Location{path, 0, ""}, "cannot open the events file");
    const uint64_t total = file_size(in);
    interactions.reserve(interactions.size() + total / 180);  // GA4 lines run about 200 bytes
    EventStats stats;
    Diagnostics& diag = report_->event_diag;
    auto on_event = [&](const RawEvent& e) {
      if (e.ts_ms < window.from_ms || e.ts_ms > window.to_ms) {
        const char* kind = "event far outside the log's time range ignored";
        if (diag.count(kind) < 3) {
          diag.warn(Location{path, e.line, "timestamp"}, kind, format_time_iso(e.ts_ms));
        } else {
          diag.add_count(kind, 1);
        }
        return;
      }
      latest_ms_ = std::max(latest_ms_, e.ts_ms);
      earliest_ms_ = std::min(earliest_ms_, e.ts_ms);
      sample(e.ts_ms);
      if (PopularityBuilder::weight(e.type) == 0) return;
      for (size_t i = 0; i < e.item_count; ++i) {
        const uint32_t found = index_->find(e.items[i].id);
        if (found == IdIndex::kMissing) {
          if (report_->unknown_items++ < 3) {
            diag.warn(Location{path, e.line, "item_id"}, "unknown item id",
                      "'" + std::string(e.items[i].id) + "'");
          } else {
            diag.add_count("unknown item id", 1);
          }
          continue;
        }
        popularity.add(found, e.type, e.ts_ms, e.items[i].quantity);
        interactions.add(e.session, found, e.type, e.ts_ms);
        if (e.type == EventType::kPurchase) purchases.add(e.visitor, found, e.ts_ms);
        ++report_->interactions_used;
      }
    };
    auto on_progress = [&](const EventStats& st) {
      if (!options_->progress) return;
      const double secs = seconds_since(t_events);
      std::fprintf(stderr, "\r  %s: %.1fM events, %.0f%%, %.2fM events/s   ", path.c_str(),
                   st.events / 1e6, total ? 100.0 * double(st.bytes) / double(total) : 0.0,
                   secs > 0 ? st.events / secs / 1e6 : 0.0);
    };
    read_events(in, path, options_->events_format, diag, &stats, on_event, on_progress);
    if (options_->progress) std::fprintf(stderr, "\r%80s\r", "");
    if (in.bad()) throw InputError(Location{path, 0, ""}, "read error");
    report_->events.push_back(stats);
  }

  const BuildOptions* options_;
  const IdIndex* index_;
  BuildReport* report_;
  std::vector<int64_t> sample_;
  uint64_t seen_ = 0, stride_ = 1;
  int64_t earliest_ms_ = INT64_MAX, latest_ms_ = INT64_MIN;
};

// The events read here: popularity, the model's counts, kinds from repeat buying and the
// self-tuning, into `input`.
void build_from_events(const BuildOptions& options, Catalog& catalog, const IdIndex& index,
                       BuildReport* report, SnapshotInput* input) {
  const auto t_events = std::chrono::steady_clock::now();
  // Pass 1 reads every event; if some lie far outside the log's time range (a 9999-12-31
  // would take the trend's reference time with it), pass 2 reads the logs again without them.
  EventPass pass(options, catalog, index, report);
  pass.run(kNoWindow);
  const TimeWindow window = pass.robust_window();
  if (pass.earliest_ms() < window.from_ms || pass.latest_ms() > window.to_ms) {
    for (const std::string& path : options.event_paths) {
      std::error_code ec;
      if (!std::filesystem::is_regular_file(path, ec))
        throw InputError(Location{path, 0, ""},
                         "events far outside the log's time range need a second read, and this "
                         "is not a file that can be read twice (a pipe?): give a file");
    }
    report->events.clear();
    report->event_diag = Diagnostics();
    report->interactions_used = report->unknown_items = 0;
    EventPass again(options, catalog, index, report);
    again.run(window);
    pass = std::move(again);
  }
  report->event_seconds = seconds_since(t_events);
  InteractionLog& interactions = pass.interactions;

  // Kinds and repurchase cycles the export left unknown, from who buys again.
  report->inferred = pass.purchases.infer(&catalog);
  // Self-tuning runs beside the model's build (it reads the catalog; nothing here changes it).
  std::future<TuningResult> tuning;
  if (options.tune && interactions.size() > 0) {
    tuning = start_tuning(interactions, catalog, options.model, options.half_life_s, EngineConfig(),
                          options.tuning);
  }
  input->as_of_ms = options.now_ms != 0 ? options.now_ms : pass.latest_ms();
  input->popularity = pass.popularity.finish(input->as_of_ms);
  input->events_read = report->events_total();
  const auto t_model = std::chrono::steady_clock::now();
  interactions.build(catalog.items.size(), options.model, &input->model);
  input->model.similar_length = options.model.similar_length;  // computed where it is read
  report->model_seconds = seconds_since(t_model);
  if (tuning.valid()) {
    report->tuning = tuning.get();
    if (report->tuning.tuned) input->tuning = report->tuning.params;
  }
}

// What the counting SQL counted (aggregates.h), into `input`.
void build_from_aggregates(const BuildOptions& options, Catalog& catalog, const IdIndex& index,
                           BuildReport* report, SnapshotInput* input) {
  // Counted elsewhere (the counting SQL): no events here, so no self-tuning, which
  // replays sessions event by event.
  const auto t_model = std::chrono::steady_clock::now();
  Aggregates a = read_aggregates(
      options.aggregates_dir, catalog.items.size(),
      [&](std::string_view id) { return index.find(id); }, options.half_life_s, options.model,
      report->event_diag);
  report->inferred = read_aggregate_kinds(options.aggregates_dir, &catalog, report->event_diag);
  report->interactions_used = a.interactions;
  report->unknown_items = a.unknown_items;
  report->aggregate_rows = a.rows;
  input->events_read = a.events_read;
  input->as_of_ms = options.now_ms != 0 ? options.now_ms : a.as_of_ms;
  const double factor =
      std::exp2(double(a.as_of_ms - input->as_of_ms) / (double(options.half_life_s) * 1000.0));
  for (ItemPopularity& p : a.popularity)
    p.trend = float(std::min(double(p.trend) * factor, 3.0e38));
  input->popularity = std::move(a.popularity);
  finish_model(std::move(a.counts), catalog.items.size(), options.model, &input->model);
  input->model.similar_length = options.model.similar_length;
  report->model_seconds = seconds_since(t_model);
}

}  // namespace

uint64_t BuildReport::events_total() const {
  uint64_t n = 0;
  for (const auto& e : events) n += e.events;
  return n;
}

Catalog read_catalog(const BuildOptions& options, BuildReport* report, RulesFile* rules) {
  report->catalog_diag = Diagnostics(options.strict);
  CatalogOptions catalog_options = options.catalog;
  if (!options.rules_path.empty()) {
    *rules = load_rules(options.rules_path);
    catalog_options.mapping = rules->field_mapping;
  }
  std::ifstream catalog_in(options.catalog_path, std::ios::binary);
  if (!catalog_in)
    throw InputError(Location{options.catalog_path, 0, ""}, "cannot open the catalog file");
  Catalog catalog = load_catalog(catalog_in, options.catalog_path, catalog_options,
                                 report->catalog_diag, &report->catalog);
  if (catalog.items.empty())
    throw InputError(Location{options.catalog_path, 0, ""}, "the catalog has no usable items");
  return catalog;
}

std::vector<uint8_t> build_snapshot(const BuildOptions& options, BuildReport* report) {
  const auto t0 = std::chrono::steady_clock::now();
  RulesFile rules;
  Catalog catalog = read_catalog(options, report, &rules);

  const IdIndex index(catalog);
  SnapshotInput input;
  input.catalog = &catalog;
  if (!options.aggregates_dir.empty()) {
    build_from_aggregates(options, catalog, index, report, &input);
  } else {
    build_from_events(options, catalog, index, report, &input);
  }
  nlohmann::json notes = nlohmann::json::object();
  if (report->tuning.ran || !report->tuning.skipped.empty())  // tuning was tried
    notes["tuning"] = report->tuning.to_json();
  if (!report->inferred.empty()) notes["inferred_kinds"] = to_json(report->inferred);
  // Category names are the merchant's bytes: ill-formed UTF-8 is replaced, not fatal.
  if (!notes.empty())
    input.build_notes = notes.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  input.built_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  input.events_used = report->interactions_used;
  input.trend_half_life_s = options.half_life_s;
  input.catalog_format = report->catalog.format;
  input.rules_json = rules.json;
  // After the model, whose content similarity reads labels: these say nothing of the product.
  label_build_time_matches(rules, input.built_at_ms / 1000, &catalog);
  auto bytes = write_snapshot(input);
  if (!bytes.is_ok())
    throw InputError(Location{options.catalog_path, 0, ""}, bytes.status().message());
  report->snapshot_bytes = bytes.value().size();
  report->total_seconds = seconds_since(t0);
  return std::move(bytes.value());
}

}  // namespace aisle
