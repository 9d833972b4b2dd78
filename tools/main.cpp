// The aisle command line. Exit codes: 0 ok, 1 a check failed, 2 bad usage or bad input.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "alloc_counter.h"
#include "bench.h"
#include "build.h"
#include "cli_args.h"
#include "demo_data.h"
#include "eval.h"
#include "file_io.h"
#include "inspect.h"
#include "replay.h"
#include "snapshot.h"
#include "text.h"

namespace aisle {
namespace {

constexpr int kOk = 0, kBadInput = 2;

const char* kMainHelp = R"(aisle -- in-browser e-commerce recommendations: the native tools

usage: aisle <command> [options]     (aisle <command> --help for details)

commands:
  build       catalog export + interaction logs -> verified binary snapshot
  inspect     verify a snapshot and summarize it
  recommend   what the engine shows for a placement, with reasons
  eval        offline next-item evaluation on session logs
  bench       latency of "one event, then a 10-item list" on generated stores
  demo-data   generate a realistic synthetic store (catalog, GA4 events, rules)

exit codes: 0 ok, 1 a check failed, 2 bad usage or bad input
)";

const char* kBuildHelp =
    R"(usage: aisle build --catalog FILE [--events FILE]... [--rules FILE] --out FILE.snap [options]

Reads a catalog export and interaction logs and writes a snapshot atomically: a failed
build never leaves a partial file or replaces the previous snapshot.

  --catalog FILE          catalog export (Google Merchant Center TSV/CSV, Shopify CSV,
                          WooCommerce CSV or aisle JSONL; detected from the header)
  --catalog-format F      auto (default), gmc, shopify, woocommerce, jsonl
  --events FILE           interaction log; repeatable (GA4 JSONL, session-rec TSV, OTTO JSONL)
  --events-format F       auto (default), ga4, session-rec, otto
  --rules FILE            rules JSON (field_mapping for columns exports lack)
  --out FILE.snap         where to write the snapshot
  --store-url URL         link base for Shopify / WooCommerce exports (they carry no URLs)
  --currency CODE         currency for exports that name none (default USD)
  --now TIME              reference time of the trend (ISO-8601 or epoch); default: latest event
  --half-life-days N      half-life of the trend score (default 7)
  --max-sessions N        size budget of the session index: the most recent N sessions (default 200000)
  --sessions-per-item N   session-index postings kept per item (default 500)
  --strict                treat every catalog warning (skipped or merged row, bad field) as an error
  --json                  print the build report as JSON
  --quiet                 no report, no progress
)";

const char* kEvalHelp = R"(usage: aisle eval --train FILE --test FILE [--format F] [-k 20] [--json]

Offline next-item evaluation (session-rec's protocol): builds the model from the
training log only, then replays every test session (rows sorted by time) through the
engine with the next_item placement, predicting the next item after every prefix;
sessions of one event give no prediction. Reports HitRate@k, MRR@k, NDCG@k over all
targets and over targets that are not a repeat of the current item, catalog coverage,
popularity bias and the latency of each prediction (track the event, then recommend).

  --train FILE, --test FILE   interaction logs (the same format)
  --format F                  auto (default), session-rec, otto, ga4
  -k N                        list length (default 20)
  --neighbors N               session kNN: neighbor sessions (default 200)
  --sessions-per-item N       session kNN: postings read per item (default 500)
  --param NAME=VALUE          tune the next_item strategy or the model, repeatable:
                              weight.SOURCE (viewed_after, similar_sessions, bought_together,
                              similar_item, merchant_pick, category_best_seller, trending,
                              new_arrival, viewed_before), context_decay, context_items,
                              knn_session_items, knn_idf, knn_position_decay, transition_window, max_sessions
  --json                      JSON output (keys in the README)
)";

