// `aisle bench`: replays generated shopper sessions against snapshots of generated
// stores and reports the latency of "track one event, then produce a 10-item list".
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace aisle {

struct BenchOptions {
  std::vector<uint32_t> items{10000, 100000};
  uint64_t sessions = 20000;  // generated per store (training log and replay source)
  uint64_t queries = 20000;   // measured events per store, after a warm-up of 2,000
  uint32_t k = 10;
  std::string dir = "build/bench-engine";  // generated stores are cached here
  std::function<uint64_t()> allocations;   // heap allocation counter, if the binary has one
};

nlohmann::json run_bench(const BenchOptions& options);

}  // namespace aisle
