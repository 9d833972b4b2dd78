// `aisle report`: what the recommendations did, from exported GA4 events.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "catalog_ingest.h"
#include "commands.h"
#include "file_io.h"
#include "report.h"
#include "rules.h"
#include "rules_file.h"
#include "text.h"
#include "time_parse.h"

namespace aisle {
namespace {

const CommandSpec kReportSpec{
    "report",
    "KPIs, experiments and attribution from exported GA4 events",
    "",
    0,
    "",
    R"(KPIs, experiments and attribution from exported events (GA4 JSONL, as for build, with
the fields the aisle loader adds to its own pushes: item_list_id, aisle_experiment,
aisle_variant, aisle_context, aisle_anchor and each item's aisle_reason).

Leads with the money: each variant's incremental revenue and orders against the holdout
with 95% intervals, per currency and per week, beside the click-through revenue (a
different thing); then ranked suggestions, each with its evidence, its uncertainty and
the rule change it implies. Also reports sessions, visitors, conversion rate, average
order value, revenue per session, repeat purchase rate, recommendation CTR and the share
of revenue from clicked recommendations (view-through separately), each revenue figure
per currency; per experiment arm the change against the holdout (or the first arm) with
95% confidence intervals and p-values, and a warning when the sample is too small to
detect --min-effect; segments by traffic source, visitor type, placement, detected
context and reason code (compared at equal list positions); top products by revenue and
products shown often but never clicked; the top viewed-A -> recommended-B -> bought-B
paths (with --catalog: titles, colour swaps of one product left out); a weekly trend
with week-over-week changes; and data problems as warnings. --weekly: a short digest
for email instead.
Definitions: docs/measurement.md.
)",
    {opt_repeatable("--events", "FILE", "exported events (several files are one log)",
                    /*required=*/true),
     opt_value("--from", "T", "only events at or after T (ISO-8601 or epoch)"),
     opt_value("--to", "T", "only events before T"),
     opt_value("--html", "OUT", "also write the report as one self-contained HTML page"),
     opt_flag("--weekly",
              "the weekly digest instead: the last full week's money, the one KPI (revenue per "
              "session) and the top three actions, as plain text on stdout (and --html OUT as a "
              "short HTML page), for email"),
     opt_value("--catalog", "FILE",
               "the catalog export (as for build): product titles, and variants of one product "
               "that are no path"),
     opt_flag("--json", "the report as JSON on stdout (keys in docs/measurement.md)"),
     opt_value("--rules", "FILE",
               "the store's rules: each experiment's minimum_effect sets the change its test "
               "should be able to detect"),
     opt_value("--min-effect", "X", "that relative change for experiments the rules do not name",
               default_text(ReportOptions{}.min_effect)),
     opt_value("--paths", "N", "how many top paths",
               default_text(double(ReportOptions{}.top_paths)))}};

std::string fraction(const nlohmann::json& v, int digits = 2) {
  if (!v.is_number()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f%%", digits, v.get<double>() * 100);
  return buf;
}

// The catalog's titles and item groups for the report.
void read_catalog(const std::string& file, ReportOptions* o) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(Location{file, 0, ""}, "cannot open the catalog file");
  Diagnostics quiet;
  CatalogStats stats;
  const Catalog catalog = load_catalog(in, file, CatalogOptions{}, quiet, &stats);
  for (const CatalogItem& item : catalog.items) {
    o->titles[item.id] = item.title;
    o->groups[item.id] = item.group_key;
  }
}

// The headline: money against the holdout, the click-through revenue beside it.
void print_money(const nlohmann::json& r) {
  for (const auto& m : r["money"]["incremental"]) {
    for (const auto& [cur, x] : m["revenue"].items()) {
      const double total = x["total"].get<double>();
      std::printf(
          "money: %s: %s vs %s earned %s%s over %lld days (95%% CI %s to %s), about %s a week; "
          "orders %+.0f (95%% CI %+.0f to %+.0f)%s\n",
          m["experiment"].get<std::string>().c_str(), m["variant"].get<std::string>().c_str(),
          m["against"].get<std::string>().c_str(), total >= 0 ? "+" : "",
          format_money(total, cur).c_str(), static_cast<long long>(m["days"].get<int64_t>()),
          format_money(x["total_ci95"][0].get<double>(), cur).c_str(),
          format_money(x["total_ci95"][1].get<double>(), cur).c_str(),
          format_money(m["revenue_per_week"][cur].get<double>(), cur, 0).c_str(),
          m["orders"]["total"].get<double>(), m["orders"]["total_ci95"][0].get<double>(),
          m["orders"]["total_ci95"][1].get<double>(),
          !x["significant"].get<bool>()
              ? "; the revenue interval holds 0: not yet told apart from no effect"
              : "");
    }
  }
  if (r["money"]["incremental"].empty())
    std::printf(
        "money: no experiment with a holdout in these events: incremental revenue "
        "cannot be measured\n");
  for (const auto& [cur, v] : r["money"]["revenue_click_through"].items()) {
    std::printf("click-through revenue (bought after a click; not incremental): %s\n",
                format_money(v.get<double>(), cur).c_str());
  }
}

void print_suggestions(const nlohmann::json& r) {
  for (const auto& s : r["suggestions"]) {
    std::printf("suggestion %d: %s\n  evidence: %s\n  uncertainty: %s\n  change: %s\n",
                s["rank"].get<int>(), s["title"].get<std::string>().c_str(),
                s["evidence"].get<std::string>().c_str(),
                s["uncertainty"].get<std::string>().c_str(),
                s["change"].get<std::string>().c_str());
  }
  for (const auto& n : r["cannot_tell"])
    std::printf("cannot tell: %s\n", n.get<std::string>().c_str());
}

// Per-currency figures: "12.50 USD, 3.00 EUR", or shares: "1.6% of USD".
std::string money(const nlohmann::json& m, bool shares = false) {
  std::string out;
  for (const auto& [c, v] : m.items()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, shares ? "%s%.1f%% of %s revenue" : "%s%.2f %s",
                  out.empty() ? "" : ", ", v.get<double>() * (shares ? 100 : 1), c.c_str());
    out += buf;
  }
  return out.empty() ? "-" : out;
}

