// `aisle build`: catalog export + interaction logs -> snapshot, with a report.
#include <sys/resource.h>
#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "build.h"
#include "build_args.h"
#include "commands.h"
#include "file_io.h"
#include "inspect.h"
#include "snapshot.h"
#include "text.h"

namespace aisle {

std::vector<Option> with_catalog_options(std::vector<Option> options) {
  std::vector<Option> all{
      opt_required("--catalog", "FILE",
                   "catalog export: Google Merchant Center TSV/CSV, Shopify or WooCommerce "
                   "products CSV, or aisle JSONL, detected from the header"),
      opt_value("--rules", "FILE",
                "rules JSON (docs/rules.md), compiled into the snapshot; its field_mapping names "
                "columns for the fields exports lack"),
      opt_value("--catalog-format", "F", "auto, gmc, shopify, woocommerce or jsonl", "auto"),
      opt_value("--store-url", "URL",
                "link base for Shopify and WooCommerce exports, which hold no product URLs"),
      opt_value("--currency", "CODE", "currency for exports that name none", "USD")};
  all.insert(all.end(), options.begin(), options.end());
  return all;
}

void read_catalog_args(const Args& args, BuildOptions* o) {
  o->catalog_path = args.required("--catalog");
  o->catalog.format = args.get("--catalog-format");
  o->catalog.store_url = args.get("--store-url");
  while (!o->catalog.store_url.empty() && o->catalog.store_url.back() == '/')
    o->catalog.store_url.pop_back();
  o->catalog.currency = args.get("--currency");
  o->rules_path = args.get("--rules");
}

nlohmann::json catalog_json(const BuildOptions& o, const BuildReport& r) {
  return {{"file", o.catalog_path},
          {"format", r.catalog.format},
          {"records", r.catalog.records},
          {"items", r.catalog.items},
          {"skipped", r.catalog.skipped},
          {"merged", r.catalog.merged},
          {"warnings", r.catalog_diag.to_json()}};
}

void print_catalog(const BuildOptions& o, const BuildReport& r) {
  std::printf("catalog %s (%s): %llu records -> %llu items; %llu skipped, %llu merged\n",
              o.catalog_path.c_str(), r.catalog.format.c_str(),
              static_cast<unsigned long long>(r.catalog.records),
              static_cast<unsigned long long>(r.catalog.items),
              static_cast<unsigned long long>(r.catalog.skipped),
              static_cast<unsigned long long>(r.catalog.merged));
  std::fflush(stdout);
  r.catalog_diag.print(std::cout);
}

namespace {

const CommandSpec kBuildSpec{
    "build",
    "catalog export + interaction logs -> verified binary snapshot",
    "",
    0,
    "",
    R"(Reads a catalog export and interaction logs and writes a snapshot atomically: a failed
build never leaves a partial file or replaces the previous snapshot. Reports what it read,
and what it skipped or merged and why, naming file, line and field.
)",
    with_catalog_options(
        {opt_required("--out", "FILE.snap", "where to write the snapshot"),
         opt_repeatable(
             "--events", "FILE",
             "interaction log: GA4 e-commerce JSONL (flat, or as GA4's BigQuery export writes "
             "it), Shopify or WooCommerce orders CSV, session-rec TSV or OTTO JSONL"),
         opt_value("--aggregates", "DIR",
                   "the counting SQL's output instead of --events (tools/sql, docs/ingestion.md): "
                   "meta, items, transitions, co_purchases, sessions and kinds .csv; no "
                   "self-tuning, which replays sessions event by event"),
         opt_value("--events-format", "F", std::string("auto, ") + event_formats_help(), "auto"),
         opt_value("--now", "TIME",
                   "reference time of the trend score, ISO-8601 or epoch; default: the latest "
                   "event not far outside the log's time range"),
         opt_value("--half-life-days", "N", "half-life of the trend score, in days", "7"),
         opt_value("--max-sessions", "N",
                   "size budget of the session index: the most recent N sessions",
                   default_text(ModelOptions{}.max_sessions)),
         opt_value("--sessions-per-item", "N", "session-index postings kept per item",
                   default_text(ModelOptions{}.sessions_per_item)),
         opt_flag("--strict",
                  "any catalog warning (skipped or merged row, ignored value) is an error"),
         opt_flag("--no-tune",
                  "keep the engine's default parameters: no self-tuning on the log's most recent "
                  "sessions"),
         opt_flag(
             "--json",
             "the report as JSON (catalog, events, unknown_items, events_per_second, snapshot, "
             "peak_rss_mb, ...)"),
         opt_flag("--quiet", "no report; progress is shown only on a terminal anyway")})};

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_maxrss) / 1024.0;  // Linux reports KiB
}

