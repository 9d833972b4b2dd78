// Serializes a catalog and its statistics into snapshot bytes (format in
// snapshot_format.h). The output always passes Snapshot::open; input that could not
// be represented (duplicate or empty ids, prices beyond the format's range, hints to
// unknown items) is rejected with a Status, never written.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "catalog.h"
#include "status.h"

namespace aisle {

struct ItemPopularity {
  uint32_t views = 0;
  uint32_t carts = 0;
  uint32_t purchases = 0;
  float trend = 0;
};

// A section this writer does not know by itself (appended after the known ones), e.g.
// the engine's candidate tables. Its id must not be one of format 1's.
struct ExtraSection {
  uint32_t id = 0;
  uint32_t elem_size = 1;
  std::vector<uint8_t> bytes;  // a multiple of elem_size
};

struct SnapshotInput {
  const Catalog* catalog = nullptr;
  std::vector<ItemPopularity> popularity;  // empty, or one per catalog item
  int64_t built_at_ms = 0;
  int64_t as_of_ms = 0;
  uint64_t events_read = 0;
  uint64_t events_used = 0;
  uint32_t trend_half_life_s = 0;
  std::string catalog_format;
  std::vector<ExtraSection> extra_sections;
};

Result<std::vector<uint8_t>> write_snapshot(const SnapshotInput& input);

}  // namespace aisle
