// `aisle demo-data`: a synthetic but realistic store -- catalog (Google Merchant Center
// TSV or aisle JSONL), GA4 e-commerce events from shoppers with latent missions, and a
// rules file mapping the export's custom labels. Deterministic for a seed on every
// platform (own PRNG, no std distributions).
#pragma once

#include <cstdint>
#include <string>

namespace aisle {

struct DemoOptions {
  uint64_t seed = 42;
  uint32_t products = 2000;  // items (variants), approximately
  uint64_t sessions = 20000;
  std::string format = "gmc";  // gmc or jsonl
  // events.jsonl as flat GA4 JSON lines, or as rows of GA4's BigQuery export (nested
  // event_params, ecommerce and collected_traffic_source; the session user_pseudo_id and
  // ga_session_id): the same events, so both build the same snapshot.
  std::string events_shape = "flat";
  int64_t end_ms = 1793491200000;  // 2026-11-01T00:00:00Z: logs end here
  uint32_t days = 56;              // logs span this many days before end_ms
  bool progress = false;
  // >= 0: simulate an A/B test (half the visitors a holdout without recommendations) in
  // which recommendations raise conversion by this relative lift (0.1: +10%).
  double experiment_lift = -1;
};

struct DemoReport {
  uint64_t items = 0, groups = 0, images = 0, sessions = 0, visitors = 0, events = 0, purchases = 0;
  std::string catalog_path, events_path, rules_path;
};

// Writes catalog.tsv (or catalog.jsonl), events.jsonl, rules.json and images/*.svg
// (placeholder product pictures, as the catalog links them) into `out_dir`
// (created if missing), each atomically. Throws InputError on I/O failure.
DemoReport generate_demo(const DemoOptions& options, const std::string& out_dir);

}  // namespace aisle
