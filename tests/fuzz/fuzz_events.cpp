// libFuzzer target: event readers count and skip anything malformed, never crash.
#include <sstream>
#include <string>

#include "event_ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* kFormats[] = {"auto", "ga4", "session-rec", "otto"};
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  aisle::Diagnostics diag;
  aisle::EventStats stats;
  size_t sum = 0;
  aisle::read_events(
      in, "fuzz", kFormats[data[0] % 4], diag, &stats, [&](const aisle::RawEvent& e) {
        sum += e.visitor.size() + e.session.size() + e.search_term.size() + size_t(e.ts_ms & 1);
        for (size_t i = 0; i < e.item_count; ++i)
          sum += e.items[i].id.size() + size_t(e.items[i].quantity);
      });
  return int(sum & 0);
}