int cmd_build(const Args& args) {
  BuildOptions o;
  read_catalog_args(args, &o);
  const std::string out = args.required("--out");
  o.event_paths = args.all("--events");
  o.aggregates_dir = args.get("--aggregates");
  if (!o.aggregates_dir.empty() && !o.event_paths.empty())
    throw UsageError(
        "--aggregates and --events: give one of them (the aggregates are the events, counted)");
  o.events_format = args.get("--events-format");
  o.strict = args.has("--strict");
  o.half_life_s = uint32_t(args.get_uint("--half-life-days", 1, 3650) * 86400);
  o.model.max_sessions = uint32_t(args.get_uint("--max-sessions", 0, 50'000'000));
  o.model.sessions_per_item = uint32_t(args.get_uint("--sessions-per-item", 1, 1'000'000));
  args.get_time_ms("--now", &o.now_ms);
  o.tune = !args.has("--no-tune");
  const bool quiet = args.has("--quiet"), json = args.has("--json");
  o.progress = !quiet && !json && ::isatty(2);

  BuildReport r;
  const std::vector<uint8_t> bytes = build_snapshot(o, &r);
  // Belt and braces: never publish bytes the verifier would refuse.
  const auto check = Snapshot::open(bytes.data(), bytes.size());
  if (!check.is_ok())
    throw std::logic_error("the built snapshot fails verification: " + check.status().message());

  const double eps = r.event_seconds > 0 ? double(r.events_total()) / r.event_seconds : 0;
  std::string json_report;  // made before the rename: nothing may fail after it
  if (json) {
    nlohmann::json j;
    j["catalog"] = catalog_json(o, r);
    nlohmann::json ev = nlohmann::json::array();
    for (size_t i = 0; i < r.events.size(); ++i) {
      const auto& e = r.events[i];
      ev.push_back({{"file", o.event_paths[i]},
                    {"format", e.format},
                    {"lines", e.lines},
                    {"events", e.events},
                    {"malformed", e.malformed},
                    {"ignored", e.ignored},
                    {"bytes", e.bytes}});
    }
    j["events"] = ev;
    j["event_warnings"] = r.event_diag.to_json();
    j["interactions_used"] = r.interactions_used;
    j["unknown_items"] = r.unknown_items;
    if (!o.aggregates_dir.empty())
      j["aggregates"] = {{"dir", o.aggregates_dir}, {"rows", r.aggregate_rows}};
    j["event_seconds"] = r.event_seconds;
    j["events_per_second"] = eps;
    j["model_seconds"] = r.model_seconds;
    j["tuning"] = r.tuning.to_json();
    j["inferred"] = to_json(r.inferred);
    j["snapshot"] = {{"file", out},
                     {"bytes", r.snapshot_bytes},
                     {"bytes_per_item",
                      r.catalog.items ? double(r.snapshot_bytes) / double(r.catalog.items) : 0.0}};
    j["seconds"] = r.total_seconds;
    j["peak_rss_mb"] = peak_rss_mb();
    // File names are the user's bytes: ill-formed UTF-8 in them is replaced, not fatal.
    json_report = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  write_file_atomic(out, bytes.data(), bytes.size());
  if (json) {
    std::cout << json_report;
  } else if (!quiet) {
    print_catalog(o, r);
    for (size_t i = 0; i < r.events.size(); ++i) {
      const auto& e = r.events[i];
      std::printf(
          "events %s (%s): %llu events from %llu lines; %llu malformed, %llu of unused types\n",
          o.event_paths[i].c_str(), e.format.c_str(), static_cast<unsigned long long>(e.events),
          static_cast<unsigned long long>(e.lines), static_cast<unsigned long long>(e.malformed),
          static_cast<unsigned long long>(e.ignored));
    }
    if (!r.events.empty()) {
      std::printf(
          "  %llu item interactions used, %llu references to unknown items; %.2f s, %.2fM "
          "events/s\n",
          static_cast<unsigned long long>(r.interactions_used),
          static_cast<unsigned long long>(r.unknown_items), r.event_seconds, eps / 1e6);
      std::fflush(stdout);
      r.event_diag.print(std::cout);
    }
    if (!o.aggregates_dir.empty()) {
      std::printf(
          "aggregates %s: %llu rows; %llu item interactions counted, %llu rows of unknown "
          "items skipped; no self-tuning (it replays sessions event by event)\n",
          o.aggregates_dir.c_str(), static_cast<unsigned long long>(r.aggregate_rows),
          static_cast<unsigned long long>(r.interactions_used),
          static_cast<unsigned long long>(r.unknown_items));
      r.event_diag.print(std::cout);
    }
    std::fflush(stdout);
    print_inferred(to_json(r.inferred), std::cout);
    std::cout.flush();
    std::printf("candidate sources built in %.2f s\n", r.model_seconds);
    if (o.tune && !r.events.empty()) std::printf("%s\n", r.tuning.summary().c_str());
    std::printf("snapshot %s: %llu bytes (%.1f bytes/item) in %.2f s; peak memory %.0f MB\n",
                out.c_str(), static_cast<unsigned long long>(r.snapshot_bytes),
                r.catalog.items ? double(r.snapshot_bytes) / double(r.catalog.items) : 0.0,
                r.total_seconds, peak_rss_mb());
  }
  return kOk;
}

}  // namespace

const Command kBuildCommand{kBuildSpec, cmd_build};

}  // namespace aisle
