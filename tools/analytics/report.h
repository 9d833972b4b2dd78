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
  size_t top_products = 10;
  // From the catalog (--catalog), when given: titles for products and paths, and each
  // item's group (its model's variants), so that a colour swap is not taken for a path.
  std::map<std::string, std::string> titles, groups;
};

struct Rules;
// The rules' experiments into `o`: their names for their ids, their minimum effects.
void name_experiments(const Rules& rules, ReportOptions* o);

// The report as JSON (the structure docs/measurement.md documents). Malformed lines are
// counted in it and reported to `diag`, never fatal.
nlohmann::json build_report(const ReportOptions& options, Diagnostics& diag);

// The ranked suggestions of a report (its "suggestions" and "cannot_tell"), each with its
// evidence, uncertainty and the rule change it implies; a function of the report alone.
void add_suggestions(nlohmann::json* report);

// The weekly digest for email: the last full week's money, the one KPI and the top three
// actions, as plain text and as a short HTML page.
std::string digest_text(const nlohmann::json& report);
std::string digest_html(const nlohmann::json& report);

// An amount with its currency, thousands grouped: "204,512.40 USD" (digits after the point).
std::string format_money(double amount, const std::string& currency, int digits = 2);

// Text for HTML: & < > " ' escaped.
std::string html_escape(const std::string& text);

// A self-contained HTML page of the report: inline CSS and SVG, no external assets.
std::string report_html(const nlohmann::json& report);

}  // namespace aisle
