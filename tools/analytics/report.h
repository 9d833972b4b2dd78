// `aisle report`: KPIs, experiments and attribution from exported GA4 events (the JSONL the
// build ingests, with the fields the aisle loader adds to its own pushes). See
// docs/measurement.md for every metric's definition.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "diagnostics.h"

namespace aisle {

struct ReportOptions {
  std::vector<std::string> event_files;
  int64_t from_ms = INT64_MIN, to_ms = INT64_MAX;  // events in [from, to)
  double min_effect = 0.05;  // relative conversion change an experiment should detect
  std::map<std::string, double> experiment_min_effect;  // by experiment id (from the rules)
  // Experiment and variant ids (what analytics carries) -> the merchant's names.
  std::map<std::string, std::string> names;
  size_t top_paths = 10;
};

struct Rules;
// The rules' experiments into `o`: their names for their ids, their minimum effects.
void name_experiments(const Rules& rules, ReportOptions* o);

// The report as JSON (the structure docs/measurement.md documents). Malformed lines are
// counted in it and reported to `diag`, never fatal.
nlohmann::json build_report(const ReportOptions& options, Diagnostics& diag);

// A self-contained HTML page of the report: inline CSS and SVG, no external assets.
std::string report_html(const nlohmann::json& report);

}  // namespace aisle
