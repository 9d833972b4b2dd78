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

const char* kBenchHelp =
    R"(usage: aisle bench [--items 10000,100000] [--sessions N] [--queries N] [--dir DIR] [--json]

A benchmark, not a test: for each catalog size it generates a store (cached in DIR),
builds its snapshot (kept as DIR/store-N-S/store.snap), then replays the store's shopper events -- each "track the event,
then recommend 10 items for the page's placement" -- and reports the median and 99th
percentile latency and the heap allocations per query after a 2,000-query warm-up,
and the time from snapshot bytes to the first list (verify, construct, recommend).

  --items LIST    catalog sizes (default 10000,100000)
  --sessions N    generated sessions per store (default 20000)
  --queries N     measured queries per store (default 20000)
  --dir DIR       where generated stores are kept (default build/bench-engine)
)";

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
      "| bytes to first list |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& x : r) {
    const std::string allocs = x["allocations_per_query"].is_null()
                                   ? std::string("not counted in this build")
                                   : std::to_string(x["allocations_per_query"].get<double>());
    std::printf("| %u | %.1f MB | %llu | %.1f us | %.1f us | %.0f us | %s | %.1f ms |\n",
                x["items"].get<uint32_t>(), x["snapshot_bytes"].get<double>() / 1e6,
                static_cast<unsigned long long>(x["queries"].get<uint64_t>()),
                x["p50_us"].get<double>(), x["p99_us"].get<double>(), x["max_us"].get<double>(),
                allocs.c_str(), x["first_list_ms"].get<double>());
  }
  return kOk;
}

}  // namespace

const Command kBenchCommand{"bench", kBenchHelp, cmd_bench};

}  // namespace aisle