int cmd_report(const Args& args) {
  ReportOptions o;
  o.event_files = args.all("--events");
  args.get_time_ms("--from", &o.from_ms);
  args.get_time_ms("--to", &o.to_ms);
  if (o.from_ms >= o.to_ms) throw UsageError("--from must come before --to");
  o.min_effect = args.get_number("--min-effect", 0, 10, /*above_min=*/true);
  o.top_paths = size_t(args.get_uint("--paths", 0, 1000));
  if (args.has("--rules")) {
    Rules rules;
    const Status st = parse_rules_json(load_rules(args.get("--rules")).json, &rules);
    if (!st.is_ok()) throw InputError(Location{args.get("--rules"), 0, ""}, st.message());
    name_experiments(rules, &o);
  }
  if (args.has("--catalog")) read_catalog(args.get("--catalog"), &o);
  Diagnostics diag;
  const nlohmann::json r = build_report(o, diag);
  const bool weekly = args.has("--weekly");
  if (args.has("--html")) {
    const std::string html = weekly ? digest_html(r) : report_html(r);
    write_file_atomic(args.get("--html"), html.data(), html.size());
  }
  if (args.has("--json")) {
    std::cout << r.dump(2) << "\n";
    return kOk;
  }
  diag.print(std::cerr);
  if (weekly) {
    std::fputs(digest_text(r).c_str(), stdout);
    return kOk;
  }
  print_money(r);
  const auto& ov = r["overall"];
  const auto& rec = ov["recommendations"];
  std::printf(
      "%llu sessions, %llu visitors, %llu orders; conversion %s, AOV %s, revenue/session %s, "
      "repeat purchase %s\n",
      static_cast<unsigned long long>(ov["sessions"].get<uint64_t>()),
      static_cast<unsigned long long>(ov["visitors"].get<uint64_t>()),
      static_cast<unsigned long long>(ov["orders"].get<uint64_t>()),
      fraction(ov["conversion_rate"]).c_str(), money(ov["aov"]).c_str(),
      money(ov["revenue_per_session"]).c_str(), fraction(ov["repeat_purchase_rate"], 1).c_str());
  std::printf(
      "recommendations: %llu impressions, CTR %s, revenue from clicks %s (%s), "
      "view-through %s\n",
      static_cast<unsigned long long>(rec["impressions"].get<uint64_t>()),
      fraction(rec["ctr"]).c_str(), money(rec["revenue_click_through"]).c_str(),
      money(rec["share_of_revenue_click_through"], true).c_str(),
      money(rec["revenue_view_through"]).c_str());
  for (const auto& e : r["experiments"]) {
    for (const auto& c : e["comparisons"]) {
      const auto& m = c["conversion_rate"];
      std::printf(
          "experiment %s: %s vs %s: conversion %s -> %s (%+.1f%%, 95%% CI %+.1f%% to %+.1f%%, "
          "p=%.4f)\n",
          e["name"].get<std::string>().c_str(), c["variant"].get<std::string>().c_str(),
          c["against"].get<std::string>().c_str(), fraction(m["control"]).c_str(),
          fraction(m["variant"]).c_str(), m["relative"].get<double>() * 100,
          m["relative_ci95"][0].get<double>() * 100, m["relative_ci95"][1].get<double>() * 100,
          m["p_value"].get<double>());
    }
  }
  print_suggestions(r);
  for (const auto& w : r["warnings"]) std::printf("warning: %s\n", w.get<std::string>().c_str());
  if (args.has("--html")) std::printf("report written to %s\n", args.get("--html").c_str());
  return kOk;
}

}  // namespace

const Command kReportCommand{kReportSpec, cmd_report};

}  // namespace aisle
