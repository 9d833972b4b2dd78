#include "build.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <unordered_map>

#include "popularity.h"
#include "rules_file.h"
#include "snapshot_writer.h"

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
    uint64_t h = 14695981039346656037ull;
    for (char c : s) h = (h ^ uint8_t(c)) * 1099511628211ull;
    return h ^ (h >> 29);
  }
  const Catalog& catalog_;
  std::vector<uint32_t> slots_;
};

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

uint64_t file_size(std::istream& in) {
  const auto pos = in.tellg();
  in.seekg(0, std::ios::end);
  const auto end = in.tellg();
  in.seekg(pos);
  return end < 0 ? 0 : uint64_t(end);
}

}  // namespace

uint64_t BuildReport::events_total() const {
  uint64_t n = 0;
  for (const auto& e : events) n += e.events;
  return n;
}

std::vector<uint8_t> build_snapshot(const BuildOptions& options, BuildReport* report) {
  const auto t0 = std::chrono::steady_clock::now();
  report->catalog_diag = Diagnostics(options.strict);
  CatalogOptions catalog_options = options.catalog;
  RulesFile rules;
  if (!options.rules_path.empty()) {
    rules = load_rules(options.rules_path);
    catalog_options.mapping = rules.field_mapping;
  }
  std::ifstream catalog_in(options.catalog_path, std::ios::binary);
  if (!catalog_in)
    throw InputError(Location{options.catalog_path, 0, ""}, "cannot open the catalog file");
  const Catalog catalog = load_catalog(catalog_in, options.catalog_path, catalog_options,
                                       report->catalog_diag, &report->catalog);
  if (catalog.items.empty())
    throw InputError(Location{options.catalog_path, 0, ""}, "the catalog has no usable items");

  const IdIndex index(catalog);

  PopularityBuilder popularity(catalog.items.size(), options.half_life_s);
  InteractionLog interactions;
  int64_t latest_ms = 0;
  const auto t_events = std::chrono::steady_clock::now();
  for (const std::string& path : options.event_paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(Location{path, 0, ""}, "cannot open the events file");
    const uint64_t total = file_size(in);
    interactions.reserve(interactions.size() + total / 180);  // GA4 lines run about 200 bytes
    EventStats stats;
    auto on_event = [&](const RawEvent& e) {
      latest_ms = std::max(latest_ms, e.ts_ms);
      if (PopularityBuilder::weight(e.type) == 0) return;
      for (size_t i = 0; i < e.item_count; ++i) {
        const uint32_t found = index.find(e.items[i].id);
        if (found == IdIndex::kMissing) {
          if (report->unknown_items++ < 3) {
            report->event_diag.warn(Location{path, e.line, "item_id"}, "unknown item id",
                                    "'" + std::string(e.items[i].id) + "'");
          } else {
            report->event_diag.add_count("unknown item id", 1);
          }
          continue;
        }
        popularity.add(found, e.type, e.ts_ms, e.items[i].quantity);
        interactions.add(e.session, found, e.type, e.ts_ms);
        ++report->interactions_used;
      }
    };
    auto on_progress = [&](const EventStats& s) {
      if (!options.progress) return;
      const double secs = seconds_since(t_events);
      std::fprintf(stderr, "\r  %s: %.1fM events, %.0f%%, %.2fM events/s   ", path.c_str(),
                   s.events / 1e6, total ? 100.0 * double(s.bytes) / double(total) : 0.0,
                   secs > 0 ? s.events / secs / 1e6 : 0.0);
    };
    read_events(in, path, options.events_format, report->event_diag, &stats, on_event, on_progress);
    if (options.progress) std::fprintf(stderr, "\r%80s\r", "");
    if (in.bad()) throw InputError(Location{path, 0, ""}, "read error");
    report->events.push_back(stats);
  }
  report->event_seconds = seconds_since(t_events);

  SnapshotInput input;
  input.catalog = &catalog;
  input.as_of_ms = options.now_ms != 0 ? options.now_ms : latest_ms;
  input.popularity = popularity.finish(input.as_of_ms);
  const auto t_model = std::chrono::steady_clock::now();
  interactions.build(catalog.items.size(), options.model, &input.model);
  input.model.similar = build_similar(catalog, input.popularity, options.model.similar_length);
  report->model_seconds = seconds_since(t_model);
  input.built_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  input.events_read = report->events_total();
  input.events_used = report->interactions_used;
  input.trend_half_life_s = options.half_life_s;
  input.catalog_format = report->catalog.format;
  input.rules_json = rules.json;
  auto bytes = write_snapshot(input);
  if (!bytes.is_ok())
    throw InputError(Location{options.catalog_path, 0, ""}, bytes.status().message());
  report->snapshot_bytes = bytes.value().size();
  report->total_seconds = seconds_since(t0);
  return std::move(bytes.value());
}

}  // namespace aisle