void set_eval_param(const std::string& text, EvalOptions* o) {
  const size_t eq = text.find('=');
  double v = 0;
  if (eq == std::string::npos || !parse_number(text.substr(eq + 1), &v)) {
    throw UsageError("--param expects NAME=NUMBER, got '" + text + "'");
  }
  const std::string name = text.substr(0, eq);
  Strategy& st = o->engine.strategy[size_t(Placement::kNextItem)];
  if (name.rfind("weight.", 0) == 0) {
    for (size_t s = 0; s < kSourceCount; ++s) {
      if (name.substr(7) == source_code(Source(s))) {
        st.weight[s] = float(v);
        return;
      }
    }
  } else if (name == "context_decay") {
    st.context_decay = float(v);
    return;
  } else if (name == "context_items") {
    o->engine.context_items = uint32_t(v);
    return;
  } else if (name == "knn_session_items") {
    o->engine.knn_session_items = uint32_t(v);
    return;
  } else if (name == "knn_position_decay") {
    o->engine.knn_position_decay = float(v);
    return;
  } else if (name == "knn_idf") {
    o->engine.knn_idf = float(v);
    return;
  } else if (name == "transition_window") {
    o->model.transition_window = uint32_t(v);
    return;
  } else if (name == "max_sessions") {
    o->model.max_sessions = uint32_t(v);
    return;
  }
  throw UsageError("--param: unknown name '" + name + "'");
}

const char* kRecommendHelp =
    R"(usage: aisle recommend --snapshot S --placement P [--item ID] [--category NAME]
                       [--session FILE|-] [--profile FILE] [-k N] [--now TIME] [--json]

What the engine shows for a placement, given the events of the current visit (GA4
JSONL, as for build) and optionally earlier visits (--profile, GA4 JSONL; each session
id is one visit). Every item comes with its reasons.

  --placement P   product, cart, home, post_purchase, category, search_empty, next_item
  --item ID       the product on the page (product placement)
  --category C    the category browsed (leaf name or "A > B" path)
  -k N            list length (default 10)
  --now TIME      current time (default: the latest session event, else the snapshot's trend time)
  --json          the JSON contract documented in the README
)";

const char* kBenchHelp =
    R"(usage: aisle bench [--items 10000,100000] [--sessions N] [--queries N] [--dir DIR] [--json]

A benchmark, not a test: for each catalog size it generates a store (cached in DIR),
builds its snapshot, then replays the store's shopper events -- each "track the event,
then recommend 10 items for the page's placement" -- and reports the median and 99th
percentile latency and the heap allocations per query after a 2,000-query warm-up.

  --items LIST    catalog sizes (default 10000,100000)
  --sessions N    generated sessions per store (default 20000)
  --queries N     measured queries per store (default 20000)
  --dir DIR       where generated stores are kept (default build/bench-engine)
)";

const char* kInspectHelp = R"(usage: aisle inspect FILE.snap [--json] [--top N]

Verifies the snapshot (checksum, structure, every reference) and prints counts, section
sizes, bytes per item and the top items by purchases and by trend. Exit 2 if the file
is not a valid snapshot.
)";

const char* kDemoHelp =
    R"(usage: aisle demo-data --out DIR [--seed N] [--products N] [--sessions N] [--format gmc|jsonl]

Writes a synthetic store into DIR: catalog.tsv (Google Merchant Center; or catalog.jsonl),
events.jsonl (GA4 e-commerce events from shoppers with latent missions: gift buyers,
comparers, decisive buyers, bargain hunters, bundle builders, premium buyers, explorers,
returning customers; search-ad, social, email, direct and referral traffic) and
rules.json (the field mapping for the custom labels). Deterministic for a seed.

  --seed N        default 42
  --products N    catalog items, approximately (default 2000)
  --sessions N    shopper sessions (default 20000; about 6 events each)
  --days N        days of logs, ending 2026-11-01 (default 56)
)";

bool wants_help(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_maxrss) / 1024.0;  // Linux reports KiB
}

