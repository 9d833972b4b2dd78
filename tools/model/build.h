// `aisle build`: catalog export + event logs -> snapshot bytes, with a report of
// everything skipped, merged or unknown along the way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aggregates.h"
#include "catalog_ingest.h"
#include "diagnostics.h"
#include "event_ingest.h"
#include "kind_inference.h"
#include "model_build.h"
#include "rules_file.h"
#include "tuning.h"

namespace aisle {

struct BuildOptions {
  std::string catalog_path;
  CatalogOptions catalog;
  std::vector<std::string> event_paths;
  std::string events_format = "auto";
  std::string aggregates_dir;  // the counting SQL's output, read instead of event_paths
  std::string rules_path;
  bool strict = false;
  int64_t now_ms = 0;  // trend reference time; 0: the latest event not far outside the log
  uint32_t half_life_s = 7 * 86400;
  bool progress = false;  // live progress on stderr
  ModelOptions model;
  bool tune = true;  // self-tuning on the most recent sessions (tuning.h)
  TuningOptions tuning;
};

struct BuildReport {
  CatalogStats catalog;
  Diagnostics catalog_diag;
  std::vector<EventStats> events;  // one per file
  Diagnostics event_diag;
  uint64_t interactions_used = 0;  // item interactions counted into popularity
  uint64_t unknown_items = 0;      // item references to ids not in the catalog
  uint64_t aggregate_rows = 0;     // rows read from --aggregates
  double event_seconds = 0;
  double model_seconds = 0;  // candidate sources: sessions, pairs, similarity
  double total_seconds = 0;
  uint64_t snapshot_bytes = 0;
  std::vector<InferredKind> inferred;  // kinds the logs gave categories the export left unknown
  TuningResult tuning;                 // what the self-tuning chose, on what evidence
  uint64_t events_total() const;
};

// The catalog as the build reads it (with the rules file's field mapping, which it loads
// into `rules`): report->catalog and catalog_diag say what was read, skipped and merged.
// Throws InputError when the file cannot be read or holds no usable item.
Catalog read_catalog(const BuildOptions& options, BuildReport* report, RulesFile* rules);

// Throws InputError on fatal input problems (unreadable files, strict-mode warnings).
std::vector<uint8_t> build_snapshot(const BuildOptions& options, BuildReport* report);

}  // namespace aisle
