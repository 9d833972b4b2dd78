// `aisle bench`: latency and allocations of "one event, then a list" on generated stores.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "alloc_counter.h"
#include "bench.h"
#include "commands.h"
#include "text.h"

namespace aisle {
namespace {

std::string items_text(const BenchOptions& o) {  // "10000,100000"
  std::string s;
  for (const uint32_t n : o.items) s += (s.empty() ? "" : ",") + std::to_string(n);
  return s;
}

const CommandSpec kBenchSpec{
    "bench",
    "latency of \"one event, then a 10-item list\" on generated stores",
    "",
    0,
    "",
    R"(A benchmark, not a test: for each catalog size it generates a store (cached in DIR),
builds its snapshot (kept as DIR/store-N-S/store.snap), then replays the store's shopper events -- each "track the event,
then recommend 10 items for the page's placement" -- and reports the median and 99th
percentile latency and the heap allocations per query after a 2,000-query warm-up,
and the time from snapshot bytes to the first list (verify, construct, recommend). The
same events again through the storefront a page uses (track by item ids, the list as
JSON text): what the browser's figure compares with.
)",
    {opt_value("--items", "LIST", "catalog sizes, comma-separated", items_text(BenchOptions{})),
     opt_value("--sessions", "N", "generated sessions per store",
               default_text(double(BenchOptions{}.sessions))),
     opt_value("--queries", "N", "measured queries per store",
               default_text(double(BenchOptions{}.queries))),
     opt_value("--dir", "DIR", "where generated stores are kept", BenchOptions{}.dir),
     opt_flag("--json", "the figures as JSON")}};

int cmd_bench(const Args& args) {
  BenchOptions o;
  o.items.clear();  // from --items, whose default is BenchOptions' own list
  for (const auto& part : split_trimmed(args.get("--items"), ",")) {
    int64_t n = 0;
    if (!parse_int(part, &n) || n < 10 || n > 2000000)
      throw UsageError("--items: sizes from 10 to 2000000");
    o.items.push_back(uint32_t(n));
  }
  if (o.items.empty()) throw UsageError("--items: at least one size");
  o.sessions = args.get_uint("--sessions", 100, 10'000'000);
  o.queries = args.get_uint("--queries", 100, 10'000'000);
  o.dir = args.get("--dir");
  if (heap_allocations_counted()) o.allocations = heap_allocations;
  const nlohmann::json r = run_bench(o);
  if (args.has("--json")) {
    std::cout << r.dump(2) << "\n";
    return kOk;
  }
  std::printf(
      "| items | snapshot | queries | p50 | p99 | max | heap allocations per query "
      "| bytes to first list | storefront path: p50 / p99 | its heap allocations per query "
      "|\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  const auto allocations = [](const nlohmann::json& v) {
    return v.is_null() ? std::string("not counted in this build") : std::to_string(v.get<double>());
  };
  for (const auto& x : r) {
    std::printf(
        "| %u | %.1f MB | %llu | %.1f us | %.1f us | %.0f us | %s | %.1f ms | %.1f / %.1f us | %s "
        "|\n",
        x["items"].get<uint32_t>(), x["snapshot_bytes"].get<double>() / 1e6,
        static_cast<unsigned long long>(x["queries"].get<uint64_t>()), x["p50_us"].get<double>(),
        x["p99_us"].get<double>(), x["max_us"].get<double>(),
        allocations(x["allocations_per_query"]).c_str(), x["first_list_ms"].get<double>(),
        x["storefront_p50_us"].get<double>(), x["storefront_p99_us"].get<double>(),
        allocations(x["storefront_allocations_per_query"]).c_str());
  }
  return kOk;
}

}  // namespace

const Command kBenchCommand{kBenchSpec, cmd_bench};

}  // namespace aisle