int cmd_build(const std::vector<std::string>& argv) {
  const Args args(argv,
                  {"--catalog", "--catalog-format", "--events", "--events-format", "--rules",
                   "--out", "--store-url", "--currency", "--now", "--half-life-days"},
                  {"--strict", "--json", "--quiet"});
  if (!args.positional().empty())
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  BuildOptions o;
  o.catalog_path = args.required("--catalog");
  const std::string out = args.required("--out");
  o.catalog.format = args.get("--catalog-format", "auto");
  o.catalog.store_url = args.get("--store-url");
  while (!o.catalog.store_url.empty() && o.catalog.store_url.back() == '/')
    o.catalog.store_url.pop_back();
  o.catalog.currency = args.get("--currency", "USD");
  o.event_paths = args.all("--events");
  o.events_format = args.get("--events-format", "auto");
  o.rules_path = args.get("--rules");
  o.strict = args.has("--strict");
  o.half_life_s = uint32_t(args.get_uint("--half-life-days", 7, 1, 3650) * 86400);
  o.model.max_sessions =
      uint32_t(args.get_uint("--max-sessions", o.model.max_sessions, 0, 50'000'000));
  o.model.sessions_per_item =
      uint32_t(args.get_uint("--sessions-per-item", o.model.sessions_per_item, 1, 1'000'000));
  if (args.has("--now") && !parse_time_ms(args.get("--now"), &o.now_ms)) {
    throw UsageError("--now: expected ISO-8601 or epoch time, got '" + args.get("--now") + "'");
  }
  const bool quiet = args.has("--quiet"), json = args.has("--json");
  o.progress = !quiet && !json && ::isatty(2);

  BuildReport r;
  const std::vector<uint8_t> bytes = build_snapshot(o, &r);
  // Belt and braces: never publish bytes the verifier would refuse.
  const auto check = Snapshot::open(bytes.data(), bytes.size());
  if (!check.is_ok())
    throw std::runtime_error("internal error: built snapshot fails verification: " +
                             check.status().message());
  write_file_atomic(out, bytes.data(), bytes.size());

  const double eps = r.event_seconds > 0 ? double(r.events_total()) / r.event_seconds : 0;
  if (json) {
    nlohmann::json j;
    j["catalog"] = {{"file", o.catalog_path},
                    {"format", r.catalog.format},
                    {"records", r.catalog.records},
                    {"items", r.catalog.items},
                    {"skipped", r.catalog.skipped},
                    {"merged", r.catalog.merged},
                    {"warnings", r.catalog_diag.to_json()}};
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
    j["event_seconds"] = r.event_seconds;
    j["events_per_second"] = eps;
    j["model_seconds"] = r.model_seconds;
    j["snapshot"] = {{"file", out},
                     {"bytes", r.snapshot_bytes},
                     {"bytes_per_item",
                      r.catalog.items ? double(r.snapshot_bytes) / double(r.catalog.items) : 0.0}};
    j["seconds"] = r.total_seconds;
    j["peak_rss_mb"] = peak_rss_mb();
    std::cout << j.dump(2) << "\n";
  } else if (!quiet) {
    std::printf("catalog %s (%s): %llu records -> %llu items; %llu skipped, %llu merged\n",
                o.catalog_path.c_str(), r.catalog.format.c_str(),
                static_cast<unsigned long long>(r.catalog.records),
                static_cast<unsigned long long>(r.catalog.items),
                static_cast<unsigned long long>(r.catalog.skipped),
                static_cast<unsigned long long>(r.catalog.merged));
    std::fflush(stdout);
    r.catalog_diag.print(std::cout);
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
    std::printf("candidate sources built in %.2f s\n", r.model_seconds);
    std::printf("snapshot %s: %llu bytes (%.1f bytes/item) in %.2f s; peak memory %.0f MB\n",
                out.c_str(), static_cast<unsigned long long>(r.snapshot_bytes),
                r.catalog.items ? double(r.snapshot_bytes) / double(r.catalog.items) : 0.0,
                r.total_seconds, peak_rss_mb());
  }
  return kOk;
}

int cmd_inspect(const std::vector<std::string>& argv) {
  const Args args(argv, {"--top"}, {"--json"});
  if (args.positional().size() != 1) throw UsageError("expected one snapshot file");
  const std::string path = args.positional()[0];
  const std::vector<uint8_t> bytes = read_file(path);
  const auto snap = Snapshot::open(bytes.data(), bytes.size());
  if (!snap.is_ok()) throw InputError(Location{path, 0, ""}, snap.status().message());
  nlohmann::json j = inspect_snapshot(snap.value(), args.get_uint("--top", 10, 0, 1000));
  j["file"] = path;
  if (args.has("--json")) {
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << path << ": ";
    print_inspection(j, std::cout);
  }
  return kOk;
}

int cmd_eval(const std::vector<std::string>& argv) {
  const Args args(
      argv,
      {"--train", "--test", "--format", "-k", "--neighbors", "--sessions-per-item", "--param"},
      {"--json"});
  if (!args.positional().empty())
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  EvalOptions o;
  const std::string train = args.required("--train"), test = args.required("--test");
  o.format = args.get("--format", "auto");
  o.k = uint32_t(args.get_uint("-k", 20, 1, 1000));
  o.engine.knn_neighbors =
      uint32_t(args.get_uint("--neighbors", o.engine.knn_neighbors, 1, 100000));
  o.engine.knn_sessions_per_item =
      uint32_t(args.get_uint("--sessions-per-item", o.engine.knn_sessions_per_item, 1, 1000000));
  for (const std::string& p : args.all("--param")) set_eval_param(p, &o);
  const EvalReport r = evaluate(train, test, o);
  if (args.has("--json")) {
    nlohmann::json j = r.to_json();
    j["k"] = o.k;
    std::cout << j.dump(2) << "\n";
    return kOk;
  }
  std::printf("trained on %llu events (%llu sessions, %llu items); %llu test sessions\n",
              static_cast<unsigned long long>(r.train_events),
              static_cast<unsigned long long>(r.train_sessions),
              static_cast<unsigned long long>(r.items),
              static_cast<unsigned long long>(r.test_sessions));
  for (const auto& [name, m] :
       {std::make_pair("all targets", r.all), std::make_pair("non-repeat", r.non_repeat)}) {
    std::printf("  %-12s predictions %6llu  HitRate@%u %.4f  MRR@%u %.4f  NDCG@%u %.4f\n", name,
                static_cast<unsigned long long>(m.predictions), o.k, m.hit_rate, o.k, m.mrr, o.k,
                m.ndcg);
  }
  std::printf("  coverage %.4f  popularity bias %.4f  latency p50 %.1f us  p99 %.1f us\n",
              r.coverage, r.popularity_bias, r.latency_p50_us, r.latency_p99_us);
  return kOk;
}

uint32_t find_category(const Snapshot& snap, const std::string& text) {
  const auto want = split_trimmed(text, ">");
  std::vector<std::string_view> path;
  for (uint32_t c = 0; c < snap.category_count(); ++c) {
    snap.category_path(c, &path);
    if (path.size() < want.size()) continue;
    if (std::equal(want.begin(), want.end(), path.end() - long(want.size()))) return c;
  }
  throw UsageError("--category: no category '" + text + "' in the snapshot");
}

int cmd_recommend(const std::vector<std::string>& argv) {
  const Args args(argv,
                  {"--snapshot", "--placement", "--item", "--category", "--session", "--profile",
                   "-k", "--now"},
                  {"--json"});
  if (!args.positional().empty())
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  const std::string path = args.required("--snapshot");
  const std::vector<uint8_t> bytes = read_file(path);
  const auto opened = Snapshot::open(bytes.data(), bytes.size());
  if (!opened.is_ok()) throw InputError(Location{path, 0, ""}, opened.status().message());
  const Snapshot& snap = opened.value();
  Request req;
  if (!parse_placement(args.required("--placement"), &req.placement)) {
    throw UsageError("--placement: unknown '" + args.get("--placement") +
                     "' (product, cart, home, post_purchase, category, search_empty, next_item)");
  }
  req.k = uint32_t(args.get_uint("-k", 10, 1, 1000));
  if (args.has("--item") && !snap.find_item(args.get("--item"), &req.item)) {
    throw UsageError("--item: no item '" + args.get("--item") + "' in the snapshot");
  }
  if (args.has("--category")) req.category = find_category(snap, args.get("--category"));
  Session session;
  ReplayStats stats;
  if (args.has("--session")) {
    const std::string file = args.get("--session");
    if (file == "-") {
      replay_session(std::cin, "<stdin>", snap, &session, &stats);
    } else {
      std::ifstream in(file, std::ios::binary);
      if (!in) throw InputError(Location{file, 0, ""}, "cannot open the session file");
      replay_session(in, file, snap, &session, &stats);
    }
  }
  Profile profile;
  if (args.has("--profile")) {
    const std::string file = args.get("--profile");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(Location{file, 0, ""}, "cannot open the profile file");
    replay_profile(in, file, snap, &profile, &stats);
    req.profile = &profile;
  }
  req.now_ms = session.last_ms() ? session.last_ms() : snap.meta().as_of_ms;
  if (args.has("--now") && !parse_time_ms(args.get("--now"), &req.now_ms)) {
    throw UsageError("--now: expected ISO-8601 or epoch time, got '" + args.get("--now") + "'");
  }
  Engine engine(snap);
  std::vector<Recommendation> recs;
  engine.recommend(session, req, &recs);
  nlohmann::json j = recommendations_json(snap, engine, req, recs, session);
  j["unknown_items"] = stats.unknown_items;
  j["malformed_events"] = stats.read.malformed;
  if (args.has("--json")) {
    std::cout << j.dump(2) << "\n";
    return kOk;
  }
  std::printf("%s: %zu items\n", placement_name(req.placement), recs.size());
  for (const auto& item : j["items"]) {
    std::printf("  %-14s %6.3f  %s\n", item["id"].get<std::string>().c_str(),
                item["score"].get<double>(), item["title"].get<std::string>().c_str());
    for (const auto& reason : item["reasons"]) {
      std::printf("  %22s %3.0f%%  %s\n", reason["code"].get<std::string>().c_str(),
                  100 * reason["contribution"].get<double>(),
                  reason["text"].get<std::string>().c_str());
    }
  }
  if (stats.unknown_items)
    std::printf("  (%llu unknown item ids in the events were ignored)\n",
                static_cast<unsigned long long>(stats.unknown_items));
  return kOk;
}

int cmd_bench(const std::vector<std::string>& argv) {
  const Args args(argv, {"--items", "--sessions", "--queries", "--dir"}, {"--json"});
  BenchOptions o;
  if (args.has("--items")) {
    o.items.clear();
    for (const auto& part : split_trimmed(args.get("--items"), ",")) {
      int64_t n = 0;
      if (!parse_int(part, &n) || n < 10 || n > 2000000)
        throw UsageError("--items: sizes from 10 to 2000000");
      o.items.push_back(uint32_t(n));
    }
  }
  o.sessions = args.get_uint("--sessions", o.sessions, 100, 10'000'000);
  o.queries = args.get_uint("--queries", o.queries, 100, 10'000'000);
  o.dir = args.get("--dir", o.dir);
  if (heap_allocations_counted()) o.allocations = heap_allocations;
  const nlohmann::json r = run_bench(o);
  if (args.has("--json")) {
    std::cout << r.dump(2) << "\n";
    return kOk;
  }
  std::printf(
      "| items | snapshot | queries | p50 | p99 | max | heap allocations per query "
      "|\n|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& x : r) {
    const std::string allocs = x["allocations_per_query"].is_null()
                                   ? std::string("not counted in this build")
                                   : std::to_string(x["allocations_per_query"].get<double>());
    std::printf("| %u | %.1f MB | %llu | %.1f us | %.1f us | %.0f us | %s |\n",
                x["items"].get<uint32_t>(), x["snapshot_bytes"].get<double>() / 1e6,
                static_cast<unsigned long long>(x["queries"].get<uint64_t>()),
                x["p50_us"].get<double>(), x["p99_us"].get<double>(), x["max_us"].get<double>(),
                allocs.c_str());
  }
  return kOk;
}

int cmd_demo(const std::vector<std::string>& argv) {
  const Args args(argv, {"--out", "--seed", "--products", "--sessions", "--format", "--days"},
                  {"--quiet"});
  if (!args.positional().empty())
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  DemoOptions o;
  const std::string out = args.required("--out");
  o.seed = args.get_uint("--seed", 42, 0, UINT64_MAX);
  o.products = uint32_t(args.get_uint("--products", 2000, 10, 2'000'000));
  o.sessions = args.get_uint("--sessions", 20000, 0, 100'000'000);
  o.days = uint32_t(args.get_uint("--days", 56, 2, 3650));
  o.format = args.get("--format", "gmc");
  o.progress = !args.has("--quiet") && ::isatty(2);
  const DemoReport r = generate_demo(o, out);
  if (!args.has("--quiet")) {
    std::printf(
        "demo store in %s: %llu items in %llu variant groups; %llu sessions of %llu visitors, %llu "
        "events, "
        "%llu orders\n  %s\n  %s\n  %s\n",
        out.c_str(), static_cast<unsigned long long>(r.items),
        static_cast<unsigned long long>(r.groups), static_cast<unsigned long long>(r.sessions),
        static_cast<unsigned long long>(r.visitors), static_cast<unsigned long long>(r.events),
        static_cast<unsigned long long>(r.purchases), r.catalog_path.c_str(), r.events_path.c_str(),
        r.rules_path.c_str());
  }
  return kOk;
}

struct Command {
  const char* name;
  const char* help;
  int (*run)(const std::vector<std::string>&);
};

const Command kCommands[] = {
    {"build", kBuildHelp, cmd_build}, {"inspect", kInspectHelp, cmd_inspect},
    {"eval", kEvalHelp, cmd_eval},    {"recommend", kRecommendHelp, cmd_recommend},
    {"bench", kBenchHelp, cmd_bench}, {"demo-data", kDemoHelp, cmd_demo},
};

}  // namespace
}  // namespace aisle

int main(int argc, char** argv) {
  using namespace aisle;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    if (args.size() >= 2) {
      for (const auto& c : kCommands) {
        if (args[1] == c.name) {
          std::cout << c.help;
          return kOk;
        }
      }
    }
    std::cout << kMainHelp;
    return args.empty() ? kBadInput : kOk;
  }
  const std::string name = args[0];
  args.erase(args.begin());
  for (const auto& c : kCommands) {
    if (name != c.name) continue;
    if (wants_help(args)) {
      std::cout << c.help;
      return kOk;
    }
    try {
      return c.run(args);
    } catch (const UsageError& e) {
      std::cerr << "aisle " << name << ": " << e.what() << "\n(see aisle " << name << " --help)\n";
      return kBadInput;
    } catch (const InputError& e) {
      std::cerr << "aisle " << name << ": error: " << e.what() << "\n";
      return kBadInput;
    } catch (const std::exception& e) {
      std::cerr << "aisle " << name << ": error: " << e.what() << "\n";
      return kBadInput;
    }
  }
  std::cerr << "aisle: unknown command '" << name << "'\n\n" << kMainHelp;
  return kBadInput;
}
